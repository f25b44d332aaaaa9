"""refresh(): backfill, resume, held jumps, CBT fallback, exit codes and the summary."""

from __future__ import annotations

import importlib
import json
import time
from datetime import UTC, date, datetime

import pytest
from conftest_fetch import (
    closed_port_url,
    nbk_body,
    payload,
)

from indicators.fetch import (
    SOURCE_IDS,
    MemorySink,
    RateRow,
    default_range,
    describe_sources,
    refresh,
)

# The package exports the function refresh(), which hides the submodule of the same name.
refresh_module = importlib.import_module("indicators.fetch.refresh")

XML = "text/xml; charset=UTF-8"
NBK_PATH = "/rss/get_rates.cfm"
CBU_PATH = "/en/arkhiv-kursov-valyut/json/all/{:%Y-%m-%d}/"
LATER = date(2026, 6, 30)  # "today" for runs over past dates


def serve_nbk(httpserver, day: date, body: bytes) -> None:
    httpserver.expect_request(NBK_PATH, query_string={"fdate": f"{day:%d.%m.%Y}"}
                              ).respond_with_data(body, content_type=XML)


def serve_nbk_week(httpserver) -> None:
    """NBK for Wed 2026-04-01 to Sun 2026-04-05, with both kinds of weekend answer."""
    serve_nbk(httpserver, date(2026, 4, 1), payload("nbk_kz_get_rates_fdate_01.04.2026.xml"))
    serve_nbk(httpserver, date(2026, 4, 2), payload("nbk_kz_get_rates_fdate_02.04.2026.xml"))
    serve_nbk(httpserver, date(2026, 4, 3), nbk_body(date(2026, 4, 3), 472.31))
    serve_nbk(httpserver, date(2026, 4, 4), nbk_body(date(2026, 4, 3), 472.31))
    serve_nbk(httpserver, date(2026, 4, 5), b'<?xml version="1.0"?>\n<rates>\n</rates>')


def stored(sink: MemorySink, source: str, quote: str) -> dict[date, float]:
    return {r.date: r.rate for r in sorted(sink.rows.values(), key=lambda r: r.date)
            if r.source == source and r.quote == quote}


def frankfurter_body(records: list[tuple[str, str, float]]) -> bytes:
    """A /v2/rates answer in the shape of the OpenAPI example: [{date, base, quote, rate}]."""
    return json.dumps([{"date": d, "base": "USD", "quote": q, "rate": r}
                       for d, q, r in records]).encode()


def old_row(day: date, rate: float, source: str = "nbk", quote: str = "KZT") -> RateRow:
    return RateRow(day, "USD", quote, rate, source, datetime(2026, 1, 1, tzinfo=UTC),
                   "https://example.org/earlier")


# Backfill and resume


def test_backfill_stores_each_date_and_reports_weekend_gaps_as_expected(httpserver, sleeps):
    serve_nbk_week(httpserver)
    sink = MemorySink()
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 5), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "nbk", "KZT") == {date(2026, 4, 1): 478.77, date(2026, 4, 2): 475.09,
                                          date(2026, 4, 3): 472.31}
    nbk = report.sources["nbk"]
    assert nbk.rows_added == 3 and nbk.requests == 5
    assert [(m.date, m.reason, m.is_failure) for m in nbk.missing] == [
        (date(2026, 4, 4),
         "no rate published (weekend; NBK answered with rates for 2026-04-03, not 2026-04-04)",
         False),
        (date(2026, 4, 5), "no rate published (weekend; empty answer)", False),
    ]
    assert report.exit_code == 0
    assert report.summary_lines() == [
        "nbk: 3 rows added, 0 held; 2026-04-04 no rate published (weekend; NBK answered with "
        "rates for 2026-04-03, not 2026-04-04), 2026-04-05 no rate published (weekend; empty "
        "answer)"
    ]


def test_backfill_paces_requests_and_reports_progress(httpserver, sleeps):
    serve_nbk_week(httpserver)
    calls = []
    refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 3), sink=MemorySink(), sleep=sleeps,
            pace=0.25, progress=lambda *a: calls.append(a), today=LATER)
    assert sleeps.calls == [0.25, 0.25]  # between requests, not before the first
    assert calls == [("nbk", 0, 3), ("nbk", 1, 3), ("nbk", 2, 3), ("nbk", 3, 3)]


