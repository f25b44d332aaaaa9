"""Guess which catalogue indicator and which place a figure is about, from its sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

STOP = frozenset((
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "than", "into", "per", "via", "over", "under", "through", "during", "since",
    "which", "who", "whose", "what", "when", "where", "while", "has", "have", "had", "not",
    "no", "more", "most", "less", "also", "any", "all", "each", "one", "two", "stated",
    "source", "sources", "period", "periods", "value", "values", "row", "rows", "where",
    "whatever", "same", "year", "years", "volume", "volumes", "total",
))
# Unit words say nothing about the indicator that the unit check has not said already.
UNIT_WORDS = frozenset({"ton", "million", "billion", "thousand", "percent", "times", "fold"})
# Words that name the same thing in articles and in catalogues.
SYNONYMS = {
    "tons": "ton", "tonnes": "ton", "tonne": "ton", "tonnage": "ton", "t": "ton",
    "teus": "teu", "teu": "container", "containers": "container", "containerised": "container",
    "trains": "train", "block": "train", "seaport": "port", "ports": "port", "terminal": "port",
    "handled": "throughput", "handling": "throughput", "transshipment": "throughput",
    "transshipped": "throughput", "throughput": "throughput", "turnover": "throughput",
    "freight": "cargo", "goods": "cargo", "cargoes": "cargo", "shipments": "cargo",
    "transportation": "cargo",
    "invested": "investment", "investments": "investment", "cost": "investment",
    "costs": "investment", "funding": "investment", "funds": "investment",
    "wagons": "railcar", "railcars": "railcar", "wagon": "railcar",
    "days": "time", "delivery": "time", "transit": "transit", "hours": "time",
    "tracks": "track", "routes": "route", "corridors": "corridor", "berths": "berth",
    "vehicles": "vehicle", "trucks": "vehicle", "jobs": "job",
    "km": "kilometre", "kilometers": "kilometre", "kilometres": "kilometre",
    "tkm": "turnover_tkm", "ton-kilometers": "turnover_tkm",
}
UNIT_FAMILY = {"train pairs/day": "trains/day", "FEU": "TEU", "trucks": "vehicles", "m": "km"}
CHANGE_WORDS = frozenset({"change", "yoy", "multiple", "cagr", "growth"})
# Words that set an indicator apart: an entry naming one the sentence lacks is less likely.
DISTINCT = frozenset({"train", "container", "port", "railcar", "vehicle", "berth", "route",
                      "corridor", "track", "job", "hydrogen", "power", "speed", "investment",
                      "share", "monthly", "turnover_tkm", "handling"})


WORD_TOKEN = re.compile(r"[a-z][a-z\-]*")  # a lower-case word, hyphens kept


def tokens(text: str) -> list[str]:
    out = []
    for raw in WORD_TOKEN.findall(text.lower()):
        for w in raw.split("-") if raw not in SYNONYMS else [raw]:
            if len(w) < 2 or w in STOP:
                continue
            w = SYNONYMS.get(w, w)
            if w.endswith("s") and len(w) > 3 and not w.endswith("ss"):
                w = SYNONYMS.get(w[:-1], w[:-1])
            if w not in UNIT_WORDS:
                out.append(w)
    return out


@lru_cache(maxsize=4096)
def word_set(text: str) -> frozenset[str]:
    """The words of a catalogue entry's id, name or description, read once per text (every
    figure is compared with every entry)."""
    return frozenset(tokens(text))


def _family(unit: str) -> str:
    # A capacity per year is kept with its yearly flow (t/yr with t); per day is its own thing.
    base = unit.removesuffix("/yr")
    return UNIT_FAMILY.get(base, base)


def unit_score(figure_unit: str, catalogue_unit: str) -> float:
    if figure_unit == catalogue_unit:
        return 3.0
    if _family(figure_unit) == _family(catalogue_unit):
        return 2.0
    return -6.0


def guess_indicator(
    context: str,
    *,
    unit: str,
    role: str,
    status: str,
    catalogue: Iterable[Mapping[str, str]],
) -> tuple[str, float]:
    """Best catalogue id for a figure and a score in 0..1; ("", 0) when nothing fits.

    `role` is level, change (an absolute or percentage change), multiple or share.
    """
    words = tokens(context)
    if status == "capacity":
        words.append("capacity")
    bag = {w: words.count(w) for w in set(words)}
    best, best_score = "", -math.inf
    for entry in catalogue:
        cid = str(entry.get("id", ""))
        if not cid:
            continue
        head = word_set(cid.replace("_", " ") + " " + str(entry.get("name", "")))
        desc = word_set(str(entry.get("description", "") or ""))
        score = unit_score(unit, str(entry.get("unit", "")))
        score += sum(2.0 for w in head if w in bag) / math.sqrt(len(head) or 1)
        score += sum(0.3 for w in desc if w in bag) / math.sqrt(len(desc) or 1)
        score -= 0.75 * len({w for w in head & DISTINCT if w not in bag})
        id_words = set(cid.split("_"))
        is_change_entry = bool(id_words & CHANGE_WORDS) or entry.get("category") == "growth"
        if role in ("change", "multiple"):
            score += 1.5 if is_change_entry else -1.5
            if role == "change" and unit not in ("%", "x") and "change" in id_words:
                score += 1.0
        elif role == "share":
            score += 1.5 if entry.get("category") == "share" or "share" in id_words else 0
            score -= 1.5 if is_change_entry else 0
        elif is_change_entry:
            score -= 2.0
        if "monthly" in id_words or "avg" in id_words:
            score -= 0 if unit.endswith("/month") else 2.0
        if score > best_score:
            best, best_score = cid, score
    if not best or best_score < 0:
        return "", 0.0  # no indicator of the catalogue has a unit this figure can take
    return best, max(0.0, min(1.0, (best_score + 1) / 8))


def related_indicator(
    base: str, *, unit: str, role: str, catalogue: Iterable[Mapping[str, str]]
) -> str:
    """The catalogue's change indicator of `base` for a change stated next to it: the entry
    that names `base` in its id or description and takes the change's unit."""
    best, best_score = "", 0.0
    for entry in catalogue:
        cid = str(entry.get("id", ""))
        if cid == base or not cid:
            continue
        names_base = cid.startswith(base + "_") or base in str(entry.get("description") or "")
        if not names_base or unit_score(unit, str(entry.get("unit", ""))) < 0:
            continue
        score = unit_score(unit, str(entry.get("unit", "")))
        words = set(cid.split("_"))
        if role == "change" and unit not in ("%", "x"):
            score += 1.0 if "change" in words else 0.0
        score -= 0.5 if "cagr" in words else 0.0  # derived only, never stated
        if score > best_score:
            best, best_score = cid, score
    return best


