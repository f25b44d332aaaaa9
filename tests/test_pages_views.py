"""The corridor views, checks, ports and map pages in AppTest, on the seed data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest
from test_pages_dashboard import values

from indicators.ui import router

ROOT = Path(__file__).resolve().parents[1]


def open_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_sources_page_lists_every_open_contradiction_with_both_quotes():
    at = open_page(router.SOURCES.file)
    assert any(e.label.startswith("Open contradictions between figures (") for e in at.expander)
    table = next(d.value for d in at.dataframe if "Check" in d.value.columns)
    row = table[table["Figure A"].str.contains("Jan–Apr 2025")].iloc[0]
    assert "1.5 Mt" in row["Figure A"] and "926.0 kt" in row["Figure B"]
    assert row["Quote A"] and row["Quote B"]
    assert (table["Check"] == "Sources disagree").any()


SEED_FIGURES = Path(__file__).resolve().parents[1] / "data" / "seed" / "figures.csv"


def seed_figures() -> list[dict[str, str]]:
    """The seed's figures, which the test store is loaded from (expectations follow it)."""
    with SEED_FIGURES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_corridor_opens_on_the_annual_view_of_whole_titr_cargo_one_mark_per_source_year():
    at = open_page(router.CORRIDOR.file)
    chart = figures(at)[0]
    bars = [t for t in chart["data"] if t["type"] == "bar"]
    stated = [(x, t["name"]) for t in bars if "derived" not in t["name"]
              for x in values(t["x"])]
    # one mark per source and year: every stated full-year reported figure of the scope
    expected = sorted(int(r["period"]) for r in seed_figures()
                      if r["indicator"] == "cargo_tonnage" and r["geo"] == "TITR (whole corridor)"
                      and r["period"].isdigit() and r["status"] == "reported"
                      and not r["derivation"])
    assert len(expected) >= 3 and sorted(x for x, _ in stated) == expected
    assert any("sources disagree" in str(t.get("text")) for t in chart["data"])
    assert "Flagged in this selection" in "\n".join(w.value for w in at.warning)


def test_corridor_scope_choices_only_hold_scopes_with_figures_and_say_how_many():
    at = open_page(router.CORRIDOR.file, {"ind": "port_cargo_throughput"})
    scope = at.selectbox(key="corridor.scope")
    labels = list(scope.options)  # AppTest gives the labels shown
    assert all("figure" in label for label in labels)
    assert not any(label.startswith("Whole TITR") for label in labels)


def test_corridor_year_to_date_view_draws_one_line_per_place_and_year():
    at = open_page(router.CORRIDOR.file, {"view": "ytd"})
    lines = [t for t in figures(at)[0]["data"] if "lines" in t.get("mode", "")]
    names = [t["name"] for t in lines]
    whole = [n for n in names if n.startswith("TITR (whole corridor) ")]
    # one line a year, each naming the months its cumulative figures cover
    years = [n.removeprefix("TITR (whole corridor) ")[:4] for n in whole]
    assert {"2024", "2025"} <= set(years) and len(years) == len(set(years))
    assert any(n.startswith("TITR (whole corridor) 2024 (") and n.endswith("Jan–Dec)")
               for n in whole)
    assert "TITR (whole corridor) 2025 (Jan–Apr, Jan–Jun)" in names
    assert len(names) == len(set(names))


def test_corridor_plans_view_keeps_plans_apart_unless_asked():
    at = open_page(router.CORRIDOR.file, {"view": "plans"})
    names = " ".join(t.get("name", "") for t in figures(at)[0]["data"])
    assert "forecast" in names and "capacity" in names
    assert not any(t.get("name") == "TITR (whole corridor)" for t in figures(at)[0]["data"])
    both = open_page(router.CORRIDOR.file, {"view": "plans", "compare": "reported"})
    assert any(t.get("name") == "TITR (whole corridor)" for t in figures(both)[0]["data"])


def test_corridor_all_figures_view_shows_reported_by_default_and_flags_in_the_table():
    at = open_page(router.CORRIDOR.file, {"view": "all", "tab": "table"})
    table = at.dataframe[0].value
    assert set(table["Status"]) <= {"reported", "reported, derived"}
    assert table["Flag"].str.contains("falls").any()
    assert "1.5 Mt" in set(table["Value"]) and "Jan–Apr 2025 (year to date)" in set(
        table["Period"])


def test_ports_page_lists_every_port_with_a_note_where_it_has_no_figures():
    at = open_page(router.PORTS.file)
    tonnes = at.dataframe[0].value
    for name in ("Aktau port", "Kuryk port", "Baku port (Alat)", "Turkmenbashi port",
                 "Poti port", "Batumi port", "Anaklia port"):
        assert name in set(tonnes["Port"])
    assert (tonnes.loc[tonnes["Port"] == "Poti port", "Note"] == "no figures yet").all()
    assert any(p.startswith("  ↳ ") for p in tonnes["Port"])


def test_ports_part_year_table_keeps_the_growth_in_view_beside_the_port():
    at = open_page(router.PORTS.file)
    part = next(d for d in at.dataframe if "Growth" in d.value.columns
                and "Quote" in d.value.columns)
    widths = {c: v.get("width") for c, v in json.loads(part.proto.columns).items()}
    growth = [g for g in part.value["Growth"] if g]
    assert growth and max(len(g) for g in growth) * 6.6 <= widths["Growth"]
    # Port, Period, Measure, Value and Growth fit about 950 px
    assert sum(widths[c] for c in ("Port", "Period", "Measure", "Value", "Growth")) <= 950


def test_map_page_draws_every_node_and_links_each_to_its_figures():
    at = open_page(router.MAP.file)
    chart = figures(at)[0]
    marks = [t for t in chart["data"] if t["type"] == "scattergeo" and "markers" in t["mode"]]
    assert sum(len(values(t["lat"])) for t in marks) >= 10
    assert json.loads(at.get("plotly_chart")[0].proto.config)["topojsonURL"] == \
        "/app/static/topojson/"
    table = at.dataframe[0].value
    assert table["Open its figures"].str.startswith(router.CORRIDOR.url).all()
    assert "no figures yet" in set(table["Latest figure"])
