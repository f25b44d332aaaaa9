"""Numbers, units and periods as the extractor reads them, one phrase family at a time."""

from pathlib import Path

import pytest
from extract_helpers import figures, find

from indicators.extract.numbers import find_numbers, parse_digits, parse_words

ROOT = Path(__file__).resolve().parents[1]



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


def test_a_space_grouped_number_before_a_comma_is_one_number():
    found = figures("The number of transit trucks reached 68 400, up 27% year-on-year.",
                    "2025-07-16")
    find(found, 68_400, "trucks")


@pytest.mark.parametrize(("text", "value"), [
    ("He said about half of the cargo currently comes from China.", 50),
    ("Kazakh exports accounted for about three quarters of that amount.", 75),
    ("Turnover amounted to 1,1 million tons, roughly a quarter less than a year earlier.", -25),
    ("Kuryk handled 4.1 million tons, up by a fifth compared with the same period.", 20),
])
def test_fractions_are_shares_or_changes(text, value):
    find(figures(text, "2025-06-11"), value, "%")


def test_spelled_ranges_fractions_of_which_and_changes_by_to():
    found = figures("The railway will shorten the delivery of goods from China to Europe by seven "
                    "to eight days once completed.", "2025-06-11")
    find(found, -7, "days")
    find(found, -8, "days")
    half = figures("In December, the company ordered 50 locomotives, half of which are expected "
                   "to arrive this year.", "2025-03-15")
    find(half, 50, "%")
    by_to = figures("Exports increased by 200 to 1,500 trains.", "2025-06-11")
    assert find(by_to, 200, "trains").role == "change"
    find(by_to, 1500, "trains")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The income constituted 1 426,5 bln tenge.", 1426.5e9, "KZT"),
    ("ADY transported 3 mln 412.6 thsd tons of transit cargo.", 3_412_600, "t"),
    ("The volume amounted to 40.3 thous. TEU in the period.", 40_300, "TEU"),
    ("It amounted to 47 312 units in twenty-foot equivalent.", 47_312, "TEU"),
    ("KTZ plans to invest 1.2 trln tenge.", 1.2e12, "KZT"),
    ("The main share of exports fell on railway transport – 41.3 percent.", 41.3, "%"),
    ("“Without dredging we will lose another 10-15% of volumes,” he said.", -10, "%"),
])
def test_statistics_translated_from_russian(text, value, unit):
    find(figures(text, "2025-04-08"), value, unit)
