"""Turn the numbers of one sentence into quantities: value, unit, and the role each one plays."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indicators.extract.comparisons import APPROX, with_role
from indicators.extract.numbers import Number, find_numbers, parse_words
from indicators.extract.rules import Rule, examples, register
from indicators.extract.units import (
    AMOUNTS,
    COUNTED,
    PER_SUFFIX,
    PER_TIME,
    RELATIVE,
    TALLIES,
    Unit,
    per_thing,
    read_unit,
)

# Multiples written as one word: "fivefold", "doubled", "tripling".
FOLD_WORD = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred)[- ]?fold\b"
    r"|\b(?P<verb>doubl|tripl|quadrupl|halv)(?:ed|ing|es)\b"
    r"|\b(?:to|will|would|could|should|may|might|can|expected\s+to)\s+(?:more\s+than\s+)?"
    r"(?P<inf>double|triple"
    r"|quadruple|halve)\b|\b(?P<twice>twice)\b(?!\s+(?:a|per)\s)",
    re.IGNORECASE,
)
# Shares and changes written as fractions: "about half of the cargo", "a quarter less",
# "up by a fifth", "three quarters of that amount" (not "the first half of 2025").
FRACTION = re.compile(
    r"\bby\s+(?:about\s+|around\s+|roughly\s+|almost\s+|nearly\s+|more\s+than\s+|over\s+)?"
    r"(?P<fb>(?:a|one)[- ](?:half|quarter|third|fifth|tenth)|half|(?:two|three)[- ](?:thirds"
    r"|quarters))\b"
    r"|(?<!first\s)(?<!second\s)(?<!third\s)(?<!fourth\s)(?<!last\s)\b(?P<fo>half|(?:a|one)[- ]"
    r"(?:quarter|third|fifth|tenth)|(?:two|three)[- ](?:thirds|quarters))(?=\s+of\s+(?:which|them"
    r"|its|their|all|these|those|this\s+amount|that\s+amount|the\s+amount|the\s+cost)\b)"
    r"|(?:\b(?:about|around|roughly|almost|nearly|over|some|more\s+than|less\s+than|just\s+over"
    r"|just\s+under|by|approximately)\s+)(?P<f>(?:a|one)[- ](?:half|quarter|third|fifth|tenth)"
    r"|half|(?:two|three)[- ](?:thirds|quarters))\b(?=\s+(?:of\b(?!\s+(?:the\s+)?(?:year|20\d\d)\b)"
    r"|less|more|lower|higher|fewer|compared|year[- ]on[- ]year)|[,.;]|\s*$)"
    ,
    re.IGNORECASE,
)
FRACTION_VALUE = {"half": 50.0, "quarter": 25.0, "third": 100 / 3, "fifth": 20.0, "tenth": 10.0}
VERB_FACTOR = {"doubl": 2.0, "double": 2.0, "tripl": 3.0, "triple": 3.0, "quadrupl": 4.0,
               "quadruple": 4.0, "halv": 0.5, "halve": 0.5}
RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|—|to|-to-)\s*$")
FROM_TO_BETWEEN = re.compile(
    r"^\s*(?:\([^)]{0,20}\)\s*)?(?:in\s+\S+\s+|[a-z]+\s+){0,2}?to\s+(?:just\s+|only\s+|about\s+|around\s+"
    r"|nearly\s+|almost\s+|over\s+|some\s+|approximately\s+|roughly\s+|a\s+record\s+|more\s+than\s+"
    r"|up\s+to\s+)?$",
    re.IGNORECASE,
)


# Wording the quantity rules test, named once.
# "expanding to 6 million": a bare number that ends in a scale word ...
ENDS_IN_SCALE = re.compile(r"(?:thousand|million|billion|mln|bln|bn|mn)\.?$", re.IGNORECASE)
# ... and ends its phrase takes the unit of the figure before it.
BARE_SCALED_END = re.compile(r"\s*(?:[.,;)]|$|in\b|by\b|and\b|from\b|at\b|this\b)")
# "from the current average of 12 ...": a starting value before "to".
FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:current\s+|present\s+|previous\s+)?"
                         r"(?:average\s+of\s+|level\s+of\s+)?(?:about\s+|around\s+|just\s+"
                         r"|only\s+)?$")
BETWEEN_BEFORE = re.compile(r"\bbetween\s+$")


@dataclass(frozen=True)
class Quantity:
    """A figure found in a sentence, before period, status and indicator are attached.

    role: level (a stock or flow), change (absolute or percentage change), multiple,
    share (a percentage with no change wording), baseline (the value something is compared
    with, or the start of "from X to Y").
    """

    value: float
    unit: str
    kind: str
    start: int
    end: int
    role: str
    number_start: int
    words: bool = False
    gap: int = 0
    qualifier: str = ""
    approx: str = ""
    pair: str = ""  # range-low, range-high, from, to
    value_rule: str = ""  # the number rule that read the value
    unit_rule: str = ""  # the unit rules that gave the unit, joined by "+"
    role_rule: str = ""  # the comparison rule that gave the role (empty for a plain level)


def find_quantities(sentence: str, skip: list[tuple[int, int]],
                    earlier: tuple[str, str] | None = None) -> list[Quantity]:
    """Quantities of one sentence, left to right; bare numbers with no unit are dropped.
    `earlier` is the (unit, kind) of the last figure of the sentences before, which "the
    figure was 21 million" refers back to."""
    numbers = find_numbers(sentence, skip)
    raw: list[tuple[Number, Unit | None]] = []
    consumed = 0
    for n in numbers:
        if n.start < consumed:
            continue  # "twenty" of "twenty-foot equivalent units"
        unit = read_unit(sentence, n)
        raw.append((n, unit))
        consumed = max(n.end, unit.end if unit else n.end)
    for m in FOLD_WORD.finditer(sentence):
        if any(m.start() < e and m.end() > s for s, e in skip) or any(
            n.start <= m.start() < max(n.end, u.end if u else n.end) for n, u in raw
        ):
            continue
        if m.group("twice"):
            value = 2.0
        elif m.group("n"):
            value = parse_words(m.group("n")) or 0.0
        else:
            value = VERB_FACTOR[(m.group("verb") or m.group("inf")).lower()]
        fake = Number(m.start(), m.start(), value, m.group(), True, rule=FOLD_RULE.name)
        raw.append((fake, Unit("x", "multiple", m.start(), m.end(), rule=FOLD_RULE.name)))
    for m in FRACTION.finditer(sentence):
        group = next(g for g in ("f", "fb", "fo") if m.group(g))
        a, b = m.span(group)
        if any(a < e and b > s for s, e in skip) or any(
            u is not None and n.start < b and a < max(n.end, u.end) for n, u in raw
        ):
            continue
        raw = [(n, u) for n, u in raw if not (n.start < b and a < n.end)]  # "three" of it
        word = m.group(group).lower().replace("-", " ")
        fake = Number(a, b, FRACTION_VALUE[word.split()[-1].rstrip("s")]
                      * (3 if word.startswith("three") else 2 if word.startswith("two") else 1),
                      m.group(group), True, rule=FRACTION_RULE.name)
        raw.append((fake, Unit("%", "percent", a, b, rule=FRACTION_RULE.name)))
    raw.sort(key=lambda nu: nu[0].start)

    quantities: list[Quantity | None] = []
    for n, unit in raw:
        if unit is None:
            quantities.append(Quantity(n.value, "", "bare", n.start, n.end, "bare", n.start,
                                       n.words, value_rule=n.rule))
            continue
        start = min(n.start, unit.start)
        q = Quantity(n.value * unit.factor, unit.unit, unit.kind, start, max(n.end, unit.end),
                     "level", n.start, n.words, unit.gap, unit.qualifier,
                     _approx(sentence, start), value_rule=n.rule, unit_rule=unit.rule)
        quantities.append(q)
    for rule in SENTENCE_UNIT_RULES:
        _apply(rule, sentence, quantities)
    _apply(FIGURE_REFERS_BACK, sentence, quantities, earlier)
    quantities = [None if q is not None and (_frames_a_period(sentence, q)
                                             or _not_a_figure(sentence, q)) else q
                  for q in quantities]
    result = _read_with_the_sentence(sentence, [q for q in quantities if q is not None and q.unit])
    return [with_role(sentence, q, result) for q in result]


