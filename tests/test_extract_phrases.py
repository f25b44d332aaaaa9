"""Phrase families added after the first benchmark: wider quantity wording, more period
wording and the use of the whole article. Every sentence here is synthetic (written for the
test), except where a comment names the development half of the shared corridor data."""

import pytest
from extract_helpers import figures, find, units

from indicators.extract.core import date_in_url
from indicators.extract.periods import RefDate, find_periods
from indicators.extract.quantities import find_quantities

# Quantities


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("some 2.3 mln tonnes of cargo", 2.3e6, "t"), ("about 45 thousand tons", 45e3, "t"),
     ("433.2 thous. tons", 433_200, "t"), ("1,200 containers in TEU", 1200, "TEU"),
     ("over 500 twenty-foot equivalent units", 500, "TEU"), ("3,400 wagons", 3400, "railcars"),
     ("15 trains per day on average", 15, "trains/day"), ("40 locomotives", 40, "locomotives"),
     ("6 ferries", 6, "vessels"), ("12 percent", 12, "%"), ("7 per cent", 7, "%"),
     ("15 pct", 15, "%"), ("USD1.2bn", 1.2e9, "USD"), ("KZT20.7bn", 20.7e9, "KZT"),
     ("US$ 1.2 billion", 1.2e9, "USD"), ("100 million manat", 1e8, "AZN"), ("2x", 2, "x"),
     ("a 2.5-times increase", 2.5, "x")],
)
def test_more_wordings_of_quantities(text, value, unit):
    assert units(text) == [(pytest.approx(value), unit)]


def test_countable_things_outside_the_noun_list_are_units_with_the_noun_kept():
    [platforms] = find_quantities("2,000 new platforms were bought", [])
    assert (platforms.value, platforms.unit, platforms.qualifier) == (2000, "units",
                                                                      "new platforms")


@pytest.mark.parametrize("text", ["The corridor connects 11 countries.",
                                  "Over 60 companies took part in the forum.",
                                  "The two sides signed three agreements.",
                                  "Article 5 says nothing of it."])
def test_people_places_papers_and_spelled_out_counts_are_not_figures(text):
    assert find_quantities(text, []) == []


def test_a_breakdown_in_other_nouns_takes_the_unit_of_its_total():
    # development half
    found = units("To date, 13 international transport corridors have been formed and are in "
                  "operation in Kazakhstan, including 5 railways and 8 roads.")
    assert found == [(13, "corridors"), (5, "corridors"), (8, "corridors")]


def test_a_rate_is_shared_by_the_second_figure_of_a_pair():
    found = units("The port has an annual capacity of 15 million tons of cargo and 100,000 TEU.")
    assert found == [(15e6, "t/yr"), (100_000, "TEU/yr")]


@pytest.mark.parametrize(("wording", "value"), [("dipped", -4.5), ("tumbled", -4.5),
                                                 ("leapt", 4.5), ("was minus", -4.5)])
def test_more_words_for_the_direction_of_a_change(wording, value):
    [q] = find_quantities(f"Imports {wording} 4.5% year on year.", [])
    assert (q.value, q.role) == (value, "change")


def test_both_ends_of_a_range_of_changes_keep_the_sign():
    found = figures("Shipping via the Caspian grew by 60-70% last year.", "2024-11-12")
    assert [(f.value, f.period) for f in found] == [(60, "2023"), (70, "2023")]


def test_shares_from_one_level_to_another_are_levels():
    low, high = find_quantities("The share of containers rose from 5% to 12%.", [])
    assert (low.value, low.role, high.value, high.role) == (5, "baseline", 12, "share")


def test_a_bare_number_with_more_than_is_a_change_in_the_unit_before_it():
    found = figures("KTZ dispatched 1,200 container trains, 300 more than a year earlier.",
                    "2024-11-12")
    change = find(found, 300, "trains")
    assert change.role == "change"


def test_a_year_followed_by_a_number_with_a_scale_is_not_a_range_of_years():
    found = figures("Rail transit rose 17.5% in 2024 to 25.6 million tonnes.", "2025-03-10")
    assert find(found, 25.6e6, "t").period == "2024"
    assert find(found, 17.5, "%").period == "2024"


def test_a_year_before_a_count_noun_is_a_number():
    found = figures("The station handled 2050 wagons last month.", "2024-11-12")
    assert find(found, 2050, "railcars").period == "2024-10"


# Comparison values


def test_compared_to_a_value_a_year_earlier_is_the_baseline():
    found = figures("Exports of grain via Aktau reached 1.1 mln tonnes, compared to 0.9 mln "
                    "tonnes a year earlier.", "2025-03-10")
    assert find(found, 1.1e6, "t").role == "level"
    baseline = find(found, 0.9e6, "t")
    assert (baseline.role, baseline.period) == ("baseline", "2024")


