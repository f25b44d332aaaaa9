"""Pure Plotly builders: a frame and options in, a Figure out; no Streamlit, no database."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators import formatting

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
PALETTE = {"KZT": "#1f77b4", "KGS": "#d62728", "TJS": "#2ca02c", "UZS": "#9467bd",
           "TMT": "#ff7f0e", "TMM": "#ff7f0e"}


def empty(message: str) -> go.Figure:
    """A figure that says why it is empty instead of showing bare axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 16},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False},
                      height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def sparkline(frame: pd.DataFrame, *, x: str, y: str, color: str = "#1f77b4") -> go.Figure:
    """A tiny line without axes for headline cards."""
    if frame.empty:
        return empty("no data")
    fig = go.Figure(go.Scatter(x=frame[x], y=frame[y], mode="lines",
                               line={"color": color, "width": 1.5}, hoverinfo="skip"))
    fig.update_layout(height=60, margin={"l": 0, "r": 0, "t": 0, "b": 0},
                      xaxis={"visible": False}, yaxis={"visible": False}, showlegend=False)
    return fig


def rates_lines(frame: pd.DataFrame, *, log: bool = False) -> go.Figure:
    """Units per USD over time, one trace per currency and source."""
    if frame.empty:
        return empty("No rates for this selection: pick at least one currency and a wider range.")
    fig = go.Figure()
    for (cur, src), g in frame.groupby(["currency", "source"], sort=True):
        title = g["source_title"].iloc[0]
        kind = g["source_kind"].iloc[0]
        fig.add_trace(go.Scatter(
            x=g["date"], y=g["per_usd"], name=f"{cur} · {title}",
            mode="lines+markers" if len(g) < 40 else "lines",
            line={"color": PALETTE.get(cur), "dash": "dot" if kind == "ticker" else "solid"},
            customdata=[[title]] * len(g),
            hovertemplate=f"%{{x|%Y-%m-%d}}<br>%{{y:,.4g}} {cur} per USD"
                          "<br>Source: %{customdata[0]}<extra></extra>",
        ))
    fig.update_layout(
        yaxis_title="Units of currency per USD" + (" (log scale)" if log else ""),
        xaxis_title="Date", yaxis_type="log" if log else "linear",
        legend={"orientation": "h", "y": -0.25}, margin={"l": 60, "r": 10, "t": 30, "b": 10},
        font={"family": FONT}, hovermode="closest",
    )
    return fig


def figures_bars(frame: pd.DataFrame, *, unit: str) -> go.Figure:
    """Figures of one unit as bars, labelled by period, one colour per geo."""
    if frame.empty:
        return empty("No figures for this selection.")
    fig = go.Figure()
    for geo, g in frame.groupby("geo", sort=True):
        fig.add_trace(go.Bar(
            x=g["period"], y=g["value"], name=geo,
            text=[formatting.quantity(v, unit) for v in g["value"]],
            customdata=g[["source_title", "quote"]].to_numpy(),
            hovertemplate="%{x}: %{text}<br>Source: %{customdata[0]}"
                          "<br>“%{customdata[1]}”<extra></extra>",
        ))
    fig.update_layout(yaxis_title=unit, xaxis_title="Period", barmode="group",
                      margin={"l": 60, "r": 10, "t": 30, "b": 10}, font={"family": FONT})
    return fig
