"""Pure Plotly builders: a frame and options in, a Figure out; no Streamlit, no database.

Every axis names its unit, every hover names its source, and an empty frame gives a
figure that says why it is empty instead of bare axes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators import codes, formatting, iso4217, rate_points, scopes, transforms
from indicators.markup import plotly as _esc

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
CURRENCY_COLOURS = {"KZT": "#1f77b4", "KGS": "#d62728", "TJS": "#2ca02c", "UZS": "#9467bd",
                    "TMT": "#ff7f0e", "TMM": "#ff7f0e"}
# Ten distinct colours first, then fourteen more from Plotly's Dark24 for busy scopes.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f", "#222A2A", "#B68100", "#750D86", "#511CFB",
           "#00A08B", "#FB00D1", "#6C7C32", "#778AAE", "#862A16", "#A777F1", "#620042",
           "#1616A7", "#6C4516", "#AF0038")
STATUS_STYLE = {c.code: {"dash": c.dash, "width": c.width, "symbol": c.symbol}
                for c in codes.STATUS}
DERIVED_SYMBOL = "diamond-open"
FLAG_COLOUR = "#d62728"  # a figure a consistency check flags
MAX_PLACE_COLOURS = len(PALETTE)
RATE_HOVER = ",.5~g"
# Linear rate axes: thousands grouped (12,000 UZS), never Plotly's SI "12k".
RATE_TICKS = ","
PANEL_HEIGHT = 190
SPARSE = 40  # series with fewer points get markers
NO_TEMPLATE = "none"


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


# Left margins that fit the y-axis title and tick labels of the usual views. Plotly's
# automargin widens a margin that is too narrow, but only by drawing the whole figure a
# second time once its axes have been measured: on the five-panel currency chart that
# second pass was about half of Plotly's drawing time (issue 15, time to the first chart).
# A margin that already fits costs no second pass; a wider label still gets the room.
# Measured in the app (Streamlit's theme pads the plot by 8 px): the default currency chart
# needs 95 px with its thousands written out (UZS "12,000", not "12k"), on a log scale 95 px,
# the corridor's charts 92 px with ticks such as "4 Mt" and "40,000".
LEFT_MARGIN = 96
LEFT_MARGIN_LOG = 104  # log axes label every decade and its 2 and 5


def _base_layout(fig: go.Figure, *, height: int, title: str | None = None,
                 legend: bool = True, dates: bool = True, left: int = 10) -> go.Figure:
    """Shared layout; `left`: the left margin to start from (see LEFT_MARGIN)."""
    # The legend sits below the x-axis title: about 70 px, whatever the figure's height.
    plot_height = max(height - (50 if title else 20) - 60, 120)
    fig.update_layout(
        # Streamlit applies its own theme in the browser: sending Plotly's default template
        # too would only add 7 kB and serialisation time to every chart.
        template=NO_TEMPLATE,
        height=height, font={"family": FONT, "size": 13}, hovermode="closest",
        margin={"l": left, "r": 10, "t": 50 if title else 20, "b": 10},
        title={"text": _esc(title), "x": 0, "xanchor": "left", "font": {"size": 14}}
        if title else None,
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -75 / plot_height, "x": 0,
                "xanchor": "left", "font": {"size": 12}},
        hoverlabel={"align": "left"},
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True, **({"type": "date"} if dates else {}))
    return fig


def empty(message: str, *, height: int = 220) -> go.Figure:
    """A figure that says why it is empty instead of showing bare axes."""
    fig = go.Figure()
    fig.add_annotation(text=formatting.wrap(_esc(message), 50), showarrow=False, font={"size": 15},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=height,
                      template=NO_TEMPLATE,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, font={"family": FONT})
    return fig


def sparkline(frame: pd.DataFrame, *, x: str, y: str, color: str = "#1f77b4",
              unit: str = "", derived: str | None = None,
              value_format=None) -> go.Figure:
    """A tiny line for headline cards, its first and last points labelled with date and
    value; hover shows each point. Points where `derived` is true are hollow diamonds."""
    if frame.empty:
        return empty("no series", height=70)
    frame = frame.sort_values(x)
    xs, ys = _dates(frame[x]), frame[y].to_numpy(dtype=float)
    show = value_format or formatting.rate_value
    fig = go.Figure(go.Scatter(
        x=xs, y=ys, mode="lines" if len(frame) > 2 else "lines+markers",
        line={"color": color, "width": 1.5}, name=_esc(unit),
        hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:{RATE_HOVER}}} {_esc(unit)}<extra></extra>"))
    if derived and derived in frame and frame[derived].fillna(False).astype(bool).any():
        d = frame[derived].fillna(False).astype(bool).to_numpy()
        fig.add_trace(go.Scatter(
            x=xs[d], y=ys[d], mode="markers", name="derived",
            marker={"symbol": DERIVED_SYMBOL, "size": 8, "color": color},
            hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:{RATE_HOVER}}} {_esc(unit)} (derived)"
                          "<extra></extra>"))
    # First and last point in one left-aligned label above the line: a card can be under
    # 100 px wide, and a label at the right edge would be cut off.
    when = pd.to_datetime(frame[x])
    first = f"{when.iloc[0]:%Y-%m} {_esc(show(ys[0]))}"
    last = f"{when.iloc[-1]:%Y-%m} {_esc(show(ys[-1]))}"
    fig.add_annotation(x=0, xref="paper", y=1, yref="paper", yanchor="bottom", xanchor="left",
                       showarrow=False, align="left", font={"size": 10, "color": "#555555"},
                       text=first if len(frame) == 1 else f"{first} →<br>{last}")
    fig.update_layout(height=110, margin={"l": 0, "r": 0, "t": 34, "b": 4}, showlegend=False,
                      template=NO_TEMPLATE,
                      xaxis={"visible": False, "type": "date"}, yaxis={"visible": False},
                      font={"family": FONT})
    return fig


def log_ticks(values: pd.Series) -> dict:
    """Tick values 1-2-5 × 10^k spanning the data, labelled in full (no bare '2' and '5')."""
    v = pd.to_numeric(values, errors="coerce")
    v = v[(v > 0) & np.isfinite(v)]
    if v.empty:
        return {}
    lo, hi = float(v.min()), float(v.max())
    ticks = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)) - 1,
                                          math.ceil(math.log10(hi)) + 1)
             for m in (1, 2, 5) if lo / 1.3 <= m * 10.0 ** e <= hi * 1.3]
    if len(ticks) > 8:
        ticks = [t for t in ticks if f"{t:.0e}".startswith("1")]
    if len(ticks) < 2:
        return {}
    return {"tickvals": ticks, "ticktext": [_tick_label(t) for t in ticks]}


def _tick_label(t: float) -> str:
    if t >= 1e6:
        return formatting.number(t, digits=0)
    return f"{t:,.{max(0, -math.floor(math.log10(t)))}f}"


def nice_ticks(lo: float, hi: float, *, target: int = 6, headroom: float = 0.0) -> list[float]:
    """Up to about `target` evenly spaced ticks (steps of 1, 2 or 5 × 10^k) from zero or
    below `lo` to at or above `hi`. With `headroom` (a fraction of the span of the ticks)
    the end ticks lie beyond `lo` and `hi` by at least that much: one tick more where the
    nearest nice tick is on or just past the extreme value."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi - lo <= 0:
        hi = 1.0
    raw = (hi - lo) / target
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    room = headroom * (last - first) * step
    if hi > 0 and last * step - hi < room:
        last += 1
    if lo < 0 and lo - first * step < room:
        first -= 1
    return [k * step for k in range(first, last + 1)]


