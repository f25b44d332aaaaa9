"""`indicators extract` and the article helpers: offline HTML, a local URL, CSV for upload."""

import os
import subprocess
import sys
from pathlib import Path

from conftest_fetch import local_http_server

from indicators import articles, db, settings, store

HTML = Path(__file__).parent / "data" / "articles" / "middle_power_moment.html"


def run(*args, db_path, allow: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != settings.FETCH_ALLOW_HOSTS.name}
    if allow:
        env[settings.FETCH_ALLOW_HOSTS.name] = allow
    return subprocess.run([sys.executable, "-m", "indicators.cli", *args, "--db", str(db_path)],
                          capture_output=True, text=True, env=env)


def test_extract_cli_reads_saved_html_offline_and_writes_figures_with_quotes(seeded_db, tmp_path):
    out = tmp_path / "figs.csv"
    result = run("extract", str(HTML), "-o", str(out), db_path=seeded_db)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("indicator,geo,period,value,unit,source_url,source_title,"
                           "published,quote,status,note,derivation,confidence,rules\n")
    line = next(row for row in text.splitlines() if row.startswith("container_trains,"))
    assert ",2026-Q1,125" in line and "125 container trains transited Kazakhstan" in line
    assert line.endswith("value=number.digits; unit=unit.noun_trains; "
                         "period=period.quarter_words; status=status.reported")
    assert "candidate figure(s)" in result.stderr


def test_extract_cli_fetches_a_url_from_a_local_server(seeded_db, tmp_path):
    with local_http_server() as server:
        server.expect_request("/article").respond_with_data(
            HTML.read_bytes(), content_type="text/html; charset=utf-8")
        result = run("extract", server.url_for("/article"), db_path=seeded_db,
                     allow=f"127.0.0.1:{server.port}")
    assert result.returncode == 0, result.stderr
    assert "container_trains" in result.stdout


def test_extract_cli_refuses_a_loopback_url_without_requesting_it(seeded_db):
    with local_http_server() as server:
        server.expect_request("/article").respond_with_data(HTML.read_bytes(),
                                                            content_type="text/html")
        result = run("extract", server.url_for("/article"), db_path=seeded_db)
        assert server.log == []
    assert result.returncode == 1
    assert "loopback address, which is never fetched" in result.stderr


def test_extract_cli_reports_an_unreachable_url_as_an_error(seeded_db):
    with local_http_server() as server:
        server.expect_request("/gone").respond_with_data("no", status=404)
        result = run("extract", server.url_for("/gone"), db_path=seeded_db,
                     allow=f"127.0.0.1:{server.port}")
    assert result.returncode == 1 and "HTTP 404" in result.stderr


def test_accepted_rows_round_trip_through_the_upload_path_as_one_batch(store_path):
    with db.connect(store_path) as conn:
        catalogue = articles.catalogue(conn)
    result = articles.extract(articles.Article(HTML.read_text(), None, True),
                              catalogue=catalogue)
    frame = result.figures_frame()
    kept = frame[frame["indicator"] == "container_trains"].assign(
        geo="Test scope", indicator="container_trains")
    plan = store.load_bytes(store_path, articles.figures_csv(kept), origin="article",
                            batch_kind="extract")
    assert plan.ok, plan.problems
    assert plan.inserted == len(kept) == 1
    with db.connect(store_path) as conn:
        row = conn.execute("SELECT f.quote, s.url, b.kind FROM figures f "
                           "JOIN sources s ON s.id = f.source JOIN batches b ON b.id = f.batch "
                           "WHERE f.geo = 'Test scope'").fetchone()
    assert row[1] == "https://timesca.com/?p=49879" and row[2] == "extract"
    assert "125 container trains" in row[0]


def test_per_year_tonnage_is_stored_in_the_catalogue_unit():
    catalogue = [{"id": "cargo_tonnage", "name": "Cargo carried", "unit": "t",
                  "category": "volume", "description": "tonnes carried"}]
    result = articles.extract(articles.Article(
        "Freight along the route grew to 4.5 million tons annually in 2024.", None, False),
        catalogue=catalogue, published="2025-01-10")
    units = {(f.indicator, f.unit) for f in result.figures}
    assert ("cargo_tonnage", "t") in units


def test_extract_cli_says_when_the_publication_date_was_guessed(seeded_db, tmp_path):
    article = tmp_path / "undated.txt"
    article.write_text("In 2025, 480 container trains used the route.\n"
                       "Last year, only 310 trains did.\n", encoding="utf-8")
    result = run("extract", str(article), db_path=seeded_db)
    assert result.returncode == 0, result.stderr
    assert "written in 2026-01" in result.stderr
    assert ",2025," in result.stdout  # "last year" read against the guess
