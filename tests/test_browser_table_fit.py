"""At a laptop's width (1366 px, sidebar open) the columns an analyst reads first are in view
without a sideways scroll: the ports tables' latest year and its growth, the currencies
tables' date, currency, rate and source.

Streamlit's data grid draws on a canvas, but keeps an accessible table in the DOM whose
header cells are the columns in view (a column cut at the right edge counts). A column is
therefore wholly in view when the column after it is listed too, or when it is the last."""

from __future__ import annotations

import pytest
from conftest import screenshot, wait_for_app
from test_browser_views import seed_figures

from indicators import ports
from indicators.ui import router

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}

IN_VIEW_JS = """grid => {
  const table = grid.querySelector('table[role=grid]');
  const heads = Array.from(table.querySelectorAll('thead th'));
  return {count: Number(table.getAttribute('aria-colcount')),
          heads: heads.map(th => [th.textContent, Number(th.getAttribute('aria-colindex'))])};
}"""


def open_page(browser, url: str):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stDataFrame"] table[role=grid] thead th',
                           state="attached", timeout=30_000)  # drawn on a canvas, not shown
    page.wait_for_timeout(1000)
    return context, page


def wholly_in_view(grid) -> list[str]:
    """The grid's columns wholly in view, as it first shows (not scrolled)."""
    seen = grid.evaluate(IN_VIEW_JS)
    index = {i for _, i in seen["heads"]}
    return [name for name, i in seen["heads"] if i + 1 in index or i == seen["count"]]


def latest_year(measure: str) -> str:
    return max(r["period"] for r in seed_figures()
               if r["indicator"] == measure and r["status"] == "reported"
               and r["period"].isdigit())


def test_ports_tables_show_the_latest_year_and_its_growth_without_scrolling(server, browser):
    context, page = open_page(browser, server.url + router.PORTS.url)
    screenshot(page, "table-fit-ports-1366")
    grids = page.locator('[data-testid="stDataFrame"]')
    for i, measure in enumerate(ports.MEASURES):  # the full-year tables come first, in order
        year = latest_year(measure)
        shown = wholly_in_view(grids.nth(i))
        assert {"Port", year, f"{year} growth"} <= set(shown), (measure, shown)
    # The check can fail: the part-year table is wider than the page, and its accessible
    # header leaves out the quote at the far right.
    part = grid_with(page, "Port", "Period")
    assert "Quote" not in [h for h, _ in part.evaluate(IN_VIEW_JS)["heads"]]
    context.close()


def grid_with(page, first: str, then: str):
    """The grid whose first header is `first` with `then` second or third ("" for any): the
    rates and the cross rates both begin with the date, then a currency."""
    grids = page.locator('[data-testid="stDataFrame"]')
    for i in range(grids.count()):
        heads = [h for h, _ in grids.nth(i).evaluate(IN_VIEW_JS)["heads"]]
        if heads[0] == first and (not then or then in heads[1:3]):
            return grids.nth(i)
    raise AssertionError(f"no table starting {first}, {then}")


# Per table on the Table tab: its first headers (see grid_with), and the columns read first.
CURRENCY_TABLES = {
    "": [("Currency", "Latest, per USD", {"Currency", "Latest, per USD", "As of", "Source"}),
         ("Date", "Value", {"Date", "Currency", "Value", "Unit", "Units per USD", "Source id",
                            "Source"}),
         ("Currency", "Source A", {"Currency", "Source A", "Source B", "Median difference",
                                   "Largest difference"})],
    "&view=change": [("Currency", "Change (%)", {"Currency", "Change (%)", "First date",
                                                 "First, per USD", "Last date", "Last, per USD",
                                                 "Source id"})],
    "&cross=KZT-UZS": [("Date", "Per currency", {"Date", "Currency", "Per currency", "Value",
                                                 "Source id"})],
}


@pytest.mark.parametrize("query", CURRENCY_TABLES)
def test_currencies_table_tab_shows_date_currency_rate_and_source_without_scrolling(
        server, browser, query):
    context, page = open_page(browser, server.url + router.CURRENCIES.url + "?tab=table" + query)
    screenshot(page, f"table-fit-currencies{query.replace('&', '-').replace('=', '-')}-1366")
    for first, then, wanted in CURRENCY_TABLES[query]:
        grid = grid_with(page, first, then)
        shown = wholly_in_view(grid)
        assert wanted <= set(shown), (first, then, sorted(wanted - set(shown)))
        if first == "Date":  # wider than the page still: the columns at its end are not listed
            assert len(grid.evaluate(IN_VIEW_JS)["heads"]) < grid.evaluate(IN_VIEW_JS)["count"]
    context.close()
