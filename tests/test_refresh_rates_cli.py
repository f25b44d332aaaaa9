"""`indicators refresh-rates` against a local server: rows, batches, held values, exit codes."""

from datetime import date

import pytest
from click.testing import CliRunner
from conftest import export_all
from conftest_fetch import nbk_body

from indicators import db
from indicators.cli import main

XML = "text/xml; charset=UTF-8"


@pytest.fixture
def http(httpserver, monkeypatch, sleeps):
    monkeypatch.setattr("time.sleep", sleeps)
    return httpserver


def serve_nbk(http, day: date, usd: float) -> None:
    http.expect_request("/rss/get_rates.cfm", query_string={"fdate": f"{day:%d.%m.%Y}"}
                        ).respond_with_data(nbk_body(day, usd), content_type=XML)


def refresh(store_path, *args):
    return CliRunner().invoke(main, ["refresh-rates", *args, "--db", str(store_path)])


def test_refresh_stores_rows_with_request_url_as_a_fetch_batch_and_resumes(http, store_path):
    serve_nbk(http, date(2026, 4, 6), 470.5)
    serve_nbk(http, date(2026, 4, 7), 471.25)
    result = refresh(store_path, "--source", "nbk", "--from", "2026-04-06", "--to", "2026-04-07")
    assert result.exit_code == 0, result.output
    assert "nbk: 2 rows added, 0 held" in result.output
    with db.connect(store_path) as conn:
        rows = conn.execute(
            "SELECT r.date, r.rate, r.request_url, r.fetched_at IS NOT NULL, b.kind "
            "FROM rates r JOIN batches b ON b.id = r.batch WHERE r.source = 'nbk' "
            "AND r.date >= '2026-04-06' ORDER BY r.date").fetchall()
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        (date(2026, 4, 6), 470.5, True, "fetch"), (date(2026, 4, 7), 471.25, True, "fetch")]
    assert rows[0][2].endswith("/rss/get_rates.cfm?fdate=06.04.2026")
    again = refresh(store_path, "--source", "nbk", "--from", "2026-04-06", "--to", "2026-04-07")
    assert again.exit_code == 0 and "0 rows added" in again.output
    assert "2 already stored" in again.output


def test_server_error_exits_1_and_leaves_the_store_unchanged(http, store_path):
    http.expect_request("/rss/get_rates.cfm").respond_with_data("oops", status=500)
    before = export_all(store_path)
    result = refresh(store_path, "--source", "nbk", "--from", "2026-04-06", "--to", "2026-04-06")
    assert result.exit_code == 1, result.output
    assert "500" in result.output and "Nothing could be fetched" in result.output
    assert export_all(store_path) == before


def test_one_source_failing_while_another_succeeds_exits_3_and_says_so(http, store_path):
    serve_nbk(http, date(2026, 4, 6), 470.5)
    http.expect_request("/en/arkhiv-kursov-valyut/json/all/2026-04-06/").respond_with_data(
        "not here", status=404)
    result = refresh(store_path, "--source", "nbk,cbu", "--from", "2026-04-06",
                     "--to", "2026-04-06")
    assert result.exit_code == 3, result.output
    assert "nbk: 1 rows added" in result.output
    assert "cbu: " in result.output and "404" in result.output
    assert "Some sources failed and others succeeded" in result.output


def test_a_jump_over_half_is_held_for_review_not_stored(http, store_path):
    serve_nbk(http, date(2026, 4, 6), 950.0)
    result = refresh(store_path, "--source", "nbk", "--from", "2026-04-06", "--to", "2026-04-06")
    assert result.exit_code == 3, result.output
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM rates WHERE source = 'nbk' "
                            "AND date = '2026-04-06'").fetchone()[0] == 0
        held = conn.execute("SELECT rate, reason FROM held_rates").fetchall()
    assert held[0][0] == 950.0 and "%" in held[0][1]


def test_unknown_source_is_an_error(store_path):
    result = refresh(store_path, "--source", "ecb")
    assert result.exit_code == 1 and "unknown source" in result.output
