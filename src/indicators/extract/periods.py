"""Find the time periods a sentence speaks of and write them in the figures' period notation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from indicators.extract.numbers import parse_words

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

    @classmethod
    def parse(cls, value: str | date | None) -> RefDate:
        if value is None:
            return cls()
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", str(value))
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


def _year_ref(text: str | None, ref: RefDate) -> tuple[int | None, bool]:
    """Year named by '2024', 'this year', 'last year'... and whether it was relative."""
    if not text:
        return ref.year, True
    t = " ".join(text.lower().split())
    if re.fullmatch(YEAR, t):
        return int(t), False
    if ref.year is None:
        return None, True
    if "last" in t or "previous" in t:
        return ref.year - 1, True
    if "next" in t:
        return ref.year + 1, True
    return ref.year, True


def _not_after_ref(span: Span, ref: RefDate, explicit_year: bool) -> Span:
    # "in January-July" read in an August article is this year; read in March, last year.
    if explicit_year or ref.month is None or ref.year is None:
        return span
    if span.y2 == ref.year and span.m2 > ref.month:
        return span.shift(-1)
    return span


_PATTERNS: list[tuple[re.Pattern[str], str]] = []


def _p(pattern: str, name: str) -> None:
    _PATTERNS.append((re.compile(pattern, re.IGNORECASE), name))


_p(rf"\b{MONTH}\s+(?P<y1>{YEAR})\s*(?:-|–|—|to|through|until)\s*{MONTH}\s+(?P<y2>{YEAR})",
   "month_year_range")
_p(rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{YEAR}\b)?", "date")
_p(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?", "date")
_p(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b", "date")
_p(rf"(?:\b(?:from|between)\s+)?(?P<ma>{MONTH})\s*(?:-|–|—|to|through|till|until|and)\s*"
   rf"(?P<mb>{MONTH})(?:,?\s+(?:of\s+)?(?P<yr>{YEARREF}))?", "month_range")
_p(rf"\b(?:the\s+)?(?:last|final)\s+(?P<n>{COUNT})\s+months\s+of\s+(?P<yr>{YEARREF})",
   "last_months")
_p(rf"\b(?:the\s+)?(?:first|initial)\s+(?P<n>{COUNT})\s+months(?:\s+of\s+(?:the\s+year\s+)?"
   rf"(?P<yr>{YEARREF}))?", "first_months")
_p(rf"\b(?P<n>{COUNT})\s+months\s+of\s+(?P<yr>{YEARREF})", "first_months")
_p(rf"\b(?P<n>\d{{1,2}})M\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b", "first_months")
_p(rf"\b(?:(?:over|in|for|during|within)\s+)?the\s+(?:past|last|previous)\s+(?P<n>{COUNT})\s+"
   r"months\b", "past_months")
# "Over 9 months, ...", "for the 9 months": the first months of the year, as statistics
# offices count them ("over the next 9 months" and "9 months ago" are not).
_p(rf"\b(?:over|in|for|during)\s+(?:the\s+)?(?:same\s+)?(?P<n>{COUNT})(?:\s+months\b|-month"
   r"\s+period\b)"
   r"(?!\s+(?:ago|later|earlier|before|after|from|since)\b)", "first_months")
_p(rf"\b(?:the\s+)?(?P<o>{ORD_RX}|last|final|fourth)\s+quarter(?:\s+of\s+(?:the\s+)?(?:year\s+)?"
   rf"(?P<yr>{YEARREF})|\s+(?P<yr2>{YEAR}))?", "quarter")
_p(rf"\bQ(?P<q>[1-4])(?:\s*(?:of\s+)?(?P<yr>{YEAR})|['’](?P<yy>\d{{2}}))?\b", "quarter")
_p(rf"\b(?P<yr>{YEAR})\s*Q(?P<q>[1-4])\b", "quarter")
_p(rf"\b(?P<q>[1-4])Q\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b", "quarter")
_p(rf"\b(?:the\s+)?(?P<o>first|second|1st|2nd)\s+half(?:[- ]year)?(?:\s+of\s+(?:the\s+)?"
   rf"(?:year\s+)?(?P<yr>{YEARREF})|\s+(?P<yr2>{YEAR}))?", "half")
_p(rf"\bH(?P<h>[12])(?:\s*(?:of\s+)?(?P<yr>{YEAR})|['’](?P<yy>\d{{2}}))?\b", "half")
_p(rf"\b(?P<yr>{YEAR})\s*H(?P<h>[12])\b", "half")
_p(rf"\b(?P<h>[12])H\s?(?:(?P<yr>{YEAR})|['’]?(?P<yy>\d{{2}}))\b", "half")
_p(rf"\b(?:by|until|till|through)\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<yr>{YEAR}|(?:this\s+|"
   r"current\s+|next\s+)?year)\b|\b(?:by|until)\s+(?:the\s+)?year[- ]end\b", "by_end")
_p(rf"\b(?:at\s+the\s+|by\s+the\s+)?end\s+of\s+(?:the\s+)?(?P<yr>{YEAR}|(?:this\s+|current\s+|"
   r"last\s+|previous\s+)?year)\b|\byear[- ]end\s+(?P<yr2>" + YEAR + r")\b", "end_of")
_p(rf"\b(?P<by>by\s+)?(?P<m>{MONTH})\s+(?:of\s+)?(?P<yr>{YEAR}|this\s+year|last\s+year)",
   "month_year")
_p(rf"\b(?P<prep>in|during|by|since|for|until|through|of|from|starting)\s+(?P<m>{MONTH})"
   r"(?!\s*\d)", "month")
_p(rf"\b(?:from\s+|between\s+)?(?P<a>{YEAR})(?:\s*(?:-|–|—|to|through|until|and)\s*"
   rf"(?P<b>{YEAR})|\s*[-–—/](?P<tail>\d{{2}}))\b(?![.,]\d|\s*(?:%|percent|per\s+cent|pct))",
   "year_range")
_p(rf"\b(?:over|in|for|during|within)\s+(?:the\s+)?(?:(?P<dir>past|last|previous|next|coming|"
   rf"following)\s+)?(?P<n>{COUNT})\s+years\b", "years_span")
_p(r"\b(?:over|in|for|during)\s+the\s+(?P<dir>past|last|previous|next|coming)\s+decade\b",
   "decade")
_p(rf"\bsince\s+(?P<yr>{YEAR})\b", "since")
# "since the first train passed through the port in 2016", "since its launch in 2013"
_p(rf"\bsince\s+(?:the\s+|its\s+)?(?:first|launch|opening|inception|founding"
   rf"|(?:start|beginning)(?!\s+of))\b[^.;,]{{0,60}}?\b(?:in\s+)?(?P<yr>{YEAR})\b", "since")
# "Over the same period, 312 vessels were serviced": the period just named, not a comparison.
_p(r"\b(?:over|during|in|for)\s+the\s+same\s+period\b(?!\s+(?:of|in|last|a|one|the)\b)"
   r"(?=\s*,)", "context")
_p(r"\b(?:the\s+)?(?:same|corresponding|similar|comparable)\s+period\s+(?:of\s+|in\s+)?(?:the\s+)?"
   r"(?:last|previous|prior|past)\s+year\b", "same_prev")
_p(rf"\b(?:the\s+)?(?:same|corresponding|similar|comparable)\s+period\s+(?:of\s+|in\s+|last\s+)?"
   rf"(?P<yr>{YEAR})\b", "same_year")
# "at the same time" alone means "meanwhile"; "the same time last year" is a period.
_p(r"\b(?:the\s+)?(?:same|corresponding)\s+(?:period|months?|quarter|time(?=\s+(?:a|one|last)\s+year))"
   r"(?:\s+(?:a|one|last)\s+year(?:\s+(?:earlier|ago|before))?)?\b", "same_prev")
_p(r"\b(?:the\s+)?(?:previous|prior|preceding)\s+year\b|\ba\s+year\s+(?:earlier|ago|before)\b"
   r"|\bthe\s+year\s+before\b", "previous")
_p(r"\byear[- ]on[- ]year\b|\by-o-y\b|\byoy\b|\byear[- ]over[- ]year\b|\bannually\b(?=\s*[,.)])",
   "yoy")
_p(rf"\b(?P<n>{COUNT})\s+years?\s+ago\b", "years_ago")
_p(r"\b(?:for|in|over)\s+the\s+(?:full|whole|entire)\s+year\b|\bfor\s+the\s+year\s+as\s+a\s+whole\b"
   r"|\bfull[- ]year\b", "full_year")
_p(r"(?<=\bon )(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", "weekday")
_p(r"\b(?:(?:in|over|during|within)\s+)?(?:the\s+)?(?:coming|next\s+few|following)\s+years\b"
   r"|\bin\s+the\s+(?:near\s+|foreseeable\s+)?future\b"
   r"|\bin\s+the\s+(?:medium|long|short)[- ]term\b", "vague")
_p(r"\b(?:during|in|over|for)\s+(?:this|that|the\s+(?:above|same|reporting|said|review))\s+"
   r"period\b", "context")
_p(rf"\b(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+(?P<yr>{YEAR})\b", "ytd")
_p(r"\b(?:(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+(?:the\s+|this\s+)?year"
   r"|(?:in\s+the\s+)?year[- ]to[- ]date"
   r"|so\s+far\s+this\s+year)\b", "ytd")
_p(r"\b(?:the\s+)?(?P<which>last|this|next|current|past)\s+(?P<unit>year|month)\b", "relative")
_p(r"\b(?:to\s+date|as\s+of\s+(?:today|now)|at\s+present|currently|so\s+far|to\s+this\s+day)\b",
   "now")
_p(r"\b(?:now|today|nowadays)\b(?!\s*,?\s+(?:that|when)\b)"
   r"|\bcurrent\b(?!\s+(?:year|month|quarter|route|account|period|law|rules?)\b)", "now_word")
_p(rf"\b(?P<by>by\s+)?(?:FY\s?)?(?P<yr>{YEAR})\b(?!\s*(?:%|percent|tons?|tonnes?|TEU|trains?))",
   "year")

# "than" compares, except before a figure ("more than 5 million") or a verb ("more than
# tripled", "more than double"). Shared with the quantities' comparison cues.
THAN_COMPARES = (r"than(?!\s+(?:about|around|some)?\s*[\d$€]|\s+\w+(?:ed|fold)\b"
                 r"|\s+(?:doubl|tripl|quadrupl|halv)\w*)")
COMPARISON_CUE = re.compile(
    r"\b(?:compared|comparison|against|versus|vs\.?|relative\s+to|up\s+from|down\s+from"
    rf"|{THAN_COMPARES})\b"
    r"|\bfrom\s+(?:about\s+|around\s+)?(?:[$€]?\d|(?:one|two|three|four|five|six|seven"
    r"|eight|nine|ten|a)\s)|\bas\s+(?:in|during)\s*$"
    r"|\b(?:up|down|rose|fell|increased|decreased|grew|declined)\b(?:\s+\S+){0,4}\s+from\s*$"
    r"|(?:%|percent|increase|growth|rise|up|down|decline|more|less|higher|lower)\s+"
    r"(?:\S+\s+){0,2}?(?:on|over)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


RECORD_SINCE = re.compile(r"\b(?:highest|lowest|largest|biggest|best|worst|most|least|record|"
                          r"strongest|weakest)\b[^.;,]{0,25}$", re.IGNORECASE)


def _is_comparison(text: str, start: int) -> bool:
    if text[start:start + 5].lower() == "from " and re.search(
            r"\b(?:up|down|rose|fell|increased|decreased|grew|declined)\s+(?!by\b)[\d.,]+\s*"
            r"(?:%|percent|per\s+cent)?\s*$", text[max(0, start - 40):start], re.IGNORECASE):
        return True  # "up 8.7% from January" (but "cut by 15% from September" starts then)
    window = text[max(0, start - 80):start]
    window = re.split(r"[;:(/]|,\s", window)[-1]
    words = window.split()
    window = " ".join(words[-9:]) + (" " if window.endswith(" ") else "")
    for m in COMPARISON_CUE.finditer(window):
        after = window[m.end():]
        if m.group().lower().startswith("from") and re.search(r"\bto\b", after):
            continue
        return True
    return False


# Phrases that name months of a year without the year: "between January and June", "in Q1".
YEARLESS = frozenset({"month_range", "first_months", "quarter", "half", "month", "month_year"})


def find_periods(text: str, ref: RefDate, context_year: int | None = None) -> list[Mention]:
    """Every period phrase in `text`, left to right, resolved against `ref` where possible.

    With no reference year, `context_year` (the year of the article's period so far) dates
    phrases that name months but no year: "between January and June" after "in H1 2025"."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    context_ref = RefDate(context_year) if ref.year is None and context_year else None
    for rx, name in _PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < e and b > s for s, e in taken):
                continue
            mention = _build(name, m, text, ref)
            if context_ref and name in YEARLESS and (mention is None or mention.kind == "vague"):
                mention = _build(name, m, text, context_ref)
                if mention is not None and mention.note:
                    mention = replace(mention, confidence=0.7, note=f"'{mention.text}' dated "
                                      "with the year of an earlier sentence")
            if mention is None:
                continue
            taken.append((a, b))
            if EVENT_BEFORE.search(text[max(0, a - 40):a]):
                mention = replace(mention, event=True)
            out.append(mention)
    return _anchor_spans(_year_of_the_sentence(sorted(out, key=lambda x: x.start)))


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