# Places in the order of specificity in which they win; each with the label the figures use.
PLACES: list[tuple[str, str]] = [
    (r"\bKhorgos\s+Gateway\b|\bKhorgos\b.{0,40}\bdry\s+port\b", "Khorgos Gateway dry port, KZ"),
    (r"\bAktau\b", "Aktau port, KZ"),
    (r"\bKuryk\b", "Kuryk port, KZ"),
    (r"\bBaku\b|\bAlat\b", "Baku port (Alat), AZ"),
    (r"\bTurkmenbashi\b", "Turkmenbashi port, TM"),
    (r"\bPoti\b", "Poti port, GE"),
    (r"\bBatumi\b", "Batumi port, GE"),
    (r"\bAnaklia\b", "Anaklia port, GE"),
    (r"\bKhorgos\b", "Khorgos (CN-KZ border)"),
    (r"\bAlashankou\b", "Alashankou (CN-KZ border)"),
    (r"\bDostyk\b", "Dostyk (CN-KZ border)"),
    (r"\bAltynkol\b", "Altynkol (CN-KZ border)"),
]
ROUTES: list[tuple[str, str]] = [
    (r"\bTITR\b|\bMiddle\s+Corridor\b|\bTrans-?\s?Caspian\b", "TITR (Middle Corridor)"),
    (r"\bChina[-–\s]+Europe\b", "China-Europe rail (all routes)"),
]
COUNTRIES: list[tuple[str, str]] = [
    (r"\bKazakh(?:stan)?\b|\bKTZ\b", "Kazakhstan"),
    (r"\bAzerbaijan\w*\b", "Azerbaijan"),
    (r"\bUzbekistan\b", "Uzbekistan"),
    (r"\bTurkmenistan\b", "Turkmenistan"),
    (r"\bKyrgyz(?:stan)?\b", "Kyrgyzstan"),
    (r"\bTajikistan\b", "Tajikistan"),
    (r"\bGeorgia\b", "Georgia"),
    (r"\bT[uü]rk(?:iye|ey)\b", "Türkiye"),
    (r"\bChina\b", "China"),
]
# The tables above, compiled once (routes are matched in any case).
PLACE_PATTERNS = [(re.compile(rx), label) for rx, label in PLACES]
ROUTE_PATTERNS = [(re.compile(rx, re.IGNORECASE), label) for rx, label in ROUTES]
COUNTRY_PATTERNS = [(re.compile(rx), label) for rx, label in COUNTRIES]
RAIL = re.compile(r"\b(?:rail\w*|trains?|wagons?)\b", re.IGNORECASE)


def guess_geo(text: str) -> str:
    """A geo label from place names in `text`; "" when it names none."""
    places = [label for rx, label in PLACE_PATTERNS if rx.search(text)]
    if places:
        borders = [p for p in places if p.endswith("(CN-KZ border)")]
        if len(borders) > 1 and len(borders) == len(places):
            names = " + ".join(p.split(" (")[0] for p in borders)
            return f"{names} (CN-KZ border)"
        return places[0]
    route = next((label for rx, label in ROUTE_PATTERNS if rx.search(text)), "")
    countries = [label for rx, label in COUNTRY_PATTERNS if rx.search(text)]
    if route.startswith("TITR"):
        if "Kazakhstan" in countries:
            return "TITR via Kazakhstan (rail)" if RAIL.search(text) else "TITR via Kazakhstan"
        return route
    if route:
        return route
    if "Kazakhstan" in countries and "China" in countries and RAIL.search(text):
        return "Kazakhstan-China rail"
    return countries[0] if countries else ""