# Room between the largest value and the top of a value axis, as a fraction of the axis: the
# tallest bar (and a "sources disagree" label on it) ends below the top tick, whose label
# stays clear of it. Plotly's own range ended just above the tallest bar and left the next
# tick out (4.5 Mt: the range ended at 4.74 Mt, the top tick shown was 4 Mt, under the bar).
AXIS_HEADROOM = 0.05


def _decimals(step: float) -> int:
    for d in range(4):
        if abs(round(step, d) - step) <= 1e-9 * abs(step):
            return d
    return 4


def value_axis(values, *, name: str, unit: str) -> dict:
    """A value axis as the rest of the app writes quantities: 'Cargo carried (million
    tonnes)' with ticks 0, 1.0 Mt, 2.0 Mt, not Plotly's bare '2M'. One scale per axis
    (`formatting.axis_scale`), chosen from its largest tick. The axis runs from its first
    tick to its last, a nice tick above the largest value with `AXIS_HEADROOM` between.
    Growth units (%, ×) keep Plotly's own ticks, with a % suffix. Arguments for
    `fig.update_yaxes`."""
    if unit in transforms.GROWTH_UNITS:
        return {"title_text": _esc(f"{name} ({formatting.unit_name(unit)})"),
                "rangemode": "normal", "ticksuffix": "%" if unit == "%" else None}
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"title_text": _esc(f"{name} ({formatting.unit_name(unit)})"),
                "rangemode": "tozero"}
    ticks = nice_ticks(v.min(), v.max(), headroom=AXIS_HEADROOM)
    scale = formatting.axis_scale(max(abs(ticks[0]), abs(ticks[-1])), unit)
    decimals = _decimals((ticks[1] - ticks[0]) / scale.divisor)
    return {"title_text": _esc(f"{name} ({scale.words})"), "autorange": False,
            "range": [ticks[0], ticks[-1]], "tickmode": "array", "tickvals": ticks,
            "ticktext": [_esc(scale.tick(t, decimals)) for t in ticks]}


