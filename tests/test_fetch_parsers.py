"""Each parser on each recorded payload, with the numbers the payload states."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest_fetch import payload

from indicators.fetch.errors import ParseError
from indicators.fetch.model import Quote
from indicators.fetch.parsers import (
    parse_cbt,
    parse_cbu,
    parse_frankfurter,
    parse_nbk,
    parse_nbkr_daily,
    parse_nbkr_history,
    parse_nbt,
)


def by_base(quotes: list[Quote]) -> dict[str, Quote]:
    return {q.base: q for q in quotes}


# NBK (KZT)


def test_nbk_reads_usd_478_77_kzt_on_2026_04_01():
    quotes = by_base(parse_nbk(payload("nbk_kz_get_rates_fdate_01.04.2026.xml")))
    assert len(quotes) == 39
    assert quotes["USD"] == Quote(date(2026, 4, 1), "USD", "KZT", 478.77)
    assert quotes["EUR"].rate == 548.62


def test_nbk_divides_description_by_quant():
    quotes = by_base(parse_nbk(payload("nbk_kz_get_rates_fdate_01.04.2026.xml")))
    assert quotes["UZS"].rate == pytest.approx(3.93 / 100)  # quant 100
    assert quotes["IRR"].rate == pytest.approx(0.4 / 1000)  # quant 1000
    assert quotes["AMD"].rate == pytest.approx(12.72 / 10)  # quant 10


def test_nbk_reads_usd_475_09_kzt_on_2026_04_02():
    quotes = parse_nbk(payload("nbk_kz_get_rates_fdate_02.04.2026.xml"), only={"USD"})
    assert quotes == [Quote(date(2026, 4, 2), "USD", "KZT", 475.09)]


def test_nbk_empty_answer_gives_no_quotes():
    assert parse_nbk(b"") == []
    assert parse_nbk(b'<?xml version="1.0" encoding="utf-8"?>\n<rates>\n</rates>') == []


def test_nbk_non_numeric_description_names_currency_and_value():
    body = payload("nbk_kz_get_rates_fdate_01.04.2026.xml").replace(
        b"<description>478.77</description>", b"<description>4x8.77</description>")
    with pytest.raises(ParseError, match=r"NBK USD <description>: expected a number, "
                                         r"got '4x8.77'"):
        parse_nbk(body)


def test_nbk_other_document_names_expected_root():
    with pytest.raises(ParseError, match=r"NBK: expected a <rates> document, got <ValCurs>"):
        parse_nbk(payload("nbt_tj_export_xml_2026-05-18.xml"))


def test_nbk_truncated_xml_is_malformed():
    with pytest.raises(ParseError, match=r"NBK: malformed XML \(.*\); expected a <rates>"):
        parse_nbk(payload("nbk_kz_get_rates_fdate_01.04.2026.xml")[:2000])


def test_nbk_rejects_doctype():
    body = b'<?xml version="1.0"?><!DOCTYPE rates [<!ENTITY a "x">]><rates>&a;</rates>'
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_nbk(body)


# CBU (UZS)


def test_cbu_reads_usd_12194_21_uzs_on_2026_04_01():
    quotes = by_base(parse_cbu(payload("cbu_uz_json_all_2026-04-01.json")))
    assert len(quotes) == 75
    assert quotes["USD"] == Quote(date(2026, 4, 1), "USD", "UZS", 12194.21)
    assert quotes["KZT"].rate == 25.53


def test_cbu_divides_rate_by_nominal():
    quotes = by_base(parse_cbu(payload("cbu_uz_json_all_2026-04-01.json")))
    assert quotes["IDR"].rate == pytest.approx(7.18 / 10)


def test_cbu_object_instead_of_array_is_a_parse_error():
    with pytest.raises(ParseError, match="CBU: expected a JSON array of rates, got an object"):
        parse_cbu(b'{"error": "not found"}')


def test_cbu_truncated_json_is_malformed():
    with pytest.raises(ParseError, match=r"CBU: malformed JSON"):
        parse_cbu(payload("cbu_uz_json_all_2026-04-01.json")[:500])


def test_cbu_bad_date_names_expected_format():
    body = payload("cbu_uz_json_all_2026-04-01.json").replace(
        b'"Date":"01.04.2026"', b'"Date":"2026-04-01"', 1)
    with pytest.raises(ParseError, match=r"CBU USD Date: expected a date as DD.MM.YYYY, "
                                         r"got '2026-04-01'"):
        parse_cbu(body)


# NBT (TJS)


def test_nbt_reads_usd_9_345_tjs_on_2026_05_18():
    quotes = by_base(parse_nbt(payload("nbt_tj_export_xml_2026-05-18.xml")))
    assert len(quotes) == 36
    assert quotes["USD"] == Quote(date(2026, 5, 18), "USD", "TJS", 9.345)


def test_nbt_divides_value_by_nominal():
    quotes = by_base(parse_nbt(payload("nbt_tj_export_xml_2026-05-18.xml")))
    assert quotes["UZS"].rate == pytest.approx(0.0780 / 100)
    assert quotes["KZT"].rate == pytest.approx(0.1971 / 10)
    assert quotes["KGS"].rate == pytest.approx(1.0686 / 10)


# NBKR (KGS)


def test_nbkr_daily_reads_windows_1251_with_decimal_comma():
    quotes = by_base(parse_nbkr_daily(payload("nbkr_kg_daily.xml")))
    assert list(quotes) == ["USD", "EUR", "CNY", "KZT", "RUB"]
    assert quotes["USD"] == Quote(date(2026, 5, 24), "USD", "KGS", 87.45)
    assert quotes["KZT"].rate == 0.1859


def test_nbkr_daily_accepts_decoded_text():
    text = payload("nbkr_kg_daily.xml").decode("windows-1251")
    assert parse_nbkr_daily(text, only={"USD"})[0].rate == 87.45


def test_nbkr_weekly_divides_value_by_nominal():
    quotes = by_base(parse_nbkr_daily(payload("nbkr_kg_weekly.xml")))
    assert quotes["JPY"] == Quote(date(2026, 5, 23), "JPY", "KGS", pytest.approx(0.54969))
    assert quotes["TJS"].rate == 9.4148
    assert quotes["TMT"].rate == 24.9857


def test_nbkr_history_reads_every_row_of_june_2005():
    quotes = parse_nbkr_history(payload("nbkr_kg_historical_USD_2005-06_trimmed.html"))
    assert quotes == [
        Quote(date(2005, 6, 25), "USD", "KGS", 40.9614),
        Quote(date(2005, 6, 18), "USD", "KGS", 41.0685),
        Quote(date(2005, 6, 11), "USD", "KGS", 41.0511),
        Quote(date(2005, 6, 4), "USD", "KGS", 40.9879),
    ]


def test_nbkr_history_row_without_value_is_a_parse_error():
    body = payload("nbkr_kg_historical_USD_2005-06_trimmed.html").replace(
        b"<!--value-->40,9614<!--value-->", b"", 1)
    with pytest.raises(ParseError, match=r"found 4 dates, 3 values and 3 complete rows"):
        parse_nbkr_history(body)


def test_nbkr_history_page_without_rows_gives_no_quotes():
    assert parse_nbkr_history(b"<html><body><table></table></body></html>") == []


# CBT (TMT)


def test_cbt_reads_usd_peg_3_5_tmt_on_2026_05_20():
    quotes = by_base(parse_cbt(payload("cbt_tm_kurs_20052026.xml")))
    assert len(quotes) == 48
    assert quotes["USD"] == Quote(date(2026, 5, 20), "USD", "TMT", 3.5)


def test_cbt_divides_rate_tmt_by_multiplier():
    quotes = by_base(parse_cbt(payload("cbt_tm_kurs_20052026.xml")))
    assert quotes["KZT"].rate == pytest.approx(0.7424 / 100)
    assert quotes["IRR"].rate == pytest.approx(0.0265 / 10000)


def test_cbt_reads_iso_date_of_2020_to_2023_files():
    body = payload("cbt_tm_kurs_20052026.xml").replace(b"<date>20.05.2026</date>",
                                                       b"<date>2022-05-20</date>")
    assert parse_cbt(body, only={"USD"})[0].date == date(2022, 5, 20)


# Frankfurter v2


def frankfurter_rates_example() -> bytes:
    spec = json.loads(payload("frankfurter_v2_openapi.json"))
    example = spec["paths"]["/rates"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]
    return json.dumps(example).encode()


def test_frankfurter_reads_records_of_the_openapi_example():
    assert parse_frankfurter(frankfurter_rates_example()) == [
        Quote(date(2024, 1, 15), "EUR", "EUR", 1.0),
        Quote(date(2024, 1, 15), "EUR", "GBP", 0.8623),
        Quote(date(2024, 1, 15), "EUR", "USD", 1.089),
    ]


def test_frankfurter_only_filters_quote_currencies():
    quotes = parse_frankfurter(frankfurter_rates_example(), only={"USD"})
    assert [q.quote for q in quotes] == ["USD"]


def test_frankfurter_error_object_is_a_parse_error_quoting_its_message():
    with pytest.raises(ParseError, match=r"got an object with message 'not found'"):
        parse_frankfurter(b'{"message": "not found"}')


def test_frankfurter_string_rate_is_a_parse_error():
    with pytest.raises(ParseError, match=r"expected a number in 'rate', got '478.77'"):
        parse_frankfurter(b'[{"date": "2026-04-01", "base": "USD", "quote": "KZT", '
                          b'"rate": "478.77"}]')


def test_parsers_return_non_positive_rates_for_the_caller_to_hold():
    body = payload("nbk_kz_get_rates_fdate_01.04.2026.xml").replace(
        b"<description>478.77</description>", b"<description>-1</description>")
    assert parse_nbk(body, only={"USD"})[0].rate == -1.0
