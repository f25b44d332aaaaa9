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
