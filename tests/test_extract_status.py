"""Status: reported, forecast, target or capacity from the wording around a figure.

Every sentence here is synthetic (written for the test), except where a comment names
the development half of the shared corridor data."""

from pathlib import Path

import pytest
from extract_helpers import figures, find

from indicators.extract.status import guess_status

ROOT = Path(__file__).resolve().parents[1]


def test_capacity_wording_far_after_a_figure_is_not_its_status():
    found = figures("They handled about 8 million tonnes in 2024 against a combined capacity of "
                    "more than 20 million tonnes.", "2025-01-10")
    assert find(found, 8e6, "t").status == "reported"
    assert find(found, 20e6, "t").status == "capacity"


def test_a_plan_after_a_relative_clause_is_not_the_capacity_before_it():
    found = figures("Azerbaijan's Port of Baku, whose annual capacity stands at 15 million tonnes "
                    "of cargo and 100,000 TEU, plans to expand container handling to 500,000 "
                    "TEU a year.", "2025-06-18")
    assert find(found, 15e6, "t/yr").status == "capacity"
    assert find(found, 100_000, "TEU/yr").status == "capacity"
    assert find(found, 500_000, "TEU/yr").status == "target"


@pytest.mark.parametrize("text", [
    "Middle Corridor volumes could triple by 2030 to 11 Mt.",
    "The report estimates that traffic will reach about 18.5 million tons.",
])
def test_could_and_estimates_that_are_forecasts(text):
    assert {f.status for f in figures(text, "2025-04-03")} == {"forecast"}


def test_a_deadline_in_another_clause_does_not_make_a_figure_a_target():
    found = figures("The transit time has been reduced to 12 days, and ADY aims to bring it down "
                    "to 10 days by the end of the year.", "2025-08-07")
    assert find(found, 12, "days").status == "reported"
    assert find(found, 10, "days").status == "target"


def test_pledging_to_buy_is_a_target_but_a_pledge_made_is_reported():
    assert {f.status for f in figures("The government has pledged to buy four new ferries by "
                                      "2027.", "2025-01-01")} == {"target"}
    assert {f.status for f in figures("The EU pledged €10 billion.", "2025-01-01")} == {
        "reported"}


def test_status_wording_after_and_belongs_to_the_next_figure():
    found = figures("Georgian Railway handled 3,550 containers in 2024 and aims to increase the "
                    "figure fourfold this year.", "2025-03-01")
    assert find(found, 3550, "containers").status == "reported"
    assert find(found, 4, "x").status == "target"


@pytest.mark.parametrize(("text", "status"), [
    ("Traffic is estimated at 4.7 million tons.", "forecast"),
    # a sum of money is reported as stated, as both labelled real sets have it
    ("Its cost is estimated at $4.7 billion.", "reported"),
    ("China will invest $1.187 billion.", "reported"),
    ("Kazakhstan aims to invest 40 billion euros.", "target"),
    ("The director said 50 tunnels and over 90 bridges will be built.", "target"),
])
def test_status_wording(text, status):
    assert {f.status for f in figures(text, "2025-04-08")} == {status}


@pytest.mark.parametrize(("text", "status"), [
    ("The sides agreed to put 4 additional ferries into operation.", "target"),
    ("The number should rise to 20 vessels by the end of 2026.", "forecast"),
])
def test_agreed_to_and_should(text, status):
    assert {f.status for f in figures(text, "2025-03-03")} == {status}


def test_capacity_wording_behind_a_comma_is_not_the_figures():
    found = figures("The port, commissioned in 2018 at a cost of $1.5 billion, has a capacity of "
                    "17 million tonnes per year.", "2025-10-14")
    cost = find(found, 1.5e9, "USD")
    assert (cost.status, cost.period) == ("reported", "2018")


def test_slated_for_completion_is_a_target_and_not_the_articles_date():
    found = figures("In 2024, cargo reached 4.5 Mt.\n"
                    "The port is now slated for completion in 2029.\n"
                    "The ports have a combined capacity of 40 million tons per year.",
                    title="The Middle Corridor in 2024")
    assert find(found, 40e6, "t/yr").period == "2025"


