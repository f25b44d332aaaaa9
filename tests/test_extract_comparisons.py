"""Comparisons: comparison values and the periods they are dated with.

Every sentence here is synthetic (written for the test), except where a comment names
the development half of the shared corridor data."""

from pathlib import Path

from extract_helpers import figures, find

from indicators.extract.periods import RefDate, find_periods
from indicators.extract.quantities import find_quantities

ROOT = Path(__file__).resolve().parents[1]


def test_a_compared_bare_number_counts_in_the_unit_before_it():
    found = figures("In June, 118 vessels called at Aktau, compared with 131 in June 2024.",
                    "2025-07-15")
    assert find(found, 131, "vessels").period == "2024-06"
    assert find(found, 118, "vessels").period == "2025-06"


def test_a_compared_price_is_per_unit_too():
    found = figures("The average transit tariff rose to $41.5 per tonne from $38.9 a year ago.",
                    "2025-10-22")
    assert find(found, 38.9, "USD/t").period == "2024-10"


def test_a_multiple_is_not_dated_with_the_period_it_is_compared_with():
    found = figures("In March, 22 container trains were dispatched, twice as many as in March "
                    "2024.", "2025-05-06")
    assert find(found, 2, "x").period == "2025-03"


def test_a_year_after_from_is_the_compared_one():
    found = figures("In 2024, the average clearance time was cut to less than two hours, from "
                    "about six hours in 2022.", "2025-01-14")
    assert find(found, 2, "hours").period == "2024"
    share = figures("Transit cargo accounted for 57% of the total, up 3 percentage points from "
                    "2023.", "2025-02-11")
    assert find(share, 57, "%").period == "2024"


def test_more_than_tripled_between_two_years_is_not_a_comparison():
    [f] = figures("Cargo volumes more than tripled between 2021 and 2023, the study said.",
                  "2024-01-30")
    assert f.period == "2021/2023"


def test_a_figure_after_including_is_not_the_comparison_value():
    found = figures("In 2024, volumes reached 4.5 million tonnes, 62% higher than in 2023, "
                    "including 56 500 TEU of containers.", "2025-03-01")
    assert find(found, 56_500, "TEU").period == "2024"


def test_up_from_a_month_is_a_comparison_but_cut_from_a_month_starts_then():
    found = figures("In February, 5,120 TEU were transported, up 8.7% from January.", "2025-03-10")
    assert find(found, 8.7, "%").period == "2025-02"
    [cut] = figures("The consortium agreed to cut the tariff by 15% from September.", "2025-05-20")
    assert cut.period == "2025-09"


def test_a_share_after_from_is_the_compared_value():
    found = figures("The share of containerized cargo rose to 27% from 19% a year earlier.",
                    "2024-12-03")
    assert find(found, 19, "%").period == "2023-12"


def test_a_comparison_far_before_the_year_is_still_a_comparison():
    found = figures("In 2023, ships had to anchor for 3-5 days, compared with an average of 18 "
                    "hours in 2021.", "2023-11-27")
    assert find(found, 3, "days").period == "2023"
    assert find(found, 18, "hours").period == "2021"


def test_from_the_current_average_is_a_starting_value_of_now():
    found = figures("Travel times could be cut from the current average of 50 days to 23 days "
                    "by 2030.", "2023-11-27")
    start = find(found, 50, "days")
    assert (start.period, start.status) == ("2023-11", "reported")
    assert find(found, 23, "days").period == "2030"


def test_a_ranking_and_a_reversed_from_share_the_unit():
    found = figures("Trains from Xi'an accounted for 5,351 trips, followed by Chongqing with a "
                    "combined 5,200 and Yiwu with 2,400.", "2025-01-15")
    find(found, 2400, "trips")
    ferries = figures("The number of ferries increased to 7 from 5 last year, and each crossing "
                      "takes 12-14 hours.", "2025-09-16")
    assert find(ferries, 5, "vessels").period == "2024"
    find(ferries, 12, "hours")


def test_a_reported_rise_from_a_value_compares_with_the_year_before():
    found = figures("In 2024, the port handled 6.1 mln tonnes.\n"
                    "The number of vessels calling at the port increased to 1,830 from 1,612.",
                    "2025-01-28")
    assert find(found, 1612, "vessels").period == "2023"
    assert find(found, 1830, "vessels").period == "2024"


def test_a_planned_price_after_a_compared_year_is_for_the_year_after():
    found = figures("The rate will be set at $2,450, down from $2,900 in 2025.", "2025-12-03")
    assert find(found, 2450, "USD").period == "2026"
    assert find(found, 2900, "USD").period == "2025"


def test_shares_from_one_level_to_another_are_levels():
    low, high = find_quantities("The share of containers rose from 5% to 12%.", [])
    assert (low.value, low.role, high.value, high.role) == (5, "baseline", 12, "share")


def test_a_bare_number_with_more_than_is_a_change_in_the_unit_before_it():
    found = figures("KTZ dispatched 1,200 container trains, 300 more than a year earlier.",
                    "2024-11-12")
    change = find(found, 300, "trains")
    assert change.role == "change"


def test_compared_to_a_value_a_year_earlier_is_the_baseline():
    found = figures("Exports of grain via Aktau reached 1.1 mln tonnes, compared to 0.9 mln "
                    "tonnes a year earlier.", "2025-03-10")
    assert find(found, 1.1e6, "t").role == "level"
    baseline = find(found, 0.9e6, "t")
    assert (baseline.role, baseline.period) == ("baseline", "2024-03")


def test_a_level_from_another_in_a_named_year_is_the_baseline():
    found = figures("The port's throughput rose 11.3% to 6.1 million tonnes in 2023 from 5.5 "
                    "million tonnes in 2022.", "2024-03-01")
    assert find(found, 6.1e6, "t").period == "2023"
    baseline = find(found, 5.5e6, "t")
    assert (baseline.role, baseline.period) == ("baseline", "2022")


def test_at_the_same_time_is_not_a_comparison_period():
    assert find_periods("At the same time, traffic grew.", RefDate.parse("2024-11-12")) == []


def test_a_year_compared_with_long_ago_does_not_date_the_figure():
    found = figures("Traffic is 40% higher than in 2019.", "2024-11-12")
    assert found[0].period == "2024-11"


def test_the_year_after_a_compared_year_is_carried_to_the_next_sentence():
    found = figures("The routes transported 32 million tons of cargo (+13.1% compared to 2023).\n"
                    "Container transit rose by 8.8%, totaling 1.4 million TEUs.")
    assert find(found, 1.4e6, "TEU").period == "2024"


def test_a_level_reached_after_comparison_wording_is_not_the_value_compared_with():
    # `comparisons.CLAUSE_GOES_ON`: "... against last year's rates to hit 4.2 million tons"
    found = figures("Rail freight through the Altynkol-Khorgos border crossing rose by 8% "
                    "against last year's rates to hit 4.2 million tons.", "2024-05-22")
    level = find(found, 4.2e6, "t")
    assert level.role == "level" and level.status == "reported"
