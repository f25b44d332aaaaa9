"""A real headless Chromium opens the served app and sees a Plotly chart."""

import pytest
from conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_overview_in_a_real_browser_shows_a_plotly_chart(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 2000})
    page.goto(server.url + "/")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 1
    assert "Source:" in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "overview")
    page.close()
