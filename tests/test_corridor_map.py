"""The corridor map: nodes with their latest figure, legs between known nodes, a geo figure
whose base map comes from the dashboard, and nodes without figures shown as such."""

from __future__ import annotations

import json
import math

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


def test_every_place_declares_where_its_name_goes():
    net = corridor_map.load()
    assert set(corridor_map.LABELS) == set(net.nodes["id"])
    for label in corridor_map.LABELS.values():
        vertical, horizontal = label.position.split()
        assert vertical in ("top", "middle", "bottom")
        assert horizontal in ("left", "center", "right")
        if label.at is not None:
            lat, lon = label.at
            assert corridor_map.LAT_RANGE[0] < lat < corridor_map.LAT_RANGE[1]
            assert corridor_map.LON_RANGE[0] < lon < corridor_map.LON_RANGE[1]


def _label_boxes(nodes: pd.DataFrame, width: float = 940.0) -> dict[str, tuple]:
    """Each name's box in pixels on a map `width` wide (the page's usual width), as Plotly
    draws the Mercator window: about 6.2 px a character at 11 px, 13 px high, 6 px from its
    point."""
    scale = width / math.radians(corridor_map.LON_RANGE[1] - corridor_map.LON_RANGE[0])

    def xy(lat, lon):
        return (scale * math.radians(lon - corridor_map.LON_RANGE[0]),
                -scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    boxes = {}
    for r in nodes.itertuples():
        label = corridor_map.LABELS[r.id]
        x, y = xy(*(label.at or (r.lat, r.lon)))
        w, h, gap = len(r.name) * 6.2, 13, 6
        vertical, horizontal = label.position.split()
        x0 = {"left": x - gap - w, "center": x - w / 2, "right": x + gap}[horizontal]
        y0 = {"top": y - gap - h, "middle": y - h / 2, "bottom": y + gap}[vertical]
        boxes[r.id] = (x0, y0, x0 + w, y0 + h, *xy(r.lat, r.lon))
    return boxes


def test_no_name_overlaps_another_or_covers_another_place_at_the_usual_width():
    # Poti, Batumi and Anaklia lie within a degree (about 11 px) of each other, Tbilisi, Kars
    # and Baku close by: with names beside their marks they overlapped.
    boxes = _label_boxes(corridor_map.load().nodes)
    clashes = []
    for a, (ax0, ay0, ax1, ay1, _ax, _ay) in boxes.items():
        for b, (bx0, by0, bx1, by1, bx, by) in boxes.items():
            if a < b and ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                clashes.append((a, b))
            if a != b and ax0 - 5 < bx < ax1 + 5 and ay0 - 5 < by < ay1 + 5:
                clashes.append((a, "mark of " + b))
    assert clashes == []


def test_every_place_is_named_once_and_a_name_moved_away_keeps_a_leader_and_the_hover():
    net = corridor_map.load()
    nodes = corridor_map.latest(net.nodes, pd.DataFrame([fig("2024", 7.6e6, geo="Poti port")]))
    figure = corridor_map.figure(nodes, net.legs)
    names = [t for tr in figure.data if tr.text for t in tr.text if t]
    assert sorted(names) == sorted(net.nodes["name"])
    moved = {i for i, label in corridor_map.LABELS.items() if label.at}
    assert {"poti", "batumi", "anaklia"} <= moved
    text = next(t for t in figure.data if t.mode == "text")
    marks = {h.split("</b>")[0]: h for t in figure.data if "markers" in t.mode
             for h in t.customdata}
    for name, hover in zip(text.text, text.customdata, strict=True):
        assert marks[hover.split("</b>")[0]] == hover and name in hover
    leader = next(t for t in figure.data if t.name == "label leader")
    at = net.nodes.set_index("id")
    ends = {(leader.lat[k], leader.lon[k], leader.lat[k + 1], leader.lon[k + 1])
            for k in range(0, len(leader.lat), 3)}
    assert ends == {(at.loc[i, "lat"], at.loc[i, "lon"], *corridor_map.LABELS[i].at)
                    for i in moved}
    assert "Latest: <b>7.6 Mt</b>" in text.customdata[list(text.text).index("Poti port")]
    # the Overview's small map draws no names at all
    small = corridor_map.figure(nodes, net.legs, labels=False)
    assert not [t for t in small.data if t.mode == "text" or t.name == "label leader"]
