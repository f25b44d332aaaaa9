"""extract_figures on real sentences: each phrase family gives value, unit, period and status.

Sentences in quotes are single figure-stating sentences of the shared corridor data (its
development half, or the seed page); the ones marked synthetic are written for the test.
"""

import extract_helpers
import pytest
from extract_helpers import find

from indicators.extract import FIGURE_COLUMNS, extract_figures

CATALOGUE = [
    {"id": "container_trains", "name": "Container trains", "unit": "trains",
     "category": "volume", "description": "Container (block) trains run along a route."},
    {"id": "container_trains_yoy", "name": "Container trains: growth", "unit": "%",
     "category": "growth", "description": "Percentage change of container_trains."},
    {"id": "cargo_tonnage", "name": "Cargo carried", "unit": "t", "category": "volume",
     "description": "Tonnes of freight carried along a route or corridor."},
    {"id": "cargo_tonnage_yoy", "name": "Cargo carried: growth", "unit": "%",
     "category": "growth", "description": "Percentage change of cargo_tonnage."},
    {"id": "cargo_tonnage_multiple", "name": "Cargo carried: growth multiple", "unit": "x",
     "category": "growth", "description": "Ratio of cargo_tonnage to the comparison period."},
    {"id": "port_cargo_throughput", "name": "Port cargo throughput", "unit": "t",
     "category": "port", "description": "Tonnes of cargo handled at a port."},
    {"id": "port_container_throughput", "name": "Port container throughput", "unit": "TEU",
     "category": "port", "description": "TEU handled at a seaport or dry port."},
    {"id": "transit_time", "name": "Transit time", "unit": "days", "category": "time",
     "description": "Delivery time of a train along a route."},
    {"id": "investment", "name": "Investment", "unit": "USD", "category": "investment",
     "description": "Investment or project cost in US dollars."},
]


def figures(sentence, published=None, **kwargs):
    return extract_helpers.figures(sentence, published, catalogue=CATALOGUE, **kwargs)


def check(f, period, status):
    assert (f.period, f.status) == (period, status), f.note


SEED = ("In the first quarter of 2026, 125 container trains transited Kazakhstan via the Middle "
        "Corridor, a 34.4% increase from the same period in 2025.")
SEED_FREIGHT = ("The Times of Central Asia also reported that freight volumes along the route "
                "through Kazakhstan have grown more than fivefold over seven years, from 0.8 "
                "million tons to 4.5 million tons annually.")


def test_count_of_container_trains_and_its_growth_take_the_quarter():
    found = figures(SEED, "2026-06-03")
    check(find(found, 125, "trains"), "2026-Q1", "reported")
    check(find(found, 34.4, "%"), "2026-Q1", "reported")
    assert len(found) == 2  # "2026" and "2025" are periods, not figures


def test_container_trains_via_the_titr_in_kazakhstan_are_guessed_as_container_trains():
    trains, growth = figures(SEED, "2026-06-03")
    assert (trains.indicator, trains.geo) == ("container_trains", "TITR via Kazakhstan (rail)")
    assert growth.indicator == "container_trains_yoy"


def test_count_written_in_words():
    # synthetic
    found = figures("One hundred and twenty-five container trains crossed Kazakhstan in the "
                    "first quarter of 2026.", "2026-06-03")
    check(find(found, 125, "trains"), "2026-Q1", "reported")


def test_decimal_comma_in_millions_of_tonnes():
    found = figures("Since the double tracks were taken into full use, 12,6 million tonnes of "
                    "freight have passed on the line.", "2025-06-10")
    f = find(found, 12.6e6, "t")
    check(f, "2025-06", "reported")
    assert "time of writing" in f.note and f.confidence < 0.5


