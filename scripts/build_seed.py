"""Build the seed CSVs in data/seed/ from the raw reference data and the curated maps.

Usage: .venv/bin/python scripts/build_seed.py [RAW_DATA_DIR] [--out DIR] [--source-page FILE]

Inputs (read-only): RAW_DATA_DIR (default data/raw) holds corridor_figures.csv, the three
fx_*.csv files and seed_page_ticker.txt; the seed page (default
../shared/seed/source-page.txt beside the repository, not redistributed) is used, when
present, to check the seed page's quotes verbatim. Curated inputs in data/seed/:
indicators.csv, metric_map.csv, geo_map.csv, figure_curation.csv, seed_page_figures.csv.

Outputs in data/seed/: sources.csv, figures.csv, geos.csv, rates_nbu_monthly.csv,
rates_official.csv, rates_ticker.csv, rates_seed_page.csv, EXCLUDED.md.

Deterministic and idempotent: the same inputs give byte-identical files. Any inconsistency
(an unmapped metric or geo, a stale curation line, a duplicate key, an invalid period or
unit) stops the build with every problem listed; nothing is dropped silently.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from indicators import export, period_notation, schema, scopes, source_identity

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "seed"
DEFAULT_SHARED_DATA = REPO / "data" / "raw"
DEFAULT_SOURCE_PAGE = REPO.parent / "shared" / "seed" / "source-page.txt"
SOURCE_PAGE = DEFAULT_SOURCE_PAGE

# Declared once in the package; the build uses the same declarations as the store.
STATUSES = schema.STATUSES
SCOPE_GROUPS = scopes.GROUPS
QUALIFIER_SEP = scopes.QUALIFIER_SEP
FIGURE_COLUMNS = schema.FIGURES.csv_columns
RATE_COLUMNS = schema.RATES.csv_columns
SOURCE_COLUMNS = tuple(n for n in schema.SOURCES.names if n != "batch")
FLAG_COLUMNS = tuple(n for n in schema.RATE_FLAGS.names if n != "batch")

NBU, CBA, HMRC = "nbu-cross", "cba-cross", "hmrc-monthly"
NBU_DAILY = "fx_nbu_daily_1996_2022.csv.gz"
SOMONI_INTRODUCED = "2000-10-30"
CBA_DAILY = "fx_cba_daily_2005_2023.csv.gz"
HMRC_MONTHLY = "fx_hmrc_monthly_2014_2026.csv"
OUTLIERS = "fx_daily_outliers.csv"
# A controlled catalogue: the second labelled set (rail companies' finances, network reach,
# daily rates) took it from 37 to 57 indicators.
MAX_INDICATORS = 60
# Labelled figure files and the curation file of each (decisions by line number).
FIGURE_FILES = (("corridor_figures.csv", "figure_curation.csv"),
                ("corridor_figures_2.csv", "figure_curation_2.csv"))
# The outlier list names the shared file (uncompressed) a value came from.
OUTLIER_SOURCES = {"fx_nbu_daily_1996_2022.csv": NBU, "fx_cba_daily_2005_2023.csv": CBA}

SEED_ARTICLE_URL = "https://timesca.com/?p=49879"
SEED_ARTICLE_TITLE = "Kazakhstan's Middle Power Moment: From Balancer to Regional Organizer"
SEED_ARTICLE_PUBLISHED = "2026-06-03"
SEED_PAGE_URL = "https://timesca.com/tag/caspian-connectivity/"
SEED_PAGE_DATE = "2026-06-03"

# Official-rate source id from the URL host of fx_official_points.csv.
BANK_BY_HOST = {
    "nationalbank.kz": "nbk",
    "cbu.uz": "cbu",
    "nbt.tj": "nbt",
    "nbkr.kg": "nbkr",
    "cbt.tm": "cbt",
}

DERIVATION_TRAINS = ("125 / (1 + 34.4/100): base implied by the 2026-Q1 count and its "
                     "year-on-year growth")
DERIVATION_CAGR = ("((4.5 / 0.8)^(1/7) - 1) x 100: compound annual growth implied by 0.8 Mt and "
                   "4.5 Mt seven years apart")

class BuildError(Exception):
    """Raised with every problem found, one per line."""


# ---------------------------------------------------------------- io helpers

def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file; a `.gz` file is decompressed."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_text(columns: tuple[str, ...] | list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    return buf.getvalue()


def file_bytes(name: str, text: str) -> bytes:
    """UTF-8; a `.gz` name is compressed without a timestamp, so the bytes are reproducible."""
    data = text.encode("utf-8")
    return gzip.compress(data, compresslevel=9, mtime=0) if name.endswith(".gz") else data


def write_text(path: Path, text: str) -> None:
    path.write_bytes(file_bytes(path.name, text))


def fmt_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fmt_float(x: float) -> str:
    return export.format_number(x)


def valid_period(text: str) -> bool:
    """A period in the store's notation (`indicators.period_notation`)."""
    try:
        period_notation.parse(text)
    except period_notation.PeriodError:
        return False
    return True


