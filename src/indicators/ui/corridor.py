"""The Middle Corridor view: indicator and scope controls, figures over their true periods,
derived growth next to stated growth, and the table of every figure shown."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import (
    charts,
    codes,
    consistency,
    corridor_charts,
    corridor_views,
    formatting,
    markup,
    period_notation,
    queries,
    scopes,
    seed,
    tables,
    transforms,
    urlstate,
)
from indicators.ui import caching, checks, page_state, widgets

TABS = {"chart": "Chart", "table": "Table"}
TAB_PARAM = urlstate.Choice("tab", "tab", tuple(TABS), "chart")
VIEWS = corridor_views.VIEWS
VIEW_PARAM = urlstate.Choice("view", "view", tuple(VIEWS), corridor_views.DEFAULT_VIEW)
MARKS = {"bar": "Bars", "line": "Line"}
MARK_PARAM = urlstate.Choice("mark", "chart type", tuple(MARKS), "bar")
STATUS_PARAM = urlstate.MultiChoice("status", "status", codes.STATUS.codes,
                                    (codes.STATUS.default,), "statuses")
COMPARE_PARAM = urlstate.Choice("compare", "comparison", ("off", "reported"), "off")
DEFAULT_INDICATORS = ("cargo_tonnage",)
DEFAULT_SCOPE = scopes.slug(scopes.WHOLE)
# Most figures one chart draws (its payload stays well under 1 MB); the table has them all.
CHART_CAP = 1_000
TABLE_COLUMNS = {
    "indicator": "indicator", "indicator_name": "indicator_name", "geo": "geo",
    "period": "period", "period_start": "period_start", "period_end": "period_end",
    "value": "value", "unit": "unit", "status": "status", "derived": "derived",
    "derivation": "derivation", "source": "source", "source_title": "source_title",
    "source_publisher": "source_publisher", "source_published": "source_published",
    "source_url": "source_url", "quote": "quote", "note": "note", "flag": "flag",
}
GROWTH_COLUMNS = {
    "indicator": "indicator", "geo": "geo", "measure": "measure", "from_period": "from_period",
    "to_period": "to_period", "from_value": "from_value", "to_value": "to_value",
    "unit": "unit", "growth_pct": "growth_pct", "basis": "basis", "derivation": "derivation",
    "from_source_title": "from_source", "to_source_title": "to_source",
}
VIEW_NOTES = {
    "annual": ("Full calendar years as sources report them: one bar per source and year, "
               "coloured by place. Hollow: a year derived here from a stated growth rate. "
               "Striped or ringed in red: flagged by a consistency check (hover for why). A "
               "shaded 'no figure' band is a year between a place's first and last with no "
               "full-year figure. Sub-flows and ranges are under All figures."),
    "ytd": ("Totals from 1 January to the month on the axis, one line per place and year; the "
            "legend says which months each line covers. Older years are paler and dashed. "
            "Ringed in red: flagged by a consistency check."),
    "plans": ("Forecasts, targets and capacities, apart from reported values (switch on the "
              "comparison to draw reported values on the same scale)."),
}
STYLE_NOTE = ("Each line spans its period (a quarter is a quarter; a year-to-date figure runs "
              "from January to its last month). Solid: reported; dashed: forecast; dotted: "
              "target; dash-dot: capacity; hollow diamond: derived by the curator.")


@dataclass(frozen=True)
class Controls:
    indicators: tuple[str, ...]
    scope: scopes.Scope
    statuses: tuple[str, ...]
    view: str = corridor_views.DEFAULT_VIEW
    mark: str = "bar"


@dataclass
class View:
    """Everything the page shows for one state of the controls, built once and cached."""

    controls: Controls
    names: dict[str, tuple[str, str]]
    figures: pd.DataFrame
    growth: pd.DataFrame
    chart: go.Figure
    titles: list[str]
    growth_table: pd.DataFrame
    capped: bool = False
    flags: pd.DataFrame | None = None
    shown: pd.DataFrame | None = None  # the rows the chosen view draws
    flags_table: pd.DataFrame | None = None  # `flags` for people (checks.readable)


@dataclass(frozen=True)
class Base:
    names: dict[str, tuple[str, str]]
    choices: tuple[str, ...]
    scopes: tuple[scopes.Scope, ...]


def _base() -> Base:
    catalogue = caching.read(queries.indicator_catalogue)
    catalogue = catalogue[catalogue["figures"] > 0]
    names = {r.id: (r.name, r.unit) for r in catalogue.itertuples()}
    choices = tuple(sorted(names, key=lambda i: (i.endswith(("_yoy", "_multiple", "_cagr")),
                                                 names[i][0])))
    geos = caching.read(queries.figure_geos)
    known = scopes.load(seed.seed_dir() / "geos.csv")
    return Base(names, choices, tuple(scopes.scopes(scopes.classify(list(geos["geo"]), known))))


def controls(state: page_state.PageState) -> tuple[Controls, dict[str, tuple[str, str]]]:
    """The view above the chart, the rest in the sidebar; each seeded from the URL. Draws
    only through `state` (see `PageState.controls_after`)."""
    base = caching.cached_view("corridor_base", (), _base)
    names, choices = base.names, base.choices
    default = tuple(i for i in DEFAULT_INDICATORS if i in names) or choices[:1]
    by_slug = {s.slug: s for s in base.scopes}
    view = state.pills(VIEW_PARAM, "View", format_func=VIEWS.get,
                       help="Annual: full years. Year to date: totals from January, one line "
                            "per year. All figures: every period at its true width. Plans: "
                            "forecasts, targets and capacities.")
    with st.sidebar:
        state.write("**Middle Corridor figures**")
        ind = state.multiselect(
            urlstate.MultiChoice("ind", "indicator", choices, default),
            "Indicators", placeholder="Pick indicators",
            format_func=lambda i: f"{names[i][0]} ({formatting.unit_name(names[i][1])})")
        counts = caching.cached_view("corridor_scope_counts", ind, lambda: (
            corridor_views.scope_counts(caching.read(queries.figure_counts),
                                        list(base.scopes), ind)))
        offered = [s for s in by_slug if counts.get(s, 0) > 0 or s == "all"]
        fallback = DEFAULT_SCOPE if DEFAULT_SCOPE in offered else "all"
        slug = state.selectbox(
            urlstate.Choice("scope", "scope", tuple(by_slug), fallback), "Scope",
            options=offered,
            format_func=lambda s: f"{by_slug[s].label} "
                                  f"({formatting.count(counts.get(s, 0), 'figure')})",
            help="Only scopes with figures for the chosen indicators. Whole TITR: the corridor "
                 "end to end. Via Kazakhstan: its Kazakh section, border crossings and "
                 "terminals. Ports: Caspian ports and shipping, all or one.")
        mark = state.segmented(MARK_PARAM, "Chart type", format_func=MARKS.get) \
            if view == "annual" else state.carry(MARK_PARAM)
        if view == "all":
            statuses = state.multiselect(
                STATUS_PARAM, "Show", format_func=str.capitalize,
                help="Reported values, and what sources forecast, target or give as capacity.")
        else:
            state.carry(STATUS_PARAM)
            statuses = ("reported",)
        if view == "plans":
            compare = state.toggle(COMPARE_PARAM, "Draw reported values too", "reported",
                                   help="Off: plans alone, on their own scale.")
            statuses = (*corridor_views.PLAN_STATUSES, *(("reported",) if compare else ()))
        else:
            state.carry(COMPARE_PARAM)
    return Controls(ind, by_slug[slug], statuses, view, mark), names


def _key(c: Controls) -> tuple:
    return (c.indicators, c.scope.slug, c.scope.geos, c.statuses, c.view, c.mark)


def load(c: Controls, names: dict[str, tuple[str, str]]) -> View:
    return caching.cached_view("corridor", _key(c), lambda: _build(c, names))


def _build(c: Controls, names: dict[str, tuple[str, str]]) -> View:
    frame = pd.DataFrame(columns=list(TABLE_COLUMNS) + ["thinned"])
    growth = pd.DataFrame(columns=list(GROWTH_COLUMNS))
    stated = pd.DataFrame()
    if c.indicators and c.scope.geos and c.statuses:
        frame = caching.read(queries.figures, indicators=list(c.indicators),
                             geos=list(c.scope.geos), max_rows=queries.FIGURE_ROWS)
        flags = consistency.contradictions(frame)
        frame = frame[frame["status"].isin(c.statuses)].reset_index(drop=True)
        frame["flag"] = consistency.flagged(frame, flags)
        stated_ids = [f"{i}_yoy" for i in c.indicators if f"{i}_yoy" in names]
        stated = caching.read(queries.figures, indicators=stated_ids, geos=list(c.scope.geos)) \
            if stated_ids else pd.DataFrame()
        growth = _growth(frame, stated)
    else:
        flags = pd.DataFrame(columns=consistency.COLUMNS)
    view = View(c, names, frame, growth, charts.empty(_empty_reason(c)), [],
                _growth_table(growth, names), flags=flags, shown=frame,
                flags_table=checks.readable(flags) if not flags.empty else None)
    if frame.empty:
        return view
    indicators = {i: names[i] for i in c.indicators}
    if c.view == "annual":
        rows = corridor_views.annual(frame, stated)
        view.shown = rows
        view.chart = corridor_charts.annual(rows, corridor_views.gaps(rows),
                                            indicators=indicators, mark=c.mark,
                                            title=_title(view))
    elif c.view == "ytd":
        rows = corridor_views.ytd(frame)
        view.shown = rows
        view.chart = corridor_charts.ytd(rows, indicators=indicators, title=_title(view))
    else:
        drawn = frame.sort_values("period_end", ascending=False).head(CHART_CAP)
        view.chart = charts.figures(drawn, indicators=indicators, title=_title(view))
        view.capped = len(frame) > CHART_CAP
    view.titles = sorted(set(view.shown["source_title"].dropna())) if not view.shown.empty \
        else []
    return view


def _growth(frame: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    derived = transforms.growth(frame).assign(basis="derived here")
    rows = [derived]
    if not stated.empty:
        s = stated[stated["status"] == "reported"]
        rows.append(pd.DataFrame({
            "indicator": s["indicator"].str.removesuffix("_yoy"), "geo": s["geo"],
            "measure": "Year-on-year growth", "from_period": "", "to_period": s["period"],
            "from_value": float("nan"), "to_value": float("nan"), "unit": "%",
            "growth_pct": s["value"], "basis": "stated by the source", "derivation": s["quote"],
            "from_source_title": "", "to_source_title": s["source_title"]}))
    out = pd.concat([r for r in rows if not r.empty], ignore_index=True) if any(
        not r.empty for r in rows) else pd.DataFrame(columns=list(GROWTH_COLUMNS))
    return out.sort_values(["indicator", "geo", "to_period", "basis"],
                           ascending=[True, True, False, True]).reset_index(drop=True)


def _title(v: View) -> str:
    names = ", ".join(v.names[i][0] for i in v.controls.indicators[:3])
    more = "…" if len(v.controls.indicators) > 3 else ""
    return f"{names}{more}: {v.controls.scope.label}"


def _empty_reason(c: Controls) -> str:
    if not c.indicators:
        return "Pick at least one indicator."
    if not c.statuses:
        return "Pick at least one status to show (reported, forecast, target, capacity)."
    return (f"No figures for {markup.md(', '.join(c.indicators))} in {markup.md(c.scope.label)}. "
            "Try another scope, "
            "such as All scopes.")


def chart(v: View, image: str, state: page_state.PageState) -> None:
    widgets.plotly(v.chart, key="corridor_chart", name=download_name(v.controls),
                  image_format=image)
    if v.figures.empty:
        return
    extra = VIEW_NOTES.get(v.controls.view, "") or STYLE_NOTE
    if v.controls.view in ("all", "plans"):
        extra = STYLE_NOTE + (" " + VIEW_NOTES["plans"] if v.controls.view == "plans" else "")
        if "thinned" in v.figures and v.figures["thinned"].fillna(False).astype(bool).any():
            extra += " Many figures: per period the first, last, lowest and highest are drawn."
        if v.capped:
            extra += (f" The chart draws the {CHART_CAP:,} most recent; the Table tab has all "
                      f"{len(v.figures):,}.")
    widgets.source_caption(v.titles, extra=extra)
    widgets.csv_button(v.figures, columns=TABLE_COLUMNS, name=download_name(v.controls),
                      key="corridor_chart_csv")
    if v.flags is not None and not v.flags.empty:
        checks.show(v.flags, key=f"corridor-{v.controls.scope.slug}",
                    heading="Flagged in this selection", table=v.flags_table,
                    table_key=("corridor-flags", _key(v.controls)),
                    box=lambda label: state.table_box(label, "flags_table"))


def growth(v: View, state: page_state.PageState) -> None:
    st.subheader("Growth")
    if v.growth.empty:
        st.caption("No two comparable stated figures (same scope, same kind of period a year "
                   "apart) and no growth stated by a source for this selection.")
        return
    st.caption("Year-on-year growth compares a figure with the same period a year earlier; "
               "compound annual growth runs between the first and last full years. Both are "
               "**derived here** from stated figures unless the basis says a source stated it. "
               "Where sources disagree, each pairing is kept.")
    box = state.table_box(f"Growth table: {formatting.count(len(v.growth), 'row')}, with "
                          "periods, basis, derivation and sources", "growth_table")
    if box is not None:
        with box:
            widgets.table(v.growth_table, key=("growth", _key(v.controls)),
                          widths=GROWTH_WIDTHS)


# Column widths in pixels: at the usual page width (about 950 px of table) the periods
# ("Jan–Apr 2024 (year to date)") are read whole, next to the growth and its basis; how it
# was derived and its sources follow, to scroll to, hover or read in the CSV.
GROWTH_WIDTHS = {"Indicator": 125, "Scope": 205, "From": 180, "To": 180, "Growth": 75,
                 "Basis": 140, "Measure": 175, "How": 420, "Sources": 420}


def _growth_table(g: pd.DataFrame, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "Indicator": [names.get(i, (i, ""))[0] for i in g["indicator"]], "Scope": g["geo"],
        # Read as the chart and the figures table write periods ("Jan–Jul 2024 (year to
        # date)", not "2024-01/2024-07"); the CSV keeps the codes.
        "From": [period_notation.label(p) if p else "" for p in g["from_period"]],
        "To": [period_notation.label(p) if p else "" for p in g["to_period"]],
        "Growth": [formatting.percent(x) for x in g["growth_pct"]], "Basis": g["basis"],
        "Measure": g["measure"], "How": g["derivation"],
        "Sources": [" → ".join(p for p in (a, b) if p) for a, b in
                    zip(g["from_source_title"], g["to_source_title"], strict=True)]})


def table(v: View) -> None:
    if v.figures.empty:
        st.info(_empty_reason(v.controls))
    else:
        st.caption("One row per figure; the quote is the source's own sentence. The CSV "
                   "download keeps the machine-readable columns (dates, raw values, ids).")
        widgets.table(tables.figures(v.figures), key=("figures", _key(v.controls)),
                      links=["Link"], wrap=True, pin=["Period", "Value"])
    widgets.csv_button(v.figures, columns=TABLE_COLUMNS, name=download_name(v.controls),
                      key="corridor_csv")
    if not v.growth.empty:
        widgets.csv_button(v.growth, columns=GROWTH_COLUMNS, key="growth_csv",
                          name=download_name(v.controls) + "-growth",
                          label="Download the growth table (CSV)")


def download_name(c: Controls) -> str:
    return f"middle-corridor-{'-'.join(c.indicators[:4])}-{c.scope.slug}"