def test_thousands_of_tons_and_the_compared_period_of_the_baseline():
    found = figures("Based on the port's performance for the first 7 months of 2025, the total "
                    "cargo handling amounted to 3,144 thousand tons, which is 14 percent more "
                    "than the figure for the same period in 2024 /2,756 thousand tons/,\" he "
                    "said.", "2025-08-19")
    check(find(found, 3_144_000, "t"), "2025-01/2025-07", "reported")
    check(find(found, 14, "%"), "2025-01/2025-07", "reported")
    check(find(found, 2_756_000, "t"), "2024-01/2024-07", "reported")


def test_thousand_teu_and_teu_with_thousands_separator():
    # synthetic
    found = figures("Container traffic through Dostyk reached 433.2 thousand TEU in 2023, while "
                    "the Middle Corridor carried 56,500 TEU in January–November 2024.",
                    "2024-12-20")
    check(find(found, 433_200, "TEU"), "2023", "reported")
    check(find(found, 56_500, "TEU"), "2024-01/2024-11", "reported")


def test_half_year_teu():
    found = figures("In the first half year of 2025, a total of 40,200 TEU passed along the "
                    "Transcaspian route, according to the Middle Corridor association TITR.")
    check(find(found, 40_200, "TEU"), "2025-H1", "reported")


def test_rose_by_percent_to_a_level_against_a_value_of_the_year_before():
    found = figures("In 2024, it rose by 62% to reach 4.5 million tons against 2.8 million tons "
                    "recorded in 2023, transport policy department director of the Kazakh "
                    "Transport Ministry Dinmukhammed Sembayev said.")
    check(find(found, 62, "%"), "2024", "reported")
    check(find(found, 4.5e6, "t"), "2024", "reported")
    check(find(found, 2.8e6, "t"), "2023", "reported")


def test_up_percent_is_a_positive_change():
    # synthetic
    found = figures("Cargo handled at Aktau was up 62% in the first seven months of 2024.",
                    "2024-08-15")
    check(find(found, 62, "%"), "2024-01/2024-07", "reported")


@pytest.mark.parametrize("wording", ["down 5%", "decreased by 5%", "a 5% decline"])
def test_declines_are_negative(wording):
    # synthetic
    found = figures(f"Transit through Kuryk port was {wording} in 2024.", "2025-02-01")
    check(find(found, -5, "%"), "2024", "reported")


def test_drop_by_percent_year_on_year_in_a_half_year():
    found = figures("Rail container traffic between China and Europe dropped by 22% "
                    "year-on-year in H1 2025.")
    check(find(found, -22, "%"), "2025-H1", "reported")


def test_multiple_in_times_with_a_level_and_a_period_from_the_publication_date():
    found = figures("At the same time, container transportation along the so-called Middle "
                    "Corridor grew 2.6 times, reaching 50,500 TEUs.", "2024-12-17")
    check(find(found, 2.6, "x"), "2024-12", "reported")
    check(find(found, 50_500, "TEU"), "2024-12", "reported")


def test_fivefold_over_seven_years_from_one_level_to_another():
    found = figures(SEED_FREIGHT, "2026-06-03")
    multiple = find(found, 5, "x")
    check(multiple, "2019/2026", "reported")
    assert multiple.confidence < 0.6 and "over seven years" in multiple.note
    check(find(found, 0.8e6, "t/yr"), "2019", "reported")
    check(find(found, 4.5e6, "t/yr"), "2026", "reported")
    assert not [f for f in found if f.derivation]  # the change is stated: fivefold


def test_doubling_is_a_multiple_of_two():
    found = figures("The cargo turnover of sea and coastal transport also rose, doubling to 966 "
                    "million ton-kilometers during January-July, the highest since 2020.",
                    "2024-08")
    check(find(found, 2, "x"), "2024-01/2024-07", "reported")
    check(find(found, 966e6, "tkm"), "2024-01/2024-07", "reported")


def test_from_one_level_to_another_without_a_stated_change_gets_a_derived_change():
    found = figures("As a result, average container handling time was reduced from five hours "
                    "to just one hour, improving turnaround efficiency.", "2026-02-06")
    check(find(found, 5, "hours"), "2026-02", "reported")
    check(find(found, 1, "hours"), "2026-02", "reported")
    derived = find(found, -80, "%")
    assert derived.derivation and derived.confidence <= 0.3