def host(url: str) -> str:
    h = urlsplit(url).hostname or ""
    return h[4:] if h.startswith("www.") else h


def source_id(url: str) -> str:
    # The same id the store computes on import, so seeded sources match imported figures.
    return source_identity.source_id(url, None)


def publisher_for(url: str) -> str:
    return source_identity.publisher(url) or host(url)


def made_up_title(title: str) -> bool:
    """A title written in curation: empty, or carrying a curator's note in square brackets."""
    return not title.strip() or bool(re.search(r"\[[^\]]*\]", title))


def display_title(title: str, url: str, published: str) -> str:
    """The article's headline, or its publisher and date when the headline was made up."""
    if not made_up_title(title):
        return title
    return f"{publisher_for(url)}, " + (f"article of {published}" if published else
                                        "undated article")


def is_full_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


# ---------------------------------------------------------------- figures

def load_maps(seed: Path) -> tuple[dict, dict, dict]:
    indicators = {r["id"]: r for r in read_csv(seed / "indicators.csv")}
    metric_map: dict[tuple[str, str, str], dict] = {}
    for r in read_csv(seed / "metric_map.csv"):
        key = (r["metric"], r["unit"], r["raw_geo"])
        if key in metric_map:
            raise BuildError(f"metric_map.csv: duplicate mapping {key}")
        metric_map[key] = r
    geo_map = {}
    for r in read_csv(seed / "geo_map.csv"):
        if r["raw_geo"] in geo_map:
            raise BuildError(f"geo_map.csv: duplicate raw_geo {r['raw_geo']!r}")
        geo_map[r["raw_geo"]] = r
    return indicators, metric_map, geo_map


def join_geo(base: str, *qualifiers: str) -> str:
    q = [x for x in qualifiers if x]
    return base + (QUALIFIER_SEP + ", ".join(q) if q else "")


def status_from_name(metric: str) -> str | None:
    """The status a metric's name states, if it states one (`_expected` is a forecast)."""
    if re.search(r"_(forecast|expected)(_|$)", metric):
        return "forecast"
    if re.search(r"_(target|planned)(_|$)", metric):
        return "target"
    return None


def source_error(note: str) -> bool:
    """A label's note saying the source contradicts itself (headline against body)."""
    return bool(re.search(r"while the body says|but the headline says", note))


def build_figures(shared: Path, seed: Path, problems: list[str]):
    """Return (figures, excluded rows by file, articles by URL, indicators, rows by file)."""
    indicators, metric_map, geo_map = load_maps(seed)
    figures: list[dict] = []
    excluded: dict[str, list[dict]] = {}
    raws: dict[str, list[dict]] = {}
    articles: dict[str, dict] = {}
    for name, curation_name in FIGURE_FILES:
        raw = raws[name] = read_csv(shared / name)
        curation = {int(r["line"]): r for r in read_csv(seed / curation_name)}
        out, left = _figures_of(name, raw, curation, curation_name, metric_map, geo_map,
                                indicators, articles, problems)
        figures += out
        excluded[name] = left
        if not problems and len(out) + len(left) != len(raw):
            problems.append(f"{name}: included + excluded rows do not add up to its rows")
    # Mappings whose every row is excluded stay as documentation; stale ones are errors.
    every = [r for raw in raws.values() for r in raw]
    raw_metrics = {(r["metric"], r["unit"]) for r in every}
    for key, m in sorted(metric_map.items()):
        if key[:2] not in raw_metrics:
            problems.append(f"metric_map.csv: {key} matches no row of the figure files")
        elif m["indicator"] and m["indicator"] not in indicators:
            problems.append(f"metric_map.csv: {key} names unknown indicator {m['indicator']}")
        named = status_from_name(key[0])
        if named and m["status"] not in (named, "capacity"):
            problems.append(f"metric_map.csv: {key[0]} says {named} but is mapped as "
                            f"{m['status']}")
    for rg in sorted(set(geo_map) - {r["geo"] for r in every}):
        problems.append(f"geo_map.csv: {rg!r} matches no row of the figure files")
    base_groups: dict[str, set] = defaultdict(set)
    for rg, g in geo_map.items():
        base_groups[g["geo"]].add(g["scope_group"])
        if g["scope_group"] not in SCOPE_GROUPS:
            problems.append(f"geo_map.csv: {rg!r} has scope_group {g['scope_group']!r}")
    problems += [f"geo_map.csv: base geo {b!r} is in several scope groups {sorted(gs)}"
                 for b, gs in sorted(base_groups.items()) if len(gs) > 1]
    base_scope = {g["geo"]: g["scope_group"] for g in geo_map.values()}
    figures += seed_page_figures(shared, seed, indicators, base_scope, problems)
    articles[SEED_ARTICLE_URL] = {"title": SEED_ARTICLE_TITLE,
                                  "published": SEED_ARTICLE_PUBLISHED}
    return figures, excluded, articles, indicators, raws


