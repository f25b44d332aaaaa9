"""In a real browser: data that is missing or hostile leaves every page working and inert."""

from __future__ import annotations

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app
from test_browser_upload import DROPZONE, TOKEN, main_text, open_unlocked

from indicators import settings
from indicators.ui import router

pytestmark = pytest.mark.browser
PATHS = tuple(r.url for r in router.ROUTES)  # every page


@pytest.fixture
def live(store_path):
    srv = StreamlitServer(store_path, env={settings.EDITOR_TOKEN.name: TOKEN})
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
    for path in PATHS + (router.CURRENCIES.url + "?ccy=UZS&from=2026-11-01&to=2026-12-31",):
        page.goto(live.url + path)
        wait_for_app(page, 60_000)
        assert_no_exception(page, path)
    # The overview's cards show one continuous series per currency, so a lone free-text
    # rate is not a card's headline; the Sources page finds the new source by its name
    # (the list itself is a canvas grid, so the search's count is what the page says).
    page.goto(live.url + router.SOURCES.url + "?q=Kapitalbank")
    wait_for_app(page, 60_000)
    assert_no_exception(page, router.SOURCES.url + "?q=Kapitalbank")
    assert "1 source match the search" in main_text(page)
    screenshot(page, "sources-free-text-source")
    page.close()


def combobox_value(page, name: str) -> str:
    return page.get_by_role("combobox", name=name).input_value()


def click_and_settle(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_for_app(page)


def test_undo_selector_stays_put_and_an_undone_undo_restores_the_rows(live, browser,
                                                                     store_path):
    from conftest import export_all

    from indicators import store

    db_path = store_path
    before = export_all(db_path)
    first = store.load_bytes(db_path, b"date,base,quote,rate,source\n"
                             b"2099-01-01,USD,KZT,500,test\n", origin="older.csv")
    loaded = store.load_bytes(db_path, b"date,base,quote,rate,source\n"
                              b"2099-02-01,USD,KZT,501,test\n2099-02-02,USD,KZT,502,test\n",
                              origin="newer.csv")
    with_both = export_all(db_path)
    page = open_unlocked(browser, live)
    page.get_by_role("combobox", name="Batch to undo").click()
    page.get_by_role("option", name=f"{loaded.batch} — upload", exact=False).or_(
        page.get_by_role("option", name=f"{loaded.batch} — import", exact=False)).first.click()
    wait_for_app(page)
    chosen = combobox_value(page, "Batch to undo")
    assert chosen.startswith(f"{loaded.batch} — ")
    click_and_settle(page, f"Undo batch {loaded.batch}…")
    page.get_by_text("removes 2 row(s) it added and restores 0 row(s)", exact=False).wait_for(
        timeout=30_000)
    assert export_all(db_path) == with_both  # the preview wrote nothing
    click_and_settle(page, f"Confirm: undo batch {loaded.batch}")
    page.get_by_text(f"Batch {loaded.batch} undone").wait_for(timeout=30_000)
    assert combobox_value(page, "Batch to undo") == chosen  # not the older batch, not empty
    undo_id = loaded.batch + 1
    assert first.batch < loaded.batch and export_all(db_path) != with_both
    screenshot(page, "undo-selector-stays")

    page.get_by_role("combobox", name="Batch to undo").click()
    page.get_by_role("option", name=f"{undo_id} — undo", exact=False).first.click()
    wait_for_app(page)
    click_and_settle(page, f"Undo batch {undo_id}…")
    page.get_by_text(f"re-applies batch {loaded.batch}: 2 row(s) added again",
                     exact=False).wait_for(timeout=30_000)
    click_and_settle(page, f"Confirm: undo batch {undo_id}")
    page.get_by_text(f"Batch {undo_id} undone").wait_for(timeout=30_000)
    assert export_all(db_path) == with_both  # the undone undo restored the rows
    assert combobox_value(page, "Batch to undo").startswith(f"{undo_id} — undo")
    assert export_all(db_path) != before
    page.close()


# ---------------------------------------------------------------- text from data is inert


class _Beacon:
    """A local HTTP server that counts every request: a rendered image would hit it."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def hostile(port: int) -> str:
    return (f"![x](http://127.0.0.1:{port}/beacon.png) **b** <img src=x "
            f"onerror=\"fetch('http://127.0.0.1:{port}/onerror')\"> [x](javascript:alert(1)) "
            f"<a href=\"http://127.0.0.1:{port}/a\">a</a> :red[red] $x^2$")


def make_hostile(path, text: str) -> str:
    """Every text field of sources, figures and indicators set to `text`; returns a source id."""
    from indicators import db, store

    plan = store.load_bytes(path, ("date,base,quote,rate,source\n2026-11-30,USD,UZS,12000.5,"
                                   f'"{text.replace(chr(34), chr(34) * 2)}"\n').encode(),
                            origin="hostile.csv", actor="test")
    assert plan.ok, plan.problems
    with db.connect(path) as conn:
        conn.execute("UPDATE sources SET title = ? || ' ' || id, publisher = ?, note = ?, "
                     "licence = ?, url = 'javascript:alert(1)'", [text, text, text, text])
        conn.execute("UPDATE figures SET quote = ?, note = ?, geo = ? || ' ' || geo, "
                     "derivation = CASE WHEN derived THEN ? END", [text, text, text, text])
        conn.execute("UPDATE indicators SET name = ? || ' ' || id, description = ?",
                     [text, text])
        return conn.execute("SELECT id FROM sources WHERE kind = 'press' LIMIT 1").fetchone()[0]


@pytest.fixture
def beacon():
    b = _Beacon()
    yield b
    b.close()


def test_beacon_and_markdown_from_data_render_inert_on_every_page(browser, beacon, store_path):
    source = make_hostile(store_path, hostile(beacon.port))
    srv = StreamlitServer(store_path, env={settings.EDITOR_TOKEN.name: TOKEN})
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        paths = PATHS + (router.SOURCES.url + f"?source={source}",
                         router.CORRIDOR.url + "?view=all",
                         router.CURRENCIES.url + "?ccy=UZS&from=2026-11-01&to=2026-12-31")
        for path in paths:
            page.goto(srv.url + path)
            wait_for_app(page, 60_000)
            main = page.locator('[data-testid="stMain"]')
            charts = page.locator('[data-testid="stPlotlyChart"] .main-svg')
            if charts.count():
                charts.first.wait_for(timeout=30_000)
            for plot in page.locator(".js-plotly-plot").all():  # every hover text, rendered
                plot.hover()
            assert_no_exception(page, path)
            bold = main.locator("strong, b").evaluate_all(
                "els => els.map(e => e.textContent.trim()).filter(t => t === 'b')")
            assert bold == [], (path, bold)
            links = main.locator("a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))")
            bad = [h for h in links if h.lower().startswith("javascript")
                   or f"127.0.0.1:{beacon.port}" in h]
            assert bad == [], (path, bad)
            assert main.locator("img[src*='beacon'], img[src='x']").count() == 0, path
            assert page.locator("svg a[href]").count() == 0, path
            # shown, as the text it is
            if path in (router.OVERVIEW.url, router.SOURCES.url + f"?source={source}"):
                assert "**b**" in main.inner_text() and "](javascript" in main.inner_text()
        page.wait_for_timeout(1000)
        assert beacon.hits == [], beacon.hits
        screenshot(page, "hostile-text-inert")
        page.close()
    finally:
        srv.stop()