# "During the 24 days of January turnover was 1,185,306 tons", "for 24 days in January": a
# number of days that frames the period of the figures, not a figure (`PERIOD_FRAME`).
FRAME_BEFORE = re.compile(r"\b(?:during|over|in|for)\s+(?:the\s+)?(?:first\s+)?$", re.IGNORECASE)
FRAME_AFTER = re.compile(
    r"\s*(?:of|in)\s+(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|the\s+year|this\s+year|the\s+month|\d{4})\b", re.IGNORECASE)
FRAME_UNITS = frozenset({"days", "weeks"})


# Numbers a labeller does not take for figures, found on unseen articles (eighth round):
# the length of an event written as a modifier ("the two-day conference"), ...
EVENT_LENGTH_AFTER = re.compile(
    r"\s*(?:international\s+|annual\s+|official\s+|state\s+|working\s+)?(?:conference|forum"
    r"|visit|meeting|summit|exhibition|expo|event|festival|session|workshop|seminar|talks|trip"
    r"|tour|congress|fair)s?\b", re.IGNORECASE)
# ... a frequency ("sailing three times a month, that is every 10 days") ...
EVERY_BEFORE = re.compile(r"\bevery\s+(?:other\s+)?$", re.IGNORECASE)
# ... a company's capital ("Its authorized capital is 16 thousand manats").
CAPITAL_BEFORE = re.compile(r"\b(?:authori[sz]ed|charter|share|statutory)\s+capital\b"
                            r"[^.;\d]{0,20}$", re.IGNORECASE)
DURATIONS = frozenset({"days", "hours", "weeks", "months", "minutes"})


def _not_a_figure(sentence: str, q: Quantity) -> bool:
    """Whether a number is not a figure: an event's length written as a modifier, a
    frequency after "every", a company's capital."""
    if q.unit in DURATIONS:
        if "-" in sentence[q.start:q.end] and EVENT_LENGTH_AFTER.match(sentence, q.end):
            return True
        if EVERY_BEFORE.search(sentence[max(0, q.start - 12):q.start]):
            return True
    return q.kind == "money" and bool(CAPITAL_BEFORE.search(sentence[max(0, q.start - 40):
                                                                       q.start]))


def _frames_a_period(sentence: str, q: Quantity) -> bool:
    """Whether a count of days or weeks only frames the period ("during the 24 days of
    January")."""
    return q.unit in FRAME_UNITS and bool(FRAME_BEFORE.search(sentence[max(0, q.start - 20):
                                                                         q.start])) \
        and bool(FRAME_AFTER.match(sentence, q.end))


