"""The ports page: Caspian and Black Sea ports side by side, full years and part years apart."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators import markup, ports, queries
from indicators.ui import caching, widgets

CSV_COLUMNS = {c: c for c in ("indicator", "geo", "period", "period_start", "period_end",
                              "value", "unit", "status", "derived", "source_title",
                              "source_url", "source_published", "quote")}


PART_YEAR_WIDTHS = {"Port": 230, "Period": 190, "Measure": 170, "Value": 90, "Growth": 220}


@dataclass
class View:
    names: list[str]
    tables: dict[str, pd.DataFrame]
    part_years: pd.DataFrame
    figures: pd.DataFrame
    titles: list[str]


def _build() -> View:
    measures = list(ports.MEASURES)
    frame = caching.read(queries.figures, indicators=measures)
    growth = caching.read(queries.figures, indicators=[f"{m}_yoy" for m in measures])
    names = ports.port_names(frame)
    tables = {m: ports.comparison(frame, growth, m, names) for m in measures}
    titles = sorted(set(frame["source_title"].dropna()))
    return View(names, tables, ports.part_years(frame, growth, names), frame, titles)


def load() -> View:
    return caching.cached_view("ports", (), _build)


def show(v: View) -> None:
    for measure, label in ports.MEASURES.items():
        st.subheader(f"{label}, full calendar years")
        table = v.tables[measure]
        missing = table.loc[table["Note"] == ports.NO_FIGURES, "Port"].tolist()
        partly = table.loc[table["Note"].str.startswith("no full-year"), "Port"].tolist()
        widgets.table(table, key=("ports", measure), pin="Port")
        notes = [f"No figures yet for {', '.join(map(markup.md, missing))}." if missing else "",
                 f"Part years only for {', '.join(map(markup.md, partly))}." if partly else ""]
        if any(notes):
            st.caption(" ".join(n for n in notes if n))
    st.caption("Reported figures only, newest year first. Growth is on the year before: "
               "derived here from two stated years, or as a source states it. "
               "'↳' rows are sub-flows of the port above (oil, grain, transit); they are part of "
               "it, not beside it. '⚠ sources differ': two sources give different values.")
    st.subheader("Year to date, quarters and months")
    st.caption("Part-year figures are kept apart: Jan–Jul is not comparable with a full year.")
    if v.part_years.empty:
        st.info("No part-year port figures yet.")
    else:
        # The longest port name would take a third of the width and push the growth out of
        # view: capped, it still reads whole except on the longest sub-flows (hover them).
        widgets.table(v.part_years, key=("ports", "part"), pin="Port", wrap=True,
                      widths=PART_YEAR_WIDTHS)
    widgets.source_caption(v.titles)
    widgets.csv_button(v.figures, columns=CSV_COLUMNS, name="ports", key="ports_csv")