def _figures_of(name: str, raw: list[dict], curation: dict, curation_name: str,
                metric_map: dict, geo_map: dict, indicators: dict, articles: dict,
                problems: list[str]) -> tuple[list[dict], list[dict]]:
    figures: list[dict] = []
    excluded: list[dict] = []
    used_lines: set = set()
    for i, r in enumerate(raw):
        line = i + 2  # header is line 1
        cur = curation.get(line)
        if cur:
            used_lines.add(line)
            if cur["metric"] != r["metric"] or Decimal(cur["value"]) != Decimal(r["value"]):
                problems.append(f"{curation_name} line {line}: expects {cur['metric']}="
                                f"{cur['value']}, {name} has {r['metric']}={r['value']}")
                continue
        m = metric_map.get((r["metric"], r["unit"], r["geo"])) or metric_map.get(
            (r["metric"], r["unit"], "*"))
        if cur and cur["action"] == "exclude":
            excluded.append({"line": line, **r, "reason": cur["note"]})
            continue
        if cur and cur["action"] not in ("keep", "exclude"):
            problems.append(f"{curation_name} line {line}: unknown action {cur['action']!r}")
        if m is not None and not m["indicator"]:
            # A metric with no place in the catalogue: left out for the mapping's reason.
            excluded.append({"line": line, **r, "reason": m["note"]})
            continue
        period = (cur["period"] if cur and cur["period"] else r["period"])
        if not valid_period(period):
            problems.append(f"{name} line {line}: period {period!r} is not allowed; curate it "
                            f"in {curation_name} (exclude or re-date)")
            continue
        if m is None:
            problems.append(f"{name} line {line}: no metric_map row for ({r['metric']}, "
                            f"{r['unit']})")
            continue
        g = geo_map.get(r["geo"])
        if g is None:
            problems.append(f"{name} line {line}: no geo_map row for {r['geo']!r}")
            continue
        ind = indicators.get(m["indicator"])
        if ind is None:
            problems.append(f"{name} line {line}: indicator {m['indicator']!r} of metric "
                            f"{r['metric']} is not in indicators.csv")
            continue
        if m["status"] not in STATUSES:
            problems.append(f"metric_map.csv {r['metric']}: bad status {m['status']!r}")
        factor = Decimal(m["factor"])
        value = fmt_decimal(Decimal(r["value"]) * factor)
        label_note = r.get("note", "")
        error = ("Source error, kept as the sentence states it: " + label_note.rstrip(".")
                 + "." if source_error(label_note) else "")
        notes = [error, m["note"], cur["note"] if cur else ""]
        if cur and cur["period"] and not cur["note"]:
            problems.append(f"{curation_name} line {line}: a re-dated row needs a note")
        figures.append({
            "indicator": ind["id"],
            "geo": join_geo(g["geo"], g["qualifier"], m["geo_qualifier"],
                            cur.get("geo_qualifier", "") if cur else ""),
            "period": period,
            "value": value,
            "unit": ind["unit"],
            "source_url": r["url"],
            "source_title": display_title(r["title"], r["url"], r["published"]
                                          if is_full_date(r["published"]) else ""),
            "published": r["published"] if is_full_date(r["published"]) else "",
            "quote": r["quote"],
            "status": m["status"],
            "note": " ".join(n for n in notes if n),
            "derivation": "",
            "_file": name,
            "_line": line,
            "_base_geo": g["geo"],
            "_scope": g["scope_group"],
        })
        articles.setdefault(r["url"], {"title": r["title"], "published": r["published"]})
    for line in sorted(set(curation) - used_lines):
        problems.append(f"{curation_name} line {line}: beyond {name}")
    return figures, excluded


