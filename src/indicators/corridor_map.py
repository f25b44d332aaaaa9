"""The corridor map: its nodes (border crossings, hubs, ports) with their latest reported
figure, the rail and sea legs between them, and a pure Plotly geo figure of both.

The base map is Natural Earth geometry the dashboard serves itself (static/topojson), so
drawing it asks no other host for anything: `topojson_url()` goes into the chart's config.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from indicators import charts, consistency, formatting, period_notation, places, scopes
from indicators.markup import plotly as _esc

MAP_DIR = Path(__file__).resolve().parents[2] / "data" / "map"
TOPOJSON_URL = "/app/static/topojson/"  # under the server's base path, see topojson_url


def under_base(path: str, base_path: str | None) -> str:
    """An absolute path of the dashboard ("/corridor") below Streamlit's `server.baseUrlPath`
    when it is served under a prefix behind a proxy ("indicators" gives "/indicators/corridor")."""
    base = (base_path or "").strip("/")
    return (f"/{base}" if base else "") + path


def topojson_url(base_path: str | None = None) -> str:
    """Where plotly.js fetches the base map: the dashboard's own static folder."""
    return under_base(TOPOJSON_URL, base_path)


KIND_SYMBOL = {"border crossing": "diamond", "hub": "circle", "Caspian port": "square",
               "Black Sea port": "square"}
MODE_STYLE = {"rail": {"color": "#444444", "width": 2, "dash": "solid"},
              "sea": {"color": "#1f77b4", "width": 2, "dash": "dash"}}
NO_DATA = "#bbbbbb"
HEADLINE_UNITS = ("t", "TEU")
# The map's window: Xi'an to Istanbul, Kazakhstan's north to Iran's. A Mercator map keeps
# its aspect (about 0.4 here), so 440 px fills the page's usual width without a white band.
LON_RANGE = (26, 112)
LAT_RANGE = (30, 55)
LEGEND_ROOM = 28  # px above the map for the one-line legend


@dataclass(frozen=True)
class Label:
    """Where a place's name is drawn: at `position` (Plotly's textposition) beside its mark,
    or, where places crowd, beside the point `at` (lat, lon) with a thin leader line back to
    the mark. Declared for every place in data/map/nodes.csv (a test checks it)."""

    position: str = "top center"
    at: tuple[float, float] | None = None


# At the page's usual width a degree is about 11 px across, and Anaklia, Poti and Batumi lie
# within a degree of each other: their names go out over the Black Sea, one per line, in the
# order of the ports from north to south, so the leader lines do not cross.
LABELS = {
    "khorgos": Label("bottom right"), "dostyk": Label("top right"),
    "xian": Label("top center"), "almaty": Label("bottom left"),
    "moyynty": Label("top center"), "zhezkazgan": Label("top center"),
    "beyneu": Label("top right"), "aktau": Label("top left"), "kuryk": Label("middle right"),
    "turkmenbashi": Label("bottom right"), "baku": Label("bottom center", at=(39.3, 48.6)),
    "tbilisi": Label("top right"), "kars": Label("bottom left"),
    "anaklia": Label("middle left", at=(44.8, 39.3)),
    "poti": Label("middle left", at=(43.4, 39.3)),
    "batumi": Label("middle left", at=(42.0, 39.3)),
    "istanbul": Label("top center"),
}
LEADER = {"color": "#8a8a8a", "width": 1}
NODE_COLUMNS = ["id", "name", "kind", "lat", "lon", "geos", "link", "coordinates_source",
                "latest", "latest_period", "latest_indicator", "latest_source", "figures"]


@dataclass(frozen=True)
class Network:
    nodes: pd.DataFrame
    legs: pd.DataFrame


