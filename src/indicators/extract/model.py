"""The extractor's data: candidate figure and rate rows as it returns them, and the context an
article builds up as it is read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from indicators.extract import periods as P
from indicators.schema import FIGURES, RATES

# The figures CSV columns, then how sure the extractor is and which rules made each row
# (the import ignores the two extra columns).
FIGURE_COLUMNS: tuple[str, ...] = (*FIGURES.csv_columns, "confidence", "rules")


RATE_COLUMNS: tuple[str, ...] = (*RATES.csv_columns[:4], "change_pct", "source_url")


@dataclass(frozen=True)
class Rate:
    """One ticker quote: 1 `base` costs `rate` `quote` on `date` (the page's date, if known)."""

    date: str | None
    base: str
    quote: str
    rate: float
    change_pct: float | None
    source_url: str | None = None
    text: str = ""

    def as_row(self) -> dict:
        row = asdict(self)
        row.pop("text")
        return row


@dataclass
class Context:
    """What earlier sentences of the same article established."""

    ref: P.RefDate
    period: P.Span | None = None
    latest: P.Span | None = None  # the latest past period named so far: the article's "now"
    main: P.Span | None = None  # the period the article reports on: the headline's or the first
    event_news: bool = False  # the headline reports one event: a train's arrival, a first
    geo: str = ""
    title_geo: str = ""
    indicator: str = ""
    # Past years the article names as the period of a figure (not compared, not an event, not
    # ahead): the ends a span of years ("over the past nine years") may be anchored to.
    years_named: frozenset[int] = frozenset()
    # The span of years of the latest change stated over one ("tripled over the past nine
    # years" -> 2015/2024): a later change "by 2024" is over the same span.
    change_span: P.Span | None = None
    # The period of the first figure of the sentence just read (whatever it was): "Of these,
    # 2.5 million tons accounted for oil" breaks that figure down.
    previous: P.Span | None = None
    # The unit and kind of the last amount stated so far: "In 2008 the figure was 21 million".
    last_unit: tuple[str, str] | None = None


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
    # Which rules produced the value, unit, period and status ("unit": "unit.tonnes+unit.per_time").
    rules: dict[str, str] = field(default_factory=dict)

    def as_row(self) -> dict:
        return {c: self.rules_text if c == "rules" else getattr(self, c) for c in FIGURE_COLUMNS}

    @property
    def rules_text(self) -> str:
        """The provenance in one cell: "value=number.digits; unit=unit.teu; period=...". """
        return "; ".join(f"{part}={name}" for part, name in self.rules.items() if name)


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
    # Set when a time budget ended the reading early: where it stopped, for the reviewer.
    stopped_early: str = ""

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
        """Rows in the figures CSV column order, plus `confidence` and `rules`."""
        return pd.DataFrame([f.as_row() for f in self.figures], columns=list(FIGURE_COLUMNS))

    def rates_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.as_row() for r in self.rates], columns=list(RATE_COLUMNS))

