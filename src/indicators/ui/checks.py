"""Open contradictions among the stated figures, for the Sources and corridor pages."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from indicators import consistency, formatting, period_notation, queries
from indicators.ui import caching, widgets

CSV_COLUMNS = {c: c for c in consistency.COLUMNS}


def all_contradictions() -> pd.DataFrame:
    """Every contradiction in the store, computed once per data version."""
    return caching.cached_view("contradictions", (), lambda: consistency.contradictions(
        caching.read(queries.figures)))


def readable(found: pd.DataFrame) -> pd.DataFrame:
    """The contradictions as a table for people: one pair a row, figures with units."""
    def side(s: str) -> list[str]:
        return [f"{period_notation.label(p)}: {formatting.quantity(v, u)}" for p, v, u in
                zip(found[f"period_{s}"], found[f"value_{s}"], found["unit"], strict=True)]
    return pd.DataFrame({
        "Check": found["check"], "Indicator": found["indicator_name"], "Scope": found["geo"],
        "Figure A": side("a"), "Source A": found["source_title_a"], "Quote A": found["quote_a"],
        "Figure B": side("b"), "Source B": found["source_title_b"], "Quote B": found["quote_b"],
        "Why it is flagged": found["message"]})


def show(found: pd.DataFrame, *, key: str, heading: str,
         table: pd.DataFrame | None = None, table_key: Any = None,
         box: Callable[[str], Any] | None = None) -> None:
    """A flagged box listing each contradiction with both figures and their quotes.

    A page that caches its view passes `table`, `readable(found)` made with it, and its
    key as `table_key`, so that a rerun neither rebuilds nor re-encodes the table. With
    `box` (a function of a label giving a container, or None while it is closed: see
    `PageState.table_box`) the table is drawn only once that box is opened.
    """
    if found.empty:
        st.caption("No contradictions found: no two sources disagree on a period, no part of "
                   "a period exceeds the whole, and no year-to-date figure falls.")
        return
    st.warning(f"**{heading}: {formatting.count(len(found), 'contradiction')}.** Both figures "
               "stay on the dashboard with their sources; the table says why they cannot "
               "both be right for the same measure.", icon=":material/warning:")
    where = box(f"The {formatting.count(len(found), 'contradiction')}: both figures, their "
                "sources and quotes, and why") if box is not None else contextlib.nullcontext()
    if where is not None:
        with where:
            table = table if table is not None else readable(found)
            widgets.table(table, key=("contradictions", key, len(found), table_key), wrap=True)
    widgets.csv_button(found, columns=CSV_COLUMNS, name=f"contradictions-{key}",
                      key=f"contradictions_csv_{key}",
                      label="Download the contradictions (CSV)")


def sources_section() -> None:
    """On the Sources page: every open contradiction, in an expander that says how many."""
    found = all_contradictions()
    label = f"Open contradictions between figures ({len(found)})"
    with st.expander(label, icon=":material/warning:" if len(found) else ":material/check:"):
        show(found, key="all", heading="Open contradictions")
