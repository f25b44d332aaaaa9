"""CSV of exactly what a view displays, safe to open in a spreadsheet, and chart image options."""

from __future__ import annotations

import math
import re

import pandas as pd

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
IMAGE_FORMATS = ("png", "svg")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.strftime("%Y-%m-%d")
    return neutralise(value)


def csv_bytes(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads the dashes and quotes right).

    `columns` maps frame columns to header names and fixes their order. Dates are
    written YYYY-MM-DD, numbers in full precision, and text cells are neutralised.
    """
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]].rename(columns=columns)
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d").fillna("")
        elif out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = [_cell(v) for v in out[c]]
    out.columns = [neutralise(str(c)) for c in out.columns]
    return ("\ufeff" + out.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def file_name(*parts: str, ext: str = "csv") -> str:
    """central-asia-rates-kzt-kgs-2015-01-01-2022-07-01.csv"""
    text = "-".join(p for p in parts if p)
    text = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-").lower()
    return f"{text[:120] or 'data'}.{ext}"


def chart_config(name: str, image_format: str = "png") -> dict:
    """Plotly config: the toolbar's camera button saves PNG or SVG under a telling name."""
    fmt = image_format if image_format in IMAGE_FORMATS else "png"
    return {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": fmt, "filename": file_name(name, ext="x")[:-2],
                                 "height": 600, "width": 1000, "scale": 2 if fmt == "png" else 1},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
