"""An in-memory RateSink, for tests and dry runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from indicators.fetch.model import HeldRate, RateRow

Key = tuple[date, str, str, str]  # date, base, quote, source: the rates primary key


@dataclass
class MemorySink:
    """Keeps rows in dicts; `saves` records each save call as (source, origin, rows added)."""

    rows: dict[Key, RateRow] = field(default_factory=dict)
    held: list[HeldRate] = field(default_factory=list)
    saves: list[tuple[str, str, int]] = field(default_factory=list)

    def stored_dates(self, source: str, quote: str, start: date, end: date) -> set[date]:
        return {k[0] for k in self.rows if k[3] == source and k[2] == quote
                and start <= k[0] <= end}

    def last_rate(self, source: str, base: str, quote: str, before: date) -> float | None:
        earlier = [r for k, r in self.rows.items()
                   if k[3] == source and k[1] == base and k[2] == quote and k[0] < before]
        return max(earlier, key=lambda r: r.date).rate if earlier else None

    def save(self, source: str, rows: list[RateRow], *, origin: str) -> int:
        if any(r.source != source for r in rows):
            raise ValueError(f"save({source!r}) was given rows of another source")
        added = 0
        for r in rows:
            key = (r.date, r.base, r.quote, r.source)
            added += key not in self.rows
            self.rows[key] = r
        self.saves.append((source, origin, added))
        return added

    def hold(self, rows: list[HeldRate]) -> None:
        self.held.extend(rows)

    def add(self, row: RateRow) -> None:
        """Store one row directly, as earlier runs would have."""
        self.rows[(row.date, row.base, row.quote, row.source)] = row