def test_default_sleep_is_time_sleep_so_tests_can_patch_it(httpserver, monkeypatch):
    serve_nbk_week(httpserver)
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)
    refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 2), sink=MemorySink(), today=LATER)
    assert waits == [refresh_module.PACE]


def test_resume_skips_dates_already_stored(httpserver, sleeps):
    serve_nbk_week(httpserver)
    sink = MemorySink()
    sink.add(old_row(date(2026, 4, 1), 478.77))
    sink.add(old_row(date(2026, 4, 3), 472.31))
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 3), sink=sink, sleep=sleeps,
                     today=LATER)
    assert [r.args["fdate"] for r, _ in httpserver.log] == ["02.04.2026"]
    nbk = report.sources["nbk"]
    assert (nbk.rows_added, nbk.already_stored) == (1, 2)
    assert report.summary_lines() == ["nbk: 1 rows added, 0 held, 2 already stored"]
    assert report.exit_code == 0


def test_nothing_left_to_fetch_makes_no_request_and_exit_code_0(httpserver, sleeps):
    sink = MemorySink()
    sink.add(old_row(date(2026, 4, 1), 478.77))
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 1), sink=sink, sleep=sleeps)
    assert httpserver.log == [] and report.exit_code == 0


def test_failure_mid_source_keeps_whole_earlier_chunks_and_drops_the_failing_one(
        httpserver, sleeps, monkeypatch):
    monkeypatch.setattr(refresh_module, "CHUNK_DATES", 2)
    serve_nbk_week(httpserver)
    httpserver.clear_all_handlers()
    serve_nbk(httpserver, date(2026, 4, 1), payload("nbk_kz_get_rates_fdate_01.04.2026.xml"))
    serve_nbk(httpserver, date(2026, 4, 2), payload("nbk_kz_get_rates_fdate_02.04.2026.xml"))
    serve_nbk(httpserver, date(2026, 4, 3), nbk_body(date(2026, 4, 3), 472.31))
    httpserver.expect_request(NBK_PATH, query_string={"fdate": "04.04.2026"}
                              ).respond_with_data("down", status=404)
    sink = MemorySink()
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 4), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "nbk", "KZT") == {date(2026, 4, 1): 478.77, date(2026, 4, 2): 475.09}
    assert len(sink.saves) == 1
    nbk = report.sources["nbk"]
    assert nbk.error.status == 404 and nbk.status == "partial"
    assert report.summary_lines()[0].startswith("nbk: HTTP 404 NOT FOUND at http://127.0.0.1:")
    assert report.summary_lines()[0].endswith("; before that 2 rows added, 0 held")
    assert report.exit_code == 3


# Held rows


def test_jump_over_50_percent_from_stored_rate_is_held_not_stored(httpserver, sleeps):
    serve_nbk_week(httpserver)
    sink = MemorySink()
    sink.add(old_row(date(2026, 3, 31), 300.0))
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 1), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "nbk", "KZT") == {date(2026, 3, 31): 300.0}
    (held,) = sink.held
    assert (held.date, held.rate, held.reason) == (date(2026, 4, 1), 478.77,
                                                   "jump of +60% from 300")
    assert report.sources["nbk"].held == [held]
    assert report.summary_lines() == [
        "nbk: 0 rows added, 1 held; held 2026-04-01 KZT 478.77: jump of +60% from 300"]
    assert report.exit_code == 3


def test_jump_within_a_backfill_is_held_against_the_day_before(httpserver, sleeps):
    serve_nbk(httpserver, date(2026, 4, 1), payload("nbk_kz_get_rates_fdate_01.04.2026.xml"))
    serve_nbk(httpserver, date(2026, 4, 2), nbk_body(date(2026, 4, 2), 47.509))
    serve_nbk(httpserver, date(2026, 4, 3), nbk_body(date(2026, 4, 3), 472.31))
    sink = MemorySink()
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 3), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "nbk", "KZT") == {date(2026, 4, 1): 478.77, date(2026, 4, 3): 472.31}
    assert [(h.date, h.reason) for h in report.sources["nbk"].held] == [
        (date(2026, 4, 2), "jump of -90% from 478.77 on 2026-04-01")]