def seed_page_figures(shared: Path, seed: Path, indicators: dict, base_scope: dict,
                      problems: list[str]) -> list[dict]:
    page = SOURCE_PAGE.read_text(encoding="utf-8") if SOURCE_PAGE.exists() else None
    if page is None:
        print(f"build_seed: {SOURCE_PAGE} not found; seed page quotes not re-checked",
              file=sys.stderr)
    rows = []
    for r in read_csv(seed / "seed_page_figures.csv"):
        if page is not None and r["quote"] not in page:
            problems.append(f"seed_page_figures.csv: quote not found in source-page.txt: "
                            f"{r['quote'][:60]}...")
        rows.append(r)
    by = {(r["indicator"], r["period"]): r for r in rows}
    trains, growth = by[("container_trains", "2026-Q1")], by[("container_trains_yoy", "2026-Q1")]
    start, end = by[("cargo_tonnage", "2017")], by[("cargo_tonnage", "2024")]
    years = int(end["period"]) - int(start["period"])
    implied = float(trains["value"]) / (1 + float(growth["value"]) / 100)
    cagr = ((float(end["value"]) / float(start["value"])) ** (1 / years) - 1) * 100
    derived = [
        {"indicator": "container_trains", "geo": trains["geo"], "period": "2025-Q1",
         "value": fmt_float(implied), "unit": "trains", "status": "reported",
         "quote": trains["quote"],
         "note": f"Implied, not stated: rounds to {round(implied)} trains.",
         "derivation": DERIVATION_TRAINS},
        {"indicator": "cargo_tonnage_cagr", "geo": end["geo"],
         "period": f"{start['period']}/{end['period']}", "value": fmt_float(cagr), "unit": "%",
         "status": "reported", "quote": end["quote"],
         "note": f"About {cagr:.2f} % a year. The years are the curator's dating of the 0.8 Mt "
                 "and 4.5 Mt rows: the sentence names no year.",
         "derivation": DERIVATION_CAGR},
    ]
    out = []
    for r in rows + derived:
        ind = indicators.get(r["indicator"])
        if ind is None or ind["unit"] != r["unit"]:
            problems.append(f"seed page row {r['indicator']}: unknown indicator or wrong unit")
            continue
        base = r["geo"].split(QUALIFIER_SEP)[0]
        out.append({
            **{c: r.get(c, "") for c in FIGURE_COLUMNS},
            "source_url": SEED_ARTICLE_URL,
            "source_title": SEED_ARTICLE_TITLE,
            "published": SEED_ARTICLE_PUBLISHED,
            "derivation": r.get("derivation", ""),
            "_line": 0,
            "_base_geo": base,
            "_scope": base_scope.get(base, ""),
        })
    return out


def add_agreement_notes(figures: list[dict]) -> None:
    """Where several sources report the same indicator, place and period, say whether they
    agree: each row's note names the other sources and their values."""
    groups = defaultdict(list)
    for f in figures:
        # Only reported values can contradict each other: two forecasts or a current and a
        # planned capacity for the same period may differ without disagreeing.
        if not f["derivation"] and f["status"] == "reported":
            groups[(f["indicator"], f["geo"], f["period"], f["status"])].append(f)
    for rows in groups.values():
        if len({r["source_url"] for r in rows}) < 2:
            continue
        for r in rows:
            def cite(o: dict) -> str:
                return (publisher_for(o["source_url"])
                        + (f", {o['published']}" if o["published"] else ""))
            same = sorted(cite(o) for o in rows if o is not r and o["source_url"] != r[
                "source_url"] and Decimal(o["value"]) == Decimal(r["value"]))
            other = sorted(f"{o['value']} {o['unit']} ({cite(o)})" for o in rows
                           if o is not r and Decimal(o["value"]) != Decimal(r["value"]))
            notes = []
            if same:
                notes.append("Sources agree: the same value from " + "; ".join(same) + ".")
            if other:
                notes.append("Sources disagree; other values: " + "; ".join(other) + ".")
            r["note"] = " ".join([r["note"], *notes]).strip()


def check_figures(figures: list[dict], indicators: dict, problems: list[str]) -> None:
    keys = Counter((f["indicator"], f["geo"], f["period"], f["source_url"]) for f in figures)
    for key, n in sorted(keys.items()):
        if n > 1:
            lines = [str(f["_line"]) for f in figures
                     if (f["indicator"], f["geo"], f["period"], f["source_url"]) == key]
            problems.append(f"duplicate figure key {key} from shared lines {', '.join(lines)}")
    for f in figures:
        where = f"figure {f['indicator']} / {f['geo']} / {f['period']} (line {f['_line']})"
        if not valid_period(f["period"]):
            problems.append(f"{where}: bad period")
        if indicators[f["indicator"]]["unit"] != f["unit"]:
            problems.append(f"{where}: unit {f['unit']} is not the indicator's")
        if f["status"] not in STATUSES:
            problems.append(f"{where}: bad status {f['status']}")
        if f["_scope"] not in SCOPE_GROUPS:
            problems.append(f"{where}: base geo {f['_base_geo']!r} has no scope group")
    if len(indicators) > MAX_INDICATORS:
        problems.append(f"indicators.csv has {len(indicators)} rows (max {MAX_INDICATORS})")


