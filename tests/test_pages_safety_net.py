"""Through AppTest: a visitor's URL makes no request, an editor's loopback URL is refused with a
message, and a Windows-1252 figures file keeps its “quotes”, – and € on the Upload page."""

from pathlib import Path

import pytest
from conftest_fetch import local_http_server
from streamlit.testing.v1 import AppTest

from indicators import auth, db, settings
from indicators.ui import editor

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-editor-token-789"
PAGE = (b"<html><head><title>Corridor news</title></head><body><p>In the first quarter of "
        b"2026, 125 container trains transited Kazakhstan.</p></body></html>")


@pytest.fixture
def open_page(app_db, monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, TOKEN)
    monkeypatch.delenv(settings.FETCH_ALLOW_HOSTS.name, raising=False)
    monkeypatch.setattr(auth, "GUARD", auth.Guard())

    def _open(page: str, *, as_editor: bool = False) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if as_editor:
            at.session_state[editor._EDITOR] = True
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at
    return _open


def fetch(at: AppTest, url: str) -> AppTest:
    at.text_input[0].set_value(url)
    next(b for b in at.button if b.label == "Extract figures").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_visitors_url_is_not_fetched_and_says_the_token_is_needed(open_page):
    with local_http_server() as server:
        server.expect_request("/article").respond_with_data(PAGE, content_type="text/html")
        at = fetch(open_page("pages/articles.py"), server.url_for("/article"))
        assert server.log == []
    warnings = [w.value for w in at.warning]
    assert any("needs the editor token" in w for w in warnings), warnings
    assert not [d for d in at.dataframe if "accept" in d.value.columns]


def test_an_editors_loopback_url_is_refused_with_a_message_and_no_request(open_page):
    with local_http_server() as server:
        server.expect_request("/article").respond_with_data(PAGE, content_type="text/html")
        at = fetch(open_page("pages/articles.py", as_editor=True), server.url_for("/article"))
        assert server.log == []
    errors = [e.value for e in at.error]
    assert errors == ["Could not fetch the article: the host resolves to a loopback address, "
                      "which is never fetched"], errors


def test_an_editor_fetches_an_allow_listed_page(open_page, monkeypatch):
    with local_http_server() as server:
        monkeypatch.setenv(settings.FETCH_ALLOW_HOSTS.name, f"127.0.0.1:{server.port}")
        server.expect_request("/article").respond_with_data(PAGE, content_type="text/html")
        at = fetch(open_page("pages/articles.py", as_editor=True), server.url_for("/article"))
        assert len(server.log) == 1
    frame = next(d.value for d in at.dataframe if "accept" in d.value.columns)
    assert 125.0 in frame["value"].tolist()


def test_a_windows_1252_figures_file_keeps_quotes_dash_and_euro(open_page, app_db):
    row = ("container_trains,Encoding test scope,2026-Q1,125,trains,"
           "https://corridor-news.test/cp1252,“Record” year – €5 bn,2026-06-03,"
           "\"Kazakhstan’s “record” 125 trains – worth €5 bn.\",reported\n")
    data = ("indicator,geo,period,value,unit,source_url,source_title,published,quote,status\n"
            + row).encode("cp1252")
    assert b"\x93" in data and b"\x96" in data and b"\x80" in data
    at = open_page("pages/upload.py", as_editor=True)
    at.file_uploader(key="upload_file").set_value(("figures.csv", data, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = " ".join(str(c.value) for c in at.caption) + " ".join(str(i.value) for i in at.info)
    assert "Read as Windows-1252" in shown.replace("\\", ""), shown
    at.button(key="upload__confirm").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    with db.connect(app_db) as conn:
        quote, title = conn.execute(
            "SELECT f.quote, s.title FROM figures f JOIN sources s ON s.id = f.source "
            "WHERE f.geo = 'Encoding test scope'").fetchone()
    assert quote == "Kazakhstan’s “record” 125 trains – worth €5 bn."
    assert title == "“Record” year – €5 bn"


def test_a_visitors_1_mb_paste_is_capped_and_says_so(open_page):
    sentence = "In 2025, 480 container trains used the Middle Corridor route. "
    at = open_page("pages/articles.py")
    at.text_area[0].set_value((sentence + "\n") * (1_000_000 // len(sentence)))
    at.text_input[1].set_value("Long paste")
    next(b for b in at.button if b.label == "Extract figures").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Only the first 199,") and "the limit for visitors is 200,000"
               in w and "editors may give 2,000,000" in w for w in warnings), warnings
    # How many of the sentences are read within the visitor's time budget depends on the
    # machine; either all are, or the page says where reading stopped.
    frame = next(d.value for d in at.dataframe if "accept" in d.value.columns)
    assert len(frame) > 0
    stopped = [w for w in warnings if w.startswith("Extraction stopped at its time budget")]
    assert stopped or len(frame) > 3000, (len(frame), warnings)


def test_after_a_strangers_wrong_guesses_the_editor_unlocks_at_the_first_try(open_page):
    for n in range(200):  # many sessions from the same (local) address, all wrong
        auth.GUARD.attempt(f"stranger-{n % 3}", f"guess-{n}", TOKEN, address=None)
    assert auth.GUARD.wait("stranger-0", None) > 0
    at = open_page("pages/upload.py")
    at.text_input(key="upload_gate_token").set_value(TOKEN)
    next(b for b in at.button if b.label == "Unlock editing").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.file_uploader, [e.value for e in at.error]
