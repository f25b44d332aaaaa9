"""The period notation (2024, 2024-Q1, 2025-H1, 2024-09, 2024-09-30, A/B), declared once:
its forms, the pattern a period matches, parsing to dates and a readable label."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

FORMS = "YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY-MM-DD, or an interval A/B of these"

# The one declaration of each form's shape; month and day ranges are checked by parse().
_SHAPES = {
    "year": r"(\d{4})",
    "quarter": r"(\d{4})-Q([1-4])",
    "half": r"(\d{4})-H([12])",
    "month": r"(\d{4})-(\d{2})",
    "day": r"(\d{4})-(\d{2})-(\d{2})",
}
_YEAR, _QUARTER, _HALF, _MONTH, _DAY = (re.compile(f"^{p}$") for p in _SHAPES.values())
_ONE = "|".join(p.replace("(", "(?:") for p in _SHAPES.values())
# Text shaped like a period or an interval of two (whether its dates exist: valid()).
PATTERN = re.compile(rf"(?:{_ONE})(?:/(?:{_ONE}))?")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    text: str
    start: date
    end: date

    @property
    def is_interval(self) -> bool:
        return "/" in self.text

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(text: str) -> tuple[date, date]:
    if m := _YEAR.match(text):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    if m := _QUARTER.match(text):
        y, q = int(m[1]), int(m[2])
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if m := _HALF.match(text):
        y, h = int(m[1]), int(m[2])
        return date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
    if m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise PeriodError(f"month {mo} is not 01-12")
        return date(y, mo, 1), _month_end(y, mo)
    if m := _DAY.match(text):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise PeriodError(f"{text} is not a calendar date") from exc
        return d, d
    raise PeriodError(f"expected {FORMS}")


def parse(text: str) -> Period:
    """Parse one period; raises PeriodError saying what was expected."""
    text = text.strip()
    if "/" in text:
        a, _, b = text.partition("/")
        start, _ = _single(a.strip())
        b_start, end = _single(b.strip())
        if b_start < start:
            raise PeriodError(f"interval runs backwards: {b.strip()} is before {a.strip()}")
        return Period(text, start, end)
    start, end = _single(text)
    return Period(text, start, end)


def valid(text: str) -> bool:
    """Whether `text` is a period exactly as written: the notation, real dates, no spaces."""
    if not PATTERN.fullmatch(text):
        return False
    try:
        parse(text)
    except PeriodError:
        return False
    return True


def label(text: str) -> str:
    """Human label: 2024-01/2024-11 -> 'Jan–Nov 2024 (year to date)'."""
    try:
        p = parse(text)
    except PeriodError:
        return text
    if p.is_interval:
        if p.start.year == p.end.year and p.start.month == 1 and p.start.day == 1:
            return f"{p.start:%b}–{p.end:%b} {p.end.year} (year to date)"
        return f"{p.start:%b %Y}–{p.end:%b %Y}"
    return text
