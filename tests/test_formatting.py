"""Readable numbers: the forms an analyst reads on cards, axes and hovers."""

from datetime import date

import pandas as pd
import pytest

from indicators import formatting


@pytest.mark.parametrize(("value", "unit", "text"), [
    (4_500_000, "t", "4.5 Mt"),
    (800_000, "t", "800.0 kt"),
    (56_500, "TEU", "56,500 TEU"),
    (1_400_000, "TEU", "1.4 million TEU"),
    (125, "trains", "125 trains"),
    (34.4, "%", "+34.4%"),
    (-22, "%", "-22.0%"),
    (5, "x", "5.0×"),
    (30_000_000_000, "USD", "$30.0 bn"),
    (12.5, "days", "12.5 days"),
    (None, "t", "–"),
    (float("nan"), "TEU", "–"),
])
def test_quantity_scales_and_names_the_unit(value, unit, text):
    assert formatting.quantity(value, unit) == text


@pytest.mark.parametrize(("value", "text"), [
    (487.8, "487.8"), (12_149.84, "12,149.8"), (0.00205, "0.00205"), (3.5, "3.50"),
    (87.45, "87.5"), (2_500_000, "2.5 million"), (None, "–"),
])
def test_rate_value_keeps_three_significant_figures(value, text):
    assert formatting.rate_value(value) == text


def test_rate_reads_as_units_per_usd():
    assert formatting.rate(487.8, "KZT") == "487.8 KZT per USD"
    assert formatting.rate(0.00205, "USD", per="KZT") == "0.00205 USD per KZT"


def test_headline_rate_drops_decimals_on_large_rates():
    assert formatting.headline_rate(12_149.84) == "12,150"
    assert formatting.headline_rate(472.31) == "472.3"


def test_number_groups_thousands_and_words_millions():
    assert formatting.number(56_500) == "56,500"
    assert formatting.number(4_470_000) == "4.5 million"
    assert formatting.number(1.5e9) == "1.5 billion"


def test_percent_always_signed():
    assert formatting.percent(0) == "0.0%"
    # a fall too small to show has no sign: not "-0.00%" (the TMT card, a pegged currency)
    assert formatting.percent(-0.0004, 2) == formatting.percent(0.004, 2) == "0.00%"
    assert formatting.percent(-0.005001, 2) == "-0.01%"
    assert formatting.percent(-0.587, 2) == "-0.59%"


def test_day_formats_dates_and_missing_values():
    assert formatting.day(date(2024, 3, 1)) == "2024-03-01"
    assert formatting.day(pd.Timestamp("2026-04-03")) == "2026-04-03"
    assert formatting.day(pd.NaT) == "–"
    assert formatting.day(None) == "–"


def test_truncate_cuts_at_a_word_with_an_ellipsis():
    assert formatting.truncate("one two three four", 10) == "one two…"
    assert formatting.truncate("short", 10) == "short"
    assert formatting.truncate(None, 10) == ""


def test_wrap_breaks_long_hover_text_into_lines():
    text = formatting.wrap("a " * 50, 20)
    assert all(len(line) <= 20 for line in text.split("<br>"))


def test_source_label_is_short_publisher_and_kind():
    label = formatting.source_label(
        "National Bank of Ukraine official exchange rates: monthly cross rates",
        "official-cross", "National Bank of Ukraine (archive: kastaneda/nbu_rates)")
    assert label == "National Bank of Ukraine (official cross rate)"
    assert formatting.source_label("The Times of Central Asia: ticker", "ticker") == \
        "The Times of Central Asia (ticker snapshot)"


def test_unit_name_spells_out_tonnes():
    assert formatting.unit_name("t") == "tonnes"
    assert formatting.unit_name("TEU") == "TEU"


def test_age_says_how_old_a_value_is_and_nothing_under_a_month():
    from datetime import date

    from indicators import formatting

    today = date(2026, 12, 7)
    assert formatting.age(date(2026, 12, 1), today) == ""
    assert formatting.age(date(2026, 4, 3), today) == "8 months old"
    assert formatting.age("2022-07-01", today) == "4 years old"
    assert formatting.age(None, today) == ""


@pytest.mark.parametrize(("peak", "unit", "value", "tick", "words"), [
    (5e6, "t", 4.5e6, "4.5 Mt", "million tonnes"),
    (100_000, "t", 4_500, "4.5 kt", "thousand tonnes"),
    (60_000, "TEU", 45_000, "45,000.0", "TEU"),
    (2e6, "TEU", 1.5e6, "1.5", "million TEU"),
    (6e10, "USD", 4.5e10, "$45.0 bn", "billion US dollars"),
])
def test_axis_scale_writes_ticks_in_one_scale_with_the_unit_in_words(peak, unit, value, tick,
                                                                     words):
    scale = formatting.axis_scale(peak, unit)
    assert scale.tick(value, 1) == tick
    assert scale.words == words
    assert scale.tick(0, 1) == "0"
