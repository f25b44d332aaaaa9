"""Candidate figure and rate rows as the extractor returns them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.extract.ticker import Rate
from indicators.schema import FIGURES, RATES

FIGURE_COLUMNS: tuple[str, ...] = (*FIGURES.csv_columns, "confidence")


RATE_COLUMNS: tuple[str, ...] = (*RATES.csv_columns[:4], "change_pct", "source_url")


@dataclass
class Figure:
    """One candidate row for the figures table, with how sure the extractor is of it."""

    indicator: str
    geo: str
    period: str
    value: float
    unit: str
    source_url: str | None
    source_title: str | None
    published: str | None
    quote: str
    status: str
    note: str = ""
    derivation: str = ""
    confidence: float = 0.5
    span: tuple[int, int] = (0, 0)  # where the figure is written inside `quote`
    role: str = "level"

    def as_row(self) -> dict:
        return {c: getattr(self, c) for c in FIGURE_COLUMNS}


@dataclass
class ExtractionResult:
    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    url: str | None = None
    text: str = ""
    # With no publication date: the date relative wording was read against ("2025-01"), a
    # guess from the article's latest reported period. Never stored as `published`.
    assumed_reference: str | None = None

    @property
    def assumption_note(self) -> str:
        """What to tell a reviewer when the publication date was guessed, else ""."""
        if not self.assumed_reference:
            return ""
        return (f"No publication date was found, so relative dates (\"last year\", \"this "
                f"year\", \"since the beginning of the year\") were read as if the article was "
                f"written in {self.assumed_reference}, just after the latest period it reports "
                "on. Give the publication date to be sure.")

    def figures_frame(self) -> pd.DataFrame:
        """Rows in the figures CSV column order, plus `confidence`."""
        return pd.DataFrame([f.as_row() for f in self.figures], columns=list(FIGURE_COLUMNS))

    def rates_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.as_row() for r in self.rates], columns=list(RATE_COLUMNS))