# ---------------------------------------------------------------- sources

def build_sources(seed: Path, articles: dict, problems: list[str]) -> list[dict]:
    rows = [{**s, "published": "", "accessed": ""} for s in read_csv(seed / "fixed_sources.csv")]
    arts = []
    for url, a in articles.items():
        notes = []
        published = a["published"]
        if published and not is_full_date(published):
            notes.append(f"The copy gives only the month of publication ({published}).")
            published = ""
        elif not published:
            notes.append("The copy shows no publication date.")
        title = display_title(a["title"], url, published)
        if title != a["title"]:
            notes.append("No headline in the copy; the title shown is the publisher and date."
                         + (f" Curator's note on the title: {a['title']}" if a["title"]
                            else ""))
        arts.append({
            "id": source_id(url), "title": title, "url": url,
            "publisher": publisher_for(url), "published": published, "accessed": "",
            "kind": "press", "licence": "", "note": " ".join(notes),
        })
    arts.sort(key=lambda s: s["id"])
    ids = [s["id"] for s in rows + arts]
    for sid, n in Counter(ids).items():
        if n > 1:
            problems.append(f"duplicate source id {sid}")
    return rows + arts


# ---------------------------------------------------------------- rates

def _rate_rows(rows: list[dict], source: str) -> list[dict]:
    return [{"date": r["date"], "base": r["base"], "quote": r["quote"], "rate": r["rate"],
             "source": source} for r in rows]


def build_rates_nbu(shared: Path) -> tuple[list[dict], dict]:
    """One NBU series: every daily row, plus the monthly file's rows on dates the daily lacks.

    Both files come from the same feed (the monthly one is the first fixing of each month);
    the daily archive has no Turkmen manat before 2014-04, so those months come from the
    monthly file. Where both have a date and currency the daily value is kept.
    """
    daily = read_csv(shared / NBU_DAILY)
    monthly = read_csv(shared / "fx_nbu_monthly_1996_2022.csv")
    have = {(r["date"], r["quote"]) for r in daily}
    added = [r for r in monthly if (r["date"], r["quote"]) not in have]
    rows = _rate_rows(daily, NBU) + _rate_rows(added, NBU)
    # The archive labels the Tajik rouble (1998-04 to 2000-10, ~750-2050 per USD) "TJS";
    # the somoni (1 TJS = 1000 TJR) replaced it on 2000-10-30. Stored under its own code.
    relabelled = 0
    for r in rows:
        if r["quote"] == "TJS" and r["date"] < SOMONI_INTRODUCED:
            r["quote"] = "TJR"
            relabelled += 1
    rows.sort(key=lambda r: (r["date"], r["base"], r["quote"]))
    stats = {"daily": len(daily), "monthly": len(monthly),
             "monthly_added": Counter(r["quote"] for r in added),
             "monthly_spans": {q: (min(r["date"] for r in added if r["quote"] == q),
                                   max(r["date"] for r in added if r["quote"] == q))
                               for q in sorted({r["quote"] for r in added})},
             "monthly_shared": len(monthly) - len(added), "tjr": relabelled}
    return rows, stats


def build_rates_cba(shared: Path) -> list[dict]:
    return _rate_rows(read_csv(shared / CBA_DAILY), CBA)


def build_rates_hmrc(shared: Path, problems: list[str]) -> list[dict]:
    rows = read_csv(shared / HMRC_MONTHLY)
    problems += [f"{HMRC_MONTHLY}: {r['date']} is not the first day of a month"
                 for r in rows if not r["date"].endswith("-01")]
    return _rate_rows(rows, HMRC)


def build_rate_flags(shared: Path, rates: list[dict], problems: list[str]) -> list[dict]:
    """The listed outliers, each tied to the stored rate it flags (the value must match)."""
    stored = {(r["source"], r["date"], r["quote"]): r["rate"] for r in rates}
    out = []
    for r in read_csv(shared / OUTLIERS):
        source = OUTLIER_SOURCES.get(r["file"])
        quote = "TJR" if (source == NBU and r["quote"] == "TJS"
                          and r["date"] < SOMONI_INTRODUCED) else r["quote"]
        value = stored.get((source, r["date"], quote))
        if source is None or value is None or Decimal(value) != Decimal(r["rate"]):
            problems.append(f"{OUTLIERS}: {r['file']} {r['date']} {r['quote']} {r['rate']} "
                            "matches no stored rate")
            continue
        dev = Decimal(r["deviation_pct"])
        out.append({
            "date": r["date"], "base": "USD", "quote": quote, "source": source,
            "reason": f"{'+' if dev > 0 else ''}{fmt_decimal(dev)}% from the median of its "
                      f"neighbours (±3 observations: {r['neighbour_median']}); kept as "
                      "published: a real devaluation or a glitch",
        })
    out.sort(key=lambda f: (f["source"], f["quote"], f["date"]))
    return out