def test_a_range_gives_a_low_and_a_high_row():
    found = figures("The route train running along this corridor delivers cargo from China to "
                    "Europe in an estimated 20-25 days on average, and that is one of the main "
                    "advantages of the transport corridor.", "2024-01-15")
    low, high = find(found, 20, "days"), find(found, 25, "days")
    check(low, "2024-01", "reported")
    check(high, "2024-01", "reported")
    assert low.geo.endswith("range low") and high.geo.endswith("range high")
    assert low.indicator == high.indicator == "transit_time"


def test_synthetic_range_of_days_with_a_hyphen():
    # synthetic
    found = figures("Trains now reach Europe in 8-10 days, the ministry said in 2025.")
    assert {(f.value, f.unit) for f in found} == {(8, "days"), (10, "days")}


def test_money_in_tenge_with_its_dollar_equivalent():
    found = figures("Scheduled for completion in 2025, it carries an estimated cost of 20.7 "
                    "billion tenge (about $38 million).")
    check(find(found, 20.7e9, "KZT"), "2025", "reported")
    check(find(found, 38e6, "USD"), "2025", "reported")


def test_money_in_dollars_and_euros():
    # synthetic
    found = figures("The bank approved a $846 million loan in 2024 and the EU pledged €10 "
                    "billion.", "2024-03-01")
    check(find(found, 846e6, "USD"), "2024", "reported")
    check(find(found, 10e9, "EUR"), "2024", "reported")


def test_last_year_and_this_year_resolve_from_the_publication_date():
    found = figures("Last year, container throughput was around 76,000 TEU, and this year we "
                    "anticipate surpassing 100,000 TEU, reaching approximately 104,000-105,000 "
                    "TEU.", "2025-12-18")
    check(find(found, 76_000, "TEU"), "2024", "reported")
    check(find(found, 104_000, "TEU"), "2025", "forecast")
    check(find(found, 105_000, "TEU"), "2025", "forecast")


def test_by_a_future_year_is_a_target():
    found = figures("Its carrying capacity is projected to grow up to 10 million tons a year by "
                    "2027.", "2025-05-01")
    check(find(found, 10e6, "t/yr"), "2027", "target")


def test_will_with_a_deadline_is_a_target():
    found = figures("By 2025, a new container hub in the Aktau seaport will handle up to 300,000 "
                    "twenty-foot equivalent units (TEU).", "2024-08")
    f = find(found, 300_000, "TEU")
    check(f, "2025", "target")
    assert f.geo == "Aktau port, KZ"


def test_capacity_wording_gives_capacity():
    found = figures("As of today, its carrying capacity is 6 million tons a year.", "2025-05-20")
    check(find(found, 6e6, "t/yr"), "2025-05", "capacity")


def test_expected_by_the_end_of_the_year_is_a_forecast():
    found = figures("Baku International Sea Trade Port is set to achieve a total cargo handling "
                    "volume of 8 million tons by the end of the year, the port’s director, "
                    "Eldar Salahov, told reporters, Trend reports.", "2025-12-18")
    f = find(found, 8e6, "t")
    check(f, "2025", "forecast")
    assert f.geo == "Baku port (Alat), AZ"


def test_capacity_growing_from_a_level_to_a_target():
    found = figures("Once completed, the hub will increase the port’s container handling "
                    "capacity from 140,000 twenty-foot equivalent units (TEU) to 240,000 TEU.",
                    "2024-06-01")
    # The capacity now, a state: the publication month (`period.capacity_before_change`).
    check(find(found, 140_000, "TEU"), "2024-06", "capacity")
    check(find(found, 240_000, "TEU"), "2024", "target")


