"""In a real browser: data that is missing or hostile leaves every page working and inert."""

from __future__ import annotations

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app
from test_browser_upload import DROPZONE, TOKEN, main_text, open_unlocked

pytestmark = pytest.mark.browser
PATHS = ("/", "/currencies", "/corridor", "/sources", "/upload", "/refresh", "/articles")


@pytest.fixture
def live(store_path):
    srv = StreamlitServer(store_path, env={"INDICATORS_EDITOR_TOKEN": TOKEN})
    yield srv
    srv.stop()


def assert_no_exception(page, path: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, (path, main_text(page))


def test_free_text_source_upload_leaves_every_page_working(live, browser, tmp_path):
    page = open_unlocked(browser, live)
    f = tmp_path / "free-text-source.csv"
    f.write_text("date,base,quote,rate,source\n"
                 "2026-11-30,USD,UZS,12000.5,Kapitalbank daily fixing\n", encoding="utf-8")
    page.set_input_files(DROPZONE, str(f))
    confirm = page.get_by_role("button", name="Confirm and write")
    confirm.wait_for(timeout=30_000)
    confirm.click()
    page.get_by_text("Saved as batch").wait_for(timeout=30_000)
    wait_for_app(page)
    for path in PATHS + ("/currencies?ccy=UZS&from=2026-11-01&to=2026-12-31",):
        page.goto(live.url + path)
        wait_for_app(page, 60_000)
        assert_no_exception(page, path)
    page.goto(live.url + "/")
    wait_for_app(page, 60_000)
    assert "Kapitalbank daily fixing" in main_text(page)  # the UZS card names it
    screenshot(page, "overview-free-text-source")
    page.close()