def _apply(rule: Rule, sentence: str, qs: list[Quantity | None], *extra) -> None:
    """Run a sentence-level unit rule over the quantities in place; a quantity whose unit it
    changed records the rule."""
    before = [q.unit if q is not None else None for q in qs]
    rule.production(sentence, qs, *extra)
    for i, q in enumerate(qs):
        if q is not None and q.unit and q.unit != before[i]:
            qs[i] = replace(q, unit_rule="+".join(r for r in (q.unit_rule, rule.name) if r))


def _each(fn):
    """An in-place pass made of a function of one quantity."""
    def production(sentence: str, qs: list[Quantity | None]) -> None:
        for i, q in enumerate(qs):
            if q is not None:
                qs[i] = fn(sentence, q)
    production.__doc__ = fn.__doc__
    return production


EXCHANGE_NOTE = re.compile(r"\s*=\s*[\d.,]+")  # "($1 = 498.5 tenge)": an exchange-rate note
EXCHANGE_ONE_BEFORE = re.compile(r"1\s*=\s*$")  # ... and the "$1 =" before it
PASSENGER_WORD = re.compile(r"\bpassengers?\b", re.IGNORECASE)
RAIL_WORD = re.compile(r"\b(?:trains?|wagons?|rail\w*|locomotives?)\b", re.IGNORECASE)
RAILCARS_NAMED = re.compile(r"\b(?:wagons|rail\s?cars|railway\s+cars)\b", re.IGNORECASE)


def _read_with_the_sentence(sentence: str, qs: list[Quantity]) -> list[Quantity]:
    """What the rest of the sentence says about a quantity's noun: "($1 = 498.5 tenge)" is an
    exchange-rate note, not two figures; "1.1 million people" in a sentence about passengers
    are passengers (other counts of people, such as staff, are not the figures of a
    corridor); cars in a sentence about trains or wagons are railcars, other cars vehicles."""
    passengers = bool(PASSENGER_WORD.search(sentence))
    # Cars are railcars by a train, unless the sentence counts railcars by name as well
    # ("56 railcars or 50 cars": the cars are automobiles).
    rail = bool(RAIL_WORD.search(sentence)) and not RAILCARS_NAMED.search(sentence)
    out = []
    for q in qs:
        noun, rate = q.unit.split("/")[0], q.unit[len(q.unit.split("/")[0]):]
        if q.kind == "money" and (EXCHANGE_NOTE.match(sentence, q.end)
                                  or EXCHANGE_ONE_BEFORE.search(sentence[:q.start])):
            continue
        if noun == "cars":
            q = replace(q, unit=("railcars" if rail else "vehicles") + rate,
                        unit_rule=f"{q.unit_rule}+{CARS_RULE.name}")
        elif noun == "people":
            if not passengers:
                continue
            q = replace(q, unit="passengers" + rate, unit_rule=f"{q.unit_rule}+{PEOPLE_RULE.name}")
        out.append(q)
    return out


# "a monthly record of 15,300 TEU" is a month's figure, not a rate.
RATE_PREFIX = re.compile(r"\b(annual|annually|yearly|monthly|daily|weekly)\b"
                         r"(?!\s+(?:record|high|peak|maximum|low)\b)", re.IGNORECASE)
RATE_SUFFIX = {"annual": "/yr", "annually": "/yr", "yearly": "/yr", "monthly": "/month",
               "daily": "/day", "weekly": "/week"}
INCLUDING = re.compile(r"\b(?:including|of\s+which(?:\s+[a-z-]+){0,4}?(?:\s+(?:about|around|some"
                       r"|nearly|almost|over))?|among\s+them|incl\.)\s*$", re.IGNORECASE)


def _inherit_scaled_bare(sentence: str, qs: list[Quantity | None]) -> None:
    """ "4 million tons a year, with the prospect of expanding to 6 million": a bare number
    with a scale word and no noun after it counts in the unit of the figure before it; with
    none before it, in that of a figure it is coordinated with ("increased to around one
    million by the yearend and up to 1,660 thousand TEU by 2025")."""
    previous: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None:
            continue
        if q.kind == "bare":
            scaled = ENDS_IN_SCALE.search(sentence[q.number_start:q.end])
            follows = sentence[q.end:q.end + 12]
            nxt = next((b for b in qs[i + 1:] if b is not None), None)
            if previous is not None and scaled and BARE_SCALED_END.match(follows):
                qs[i] = replace(q, unit=previous.unit, kind=previous.kind, role="level")
            elif previous is None and scaled and nxt is not None and nxt.kind in COUNTED \
                    and AND_UP_TO.fullmatch(sentence[q.end:nxt.start]):
                qs[i] = replace(q, unit=nxt.unit, kind=nxt.kind, role="level")
            continue
        if q.kind in AMOUNTS:
            previous = q


# "... one million by the yearend and up to 1,660 thousand TEU": coordinated targets.
AND_UP_TO = re.compile(r"[^.;:\d]{0,40}?\band\s+(?:up\s+)?to\s+(?:about\s+|around\s+)?",
                       re.IGNORECASE)
BARE_CHANGE_AFTER = re.compile(r"\s+(?:more|fewer|less)\s+than\b", re.IGNORECASE)


def _inherit_bare_change(sentence: str, qs: list[Quantity | None]) -> None:
    """ "1,200 container trains, 300 more than a year earlier": a bare number followed by
    "more/fewer than" is a change in the unit of the figure before it."""
    previous: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None:
            continue
        if q.kind == "bare" and previous is not None and not q.words \
                and BARE_CHANGE_AFTER.match(sentence, q.end):
            qs[i] = replace(q, unit=previous.unit, kind=previous.kind, role="level")
        elif q.kind in AMOUNTS:
            previous = q


