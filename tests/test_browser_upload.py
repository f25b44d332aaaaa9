"""In a real browser: unlock, drop a file on the uploader, see problems or the preview,
confirm, and see the overview's chart card change."""

import time
from pathlib import Path

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app

from indicators import settings
from indicators.ui import router

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent / "data"
TOKEN = "browser-token-42"
DROPZONE = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture
def live(store_path):
    srv = StreamlitServer(store_path, env={settings.EDITOR_TOKEN.name: TOKEN})
    yield srv
    srv.stop()


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def kzt_card(page):
    """The overview's KZT card: headline metric, caption and sparkline."""
    return page.locator('[data-testid="stVerticalBlock"]', has=page.locator(
        '[data-testid="stMetric"]', has_text="KZT per USD")).last


def spark_last_date(page) -> str | None:
    """The last date on the KZT card's sparkline, once Plotly has drawn it."""
    plot = kzt_card(page).locator(".js-plotly-plot")
    plot.locator(".main-svg").first.wait_for(timeout=60_000)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        # Plotly's own decoded traces: dates may be strings or epoch milliseconds.
        last = plot.evaluate("""el => (el._fullData || []).filter(t => t.x && t.x.length)
            .map(t => t.x[t.x.length - 1])
            .map(v => typeof v === 'number' ? new Date(v).toISOString() : String(v))
            .map(v => v.slice(0, 10)).sort().pop()""")
        if last:
            return last
        time.sleep(0.2)
    return None


def open_unlocked(browser, live):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(live.url + router.UPLOAD.url)
    wait_for_app(page, 60_000)
    assert "read-only" in main_text(page)
    assert page.locator(DROPZONE).count() == 0
    page.get_by_label("Editor token").fill(TOKEN)
    page.get_by_role("button", name="Unlock editing").click()
    page.wait_for_selector(DROPZONE, state="attached", timeout=30_000)
    wait_for_app(page)
    assert TOKEN not in page.url
    return page


def test_bad_file_in_the_browser_lists_every_problem(live, browser):
    page = open_unlocked(browser, live)
    page.set_input_files(DROPZONE, str(DATA / "bad_many_problems.csv"))
    page.get_by_text("The file was not accepted").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "7 problem(s)" in main_text(page)
    assert page.get_by_role("button", name="Confirm and write").count() == 0
    screenshot(page, "upload-problems")
    page.close()


def test_upload_confirm_and_the_overview_shows_the_new_rate(live, browser, tmp_path):
    overview = browser.new_page(viewport={"width": 1400, "height": 1600})
    overview.goto(live.url + "/")
    wait_for_app(overview, 60_000)
    assert "876" not in kzt_card(overview).inner_text()
    before_last = spark_last_date(overview)
    assert before_last is not None and before_last < "2030-01-01"

    page = open_unlocked(browser, live)
    f = tmp_path / "kzt-rates.csv"
    # The card shows one continuous series (HMRC's monthly rates for KZT): a newer rate of
    # that source becomes the headline and the sparkline's last point; a lone rate of a
    # source with no history (nbk) does not take the card over.
    f.write_text("date,base,quote,rate,source\n2030-01-01,USD,KZT,876.54,hmrc-monthly\n"
                 "2030-02-01,USD,KZT,999.99,nbk\n", encoding="utf-8")
    page.set_input_files(DROPZONE, str(f))
    confirm = page.get_by_role("button", name="Confirm and write")
    confirm.wait_for(timeout=30_000)
    wait_for_app(page)
    # The preview's heading, once its run has drawn it (a clean-clone CI run once read the
    # page between the button and the preview above it).
    page.get_by_text("New rows").first.wait_for(timeout=30_000)
    text = main_text(page)
    assert "New rows" in text and "Currency rates: USD/KZT" not in text  # a table, not text
    screenshot(page, "upload-preview")
    confirm.click()
    page.get_by_text("Saved as batch").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "Latest: batch" in main_text(page) and "kzt-rates.csv" in main_text(page)
    screenshot(page, "upload-saved")

    overview.reload()
    wait_for_app(overview, 60_000)
    card = kzt_card(overview).inner_text()
    assert "876.5" in card and "999" not in card and "–2030" in card
    assert spark_last_date(overview) == "2030-01-01"
    screenshot(overview, "overview-after-upload")
    overview.close()
    page.close()
