"""The map page and the Overview's small map: the corridor's nodes and legs on a base map
served by the dashboard itself."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import corridor_map, queries
from indicators.ui import caching, router, widgets


def _base() -> str:
    return st.get_option("server.baseUrlPath")


def config() -> dict:
    """plotly.js fetches its base map from the dashboard's own folder, never from a CDN."""
    return {"topojsonURL": corridor_map.topojson_url(_base())}


def _nodes() -> tuple[pd.DataFrame, pd.DataFrame]:
    net = corridor_map.load()
    return corridor_map.latest(net.nodes, caching.read(queries.figures)), net.legs


def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return caching.cached_view("map_nodes", (), _nodes)


def _figure(small: bool) -> go.Figure:
    nodes, legs = data()
    return corridor_map.figure(nodes, legs, height=300 if small else 440, labels=not small)


CREDIT = ("Base map: Natural Earth (public domain), served by this dashboard. Place "
          "coordinates: GeoNames (CC BY 4.0).")


def draw(*, small: bool = False) -> None:
    """The map with its sources under it (the small one on the Overview too)."""
    fig = caching.cached_view("map_figure", small, lambda: _figure(small))
    widgets.plotly(fig, key="map_small" if small else "map", name="middle-corridor-map",
                  config={**config(), **({"displayModeBar": False} if small else {})})
    st.caption(CREDIT + (" Each place's latest figure and its source: the full map."
                         if small else " Hover a place for its figure and source."))


def table() -> None:
    nodes, _legs = data()
    page = corridor_map.under_base(router.CORRIDOR.url, _base())
    shown = pd.DataFrame({
        "Place": nodes["name"], "Kind": nodes["kind"],
        "Latest figure": [v if v else "no figures yet" for v in nodes["latest"]],
        "Period": nodes["latest_period"], "What": nodes["latest_indicator"],
        "Source": nodes["latest_source"], "Figures": nodes["figures"],
        "Open its figures": [corridor_map.link(r, page) for _i, r in nodes.iterrows()],
        "Coordinates from": nodes["coordinates_source"]})
    widgets.table(shown, key=("map_nodes",), links=["Open its figures"], pin="Place")
