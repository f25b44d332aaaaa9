"""In a real browser: a visitor's URL on /articles makes no request, and an editor's loopback
URL is refused with a message (the local server it names sees nothing)."""

from __future__ import annotations

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app
from conftest_fetch import local_http_server

from indicators import settings
from indicators.ui import router

pytestmark = pytest.mark.browser
TOKEN = "browser-token-safety-net"
PAGE = (b"<html><head><title>Internal</title></head><body><p>In 2026, 125 container trains "
        b"crossed.</p></body></html>")


@pytest.fixture
def live(store_path):
    srv = StreamlitServer(store_path, env={settings.EDITOR_TOKEN.name: TOKEN,
                                           settings.FETCH_ALLOW_HOSTS.name: ""})
    yield srv
    srv.stop()


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def extract_url(page, url: str) -> None:
    page.get_by_label("Article URL").fill(url)
    page.get_by_role("button", name="Extract figures").click()
    page.wait_for_timeout(500)
    wait_for_app(page, 60_000)


def test_a_visitors_url_makes_no_request_and_an_editors_loopback_url_is_refused(live, browser):
    with local_http_server() as target:
        target.expect_request("/article").respond_with_data(PAGE, content_type="text/html")
        url = target.url_for("/article")
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(live.url + router.ARTICLES.url)
        wait_for_app(page, 60_000)

        # Visitors get no Deploy button and no developer menu (client.toolbarMode).
        assert page.get_by_text("Deploy", exact=True).count() == 0

        extract_url(page, url)
        page.get_by_text("Fetching a page from a URL needs").wait_for(timeout=30_000)
        screenshot(page, "articles_visitor_url")
        assert target.log == []

        # Unlock on the Upload page, then come back in the same browser session.
        page.get_by_role("link", name="Upload").click()
        wait_for_app(page, 60_000)
        page.get_by_label("Editor token").fill(TOKEN)
        page.get_by_role("button", name="Unlock editing").click()
        page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached",
                               timeout=30_000)
        page.get_by_role("link", name="Articles").click()
        wait_for_app(page, 60_000)

        extract_url(page, url)
        page.get_by_text("which is never fetched").wait_for(timeout=30_000)
        screenshot(page, "articles_editor_loopback_url")
        text = main_text(page)
        assert ("Could not fetch the article: the host resolves to a loopback address, which "
                "is never fetched") in text
        assert str(target.port) not in text.replace(url, "")
        assert target.log == []
        page.close()


def test_a_failing_page_shows_no_details_and_the_log_has_them(browser, tmp_path):
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import ROOT, free_port

    script = tmp_path / "failing_app.py"
    script.write_text("raise ValueError('detail only for the log: /srv/secret/path.py')\n")
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        # cwd=ROOT: the project's .streamlit/config.toml applies, as it does for app.py.
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, stdout=out, stderr=out)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        wait_for_app(page, 60_000)
        page.wait_for_selector('[data-testid="stException"], [data-testid="stAlert"]',
                               timeout=30_000)
        text = page.inner_text("body")
        screenshot(page, "failing_page_visitor_view")
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)
    assert "/srv/secret/path.py" not in text and "Traceback" not in text
    assert "ValueError" not in text
    assert "/srv/secret/path.py" in log.read_text()
