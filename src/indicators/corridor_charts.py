"""Pure Plotly builders for the corridor's Annual and Year-to-date views.

Frames from `corridor_views` in, a Figure out. One panel per indicator, one colour per
place (`places.colour`), one mark per source and year; derived values hollow; flags in
red with their message in the hover.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators import charts, formatting, places
from indicators.markup import plotly as _esc

FLAG_COLOUR = "#d62728"
GAP_COLOUR = "rgba(120,120,120,0.10)"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _hover(r: pd.Series, head: str) -> str:
    # Every value from data is escaped before our own <b> and <br> are added.
    lines = [f"<b>{_esc(formatting.quantity(r['value'], r['unit']))}</b> · {_esc(head)}",
             _esc(r["geo"])]
    if r.get("derived"):
        lines.append("Derived (hollow): " + formatting.wrap(_esc(r.get("derivation", "")), 70))
    lines.append("Source: "
                 + formatting.wrap(_esc(formatting.truncate(r["source_title"], 110)), 70))
    if formatting.as_text(r.get("quote")):
        lines.append("“" + formatting.wrap(_esc(formatting.truncate(r["quote"], 240)), 70)
                     + "”")
    if formatting.as_text(r.get("spread")):
        lines.append("<b>⚠ " + formatting.wrap(_esc(r["spread"]), 70) + "</b>")
    if formatting.as_text(r.get("flag")):
        lines.append("<b>⚠ " + formatting.wrap(_esc(formatting.truncate(r["flag"], 400)), 70)
                     + "</b>")
    return "<br>".join(lines)


def _panels(order: list[str], indicators: Mapping[str, tuple[str, str]]) -> go.Figure:
    n = len(order)
    return make_subplots(rows=n, cols=1, vertical_spacing=0.3 / n if n > 1 else 0.0,
                         subplot_titles=[_esc(indicators[i][0]) for i in order] if n > 1
                         else None)


# Fits an axis title and tick labels such as "4 Mt" or "40,000" without a second drawing
# pass (see charts.LEFT_MARGIN).
AXIS_MARGIN = charts.LEFT_MARGIN


def _axis(fig: go.Figure, row: int, values: pd.Series, name: str, unit: str) -> None:
    fig.update_yaxes(row=row, col=1, **charts.value_axis(values, name=name, unit=unit))


def annual(frame: pd.DataFrame, gaps: pd.DataFrame, *,
           indicators: Mapping[str, tuple[str, str]], mark: str = "bar",
           title: str | None = None) -> go.Figure:
    """Full years: one bar (or dot on a line) per source and year, coloured by place.

    Where sources disagree a grey bracket spans their values and says so; a year with no
    figure between a place's first and last year is a shaded band labelled 'no figure'.
    """
    if frame.empty:
        return charts.empty("No full-year reported figure for this indicator and scope. "
                            "Try the Year to date or All figures view, or another scope.")
    order = [i for i in indicators if i in set(frame["indicator"])]
    fig = _panels(order, indicators)
    seen: set[str] = set()
    for row, ind in enumerate(order, start=1):
        sub = frame[frame["indicator"] == ind].copy()
        name, unit = indicators[ind]
        # The k-th source of a place and year goes into the k-th bar of that place's group.
        sub["k"] = sub.groupby(["geo", "year"]).cumcount()
        for (geo, k, derived), g in sub.groupby(["geo", "k", "derived"], sort=True):
            colour = places.colour(geo)
            hollow = {"color": "rgba(255,255,255,0)", "line": {"color": colour, "width": 2}}
            solid = {"color": colour, "line": {"color": colour, "width": 1}}
            text = [_hover(r, f"{r['year']}") for _i, r in g.iterrows()]
            flagged = [bool(f or s) for f, s in zip(g["flag"], g["spread"], strict=True)]
            label = _esc(geo) + (" · derived" if derived else "")
            common = {"name": label, "legendgroup": label, "showlegend": label not in seen,
                      "customdata": text, "hovertemplate": "%{customdata}<extra></extra>"}
            if mark == "bar":
                fig.add_trace(go.Bar(
                    x=g["year"], y=g["value"], offsetgroup=f"{geo}|{k}",
                    marker={**(hollow if derived else solid),
                            "pattern": {"shape": ["/" if f else "" for f in flagged],
                                        "fgcolor": FLAG_COLOUR if not derived else colour}},
                    **common), row=row, col=1)
            else:
                fig.add_trace(go.Scatter(
                    x=g["year"], y=g["value"], mode="markers",
                    marker={"size": 12, "color": colour,
                            "symbol": "circle-open" if derived else "circle",
                            "line": {"width": [3 if f else 1 for f in flagged],
                                     "color": [FLAG_COLOUR if f else colour for f in flagged]}},
                    **common), row=row, col=1)
            seen.add(label)
        if mark != "bar":
            stated = sub[~sub["derived"]]
            for geo, g in stated.groupby("geo", sort=True):
                mid = g.groupby("year")["value"].mean()
                years = range(int(mid.index.min()), int(mid.index.max()) + 1)
                fig.add_trace(go.Scatter(
                    x=list(years), y=[mid.get(y) for y in years], mode="lines",
                    line={"color": places.colour(geo), "width": 2}, connectgaps=False,
                    hoverinfo="skip", showlegend=False, legendgroup=geo,
                    name=f"{_esc(geo)} (mean of sources)"), row=row, col=1)
        _disagreements(fig, sub, row)
        _gaps(fig, gaps[gaps["indicator"] == ind], row)
        _axis(fig, row, sub["value"], name, unit)
        fig.update_xaxes(dtick=1, tickformat="d", row=row, col=1)
    fig.update_xaxes(title_text="Year (full calendar years only)", row=len(order), col=1)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    return charts._base_layout(fig, height=150 + 320 * len(order) + 22 * len(seen),
                               title=title, dates=False, left=AXIS_MARGIN)


def _disagreements(fig: go.Figure, sub: pd.DataFrame, row: int) -> None:
    """A bracket from the lowest to the highest stated value, labelled 'sources disagree'."""
    split = sub[(sub["spread"] != "") & ~sub["derived"]]
    for (_geo, year), g in split.groupby(["geo", "year"], sort=True):
        lo, hi = float(g["value"].min()), float(g["value"].max())
        fig.add_trace(go.Scatter(
            x=[year, year], y=[lo, hi], mode="lines+markers+text",
            line={"color": FLAG_COLOUR, "width": 2}, marker={"symbol": "line-ew-open",
                                                             "size": 14,
                                                             "color": FLAG_COLOUR},
            text=["", "sources disagree"], textposition="top center",
            textfont={"color": FLAG_COLOUR, "size": 12}, showlegend=False,
            name="sources disagree", customdata=[_hover(g.iloc[0], str(year))] * 2,
            hovertemplate="%{customdata}<extra>sources disagree</extra>"), row=row, col=1)


def _gaps(fig: go.Figure, gaps: pd.DataFrame, row: int) -> None:
    for year, g in gaps.groupby("year", sort=True):
        places_without = ", ".join(g["geo"])
        fig.add_vrect(x0=year - 0.45, x1=year + 0.45, fillcolor=GAP_COLOUR, line_width=0,
                      row=row, col=1)
        fig.add_trace(go.Scatter(
            x=[year], y=[0], mode="text", text=["no figure"], textposition="top center",
            textfont={"color": "#666", "size": 11}, showlegend=False, name="no figure",
            hovertemplate=f"{year}: no full-year figure for "
                          f"{formatting.wrap(_esc(places_without), 70)}<extra></extra>"),
            row=row, col=1)


def ytd(frame: pd.DataFrame, *, indicators: Mapping[str, tuple[str, str]],
        title: str | None = None) -> go.Figure:
    """Cumulative figures by month of the year: one line per place and year.

    The legend and the label at the line's end name the year and the months it covers;
    older years are paler. A figure in a falling run is ringed in red.
    """
    if frame.empty:
        return charts.empty("No year-to-date figure (a total from January to some month) for "
                            "this indicator and scope. Try the Annual or All figures view.")
    order = [i for i in indicators if i in set(frame["indicator"])]
    fig = _panels(order, indicators)
    years = sorted(frame["year"].unique())
    for row, ind in enumerate(order, start=1):
        sub = frame[frame["indicator"] == ind]
        name, unit = indicators[ind]
        for (geo, year), g in sub.groupby(["geo", "year"], sort=True):
            colour = places.colour(geo)
            age = years[-1] - year
            opacity = max(1.0 - 0.22 * age, 0.35)
            mid = g.groupby("month")["value"].mean()
            flagged = [bool(f) for f in g["flag"]]
            label = _esc(f"{geo} {year} ({g['covers'].iloc[0]})")
            fig.add_trace(go.Scatter(
                x=g["month"], y=g["value"], mode="markers", name=label, legendgroup=label,
                showlegend=False, opacity=opacity,
                marker={"size": 10, "color": colour,
                        "symbol": ["circle-open" if d else "circle" for d in g["derived"]],
                        "line": {"width": [3 if f else 1 for f in flagged],
                                 "color": [FLAG_COLOUR if f else colour for f in flagged]}},
                customdata=[_hover(r, f"{r['period']}") for _i, r in g.iterrows()],
                hovertemplate="%{customdata}<extra></extra>"), row=row, col=1)
            fig.add_trace(go.Scatter(
                x=list(mid.index), y=list(mid.values), mode="lines+text", name=label,
                legendgroup=label, opacity=opacity,
                line={"color": colour, "width": 3 if age == 0 else 2,
                      "dash": "solid" if age == 0 else ("dash" if age == 1 else "dot")},
                text=[""] * (len(mid) - 1) + [str(year)], textposition="middle right",
                textfont={"color": colour, "size": 12}, hoverinfo="skip"), row=row, col=1)
        _axis(fig, row, sub["value"], name, unit)
        fig.update_xaxes(tickvals=list(range(1, 13)), ticktext=list(MONTHS),
                         range=[0.5, 12.9], row=row, col=1)
    fig.update_xaxes(title_text="Last month covered (each figure runs from 1 January)",
                     row=len(order), col=1)
    return charts._base_layout(fig, height=150 + 320 * len(order) + 22 * len(fig.data) // 2,
                               title=title, dates=False, left=AXIS_MARGIN)
