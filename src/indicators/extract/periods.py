"""Find the time periods a sentence speaks of and write them in the figures' period notation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from indicators.extract.numbers import parse_words
from indicators.extract.rules import Rule, examples, register

MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# Month names only count when capitalised: "may" is a verb, "march" a noun.
MONTH = (r"(?-i:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?)")
YEAR = r"(?:19[5-9]\d|20\d\d)"
YEARREF = (rf"(?:{YEAR}|this\s+year|the\s+current\s+year|current\s+year|last\s+year"
           r"|the\s+previous\s+year|next\s+year)")
ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
ORD_RX = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
COUNT = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"


# A reference date as text: "2025", "2025-03", "2025-03-05".
DATE_TEXT = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class Span:
    """A run of whole months, from (y1, m1) to (y2, m2) inclusive."""

    y1: int
    m1: int
    y2: int
    m2: int

    @classmethod
    def year(cls, y: int) -> Span:
        return cls(y, 1, y, 12)

    @classmethod
    def months(cls, y: int, m1: int, m2: int) -> Span:
        return cls(y, m1, y, m2)

    def shift(self, years: int) -> Span:
        return Span(self.y1 + years, self.m1, self.y2 + years, self.m2)

    @property
    def is_year(self) -> bool:
        return self.y1 == self.y2 and (self.m1, self.m2) == (1, 12)

    @property
    def first_year(self) -> Span:
        return Span.year(self.y1)

    @property
    def last_year(self) -> Span:
        return Span.year(self.y2)

    def text(self) -> str:
        """In the notation of the figures CSV: 2024, 2024-Q1, 2024-H1, 2024-09, A/B."""
        if self.y1 == self.y2:
            y, a, b = self.y1, self.m1, self.m2
            if a == b:
                return f"{y}-{a:02d}"
            if (a, b) == (1, 12):
                return f"{y}"
            if b - a == 2 and a % 3 == 1:
                return f"{y}-Q{(a + 2) // 3}"
            if b - a == 5 and a in (1, 7):
                return f"{y}-H{(a + 5) // 6}"
        elif (self.m1, self.m2) == (1, 12):
            return f"{self.y1}/{self.y2}"
        return f"{self.y1}-{self.m1:02d}/{self.y2}-{self.m2:02d}"


@dataclass(frozen=True)
class RefDate:
    """The date relative phrases ("last year", "this year") are resolved against."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    inferred: bool = False  # guessed from the article's periods, not a publication date
    rule: str = ""  # the rule that guessed it, when one beyond the plain guess did

    @classmethod
    def parse(cls, value: str | date | None) -> RefDate:
        if value is None:
            return cls()
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        m = DATE_TEXT.match(str(value))
        if not m:
            return cls()
        return cls(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)

    def iso(self) -> str | None:
        if self.year is None:
            return None
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class Mention:
    """One phrase naming a period.

    kind: explicit (a calendar period), span (over N years: an interval ending at the
    reference year), by (a deadline: by 2030), since, same (the same period of another year,
    shaped like the figure's own period), previous (the year before the figure's period),
    yoy (a year-on-year marker with no period), context (during this period), vague
    (in the coming years), now (to date, with no reference date: the article's latest
    period), date (a calendar day: only kept out of the numbers).
    """

    start: int
    end: int
    text: str
    kind: str
    span: Span | None = None
    comparison: bool = False
    year_hint: int | None = None
    future: bool = False
    confidence: float = 1.0
    note: str = ""
    event: bool = False  # the date of an event ("launched in 2019"), not of a figure
    weak: bool = False  # "now": used only when the sentence names no other period
    rule: str = ""  # the name of the rule that read the phrase ("period.quarter_q")

    @property
    def usable(self) -> bool:
        return self.kind not in ("date", "yoy")