def load(directory: Path = MAP_DIR) -> Network:
    """nodes.csv and legs.csv; `geos` becomes a tuple of figure scopes."""
    with open(directory / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = pd.DataFrame(list(csv.DictReader(fh)))
    nodes["lat"] = nodes["lat"].astype(float)
    nodes["lon"] = nodes["lon"].astype(float)
    nodes["geos"] = [tuple(g for g in str(s).split("|") if g) for s in nodes["geos"]]
    with open(directory / "legs.csv", encoding="utf-8", newline="") as fh:
        legs = pd.DataFrame(list(csv.DictReader(fh)))
    return Network(nodes, legs)


def latest(nodes: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Each node with its latest reported figure (of its own geos, sub-flows included)."""
    out = nodes.copy()
    cols = {"latest": "", "latest_period": "", "latest_indicator": "", "latest_source": "",
            "figures": 0}
    for c, v in cols.items():
        out[c] = v
    if figures.empty:
        return out[NODE_COLUMNS]
    reported = figures[(figures["status"] == "reported")
                       & ~figures["unit"].isin({"%", "x"})].copy()
    reported["base"] = reported["geo"].str.split(scopes.QUALIFIER_SEP).str[0]
    for i, r in out.iterrows():
        mine = reported[reported["base"].isin(r["geos"]) | reported["geo"].isin(r["geos"])]
        out.at[i, "figures"] = len(mine)
        if mine.empty:
            continue
        # Tonnes or TEU before other flows before anything else (money, lengths); then the
        # latest period; then the place's own figure before a sub-flow's.
        rank = [0 if u in HEADLINE_UNITS else 1 if u in consistency.FLOW_UNITS else 2
                for u in mine["unit"]]
        mine = mine.assign(sub=mine["geo"].str.contains(scopes.QUALIFIER_SEP, regex=False),
                           rank=rank)
        top = mine.sort_values(["rank", "period_end", "sub", "value"],
                               ascending=[True, False, True, False]).iloc[0]
        out.at[i, "latest"] = formatting.quantity(top["value"], top["unit"])
        out.at[i, "latest_period"] = period_notation.label(top["period"])
        out.at[i, "latest_indicator"] = f"{top['indicator_name']} · {top['geo']}"
        out.at[i, "latest_source"] = formatting.as_text(top["source_title"])
    return out[NODE_COLUMNS]


def _node_colour(r: pd.Series) -> str:
    if not r["figures"]:
        return NO_DATA
    return places.colour(r["geos"][0]) if r["geos"] else "#444444"


def figure(nodes: pd.DataFrame, legs: pd.DataFrame, *, height: int = 440,
           labels: bool = True, title: str | None = None,
           legend_on_top: bool = True) -> go.Figure:
    """Legs as lines (rail solid, sea dashed), nodes as markers; a node without figures is
    grey and hollow and says so in its hover."""
    fig = go.Figure()
    at = nodes.set_index("id")
    for mode, g in legs.groupby("mode", sort=True):
        lats, lons = [], []
        for leg in g.itertuples():
            if leg._1 in at.index and leg.to in at.index:
                a, b = at.loc[leg._1], at.loc[leg.to]
                lats += [a["lat"], b["lat"], None]
                lons += [a["lon"], b["lon"], None]
        style = MODE_STYLE.get(mode, MODE_STYLE["rail"])
        fig.add_trace(go.Scattergeo(lat=lats, lon=lons, mode="lines", line=style,
                                    name=f"{mode} leg (schematic)", hoverinfo="skip"))
    hover = {r["id"]: _hover(r) for _i, r in nodes.iterrows()}
    label = {i: LABELS.get(i, Label()) for i in nodes["id"]}
    for has_data in (True, False):
        g = nodes[(nodes["figures"] > 0) == has_data]
        if g.empty:
            continue
        # Names come from data: escaped. A name drawn away from its mark is left out here.
        fig.add_trace(go.Scattergeo(
            lat=g["lat"], lon=g["lon"], mode="markers+text" if labels else "markers",
            text=[_esc(n) if label[i].at is None else "" for i, n in zip(
                g["id"], g["name"], strict=True)] if labels else None,
            textposition=[label[i].position for i in g["id"]],
            textfont={"size": 11, "color": _text_colour(has_data)},
            name="place with figures" if has_data else "no figures yet",
            marker={"size": 11 if has_data else 9,
                    "symbol": [KIND_SYMBOL.get(k, "circle") + ("" if has_data else "-open")
                               for k in g["kind"]],
                    "color": [_node_colour(r) for _i, r in g.iterrows()],
                    "line": {"width": 1.5, "color": "#333333" if has_data else NO_DATA}},
            customdata=[hover[i] for i in g["id"]],
            hovertemplate="%{customdata}<extra></extra>"))
    moved = nodes[[label[i].at is not None for i in nodes["id"]]]
    if labels and not moved.empty:
        _moved_labels(fig, moved, label, hover)
    fig.update_geos(scope="asia", resolution=50, projection_type="mercator",
                    lonaxis_range=list(LON_RANGE), lataxis_range=list(LAT_RANGE), showland=True,
                    landcolor="#f3f1ec", showcountries=True, countrycolor="#b9b4aa",
                    showlakes=True, lakecolor="#cfe3f3", showocean=True, oceancolor="#e3eef7",
                    showcoastlines=True, coastlinecolor="#9fb6c8", showframe=False)
    top = (40 if title else 0) + (LEGEND_ROOM if legend_on_top else 0)
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": top, "b": 0},
                      template=charts.NO_TEMPLATE, font={"family": charts.FONT},
                      title={"text": _esc(title), "x": 0, "font": {"size": 14}} if title else None,
                      # Above the map, not below the paper's bottom edge: the map keeps
                      # its aspect, so at most widths the paper is taller than the map and
                      # a legend at the bottom sat under a band of white.
                      legend={"orientation": "h", "x": 0, "xanchor": "left",
                              "y": 1, "yanchor": "bottom",
                              "bgcolor": "rgba(255,255,255,0.7)"},
                      showlegend=legend_on_top,
                      hoverlabel={"align": "left"})
    return fig


def _hover(r: pd.Series) -> str:
    # Names, indicators and source titles come from data: escaped before our own tags.
    head = f"<b>{_esc(r['name'])}</b> ({_esc(r['kind'])})<br>"
    if not r["figures"]:
        return head + "No figures yet"
    return (head + f"Latest: <b>{_esc(r['latest'])}</b>, {_esc(r['latest_period'])}<br>"
            f"{formatting.wrap(_esc(r['latest_indicator']), 60)}<br>Source: "
            f"{formatting.wrap(_esc(formatting.truncate(r['latest_source'], 100)), 60)}"
            f"<br>{formatting.count(int(r['figures']), 'figure')} in all")


def _text_colour(has_data: bool) -> str:
    return "#333333" if has_data else "#888888"


def _moved_labels(fig: go.Figure, moved: pd.DataFrame, label: dict[str, Label],
                  hover: dict[str, str]) -> None:
    """Names drawn away from crowded marks, each joined to its mark by a leader line; the
    name shows the place's hover too."""
    lats: list[float | None] = []
    lons: list[float | None] = []
    for r in moved.itertuples():
        lat, lon = label[r.id].at
        lats += [r.lat, lat, None]
        lons += [r.lon, lon, None]
    fig.add_trace(go.Scattergeo(lat=lats, lon=lons, mode="lines", line=LEADER,
                                hoverinfo="skip", showlegend=False, name="label leader"))
    fig.add_trace(go.Scattergeo(
        lat=[label[i].at[0] for i in moved["id"]], lon=[label[i].at[1] for i in moved["id"]],
        mode="text", text=[_esc(n) for n in moved["name"]],
        textposition=[label[i].position for i in moved["id"]],
        textfont={"size": 11, "color": [_text_colour(f > 0) for f in moved["figures"]]},
        showlegend=False, name="place name", customdata=[hover[i] for i in moved["id"]],
        hovertemplate="%{customdata}<extra></extra>"))


def link(node: pd.Series, page: str) -> str:
    """The Middle Corridor view of a node's figures: that page's path with the node's query."""
    return f"{page}?{node['link']}" if node["link"] else page