def _date_month(text: str, ref: RefDate) -> Span | None:
    """The month of a calendar day ("5 March 2025", "August 1" in an article of 2025)."""
    month = DATE_MONTH.search(text)
    year = DATE_YEAR.search(text)
    if month:
        y = int(year.group(1)) if year else ref.year
        return Span.months(y, _month(month.group()), _month(month.group())) if y else None
    iso = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return Span.months(int(iso.group(1)), int(iso.group(2)), int(iso.group(2)))
    return None


# "which was launched in 2019", "since its opening in 2018": when something happened, which
# is not the period of the figures beside it.
EVENT_BEFORE = re.compile(
    r"\b(?:launched|opened|founded|established|inaugurated|built|created|set\s+up|unveiled"
    r"|commissioned|put\s+into\s+(?:operation|service)|before|prior\s+to"
    r"|launch|opening|founding|establishment|inauguration|construction)\s+(?:back\s+)?"
    r"(?:in|on|since)?\s*(?:the\s+)?$",
    re.IGNORECASE,
)


def _year_of_the_sentence(mentions: list[Mention]) -> list[Mention]:
    # "in 2024, ... 60 thousand tons at the end of the year": the year is 2024, not this year.
    years = [m.span for m in mentions if m.kind == "explicit" and m.span and m.span.is_year
             and not m.comparison and not m.note]
    if len(years) != 1:
        return mentions
    return [replace(m, span=years[0], note="") if re.search(r"end of (?:the )?year$", m.text,
                                                            re.IGNORECASE) else m
            for m in mentions]