def test_jump_is_measured_from_a_stored_day_between_fetched_days(httpserver, sleeps):
    serve_nbk_week(httpserver)
    sink = MemorySink()
    sink.add(old_row(date(2026, 4, 2), 1000.0))
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 3), sink=sink, sleep=sleeps,
                     today=LATER)
    assert [(h.date, h.reason) for h in report.sources["nbk"].held] == [
        (date(2026, 4, 3), "jump of -53% from 1000")]


def test_moves_within_50_percent_are_stored(httpserver, sleeps):
    serve_nbk_week(httpserver)
    sink = MemorySink()
    sink.add(old_row(date(2026, 3, 31), 330.0))  # +45%
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 1), sink=sink, sleep=sleeps,
                     today=LATER)
    assert report.sources["nbk"].rows_added == 1 and sink.held == []


# Exit codes


def test_exit_code_0_when_every_source_stored_everything(httpserver, sleeps):
    serve_nbk_week(httpserver)
    httpserver.expect_request(CBU_PATH.format(date(2026, 4, 1))).respond_with_data(
        payload("cbu_uz_json_all_2026-04-01.json"), content_type="application/json")
    sink = MemorySink()
    report = refresh(["nbk", "cbu"], date(2026, 4, 1), date(2026, 4, 1), sink=sink,
                     sleep=sleeps, today=LATER)
    assert stored(sink, "cbu", "UZS") == {date(2026, 4, 1): 12194.21}
    assert report.rows_added == 2 and report.exit_code == 0


def test_exit_code_3_when_one_source_fails_and_another_succeeds(httpserver, sleeps):
    serve_nbk_week(httpserver)
    httpserver.expect_request(CBU_PATH.format(date(2026, 4, 1))).respond_with_data(
        "boom", status=500)
    report = refresh(["nbk", "cbu"], date(2026, 4, 1), date(2026, 4, 1), sink=MemorySink(),
                     sleep=sleeps, today=LATER)
    assert report.sources["nbk"].status == "ok"
    assert report.sources["cbu"].status == "failed"
    assert report.exit_code == 3


def test_exit_code_1_when_nothing_could_be_fetched(httpserver, sleeps, monkeypatch):
    monkeypatch.setenv("INDICATORS_URL_CBU", closed_port_url())
    httpserver.expect_request(NBK_PATH).respond_with_data("gone", status=404)
    sink = MemorySink()
    report = refresh(["nbk", "cbu"], date(2026, 4, 1), date(2026, 4, 1), sink=sink,
                     sleep=sleeps, today=LATER)
    assert {s.status for s in report.sources.values()} == {"failed"}
    assert report.exit_code == 1
    assert sink.rows == {} and sink.held == []
    lines = report.summary_lines()
    assert lines[0].startswith("nbk: HTTP 404 NOT FOUND at http://127.0.0.1:")
    assert lines[0].endswith("?fdate=01.04.2026; nothing written")
    assert lines[1].startswith("cbu: unreachable (connection refused) after 4 attempts at ")


def test_missing_weekday_counts_as_a_failure_but_today_does_not(httpserver, sleeps):
    serve_nbk(httpserver, date(2026, 4, 1), b'<?xml version="1.0"?>\n<rates>\n</rates>')
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 1), sink=MemorySink(),
                     sleep=sleeps, today=LATER)
    assert report.sources["nbk"].missing[0].is_failure and report.exit_code == 3
    report = refresh(["nbk"], date(2026, 4, 1), date(2026, 4, 1), sink=MemorySink(),
                     sleep=sleeps, today=date(2026, 4, 1))
    (missing,) = report.sources["nbk"].missing
    assert missing.reason == "no rate published (not yet; empty answer)"
    assert not missing.is_failure and report.exit_code == 0


# CBT and its fallback


def test_cbt_recorded_day_stores_the_peg(httpserver, sleeps):
    httpserver.expect_request("/kurs/2026/20052026.xml").respond_with_data(
        payload("cbt_tm_kurs_20052026.xml"), content_type="text/xml")
    sink = MemorySink()
    report = refresh(["cbt"], date(2026, 5, 20), date(2026, 5, 20), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "cbt", "TMT") == {date(2026, 5, 20): 3.5}
    assert report.exit_code == 0


