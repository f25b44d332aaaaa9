"""A deep link opened first on a freshly started server runs through app.py's router.

With a pages/ folder beside app.py, a fresh Streamlit server runs /upload as pages/upload.py
alone until some session has called st.navigation (see indicators.ui.router). Each test
starts its own server, so the link is the first request it ever serves.
"""

import shutil

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app

from indicators.ui import router

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(seeded_db, tmp_path):
    path = tmp_path / "indicators.duckdb"
    shutil.copy(seeded_db, path)
    srv = StreamlitServer(path)
    yield srv
    srv.stop()


def _nav_labels(page) -> list[str]:
    nav = page.locator('[data-testid="stSidebarNav"] a')
    return [t.strip().split("\n")[-1] for t in nav.all_inner_texts()]


@pytest.mark.parametrize("route, query, heading", [
    (router.UPLOAD, "", "Upload rates or figures"),
    (router.CURRENCIES, "?ccy=KGS&view=index", "Currency rates"),
])
def test_a_deep_link_on_a_fresh_server_goes_through_the_router(fresh_server, browser, route,
                                                               query, heading):
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    page.goto(fresh_server.url + route.url + query)
    wait_for_app(page, timeout=60_000)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    # The router's navigation (titles from the table), not the folder's file names.
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stSidebarNav\"] a').length === n",
        arg=len(router.ROUTES), timeout=30_000)
    assert _nav_labels(page) == [r.title for r in router.ROUTES]
    # The page config of app.py applies (wide layout) and the link is kept as it was.
    assert page.locator('[data-testid="stAppViewContainer"][data-layout="wide"]').count() == 1
    assert page.url == fresh_server.url + route.url + query
    main = page.inner_text('[data-testid="stMain"]')
    assert "Traceback" not in main and "Error" not in main.split("\n")[0]
    if route is router.CURRENCIES:
        assert "KGS" in page.get_by_role("combobox").first.inner_text() or "KGS" in main
    screenshot(page, f"fresh-deep-link-{route.key}")
    page.close()
    log = fresh_server.log.read_text()
    assert "Traceback" not in log, log[-3000:]
