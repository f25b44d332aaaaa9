"""Tables for people: readable headers, numbers with units, empty cells instead of 'None',
quotes kept whole (the page wraps them). Downloads keep the machine-readable columns."""

from __future__ import annotations

import pandas as pd

from indicators import codes, formatting, markup, period_notation


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


NOT_FETCHED = "not fetched (seed or upload)"


def freshness(frame: pd.DataFrame) -> pd.DataFrame:
    """`fetch_store.freshness` for people: the source by its title and kind's name, the
    latest rate's date, how many rates are stored and when the source was last fetched."""
    return pd.DataFrame({
        "Currency": frame["currency"], "Source": [_text(t) for t in frame["source_title"]],
        "Kind": [codes.SOURCE_KIND.label.get(k, _text(k)) for k in frame["kind"]],
        "Latest rate": pd.to_datetime(frame["latest"]).dt.date,
        "Rates stored": frame["observations"].astype("int64"),
        "Last fetched (UTC)": [NOT_FETCHED if pd.isna(t) else f"{pd.Timestamp(t):%Y-%m-%d %H:%M}"
                               for t in frame["last_fetched"]],
        "Source id": frame["source"]}, index=frame.index).reset_index(drop=True)


def held(frame: pd.DataFrame) -> pd.DataFrame:
    """`fetch_store.held` for people: what was held back, why, and where it was asked for."""
    return pd.DataFrame({
        "Date": pd.to_datetime(frame["date"]).dt.date,
        "Rate": [f"1 {b} = {formatting.rate_value(r)} {q}" for b, q, r in
                 zip(frame["base"], frame["quote"], frame["rate"], strict=True)],
        "Source id": frame["source"], "Why held": [_text(x) for x in frame["reason"]],
        "Fetched (UTC)": pd.to_datetime(frame["fetched_at"]),
        "Request": [markup.web_url(x) for x in frame["request_url"]]}, index=frame.index
    ).reset_index(drop=True)