def test_cbt_sunday_404_is_no_rate_published(httpserver, sleeps):
    httpserver.expect_request("/kurs/2026/24052026.xml").respond_with_data("", status=404)
    report = refresh(["cbt"], date(2026, 5, 24), date(2026, 5, 24), sink=MemorySink(),
                     sleep=sleeps, today=LATER)
    cbt = report.sources["cbt"]
    assert cbt.error is None and cbt.fallback is None
    assert [m.reason for m in cbt.missing] == ["no rate published (weekend; HTTP 404)"]
    assert report.exit_code == 0


def test_cbt_unreachable_falls_back_to_frankfurter_for_tmt_and_says_so(
        httpserver, sleeps, monkeypatch):
    cbt_base = closed_port_url()
    monkeypatch.setenv("INDICATORS_URL_CBT", cbt_base)
    httpserver.expect_request("/v2/rates", query_string={
        "base": "USD", "quotes": "TMT", "from": "2026-05-20", "to": "2026-05-22"},
    ).respond_with_data(frankfurter_body([("2026-05-20", "TMT", 3.5),
                                          ("2026-05-21", "TMT", 3.5),
                                          ("2026-05-22", "TMT", 3.5)]),
                        content_type="application/json")
    sink = MemorySink()
    report = refresh(["cbt"], date(2026, 5, 20), date(2026, 5, 22), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "cbt", "TMT") == {}
    assert stored(sink, "frankfurter", "TMT") == {date(2026, 5, 20): 3.5,
                                                  date(2026, 5, 21): 3.5,
                                                  date(2026, 5, 22): 3.5}
    cbt = report.sources["cbt"]
    assert cbt.error.problem == "unreachable (connection refused) after 4 attempts"
    assert cbt.fallback.source == "frankfurter" and cbt.fallback.rows_added == 3
    assert report.summary_lines() == [
        f"cbt: unreachable (connection refused) after 4 attempts at "
        f"{cbt_base}/kurs/2026/20052026.xml; nothing written — fell back to frankfurter for "
        "TMT: 3 rows added, 0 held"
    ]
    assert report.exit_code == 3  # the official source was not stored


def test_cbt_answering_404_on_weekdays_is_an_error_and_falls_back(httpserver, sleeps):
    httpserver.expect_request("/kurs/2026/20052026.xml").respond_with_data("", status=404)
    httpserver.expect_request("/v2/rates").respond_with_data(
        frankfurter_body([("2026-05-20", "TMT", 3.5)]), content_type="application/json")
    sink = MemorySink()
    report = refresh(["cbt"], date(2026, 5, 20), date(2026, 5, 20), sink=sink, sleep=sleeps,
                     today=LATER)
    cbt = report.sources["cbt"]
    assert "every request answered HTTP 404 Not Found" in cbt.error.problem
    assert cbt.fallback.rows_added == 1
    assert stored(sink, "frankfurter", "TMT") == {date(2026, 5, 20): 3.5}


def test_cbt_fallback_skips_dates_cbt_already_has(httpserver, sleeps, monkeypatch):
    monkeypatch.setenv("INDICATORS_URL_CBT", closed_port_url())
    httpserver.expect_request("/v2/rates", query_string={
        "base": "USD", "quotes": "TMT", "from": "2026-05-21", "to": "2026-05-21"},
    ).respond_with_data(frankfurter_body([("2026-05-21", "TMT", 3.5)]),
                        content_type="application/json")
    sink = MemorySink()
    sink.add(old_row(date(2026, 5, 20), 3.5, source="cbt", quote="TMT"))
    report = refresh(["cbt"], date(2026, 5, 20), date(2026, 5, 21), sink=sink, sleep=sleeps,
                     today=LATER)
    assert report.sources["cbt"].fallback.rows_added == 1
    assert stored(sink, "frankfurter", "TMT") == {date(2026, 5, 21): 3.5}


# Frankfurter and NBKR: range requests


