"""Recognise the unit written next to a number and name it in the figures' base units."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indicators.extract.numbers import Number
from indicators.extract.rules import Rule, examples, register

# The kinds of unit (`Unit.kind`, `Quantity.kind`), and the groups of them the rules ask about,
# declared once. "bare" is a number no unit was found for; "thing" a count of a noun outside
# the known list ("40 new platforms").
COUNTED = frozenset({"mass", "container", "count"})  # stuff or things in a known unit
TALLIES = COUNTED | {"thing"}  # ... and counts of other nouns
AMOUNTS = TALLIES | {"money", "measure"}  # anything a later bare number can borrow a unit from
SCALED = frozenset({"mass", "container", "money", "measure"})  # "3m" means million only here
UNSUFFIXED = frozenset({"percent", "multiple", "time"})  # takes no "per year" suffix
RELATIVE = frozenset({"bare", "percent", "multiple"})  # says nothing of what is counted


@dataclass(frozen=True)
class Unit:
    """The unit a figure is stated in, after normalisation to a base unit."""

    unit: str  # base unit as in the figures CSV: t, TEU, trains, %, x, days, USD, ...
    kind: str  # percent, multiple, mass, container, count, time, money, measure
    start: int  # where the unit's words start (a currency sign may precede the number)
    end: int  # where the unit's words end, including a per-time suffix
    factor: float = 1.0  # multiply the number by this (5 Mt -> 5e6 t)
    gap: int = 0  # words between number and unit ("125 container trains" -> 1)
    qualifier: str = ""  # commodity after "of": "24,000 tons of grain" -> grain
    rule: str = ""  # the unit rules that read it, joined by "+" ("unit.tonnes+unit.per_time")


def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@dataclass(frozen=True)
class Produces:
    """What a unit rule produces: a base unit (empty: the matched symbol itself), its kind
    and the factor to base units (5 Mt -> 5e6 t)."""

    unit: str
    kind: str
    factor: float = 1.0

    def __call__(self, m: re.Match[str]) -> Produces:
        return Produces(self.unit or m.group(1), self.kind, self.factor)


def _unit(name: str, pattern: re.Pattern[str], unit: str, kind: str, factor: float,
          doc: str, *example: tuple[str, str]) -> Rule:
    return register(Rule(f"unit.{name}", pattern, Produces(unit, kind, factor), doc,
                         examples(*example)))


# Units written straight after the number, tried in order (longer phrases first).
DIRECT: list[Rule] = [
    _unit("percent", _rx(r"[\s-]?(?:%|per\s?cent\b|pct\b)"), "%", "percent", 1,
          "Per cent, however written.", ("up 34.4%", "%"), ("63 per cent", "%"),
          ("5 pct", "%")),
    _unit("percentage_points", _rx(r"[\s-]?(?:percentage points?|p\.p\.|pp\b)"), "pp",
          "percent", 1, "Percentage points.", ("by 2 percentage points", "pp")),
    _unit("fold", _rx(r"\s?-?\s?fold\b"), "x", "multiple", 1, "'2.1-fold': a multiple.",
          ("grew 2.1-fold", "x")),
    _unit("times", _rx(r"(?:\s+|\s?-\s?)times\b(?!\s+(?:a|per|each)\s)"), "x", "multiple", 1,
          "'2.6 times' (not 'three times a week'): a multiple.", ("rose 2.6 times", "x")),
    _unit("x", re.compile(r"x\b"), "x", "multiple", 1, "'2x': a multiple.", ("2x", "x")),
    _unit("time_hyphen", _rx(r"\s?-\s?time\s+(?=more|higher|larger|greater|bigger|increase)"),
          "x", "multiple", 1, "'3.6-time more' (a slip for '3.6 times'): a multiple.",
          ("traffic is 3.6-time more than in 2016", "x")),
    _unit("tonne_km", _rx(r"\s?(?:(?:metric\s+)?(?:tons?|tonnes?)[- ]?(?:kilomet(?:er|re)s?|km)"
                          r"|t-?km)\b"), "tkm", "measure", 1, "Tonne-kilometres.",
          ("12 billion ton-km", "tkm")),
    _unit("teu_words", _rx(r"\s?(?:twenty|20)[- ]foot\s+equivalent\s+units?(?:\s*\(TEUs?\))?"),
          "TEU", "container", 1, "Twenty-foot equivalent units, spelled out.",
          ("500 twenty-foot equivalent units", "TEU")),
    _unit("teu", _rx(r"\s?TEUs?\b"), "TEU", "container", 1, "TEU.", ("433,200 TEU", "TEU")),
    _unit("twenty_foot_containers", _rx(r"\s?(?:twenty|20)[- ](?:foot|ft)\s+containers?\b"),
          "TEU", "container", 1, "Twenty-foot containers count as TEU.",
          ("300 20-foot containers", "TEU")),
    _unit("feu", _rx(r"\s?(?:forty|40)[- ](?:foot|ft)\s+(?:equivalent\s+units?|containers?)\b"
                     r"(?:\s*\(FEUs?\))?"), "FEU", "container", 1,
          "Forty-foot containers, kept as stated (FEU).", ("200 40-foot containers", "FEU")),
    _unit("feu_code", _rx(r"\s?FEUs?\b"), "FEU", "container", 1, "FEU.", ("200 FEU", "FEU")),
    _unit("tonnes", _rx(r"[\s-]?(?:metric\s+)?(?:tons?|tonnes?)\b"), "t", "mass", 1,
          "Tons and tonnes (metric tons).", ("4.5 million tons", "t"), ("300 tonnes", "t")),
    _unit("mtpa", _rx(r"\s?mtpa\b"), "t/yr", "mass", 1e6, "Million tonnes per annum.",
          ("a 6 mtpa terminal", "t/yr")),
    _unit("tpa", _rx(r"\s?tpa\b"), "t/yr", "mass", 1, "Tonnes per annum.",
          ("500,000 tpa", "t/yr")),
    _unit("megatonnes", re.compile(r"\s?Mt\b"), "t", "mass", 1e6, "Mt: million tonnes.",
          ("4.5 Mt", "t")),
    _unit("kilotonnes", re.compile(r"\s?kt\b"), "t", "mass", 1e3, "kt: thousand tonnes.",
          ("300 kt", "t")),
    _unit("t", re.compile(r"\s?t\b(?!-)"), "t", "mass", 1, "t: tonnes.", ("2,000 t", "t")),
    _unit("days", _rx(r"[\s-]?(?:days?)\b"), "days", "time", 1, "Days.", ("in 12 days", "days")),
    _unit("hours", _rx(r"[\s-]?(?:hours?|hrs?)\b"), "hours", "time", 1, "Hours.",
          ("6 hours", "hours")),
    _unit("weeks", _rx(r"[\s-]?(?:weeks?)\b"), "weeks", "time", 1, "Weeks.",
          ("3 weeks", "weeks")),
    _unit("minutes", _rx(r"\s?(?:minutes?|mins?)\b"), "minutes", "time", 1, "Minutes.",
          ("40 minutes", "minutes")),
    _unit("km_per_hour", _rx(r"\s?(?:km/h|kph|kilomet(?:er|re)s? (?:per|an) hour)\b"), "km/h",
          "measure", 1, "Speed in km/h.", ("120 km/h", "km/h")),
    _unit("km", _rx(r"[\s-]?(?:kms?|kilomet(?:er|re)s?)\b"), "km", "measure", 1, "Kilometres.",
          ("by around 900 km", "km"), ("covering 8,693 kms", "km")),
    _unit("metres", _rx(r"[\s-]?(?:met(?:er|re)s?\b|m\b(?!\s*(?:tons?|tonnes?|TEUs?|t)\b))"),
          "m", "measure", 1, "Metres ('3m tonnes' is millions).", ("a depth of 16 metres", "m")),
    _unit("mm", _rx(r"[\s-]?(?:mm|millimet(?:er|re)s?)\b"), "mm", "measure", 1, "Millimetres.",
          ("1,520 mm", "mm")),
    _unit("knots", _rx(r"[\s-]?knots?\b"), "knots", "measure", 1, "Knots.",
          ("14 knots", "knots")),
    _unit("passenger_km", _rx(r"[\s-]?(?:passenger[- ]?(?:kilomet(?:er|re)s?|km)|pkm)\b"), "pkm",
          "measure", 1, "Passenger-kilometres.", ("2 billion passenger-km", "pkm")),
    _unit("cubic_metres", _rx(r"\s?(?:cubic\s+met(?:er|re)s?|m3|m³)\b"), "m3", "measure", 1,
          "Cubic metres.", ("500 cubic metres", "m3")),
    _unit("bcm", _rx(r"\s?bcm\b"), "m3", "measure", 1e9, "Billion cubic metres (gas).",
          ("10 bcm", "m3")),
    _unit("square_km", _rx(r"\s?(?:square\s+kilomet(?:er|re)s?|sq\.?\s?km|km2|km²)\b"), "km2",
          "measure", 1, "Square kilometres (not a count of 'units').",
          ("an area of 2,700,000 square kilometers", "km2")),
    _unit("miles", _rx(r"[\s-]?miles?\b"), "mi", "measure", 1, "Miles, kept as stated (not a "
          "count of 'units').", ("the 4,000-mile route", "mi"), ("70 miles southeast", "mi")),
    _unit("square_metres", _rx(r"\s?(?:square\s+met(?:er|re)s?|sq\.?\s?m|m2|m²)\b"), "m2",
          "measure", 1, "Square metres.", ("5,000 square metres", "m2")),
    _unit("hectares", _rx(r"\s?(?:hectares?|ha)\b"), "ha", "measure", 1, "Hectares.",
          ("120 hectares", "ha")),
    _unit("power_energy", re.compile(r"\s?(GW|MW|kW|TWh|GWh|MWh|kWh)\b"), "", "measure", 1,
          "Power and energy symbols, kept as written.", ("2 GW", "GW"), ("300 MWh", "MWh")),
    _unit("gigawatts", _rx(r"[\s-]?gigawatts?\b"), "GW", "measure", 1, "Gigawatts.",
          ("2 gigawatts", "GW")),
    _unit("megawatts", _rx(r"[\s-]?megawatts?\b"), "MW", "measure", 1, "Megawatts.",
          ("300 megawatts", "MW")),
    _unit("barrels", _rx(r"\s?barrels?\b"), "bbl", "measure", 1, "Barrels.",
          ("1,000 barrels", "bbl")),
    _unit("usd", _rx(r"\s?(?:US\s+dollars?|dollars?|USD)\b"), "USD", "money", 1,
          "US dollars named after the number.", ("5 million US dollars", "USD")),
    _unit("eur", _rx(r"\s?(?:euros?|EUR)\b"), "EUR", "money", 1, "Euros.",
          ("10 billion euros", "EUR")),
    _unit("kzt", _rx(r"\s?(?:tenge|KZT)\b"), "KZT", "money", 1, "Kazakh tenge.",
          ("20.7 billion tenge", "KZT")),
    _unit("cny", _rx(r"\s?(?:yuan|renminbi|RMB|CNY)\b"), "CNY", "money", 1, "Chinese yuan.",
          ("300 million yuan", "CNY")),
    _unit("rub", _rx(r"\s?(?:roubles?|rubles?|RUB)\b"), "RUB", "money", 1, "Russian roubles.",
          ("5 billion roubles", "RUB")),
    _unit("tmt", _rx(r"\s?(?:Turkmen\s+)manats?\b|\s?TMT\b"), "TMT", "money", 1,
          "Turkmen manats (before plain 'manat', which is Azerbaijani).",
          ("20 million Turkmen manats", "TMT")),
    _unit("azn", _rx(r"\s?(?:manats?|AZN)\b"), "AZN", "money", 1, "Azerbaijani manats.",
          ("50 million manats", "AZN")),
    _unit("uzs", _rx(r"\s?(?:soums?|UZS)\b"), "UZS", "money", 1, "Uzbek soums.",
          ("1 trillion soums", "UZS")),
    _unit("kgs", _rx(r"\s?(?:soms?|KGS)\b"), "KGS", "money", 1, "Kyrgyz soms.",
          ("2 billion soms", "KGS")),
    _unit("tjs", _rx(r"\s?(?:somoni|TJS)\b"), "TJS", "money", 1, "Tajik somoni.",
          ("100 million somoni", "TJS")),
    _unit("gel", _rx(r"\s?(?:lari|GEL)\b"), "GEL", "money", 1, "Georgian lari.",
          ("40 million lari", "GEL")),
    _unit("try", _rx(r"\s?(?:liras?|TRY)\b"), "TRY", "money", 1, "Turkish lira.",
          ("1 billion liras", "TRY")),
    _unit("gbp", _rx(r"\s?(?:pounds sterling|GBP)\b"), "GBP", "money", 1, "Pounds sterling.",
          ("5 million pounds sterling", "GBP")),
]

def _noun(pattern: str, unit: str, doc: str,
          *example: tuple[str, str]) -> tuple[re.Pattern[str], str]:
    rule = register(Rule(noun_rule(unit), _rx(pattern), Produces(unit, "count"), doc,
                         examples(*example)))
    return rule.pattern, unit


def noun_rule(unit: str) -> str:
    """The rule that counts a noun in `unit` ("train pairs" -> unit.noun_train_pairs)."""
    return "unit.noun_" + unit.replace(" ", "_")


# Countable things; a few modifiers may stand between number and noun
# ("125 container trains", "10 new broad-gauge railway tracks").
COUNT_NOUNS: list[tuple[re.Pattern[str], str]] = [
    _noun(r"pairs?\s+of\s+(?:[\w-]+\s+)?trains\b", "train pairs",
          "Pairs of trains, kept as pairs (converting them is a curation step).",
          ("12 pairs of trains per day", "train pairs/day")),
    _noun(r"trains?(?:\s+services?)?\b", "trains", "Trains and train services (train trips are "
          "trips, as both real labelled sets count them).", ("125 container trains", "trains"),
          ("40 train services", "trains")),
    _noun(r"(?:wagons?|rail\s?cars?|railway\s+cars?|freight\s+cars?|flat\s?cars?"
          r"|(?:gondola|hopper|tank|covered|open|container)\s+cars?|(?:fitting|flat)\s+platforms?)\b",
          "railcars", "Wagons, railcars, flatcars, fitting platforms.",
          ("2,000 wagons", "railcars"), ("150 gondola cars", "railcars")),
    _noun(r"cars\b", "cars", "Cars: railcars in a sentence about trains or wagons, else "
          "vehicles (`unit.cars_by_context`).", ("15 thousand cars", "vehicles")),
    _noun(r"containers?\b", "containers", "Containers (in TEU when the text says so).",
          ("13 thousand containers", "containers")),
    _noun(r"(?:vehicles?)\b", "vehicles", "Vehicles.", ("500 vehicles", "vehicles")),
    _noun(r"locomotives?\b", "locomotives", "Locomotives.", ("40 locomotives", "locomotives")),
    _noun(r"(?:trucks?|lorries|lorry)\b", "trucks", "Trucks and lorries ('41,000 units of "
          "trucks' too).", ("1,200 trucks", "trucks"), ("over 41,000 units of trucks", "trucks")),
    _noun(r"(?:vessels?|ships?(?!-)|tankers?|ferr(?:y|ies)|barges?|feeders?|ro-?(?:ro|pax)s?)\b",
          "vessels", "Ships, ferries, tankers, barges, feeders, ro-ro and ro-pax.",
          ("118 vessels", "vessels"), ("10 more ferries", "vessels")),
    _noun(r"cranes?\b", "cranes", "Cranes.", ("4 cranes", "cranes")),
    _noun(r"(?:(?:border\s+)?crossing\s+points?|checkpoints?)\b", "crossing points",
          "Border crossing points.", ("7 border crossing points", "crossing points")),
    _noun(r"berths?\b", "berths", "Berths.", ("three dry bulk berths", "berths"),
          ("12 berths", "berths")),
    _noun(r"(?:trips?|voyages?|journeys?|(?<=train\s)runs)\b", "trips",
          "Trips, voyages and train runs, also of trains ('19,000 train trips', 'trains "
          "completed 7,349 trips'), as both real labelled sets count them.",
          ("414 voyages", "trips"), ("19,000 China-Europe freight train trips", "trips"),
          ("freight trains completed 7,349 trips", "trips")),
    _noun(r"flights?\b", "flights", "Flights.", ("20 flights", "flights")),
    _noun(r"routes?\b", "routes", "Routes.", ("5 routes", "routes")),
    _noun(r"corridors?\b", "corridors", "Corridors.", ("13 corridors", "corridors")),
    _noun(r"tracks?\b", "tracks", "Tracks.", ("10 new broad-gauge railway tracks", "tracks")),
    _noun(r"jobs?\b", "jobs", "Jobs.", ("2,000 jobs", "jobs")),
    _noun(r"passengers?\b", "passengers", "Passengers.", ("1.1 million passengers", "passengers")),
    _noun(r"(?:people|persons)\b", "people", "People (counted as passengers in a sentence about "
          "passengers; otherwise not figures).", ("300 people and 200 passengers", "passengers")),
    _noun(r"units?\b", "units", "Units.", ("48,300 units", "units")),
    _noun(r"terminals?\b", "terminals", "Terminals.", ("3 terminals", "terminals")),
    # The places and members a network reaches, counted as the second real set counts them
    # (the synthetic sets call the unit `units`; see docs/extraction.md, conventions).
    _noun(r"(?:countries|nations)\b", "countries", "Countries a network reaches or members come "
          "from.", ("229 cities in 26 European countries", "countries"),
          ("over 100 cities in 11 Asian nations", "countries")),
    _noun(r"cities\b", "cities", "Cities a network reaches.",
          ("The network now covers 128 Chinese cities", "cities")),
    _noun(r"(?:companies|firms)\b", "companies", "Member companies of an association.",
          ("The association includes 20 companies", "companies")),
]
GAP_STOP = frozenset((
    "of", "in", "to", "the", "and", "or", "from", "for", "with", "by", "on", "at", "a", "an",
    "was", "were", "is", "are", "has", "have", "had", "that", "which", "per", "than", "more",
    "less", "over", "under", "into", "through", "via", "this", "these", "those", "its",
    "their", "it", "as", "while", "be", "been", "being", "will", "would", "could", "should",
    "may", "might", "can", "also", "about", "around", "nearly", "almost", "some", "up", "down",
    "only", "just", "each", "every", "all", "both",
))
GAP_TOKEN = re.compile(r"\s+([\"“”'‘’(]*[A-Za-z][\w'’.\-–]*[\"“”'‘’),]*)")
PER_TIME = _rx(
    r"\s*(?:per|a|an|each|every|/)\s*(year|annum|yr|day|month|week|hour)\b"
    r"(?!\s+(?:earlier|ago|before|later|on\s+(?:year|a\s+year)|over\s+year)\b|\s+and\s+a\s+half)"
    r"|\s+(annually|yearly|daily|monthly|weekly)\b"
)
ASIDE = re.compile(r"\s*\([^()]{1,40}\)")  # a short aside in brackets after the unit
ANNUAL_OF = _rx(r"\s+of\s+(annual|yearly|monthly|daily|weekly)\b")
PER_SUFFIX = {"year": "/yr", "annum": "/yr", "yr": "/yr", "annually": "/yr", "yearly": "/yr",
              "day": "/day", "daily": "/day", "month": "/month", "monthly": "/month",
              "week": "/week", "weekly": "/week", "hour": "/hour"}
CURRENCY_BEFORE = re.compile(
    r"(US\s?\$|U\.S\.\s?\$|\$|€|£|¥|₸|₽|₼|₺"
    r"|\b(?:USD|EUR|GBP|CNY|RMB|KZT|RUB|AZN|UZS|KGS|TJS|TMT|GEL|TRY))\s?$"
)
SIGN_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₸": "KZT", "₽": "RUB",
                 "₼": "AZN", "₺": "TRY", "RMB": "CNY"}
QUALIFIER = re.compile(r"\s+of\s+([a-z][a-z-]*(?:\s+(?!(?:and|or)\s+(?:more|less|over|"
                       r"about|the|some|around|nearly|almost)\b)[a-z][a-z-]*){0,3})")
QUALIFIER_STOP = frozenset((
    "in", "to", "from", "for", "with", "by", "on", "at", "was", "were", "is", "are", "has",
    "have", "had", "that", "which", "than", "per", "via", "through", "this", "its", "their",
    "the", "a", "an", "during", "since", "over", "under", "into", "across", "along", "between",
    "as", "while", "compared", "against", "up", "down", "worth",
))
GENERIC_GOODS = frozenset({"cargo", "cargoes", "freight", "goods", "shipments", "products"})


def currency_before(text: str, start: int) -> tuple[str, int] | None:
    """ISO code of a currency sign or code just before position `start`, and where it starts."""
    m = CURRENCY_BEFORE.search(text[max(0, start - 8):start])
    if not m:
        return None
    token = m.group(1).replace(" ", "").replace("U.S.", "US")
    code = SIGN_CURRENCY.get(token.removeprefix("US"), token)
    return code, start - (len(text[max(0, start - 8):start]) - m.start())


# "No. 75052 China-Europe freight train": a train's number, not a count.
ID_BEFORE = re.compile(r"(?:\bNo\.|№|#)\s*$")


def read_unit(text: str, number: Number) -> Unit | None:
    """The unit that follows (or, for money, precedes) `number`; None for a bare number."""
    pos = number.end
    if ID_BEFORE.search(text[max(0, number.start - 5):number.start]):
        return None
    if teu := TEU_IN_BRACKETS.match(text, pos):
        return _with_suffix(text, Unit("TEU", "container", pos, teu.end(), 1.0,
                                       rule=IN_TEU_RULE.name), 1.0)
    before = currency_before(text, number.start)
    if before:
        code, start = before
        return _money_rate(text, Unit(code, "money", start, pos, rule=CURRENCY_SIGN.name))
    for rule in DIRECT:
        m = rule.pattern.match(text, pos)
        if not m:
            continue
        made = rule.production(m)
        if number.scale_m and not (made.kind in SCALED and made.unit != "m"):
            # "3m" with no money or tonnes around it is three metres, not three million.
            return _with_suffix(text, Unit("m", "measure", pos, pos, rule=METRES_M.name),
                                1 / number.scale)
        kind = made.kind
        found = Unit(made.unit, kind, pos, m.end(), made.factor, rule=rule.name)
        if kind == "mass":
            found = _with_qualifier(text, found)
        if kind == "money":
            return _money_rate(text, found)
        if kind in UNSUFFIXED:
            return found
        return _with_suffix(text, found, 1.0, allow_of=True)
    if number.scale_m:
        if " " in number.text:  # "a depth of 16 m": metres ("$3m", "3m tonnes" are millions)
            return _with_suffix(text, Unit("m", "measure", pos, pos, rule=METRES_M.name),
                                1 / number.scale)
        return None
    return _count_noun(text, pos, number)


MORE_BEFORE_NOUN = _rx(r"\s+(?:more|additional|extra)(?=\s)")


def _count_noun(text: str, pos: int, number: Number) -> Unit | None:
    gap = 0
    coordinated = via_head = False
    cursor = pos
    more = MORE_BEFORE_NOUN.match(text, pos)
    if more and _count_noun_at(text, more.end()):  # "10 more ferries"
        cursor, gap = more.end(), 1
    while gap <= 4:
        found = _count_noun_at(text, cursor)
        if found:
            unit, end = found
            # "container trains", "container feeder vessels", "container-capable vessels": a
            # noun that modifies a counted noun up to two words on yields to it.
            while nxt := (_head_noun_after(text, end) if unit == "containers"
                          else _count_noun_at(text, end)):
                unit, end = nxt
            if unit in MEMBERS and _names_not_counts(text, number):
                return None
            if text[end - 1] not in "sS" and number.value != 1 \
                    and (plural := MODIFIED_PLURAL.match(text, end)) \
                    and plural.group(1).lower() not in GAP_STOP:
                # "Fourteen freight train gathering centers": the train modifies the noun
                # counted (a gerund, then the plural head), which is outside the list; "80
                # freight train transport routes" count routes, which are in it.
                head = _count_noun_at(text, plural.start(1))
                if head is None:
                    return _other_countable(text, pos, number)
                unit, end = head
                via_head = True
            if number.words and number.value == 1 and text[end - 1] not in "sS" \
                    and not LISTED_BEFORE.search(text[max(0, number.start - 6):number.start]):
                return None  # "one container train": an article, not a count (but "two
                # ferries and one tanker" counts it)
            if unit == "units" and (of := UNITS_OF.match(text, end)) \
                    and (named := _count_noun_at(text, of.end())):
                unit, end = named  # "41,000 units of trucks" are trucks
            if unit in ("containers", "units") and (teu := IN_TEU.match(text, end)):
                # "1,200 containers in TEU", "15,000 units (TEU)": counted in TEU.
                return _with_suffix(text, Unit("TEU", "container", pos, teu.end(), 1.0, gap,
                                               rule=IN_TEU_RULE.name), 1.0)
            rule = noun_rule(unit) + (f"+{COORDINATED_RULE.name}" if coordinated else "") \
                + (f"+{HEAD_AFTER_MODIFIER.name}" if via_head else "")
            found = _with_suffix(text, Unit(unit, "count", pos, end, 1.0, gap, rule=rule), 1.0)
            if "/" not in found.unit and (rate := RATE_BEFORE_NOUN.search(text[pos:end])):
                # "an average of 22 daily China-Europe freight train trips": trips a day
                found = replace(found, unit=found.unit + PER_SUFFIX[rate.group(1).lower()],
                                rule=found.rule + "+" + RATE_BEFORE_NOUN_RULE.name)
            return found
        tok = GAP_TOKEN.match(text, cursor)
        if tok and gap >= 1 and (pair := COORDINATED_MODIFIER.match(text, cursor)) \
                and not text[pos:cursor].rstrip().endswith(("s", ",")):
            cursor = pair.end()  # "956 inbound and outbound freight trains": one modifier
            coordinated = True
            continue
        if not tok or tok.group(1).lower().strip("\"“”'‘’(),") in GAP_STOP:
            break
        if tok.group(1).endswith(","):
            break
        cursor = tok.end()
        gap += 1
    if number.scale > 1 and gap >= 1 and text[pos:cursor].rstrip().endswith("s"):
        # "1.6 million reinforced concrete sleepers": many countable things of no known kind.
        return Unit("units", "count", pos, cursor, 1.0, gap, text[pos:cursor].strip(),
                    MANY_THINGS.name)
    return _other_countable(text, pos, number)


# "22 daily China-Europe freight train trips", "15 weekly trains": a rate word between the number
# and its noun.
RATE_BEFORE_NOUN = re.compile(r"^\s+(daily|weekly|monthly|yearly)\b", re.IGNORECASE)


# "956 inbound and outbound China-Europe freight trains", "import and export containers": two
# modifiers joined by "and" (or "or") before the counted noun are read as one; the word before
# the "and" must not be a plural noun ("5 ports and 3 trains" are two counts).
COORDINATED_MODIFIER = re.compile(r"\s+(?:and|or|&)\s+[a-z][\w-]*[a-rt-z](?=\s)")


# Nouns counted as the second real set counts them, but only as a count: "the two countries"
# names the parties of a sentence, "the top 10 countries" a ranking.
MEMBERS = frozenset({"countries", "cities", "companies"})
THE_BEFORE = _rx(r"\bthe\s+$")
# "train gathering centers", "wagon repair depots": a counted noun, a gerund or a noun, then
# the plural noun that heads the phrase.
MODIFIED_PLURAL = re.compile(r"\s+(?:[a-z]+ing|transport|service|repair|logistics|loading)"
                             r"\s+([a-z][a-z-]*[a-rt-z]s)\b")
LISTED_BEFORE = _rx(r"(?:\band|,)\s+$")


def _names_not_counts(text: str, number: Number) -> bool:
    before = text[max(0, number.start - 12):number.start]
    return bool(LABEL_BEFORE.search(before) or (number.words and THE_BEFORE.search(before)))


UNITS_OF = _rx(r"\s+of\s+(?=\S)")  # "units of trucks"
TEU_IN_BRACKETS = _rx(r"\s*\(TEUs?\)")  # "4135 (TEU) containers"
IN_TEU = _rx(r"\s*(?:(?:in|of)\s+TEUs?\b|\((?:in\s+)?TEUs?(?:\s+equivalents?)?\)"
             r"|in\s+(?:twenty|20)[- ]f(?:oo|ee)t\s+equivalents?\b)")
# Plural words after a number that are not things a figure counts.
NOT_COUNTED = frozenset((
    "years", "decades", "centuries", "months", "weeks", "seconds", "times", "heads", "ways",
    "ones", "others", "things", "aspects", "advantages", "reasons", "sides", "parties",
    "issues", "points", "steps", "kinds", "types", "options", "rounds", "areas", "levels",
    "stages", "phases", "percents", "basis", "terms", "words", "pages", "articles", "is",
    "was", "has", "does", "this", "its", "thus", "plus", "minus", "as", "us", "yes", "less",
    "series", "news", "means", "states", "says", "shows", "includes", "remains", "represents",
    "accounts", "makes", "becomes", "takes", "gives", "seems", "appears", "stands", "marks",
    "reaches", "exceeds", "totals", "amounts", "goes", "comes",
    "emissions", "prices", "rates", "costs", "revenues", "profits", "sales", "exports", "imports",
    # people, organisations, places and papers: counted, but not the figures of a corridor
    "regions", "provinces", "districts", "villages",
    "organizations", "organisations", "participants", "delegates",
    "delegations", "members", "officials", "leaders", "ministers", "representatives",
    "experts", "students", "children", "partners", "persons", "agreements", "documents",
    "memoranda", "memorandums", "contracts", "deals", "projects", "meetings", "visits",
    "events", "talks", "sessions", "forums", "summits", "awards", "votes", "seats",
))
LABEL_BEFORE = re.compile(r"\b(?:top|no\.?|number|phase|article|stage|line|section|chapter"
                          r"|grade|class|category|type|zone|group|gate|route|lot|km)\s*$",
                          re.IGNORECASE)
SUPERLATIVE = re.compile(r"(?:larg|bigg|busi|great|fast|high|small|lead)est", re.IGNORECASE)
PLURAL_WORD = re.compile(r"\s+(?:[A-Za-z][\w’'-]*\s+){0,2}?([a-z][a-z-]*[a-z]s)\b(?![’'-])")


WORD_SHAPE = re.compile(r"[\"“”'‘’(]*[A-Za-z][\w’'-]*")  # a word, perhaps after a quote


def _other_countable(text: str, pos: int, number: Number) -> Unit | None:
    """ "40 locomotives", "2,000 platforms", "12 new stations": a count of things outside the
    noun list, in `units`, the noun kept as the qualifier. Digits only ("two sides" is not a
    figure), whole numbers only, the noun within three words and plural."""
    if number.words or (number.value != int(number.value) and number.scale == 1):
        return None
    if LABEL_BEFORE.search(text[max(0, number.start - 12):number.start]):
        return None  # "one of the top 10 ports", "Phase 2 works"
    m = PLURAL_WORD.match(text, pos)
    if not m:
        return None
    between = text[pos:m.start(1)].split()
    if any(SUPERLATIVE.fullmatch(w) for w in between):
        return None  # "one of the 20 largest ports in the world": a ranking
    if any(w.lower().strip("\"“”'‘’()") in GAP_STOP or w.endswith((",", ";", ":"))
           or not WORD_SHAPE.fullmatch(w) for w in between):
        return None
    noun = m.group(1).lower()
    if noun in NOT_COUNTED or noun.endswith(("ss", "us", "is", "ics")) or len(noun) < 4:
        return None
    words = " ".join([*between, m.group(1)])
    # Counted under its own noun, as both real labelled sets count such things ("2
    # warehouses", "10 new broad-gauge railway tracks"); millions of them stay `units`.
    unit = "units" if number.scale > 1 else noun
    return _with_suffix(text, Unit(unit, "thing", pos, m.end(), 1.0, len(between), words,
                                   OTHER_COUNTABLE.name), 1.0)


MODIFIER_WORD = re.compile(r"(?:-[a-z]+|\s+[a-z][a-z-]*)", re.IGNORECASE)


def _head_noun_after(text: str, pos: int) -> tuple[str, int] | None:
    """The counted noun a noun at `pos` modifies, directly or over up to two words."""
    cursor = pos
    for _ in range(3):
        found = _count_noun_at(text, cursor)
        if found:
            return found
        word = MODIFIER_WORD.match(text, cursor)
        if not word or word.group().strip(" -").lower() in GAP_STOP:
            return None
        cursor = word.end()
    return None


def _count_noun_at(text: str, pos: int) -> tuple[str, int] | None:
    start = _skip_space_and_quotes(text, pos)
    if start == pos and pos > 0 and text[pos - 1].isalnum():
        return None
    for rx, unit in COUNT_NOUNS:
        m = rx.match(text, start)
        if m:
            return unit, m.end()
    return None


def _skip_space_and_quotes(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u00a0\"“”'‘’(":
        pos += 1
    return pos


# "10 million tons of cargo per year": a short "of" phrase before the rate.
OF_BEFORE_RATE = _rx(r"\s+of\s+(?:[a-z-]+\s+){0,2}?[a-z-]+(?=\s*(?:per|a|an|/|annually|yearly"
                     r"|daily|monthly|weekly)\b)")


def _with_suffix(text: str, unit: Unit, factor: float, allow_of: bool = False) -> Unit:
    m = PER_TIME.match(text, unit.end)
    if not m and (annual := ANNUAL_OF.match(text, unit.end)):
        # "10 million tons of annual traffic"
        per = PER_SUFFIX[{"annual": "annually"}.get(annual.group(1).lower(),
                                                    annual.group(1).lower())]
        return replace(unit, unit=unit.unit + per, factor=unit.factor * factor,
                       rule=unit.rule + "+" + PER_TIME_RULE.name)
    if not m and allow_of:
        # "10 million tons of cargo per year": the rate may follow a short "of" phrase.
        of = OF_BEFORE_RATE.match(text[unit.end:])
        if of:
            m = PER_TIME.match(text, unit.end + of.end())
    if not m and (aside := ASIDE.match(text, unit.end)):
        # "300,000 TEU (twenty-foot equivalent units) per year": the rate after an aside.
        m = PER_TIME.match(text, aside.end())
    if not m:
        return replace(unit, factor=unit.factor * factor)
    per = PER_SUFFIX[(m.group(1) or m.group(2)).lower()]
    return replace(unit, unit=unit.unit + per, end=m.end(), factor=unit.factor * factor,
                   rule=unit.rule + "+" + PER_TIME_RULE.name)


PER_THING = _rx(
    r"\s*(?:per|a|an|each|/)\s*(?P<thing>(?:tonnes?|tons?|t)[- ]?(?:km|kilomet(?:er|re)s?)|tkm"
    r"|tonnes?|tons?|t|TEUs?|FEUs?|containers?|wagons?|railcars?"
    r"|cars?|km|kilomet(?:er|re)s?|passengers?|trips?|trains?)\b"
)
THING_SUFFIX = {"tonne": "t", "ton": "t", "t": "t", "teu": "TEU", "feu": "FEU",
                "container": "container", "wagon": "railcar", "railcar": "railcar",
                "car": "railcar", "km": "km", "kilometer": "km", "kilometre": "km",
                "passenger": "passenger", "trip": "trip", "train": "train"}


def per_thing(text: str, pos: int) -> tuple[str, int] | None:
    """ "per tonne", "/TEU", "a wagon" at `pos`: the unit a price is per, and where it ends."""
    m = PER_THING.match(text, pos)
    if not m:
        return None
    thing = m.group("thing").lower()
    if "k" in thing and thing.startswith("t"):
        return "tkm", m.end()
    return THING_SUFFIX.get(thing, THING_SUFFIX.get(thing.rstrip("s"), thing)), m.end()


def _money_rate(text: str, unit: Unit) -> Unit:
    """ "$41.5 per tonne" is USD/t, "$2,600 per TEU" USD/TEU, "$1 billion a year" USD/yr."""
    if per := per_thing(text, unit.end):
        thing, end = per
        return replace(unit, unit=f"{unit.unit}/{thing}", end=end,
                       rule=unit.rule + "+" + PER_THING_RULE.name)
    return _with_suffix(text, unit, 1.0)


def _with_qualifier(text: str, unit: Unit) -> Unit:
    m = QUALIFIER.match(text, unit.end)
    if not m:
        return unit
    words = []
    for w in m.group(1).split():
        if w in QUALIFIER_STOP:
            break
        words.append(w)
    while words and words[-1] in ("and", "or"):
        words.pop()
    if not words or all(w in GENERIC_GOODS for w in words):
        return unit
    return replace(unit, qualifier=" ".join(words))


# Units found by other means than a word straight after the number, as named rules.
def _unit_rule(name: str, pattern: re.Pattern[str] | None, doc: str, *example) -> Rule:
    return register(Rule(f"unit.{name}", pattern, read_unit, doc, examples(*example)))


CURRENCY_SIGN = _unit_rule(
    "currency_before", CURRENCY_BEFORE, "A currency sign or code before the number: '$846 "
    "million', '€10 billion', 'USD1.2bn', 'KZT20.7bn'.", ("$846 million", "USD"),
    ("€10 billion", "EUR"), ("KZT20.7bn", "KZT"))
METRES_M = _unit_rule(
    "metres_m", re.compile(r"\s?m\b"), "A bare 'm' after a number with no money or tonnes "
    "around it is metres: 'a depth of 16 m'.", ("a depth of 16 m", "m"))
IN_TEU_RULE = _unit_rule(
    "containers_in_teu", IN_TEU, "Containers or units counted in TEU: '1,200 containers in "
    "TEU', '15,000 units (TEU)', '18 thousand containers of TEU', '4135 (TEU) containers'.",
    ("1,200 containers in TEU", "TEU"), ("more than 18 thousand containers of TEU", "TEU"),
    ("Thus, 4135 (TEU) containers in the last year", "TEU"),
    ("container transshipment amounted to 7,253 units (TEU equivalent)", "TEU"))
MANY_THINGS = _unit_rule(
    "many_things", None, "Millions of countable things of no known kind: 'units', the noun "
    "kept as the qualifier.", ("1.6 million reinforced concrete sleepers", "units"))
RATE_BEFORE_NOUN_RULE = _unit_rule(
    "rate_before_noun", RATE_BEFORE_NOUN, "A rate word between a number and the noun it counts: "
    "'an average of 22 daily China-Europe freight train trips' is trips/day, '15 weekly trains' "
    "trains/week.", ("an average of 22 daily China-Europe freight train trips", "trips/day"),
    ("The route now has 15 weekly container trains", "trains/week"))
COORDINATED_RULE = _unit_rule(
    "coordinated_modifiers", COORDINATED_MODIFIER, "Two modifiers joined by 'and' before the "
    "counted noun are one: '956 inbound and outbound China-Europe freight trains', '17 inbound "
    "and outbound trains handled daily' (the word before 'and' is not a plural noun).",
    ("956 inbound and outbound China-Europe freight trains", "trains"),
    ("1,200 import and export containers", "containers"))
HEAD_AFTER_MODIFIER = _unit_rule(
    "head_after_modifier", MODIFIED_PLURAL, "A counted noun that modifies another, through a "
    "gerund or a service noun, yields to the plural head: '80 China-Europe freight train "
    "transport routes' are routes ('Fourteen freight train gathering centers' are centers).",
    ("80 China-Europe freight train transport routes", "routes"))
OTHER_COUNTABLE = _unit_rule(
    "other_countable", PLURAL_WORD, "A count of a plural noun outside the noun list, in digits, "
    "not a person, organisation, place, paper or label: counted under its own noun, as both "
    "real sets label such counts ('2 warehouses', '10 new broad-gauge railway tracks'); "
    "millions of them are 'units' (the first set's '1.6 million sleepers').",
    ("40 new platforms", "platforms"), ("over 90 bridges", "bridges"))
PER_TIME_RULE = _unit_rule(
    "per_time", PER_TIME, "A rate after the unit ('per year', 'a day', 'annually', 'of annual "
    "traffic') adds /yr, /day, /month, /week or /hour.", ("6 million tons per year", "t/yr"),
    ("60 trains per day", "trains/day"), ("10 million tons of annual traffic", "t/yr"))
PER_THING_RULE = _unit_rule(
    "per_thing", PER_THING, "A price per thing: '$41.5 per tonne' is USD/t, '$2,600 per TEU' "
    "USD/TEU.", ("$41.5 per tonne", "USD/t"), ("$2,600 per TEU", "USD/TEU"))