def test_a_level_from_another_in_a_named_year_is_the_baseline():
    found = figures("The port's throughput rose 11.3% to 6.1 million tonnes in 2023 from 5.5 "
                    "million tonnes in 2022.", "2024-03-01")
    assert find(found, 6.1e6, "t").period == "2023"
    baseline = find(found, 5.5e6, "t")
    assert (baseline.role, baseline.period) == ("baseline", "2022")


# Periods


@pytest.mark.parametrize(
    ("text", "period"),
    [("in 9M24", "2024-01/2024-09"), ("in 1H24", "2024-H1"), ("in Q1'24", "2024-Q1"),
     ("Over 9 months,", "2024-01/2024-09"), ("since the beginning of 2024", "2024-01/2024-10"),
     ("since the beginning of this year", "2024-01/2024-10"), ("in 2024-25", "2024/2025"),
     ("from the start of the year", "2024-01/2024-10"), ("in Jan-Sept", "2024-01/2024-09")],
)
def test_more_period_wordings(text, period):
    [m] = find_periods(text, RefDate.parse("2024-11-12"))
    assert m.span.text() == period


def test_at_the_same_time_is_not_a_comparison_period():
    assert find_periods("At the same time, traffic grew.", RefDate.parse("2024-11-12")) == []


def test_the_same_period_last_year_with_no_period_named_is_the_year_to_date():
    found = figures("Container traffic amounted to 62,000 TEU, up 28% compared to the same "
                    "period last year.", "2024-10-15")
    assert {f.period for f in found} == {"2024-01/2024-09"}


def test_the_date_of_an_event_is_not_the_period_of_the_figure():
    found = figures("The port, which was launched in 2019, handled 5 million tons of cargo "
                    "last year.", "2025-03-10")
    assert find(found, 5e6, "t").period == "2024"


def test_a_year_compared_with_long_ago_does_not_date_the_figure():
    found = figures("Traffic is 40% higher than in 2019.", "2024-11-12")
    assert found[0].period == "2024"


# The article as a whole


def test_months_without_a_year_take_the_year_of_an_earlier_sentence():
    found = figures("In the first half of 2025, the TITR carried 2.1 million tons.\n"
                    "Between January and June, container traffic amounted to 40,000 TEU.\n"
                    "In the second quarter alone, 1.2 million tons were shipped.")
    assert find(found, 40_000, "TEU").period == "2025-H1"
    assert find(found, 1.2e6, "t").period == "2025-Q2"


def test_a_deadline_is_not_carried_to_the_next_sentence():
    found = figures("In 2023, the corridor carried 2.8 million tons.\n"
                    "Kazakhstan plans to raise this to 10 million tons by 2030.\n"
                    "Container traffic grew by 30%, to 33,600 TEU.", "2024-06-10")
    assert find(found, 10e6, "t").period == "2030"
    assert find(found, 33_600, "TEU").period == "2023"


def test_to_date_without_a_publication_date_is_the_latest_period_named():
    # adapted from the development half
    found = figures("Thus, in the first quarter of 2024, 1,848 trains passed through Khorgos.\n"
                    "Meanwhile, the volume of cargo transportation by rail between Kazakhstan "
                    "and China exceeded 28 million tons in 2023.\n"
                    "To date, 13 international transport corridors have been formed and are in "
                    "operation in Kazakhstan, including 5 railways and 8 roads.")
    assert find(found, 13, "corridors").period == "2024-Q1"


def test_the_year_after_a_compared_year_is_carried_to_the_next_sentence():
    found = figures("The routes transported 32 million tons of cargo (+13.1% compared to 2023).\n"
                    "Container transit rose by 8.8%, totaling 1.4 million TEUs.")
    assert find(found, 1.4e6, "TEU").period == "2024"


def test_the_headline_dates_sentences_that_name_no_period():
    found = figures("Transit cargo via Kazakhstan reached 26.5 million tons, up 10%.",
                    title="Kazakhstan's rail transit hits record in 2024")
    assert {f.period for f in found} == {"2024"}


@pytest.mark.parametrize(
    ("url", "published"),
    [("https://astanatimes.com/2024/08/kazakhstan-sees-twofold-increase/", "2024-08"),
     ("https://www.newscentralasia.net/2023/07/19/container-traffic/", "2023-07-19"),
     ("https://kz.kursiv.media/en/2024-05-30/ktz-and-lianyungang/", "2024-05-30"),
     ("https://en.trend.az/business/3982954.html", None)],
)
def test_the_date_in_an_article_address(url, published):
    assert date_in_url(url) == published


def test_the_date_in_the_address_is_the_reference_date_when_none_is_given():
    found = figures("Last year, the port handled 5.2 million tons.",
                    url="https://example.com/2025/02/port-results/")
    assert found[0].period == "2024"