def test_years_and_calendar_days_are_skipped():
    found = figures("ASTANA – Cargo transportation by rail between Kazakhstan and China reached "
                    "a historic high of over 32 million tons by the end of 2024, the Railway and "
                    "Water Transport Committee of the Kazakh Transport Ministry reported on "
                    "Jan. 16.", "2025-01-20")
    assert [(f.value, f.unit, f.period, f.status) for f in found] == [
        (32e6, "t", "2024", "reported")]
    assert found[0].note == "stated as 'over …'"


def test_shares_are_kept_as_percentages_with_a_note():
    found = figures("The share of Kazakhstan's local content reached 85%.", "2025-09-30")
    f = find(found, 85, "%")
    check(f, "2025-09", "reported")
    assert "share" in f.note


def test_a_breakdown_after_including_takes_the_unit_of_its_total():
    found = figures("To date, 13 international transport corridors have been formed and are in "
                    "operation in Kazakhstan, including 5 railways and 8 roads.", "2024-04-10")
    assert [(f.value, f.unit, f.period) for f in found] == [
        (13, "corridors", "2024-04"), (5, "corridors", "2024-04"), (8, "corridors", "2024-04")]


def test_unknown_period_without_a_publication_date_is_left_empty_with_a_note():
    [f] = figures("Container transit to Europe rose by 43%.")
    assert (f.value, f.unit, f.period) == (43, "%", "")
    assert "no publication date" in f.note


def test_a_sentence_without_its_own_period_takes_the_one_of_the_sentence_before():
    text = ("Cargo turnover along the Trans-Caspian International Transport Route (Middle "
            "Corridor, or TITR) increased by 63 percent to 4.1 million tons in the first 11 "
            "months of this year, Trend reports via the government of Kazakhstan.\n"
            "At the same time, container transportation along the so-called Middle Corridor "
            "grew 2.6 times, reaching 50,500 TEUs.")
    found = figures(text, "2024-12-17")
    check(find(found, 4.1e6, "t"), "2024-01/2024-11", "reported")
    carried = find(found, 50_500, "TEU")
    check(carried, "2024-01/2024-11", "reported")
    assert "earlier sentence" in carried.note


def test_figures_frame_has_the_figures_csv_columns_confidence_and_rules():
    result = extract_figures(SEED, catalogue=CATALOGUE, url="https://timesca.com/?p=49879",
                             title="Kazakhstan’s Middle Power Moment", published="2026-06-03")
    frame = result.figures_frame()
    assert tuple(frame.columns) == FIGURE_COLUMNS
    assert FIGURE_COLUMNS[:10] == ("indicator", "geo", "period", "value", "unit", "source_url",
                                   "source_title", "published", "quote", "status")
    assert frame.loc[0, "quote"] == SEED
    assert frame.loc[0, "source_url"] == "https://timesca.com/?p=49879"
    assert frame["confidence"].between(0, 1).all()
    assert frame["rules"].str.contains("value=number.").all()
    assert frame.loc[0, "rules"] == ("value=number.digits; unit=unit.noun_trains; "
                                     "period=period.quarter_words; status=status.reported")


def test_an_empty_catalogue_leaves_the_indicator_blank():
    [trains, _] = extract_figures(SEED, catalogue=[], published="2026-06-03").figures
    assert trains.indicator == ""


def test_a_sentence_without_a_period_takes_the_past_period_of_the_headline():
    title = "Khorgos Gateway Boosts Transit Capacity, Handles Over 372,000 TEUs in 2025"
    [f] = figures("In 2025, the facility added ten new broad-gauge railway tracks.", "2026-02-06",
                  title=title)
    check(f, "2025", "reported")
    [f] = figures("The dry port handled 372,000 TEUs.", "2026-02-06", title=title)
    check(f, "2025", "reported")
    [f] = figures("The dry port handled 372,000 TEUs.", "2026-02-06",
                  title="Khorgos aims for 500,000 TEUs by 2030")
    check(f, "2026-02", "reported")