# "followed by Chongqing with a combined 5,200 and Yiwu with 2,400": a ranking in one unit.
BARE_LIST_BEFORE = re.compile(r"\bwith\s+(?:a\s+combined\s+|a\s+total\s+of\s+|about\s+|around\s+"
                              r"|some\s+|nearly\s+)?$", re.IGNORECASE)
FROM_BETWEEN = re.compile(r"\s*from\s+(?:about\s+|around\s+)?", re.IGNORECASE)  # "to 7 from 5"
BARE_COMPARED_BEFORE = re.compile(
    r"\b(?:compared\s+(?:with|to)|against|versus|vs\.?|up\s+from|down\s+from|as\s+against)\s+"
    r"(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|only\s+|just\s+)?$",
    re.IGNORECASE,
)


def _inherit_compared_bare(sentence: str, qs: list[Quantity | None]) -> None:
    """ "118 vessels called at Aktau, compared with 131 in June 2024": the compared number
    counts in the unit of the figure before it."""
    previous: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None:
            continue
        if q.kind == "bare" and previous is not None and not q.words and (
                BARE_COMPARED_BEFORE.search(sentence[max(0, q.start - 30):q.start])
                or BARE_LIST_BEFORE.search(sentence[max(0, q.start - 40):q.start])
                or FROM_BETWEEN.fullmatch(sentence[previous.end:q.start])):
            qs[i] = replace(q, unit=previous.unit, kind=previous.kind, role="level")
        elif q.kind in AMOUNTS:
            previous = q


NUMBER_OF = re.compile(r"\bnumber\s+of\b", re.IGNORECASE)
# "Transshipment of wagons ... increased by 12.6% up to 13,788 units": a count in "units" counts
# the noun of the nearest "number of", "transshipment of", "transportation of" before it.
UNITS_OF = re.compile(r"\b(?:number|transshipments?|transportation|shipments?|handling)\s+of\b",
                      re.IGNORECASE)
RATE_BEFORE_NUMBER_OF = re.compile(r"\b(daily|weekly|monthly|yearly)\s+$", re.IGNORECASE)
# "— vessels handled: 812", "Ferry calls at both ports: 414", "Its locomotive fleet of 410 units",
# "the freight wagon fleet stood at 136,800 units": the counted noun stands before the number.
LABEL_COLON = re.compile(r"([A-Za-z][A-Za-z -]{0,40}):\s*$")
FLEET_BEFORE = re.compile(r"\b([a-z]+)\s+(?:fleet|park|stock)\b[^.;:\d]{0,30}$", re.IGNORECASE)


def _counted_by_label(sentence: str, qs: list[Quantity | None]) -> None:
    """A number after a label or a fleet names the noun counted: "Ferry calls at both ports:
    414", "the freight wagon fleet stood at 136,800 units"."""
    for i, q in enumerate(qs):
        if q is None or not (q.kind == "bare" or q.unit.split("/")[0] == "units"):
            continue
        before = sentence[max(0, q.start - 50):q.start]
        label = LABEL_COLON.search(before) if q.kind == "bare" else None
        fleet = FLEET_BEFORE.search(before)
        words = (label.group(1) if label else fleet.group(1) if fleet else "").split()
        for w in words:
            found = _count_noun_word(w)
            if found:
                qs[i] = replace(q, unit=found + q.unit[len("units"):] if q.unit else found,
                                kind="count", role="level", qualifier="")
                break


def _count_noun_word(word: str) -> str | None:
    probe = " " + word
    found = read_unit(probe, Number(0, 0, 1.0, ""))
    return found.unit if found is not None and found.kind == "count" \
        and found.unit not in ("units", "trips") else None


SEMICOLON_OR_COLON = re.compile(r"[;:]")  # "the number of" reaches no further back
RANGE_AFTER_BARE = re.compile(r"\s*(?:-|–|to)\s*\d")  # "7, and ... 12-14 hours"


def _number_of(sentence: str, q: Quantity) -> Quantity:
    """ "the number of container trains reached 125": the count's noun comes before it."""
    if q.kind != "bare" and not (q.kind == "count" and q.unit.split("/")[0] == "units"):
        return q  # "the number of registered trucks rose to 48,300 units" counts trucks
    window_start = max(0, q.start - 160)
    window = SEMICOLON_OR_COLON.split(sentence[window_start:q.start])[-1]
    found = list((NUMBER_OF if q.kind == "bare" else UNITS_OF).finditer(window))
    if not found:
        return q
    m = found[-1]  # "the number of wagons was 22,201 and the number of vehicles was 28,491"
    offset = q.start - len(window) + m.end()
    if q.kind == "bare" and RANGE_AFTER_BARE.match(sentence[q.end:q.end + 6]):
        return q  # "the number of ferries rose to 7, and each crossing takes 12-14 hours"
    probe = Number(offset, offset, 1.0, "")
    unit = read_unit(sentence, probe)
    if unit is None or unit.kind != "count":
        return q
    noun = unit.unit.split("/")[0]
    if q.kind == "count":
        return replace(q, unit=noun + q.unit[len("units"):], qualifier="")
    rate = PER_TIME.match(sentence, q.end)  # "the number of trains averaged 24 per day"
    suffix = PER_SUFFIX[(rate.group(1) or rate.group(2)).lower()] if rate else ""
    if not suffix and (daily := RATE_BEFORE_NUMBER_OF.search(window[:m.start()])):
        suffix = PER_SUFFIX[daily.group(1).lower()]  # "the average daily number of trains"
    return replace(q, unit=noun + suffix, kind="count", role="level",
                   gap=unit.gap + 1, end=rate.end() if rate else q.end)


