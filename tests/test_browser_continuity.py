"""In a real browser, the overview's sparklines and the currency chart run on to 2026 without
holes, and the corridor page draws; screenshots go to artifacts/ (not committed)."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import screenshot, wait_for_app

from indicators.ui import router

pytestmark = pytest.mark.browser

# Every chart on the page: its traces' names, y axes and x values (ms since 1970, NaN gaps).
TRACES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd =>
    (gd._fullData || []).map(t => ({name: t.name || '', yaxis: t.yaxis || 'y',
                                    x: Array.from(t.x || []).map(Number)})))"""
MS_PER_DAY = 86_400_000
# The most official series together leave no month empty (TJS after 2023-11 has only the
# ticker, so its panel is checked for its end only).
NO_HOLES = ("KZT", "KGS", "UZS", "TMT")


def _year(ms: float) -> int:
    return datetime.utcfromtimestamp(ms / 1000).year


def _charts(page) -> list[list[dict]]:
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.wait_for_timeout(1500)  # every chart of the run drawn, not only the first
    return [c for c in page.evaluate(TRACES_JS) if c]


def _open(browser, server, path: str, height: int = 2400):
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(server.url + path)
    wait_for_app(page, timeout=90_000)
    return page


def test_overview_sparklines_are_one_series_each_running_to_2026(server, browser):
    page = _open(browser, server, "/")
    charts = _charts(page)
    sparks = [c for c in charts if len(c) == 1][:5]
    assert len(sparks) == 5
    for chart in sparks:
        xs = [x for x in chart[0]["x"] if x == x]
        assert _year(max(xs)) == 2026, chart[0]["name"]
    text = page.inner_text('[data-testid="stMain"]')
    assert "For September 2026" in text
    assert "previous rate from this source is from 2005" not in text
    screenshot(page, "overview-2026")
    page.close()


def test_currency_chart_runs_on_to_2026_without_holes(server, browser):
    page = _open(browser, server, router.CURRENCIES.url, height=3200)
    [chart, *_] = _charts(page)
    panels: dict[str, list[float]] = {}
    for trace in chart:
        panels.setdefault(trace["yaxis"], []).extend(x for x in trace["x"] if x == x)
    order = ["KZT", "KGS", "TJS", "UZS", "TMT"]
    axes = sorted(panels, key=lambda a: int(a[1:] or 1))
    assert len(axes) == len(order)
    for cur, axis in zip(order, axes, strict=True):
        xs = sorted(panels[axis])
        assert _year(xs[-1]) == 2026, cur
        if cur in NO_HOLES:
            inside = [x for x in xs if _year(x) >= 1998]
            widest = max(b - a for a, b in zip(inside, inside[1:], strict=False)) / MS_PER_DAY
            # Long daily series are thinned for the chart (first, last, lowest and highest
            # rate per time bucket, about 110 days wide here), so points can be that far apart;
            # a month without any rate would leave a wider hole.
            assert widest <= 130, f"{cur}: a hole of {widest:.0f} days"
    screenshot(page, "currencies-2026")
    page.close()


def test_corridor_page_draws_its_figures(server, browser):
    page = _open(browser, server, router.CORRIDOR.url, height=2600)
    charts = _charts(page)
    assert any(chart for chart in charts)
    assert "[no headline" not in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "corridor")
    page.close()