def _build(name: str, m: re.Match[str], text: str, ref: RefDate) -> Mention | None:
    g = m.groupdict()
    if g.get("yy") and not g.get("yr"):
        g["yr"] = "20" + g["yy"]  # 9M24, 1H'24, Q1'24
    a, b, s = m.start(), m.end(), m.group()
    base = Mention(a, b, s, "explicit")
    if name == "date":
        return replace(base, kind="date", span=_date_month(s, ref))
    if name == "month_year_range":
        months = re.findall(MONTH, s)
        span = Span(int(g["y1"]), _month(months[0]), int(g["y2"]), _month(months[1]))
        return _explicit(base, span, text)
    if name == "month_range":
        y, relative = _year_ref(g.get("yr"), ref)
        if y is None:
            return replace(base, kind="vague", note=f"'{s}' without a year or reference date")
        span = _not_after_ref(Span.months(y, _month(g["ma"]), _month(g["mb"])), ref,
                              bool(g.get("yr")))
        return _explicit(base, span, text, relative)
    if name == "first_months":
        n = _num(g["n"])
        yr = g.get("yr")
        y, relative = _year_ref(yr, ref)
        if not n or n > 12:
            return None
        if y is None:
            return replace(base, kind="vague", note=f"'{s}' without a year or reference date")
        span = _not_after_ref(Span.months(y, 1, n), ref, bool(yr))
        return _explicit(base, span, text, relative)
    if name == "last_months":
        n = _num(g["n"])
        y, relative = _year_ref(g["yr"], ref)
        if not n or n > 12 or y is None:
            return None
        return _explicit(base, Span.months(y, 13 - n, 12), text, relative)
    if name == "past_months":
        n = _num(g["n"])
        if not n or ref.year is None or ref.month is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference month")
        end_y, end_m = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
        start_index = end_y * 12 + end_m - 1 - (n - 1)
        span = Span(start_index // 12, start_index % 12 + 1, end_y, end_m)
        return replace(base, span=span, confidence=0.7,
                       note=f"'{s}' counted back from the reference date")
    if name == "quarter":
        q = int(g["q"]) if g.get("q") else (ORD.get((g.get("o") or "").lower(), 4))
        yr = g.get("yr") or g.get("yr2")
        y, relative = _year_ref(yr, ref)
        if y is None:
            return replace(base, kind="vague", note=f"'{s}' without a year or reference date")
        span = _not_after_ref(Span.months(y, 3 * q - 2, 3 * q), ref, bool(yr))
        return _explicit(base, span, text, relative)
    if name == "half":
        h = int(g["h"]) if g.get("h") else ORD[g["o"].lower()]
        y, relative = _year_ref(g.get("yr") or g.get("yr2"), ref)
        if y is None:
            return replace(base, kind="vague", note=f"'{s}' without a year or reference date")
        has_year = bool(g.get("yr") or g.get("yr2"))
        span = _not_after_ref(Span.months(y, 6 * h - 5, 6 * h), ref, has_year)
        return _explicit(base, span, text, relative)
    if name in ("by_end", "end_of"):
        y, relative = _year_ref(g.get("yr") if g.get("yr") and re.match(r"\d", g["yr"])
                                else (g.get("yr2") or _relative_year_words(g.get("yr"))), ref)
        if y is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference date")
        kind = "by" if name == "by_end" or s.lower().startswith("by") else "explicit"
        return _explicit(replace(base, kind=kind), Span.year(y), text, relative)
    if name == "month_year":
        y, relative = _year_ref(g["yr"], ref)
        if y is None:
            return None
        kind = "by" if g.get("by") else "explicit"
        mo = _month(g["m"])
        return _explicit(replace(base, kind=kind), Span.months(y, mo, mo), text, relative)
    if name == "month":
        if ref.year is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference date")
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
    if name == "year_range":
        y1 = int(g["a"])
        y2 = int(g["b"]) if g.get("b") else int(g["a"][:2] + g["tail"])
        if y2 <= y1:
            return None
        return _explicit(base, Span(y1, 1, y2, 12), text)
    if name in ("years_span", "decade"):
        n = 10 if name == "decade" else _num(g["n"])
        direction = (g.get("dir") or "").lower()
        future = direction in ("next", "coming", "following")
        if not n or ref.year is None:
            return replace(base, kind="vague", future=future,
                           note=f"'{s}' without a reference date")
        if future:
            span = Span(ref.year, 1, ref.year + n, 12)
            note = f"'{s}' read as {span.text()}, starting at the reference year"
        else:
            span = Span(ref.year - n, 1, ref.year, 12)
            note = f"'{s}' read as {span.text()}, ending at the reference year"
        return replace(base, kind="span", span=span, future=future, confidence=0.5, note=note)
    if name == "since":
        if RECORD_SINCE.search(text[max(0, a - 40):a]):
            return replace(base, kind="date")  # "the highest figure since 2014" dates nothing
        if ref.year is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference date")
        span = Span(int(g["yr"]), 1, ref.year, 12)
        return replace(base, kind="since", span=span, confidence=0.6,
                       note=f"'{s}' read as {span.text()}, up to the reference year")
    if name == "same_prev":
        return replace(base, kind="same", comparison=True, year_hint=None)
    if name == "same_year":
        return replace(base, kind="same", comparison=True, year_hint=int(g["yr"]))
    if name == "previous":
        return replace(base, kind="previous", comparison=True)
    if name == "yoy":
        return replace(base, kind="yoy", comparison=True)
    if name == "vague":
        return replace(base, kind="vague", future=True, note=f"period vague: '{s}'")
    if name == "context":
        return replace(base, kind="context")
    if name == "relative":
        which, unit = g["which"].lower(), g["unit"].lower()
        if ref.year is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference date")
        offset = {"last": -1, "past": -1, "next": 1}.get(which, 0)
        if unit == "year":
            span = Span.year(ref.year + offset)
        else:
            if ref.month is None:
                return replace(base, kind="vague", note=f"'{s}' without a reference month")
            index = ref.year * 12 + ref.month - 1 + offset
            span = Span.months(index // 12, index % 12 + 1, index % 12 + 1)
        return _explicit(base, span, text, True)
    if name == "ytd":
        if g.get("yr") and int(g["yr"]) != ref.year:
            return _explicit(base, Span.year(int(g["yr"])), text)
        if ref.year is None or ref.month is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference month")
        if ref.month == 1:
            return replace(base, span=Span.months(ref.year, 1, 1), confidence=0.6,
                           note=f"'{s}' read as January {ref.year}")
        span = Span.months(ref.year, 1, ref.month - 1)
        return replace(base, span=span, confidence=0.6,
                       note=f"'{s}' read as {span.text()}, up to the last full month")
    if name == "now":
        if ref.year is None or ref.inferred:
            return replace(base, kind="now", confidence=0.5,
                           note=f"'{s}' read as the latest period the article names")
        return replace(base, span=Span.year(ref.year), confidence=0.7,
                       note=f"'{s}' read as the publication year")
    if name == "full_year":
        return replace(base, kind="full_year", confidence=0.8)
    if name == "years_ago":
        n = _num(g["n"])
        if not n or ref.year is None:
            return replace(base, kind="vague", note=f"'{s}' without a reference date")
        return _explicit(base, Span.year(ref.year - n), text, True)
    if name == "weekday":
        # "pledged 10 billion euros on Monday": a day of the week of publication.
        if ref.month is None or ref.day is None:
            return None
        return replace(base, kind="date", span=Span.months(ref.year, ref.month, ref.month))
    if name == "now_word":
        if ref.year is None or ref.inferred:
            return None
        return replace(base, span=Span.year(ref.year), confidence=0.7, weak=True,
                       note=f"'{s}' read as the publication year")
    if name == "year":
        if not g.get("by") and YEAR_AS_COUNT.match(text, b) and not YEAR_PREP.search(
                text[max(0, a - 16):a]):
            return None  # "handled 2050 wagons": a count, not a year
        kind = "by" if g.get("by") else "explicit"
        return _explicit(replace(base, kind=kind), Span.year(int(g["yr"])), text)
    raise AssertionError(name)


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
                   confidence=0.9 if relative else 1.0, note=note)


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