def _dates(series) -> np.ndarray:
    """Milliseconds since 1970 on a date axis: a packed array, small and fast to send."""
    values = pd.to_datetime(pd.Series(series)).astype("datetime64[ms]")
    return values.astype("int64").where(values.notna()).to_numpy(dtype=float)


def to_dates(values) -> list[str | None]:
    """The inverse for tests and tables: what a date axis shows, as YYYY-MM-DD."""
    out = []
    for v in values:
        out.append(None if v is None or v != v else
                   pd.Timestamp(int(v), unit="ms").strftime("%Y-%m-%d"))
    return out


def _segments(starts, ends, values) -> tuple[np.ndarray, np.ndarray]:
    """x and y of horizontal segments start->end at value, separated by gaps."""
    n = len(values)
    xs = np.full(3 * n, np.nan)
    ys = np.full(3 * n, np.nan)
    xs[0::3], xs[1::3] = _dates(starts), _dates(ends)
    ys[0::3] = ys[1::3] = np.asarray(values, dtype=float)
    return xs, ys


SEGMENT_POINTS = 9  # points along each period's line, so hover works anywhere on it


def dense_segments(starts, ends, values, n: int = SEGMENT_POINTS
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x and y of horizontal segments start->end with `n` points each, then a gap.

    Also returns, per point, the index of the segment it belongs to (-1 for a gap), so a
    hover text can follow every point of its segment.
    """
    a, b = _dates(starts), _dates(ends)
    m = len(a)
    frac = np.linspace(0.0, 1.0, n)
    xs = np.full((m, n + 1), np.nan)
    xs[:, :n] = a[:, None] + (b - a)[:, None] * frac[None, :]
    ys = np.full((m, n + 1), np.nan)
    ys[:, :n] = np.asarray(values, dtype=float)[:, None]
    idx = np.full((m, n + 1), -1)
    idx[:, :n] = np.arange(m)[:, None]
    return xs.ravel(), ys.ravel(), idx.ravel()


def with_gaps(frame: pd.DataFrame, *, when: str = "date", factor: float = 5.0,
              min_days: int = 35) -> pd.DataFrame:
    """Insert an empty row where observations are far apart, so no line bridges the gap.

    Far apart: more than `factor` times the median spacing, and more than `min_days`.
    """
    if len(frame) < 3:
        return frame
    frame = frame.sort_values(when)
    dates = pd.to_datetime(frame[when])
    step = dates.diff()
    limit = max(step.median() * factor, pd.Timedelta(days=min_days))
    breaks = step > limit
    if not breaks.any():
        return frame
    gaps = frame[breaks.to_numpy()].copy()
    gaps[when] = dates[breaks] - pd.Timedelta(days=1)
    for c in gaps.columns:
        if c != when:
            gaps[c] = None
    return pd.concat([frame, gaps]).sort_values(when, kind="stable")


def _restated(g: pd.DataFrame) -> list[str] | None:
    """Per point: how a redenominated rate was restated, or None when none is."""
    if "redenominated" not in g or not g["redenominated"].fillna(False).astype(bool).any():
        return None
    return [f"<br>Restated: {formatting.number(s)} {_esc(c)} per USD ÷ {s / p:,.0f}"
            if r in (True,) else ""
            for s, c, p, r in zip(g["stored_per_usd"], g["stored_currency"], g["per_usd"],
                                  g["redenominated"], strict=True)]


def _set_in_advance(g: pd.DataFrame) -> tuple[str, list[str]] | None:
    """The hover line of a series whose rates are set in advance (HMRC): one template for
    the trace, filled in the browser from the point's date, and per point only the day the
    rate was set. The same sentence as `rate_points.meaning` (the table's column)."""
    if "point_note" not in g or "source" not in g or g.empty:
        return None
    label = rate_points.SET_IN_ADVANCE.get(g["source"].iloc[0])
    if label is None or not g["point_note"].fillna("").astype(bool).any():
        return None
    line = "<br>" + rate_points.MEANING.format(
        label=_esc(label), month=f"%{{x|{rate_points.MONTH_FORMAT}}}",
        day=f"%{{x|{rate_points.DAY_FORMAT}}}", fixed="%{customdata[FIXED]}")
    fixed = ["" if pd.isna(d) else rate_points.set_on_label(d) for d in g["date"]]
    return line, fixed


def _rate_trace(g: pd.DataFrame, *, name: str, colour: str, dash: str, unit: str,
                legendgroup: str, showlegend: bool, source: str) -> list[go.Scatter]:
    """A series' line, and its flagged values as rings of their own (a small second trace).

    What varies per point travels as short custom data; what every point of the series
    says is written once in the trace's hover template (issue 15: the HMRC sentence per
    point and per-point marker arrays were 40% of the currency page's chart).
    """
    sparse = len(g) < SPARSE
    stepped = "source" in g and len(g) > 0 and rate_points.is_stepped(g["source"].iloc[0])
    g = with_gaps(g)
    # Names, units and titles come from data; Plotly reads its HTML subset in all three.
    name, unit, source = _esc(name), _esc(unit), _esc(source)
    head = f"<b>%{{y:{RATE_HOVER}}} {unit}</b><br>as of %{{x|%Y-%m-%d}}<br>Source: {source}"
    columns: list[list[str]] = []
    extra = ""
    restated = _restated(g)
    if restated is not None:
        extra += f"%{{customdata[{len(columns)}]}}"
        columns.append(restated)
    advance = _set_in_advance(g)
    if advance is not None:
        extra += advance[0].replace("%{customdata[FIXED]}", f"%{{customdata[{len(columns)}]}}")
        columns.append(advance[1])
    if len(columns) == 1:  # a flat list is smaller: %{customdata} instead of [i]
        extra = extra.replace("%{customdata[0]}", "%{customdata}")
        custom = columns[0]
    else:
        custom = [list(row) for row in zip(*columns, strict=True)] if columns else None
    flagged = g["flag"].notna().to_numpy() if "flag" in g else np.zeros(len(g), dtype=bool)
    marker: dict = {"size": 6 if sparse else 4, "color": colour}
    if sparse and flagged.any():  # the ring replaces the dot (a few points: arrays are cheap)
        marker["size"] = [0 if f else marker["size"] for f in flagged]
    xs = _dates(g["date"])
    ys = pd.to_numeric(g["value"]).to_numpy(dtype=float)
    traces = [go.Scatter(
        x=xs, y=ys, name=name, legendgroup=legendgroup, showlegend=showlegend,
        mode="lines+markers" if sparse else "lines",
        line={"color": colour, "dash": dash, "width": 2, "shape": "hv" if stepped else "linear"},
        marker=marker, customdata=custom,
        hovertemplate=f"{head}{extra}<extra></extra>")]
    if flagged.any():
        # Flagged values keep their place on the line and get a hollow ring of their own,
        # in the series' legend group (hidden with it), hovering with the flag's reason.
        idx = np.flatnonzero(flagged)
        notes = ["<br>Flagged: " + _esc(g["flag"].iloc[i]) for i in idx]
        rows = [[c[i] for c in columns] for i in idx]
        flag_extra = extra
        if len(columns) == 1:
            flag_extra = extra.replace("%{customdata}", "%{customdata[0]}")
        traces.append(go.Scatter(
            x=xs[idx], y=ys[idx], name=name, legendgroup=legendgroup, showlegend=False,
            mode="markers", marker={"size": 9, "color": colour, "symbol": "circle-open"},
            customdata=[[*r, n] for r, n in zip(rows, notes, strict=True)],
            hovertemplate=f"{head}{flag_extra}%{{customdata[{len(columns)}]}}<extra></extra>"))
    return traces


def rates(frame: pd.DataFrame, *, view: str = transforms.DEFAULT_VIEW, log: bool = False,
          title: str | None = None, order: list[str] | None = None) -> go.Figure:
    """Rates over time from `transforms.rate_view`.

    Levels (units per USD, USD per unit) get one panel per currency with its own axis;
    the index shares one panel, one colour per currency and one dash style per source kind.
    """
    if frame.empty:
        return empty("No rates for this selection. Pick at least one currency, a source "
                     "that covers it, and a range that contains observations.")
    log_note = " (log scale)" if log else ""
    if view == "index":
        fig = go.Figure()
        first_base = frame["date"].min()
        for (cur, src), g in frame.groupby(["currency", "source"], sort=True):
            label = formatting.source_label(g["source_title"].iloc[0], g["source_kind"].iloc[0],
                                            g.get("source_publisher", pd.Series([None])).iloc[0])
            base = g["date"].min()
            if base - first_base > pd.Timedelta(days=31):
                label += f", = 100 on {formatting.day(base)}"
            fig.add_traces(_rate_trace(
                g, name=f"{cur} · {label}", colour=CURRENCY_COLOURS.get(cur, "#444"),
                dash=codes.SOURCE_KIND.dash.get(g["source_kind"].iloc[0], "solid"),
                unit=f"(index, {cur} per USD)", legendgroup=f"{cur}-{src}", showlegend=True,
                source=g["source_title"].iloc[0]))
        fig.add_hline(y=100, line={"color": "#999", "width": 1})
        fig.update_yaxes(title_text="Index, first rate in range = 100" + log_note,
                         type="log" if log else "linear",
                         **(log_ticks(frame["value"]) if log else {"tickformat": RATE_TICKS}))
        fig.update_xaxes(title_text="Date")
        return _base_layout(fig, height=460 + 18 * len(fig.data), title=title,
                            left=LEFT_MARGIN_LOG if log else LEFT_MARGIN)

    present = set(frame["currency"])
    currencies = [c for c in (order or []) if c in present] + \
        sorted(present - set(order or []))
    n = len(currencies)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.35 / max(n, 1)
                        if n > 1 else 0.0,
                        subplot_titles=[_esc(f"{c} · {iso4217.NAMES.get(c, c)}")
                                        for c in currencies])
    fig.update_annotations(font={"size": 13})
    seen: set[str] = set()
    kinds = sorted(frame["source"].unique())
    # A kind's colour when it has one source on the chart; else each source its own colour.
    per_kind = frame.drop_duplicates("source")["source_kind"].value_counts()
    for row, cur in enumerate(currencies, start=1):
        sub = frame[frame["currency"] == cur]
        for src, g in sub.groupby("source", sort=True):
            kind = g["source_kind"].iloc[0]
            label = formatting.source_label(g["source_title"].iloc[0], kind,
                                            g.get("source_publisher", pd.Series([None])).iloc[0])
            unit = g["unit"].iloc[0]
            traces = _rate_trace(
                g, name=label,
                colour=codes.SOURCE_KIND.colour.get(kind, _colour(kinds.index(src)))
                if per_kind.get(kind, 0) < 2 else _colour(kinds.index(src)),
                dash=codes.SOURCE_KIND.dash.get(kind, "solid"), unit=unit, legendgroup=src,
                showlegend=src not in seen, source=g["source_title"].iloc[0])
            fig.add_traces(traces, rows=row, cols=1)
            seen.add(src)
        fig.update_yaxes(title_text=_esc(sub["unit"].iloc[0]) + log_note, row=row, col=1,
                         type="log" if log else "linear", hoverformat=RATE_HOVER,
                         **(log_ticks(sub["value"]) if log else {"tickformat": RATE_TICKS}))
        if "redenominated" in sub and sub["redenominated"].any():
            when = pd.Timestamp(sub.loc[sub["redenominated"], "date"].max()).strftime("%Y-%m-%d")
            old = ", ".join(sorted(set(sub.loc[sub["redenominated"], "stored_currency"])))
            fig.add_vline(x=when, row=row, col=1, line={"color": "#888", "dash": "dot", "width": 1},
                          annotation_text=_esc(f"{old} → {cur} redenomination"),
                          annotation_position="top left", annotation_font_size=11)
    fig.update_xaxes(title_text="Date", row=n, col=1)
    return _base_layout(fig, height=90 + PANEL_HEIGHT * n + 40, title=title,
                        left=LEFT_MARGIN_LOG if log else LEFT_MARGIN)


def rate_change(frame: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """% change of units per USD from the first to the last rate in range, per source."""
    if frame.empty:
        return empty("No rates for this selection, so no change to show.")
    frame = frame.sort_values(["currency", "source"])
    labels = [_esc(f"{c} · {formatting.source_label(t, k)}") for c, t, k in
              zip(frame["currency"], frame["source_title"], frame["source_kind"], strict=True)]
    custom = [[formatting.day(a), formatting.rate_value(x), formatting.day(b),
               formatting.rate_value(y), _esc(t)]
              for a, x, b, y, t in zip(frame["first_date"], frame["first_per_usd"],
                                       frame["last_date"], frame["last_per_usd"],
                                       frame["source_title"], strict=True)]
    fig = go.Figure(go.Bar(
        y=labels, x=frame["change_pct"], orientation="h", name="% change",
        marker={"color": [CURRENCY_COLOURS.get(c, "#444") for c in frame["currency"]]},
        text=[formatting.percent(v) for v in frame["change_pct"]], textposition="auto",
        customdata=custom,
        hovertemplate=("<b>%{x:+.1f}%</b> units per USD<br>from %{customdata[1]} on "
                       "%{customdata[0]}<br>to %{customdata[3]} on %{customdata[2]}"
                       "<br>Source: %{customdata[4]}<extra></extra>")))
    fig.add_vline(x=0, line={"color": "#999", "width": 1})
    fig.update_xaxes(title_text="% change in units per USD over the range "
                                "(positive: currency weakened against USD)", ticksuffix="%")
    fig.update_yaxes(title_text="Currency · source", autorange="reversed")
    return _base_layout(fig, height=120 + 34 * len(frame), title=title, legend=False,
                        dates=False)


def cross(frame: pd.DataFrame, *, numerator: str, denominator: str, log: bool = False,
          title: str | None = None) -> go.Figure:
    """A derived cross rate, one trace per source whose two USD rates share a date."""
    if frame.empty:
        return empty(f"No date on which one source gives both {numerator} and {denominator} "
                     "against USD in this range, so no cross rate can be derived.")
    fig = go.Figure()
    numerator, denominator = _esc(numerator), _esc(denominator)
    unit = f"{numerator} per {denominator}"
    for i, (_src, g) in enumerate(frame.groupby("source", sort=True)):
        kind = g["source_kind"].iloc[0]
        label = formatting.source_label(g["source_title"].iloc[0], kind)
        fig.add_trace(go.Scatter(
            x=_dates(g["date"]), y=g["value"].to_numpy(dtype=float),
            name=f"derived from {_esc(label)}",
            mode="lines+markers" if len(g) < SPARSE else "lines",
            line={"color": codes.SOURCE_KIND.colour.get(kind, _colour(i)),
                  "dash": codes.SOURCE_KIND.dash.get(kind)},
            customdata=list(zip(g["numerator_per_usd"], g["denominator_per_usd"], strict=True)),
            hovertemplate=(f"<b>%{{y:{RATE_HOVER}}} {unit}</b> (derived)<br>as of "
                           f"%{{x|%Y-%m-%d}}<br>= %{{customdata[0]:{RATE_HOVER}}} {numerator}"
                           f" per USD ÷ %{{customdata[1]:{RATE_HOVER}}} {denominator} per USD"
                           f"<br>Source: {_esc(g['source_title'].iloc[0])}<extra></extra>")))
    fig.update_yaxes(title_text=f"{unit} (derived)" + (" (log scale)" if log else ""),
                     type="log" if log else "linear",
                     **(log_ticks(frame["value"]) if log else {"tickformat": RATE_TICKS}))
    fig.update_xaxes(title_text="Date")
    return _base_layout(fig, height=360, title=title)


def _figure_hover(r: pd.Series) -> str:
    # Every value from data is escaped before our own <b> and <br> are added.
    value = _esc(formatting.quantity(r["value"], r["unit"]))
    lines = [f"<b>{value}</b> · {_esc(r['indicator_name'])}", _esc(r["geo"]),
             f"Period: {_esc(r['period_label'])} ({formatting.day(r['period_start'])} to "
             f"{formatting.day(r['period_end'])})",
             f"Status: {_esc(r['status'])}" + (" · derived" if r["derived"] else "")]
    published = formatting.day(r.get("source_published"))
    lines.append("Source: "
                 + formatting.wrap(_esc(formatting.truncate(r["source_title"], 120)), 70)
                 + (f" ({_esc(published)})" if published != "–" else ""))
    if isinstance(r.get("quote"), str) and r["quote"]:
        lines.append("“" + formatting.wrap(_esc(formatting.truncate(r["quote"], 240)), 70)
                     + "”")
    if r["derived"] and isinstance(r.get("derivation"), str):
        lines.append("Derived: " + formatting.wrap(_esc(r["derivation"]), 70))
    if isinstance(r.get("flag"), str) and r["flag"]:
        lines.append("<b>⚠ " + formatting.wrap(_esc(formatting.truncate(r["flag"], 400)), 70)
                     + "</b>")
    return "<br>".join(lines)


def _status_word(geo: str, status: str, by_place: bool) -> str:
    """The status in a legend label: not for reported values coloured by place, and not when
    the scope already ends in it ('TITR (whole corridor) — capacity', not '… · capacity')."""
    if by_place and status == "reported":
        return ""
    qualifier = geo.split(scopes.QUALIFIER_SEP, 1)[1] if scopes.QUALIFIER_SEP in geo else ""
    return "" if qualifier == status else status


def figures(frame: pd.DataFrame, *, indicators: Mapping[str, tuple[str, str]],
            title: str | None = None) -> go.Figure:
    """Figures drawn over their true period: a horizontal segment from start to end.

    One panel per indicator (its unit on the axis), one colour per geo, line style by
    status (solid reported, dashed forecast, dotted target, dash-dot capacity) and hollow
    diamonds for derived values. The hover carries value, period, source, date and quote.
    `indicators` maps id -> (name, unit) and fixes the panel order.
    """
    if frame.empty:
        return empty("No figures for this indicator and scope. Try another scope "
                     "(e.g. All scopes) or another indicator.")
    frame = transforms.period_geometry(frame)
    order = [i for i in indicators if i in set(frame["indicator"])]
    n = len(order)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True,
                        vertical_spacing=0.3 / n if n > 1 else 0.0,
                        subplot_titles=[_esc(indicators[i][0]) for i in order] if n > 1
                        else None)
    geos = sorted(frame["geo"].unique())
    by_place = len(geos) <= MAX_PLACE_COLOURS
    # Too many places to tell apart by colour: colour by status, the place stays in the hover.
    frame = frame.assign(place=frame["geo"] if by_place else "")
    seen: set[str] = set()
    for row, ind in enumerate(order, start=1):
        sub = frame[frame["indicator"] == ind]
        name, unit = indicators[ind]
        for (geo, status, derived), g in sub.groupby(["place", "status", "derived"], sort=True):
            style = STATUS_STYLE.get(status, STATUS_STYLE[codes.STATUS.default])
            colour = (_colour(geos.index(geo)) if by_place
                      else codes.STATUS.colour.get(status, "#444"))
            group = f"{geo}|{status}|{derived}"
            label = _esc(" · ".join(p for p in (geo, _status_word(geo, status, by_place),
                                                "derived" if derived else "") if p))
            hover = [_figure_hover(r) for _, r in g.iterrows()]
            xs, ys, idx = dense_segments(g["x_start"], g["x_end"], g["value"])
            # Invisible points along the line carry the hover, so it works anywhere on it.
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", name=label, legendgroup=group,
                showlegend=False, marker={"size": 6, "opacity": 0, "color": colour},
                customdata=[hover[i] if i >= 0 else "" for i in idx],
                hovertemplate="%{customdata}<extra></extra>",
                line={"color": colour, "dash": style["dash"], "width": style["width"]}),
                row=row, col=1)
            flagged = [bool(f) for f in g["flag"]] if "flag" in g else [False] * len(g)
            fig.add_trace(go.Scatter(
                x=_dates(g["x_mid"]), y=g["value"].to_numpy(dtype=float), mode="markers",
                name=label,
                legendgroup=group, showlegend=group not in seen,
                marker={"color": colour, "size": 9,
                        "line": {"width": [3 if f else 2 for f in flagged],
                                 "color": [FLAG_COLOUR if f else colour for f in flagged]},
                        "symbol": DERIVED_SYMBOL if derived else style["symbol"]},
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>"), row=row, col=1)
            seen.add(group)
        fig.update_yaxes(row=row, col=1, **value_axis(sub["value"], name=name, unit=unit))
    fig.update_xaxes(title_text="Period (each line spans its period)", row=n, col=1)
    fig = _base_layout(fig, height=110 + 300 * n + 22 * len(seen), title=title)
    if not by_place:
        fig.update_layout(legend_title_text=f"{len(geos)} places, coloured by status "
                                            "(hover for the place):")
    return fig


def _unique(labels: list[str]) -> list[str]:
    """Row labels made unique ('…', '… (2)'): two sources with the same shortened title
    would otherwise share one row of a categorical axis, and one of them would vanish."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def coverage(frame: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """What each source covers: a segment from its first to its last date or period.

    One row per source, so the chart grows with the store (2,400 px for 90 sources): the
    date axis and the legend sit at its top, where a reader starts, not below the last row.
    """
    frame = frame.dropna(subset=["covers_from", "covers_to"])
    if frame.empty:
        return empty("No source matches, or the matching sources support no figure or rate.")
    frame = frame.sort_values(["covers_from", "title"]).reset_index(drop=True)
    labels = _unique([_esc(formatting.truncate(t, 42)) for t in frame["title"]])
    fig = go.Figure()
    for kind, g in frame.groupby("kind", sort=True):
        idx = [labels[i] for i in g.index]
        xs, _ = _segments(g["covers_from"], g["covers_to"], [0.0] * len(g))
        ys = [y for label in idx for y in (label, label, None)]
        colour = codes.SOURCE_KIND.colour.get(kind, "#444")
        name = codes.SOURCE_KIND.label.get(kind, kind)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=_esc(name),
                                 line={"color": colour, "width": 6}, marker={"size": 7},
                                 customdata=[[c, r] for c, r in zip(
                                     g["figures"], g["rates"], strict=True) for _ in range(3)],
                                 hovertemplate=("%{y}<br>%{x|%Y-%m-%d}<br>%{customdata[0]} "
                                                "figures, %{customdata[1]} rates"
                                                f"<br>Kind: {_esc(name)}<extra></extra>")))
    fig.update_yaxes(title_text="Source", categoryorder="array", categoryarray=labels[::-1],
                     tickfont={"size": 11}, range=[-0.7, len(labels) - 0.3])
    fig.update_xaxes(title_text="Dates or periods covered", side="top")
    height = 160 + 24 * len(frame)
    fig = _base_layout(fig, height=height, title=title)
    plot_height = max(height - (50 if title else 20) - 60, 120)
    # Above the date axis's ticks and title (about 60 px), below the chart's title.
    fig.update_layout(legend={"yanchor": "bottom", "y": 1 + 62 / plot_height},
                      margin={"t": (50 if title else 20) + 40},
                      title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}})
    return fig