RATE_PREFIX_BREAK = re.compile(r"[;:,(]")  # "annual ..." reaches a figure within its phrase


def _with_rate_prefix(sentence: str, q: Quantity) -> Quantity:
    """ "annual capacity of 10 million tons", "the monthly turnover averages 450 thousand tons"."""
    if q.kind not in TALLIES or "/" in q.unit:
        return q
    window = RATE_PREFIX_BREAK.split(sentence[max(0, q.start - 80):q.start])[-1]
    words = window.split()[-8:]
    m = RATE_PREFIX.search(" ".join(words))
    if not m:
        return q
    return replace(q, unit=q.unit + RATE_SUFFIX[m.group(1).lower()])


LIST_GOES_ON = re.compile(r"[^.;:\d]{0,40}?\b(?:and|,)\s*")  # "5 railways and 8 roads"


def _inherit_after_including(sentence: str, qs: list[Quantity | None]) -> None:
    """A breakdown after "including" is in its total's unit and rate: "13 corridors, including
    5 railways and 8 roads"; "six million tons per year, including 100,000 TEUs"."""
    head: Quantity | None = None
    last_end = 0
    in_list = False
    for i, q in enumerate(qs):
        if q is None:
            continue
        between = sentence[last_end:q.start]
        opens = len(between) < 150 and INCLUDING.search(between)
        continues = in_list and LIST_GOES_ON.fullmatch(between)
        if head is not None and (opens or continues):
            in_list = True
            if q.kind == "bare" or (q.kind == "thing" and head.kind in ("count", "thing")):
                qs[i] = replace(q, unit=head.unit, kind=head.kind, role="level")
            elif "/" in head.unit and "/" not in q.unit and q.kind != "percent":
                qs[i] = replace(q, unit=q.unit + "/" + head.unit.split("/", 1)[1])
        else:
            in_list = False
            head = q if q.kind not in RELATIVE else None
        last_end = q.end


PER_TIME_AT_END = re.compile(r"(?:\b(?:per|a|an|each)\s+(?:year|annum|month|day|week)"
                             r"|annually|yearly|monthly|daily|weekly|/\s*(?:year|yr|day|month))$",
                             re.IGNORECASE)
RATE_AND = re.compile(r"(?:\s+of\s+[a-z][a-z -]{0,30}?)?,?\s+(?:and|as\s+well\s+as|plus)\s+"
                      r"(?:about\s+|around\s+|over\s+|some\s+|nearly\s+|up\s+to\s+)?",
                      re.IGNORECASE)


def _share_rate(sentence: str, qs: list[Quantity | None]) -> None:
    """ "an annual capacity of 15 million tons of cargo and 100,000 TEU": the second figure
    of the pair is a yearly rate too."""
    for i in range(1, len(qs)):
        a, b = qs[i - 1], qs[i]
        if a is None or b is None or "/" not in a.unit or "/" in b.unit \
                or b.kind not in TALLIES:
            continue
        if RATE_AND.fullmatch(sentence, a.end, b.start):
            qs[i] = replace(b, unit=b.unit + "/" + a.unit.split("/", 1)[1])
    for i in range(len(qs) - 1):
        # "a capacity of 600,000 TEU and 8 million tonnes a year": the rate after the second
        # figure is the first one's too.
        a, b = qs[i], qs[i + 1]
        if a is None or b is None or "/" in a.unit or "/" not in b.unit \
                or a.kind not in COUNTED \
                or b.kind not in COUNTED:
            continue
        if RATE_AND.fullmatch(sentence, a.end, b.start) and PER_TIME_AT_END.search(
                sentence[b.number_start:b.end]):
            qs[i] = replace(a, unit=a.unit + "/" + b.unit.split("/", 1)[1])


MONEY_COMPARED = re.compile(r"\b(?:from|compared\s+(?:with|to)|against|versus|vs\.?)\s+"
                           r"(?:about\s+|around\s+|some\s+)?\S?$", re.IGNORECASE)


def _inherit_money_rate(sentence: str, qs: list[Quantity | None]) -> None:
    """ "$41.5 per tonne from $38.9 a year ago": the compared price is per tonne too."""
    priced: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None or q.kind != "money":
            continue
        if "/" in q.unit:
            priced = q
        elif priced is not None and priced.unit.split("/")[0] == q.unit \
                and MONEY_COMPARED.search(sentence[max(0, q.start - 30):q.start + 1]):
            qs[i] = replace(q, unit=priced.unit)


def _approx(sentence: str, start: int) -> str:
    m = APPROX.search(sentence[max(0, start - 25):start])
    return " ".join(m.group("q").lower().split()) if m else ""


FROM_JUST_BEFORE = re.compile(r"\bfrom\s+$")
AND_ONLY = re.compile(r"\s*and\s*")  # "between 8 and 10 days"
BY_JUST_BEFORE = re.compile(r"\bby\s+$")  # "increased by 200 to 1,500 trains"
TO_ONLY = re.compile(r"\s*to\s*")
TO_WORD = re.compile(r"\bto\b")


