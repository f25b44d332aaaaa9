"""Numbers, units and periods as the extractor reads them, one phrase family at a time."""

import pytest

from indicators.extract.numbers import find_numbers, parse_digits, parse_words
from indicators.extract.periods import RefDate, find_periods
from indicators.extract.quantities import find_quantities


@pytest.mark.parametrize(
    ("raw", "value"),
    [("56,500", 56500), ("4,5", 4.5), ("12,6", 12.6), ("1,848", 1848), ("3,144", 3144),
     ("433.2", 433.2), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("56 500", 56500)],
)
def test_digits_read_either_separator_convention(raw, value):
    assert parse_digits(raw) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [("One hundred and twenty-five", 125), ("ten", 10), ("six million", 6e6),
     ("twenty-five", 25), ("one million", 1e6)],
)
def test_number_words_are_read_as_numbers(words, value):
    assert parse_words(words) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("4.5 million tons", 4.5e6), ("4,5 million tonnes", 4.5e6), ("433.2 thousand TEU", 433200),
     ("$846m", 846e6), ("US$1.2bn", 1.2e9), ("1 million 200 thousand tons", 1.2e6),
     ("half a million tons", 5e5)],
)
def test_scale_words_multiply_the_number(text, value):
    assert find_numbers(text)[0].value == pytest.approx(value)


def test_names_with_digits_are_not_numbers():
    assert find_numbers("COVID-19 hit the C5 states and 5G networks") == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("56,500 TEU", 56500, "TEU"), ("140,000 twenty-foot equivalent units (TEU)", 140000, "TEU"),
     ("55 forty-foot containers", 55, "FEU"), ("272 billion ton-kilometers", 272e9, "tkm"),
     ("6 million tons per year", 6e6, "t/yr"), ("10 million tons of cargo a year", 1e7, "t/yr"),
     ("12 pairs of trains per day", 12, "train pairs/day"), ("60 trains per day", 60, "trains/day"),
     ("1,500 km per day", 1500, "km/day"), ("10 new broad-gauge railway tracks", 10, "tracks"),
     ("20.7 billion tenge", 20.7e9, "KZT"), ("40 billion euros", 40e9, "EUR"),
     ("€10 billion", 10e9, "EUR"), ("USD 3.5 billion", 3.5e9, "USD"), ("5 GW", 5, "GW"),
     ("10 Mtpa", 1e7, "t/yr")],
)
def test_units_are_normalised_to_base_units(text, value, unit):
    [q] = find_quantities(text, [])
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_a_noun_that_modifies_the_counted_noun_yields_to_it():
    [q] = find_quantities("125 container trains passed", [])
    assert q.unit == "trains"


def test_a_bare_number_with_no_unit_is_not_a_figure():
    assert find_quantities("nine heads of state met in one of the halls", []) == []


@pytest.mark.parametrize(
    ("text", "period"),
    [("in the first quarter of 2026", "2026-Q1"), ("in January–November 2024", "2024-01/2024-11"),
     ("in the first seven months of 2024", "2024-01/2024-07"), ("In January-June 2023", "2023-H1"),
     ("in H1 2025", "2025-H1"), ("in 9M 2024", "2024-01/2024-09"), ("in 2024-2025", "2024/2025"),
     ("by January 2025", "2025-01")],
)
def test_period_phrases_are_written_in_the_period_notation(text, period):
    [m] = find_periods(text, RefDate.parse("2026-06-03"))
    assert m.span.text() == period


def test_relative_periods_resolve_against_the_reference_date():
    ref = RefDate.parse("2024-12-17")
    texts = {m.text: m.span.text() for m in find_periods(
        "last year, this year, in the first 11 months of this year", ref)}
    assert texts == {"last year": "2023", "this year": "2024",
                     "the first 11 months of this year": "2024-01/2024-11"}


def test_a_calendar_day_is_not_a_period_or_a_figure():
    [m] = find_periods("the committee reported on Jan. 16.", RefDate.parse("2025-01-20"))
    assert m.kind == "date"
