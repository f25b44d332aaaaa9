"""Real Chromium: change a control, see the address bar follow, open that link in a fresh
browser, and get the same widgets and the same chart data. Screenshots go to artifacts/."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from conftest import screenshot, wait_for_app

from indicators.ui import router

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

STATE_JS = """() => {
  const q = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  return {
    multiselects: q('[data-testid="stMultiSelect"]').map(m =>
      q('[data-tag] > span[title]', m).map(s => s.title)),
    selects: q('[data-testid="stSelectbox"] input[role="combobox"]').map(i => i.value),
    segments: q('[data-testid="stButtonGroup"] button[aria-checked="true"]').map(b => b.innerText),
    toggles: q('[data-testid="stCheckbox"] input').map(i => i.checked),
    dates: q('[data-testid="stDateInput"] input').map(i => i.value),
    texts: q('[data-testid="stTextInput"] input').map(i => i.value),
    tabs: q('[role="tab"][aria-selected="true"]').map(t => t.innerText),
    charts: q('.js-plotly-plot').map(p => p.data.map(t => ({
      name: t.name, x: t.x, y: t.y, mode: t.mode}))),
  };
}"""


def state(page) -> dict:
    """Widget values and chart data, read once they stop changing."""
    last, deadline = None, time.monotonic() + 20
    while time.monotonic() < deadline:
        wait_for_app(page)
        now = json.dumps(page.evaluate(STATE_JS), sort_keys=True)
        if now == last:
            return json.loads(now)
        last = now
        page.wait_for_timeout(400)
    raise AssertionError("the page did not settle")


def load(browser, url: str, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    return context, page


def shared_link(page) -> str:
    # The link is drawn when "Share this view" is opened (it costs a large script otherwise).
    if not page.locator('[data-testid="stCode"]').count():
        page.get_by_text("Share this view").click()
        page.wait_for_selector('[data-testid="stCode"]', timeout=30_000)
        wait_for_app(page)
    return page.evaluate("() => Array.from(document.querySelectorAll('[data-testid=\"stCode\"]'))"
                         ".map(c => c.textContent.trim()).pop()")


def reopen_and_compare(browser, page, name: str) -> dict:
    """Open the page's address in a new browser context; same widgets, same chart data."""
    before = state(page)
    assert before["charts"] and before["charts"][0], "no chart data"
    assert shared_link(page) == page.url
    context, fresh = load(browser, page.url)
    after = state(fresh)
    assert after == before
    screenshot(fresh, f"{name}-reopened-1280")
    fresh.set_viewport_size({"width": 1280, "height": 2400})
    screenshot(fresh, f"{name}-1280-full")
    context.close()
    context, phone = load(browser, page.url, PHONE)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{name} overflows a phone: {width}px"
    phone.set_viewport_size({"width": 390, "height": 2600})
    wait_for_app(phone)
    screenshot(phone, f"{name}-390")
    context.close()
    return before


def test_currencies_view_choice_goes_to_the_url_and_reopens_identically(server, browser):
    context, page = load(browser, server.url + router.CURRENCIES.url)
    screenshot(page, "currencies-1280x800")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Index").click()
    page.wait_for_url("**" + router.CURRENCIES.url + "?view=index", timeout=20_000)
    wait_for_app(page)
    # the log scale is in the options box, drawn once it is opened (a rerun): click it only
    # once that run has finished, or the click can land on a checkbox about to be redrawn
    page.locator('[data-testid="stExpander"] summary', has_text="log scale").click()
    log_scale = page.locator('[data-testid="stCheckbox"] label', has_text="Log scale")
    log_scale.wait_for(timeout=20_000)
    wait_for_app(page)
    log_scale.click()
    page.wait_for_url("**" + router.CURRENCIES.url + "?view=index&scale=log", timeout=20_000)
    seen = reopen_and_compare(browser, page, "currencies")
    # toggles in page order: "Log scale" (switched on above), "Hide flagged values" (default)
    assert seen["segments"][0] == "Index" and seen["toggles"] == [True, False]
    assert seen["multiselects"][0] == ["KZT · Kazakhstani tenge", "KGS · Kyrgyz som",
                                       "TJS · Tajikistani somoni", "UZS · Uzbekistani sum",
                                       "TMT · Turkmenistan manat"]
    context.close()


