"""The records a fetch produces and the sink protocol that stores them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

BASE = "USD"


@dataclass(frozen=True)
class Quote:
    """One rate as a parser reads it: 1 unit of `base` costs `rate` units of `quote`."""

    date: date
    base: str
    quote: str
    rate: float


@dataclass(frozen=True)
class RateRow:
    """A fetched rate ready for the `rates` table."""

    date: date
    base: str
    quote: str
    rate: float
    source: str
    fetched_at: datetime  # timezone-aware, UTC
    request_url: str


@dataclass(frozen=True)
class HeldRate:
    """A fetched rate that looked absurd, kept for review in `held_rates` instead of `rates`."""

    date: date
    base: str
    quote: str
    rate: float
    source: str
    fetched_at: datetime
    request_url: str
    reason: str

    @classmethod
    def of(cls, row: RateRow, reason: str) -> HeldRate:
        return cls(row.date, row.base, row.quote, row.rate, row.source, row.fetched_at,
                   row.request_url, reason)


@dataclass(frozen=True)
class MissingDate:
    """A requested date for which no rate was stored, and why."""

    date: date
    quote: str
    reason: str
    # False for the expected gaps: no rate published on a weekend, or not published yet.
    is_failure: bool


class RateSink(Protocol):
    """Where fetched rates go; the app implements it on DuckDB, tests use `MemorySink`."""

    def stored_dates(self, source: str, quote: str, start: date, end: date) -> set[date]: ...

    def last_rate(self, source: str, base: str, quote: str, before: date) -> float | None: ...

    def save(self, source: str, rows: list[RateRow], *, origin: str) -> int:
        """Store all rows or none; return how many were added."""
        ...

    def hold(self, rows: list[HeldRate]) -> None: ...