def _pair_ranges(sentence: str, qs: list[Quantity | None]) -> None:
    """Join "8-10 days", "between 8 and 10 days" and "from 12 to 60 trains" in place."""
    for i in range(len(qs) - 1):
        a, b = qs[i], qs[i + 1]
        if a is None or b is None or a.pair:
            continue
        if b.kind == "bare" and a.kind == "money" and "/" not in a.unit \
                and RANGE_BETWEEN.match(sentence[a.end:b.start]):
            # "$1,900-2,300 per TEU": the second end has the currency of the first, and a
            # price unit after it is both ends'.
            per = per_thing(sentence, b.end)
            rate = PER_TIME.match(sentence, b.end) if not per else None
            unit = (f"{a.unit}/{per[0]}" if per else
                    a.unit + PER_SUFFIX[(rate.group(1) or rate.group(2)).lower()] if rate
                    else a.unit)
            per = per or ((None, rate.end()) if rate else None)
            scale = next((s for s in (1e9, 1e6, 1e3) if b.value >= s and a.value < 1000
                          and a.value * s <= b.value), 1.0)  # "$100-200 million"
            qs[i] = replace(a, unit=unit, pair="range-low", value=a.value * scale)
            qs[i + 1] = replace(b, unit=unit, kind="money", role="level", pair="range-high",
                                end=per[1] if per else b.end)
            continue
        if b.kind == "bare":
            # "from 50 trains in 2022 to 133 in 2023": the second end borrows the unit.
            if a.unit and FROM_JUST_BEFORE.search(sentence[max(0, a.start - 12):a.start]) \
                    and FROM_TO_BETWEEN.match(sentence[a.end:b.start]):
                qs[i] = replace(a, pair="from")
                qs[i + 1] = replace(b, unit=a.unit, kind=a.kind, role="level", pair="to")
            continue
        if a.unit and a.unit.split("/")[0] != b.unit.split("/")[0] and a.kind != "time":
            continue
        between = sentence[a.end:b.start]
        before = sentence[max(0, a.start - 30):a.start].lower()
        from_before = FROM_BEFORE.search(before)
        between_before = BETWEEN_BEFORE.search(before)
        # "from 0.8 million tons to 4.5 million tons annually": the rate applies to both.
        unit, kind = (a.unit, a.kind) if a.kind == "time" else (b.unit, b.kind)
        b_unit = a.unit if "/" in a.unit and "/" not in b.unit else b.unit
        unit = a.unit if "/" in a.unit else unit
        value = a.value * _scale_like(a, b)
        if from_before and FROM_TO_BETWEEN.match(between):
            qs[i] = replace(a, value=value, unit=unit, kind=kind, role="level", pair="from")
            qs[i + 1] = replace(b, unit=b_unit, pair="to")
        elif (between_before and AND_ONLY.fullmatch(between)) or (
            RANGE_BETWEEN.match(between)
            and not (BY_JUST_BEFORE.search(before) and TO_WORD.search(between)
                     and not (a.words and b.words))  # "by seven to eight days" is a range
            and value <= b.value and (not a.unit or not TO_WORD.search(between))
        ):
            qs[i] = replace(a, value=value, unit=unit, kind=kind, role="level",
                            pair="range-low")
            qs[i + 1] = replace(b, unit=b_unit, pair="range-high")
        elif not a.unit and not a.words and BY_JUST_BEFORE.search(before) \
                and TO_ONLY.fullmatch(between) and b.kind in COUNTED:
            # "increased by 200 to 1,500 trains": a change of 200 trains, reaching 1,500
            qs[i] = replace(a, value=value, unit=b.unit, kind=b.kind, role="level")


def _coordinated_bare(sentence: str, qs: list[Quantity | None]) -> None:
    """ "up 49.5 and 54.04 percent", "rose by 12 and 15 percent respectively": a bare number
    joined by "and" to a figure with a unit is a figure in that unit (not a range: "between 8
    and 10 days" is one)."""
    for i in range(len(qs) - 1):
        a, b = qs[i], qs[i + 1]
        if a is None or b is None or a.kind != "bare" or a.unit or a.words or a.pair \
                or b.kind in ("bare", "money") or not b.unit:
            continue
        if AND_ONLY.fullmatch(sentence[a.end:b.start]) and not BETWEEN_BEFORE.search(
                sentence[max(0, a.start - 30):a.start].lower()):
            qs[i] = replace(a, unit=b.unit, kind=b.kind, role="level")


def _scale_like(a: Quantity, b: Quantity) -> float:
    # "1.5-2 million tons": the first end borrows the scale of the second.
    if a.unit or a.value == 0 or b.value / a.value < 1000:
        return 1.0
    for scale in (1e9, 1e6, 1e3):
        if b.value >= scale and a.value < 1000 and a.value * scale <= b.value * 1.0:
            return scale
    return 1.0


# Multiples and fractions written as words, as named number rules (find_quantities reads them).
FOLD_RULE = register(Rule(
    "number.fold_word", FOLD_WORD, None, "Multiples in one word: 'fivefold', 'doubled', "
    "'tripling', 'twice', 'to double': a value in x.",
    examples(("grew fivefold", "5"), ("volumes doubled", "2"), ("twice as many", "2"))))
FRACTION_RULE = register(Rule(
    "number.fraction", FRACTION, FRACTION_VALUE, "Fractions as percentages: 'about half of the "
    "cargo' is 50, 'a quarter less' 25, 'three quarters of that amount' 75 ('the first half "
    "of 2025' is a period).",
    examples(("about half of the cargo", "50"), ("about three quarters of the cargo", "75"),
             ("about a quarter less", "-25"), ("up by a fifth", "20"))))


DURATION_BEFORE = re.compile(r"\b(?:within|in|take|takes|taking|last|lasts)\s+(?:the\s+next\s+)?"
                             r"(?:about\s+|around\s+|up\s+to\s+)?$", re.IGNORECASE)
YEARS_AFTER = re.compile(r"\s*(?:years?)\b(?!\s+(?:ago|earlier|old|of|before|after)\b)",
                         re.IGNORECASE)


