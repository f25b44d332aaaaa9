"""Tables for people: readable headers, numbers with units, empty cells instead of 'None',
quotes kept whole (the page wraps them). Downloads keep the machine-readable columns."""

from __future__ import annotations

import pandas as pd

from indicators import formatting, period_notation


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of `queries.figures` as people read them: 'Jan–Apr 2025 (year to date)', '1.5 Mt'."""
    if frame.empty:
        return pd.DataFrame(columns=["Period", "Value", "Indicator", "Scope", "Status",
                                     "Source", "Published", "Quote", "Flag", "Derivation",
                                     "Link"])
    derived = frame["derived"].fillna(False).astype(bool) if "derived" in frame else \
        pd.Series(False, index=frame.index)
    return pd.DataFrame({
        "Period": [period_notation.label(p) for p in frame["period"]],
        "Value": [formatting.quantity(v, u) for v, u in zip(frame["value"], frame["unit"],
                                                            strict=True)],
        "Indicator": [_text(x) for x in frame.get("indicator_name", frame["indicator"])],
        "Scope": [_text(x) for x in frame["geo"]],
        "Status": [f"{s}, derived" if d else _text(s) for s, d in
                   zip(frame["status"], derived, strict=True)],
        "Source": [_text(x) for x in frame.get("source_title", pd.Series("", frame.index))],
        "Published": [formatting.day(x) if _text(x) else "" for x in
                      frame.get("source_published", pd.Series("", frame.index))],
        "Quote": [_text(x) for x in frame.get("quote", pd.Series("", frame.index))],
        "Flag": [_text(x) for x in frame.get("flag", pd.Series("", frame.index))],
        "Derivation": [_text(x) for x in frame.get("derivation", pd.Series("", frame.index))],
        "Link": [_text(x) for x in frame.get("source_url", pd.Series("", frame.index))],
    })