def build_rates_official(shared: Path, problems: list[str]) -> list[dict]:
    out = []
    for r in read_csv(shared / "fx_official_points.csv"):
        h = host(r["source_url"])
        sid = next((v for k, v in BANK_BY_HOST.items() if h == k or h.endswith("." + k)), None)
        if sid is None:
            problems.append(f"fx_official_points.csv: unknown bank host {h}")
            continue
        out.append({"date": r["date"], "base": r["base"], "quote": r["quote"],
                    "rate": r["rate"], "source": sid})
    out.sort(key=lambda r: (r["quote"], r["date"], r["source"]))
    return out


def build_rates_ticker(shared: Path) -> tuple[list[dict], dict]:
    """One rate per (date, pair): the value most snapshots show, ties to the first in file."""
    rows = read_csv(shared / "fx_ticker_snapshots.csv")
    snapshots = sum(1 for r in rows if r["pair"] == rows[0]["pair"])
    undated = [r for r in rows if not r["published"]]
    undated_snaps = sum(1 for r in undated if r["pair"] == rows[0]["pair"])
    dated = [r for r in rows if r["published"]]
    uzs = [r for r in dated if r["pair"].startswith("UZS/")]
    kept = [r for r in dated if not r["pair"].startswith("UZS/")]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in kept:
        groups[(r["published"], r["pair"])].append(r["rate"])
    out, conflicts = [], []
    for (date, pair), values in sorted(groups.items()):
        counts = Counter(values)
        top = max(counts.values())
        chosen = next(v for v in values if counts[v] == top)
        if len(counts) > 1:
            conflicts.append((date, pair, counts, chosen))
        base, quote = pair.split("/")
        out.append({"date": date, "base": base, "quote": quote, "rate": chosen,
                    "source": "timesca-ticker"})
    stats = {
        "rows": len(rows), "snapshots": snapshots,
        "undated_rows": len(undated), "undated_snapshots": undated_snaps,
        "uzs_rows": len(uzs), "kept_candidates": len(kept),
        "same_date_dropped": len(kept) - len(out), "conflicts": conflicts, "out": len(out),
    }
    return out, stats


def build_rates_seed_page(shared: Path, problems: list[str]) -> tuple[list[dict], int]:
    # The ticker lines of the seed page (figures only, no article prose).
    page = (shared / "seed_page_ticker.txt").read_text(encoding="utf-8")
    found = re.findall(r"([A-Z]{3})/([A-Z]{3}) = ([0-9.]+) ", page)
    seen: dict[tuple[str, str], str] = {}
    for base, quote, rate in found:
        if seen.setdefault((base, quote), rate) != rate:
            problems.append(f"source-page.txt: {base}/{quote} shows two values")
    out = [{"date": SEED_PAGE_DATE, "base": b, "quote": q, "rate": r,
            "source": "timesca-seed-page"} for (b, q), r in seen.items()]
    if [r["base"] for r in out] != ["KGS", "KZT", "TJS", "UZS", "TMT"]:
        problems.append(f"source-page.txt: expected the five ticker pairs, found {list(seen)}")
    return out, len(found)


# ---------------------------------------------------------------- reports