def _duration_alone(sentence: str, qs: list[Quantity | None]) -> None:
    """ "will be built within five years", "self-sustaining within 15-20 years", "in 30 years,
    this railway could extend to the sea", "is planned to take five years": a span of years
    ahead that is the sentence's only figure is a duration in `years`. Beside another figure
    ("three million tons within the next five years") it is that figure's period, and "in the
    past five years" is a period."""
    if any(q is not None and q.unit for q in qs):
        return
    for i, q in enumerate(qs):
        if q is None or q.kind != "bare":
            continue
        years = YEARS_AFTER.match(sentence, q.end)
        nxt = next((b for b in qs[i + 1:] if b is not None), None)
        ranged = nxt is not None and RANGE_BETWEEN.match(sentence[q.end:nxt.start]) \
            and YEARS_AFTER.match(sentence, nxt.end)
        if not (years or ranged) or not DURATION_BEFORE.search(sentence[:q.number_start]):
            continue
        qs[i] = replace(q, unit="years", kind="time", role="level")
        if ranged:
            qs[i + 1] = replace(nxt, unit="years", kind="time", role="level")


WHICH_IS = re.compile(r",?\s*(?:which\s+is|that\s+is|i\.e\.|or)\s+(?:about\s+|around\s+"
                      r"|up\s+to\s+|some\s+)?$", re.IGNORECASE)


def _equivalent_takes_rate(sentence: str, qs: list[Quantity | None]) -> None:
    """ "We process 10-12 trains per day, which is 500 containers": the same flow restated in
    another unit is at the same rate."""
    previous: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None:
            continue
        if (previous is not None and "/" in previous.unit and "/" not in q.unit
                and q.kind in TALLIES and WHICH_IS.search(sentence[previous.end:q.start])):
            qs[i] = replace(q, unit=q.unit + previous.unit[previous.unit.index("/"):])
        if q.unit:
            previous = q


WORD = re.compile(r"[A-Za-z]+")


# "24 trains passed through the port daily", "one million tons are transported via the
# Baku-Tbilisi-Kars (BTK) railway monthly", "a dozen trains depart from the terminal each week".
RATE_CLOSES = re.compile(r"^[^\d,;:.]{1,70}?\s(?:(daily|annually|yearly|weekly|monthly)"
                         r"|(?:each|every|per)\s+(day|week|month|year))\b"
                         r"(?=\s*[,.;]|\s*$|\s+\w+ing\b)", re.IGNORECASE)
# "Two express trains and over a dozen regular trains depart ... each week": both are weekly.
AND_COUNT = re.compile(r"\s*\w*\s+and\s+(?:[a-z]+\s+){0,3}$", re.IGNORECASE)
RATE_OF_PERIOD = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}
BARE_RATE = re.compile(r"\s*(?:per|a|an|each)\s+(day|year|week|month)\b", re.IGNORECASE)
OR_EQUIVALENT = re.compile(r",?\s*(?:or|which\s+is)\s+(?:about\s+|around\s+|more\s+than\s+|over\s+"
                           r"|nearly\s+|almost\s+|some\s+)?$", re.IGNORECASE)


def _rate_closes_clause(sentence: str, qs: list[Quantity | None]) -> None:
    """ "On average, 24 trains passed through the port daily": a rate word that closes the
    clause of a count is its rate; "12.3 thousand trucks crossed in March, or more than 400 a
    day": a bare number with a rate, restating a count, counts the same noun per day."""
    previous: Quantity | None = None
    for i, q in enumerate(qs):
        if q is None:
            continue
        if q.kind in COUNTED and "/" not in q.unit:
            nxt = next((b.start for b in qs[i + 1:] if b is not None), len(sentence))
            m = RATE_CLOSES.match(sentence[q.end:nxt])
            if m:
                word = (m.group(1) or RATE_OF_PERIOD[m.group(2).lower()]).lower()
                qs[i] = replace(q, unit=q.unit + RATE_SUFFIX[word])
                j = next((k for k in range(i - 1, -1, -1) if qs[k] is not None), None)
                if j is not None and qs[j].unit == q.unit \
                        and AND_COUNT.fullmatch(sentence[qs[j].end:q.start]):
                    qs[j] = replace(qs[j], unit=q.unit + RATE_SUFFIX[word])
        elif q.kind == "bare" and previous is not None and "/" not in previous.unit \
                and (rate := BARE_RATE.match(sentence, q.end)) \
                and OR_EQUIVALENT.search(sentence[previous.end:q.start]):
            suffix = {"day": "/day", "year": "/yr", "week": "/week", "month": "/month"}
            qs[i] = replace(q, unit=previous.unit + suffix[rate.group(1).lower()],
                            kind=previous.kind, role="level")
        if q.unit and q.kind in COUNTED:
            previous = qs[i]


def _words_before(sentence: str, pos: int, n: int = 3) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD.findall(sentence[max(0, pos - 40):pos])[-n:])


def _parallel_clause_borrows(sentence: str, qs: list[Quantity | None]) -> None:
    """ "In 2027, there will be 1,000 container trains, and in 2029, there will be 2,000": a
    bare number after the same three words as an earlier figure counts in its unit."""
    for i, q in enumerate(qs):
        if q is None or q.kind != "bare":
            continue
        words = _words_before(sentence, q.number_start)
        if len(words) < 3:
            continue
        for earlier in qs[:i]:
            if (earlier is not None and earlier.kind in TALLIES
                    and _words_before(sentence, earlier.number_start) == words):
                qs[i] = replace(q, unit=earlier.unit, kind=earlier.kind, role="level")
                break


