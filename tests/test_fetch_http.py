"""Every fault a source can show, served from 127.0.0.1: a clear message and nothing written."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
from conftest_fetch import (
    closed_port_url,
    payload,
)
from werkzeug import Response

from indicators.fetch import MemorySink, refresh
from indicators.fetch.http import make_session, retry_after_seconds, user_agent

DAY = date(2026, 4, 1)
TODAY = date(2026, 5, 1)
NBK_PATH = "/rss/get_rates.cfm"
NBK_QUERY = {"fdate": "01.04.2026"}
NBK_XML = payload("nbk_kz_get_rates_fdate_01.04.2026.xml")
XML = "text/xml; charset=UTF-8"


def nbk_url(httpserver) -> str:
    return httpserver.url_for(f"{NBK_PATH}?fdate=01.04.2026")


def refresh_nbk(sleeps, session=None):
    sink = MemorySink()
    report = refresh(["nbk"], DAY, DAY, sink=sink, sleep=sleeps, session=session, today=TODAY)
    return report, sink


def assert_nothing_written(sink: MemorySink) -> None:
    assert sink.rows == {} and sink.held == [] and sink.saves == []


def test_good_answer_is_stored_with_user_agent_and_request_url(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH, query_string=NBK_QUERY).respond_with_data(
        NBK_XML, content_type=XML)
    report, sink = refresh_nbk(sleeps)
    assert report.exit_code == 0
    (row,) = sink.rows.values()
    assert (row.date, row.base, row.quote, row.rate, row.source) == (DAY, "USD", "KZT", 478.77,
                                                                     "nbk")
    assert row.request_url == nbk_url(httpserver)
    assert row.fetched_at.tzinfo is UTC
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == user_agent()
    assert user_agent().startswith("indicators/0.1 (Central Asian connectivity dashboard")
    assert user_agent().isascii()


def test_read_timeout_is_reported_after_retry_and_nothing_written(httpserver, sleeps):
    def slow(request):
        time.sleep(0.3)
        return Response(NBK_XML, content_type=XML)

    httpserver.expect_request(NBK_PATH).respond_with_handler(slow)
    session = make_session(timeout=(1.0, 0.05), retries=1, sleep=sleeps)
    started = time.monotonic()
    report, sink = refresh_nbk(sleeps, session)
    assert time.monotonic() - started < 1.0
    assert str(report.sources["nbk"].error) == (
        f"nbk: no answer within 0.05 s (read timeout) after 2 attempts ({nbk_url(httpserver)})")
    assert sleeps.calls == [1.0]
    assert report.exit_code == 1
    assert_nothing_written(sink)
    # Let the server finish both slow answers so they do not reach the next test.
    deadline = time.monotonic() + 5
    while len(httpserver.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)


def test_refused_connection_is_retried_with_backoff_then_reported(monkeypatch, sleeps):
    base = closed_port_url()
    monkeypatch.setenv("INDICATORS_URL_NBK", base)
    report, sink = refresh_nbk(sleeps)  # the session refresh() builds sleeps through `sleeps`
    assert str(report.sources["nbk"].error) == (
        f"nbk: unreachable (connection refused) after 4 attempts "
        f"({base}{NBK_PATH}?fdate=01.04.2026)")
    assert sleeps.calls == [1.0, 2.0, 4.0]
    assert report.exit_code == 1
    assert_nothing_written(sink)


def test_404_is_reported_at_once_without_retry(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data("gone", status=404)
    report, sink = refresh_nbk(sleeps)
    assert str(report.sources["nbk"].error).lower() == (
        f"nbk: http 404 not found ({nbk_url(httpserver)})".lower())
    assert len(httpserver.log) == 1 and sleeps.calls == []
    assert_nothing_written(sink)


def test_500_is_retried_with_backoff_then_reported(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data("boom", status=500)
    report, sink = refresh_nbk(sleeps)
    assert str(report.sources["nbk"].error).lower() == (
        f"nbk: http 500 internal server error after 4 attempts ({nbk_url(httpserver)})".lower())
    assert len(httpserver.log) == 4
    assert sleeps.calls == [1.0, 2.0, 4.0]
    assert_nothing_written(sink)


def test_500_then_success_stores_the_rate(httpserver, sleeps):
    httpserver.expect_oneshot_request(NBK_PATH).respond_with_data("boom", status=503)
    httpserver.expect_request(NBK_PATH).respond_with_data(NBK_XML, content_type=XML)
    report, sink = refresh_nbk(sleeps)
    assert report.exit_code == 0 and len(sink.rows) == 1
    assert sleeps.calls == [1.0]


def test_429_waits_the_retry_after_seconds_then_stores(httpserver, sleeps):
    httpserver.expect_oneshot_request(NBK_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_request(NBK_PATH).respond_with_data(NBK_XML, content_type=XML)
    report, sink = refresh_nbk(sleeps)
    assert sleeps.calls == [7.0]
    assert report.exit_code == 0 and len(sink.rows) == 1


def test_429_asking_for_too_long_a_wait_is_reported_without_waiting(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3600"})
    report, sink = refresh_nbk(sleeps)
    assert str(report.sources["nbk"].error).lower() == (
        "nbk: http 429 too many requests (the server asked to wait 3600 s, longer than the "
        f"120 s this fetcher waits) ({nbk_url(httpserver)})").lower()
    assert sleeps.calls == []
    assert_nothing_written(sink)


def test_429_on_every_attempt_names_retry_after_and_attempts(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"})
    report, sink = refresh_nbk(sleeps)
    assert "429" in report.sources["nbk"].error.problem
    assert report.sources["nbk"].error.problem.endswith("(Retry-After: 2) after 4 attempts")
    assert sleeps.calls == [2.0, 2.0, 2.0]
    assert_nothing_written(sink)


def test_retry_after_accepts_an_http_date():
    when = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= retry_after_seconds(format_datetime(when, usegmt=True)) <= 30
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_truncated_body_is_reported_and_nothing_written(httpserver, sleeps):
    def truncated(request):
        response = Response(NBK_XML[:1000], content_type=XML)
        response.headers["Content-Length"] = str(len(NBK_XML))
        return response

    httpserver.expect_request(NBK_PATH).respond_with_handler(truncated)
    session = make_session(retries=0, sleep=sleeps)
    report, sink = refresh_nbk(sleeps, session)
    assert report.sources["nbk"].error.problem == (
        f"body truncated: the connection closed after 1000 of {len(NBK_XML)} bytes")
    assert_nothing_written(sink)


def test_wrong_content_type_is_refused(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data(b"\x89PNG\r\n\x1a\n",
                                                          content_type="image/png")
    report, sink = refresh_nbk(sleeps)
    assert str(report.sources["nbk"].error) == (
        "nbk: expected XML but the server sent content type 'image/png' "
        f"({nbk_url(httpserver)})")
    assert_nothing_written(sink)


def test_json_served_where_xml_is_expected_is_refused(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_json({"rates": []})
    report, sink = refresh_nbk(sleeps)
    assert "expected XML but the server sent content type 'application/json'" in str(
        report.sources["nbk"].error)
    assert_nothing_written(sink)


def test_html_error_page_served_with_status_200_is_refused(httpserver, sleeps):
    page = (b"<!DOCTYPE html>\n<html><head><title>Service Temporarily Unavailable</title>"
            b"</head><body><h1>Maintenance</h1></body></html>")
    httpserver.expect_request(NBK_PATH).respond_with_data(page, content_type="text/html")
    report, sink = refresh_nbk(sleeps)
    assert str(report.sources["nbk"].error) == (
        "nbk: expected XML but got an HTML page titled 'Service Temporarily Unavailable' "
        f"(an error or block page served with status 200?) ({nbk_url(httpserver)})")
    assert_nothing_written(sink)


def test_xml_served_as_text_html_is_accepted_when_it_is_xml(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data(NBK_XML, content_type="text/html")
    report, sink = refresh_nbk(sleeps)
    assert report.exit_code == 0 and len(sink.rows) == 1


def test_malformed_xml_is_reported_with_what_was_expected(httpserver, sleeps):
    httpserver.expect_request(NBK_PATH).respond_with_data(NBK_XML[:2000], content_type=XML)
    report, sink = refresh_nbk(sleeps)
    error = str(report.sources["nbk"].error)
    assert error.startswith("nbk: NBK: malformed XML (")
    assert "expected a <rates> document" in error
    assert error.endswith(f"({nbk_url(httpserver)})")
    assert_nothing_written(sink)


def test_malformed_json_is_reported(httpserver, sleeps):
    body = payload("cbu_uz_json_all_2026-04-01.json")[:500]
    path = "/en/arkhiv-kursov-valyut/json/all/2026-04-01/"
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json")
    sink = MemorySink()
    report = refresh(["cbu"], DAY, DAY, sink=sink, sleep=sleeps, today=TODAY)
    error = str(report.sources["cbu"].error)
    assert error.startswith("cbu: CBU: malformed JSON (")
    assert error.endswith(f"({httpserver.url_for(path)})")
    assert_nothing_written(sink)


def test_payload_for_another_date_is_a_missing_date_not_a_stored_rate(httpserver, sleeps):
    # NBT answers a date it has no rates for with its latest rates; 2026-05-19 is a Tuesday.
    httpserver.expect_request("/en/kurs/export_xml.php",
                              query_string={"date": "2026-05-19", "export": "xmlout"}
                              ).respond_with_data(payload("nbt_tj_export_xml_2026-05-18.xml"),
                                                  content_type="text/xml;charset=UTF-8")
    sink = MemorySink()
    day = date(2026, 5, 19)
    report = refresh(["nbt"], day, day, sink=sink, sleep=sleeps, today=TODAY.replace(month=6))
    nbt = report.sources["nbt"]
    assert nbt.error is None and nbt.rows_added == 0
    (missing,) = nbt.missing
    assert missing.date == day and missing.is_failure
    assert missing.reason == (
        "no rate published (NBT answered with rates for 2026-05-18, not 2026-05-19)")
    assert report.exit_code == 3
    assert_nothing_written(sink)


def test_rate_of_zero_is_held_for_review_not_stored(httpserver, sleeps):
    body = NBK_XML.replace(b"<description>478.77</description>", b"<description>0</description>")
    httpserver.expect_request(NBK_PATH).respond_with_data(body, content_type=XML)
    report, sink = refresh_nbk(sleeps)
    assert sink.rows == {}
    (held,) = sink.held
    assert (held.date, held.quote, held.rate, held.source) == (DAY, "KZT", 0.0, "nbk")
    assert held.reason == "rate 0.0 is not a positive finite number"
    assert held.request_url == nbk_url(httpserver)
    assert report.sources["nbk"].held == [held]
    assert report.exit_code == 3


def test_rate_not_finite_is_held_for_review_not_stored(httpserver, sleeps):
    body = payload("cbu_uz_json_all_2026-04-01.json").replace(b'"Rate":"12194.21"',
                                                              b'"Rate":"NaN"')
    httpserver.expect_request("/en/arkhiv-kursov-valyut/json/all/2026-04-01/"
                              ).respond_with_data(body, content_type="application/json")
    sink = MemorySink()
    report = refresh(["cbu"], DAY, DAY, sink=sink, sleep=sleeps, today=TODAY)
    assert sink.rows == {}
    assert [h.reason for h in sink.held] == ["rate nan is not a positive finite number"]
    assert report.exit_code == 3


def test_session_applies_default_timeout_and_user_agent():
    session = make_session()
    assert session.timeout == (10.0, 30.0)
    assert session.headers["User-Agent"] == user_agent()


def test_session_raises_for_status_with_attempt_count(httpserver, sleeps):
    httpserver.expect_request("/x").respond_with_data("no", status=502)
    session = make_session(retries=2, sleep=sleeps)
    with pytest.raises(requests.HTTPError) as caught:
        session.get(httpserver.url_for("/x"))
    assert caught.value.response.status_code == 502
    assert caught.value.attempts == 3
    assert sleeps.calls == [1.0, 2.0]


def test_session_sleep_defaults_to_time_sleep_looked_up_per_call(httpserver, monkeypatch):
    calls = []
    monkeypatch.setattr(time, "sleep", calls.append)
    httpserver.expect_request("/x").respond_with_data("no", status=500)
    session = make_session(retries=1)
    with pytest.raises(requests.HTTPError):
        session.get(httpserver.url_for("/x"))
    assert calls == [1.0]