def test_currencies_link_with_range_and_cross_rate_reopens_identically(server, browser):
    url = (server.url + router.CURRENCIES.url
           + "?ccy=KZT~KGS&from=2005-01-01&to=2022-06-30&cross=KZT-KGS")
    context, page = load(browser, url)
    seen = reopen_and_compare(browser, page, "currencies-cross")
    assert seen["dates"] == ["2005-01-01", "2022-06-30"]
    assert len(seen["charts"]) == 2
    # The CSV holds exactly the rates drawn on the first chart, with their sources.
    # (a flagged value is drawn on its line and again as a ring, a markers-only trace)
    points = page.evaluate("""() => document.querySelectorAll('.js-plotly-plot')[0]._fullData
        .filter(t => t.mode !== 'markers')
        .reduce((n, t) => n + Array.from(t.y).filter(v => v !== null && !isNaN(v)).length, 0)""")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data shown (CSV)").first.click()
    rows = list(csv.DictReader(io.StringIO(
        Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == points
    assert {r["currency"] for r in rows} == {"KZT", "KGS"}
    assert all(r["source_title"] and "2005-01-01" <= r["date"] <= "2022-06-30" for r in rows)
    context.close()


def test_corridor_scope_goes_to_the_url_and_reopens_identically(server, browser):
    context, page = load(browser, server.url + router.CORRIDOR.url)
    screenshot(page, "corridor-1280x800")
    page.get_by_role("combobox", name="Scope").click()
    page.get_by_role("option", name="Via Kazakhstan", exact=False).first.click()
    page.wait_for_url("**" + router.CORRIDOR.url + "?scope=via-kazakhstan", timeout=20_000)
    seen = reopen_and_compare(browser, page, "corridor")
    assert seen["selects"][0].startswith("Via Kazakhstan")
    context.close()


def test_sources_search_goes_to_the_url_and_reopens_identically(server, browser):
    context, page = load(browser, server.url + router.SOURCES.url)
    screenshot(page, "sources-1280x800")
    box = page.get_by_role("textbox", name="Search")
    box.fill("aktau")
    box.press("Enter")
    page.wait_for_url("**" + router.SOURCES.url + "?q=aktau", timeout=20_000)
    seen = reopen_and_compare(browser, page, "sources")
    assert seen["texts"][0] == "aktau"
    context.close()


def test_overview_card_link_opens_the_detail_view_it_promises(server, browser):
    context, page = load(browser, server.url + "/")
    screenshot(page, "overview-1280x800")
    page.get_by_role("link", name="KGS in detail").click()
    page.wait_for_url("**" + router.CURRENCIES.url + "?ccy=KGS", timeout=20_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    seen = reopen_and_compare(browser, page, "overview-to-currencies")
    assert seen["multiselects"][0] == ["KGS · Kyrgyz som"]
    context.close()
    context, page = load(browser, server.url + "/")
    page.set_viewport_size({"width": 390, "height": 2600})
    screenshot(page, "overview-390")
    page.set_viewport_size({"width": 1280, "height": 2000})
    screenshot(page, "overview-1280-full")
    context.close()


def test_a_bad_link_shows_a_notice_and_a_clean_address(server, browser):
    context, page = load(browser, server.url + router.CURRENCIES.url
                         + "?ccy=KZT&view=pie&from=2024-13-45")
    page.wait_for_url("**" + router.CURRENCIES.url + "?ccy=KZT", timeout=20_000)
    assert "could not be used" in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "currencies-bad-link")
    context.close()