# "In 2008 the figure was 21 million", "this indicator amounted to 311": a bare number stated
# as the value of "the figure" counts in the unit of the figure it refers back to.
FIGURE_WAS = re.compile(
    r"\b(?:the|this|that)\s+(?:figure|indicator)\s+(?:was|is|stood\s+at|amounted\s+to|reached"
    r"|totall?ed|made|came\s+to)\s+(?:about\s+|around\s+|over\s+|nearly\s+|almost\s+"
    r"|more\s+than\s+|some\s+|only\s+|just\s+)?$", re.IGNORECASE)


def _figure_refers_back(sentence: str, qs: list[Quantity | None],
                        earlier: tuple[str, str] | None = None) -> None:
    """ "In 2007 Georgia transported 2 million tonnes. In 2008 the figure was 21 million.": a
    bare number after "the figure was" takes the unit of the figure before it, in the sentence
    or, failing that, in the sentences before."""
    previous = earlier
    for i, q in enumerate(qs):
        if q is None:
            continue
        if q.kind == "bare" and previous is not None \
                and FIGURE_WAS.search(sentence[max(0, q.start - 60):q.start]):
            qs[i] = replace(q, unit=previous[0], kind=previous[1], role="level")
        elif q.kind in AMOUNTS and q.unit:
            previous = (q.unit, q.kind)


def _unit_pass(name: str, production, *example) -> Rule:
    return register(Rule(f"unit.{name}", None, production, production.__doc__ or "",
                         examples(*example)))


# Sentence-level unit rules, in the order they run: each may give a quantity the unit (or the
# rate) that another figure of the sentence states.
SENTENCE_UNIT_RULES: list[Rule] = [
    _unit_pass("coordinated_number", _coordinated_bare,
               ("up 49.5 and 54.04 percent from the same time of last year", "%"),
               ("The number of trains totaled 444, up 49.5 and 54.04 percent", "%")),
    _unit_pass("number_of", _each(_number_of),
               ("the number of container trains reached 125", "trains"),
               ("the number of wagons fell, while the number of vehicles was 28,491",
                "vehicles"),
               ("the average daily number of freight trains remained at 17", "trains/day"),
               ("Transshipment of wagons at the ferry terminal rose by 12.6% to 13,788 units.",
                "railcars")),
    _unit_pass("rate_prefix", _each(_with_rate_prefix),
               ("an annual capacity of 10 million tons", "t/yr")),
    _unit_pass("scaled_bare_borrows", _inherit_scaled_bare,
               ("4 million tons a year, with the prospect of expanding to 6 million", "t/yr")),
    _unit_pass("bare_change_borrows", _inherit_bare_change,
               ("1,200 container trains, 300 more than a year earlier", "trains")),
    _unit_pass("counted_by_label", _counted_by_label,
               ("Ferry calls at both ports: 414", "vessels")),
    _unit_pass("compared_bare_borrows", _inherit_compared_bare,
               ("118 vessels called at Aktau, compared with 131 in June 2024", "vessels")),
    _unit_pass("after_including", _inherit_after_including,
               ("13 corridors, including 5 railways and 8 roads", "corridors")),
    _unit_pass("shared_rate", _share_rate,
               ("an annual capacity of 15 million tons of cargo and 100,000 TEU", "TEU/yr")),
    _unit_pass("compared_price", _inherit_money_rate,
               ("to $41.5 per tonne from $38.9 a year ago", "USD/t")),
    _unit_pass("parallel_clause", _parallel_clause_borrows,
               ("In 2027, there will be 1,000 container trains, and in 2029, there will be 2,000",
                "trains")),
    _unit_pass("duration_alone", _duration_alone,
               ("The railway will be built within five years.", "years"),
               ("Construction is planned to take five years.", "years"),
               ("The project is expected to pay for itself within 15-20 years.", "years")),
    _unit_pass("equivalent_rate", _equivalent_takes_rate,
               ("We process 10-12 trains per day, which is 500 containers.", "containers/day")),
    _unit_pass("rate_closes_clause", _rate_closes_clause,
               ("On average, 24 trains passed through the port daily.", "trains/day"),
               ("About one million tons of cargo are carried via the Baku-Tbilisi-Kars (BTK) "
                "railway monthly.", "t/month"),
               ("Two express trains depart from the terminal each week.", "trains/week"),
               ("Two express trains and a dozen regular trains leave each week, carrying goods.",
                "trains/week"),
               ("12.3 thousand trucks crossed in March, or more than 400 a day", "trucks/day")),
    _unit_pass("range_pair", _pair_ranges,
               ("from 12 to 60 trains per day", "trains/day"), ("8-10 days", "days")),
]
FIGURE_REFERS_BACK = _unit_pass(
    "figure_refers_back", _figure_refers_back,
    ("In 2007 Georgia transported 2 million tonnes of cargo. In 2008 the figure was 21 million.",
     "t"))
CARS_RULE = register(Rule(
    "unit.cars_by_context", RAIL_WORD, None, "Cars in a sentence about trains, wagons or rail "
    "are railcars; other cars are vehicles.",
    examples(("One container train of 45 to 50 cars is reloaded in 55 minutes", "railcars"),
             ("The ships delivered about 4 thousand containers and over 15 thousand cars",
              "vehicles"))))
PEOPLE_RULE = register(Rule(
    "unit.people_as_passengers", PASSENGER_WORD, None, "People in a sentence about passengers "
    "are passengers (other counts of people are not figures).",
    examples(("The ferry carried 1.1 million people, up from 0.9 million passengers",
              "passengers"))))
