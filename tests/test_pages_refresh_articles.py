"""The Update-rates and Articles pages through AppTest: gate, progress, summary, review, save."""

import contextlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest_fetch import SleepRecorder, local_http_server, payload, point_sources_at
from streamlit.testing.v1 import AppTest

from indicators import auth, db, settings
from indicators.ui import router

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-editor-token-456"
ARTICLE = ("In the first quarter of 2026, 125 container trains transited Kazakhstan via the "
           "Middle Corridor, a 34.4% increase from the same period in 2025.")


@pytest.fixture
def open_page(app_db, monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, TOKEN)
    monkeypatch.setattr(auth, "GUARD", auth.Guard())
    monkeypatch.setattr("time.sleep", SleepRecorder())

    def _open(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at
    return _open


def unlock(at: AppTest) -> AppTest:
    at.text_input(key="editor_gate_token").set_value(TOKEN)
    next(b for b in at.button if b.label == "Unlock editing").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_refresh_page_shows_freshness_to_everyone_and_the_button_only_to_editors(open_page):
    at = open_page(router.REFRESH.file)
    tables = [d.value for d in at.dataframe]
    fresh = next(t for t in tables if "Latest rate" in t.columns)
    assert set(fresh["Currency"]) >= {"KZT", "KGS", "TJS", "UZS", "TMT"}
    # headers and kinds for people, not column names and codes
    assert list(fresh.columns) == ["Currency", "Source", "Kind", "Latest rate", "Rates stored",
                                   "Last fetched (UTC)", "Source id"]
    assert "official cross rate" in set(fresh["Kind"])
    assert "National Bank of Kazakhstan: official exchange rates" in set(fresh["Source"])
    assert not [b for b in at.button if b.label == "Refresh rates"]
    # The seed's newest rates are from mid-2026; "today" in this test run is later.
    assert any("business days" in w.value for w in at.warning)
    unlock(at)
    assert [b for b in at.button if b.label == "Refresh rates"]


@contextlib.contextmanager
def local_bank(monkeypatch, day: date) -> Iterator[None]:
    """The National Bank of Kazakhstan's recorded answer for `day`, served on 127.0.0.1."""
    body = (payload("nbk_kz_get_rates_fdate_02.04.2026.xml")
            .replace(b"<date>02.04.2026</date>", f"<date>{day:%d.%m.%Y}</date>".encode()))
    with local_http_server() as server:
        point_sources_at(monkeypatch, server.url_for("/"))
        server.expect_request("/rss/get_rates.cfm").respond_with_data(
            body, content_type="text/xml; charset=UTF-8")
        yield


def test_editor_refresh_against_a_local_bank_stores_rates_and_summarises(open_page, monkeypatch,
                                                                         app_db):
    day = date(2026, 4, 6)
    with local_bank(monkeypatch, day):
        at = unlock(open_page(router.REFRESH.file))
        at.multiselect[0].set_value(["nbk"])
        at.date_input[0].set_value((day, day))
        next(b for b in at.button if b.label == "Refresh rates").click()
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("All requested rates are stored" in s.value for s in at.success)
    assert any("nbk: 1 rows added" in t.value for t in at.text)
    with db.connect(app_db) as conn:
        assert conn.execute("SELECT rate FROM rates WHERE source = 'nbk' AND date = ?",
                            [day]).fetchone() == (475.09,)


def freshness(at: AppTest):
    return next(d.value for d in at.dataframe if "Latest rate" in d.value.columns)


def test_after_a_refresh_the_tables_above_the_form_show_the_new_state(open_page, monkeypatch):
    day = date(2026, 4, 6)
    with local_bank(monkeypatch, day):
        at = unlock(open_page(router.REFRESH.file))
        before = freshness(at)
        before = before[(before["Currency"] == "KZT") & (before["Source id"] == "nbk")]
        assert before["Last fetched (UTC)"].tolist() == ["not fetched (seed or upload)"]
        at.multiselect[0].set_value(["nbk"])
        at.date_input[0].set_value((day, day))
        next(b for b in at.button if b.label == "Refresh rates").click()
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    # Drawn before the form, in the same interaction as the refresh: no further click needed.
    after = freshness(at)
    nbk = after[(after["Currency"] == "KZT") & (after["Source id"] == "nbk")]
    assert nbk["Rates stored"].tolist() == [before["Rates stored"].iloc[0] + 1]
    assert pd.Timestamp(nbk["Latest rate"].iloc[0]) == max(
        pd.Timestamp(before["Latest rate"].iloc[0]), pd.Timestamp(day))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", nbk["Last fetched (UTC)"].iloc[0])
    # The verdict and summary stay under the form after the page ran again.
    assert any("All requested rates are stored (1 new)" in s.value for s in at.success)
    assert any("nbk: 1 rows added" in t.value for t in at.text)


def test_refresh_with_no_network_says_nothing_was_fetched(open_page, monkeypatch):
    point_sources_at(monkeypatch, "http://127.0.0.1:9")  # discard port: refused
    at = unlock(open_page(router.REFRESH.file))
    at.multiselect[0].set_value(["nbk"])
    at.date_input[0].set_value((date(2026, 4, 6), date(2026, 4, 6)))
    next(b for b in at.button if b.label == "Refresh rates").click()
    at.run()
    assert not at.exception
    assert any("Nothing could be fetched" in e.value for e in at.error)


def test_article_text_is_extracted_for_anyone_and_saved_by_an_editor(open_page, app_db):
    at = open_page(router.ARTICLES.file)
    at.text_area[0].set_value(ARTICLE)
    at.text_input[1].set_value("Test article")
    at.text_input[2].set_value("2026-06-03")
    next(b for b in at.button if b.label == "Extract figures").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    review = [d.value for d in at.dataframe if "accept" in d.value.columns]
    assert review, "no review table"
    frame = review[0]
    assert frame.loc[frame["indicator"] == "container_trains", "value"].tolist() == [125.0]
    assert frame["quote"].str.contains("125 container trains").all()
    # the rules that gave each row, shown for review
    assert frame.loc[frame["indicator"] == "container_trains", "rules"].tolist() == [
        "value=number.digits; unit=unit.noun_trains; period=period.quarter_words; "
        "status=status.reported"]
    unlock(at)
    confirm = [b for b in at.button if b.label == "Confirm and write"]
    assert confirm, [b.label for b in at.button]
    confirm[0].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    with db.connect(app_db) as conn:
        rows = conn.execute(
            "SELECT f.indicator, f.value, b.kind FROM figures f JOIN batches b ON b.id = f.batch "
            "JOIN sources s ON s.id = f.source WHERE s.title = 'Test article' "
            "ORDER BY 1").fetchall()
    assert ("container_trains", 125.0, "extract") in rows


def test_an_undated_article_says_which_date_relative_wording_was_read_against(open_page):
    at = open_page(router.ARTICLES.file)
    at.text_area[0].set_value("In 2025, 480 container trains used the route.\n"
                              "Last year, only 310 trains did.")
    at.text_input[1].set_value("Undated article")
    next(b for b in at.button if b.label == "Extract figures").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    notes = [i.value for i in at.info]
    assert any("2026-01" in n and "Give the publication date" in n for n in notes), notes
    frame = next(d.value for d in at.dataframe if "accept" in d.value.columns)
    assert frame.loc[frame["value"] == 310, "period"].tolist() == ["2025"]
    assert frame["published"].isna().all() or (frame["published"] == "").all()


def test_held_rates_read_as_a_rate_with_its_reason_and_only_web_links():
    from indicators import tables
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2026-04-06", "2026-04-07"]), "base": ["USD", "USD"],
        "quote": ["KZT", "UZS"], "rate": [4750.9, 12150.0], "source": ["nbk", "cbu"],
        "reason": ["a jump of more than 50% from 475.09", "≤ 0"],
        "fetched_at": pd.to_datetime(["2026-04-06 07:30", "2026-04-07 07:30"]),
        "request_url": ["http://127.0.0.1:9/rss/get_rates.cfm?fdate=06.04.2026",
                        "javascript:alert(1)"]})
    shown = tables.held(frame)
    assert list(shown.columns) == ["Date", "Rate", "Source id", "Why held", "Fetched (UTC)",
                                   "Request"]
    assert list(shown["Rate"]) == ["1 USD = 4,750.9 KZT", "1 USD = 12,150.0 UZS"]
    assert shown["Request"].iloc[0].startswith("http://") and pd.isna(shown["Request"].iloc[1])