def test_frankfurter_backfills_all_five_currencies_in_one_request(httpserver, sleeps):
    records = [(d, q, r) for d in ("2026-04-01", "2026-04-02")
               for q, r in (("KZT", 478.77), ("KGS", 87.45), ("UZS", 12194.21),
                            ("TJS", 9.345), ("TMT", 3.5))]
    httpserver.expect_request("/v2/rates", query_string={
        "base": "USD", "quotes": "KZT,KGS,UZS,TJS,TMT", "from": "2026-04-01",
        "to": "2026-04-04"}).respond_with_data(frankfurter_body(records),
                                               content_type="application/json")
    sink = MemorySink()
    sink.add(old_row(date(2026, 4, 1), 478.77, source="frankfurter"))
    report = refresh(["frankfurter"], date(2026, 4, 1), date(2026, 4, 4), sink=sink,
                     sleep=sleeps, today=LATER)
    fr = report.sources["frankfurter"]
    assert len(httpserver.log) == 1
    assert (fr.rows_added, fr.already_stored) == (9, 1)
    assert stored(sink, "frankfurter", "UZS") == {date(2026, 4, 1): 12194.21,
                                                  date(2026, 4, 2): 12194.21}
    # 2026-04-03 is a Friday with no records: a gap that counts; the Saturday does not.
    assert {(m.date, m.is_failure) for m in fr.missing} == {(date(2026, 4, 3), True),
                                                           (date(2026, 4, 4), False)}
    assert report.summary_lines()[0].startswith(
        "frankfurter: 9 rows added, 0 held, 1 already stored; 2026-04-03 no rate published "
        "that day, 2026-04-04 no rate published (weekend)")


def test_nbkr_history_page_backfills_june_2005(httpserver, sleeps):
    httpserver.expect_request("/index1.jsp", query_string={
        "item": "1562", "lang": "ENG", "valuta_id": "15", "beg_day": "01", "beg_month": "06",
        "beg_year": "2005", "end_day": "30", "end_month": "06", "end_year": "2005",
    }).respond_with_data(payload("nbkr_kg_historical_USD_2005-06_trimmed.html"),
                         content_type="text/html;charset=UTF-8")
    sink = MemorySink()
    report = refresh(["nbkr"], date(2005, 6, 1), date(2005, 6, 30), sink=sink, sleep=sleeps,
                     today=LATER)
    assert stored(sink, "nbkr", "KGS") == {date(2005, 6, 4): 40.9879, date(2005, 6, 11): 41.0511,
                                           date(2005, 6, 18): 41.0685,
                                           date(2005, 6, 25): 40.9614}
    assert report.sources["nbkr"].requests == 1


def test_nbkr_daily_xml_supplies_the_latest_rate(httpserver, sleeps):
    httpserver.expect_request("/index1.jsp").respond_with_data(
        "<html><body><table></table></body></html>", content_type="text/html")
    httpserver.expect_request("/XML/daily.xml").respond_with_data(
        payload("nbkr_kg_daily.xml"), content_type="application/xml")
    sink = MemorySink()
    report = refresh(["nbkr"], date(2026, 5, 23), date(2026, 5, 24), sink=sink, sleep=sleeps,
                     today=date(2026, 5, 24))
    assert stored(sink, "nbkr", "KGS") == {date(2026, 5, 24): 87.45}
    assert [m.reason for m in report.sources["nbkr"].missing] == [
        "no rate published (weekend)"]
    assert report.exit_code == 0


# What the CLI and the dashboard use


def test_unknown_source_id_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown source ids \\['xyz'\\]; known: nbk, cbu"):
        refresh(["xyz"], date(2026, 4, 1), date(2026, 4, 1), sink=MemorySink())


def test_default_range_is_the_last_30_days_to_today():
    assert default_range(date(2026, 4, 30)) == (date(2026, 3, 31), date(2026, 4, 30))


def test_describe_sources_lists_every_source_with_its_url_read_at_call_time(monkeypatch):
    monkeypatch.delenv("INDICATORS_URL_NBK", raising=False)
    info = {s.id: s for s in describe_sources()}
    assert tuple(info) == SOURCE_IDS == ("nbk", "cbu", "nbt", "nbkr", "cbt", "frankfurter")
    assert info["nbk"].base_url == "https://nationalbank.kz"
    assert info["cbt"].env_var == "INDICATORS_URL_CBT" and info["cbt"].currency == "TMT"
    monkeypatch.setenv("INDICATORS_URL_NBK", "http://127.0.0.1:9/")
    assert describe_sources()[0].base_url == "http://127.0.0.1:9"