@pytest.mark.parametrize(
    ("clause", "status"),
    [("the port handled 8 million tons", "reported"),
     ("the port expects to handle 8 million tons", "forecast"),
     ("the government plans to raise traffic to 10 million tons", "target"),
     ("the hub will handle up to 300,000 TEU", "target"),
     ("its carrying capacity is 6 million tons a year", "capacity"),
     ("capacity is projected to grow to 10 million tons", "target")],
)
def test_status_follows_the_wording(clause, status):
    assert guess_status(clause) == status


def test_a_future_period_makes_a_plain_figure_a_target():
    assert guess_status("traffic of 10 million tons", future_period=True) == "target"


def test_capacity_ahead_by_estimate_is_a_forecast_but_by_plan_a_target():
    estimated = figures("According to estimates, it will expand the corridor capacity by 8 to "
                        "10 million tons per year.", "2024-02-27")
    assert {f.status for f in estimated} == {"forecast"}
    planned = figures("The ministry plans to raise the port's capacity to 25 million tons per "
                      "year by 2030.", "2024-02-27")
    assert find(planned, 25e6, "t/yr").status == "target"


def test_the_capacity_of_something_being_built_is_a_target():
    found = figures("Georgia continues to build a new port with a design capacity of more than "
                    "1 million containers per year.", "2026-01-12")
    assert find(found, 1e6, "containers/yr").status == "target"
    built = figures("The port has a design capacity of 1 million containers per year.",
                    "2026-01-12")
    assert find(built, 1e6, "containers/yr").status == "capacity"


def test_lifting_storage_and_power_ratings_are_capacities():
    assert find(figures("Each crane can lift cargo weighing up to 41 tons.", "2021-08-01"),
                41, "t").status == "capacity"
    assert find(figures("The minister opened the 2 MW hydropower station.", "2024-06-24"),
                2, "MW").status == "capacity"


def test_a_duration_ahead_alone_is_a_forecast_of_the_time_of_writing():
    found = figures("The railway will be built within five years, the minister said.",
                    "2024-09-26")
    assert [(f.value, f.unit, f.period, f.status) for f in found] == [
        (5, "years", "2024-09", "forecast")]
    # Beside another figure, the span is that figure's period, not a figure.
    framed = figures("The aim is to reach three million tons within the next five years.",
                     "2024-09-26")
    assert [(f.value, f.unit) for f in framed] == [(3e6, "t")]
    assert figures("Volumes grew in the past five years.", "2024-09-26") == []


def test_shares_of_a_sum_are_stated_as_the_sum_is():
    found = figures("China will contribute 51%, while Kyrgyzstan and Uzbekistan will each cover "
                    "24.5%.", "2024-06-24")
    assert {(f.value, f.status) for f in found} == {(51, "reported"), (24.5, "reported")}
    assert find(figures("The port will handle 40% more cargo.", "2024-06-24"), 40, "%").status \
        == "target"


def test_a_clause_with_no_verb_borrows_the_status_of_the_one_before():
    # `core.FINITE_VERB`: "and 1.7 million tons - oil" has no verb of its own; it shares "will".
    found = figures("Of this volume, 2.5 million tons will be dry cargo, and 1.7 million tons - "
                    "oil.", "2025-03-01")
    assert find(found, 1.7e6, "t").status == "target"
    journey = figures("The journey is expected to take 8-11 days, reaching Baku, with a total "
                      "travel time of approximately 25 days.", "2024-09-21")
    assert find(journey, 25, "days").status == "forecast"
    # a clause with a verb keeps its own: "which bought a 49% stake in 2017" is reported
    stake = figures("DP World, which bought a 49% stake in 2017, plans to lift capacity to 1 "
                    "million TEU.", "2025-03-01")
    assert find(stake, 49, "%").status == "reported"