def _num(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    v = parse_words(text)
    return int(v) if v else None


def _month(text: str) -> int:
    return MONTH_NUM[text[:3].lower()]


YEAR_ONLY = re.compile(YEAR)


def _year_ref(text: str | None, ref: RefDate) -> tuple[int | None, bool]:
    """Year named by '2024', 'this year', 'last year'... and whether it was relative."""
    if not text:
        return ref.year, True
    t = " ".join(text.lower().split())
    if YEAR_ONLY.fullmatch(t):
        return int(t), False
    if ref.year is None:
        return None, True
    if "last" in t or "previous" in t:
        return ref.year - 1, True
    if "next" in t:
        return ref.year + 1, True
    return ref.year, True


def when_written(ref: RefDate) -> Span:
    """The time of writing, for a state with no period of its own ("now", a capacity, a length):
    the publication month when the date gives one, as the labelled real articles date them;
    else the publication year."""
    if ref.month is not None and not ref.inferred:
        return Span.months(ref.year, ref.month, ref.month)
    return Span.year(ref.year)


def _not_after_ref(span: Span, ref: RefDate, explicit_year: bool) -> Span:
    # "in January-July" read in an August article is this year; read in March, last year.
    if explicit_year or ref.month is None or ref.year is None:
        return span
    if span.y2 == ref.year and span.m2 > ref.month:
        return span.shift(-1)
    return span


# "than" compares, except before a figure ("more than 5 million") or a verb ("more than
# tripled", "more than double"). Shared with the quantities' comparison cues.
THAN_COMPARES = (r"than(?!\s+(?:about|around|some)?\s*[\d$€]|\s+\w+(?:ed|fold)\b"
                 r"|\s+(?:doubl|tripl|quadrupl|halv)\w*)")
COMPARISON_CUE = re.compile(
    r"\b(?:compared|comparison|against|versus|vs\.?|relative\s+to|up\s+from|down\s+from"
    rf"|{THAN_COMPARES})\b"
    # "exceeding last year's figure": the period exceeded, not "exceeded 28 million tons in 2023"
    # (not "exceeded its target for the first three months": the target's period)
    r"|\b(?:exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|outpac(?:e|ed|es|ing))"
    r"(?!\s+(?:its|the|their|our)\s+(?:\w+\s+)?(?:plan|target)s?\b)(?:\s+[^\d\s]+){0,3}\s*$"
    r"|\bfrom\s+(?:about\s+|around\s+)?(?:[$€]?\d|(?:one|two|three|four|five|six|seven"
    r"|eight|nine|ten|a)\s)|\bas\s+(?:in|during)\s*$"
    r"|\b(?:up|down|rose|fell|increased|decreased|grew|declined)\b(?:\s+\S+){0,6}\s+from\s*$"
    r"|(?:%|percent|increase|growth|rise|up|down|decline|more|less|higher|lower)\s+"
    r"(?:\S+\s+){0,2}?(?:on|over)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


RECORD_SINCE = re.compile(r"\b(?:highest|lowest|largest|biggest|best|worst|most|least|record|"
                          r"strongest|weakest)\b[^.;,]{0,25}$", re.IGNORECASE)


# "up 8.7% from January": a change compared with January (but "cut by 15% from September"
# starts then).
CHANGE_FROM = re.compile(r"\b(?:up|down|rose|fell|increased|decreased|grew|declined)\s+"
                         r"(?!by\b)[\d.,]+\s*(?:%|percent|per\s+cent)?\s*$", re.IGNORECASE)
COMPARISON_WINDOW_BREAK = re.compile(r"[;:(/]|,\s")  # where a comparison cue stops reaching
TO_WORD = re.compile(r"\bto\b")


def _is_comparison(text: str, start: int) -> bool:
    if text[start:start + 5].lower() == "from " and CHANGE_FROM.search(
            text[max(0, start - 40):start]):
        return True  # "up 8.7% from January" (but "cut by 15% from September" starts then)
    window = text[max(0, start - 80):start]
    window = COMPARISON_WINDOW_BREAK.split(window)[-1]
    words = window.split()
    window = " ".join(words[-9:]) + (" " if window.endswith(" ") else "")
    for m in COMPARISON_CUE.finditer(window):
        after = window[m.end():]
        if m.group().lower().startswith("from") and TO_WORD.search(after):
            continue
        return True
    return False


# Phrases that name months of a year without the year: "between January and June", "in Q1".
YEARLESS = frozenset(f"period.{name}" for name in (
    "month_range", "first_months", "months_of_year", "months_short", "months_count",
    "first_quarters", "quarter_words", "quarter_q", "quarter_year_q", "quarter_nq", "half_words",
    "half_h", "half_year_h", "half_nh", "month", "month_year"))


def find_periods(text: str, ref: RefDate, context_year: int | None = None) -> list[Mention]:
    """Every period phrase in `text`, left to right, resolved against `ref` where possible.

    With no reference year, `context_year` (the year of the article's period so far) dates
    phrases that name months but no year: "between January and June" after "in H1 2025"."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    context_ref = RefDate(context_year) if ref.year is None and context_year else None
    for rule in PERIOD_RULES:
        for m in rule.pattern.finditer(text):
            a, b = m.span()
            if any(a < e and b > s for s, e in taken):
                continue
            mention = _produce(rule, m, text, ref)
            if context_ref and rule.name in YEARLESS and (mention is None
                                                          or mention.kind == "vague"):
                mention = _produce(rule, m, text, context_ref)
                if mention is not None and mention.note:
                    mention = replace(mention, confidence=EARLIER_YEAR, note=f"'{mention.text}' "
                                      "dated with the year of an earlier sentence")
            if mention is None:
                continue
            taken.append((a, b))
            if EVENT_BEFORE.search(text[max(0, a - 40):a]) \
                    or NAMED_YEAR.search(text[max(0, a - 30):a]) \
                    or OPERATION_BEGAN.search(text[max(0, a - OPERATION_REACH):a]):
                mention = replace(mention, event=True)
            out.append(mention)
    return _anchor_spans(_year_of_the_sentence(sorted(out, key=lambda x: x.start)))


def _produce(rule: Rule, m: re.Match[str], text: str, ref: RefDate) -> Mention | None:
    """The mention a period rule makes of its match, named after the rule (None: no period)."""
    mention = rule.production(m, _groups(m), Mention(m.start(), m.end(), m.group(), "explicit"),
                              text, ref)
    return None if mention is None else replace(mention, rule=rule.name)


def _anchor_spans(mentions: list[Mention]) -> list[Mention]:
    """ "increased 2.1 times over the past decade, reaching $96 billion in 2023": the past
    span ends at the latest year the sentence names, when that is before the reference year."""
    years = [m.span.y2 for m in mentions if m.kind == "explicit" and m.span and m.span.is_year
             and not m.comparison and not m.event]
    if not years:
        return mentions
    end = max(years)
    out = []
    for m in mentions:
        if m.kind == "span" and not m.future and m.span and m.span.y2 > end:
            n = m.span.y2 - m.span.y1
            span = Span(end - n, 1, end, 12)
            m = replace(m, span=span, note=f"'{m.text}' read as {span.text()}, ending at the "
                                           f"year the sentence names")
        out.append(m)
    return out


DATE_YEAR = re.compile(rf"\b({YEAR})\b")
DATE_MONTH = re.compile(MONTH)


ISO_DAY = re.compile(r"(\d{4})-(\d{2})-\d{2}")  # "2025-03-05": the month of a day


def _date_month(text: str, ref: RefDate) -> Span | None:
    """The month of a calendar day ("5 March 2025", "August 1" in an article of 2025)."""
    month = DATE_MONTH.search(text)
    year = DATE_YEAR.search(text)
    if month:
        y = int(year.group(1)) if year else ref.year
        return Span.months(y, _month(month.group()), _month(month.group())) if y else None
    iso = ISO_DAY.fullmatch(text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return Span.months(int(iso.group(1)), int(iso.group(2)), int(iso.group(2)))
    return None


# "which was launched in 2019", "since its opening in 2018": when something happened, which
# is not the period of the figures beside it.
# A year that is part of a name: the 17th "Logitrans-2022" exhibition, EXPO-2017,
# Innoprom-2024 ("Mid-2024" and "End-2024" are periods). It dates an event, not a figure.
NAMED_YEAR = re.compile(r"\b(?!(?:Mid|End|Early|Late|Pre|Post|Year|Start|Fiscal|FY)[-–]$)"
                        r"[A-Z][A-Za-z]+[-–]$")

EVENT_BEFORE = re.compile(
    r"\b(?:launched|opened|founded|established|inaugurated|built|constructed|created|set\s+up"
    r"|unveiled|published|released|signed|announced|adopted|approved"
    r"|commissioned|put\s+into\s+(?:operation|service)|before|prior\s+to"
    # "which began operation in 2014", "started operations in July 2014", "was open for traffic"
    r"|(?:began|begun|started|commenced|entered)\s+(?:its\s+|commercial\s+)?(?:operations?"
    r"|operating|service|work)|open(?:ed)?\s+(?:for|to)\s+traffic"
    r"|launch|opening|founding|establishment|inauguration|construction)\s+(?:back\s+)?"
    r"(?:in|on|since)?\s*(?:the\s+)?$",
    re.IGNORECASE,
)


# "A terminal ... began operation in China's eastern port of Lianyungang in 2014": the start of
# operations dates an event even with a place between the verb and its date (no figure, comma or
# full stop between them).
OPERATION_BEGAN = re.compile(
    r"\b(?:began|begun|started|commenced)\s+(?:its\s+|commercial\s+)?operations?\b"
    r"[^,.;:\d]{0,60}\b(?:in|on|since)\s+(?:the\s+)?$", re.IGNORECASE)
OPERATION_REACH = 100  # characters before a period phrase searched for OPERATION_BEGAN


END_OF_YEAR = re.compile(r"end of (?:the )?year$", re.IGNORECASE)


def _year_of_the_sentence(mentions: list[Mention]) -> list[Mention]:
    # "in 2024, ... 60 thousand tons at the end of the year": the year is 2024, not this year.
    years = [m.span for m in mentions if m.kind == "explicit" and m.span and m.span.is_year
             and not m.comparison and not m.note]
    if len(years) != 1:
        return mentions
    return [replace(m, span=years[0], note="") if END_OF_YEAR.search(m.text) else m
            for m in mentions]


YEAR_AS_COUNT = re.compile(
    r"\s*(?:wagons?|railcars?|containers?|vehicles?|trucks?|units?|km|kilomet\w+|locomotives?"
    r"|vessels?|ships?|flights?|trips?|passengers?|people|jobs?|berths?|tracks?)\b",
    re.IGNORECASE,
)
YEAR_PREP = re.compile(r"\b(?:in|by|since|for|during|until|till|of|from|to|between|and|before"
                       r"|after|early|late|mid|end|start|beginning|year|FY|fiscal)\s*[-–]?\s*$",
                       re.IGNORECASE)


def _relative_year_words(text: str | None) -> str | None:
    if text is None:
        return None
    t = text.lower()
    return None if t.strip() == "year" else t


def _explicit(base: Mention, span: Span, text: str, relative: bool = False) -> Mention:
    note = f"'{base.text}' resolved from the reference date" if relative else ""
    return replace(base, span=span, comparison=_is_comparison(text, base.start),
                   confidence=RELATIVE if relative else STATED, note=note)


# --- period rules: each phrase family one named rule, tried in this order -------------------

# How sure a period found by each kind of reading is (Mention.confidence, 0-1).
STATED = 1.0  # a calendar period written out: "in Q1 2026"
RELATIVE = 0.9  # resolved from the reference date: "last year" is only as right as that date
COUNTED_BACK = 0.7  # "the past four months": counting back from the day of writing
EARLIER_YEAR = 0.7  # months with no year, dated with the year an earlier sentence named
PUBLICATION_YEAR = 0.7  # "now", "currently": the publication year, though a month may be meant
TO_LAST_MONTH = 0.6  # "since the beginning of the year": which month it ends in is a guess
SINCE_YEAR = 0.6  # "since 2016": up to the reference year, whose end may not be meant
SPAN_OF_YEARS = 0.5  # "over seven years": an interval whose ends are a guess
LATEST_NAMED = 0.5  # "to date" with no date: the latest period the article has named
FULL_YEAR = 0.8  # "for the full year": the article's year, taken from context

PERIOD_RULES: list[Rule] = []


def _rule(name: str, pattern: str, production, doc: str, *example) -> None:
    rule = register(Rule(f"period.{name}", re.compile(pattern, re.IGNORECASE), production,
                         doc, examples(*example)))
    PERIOD_RULES.append(rule)


def _groups(m: re.Match[str]) -> dict:
    g = m.groupdict()
    if g.get("yy") and not g.get("yr"):
        g["yr"] = "20" + g["yy"]  # 9M24, 1H'24, Q1'24
    return g


def _no_year(base: Mention, why: str = "without a year or reference date") -> Mention:
    return replace(base, kind="vague", note=f"'{base.text}' {why}")


def _date(m, g, base, text, ref):
    return replace(base, kind="date", span=_date_month(base.text, ref))


MONTH_NAME = re.compile(MONTH)


def _month_year_range(m, g, base, text, ref):
    months = MONTH_NAME.findall(base.text)
    span = Span(int(g["y1"]), _month(months[0]), int(g["y2"]), _month(months[1]))
    return _explicit(base, span, text)


def _month_range(m, g, base, text, ref):
    y, relative = _year_ref(g.get("yr"), ref)
    if y is None:
        return _no_year(base)
    span = _not_after_ref(Span.months(y, _month(g["ma"]), _month(g["mb"])), ref,
                          bool(g.get("yr")))
    return _explicit(base, span, text, relative)


def _first_months(m, g, base, text, ref):
    n = _num(g["n"])
    y, relative = _year_ref(g.get("yr"), ref)
    if not n or n > 12:
        return None
    if y is None:
        return _no_year(base)
    span = _not_after_ref(Span.months(y, 1, n), ref, bool(g.get("yr")))
    return _explicit(base, span, text, relative)


def _first_month(m, g, base, text, ref):
    return _first_months(m, {**g, "n": "1"}, base, text, ref)


def _last_months(m, g, base, text, ref):
    n = _num(g["n"])
    y, relative = _year_ref(g["yr"], ref)
    if not n or n > 12 or y is None:
        return None
    return _explicit(base, Span.months(y, 13 - n, 12), text, relative)


def _past_months(m, g, base, text, ref):
    n = _num(g["n"])
    if not n or ref.year is None or ref.month is None:
        return _no_year(base, "without a reference month")
    if ref.inferred and ref.month == 1 and n < 12:
        # With no publication date the reference is a guess: just after the latest period the
        # article names, January after a report on a whole year. "The past four months" is
        # then read as statistics offices count them, the opening months of the new year
        # (2025-01/2025-04 after a report on 2024), not September-December 2024 counted back
        # from a guessed January.
        span = Span.months(ref.year, 1, n)
        return replace(base, span=span, confidence=COUNTED_BACK,
                       note=f"'{base.text}' read as the first {n} months of the year after the "
                            "article's latest period")
    end_y, end_m = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
    start_index = end_y * 12 + end_m - 1 - (n - 1)
    span = Span(start_index // 12, start_index % 12 + 1, end_y, end_m)
    return replace(base, span=span, confidence=COUNTED_BACK,
                   note=f"'{base.text}' counted back from the reference date")


def _quarter(m, g, base, text, ref):
    q = int(g["q"]) if g.get("q") else (ORD.get((g.get("o") or "").lower(), 4))
    yr = g.get("yr") or g.get("yr2")
    y, relative = _year_ref(yr, ref)
    if y is None:
        return _no_year(base)
    span = _not_after_ref(Span.months(y, 3 * q - 2, 3 * q), ref, bool(yr))
    return _explicit(base, span, text, relative)


DIGIT_FIRST = re.compile(r"\d")  # a year written in digits ("2025"), not in words ("this year")


def _first_quarters(m, g, base, text, ref):
    n = {"two": 2, "three": 3}.get(g["n"].lower()) or int(g["n"])
    yr = g.get("yr") or g.get("yr2")
    y, relative = _year_ref(yr, ref)
    if y is None:
        return _no_year(base)
    span = _not_after_ref(Span.months(y, 1, 3 * n), ref, bool(yr and DIGIT_FIRST.match(yr)))
    return _explicit(base, span, text, relative)


def _half(m, g, base, text, ref):
    h = int(g["h"]) if g.get("h") else ORD[g["o"].lower()]
    yr = g.get("yr") or g.get("yr2")
    y, relative = _year_ref(yr, ref)
    if y is None:
        return _no_year(base)
    span = _not_after_ref(Span.months(y, 6 * h - 5, 6 * h), ref, bool(yr))
    return _explicit(base, span, text, relative)


def _end_of_year(deadline: bool):
    def production(m, g, base, text, ref):
        y, relative = _year_ref(g.get("yr") if g.get("yr") and DIGIT_FIRST.match(g["yr"])
                                else (g.get("yr2") or _relative_year_words(g.get("yr"))), ref)
        if y is None:
            return _no_year(base, "without a reference date")
        kind = "by" if deadline or base.text.lower().startswith("by") else "explicit"
        return _explicit(replace(base, kind=kind), Span.year(y), text, relative)
    return production


# "has reached 5,156 by the end of August this year": a running total from January.
END_OF_BEFORE = re.compile(r"\b(?:by|at|as\s+of)\s+the\s+end\s+of\s+$", re.IGNORECASE)


def _month_year(m, g, base, text, ref):
    y, relative = _year_ref(g["yr"], ref)
    if y is None:
        return None
    kind = "by" if g.get("by") else "explicit"
    mo = _month(g["m"])
    if END_OF_BEFORE.search(text[max(0, base.start - 20):base.start]) \
            and (ref.year is None or (y, mo) <= (ref.year, ref.month or 12)):
        return _explicit(base, Span.months(y, 1, mo), text, relative)
    return _explicit(replace(base, kind=kind), Span.months(y, mo, mo), text, relative)


def _month_alone(m, g, base, text, ref):
    if ref.year is None:
        return _no_year(base, "without a reference date")
    mo = _month(g["m"])
    span = _not_after_ref(Span.months(ref.year, mo, mo), ref, False)
    prep = g["prep"].lower()
    if prep in ("from", "starting") and ref.month and mo >= ref.month:
        span = Span.months(ref.year, mo, mo)  # "from April", said in March: ahead
    if prep == "since" and ref.month:
        # up to the last full month, as "since the beginning of the year"
        y2, m2 = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
        if (y2, m2) < (span.y1, mo):
            y2, m2 = ref.year, ref.month  # "since May", said in May
        span = Span(span.y1, mo, y2, m2)
    kind = "by" if prep in ("by", "until") else "explicit"
    return _explicit(replace(base, kind=kind), span, text, True)


def _year_range(m, g, base, text, ref):
    y1 = int(g["a"])
    y2 = int(g["b"]) if g.get("b") else int(g["a"][:2] + g["tail"])
    if y2 <= y1:
        return None
    made = _explicit(base, Span(y1, 1, y2, 12), text)
    if made.comparison and OVER_JUST_BEFORE.search(text[max(0, base.start - 8):base.start]):
        # "(-38.7% over 2012-17)": the change over a run of years, not compared with it
        return replace(made, comparison=False)
    return made


OVER_JUST_BEFORE = re.compile(r"\bover\s+(?:the\s+)?$", re.IGNORECASE)


def _span_of_years(decade: bool):
    def production(m, g, base, text, ref):
        n = 10 if decade else _num(g["n"])
        future = (g.get("dir") or "").lower() in ("next", "coming", "following")
        if not n or ref.year is None:
            return replace(_no_year(base, "without a reference date"), future=future)
        if future:
            span = Span(ref.year, 1, ref.year + n, 12)
            note = f"'{base.text}' read as {span.text()}, starting at the reference year"
        else:
            span = Span(ref.year - n, 1, ref.year, 12)
            note = f"'{base.text}' read as {span.text()}, ending at the reference year"
        return replace(base, kind="span", span=span, future=future, confidence=SPAN_OF_YEARS,
                       note=note)
    return production


def _since(m, g, base, text, ref):
    if RECORD_SINCE.search(text[max(0, base.start - 40):base.start]):
        return replace(base, kind="date")  # "the highest figure since 2014" dates nothing
    if ref.year is None:
        return _no_year(base, "without a reference date")
    span = Span(int(g["yr"]), 1, ref.year, 12)
    return replace(base, kind="since", span=span, confidence=SINCE_YEAR,
                   note=f"'{base.text}' read as {span.text()}, up to the reference year")


def _kind(kind: str, **fields):
    def production(m, g, base, text, ref):
        return replace(base, kind=kind, **fields)
    return production


def _same_year(m, g, base, text, ref):
    return replace(base, kind="same", comparison=True, year_hint=int(g.get("yr") or g["yr2"]))


PAST_VAGUE = re.compile(r"\b(?:recent|previous|past|last)\b", re.IGNORECASE)  # "in recent years"


def _vague(m, g, base, text, ref):
    return replace(base, kind="vague", future=not PAST_VAGUE.search(base.text),
                   note=f"period vague: '{base.text}'")


def _relative(m, g, base, text, ref):
    which, unit = g["which"].lower(), g["unit"].lower()
    if ref.year is None:
        return _no_year(base, "without a reference date")
    offset = {"last": -1, "past": -1, "next": 1}.get(which, 0)
    if unit == "year":
        span = Span.year(ref.year + offset)
    else:
        if ref.month is None:
            return _no_year(base, "without a reference month")
        index = ref.year * 12 + ref.month - 1 + offset
        span = Span.months(index // 12, index % 12 + 1, index % 12 + 1)
    return _explicit(base, span, text, True)


def _year_to_date(m, g, base, text, ref):
    if g.get("yr") and int(g["yr"]) != ref.year:
        return _explicit(base, Span.year(int(g["yr"])), text)
    if ref.year is None or ref.month is None:
        return _no_year(base, "without a reference month")
    if ref.month == 1:
        return replace(base, span=Span.months(ref.year, 1, 1), confidence=TO_LAST_MONTH,
                       note=f"'{base.text}' read as January {ref.year}")
    span = Span.months(ref.year, 1, ref.month - 1)
    return replace(base, span=span, confidence=TO_LAST_MONTH,
                   note=f"'{base.text}' read as {span.text()}, up to the last full month")


def _now(m, g, base, text, ref):
    if ref.year is None or ref.inferred:
        return replace(base, kind="now", confidence=LATEST_NAMED,
                       note=f"'{base.text}' read as the latest period the article names")
    return replace(base, span=when_written(ref), confidence=PUBLICATION_YEAR,
                   note=f"'{base.text}' read as the time of writing")


def _years_ago(m, g, base, text, ref):
    n = _num(g["n"])
    if not n or ref.year is None:
        return _no_year(base, "without a reference date")
    return _explicit(base, Span.year(ref.year - n), text, True)


def _weekday(m, g, base, text, ref):
    # "pledged 10 billion euros on Monday": a day of the week of publication.
    if ref.month is None or ref.day is None:
        return None
    return replace(base, kind="date", span=Span.months(ref.year, ref.month, ref.month))


def _now_word(m, g, base, text, ref):
    if ref.year is None or ref.inferred:
        return None
    return replace(base, span=when_written(ref), confidence=PUBLICATION_YEAR, weak=True,
                   note=f"'{base.text}' read as the time of writing")


def _year(m, g, base, text, ref):
    a, b = m.span()
    if not g.get("by") and YEAR_AS_COUNT.match(text, b) and not YEAR_PREP.search(
            text[max(0, a - 16):a]):
        return None  # "handled 2050 wagons": a count, not a year
    kind = "by" if g.get("by") else "explicit"
    return _explicit(replace(base, kind=kind), Span.year(int(g["yr"])), text)


def _to_month(m, g, base, text, ref):
    month = _month(g["mon"])
    year = int(g["yr"]) if g.get("yr") else ref.year
    if year is None:
        return _no_year(base)
    return _explicit(base, Span.months(year, 1, month), text)


_rule("year_to_month",
      rf"\byear[- ]to[- ]date\s+(?:(?:as\s+of|to|until|through)\s+)?(?:(?:the\s+)?end\s+of\s+)?"
      rf"(?P<mon>{MONTH})(?:,?\s+(?P<yr>{YEAR}))?\b",
      _to_month, "The year to the end of a named month: January to that month.",
      ("Year-to-date September 2019 compared to the same period of 2018", "2019-01/2019-09"),
      ("year to date as of June", "2024-H1", "2024-08-01"))
_rule("month_year_range",
      rf"\b{MONTH}\s+(?P<y1>{YEAR})\s*(?:-|–|—|to|through|until)\s*{MONTH}\s+(?P<y2>{YEAR})",
      _month_year_range, "From a month of one year to a month of another.",
      ("from March 2024 to February 2025", "2024-03/2025-02"))
_rule("date_month_day", rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{YEAR}\b)?", _date,
      "A calendar day, month first: never a figure; its month dates a figure only when the "
      "sentence names no period.", ("on March 5, 2025", "2025-03"))
_rule("date_day_month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?",
      _date, "A calendar day, day first.", ("from 1 June 2025", "2025-06"))
_rule("date_numeric", r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b", _date,
      "A calendar day in digits.", ("on 2025-03-05", "2025-03"))
_rule("month_range",
      rf"(?:\b(?:from|between)\s+)?(?P<ma>{MONTH})\s*(?:-|–|—|to|through|till|until|and)\s*"
      rf"(?P<mb>{MONTH})(?:,?\s+(?:of\s+)?(?P<yr>{YEARREF}))?", _month_range,
      "Two months of one year; with no year, the latest such run not after the reference date.",
      ("in January-November 2024", "2024-01/2024-11"), ("in January-July", "2023-01/2023-07",
                                                         "2023-09-04"),
      ("in January-July", "2022-01/2022-07", "2023-03-01"))
_rule("last_months", rf"\b(?:the\s+)?(?:last|final)\s+(?P<n>{COUNT})\s+months\s+of\s+"
      rf"(?P<yr>{YEARREF})", _last_months, "The closing months of a year.",
      ("the last three months of 2024", "2024-Q4"))
_rule("first_months", rf"\b(?:the\s+)?(?:first|initial)\s+(?P<n>{COUNT})\s+months(?:\s+of\s+"
      rf"(?:the\s+year\s+)?(?P<yr>{YEARREF}))?", _first_months,
      "The opening months of a year, as statistics offices report them.",
      ("in the first seven months of 2024", "2024-01/2024-07"),
      ("the first 11 months of 2024", "2024-01/2024-11"))
_rule("first_month", rf"\b(?:in\s+|during\s+)?the\s+first\s+month\s+of\s+(?:the\s+year\s+)?"
      rf"(?P<yr>{YEARREF})", _first_month,
      "'The first month of this year': January.",
      ("in the first month of this year", "2021-01", "2021-02-10"),
      ("the first month of 2024", "2024-01"))
_rule("months_of_year", rf"\b(?P<n>{COUNT})\s+months(?:'\s+(?:data|results|figures))?\s+of\s+"
      rf"(?P<yr>{YEARREF})", _first_months,
      "'Ten months of 2024': the first ten.", ("ten months of 2024", "2024-01/2024-10"),
      ("according to 11 months' data of 2019", "2019-01/2019-11"))
_rule("months_short", rf"\b(?P<n>\d{{1,2}})M\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b",
      _first_months, "'7M 2024', '9M24', '7M’23': the first months of the year.",
      ("in 7M 2024", "2024-01/2024-07"), ("9M24", "2024-01/2024-09"),
      ("in 7M’23", "2023-01/2023-07"))
_rule("past_months", rf"\b(?:(?:over|in|for|during|within)\s+)?the\s+(?:past|last|previous)\s+"
      rf"(?P<n>{COUNT})\s+months\b", _past_months,
      "The months before the reference month.",
      ("over the past four months", "2025-01/2025-04", "2025-05-20"))
_rule("months_count", rf"\b(?:over|in|for|during)\s+(?:the\s+)?(?:same\s+)?(?P<n>{COUNT})"
      r"(?:\s+months\b|-month\s+period\b)(?!\s+(?:ago|later|earlier|before|after|from|since)\b)",
      _first_months,
      "'Over 9 months', 'for the 9 months': the first months of the year, as statistics "
      "offices count them ('over the next 9 months' and '9 months ago' are not).",
      ("over 9 months", "2024-01/2024-09", "2024-11-15"),
      ("in the ten-month period", "2024-01/2024-10", "2024-11-15"))
_rule("first_quarters", rf"\b(?:the\s+)?first\s+(?P<n>two|three|2|3)\s+quarters(?:\s+of\s+"
      rf"(?:the\s+)?(?:year\s+)?(?P<yr>{YEARREF})|\s+(?P<yr2>{YEAR}))?", _first_quarters,
      "'The first two quarters of the current year': the first six (or nine) months.",
      ("the first two quarters of the current year", "2022-H1", "2022-08-01"),
      ("the first three quarters of 2024", "2024-01/2024-09"))
_rule("quarter_words", rf"\b(?:the\s+)?(?P<o>{ORD_RX}|last|final|fourth)\s+quarter(?:\s+of\s+"
      rf"(?:the\s+)?(?:year\s+)?(?P<yr>{YEARREF})|\s+(?P<yr2>{YEAR}))?", _quarter,
      "A quarter in words.", ("in the first quarter of 2026", "2026-Q1"),
      ("the third quarter", "2025-Q3", "2025-11-01"))
_rule("quarter_year_q", rf"\b(?P<yr>{YEAR})\s*Q(?P<q>[1-4])\b", _quarter,
      "'2026 Q1', tried before 'Q1' alone takes the quarter without its year.",
      ("2026 Q1", "2026-Q1"))
_rule("quarter_q", rf"\bQ(?P<q>[1-4])(?:\s*(?:of\s+)?(?P<yr>{YEAR})|['’](?P<yy>\d{{2}}))?\b",
      _quarter, "'Q1 2026', 'Q1'24'.", ("in Q1 2026", "2026-Q1"), ("Q1'24", "2024-Q1"))
_rule("quarter_nq", rf"\b(?P<q>[1-4])Q\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b", _quarter,
      "'1Q2026', '1Q24'.", ("1Q2026", "2026-Q1"))
_rule("half_words", rf"\b(?:the\s+)?(?P<o>first|second|1st|2nd)\s+half(?:[- ]year)?(?:\s+of\s+"
      rf"(?:the\s+)?(?:year\s+)?(?P<yr>{YEARREF})|\s+(?P<yr2>{YEAR}))?", _half,
      "A half year in words.", ("in the first half of 2025", "2025-H1"),
      ("the first half-year of 2025", "2025-H1"))
_rule("half_year_h", rf"\b(?P<yr>{YEAR})\s*H(?P<h>[12])\b", _half,
      "'2025 H1', tried before 'H1' alone.",
      ("2025 H1", "2025-H1"))
_rule("half_h", rf"\bH(?P<h>[12])(?:\s*(?:of\s+)?(?P<yr>{YEAR})|['’](?P<yy>\d{{2}}))?\b", _half,
      "'H1 2025'.", ("H1 2025", "2025-H1"))
_rule("half_nh", rf"\b(?P<h>[12])H\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b", _half,
      "'1H24'.", ("1H24", "2024-H1"))
_rule("by_end", rf"\b(?:by|until|till|through)\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<yr>{YEAR}|"
      r"(?:this\s+|current\s+|next\s+)?year)\b|\b(?:by|until)\s+(?:the\s+)?year[- ]?end\b",
      _end_of_year(True), "A deadline at the end of a year.",
      ("by the end of 2027", "2027"), ("by year-end", "2025", "2025-03-01"),
      ("by the yearend", "2021", "2021-07-26"))
_rule("end_of", rf"\b(?:at\s+the\s+|by\s+the\s+)?end\s+of\s+(?:the\s+)?(?P<yr>{YEAR}|(?:this\s+|"
      r"current\s+|last\s+|previous\s+)?year)\b|\byear[- ]end\s+(?P<yr2>" + YEAR + r")\b",
      _end_of_year(False), "The end of a year: that year.",
      ("at the end of 2024", "2024"), ("at the end of last year", "2024", "2025-03-01"))
_rule("month_year", rf"\b(?P<by>by\s+)?(?P<m>{MONTH})\s+(?:of\s+)?(?P<yr>{YEAR}|this\s+year"
      r"|last\s+year)", _month_year, "A month of a year; after 'by', a deadline; after 'by "
      "the end of', a past running total from January.",
      ("in January 2025", "2025-01"), ("by January 2025", "2025-01"),
      ("reached 5,156 by the end of August this year", "2023-01/2023-08", "2023-09-07"))
_rule("month", rf"\b(?P<prep>in|during|by|since|for|until|through|of|from|starting)\s+"
      rf"(?P<m>{MONTH})(?!\s*\d)", _month_alone,
      "A month with no year: the latest such month not after the reference date ('from April' "
      "said in March is ahead; 'since March' runs to the last full month).",
      ("in June", "2025-06", "2025-08-01"), ("from April", "2025-04", "2025-03-10"),
      ("since March", "2025-03/2025-06", "2025-07-15"))
_rule("year_range",
      rf"\b(?:from\s+|between\s+)?(?P<a>{YEAR})(?:\s*(?:-|–|—|to|through|until|and)\s*"
      rf"(?P<b>{YEAR})|\s*[-–—/](?P<tail>\d{{2}}))\b(?![.,]\d|\s*(?:%|percent|per\s+cent|pct))",
      _year_range, "A run of years ('2024-25' needs a dash or slash).",
      ("in 2024-2025", "2024/2025"), ("between 2020 and 2023", "2020/2023"),
      ("fell by 38.7% over 2012-17", "2012/2017"),
      ("2024-25", "2024/2025"))
_rule("years_span", rf"\b(?:over|in|for|during|within)\s+(?:the\s+)?(?:(?P<dir>past|last|previous|"
      rf"next|coming|following)\s+)?(?P<n>{COUNT})\s+years\b", _span_of_years(False),
      "'Over seven years': an interval ending (or, ahead, starting) at the reference year.",
      ("over seven years", "2019/2026", "2026-06-03"),
      ("in the next five years", "2024/2029", "2024-05-01"))
_rule("decade", r"\b(?:over|in|for|during)\s+the\s+(?P<dir>past|last|previous|next|coming)\s+"
      r"decade\b", _span_of_years(True), "The past or next ten years.",
      ("over the past decade", "2013/2023", "2023-06-01"))
_rule("since_year", rf"\bsince\s+(?P<yr>{YEAR})\b", _since,
      "From a year up to the reference year ('the highest since 2014' dates nothing).",
      ("since 2016", "2016/2024", "2024-05-01"))
_rule("since_event", rf"\bsince\s+(?:(?:it|they|we|he|she)\s+[a-z]+\s+)?(?:the\s+|its\s+)?"
      rf"(?:first|launch|opening|inception|founding"
      rf"|(?:start|beginning)(?!\s+of))\b[^.;,]{{0,60}}?\b(?:in\s+)?(?P<yr>{YEAR})\b", _since,
      "'Since the first train passed through the port in 2016', 'since its launch in 2013'.",
      ("since its launch in 2013", "2013/2024", "2024-05-01"),
      ("since it served the first freight train in 2016", "2016/2024", "2024-01-06"))
_rule("same_period_here",
      r"\b(?:over|during|in|for)\s+the\s+same\s+period\b(?!\s+(?:of|in|last|a|one|the)\b)(?=\s*,)",
      _kind("context"), "'Over the same period, 312 vessels...': the period just named, not a "
      "comparison.", ("Over the same period, 312 vessels", "kind:context"))
_rule("same_period_last_year",
      r"\b(?:the\s+)?(?:same|corresponding|similar|comparable)\s+period\s+(?:of\s+|in\s+)?"
      r"(?:the\s+)?(?:last|previous|prior|past)\s+year\b", _kind("same", comparison=True),
      "The same months a year earlier: compared with, shaped like the figure's own period.",
      ("the same period last year", "kind:same"),
      ("the corresponding period of the previous year", "kind:same"))
_rule("same_period_of_year",
      rf"\b(?:the\s+)?(?:same|corresponding|similar|comparable|relevant)\s+(?:period|term)\s+"
      rf"(?:of\s+|in\s+|last\s+)?(?P<yr>{YEAR})\b"
      rf"|\b(?:the\s+)?(?P<yr2>{YEAR})\s+(?:same|corresponding)\s+(?:period|term)\b",
      _same_year, "The same months of a named year (also 'the 2018 same term', translated).",
      ("the same period of 2024", "kind:same"), ("versus the 2018 same term", "kind:same"),
      ("for the relevant term of 2018", "kind:same"))
_rule("same_time_last_year",
      r"\b(?:the\s+)?(?:same|corresponding)\s+(?:period|months?|quarter|time(?=\s+(?:of\s+)?"
      r"(?:a|one|last)\s+year))(?:\s+(?:of\s+)?(?:a|one|last)\s+year(?:\s+(?:earlier|ago|before))?)?\b",
      _kind("same", comparison=True),
      "'The same month a year earlier', 'the same time last year' ('at the same time' alone "
      "means meanwhile).", ("the same month a year earlier", "kind:same"),
      ("the same time last year", "kind:same"), ("the same time of last year", "kind:same"))
_rule("previous_year", r"\b(?:the\s+)?(?:previous|prior|preceding)\s+year\b|\ba\s+year\s+"
      r"(?:earlier|ago|before)\b|\bthe\s+year\s+before\b", _kind("previous", comparison=True),
      "The year before the figure's own period: compared with.",
      ("compared with the previous year", "kind:previous"), ("a year earlier", "kind:previous"))
_rule("year_on_year", r"\byear[- ]on[- ]year\b|\by-o-y\b|\byoy\b|\byear[- ]over[- ]year\b"
      r"|\bannually\b(?=\s*[,.)])", _kind("yoy", comparison=True),
      "A year-on-year marker: a comparison that names no period.",
      ("up 5% year-on-year", "kind:yoy"))
_rule("years_ago", rf"\b(?P<n>{COUNT})\s+years?\s+ago\b", _years_ago,
      "A year counted back from the reference year.",
      ("three years ago", "2022", "2025-04-01"))
_rule("full_year", r"\b(?:for|in|over)\s+the\s+(?:full|whole|entire)\s+year\b"
      r"|\bfor\s+the\s+year\s+as\s+a\s+whole\b|\bfull[- ]year\b", _kind("full_year",
                                                                       confidence=FULL_YEAR),
      "The whole of the article's year.", ("for the full year", "kind:full_year"))
_rule("weekday", r"(?<=\bon )(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
      _weekday, "'On Monday': a day of the week of publication, its month.",
      ("pledged on Monday", "2025-03", "2025-03-12"))
_rule("vague", r"\b(?:(?:in|over|during|within)\s+)?(?:the\s+)?(?:coming|next\s+few|following)\s+"
      r"years\b|\bin\s+the\s+(?:near\s+|foreseeable\s+)?future\b"
      r"|\bin\s+the\s+(?:medium|long|short)[- ]term\b"
      r"|\b(?:in|over|during)\s+(?:the\s+)?(?:recent|previous|past\s+few|last\s+few)\s+years\b",
      _vague,
      "A time ahead, or years gone by ('in the previous years'), with no period: the figure's "
      "period stays empty.",
      ("in the coming years", "kind:vague"), ("in the medium term", "kind:vague"),
      ("in the previous years it used to transport 21-22 million tons", "kind:vague"))
_rule("this_period", r"\b(?:during|in|over|for)\s+(?:this|that|the\s+(?:above|same|reporting|said"
      r"|review))\s+period\b", _kind("context"), "'During this period': the period just named.",
      ("during this period", "kind:context"))
_rule("since_start_of_year", rf"\b(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+"
      rf"(?P<yr>{YEAR})\b", _year_to_date,
      "The year to date of a named year (the whole year when it is not the reference year).",
      ("since the start of 2024", "2024-01/2024-09", "2024-10-10"))
_rule("year_to_date", r"\b(?:(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+(?:the\s+|this\s+)?"
      r"year|(?:in\s+the\s+)?year[- ]to[- ]date|so\s+far\s+this\s+year)\b", _year_to_date,
      "The year to the last full month before publication (January alone in January).",
      ("since the beginning of the year", "2024-01/2024-09", "2024-10-10"),
      ("year to date", "2025-01", "2025-01-20"))
_rule("relative", r"\b(?:the\s+)?(?P<which>last|this|next|current|past)\s+(?P<unit>year|month)\b",
      _relative, "Last, this or next year or month, from the reference date.",
      ("last year", "2024", "2025-12-18"), ("this year", "2025", "2025-12-18"),
      ("next year", "2026", "2025-12-18"), ("last month", "2025-11", "2025-12-18"))
_rule("to_date", r"\b(?:to\s+date|as\s+of\s+(?:today|now)|at\s+present|currently|so\s+far"
      r"|to\s+this\s+day)\b", _now,
      "'To date', 'currently': the time of writing (the publication month, else year); with no "
      "date, the latest period named.",
      ("to date", "2025-05", "2025-05-01"), ("currently", "2025", "2025"))
_rule("now", r"\b(?:now|today|nowadays)\b(?!\s*,?\s+(?:that|when)\b)"
      r"|\bcurrent\b(?!\s+(?:year|month|quarter|route|account|period|law|rules?)\b)", _now_word,
      "'Now', 'today': the time of writing (the publication month, else year), used only "
      "when the sentence names no other period.", ("now", "2025-05", "2025-05-01"))
_rule("year", rf"\b(?P<by>by\s+)?(?:FY\s?)?(?P<yr>{YEAR})\b(?!\s*(?:%|percent|tons?|tonnes?|TEU"
      r"|trains?))", _year, "A year; after 'by', a deadline ('handled 2050 wagons' is a count).",
      ("in 2024", "2024"), ("by 2030", "2030"), ("FY2024", "2024"))


RELATIVE_RULE = "period.relative"  # "last year", "this year": read from the reference date


def resolve(mention: Mention, own: Span | None) -> Span | None:
    """The span of a comparison phrase, given the period of the figure it is compared with."""
    if mention.kind == "same":
        if own is None:
            return Span.year(mention.year_hint) if mention.year_hint else None
        if mention.year_hint:
            return own.shift(mention.year_hint - own.y2)
        return own.shift(-1)
    if mention.kind == "previous":
        return own.shift(-1) if own else None
    return mention.span


def last_year_shaped(mention: Mention, own: Span | None) -> Span | None:
    """ "increased by 23 percent in the first half of the year, compared to last year's level -
    from 6.8 to 8.3 million tons": when the sentence names a part of a year as the figure's
    period, "last year" compared with is the same part of the year before (as "the same period
    last year" is); None when that does not apply."""
    if mention.rule == RELATIVE_RULE and own is not None and not own.is_year \
            and mention.span is not None and mention.span.is_year and own.y1 == own.y2 \
            and own.y1 == mention.span.y1 + 1:
        return own.shift(-1)
    return None
