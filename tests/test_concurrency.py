"""`indicators import` works while the dashboard runs and is used; the dashboard then shows it.

A real server (StreamlitServer) reads the store on every page load through short-lived
connections; meanwhile the CLI imports a large file in another process. Neither side may
see a lock error, and the next interaction shows the new data without a restart.
"""

import subprocess
import sys
import time

import pytest
from conftest import StreamlitServer, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROWS = 150_000
EDITOR_TOKEN = "concurrency-token"


@pytest.fixture
def live(store_path):
    srv = StreamlitServer(store_path, env={"INDICATORS_EDITOR_TOKEN": EDITOR_TOKEN})
    yield srv
    srv.stop()


def write_file(path) -> None:
    from datetime import date

    with open(path, "w") as fh:
        fh.write("date,base,quote,rate,source\n")
        for i in range(ROWS):
            fh.write(f"{date.fromordinal(700_000 + i // 3).isoformat()},EUR,"
                     f"{('GBP', 'CHF', 'JPY')[i % 3]},{1 + (i % 500) / 1000:.3f},concurrency\n")
        # The row the overview will show: the newest official KZT rate.
        fh.write("2030-01-01,USD,KZT,987.65,nbk\n")


def kzt_card(page) -> str:
    return page.locator('[data-testid="stMetric"]', has_text="KZT per USD").first.inner_text()


def test_cli_import_while_dashboard_is_busy_then_next_interaction_shows_it(live, browser,
                                                                            tmp_path, store_path):
    big = tmp_path / "big.csv"
    write_file(big)
    viewer = browser.new_page(viewport={"width": 1400, "height": 1800})
    viewer.goto(live.url + "/")
    wait_for_app(viewer, 60_000)
    before = kzt_card(viewer)
    assert "987" not in before

    # Keep the dashboard reading the store, from two pages, while the import runs.
    other = browser.new_page()
    errors: list[str] = []
    proc = subprocess.Popen([sys.executable, "-m", "indicators.cli", "import", str(big),
                             "--db", str(store_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    reloads = 0
    while proc.poll() is None:
        for page, path in ((viewer, "/"), (other, "/currencies")):
            page.goto(live.url + path)
            wait_for_app(page, 120_000)
            errors += page.locator('[data-testid="stException"]').all_inner_texts()
            reloads += 1
    out, err = proc.communicate()
    other.close()
    assert proc.returncode == 0, err
    assert "lock" not in (out + err).lower()
    assert f"{ROWS + 1} inserted" in out
    assert errors == [], errors[:1]
    assert reloads >= 1

    # The next interaction shows the new data, without restarting the server.
    viewer.goto(live.url + "/")
    wait_for_app(viewer, 60_000)
    deadline = time.monotonic() + 30
    while "987" not in kzt_card(viewer) and time.monotonic() < deadline:
        time.sleep(0.5)
        viewer.reload()
        wait_for_app(viewer, 60_000)
    assert "987" in kzt_card(viewer)
    screenshot(viewer, "concurrency-overview-after-cli-import")
    viewer.goto(live.url + "/upload")
    wait_for_app(viewer, 60_000)
    assert "big.csv" in viewer.inner_text('[data-testid="stMain"]')
    viewer.close()
    log = live.log.read_text()
    assert "Could not set lock" not in log and "Conflicting lock" not in log
