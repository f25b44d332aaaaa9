"""Real Chromium at a desktop and a phone size: the corridor's views, the flagged
contradiction, the ports comparison, the map, and that no page asks another host for
anything. Screenshots of every view go to artifacts/."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import screenshot, wait_for_app

from indicators.ui import router

pytestmark = pytest.mark.browser

SIZES = {"1280x800": {"width": 1280, "height": 800}, "390x844": {"width": 390, "height": 844}}
PAGES = ["", "currencies", "corridor", "corridor?view=ytd", "corridor?view=all",
         "corridor?view=plans", "ports", "map", "sources", "upload", "refresh", "articles"]

TRACES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p =>
  p._fullData.map(t => ({type: t.type || 'scatter', name: t.name, mode: t.mode,
                    x: Array.from(t.x || []), n: (t.lat || t.x || []).length,
                    custom: Array.from(t.customdata || []).map(String)})))"""


SEED_FIGURES = Path(__file__).resolve().parents[1] / "data" / "seed" / "figures.csv"


def seed_figures() -> list[dict[str, str]]:
    """The seed's figures, which the test store is loaded from: expectations come from
    them, so adding sourced figures to the seed does not break these tests."""
    with SEED_FIGURES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def open_view(browser, url: str, size: str, *, chart: bool = True):
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(url)
    wait_for_app(page)
    if chart:
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    page.wait_for_timeout(1500)
    return context, page, hosts


def traces(page) -> list[list[dict]]:
    return page.evaluate(TRACES_JS)


@pytest.mark.parametrize("size", SIZES)
def test_annual_view_of_whole_titr_cargo_draws_one_mark_per_source_and_year(server, browser,
                                                                          size):
    context, page, _ = open_view(browser, server.url + router.CORRIDOR.url, size)
    screenshot(page, f"views-corridor-annual-{size}")
    bars = [t for t in traces(page)[0] if t["type"] == "bar" and "derived" not in t["name"]]
    years = sorted(x for t in bars for x in t["x"])
    # one mark per source and year: every stated full-year reported figure of the scope
    expected = sorted(int(r["period"]) for r in seed_figures()
                      if r["indicator"] == "cargo_tonnage" and r["geo"] == "TITR (whole corridor)"
                      and r["period"].isdigit() and r["status"] == "reported"
                      and not r["derivation"])
    assert len(expected) >= 3 and years == expected
    assert any("sources disagree" in c for t in traces(page)[0] for c in t["custom"])
    # on a phone the chart is on the first screen, not below the controls
    box = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    assert box["y"] < SIZES[size]["height"]
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_year_to_date_view_draws_one_line_per_year_and_flags_jan_apr_against_h1(
        server, browser, size):
    context, page, _ = open_view(browser, server.url + router.CORRIDOR.url + "?view=ytd", size)
    screenshot(page, f"views-corridor-ytd-{size}")
    lines = [t["name"] for t in traces(page)[0] if "lines" in (t["mode"] or "")]
    titr = [n for n in lines if n.startswith("TITR (whole corridor) ")]
    years = [n.removeprefix("TITR (whole corridor) ")[:4] for n in titr]
    assert len(years) == len(set(years)) and {"2024", "2025"} <= set(years)  # one line a year
    assert all(" (Jan" in n for n in titr)  # each line says which months it covers
    flagged = [c for t in traces(page)[0] for c in t["custom"] if "falls" in c]
    assert any("Jan–Apr 2025" in c and "926.0 kt" in c for c in flagged)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_all_figures_and_plans_views_draw(server, browser, size):
    for view in ("all", "plans"):
        context, page, _ = open_view(browser, server.url + router.CORRIDOR.url + f"?view={view}",
                                     size)
        screenshot(page, f"views-corridor-{view}-{size}")
        assert traces(page)[0]
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_port_comparison_lists_every_port_and_says_which_have_no_figures(server, browser,
                                                                        size):
    context, page, _ = open_view(browser, server.url + router.PORTS.url, size, chart=False)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    screenshot(page, f"views-ports-{size}")
    text = page.inner_text('[data-testid="stMain"]')
    listed = text.split("No figures yet for", 1)[1].split(".", 1)[0]
    measures = {"port_cargo_throughput", "port_container_throughput"}
    with_figures = {r["geo"].split(" — ")[0] for r in seed_figures()
                    if r["indicator"] in measures and r["status"] == "reported"}
    declared = ("Aktau port", "Kuryk port", "Baku port (Alat)", "Turkmenbashi port",
                "Poti port", "Batumi port", "Anaklia port")
    without = [name for name in declared if name not in with_figures]
    assert without, "every declared port has figures now: pick another empty port"
    for name in declared:  # the table (a canvas grid) holds the others; the note names these
        assert (name in listed) == (name in without), name
    assert "Kuryk port" in text.split("Part years only for", 1)[1].split(".", 1)[0]
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_map_draws_a_geo_trace_with_at_least_ten_nodes_from_the_dashboard_alone(
        server, browser, size):
    context, page, hosts = open_view(browser, server.url + router.MAP.url, size)
    page.wait_for_selector('.js-plotly-plot .geo .countries path, .js-plotly-plot .geo path',
                           timeout=30_000)
    screenshot(page, f"views-map-{size}")
    geo = [t for t in traces(page)[0] if t["type"] == "scattergeo" and "markers" in t["mode"]]
    assert sum(t["n"] for t in geo) >= 10
    assert hosts == {urlsplit(server.url).netloc}
    context.close()


def test_no_page_asks_any_host_but_the_dashboard(server, browser):
    own = urlsplit(server.url).netloc
    for size in SIZES:
        for path in PAGES:
            context, page, hosts = open_view(browser, f"{server.url}/{path}", size,
                                             chart=False)
            time.sleep(1.5)  # late requests: charts, the base map, fonts
            if path in ("", "map"):
                screenshot(page, f"views-page-{path or 'overview'}-{size}")
            assert hosts == {own}, (path, size, hosts)
            context.close()


def test_first_views_of_currencies_and_corridor_load_no_data_grid_until_a_table_is_opened(
        server, browser):
    """Issue 15: the data grid's scripts (1.2 MB) are not fetched on the first view of the
    two chart pages, whose tables are on the Table tab or in boxes under the chart; opening
    the corridor's growth box draws its table."""
    for route in (router.CURRENCIES, router.CORRIDOR):
        context = browser.new_context(viewport=SIZES["1280x800"])
        page = context.new_page()
        scripts: list[str] = []
        page.on("request", lambda r, s=scripts: s.append(r.url))
        page.goto(server.url + route.url)
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
        page.wait_for_timeout(1500)
        assert any("/PlotlyChart." in u for u in scripts), route.path
        assert not [u for u in scripts if "/DataFrame." in u], route.path
        if route is router.CORRIDOR:
            page.get_by_text("Growth table: ", exact=False).click()
            page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
            assert [u for u in scripts if "/DataFrame." in u]
        context.close()
