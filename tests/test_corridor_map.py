"""The corridor map: nodes with their latest figure, legs between known nodes, a geo figure
whose base map comes from the dashboard, and nodes without figures shown as such."""

from __future__ import annotations

import json

import pandas as pd
from test_consistency import fig

from indicators import corridor_map

REQUIRED = {"Khorgos / Altynkol", "Dostyk / Alashankou", "Aktau port", "Kuryk port",
            "Baku port (Alat)", "Turkmenbashi port", "Poti port", "Batumi port", "Anaklia port"}


def test_the_shipped_network_has_the_required_nodes_and_every_leg_joins_two_of_them():
    net = corridor_map.load()
    assert set(net.nodes["name"]) >= REQUIRED and len(net.nodes) >= 10
    assert set(net.legs["from"]) | set(net.legs["to"]) <= set(net.nodes["id"])
    assert set(net.legs["mode"]) == {"rail", "sea"}
    assert net.nodes["coordinates_source"].str.startswith("GeoNames").all()
    assert net.nodes["lat"].between(30, 55).all() and net.nodes["lon"].between(25, 115).all()


def test_latest_prefers_tonnes_or_teu_and_the_newest_period():
    net = corridor_map.load()
    figures = pd.DataFrame([
        fig("2023", 7.4e6, geo="Baku port (Alat)", indicator="port_cargo_throughput"),
        fig("2024", 7.6e6, geo="Baku port (Alat)", indicator="port_cargo_throughput"),
        fig("2025-01", 40, geo="Baku port (Alat)", indicator="freight_trains", unit="trains"),
        fig("2025", 9e6, geo="Baku port (Alat)", status="forecast")])
    nodes = corridor_map.latest(net.nodes, figures).set_index("id")
    assert nodes.loc["baku", "latest"] == "7.6 Mt" and nodes.loc["baku", "figures"] == 3
    assert nodes.loc["poti", "latest"] == "" and nodes.loc["poti", "figures"] == 0


def test_map_figure_is_geo_with_every_node_and_grey_hollow_marks_without_figures():
    net = corridor_map.load()
    nodes = corridor_map.latest(net.nodes, pd.DataFrame([fig("2024", 7.6e6,
                                                             geo="Baku port (Alat)")]))
    figure = corridor_map.figure(nodes, net.legs)
    geo = [t for t in figure.data if t.type == "scattergeo"]
    marks = [t for t in geo if "markers" in t.mode]
    assert sum(len(t.lat) for t in marks) == len(net.nodes)
    empty = next(t for t in marks if t.name == "no figures yet")
    assert all(s.endswith("-open") for s in empty.marker.symbol)
    assert all("No figures yet" in h for h in empty.customdata)
    spec = json.loads(figure.to_json())
    assert spec["layout"]["geo"]["resolution"] == 50 and spec["layout"]["geo"]["scope"] == "asia"


def test_the_base_map_the_chart_asks_for_is_shipped_in_the_repository():
    from pathlib import Path
    root = Path(corridor_map.__file__).resolve().parents[2]
    path = root / corridor_map.TOPOJSON_URL.strip("/").removeprefix("app/") / "asia_50m.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "Topology" and "countries" in data["objects"]


def test_the_base_map_is_asked_for_below_the_servers_base_path():
    # Behind a reverse proxy under a prefix (server.baseUrlPath), Streamlit serves static
    # files at /<prefix>/app/static/; an absolute /app/static/ would miss them.
    assert corridor_map.topojson_url(None) == corridor_map.topojson_url("") == \
        "/app/static/topojson/"
    assert corridor_map.topojson_url("indicators") == "/indicators/app/static/topojson/"
    assert corridor_map.topojson_url("/team/indicators/") == \
        "/team/indicators/app/static/topojson/"
    # and the links from the map's table into the corridor page
    assert corridor_map.under_base("/corridor", "indicators") == "/indicators/corridor"
    node = {"link": "ind=port_cargo_throughput&scope=caspian"}
    assert corridor_map.link(node, "/x/corridor") == "/x/corridor?" + node["link"]
    assert corridor_map.link({"link": ""}, "/corridor") == "/corridor"
