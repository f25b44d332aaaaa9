"""View state <-> query string: parse what a link says, encode only what differs from default.

Each control is a Param that parses its raw query values into a value and, when the
values are unusable, falls back to its default and says why in a Notice. Parsing never
raises: a bad link shows the default view for that control and a short notice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

Query = Mapping[str, Sequence[str]]

_LIST_SEP = re.compile(r"[~,]")
MAX_TEXT = 200


@dataclass(frozen=True)
class Notice:
    """What was wrong with one query parameter and what is shown instead."""

    key: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"`{self.key}={shown}`: {self.message}"


def _raw(query: Query, key: str) -> list[str] | None:
    if key not in query:
        return None
    v = query[key]
    values = [v] if isinstance(v, str) else list(v)
    return values or None


@dataclass(frozen=True)
class Choice:
    """One value out of a fixed list; matched case-insensitively, stored as given."""

    key: str
    label: str
    choices: tuple[str, ...]
    default: str

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def parse(self, query: Query) -> tuple[str, list[Notice]]:
        raw = _raw(query, self.key)
        if raw is None:
            return self.default, []
        text = raw[-1].strip()
        for c in self.choices:
            if c.lower() == text.lower():
                return c, []
        shown = self.default or "none"
        return self.default, [Notice(self.key, text, f"unknown {self.label}; showing "
                                                     f"the default ({shown}).")]

    def encode(self, value: str) -> dict[str, str]:
        return {} if value == self.default else {self.key: value}


@dataclass(frozen=True)
class MultiChoice:
    """Several values out of a fixed list, written `a~b~c`; `key=` means none."""

    key: str
    label: str
    choices: tuple[str, ...]
    default: tuple[str, ...]
    plural: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def canonical(self, values: Sequence[str]) -> tuple[str, ...]:
        wanted = set(values)
        return tuple(c for c in self.choices if c in wanted)

    def parse(self, query: Query) -> tuple[tuple[str, ...], list[Notice]]:
        raw = _raw(query, self.key)
        if raw is None:
            return self.canonical(self.default), []
        items = [p.strip() for r in raw for p in _LIST_SEP.split(r) if p.strip()]
        if not items:
            return (), []
        lookup = {c.lower(): c for c in self.choices}
        good = [lookup[i.lower()] for i in items if i.lower() in lookup]
        bad = [i for i in items if i.lower() not in lookup]
        text = "~".join(raw)
        plural = self.plural or self.label + "s"
        if not good:
            return self.canonical(self.default), [
                Notice(self.key, text, f"no known {plural}; showing the default selection.")]
        notices = []
        if bad:
            notices.append(Notice(self.key, text, f"ignored unknown {self.label} "
                                                  f"{', '.join(bad)}."))
        return self.canonical(good), notices

    def encode(self, value: Sequence[str]) -> dict[str, str]:
        value = self.canonical(value)
        if set(value) == set(self.default):
            return {}
        return {self.key: "~".join(value)}


def parse_day(text: str, *, end: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; a month or year means its first (or, for end, last) day."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            y = int(text)
            return date(y, 12, 31) if end else date(y, 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = int(text[:4]), int(text[5:])
            first = date(y, m, 1)
            if not end:
                return first
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class DateRange:
    """A range `from=YYYY-MM-DD&to=YYYY-MM-DD` inside [lo, hi]; each end defaults to its bound."""

    start_key: str
    end_key: str
    label: str
    lo: date
    hi: date
    default: tuple[date, date] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.start_key, self.end_key)

    @property
    def fallback(self) -> tuple[date, date]:
        return self.default or (self.lo, self.hi)

    def _one(self, query: Query, key: str, *, end: bool) -> tuple[date | None, list[Notice]]:
        raw = _raw(query, key)
        if raw is None or not raw[-1].strip():
            return None, []
        text = raw[-1]
        d = parse_day(text, end=end)
        if d is None:
            return None, [Notice(key, text, "not a date (use YYYY-MM-DD); showing the "
                                            f"default {'end' if end else 'start'}.")]
        if d < self.lo or d > self.hi:
            clamped = min(max(d, self.lo), self.hi)
            return clamped, [Notice(key, text, f"outside the data ({self.lo} to {self.hi}); "
                                               f"using {clamped}.")]
        return d, []

    def parse(self, query: Query) -> tuple[tuple[date, date], list[Notice]]:
        a, na = self._one(query, self.start_key, end=False)
        b, nb = self._one(query, self.end_key, end=True)
        start = a or self.fallback[0]
        stop = b or self.fallback[1]
        if start > stop:
            text = f"{start}..{stop}"
            return self.fallback, na + nb + [Notice(
                f"{self.start_key}/{self.end_key}", text,
                f"the {self.label} runs backwards; showing the default range.")]
        return (start, stop), na + nb

    def encode(self, value: tuple[date, date]) -> dict[str, str]:
        out = {}
        if value[0] != self.fallback[0]:
            out[self.start_key] = value[0].isoformat()
        if value[1] != self.fallback[1]:
            out[self.end_key] = value[1].isoformat()
        return out


@dataclass(frozen=True)
class Text:
    """Free text such as a search box, trimmed to a sane length."""

    key: str
    label: str
    default: str = ""
    max_len: int = MAX_TEXT

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def parse(self, query: Query) -> tuple[str, list[Notice]]:
        raw = _raw(query, self.key)
        if raw is None:
            return self.default, []
        text = raw[-1].strip()
        if len(text) > self.max_len:
            return text[: self.max_len], [Notice(self.key, text, f"{self.label} cut to "
                                                                 f"{self.max_len} characters.")]
        return text, []

    def encode(self, value: str) -> dict[str, str]:
        value = (value or "").strip()
        return {} if value == self.default else {self.key: value}


Param = Choice | MultiChoice | DateRange | Text


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def parse(query: Query, params: Sequence[Param]) -> Parsed:
    """Every param's value, plus notices for bad values and for unknown keys."""
    out = Parsed()
    for p in params:
        value, notices = p.parse(query)
        out.values[_name(p)] = value
        out.notices += notices
    out.notices += unknown_keys(query, params)
    return out


def unknown_keys(query: Query, params: Sequence[Param]) -> list[Notice]:
    known = {k for p in params for k in p.keys}
    return [Notice(k, "~".join(_raw(query, k) or []), "not a setting of this page; ignored.")
            for k in query if k not in known]


def encode(values: Mapping[str, Any], params: Sequence[Param]) -> dict[str, str]:
    """Only what differs from each param's default, in the params' order."""
    out: dict[str, str] = {}
    for p in params:
        if _name(p) in values:
            out.update(p.encode(values[_name(p)]))
    return out


def query_string(values: Mapping[str, str]) -> str:
    """`a=1&b=x~y`; `~` and `/` stay readable."""
    return urlencode(values, safe="~/")


def link(base: str, values: Mapping[str, str]) -> str:
    qs = query_string(values)
    return f"{base}?{qs}" if qs else base


def _name(p: Param) -> str:
    return p.start_key if isinstance(p, DateRange) else p.key
