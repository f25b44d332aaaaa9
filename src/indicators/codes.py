"""Code tables, declared once: figure statuses, source kinds and batch kinds.

Each code has its label, rank (lower comes first: the preferred source, the firmest
status), chart colour and dash, and description. The schema's CHECK constraints, the data
dictionary, validation, charts, legends and source ranking all read these tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    rank: int
    description: str
    colour: str | None = None
    dash: str | None = None
    width: float | None = None  # line width, where a chart draws the code's lines
    symbol: str | None = None  # Plotly marker symbol
    low_precision: bool = False  # values rounded for display, dated by page capture
    forward_looking: bool = False  # a status about what is to come (a forecast, a target)


@dataclass(frozen=True)
class CodeTable:
    """One controlled vocabulary; the first entry is the default."""

    name: str
    entries: tuple[Code, ...]

    def __post_init__(self) -> None:
        if len({e.code for e in self.entries}) != len(self.entries):
            raise ValueError(f"{self.name}: a code is declared twice")

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries)

    def __getitem__(self, code: str) -> Code:
        for e in self.entries:
            if e.code == code:
                return e
        raise KeyError(f"{self.name}: {code!r}")

    def __contains__(self, code: object) -> bool:
        return any(e.code == code for e in self.entries)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes in declaration order (the order shown in controls and the docs)."""
        return tuple(e.code for e in self.entries)

    @property
    def ranked(self) -> tuple[str, ...]:
        return tuple(e.code for e in sorted(self.entries, key=lambda e: e.rank))

    @property
    def low_precision(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries if e.low_precision)

    @property
    def forward_looking(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries if e.forward_looking)

    @property
    def default(self) -> str:
        return self.entries[0].code

    @property
    def rank(self) -> dict[str, int]:
        return {e.code: e.rank for e in self.entries}

    @property
    def label(self) -> dict[str, str]:
        return {e.code: e.label for e in self.entries}

    @property
    def colour(self) -> dict[str, str]:
        return {e.code: e.colour for e in self.entries if e.colour}

    @property
    def dash(self) -> dict[str, str]:
        return {e.code: e.dash for e in self.entries if e.dash}


STATUS = CodeTable("status", (
    Code("reported", "reported", 0, "Stated as having happened.",
         colour="#1f77b4", dash="solid", width=4, symbol="circle"),
    Code("forecast", "forecast", 1, "Expected by someone, not yet happened.",
         colour="#ff7f0e", dash="dash", width=2, symbol="circle-open", forward_looking=True),
    Code("target", "target", 2, "A plan or goal set by a government or operator.",
         colour="#2ca02c", dash="dot", width=2, symbol="star-open", forward_looking=True),
    Code("capacity", "capacity", 3, "What a route, port or terminal can handle, not traffic.",
         colour="#7f7f7f", dash="dashdot", width=1.5, symbol="square-open"),
))

# Rank: which source a view prefers when several give the same rate.
SOURCE_KIND = CodeTable("source kind", (
    Code("official", "official", 0, "A central bank's or statistics office's own figures.",
         colour="#08519c", dash="solid"),
    Code("official-cross", "official cross rate", 1,
         "Computed from one official source's rates against a third currency.",
         colour="#41ab5d", dash="solid"),
    Code("aggregate", "aggregator", 2, "A service that republishes other sources' rates.",
         colour="#6a51a3", dash="longdash"),
    Code("press", "press", 6, "News and analysis articles.", colour="#8c6d31", dash="dash"),
    Code("ticker", "ticker snapshot", 4, "A low-precision rate ticker read on a web page.",
         colour="#fd8d3c", dash="dot", low_precision=True),
    Code("seed-page", "seed-page snapshot", 3,
         "A value read from a page when the seed was built.", colour="#e6550d", dash="dot",
         low_precision=True),
    Code("user", "user upload", 5,
         "Added by an upload or import: a new URL, title or free-text name.",
         colour="#636363", dash="dashdot"),
))

BATCH_KIND = CodeTable("batch kind", (
    Code("seed", "seed", 0, "The committed seed, loaded by `indicators init`."),
    Code("import", "CLI import", 1, "A CSV loaded with `indicators import`."),
    Code("upload", "upload", 2, "A CSV committed on the Upload page."),
    Code("fetch", "rate refresh", 3, "Rates fetched from the central banks."),
    Code("extract", "saved extraction", 4, "Figures extracted from an article and saved."),
    Code("undo", "undo", 5, "The reversal of an earlier batch."),
))
