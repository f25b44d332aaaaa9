"""Figures from article text: numbers, units, periods, status and a catalogue guess per sentence."""

from indicators.extract.core import (
    FIGURE_COLUMNS,
    RATE_COLUMNS,
    ExtractionResult,
    Figure,
    extract_figures,
)
from indicators.extract.model import Rate

__all__ = ["FIGURE_COLUMNS", "RATE_COLUMNS", "ExtractionResult", "Figure", "Rate",
           "extract_figures"]