def excluded_md(excluded: dict[str, list[dict]], figures: list[dict], raws: dict, ticker: dict,
                seed_ticker_rows: int, n_indicators: int, counts: dict, seed: Path) -> str:
    nbu = counts["nbu"]
    seed_rows = sum(1 for f in figures if not f["_line"])
    articles = {f["source_url"] for f in figures if not f["derivation"]}
    stated_all = sum(1 for f in figures if not f["derivation"])
    out = [
        "# What the seed leaves out, and why",
        "",
        "Generated by `scripts/build_seed.py`; do not edit by hand (edit the curation files "
        "or the script).",
        "",
        f"`figures.csv` holds {len(figures)} rows: {stated_all} stated figures from "
        f"{len(articles)} articles and {len(figures) - stated_all} derived. "
        f"{seed_rows} rows come from the seed page's article.",
    ]
    for (name, curation_name), left in zip(FIGURE_FILES, excluded.values(), strict=True):
        stated = sum(1 for f in figures if f.get("_file") == name)
        raw_count = len(raws[name])
        out += [
            "",
            f"## Figures (`{name}`)",
            "",
            f"{raw_count} rows in the shared file: {stated} kept in `figures.csv`, "
            f"{len(left)} left out ({stated} + {len(left)} = {stated + len(left)}). Decisions on "
            f"single rows are in `{curation_name}`; a metric with no place in the catalogue "
            "is left out by its `metric_map.csv` row. Line numbers count the header as line 1.",
            "",
            "| line | metric | value | unit | period | geo | reason |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in left:
            out.append(f"| {e['line']} | `{e['metric']}` | {e['value']} | {e['unit']} | "
                       f"{e['period']} | {e['geo']} | {e['reason']} |")
    out += [
        "",
        "## Rates",
        "",
        f"- `rates_nbu_daily.csv.gz` (source `nbu-cross`, one NBU series): all {nbu['daily']} "
        "rows of `fx_nbu_daily_1996_2022.csv`, plus the rows of `fx_nbu_monthly_1996_2022.csv` "
        "on dates the daily file lacks: "
        + ", ".join(f"{q} {n} ({nbu['monthly_spans'][q][0]} to {nbu['monthly_spans'][q][1]})"
                    for q, n in sorted(nbu["monthly_added"].items()))
        + f". The other {nbu['monthly_shared']} monthly rows are the same fixings as daily rows "
        "(the first of each month) and are not stored twice; the daily value is kept (the "
        "monthly file has more digits, the values agree to the daily file's precision). `TMM` "
        "(old Turkmen manat, 5000 TMM = 1 TMT) is kept as given; the dashboard redenominates "
        f"it. The {nbu['tjr']} TJS rows before 2000-10-30 are Tajik roubles (about 750 to "
        "2,050 per USD; the somoni replaced the rouble at 1,000 to 1 on 2000-10-30), so they "
        "are stored as `TJR` and restated in TJS by the dashboard. The per-row `source_url` "
        "(one archive file per date) is replaced by the source id.",
        f"- `rates_cba_daily.csv.gz` (source `cba-cross`): all {counts['cba']} rows of "
        "`fx_cba_daily_2005_2023.csv`; nothing left out (UZS was left out by the file's "
        "compiler: too coarse).",
        f"- `rates_hmrc_monthly.csv` (source `hmrc-monthly`): all {counts['hmrc']} rows of "
        "`fx_hmrc_monthly_2014_2026.csv`, dated the first day of the month each rate applies "
        "to (see docs/sources.md for why).",
        f"- `rate_flags.csv`: all {sum(counts['flags'].values())} values of "
        "`fx_daily_outliers.csv` ("
        + ", ".join(f"{n} {s}" for s, n in sorted(counts["flags"].items()))
        + "), each matched to its stored rate. The values stay as published; the dashboard "
        "flags them and can hide them.",
        f"- `rates_official.csv`: all {counts['official']} rows of `fx_official_points.csv`; "
        "source id from the URL host (nationalbank.kz → nbk, cbu.uz → cbu, nbt.tj → nbt, "
        "nbkr.kg → nbkr, cbt.tm → cbt).",
        f"- `rates_ticker.csv` from `fx_ticker_snapshots.csv` ({ticker['rows']} rows, "
        f"{ticker['snapshots']} snapshots): {ticker['out']} rows kept.",
        f"  - Undated snapshots dropped: {ticker['undated_snapshots']} snapshots, "
        f"{ticker['undated_rows']} rows (a rate needs a date).",
        f"  - UZS/USD dropped from dated snapshots: {ticker['uzs_rows']} rows (always 0.00008, "
        "too coarse to use).",
        f"  - Same date and pair seen on several pages: {ticker['same_date_dropped']} rows "
        "dropped. Rule: keep the value most of that day's snapshots show; on a tie, the "
        "first in file order. The differing values are listed below.",
        "  - `change_pct` is not carried (the rates table has no such column).",
        "",
        "Same date and pair, differing values:",
        "",
        "| date | pair | values seen (count) | kept |",
        "|---|---|---|---|",
    ]
    for date, pair, counts, chosen in ticker["conflicts"]:
        seen = ", ".join(f"{v} ({n})" for v, n in sorted(counts.items()))
        out.append(f"| {date} | {pair} | {seen} | {chosen} |")
    out += [
        "",
        f"- `rates_seed_page.csv`: the seed page's ticker ({seed_ticker_rows} lines in "
        "`data/raw/seed_page_ticker.txt`; the page repeats the same five), five distinct "
        "pairs with one value each, kept once each at 2026-06-03 "
        "(the earliest possible date, see `sources.csv`). UZS 0.00008 is kept here because "
        "it is what the seed page shows. The day's change (%) is not carried.",
        "",
        "## Curation decisions",
        "",
        (seed / "curation_decisions.md").read_text(encoding="utf-8").format(
            n_indicators=n_indicators).rstrip(),
        "",
    ]
    return "\n".join(out)


def geos_rows(figures: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for f in figures:
        geo = f["geo"]
        qual = geo[len(f["_base_geo"]) + len(QUALIFIER_SEP):] if geo != f["_base_geo"] else ""
        row = seen.setdefault(geo, {"geo": geo, "base_geo": f["_base_geo"], "qualifier": qual,
                                    "scope_group": f["_scope"], "figures": 0})
        row["figures"] += 1
    order = {g: i for i, g in enumerate(SCOPE_GROUPS)}
    return sorted(seen.values(), key=lambda r: (order[r["scope_group"]], r["geo"]))


# ---------------------------------------------------------------- main

def build(shared: Path, out: Path) -> dict[str, str]:
    """Return {file name: text} for every output; raise BuildError listing all problems."""
    problems: list[str] = []
    figures, excluded, articles, indicators, raws = build_figures(shared, out, problems)
    if problems:
        raise BuildError("\n".join(problems))
    add_agreement_notes(figures)
    check_figures(figures, indicators, problems)
    sources = build_sources(out, articles, problems)
    nbu, nbu_stats = build_rates_nbu(shared)
    cba = build_rates_cba(shared)
    hmrc = build_rates_hmrc(shared, problems)
    official = build_rates_official(shared, problems)
    ticker, ticker_stats = build_rates_ticker(shared)
    seed_rates, seed_ticker_rows = build_rates_seed_page(shared, problems)
    flags = build_rate_flags(shared, nbu + cba, problems)
    for name, rates in (("nbu", nbu), ("cba", cba), ("hmrc", hmrc), ("official", official),
                        ("ticker", ticker), ("seed", seed_rates)):
        keys = Counter((r["date"], r["base"], r["quote"], r["source"]) for r in rates)
        problems += [f"rates_{name}: duplicate key {k}" for k, n in keys.items() if n > 1]
        problems += [f"rates_{name}: rate {r['rate']} not > 0" for r in rates
                     if not float(r["rate"]) > 0]
    if problems:
        raise BuildError("\n".join(problems))

    figures.sort(key=lambda f: (f["indicator"], f["geo"], f["period"], f["source_url"]))
    counts = {"nbu": nbu_stats, "cba": len(cba), "hmrc": len(hmrc), "official": len(official),
              "flags": Counter(f["source"] for f in flags)}
    return {
        "sources.csv": csv_text(SOURCE_COLUMNS, sources),
        "figures.csv": csv_text(FIGURE_COLUMNS, figures),
        "geos.csv": csv_text(("geo", "base_geo", "qualifier", "scope_group", "figures"),
                             geos_rows(figures)),
        "rates_nbu_daily.csv.gz": csv_text(RATE_COLUMNS, nbu),
        "rates_cba_daily.csv.gz": csv_text(RATE_COLUMNS, cba),
        "rates_hmrc_monthly.csv": csv_text(RATE_COLUMNS, hmrc),
        "rates_official.csv": csv_text(RATE_COLUMNS, official),
        "rates_ticker.csv": csv_text(RATE_COLUMNS, ticker),
        "rates_seed_page.csv": csv_text(RATE_COLUMNS, seed_rates),
        "rate_flags.csv": csv_text(FLAG_COLUMNS, flags),
        "EXCLUDED.md": excluded_md(excluded, figures, raws, ticker_stats, seed_ticker_rows,
                                   len(indicators), counts, out),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared_data", nargs="?", type=Path, default=DEFAULT_SHARED_DATA,
                    help="directory holding corridor_figures.csv and fx_*.csv "
                         "(default: data/raw)")
    ap.add_argument("--source-page", type=Path, default=DEFAULT_SOURCE_PAGE,
                    help="the seed page, to check its quotes (skipped when absent)")
    ap.add_argument("--out", type=Path, default=SEED,
                    help="seed directory with the curated inputs; outputs are written here")
    args = ap.parse_args(argv)
    global SOURCE_PAGE
    SOURCE_PAGE = args.source_page
    try:
        files = build(args.shared_data.resolve(), args.out.resolve())
    except BuildError as e:
        print("build_seed: FAILED\n" + str(e), file=sys.stderr)
        return 1
    for name, text in files.items():
        write_text(args.out / name, text)
        rows = text.count(chr(10)) - 1
        print(f"{name}: {rows if '.csv' in name else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
