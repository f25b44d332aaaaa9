"""Units and what a figure counts: the unit after (or before) a number, counted nouns,
rates and prices, ranges and the sign of a change.

Every sentence here is synthetic (written for the test), except where a comment names
the development half of the shared corridor data."""

from pathlib import Path

import pytest
from extract_helpers import figures, find, units

from indicators.extract.quantities import find_quantities

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("reached 68 400 trucks, up 27%", [(68_400, "trucks"), (27, "%")]),
     ("Two container feeder vessels sailed", [(2, "vessels")]),
     ("around 50 container-capable vessels", [(50, "vessels")]),
     ("484 container block trains", [(484, "trains")]),
     ("16,000 freight train trips", [(16_000, "trips")]),
     ("30.1 million passengers", [(30.1e6, "passengers")]),
     ("1,200 flatcars", [(1200, "railcars")]),
     ("$41.5 per tonne", [(41.5, "USD/t")]),
     ("$2,600 per TEU", [(2600, "USD/TEU")]),
     ("5,000 tenge per wagon", [(5000, "KZT/railcar")]),
     ("$3 per ton-km", [(3, "USD/tkm")]),
     ("$1 billion a year", [(1e9, "USD/yr")]),
     ("10 million tons of annual traffic", [(1e7, "t/yr")]),
     ("a 12-to-14-hour crossing", [(12, "hours"), (14, "hours")])],
)
def test_quantities_with_modifiers_and_prices(text, expected):
    assert units(text) == [(pytest.approx(v), u) for v, u in expected]


def test_the_rate_after_a_pair_is_the_first_figures_too():
    found = figures("The port is planned to have a capacity of 600,000 TEU and 8 million tonnes "
                    "a year.", "2025-10-21")
    find(found, 600_000, "TEU/yr")
    find(found, 8e6, "t/yr")


def test_shortening_by_is_a_negative_change():
    found = figures("It would shorten the rail route from China to Uzbekistan by around 900 km "
                    "and cut delivery times by 7-8 days.", "2025-09-02")
    find(found, -900, "km")
    find(found, -7, "days")
    find(found, -8, "days")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Through tariffs are quoted at around $1,900-2,300 per TEU.", 2300, "USD/TEU"),
    ("The number of trains crossing the border averaged 24 per day.", 24, "trains/day"),
    ("In December, container volumes hit a monthly record of 15,300 TEU.", 15_300, "TEU"),
    ("A pilot cut border dwell time by an average of 6 hours per train.", -6, "hours"),
    ("Digital solutions could reduce the transit time by up to 30%.", -30, "%"),
])
def test_quantities_of_corridor_news(text, value, unit):
    find(figures(text, "2025-02-19"), value, unit)


def test_trips_of_trains_are_trips_and_c5_plus_1_is_a_name():
    # As both real labelled sets count them ("completed 7,349 trips", "19,000 train trips").
    find(figures("Trains on the route accounted for 512 trips.", "2025-07-16"), 512, "trips")
    find(figures("Ferries made 38 voyages.", "2025-07-16"), 38, "trips")
    assert figures("The topic featured in the C5+1 talks in September.", "2025-07-16") == []


def test_nouns_and_breakdowns():
    find(figures("At least 10 more ferries will be needed.", "2025-01-01"), 10, "vessels")
    find(figures("KTZ added 1,500 fitting platforms and 500 gondola cars.", "2025-01-01"),
         500, "railcars")
    found = figures("Uzbekistan Railways transports around 70 million tons of cargo annually, "
                    "of which transit accounts for about 8 million tons.", "2025-06-11")
    find(found, 8e6, "t/yr")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Productivity reached 28 containers per hour.", 28, "containers/hour"),
    ("The rate is about 15% cheaper than the sea route.", -15, "%"),
    ("Containers move from 1,435 mm to 1,520 mm gauge wagons.", 1520, "mm"),
    ("The terminal has four ship-to-shore cranes.", 4, "cranes"),
    ("Kazakhstan and China operate seven border crossing points.", 7, "crossing points"),
    ("It will have a 400-metre berth with a depth of 16 m.", 400, "m"),
    ("It will have a 400-metre berth with a depth of 16 m.", 16, "m"),
    ("The ferry sails at a speed of 14 knots.", 14, "knots"),
    ("Passenger turnover stood at 10.8 billion passenger-km.", 10.8e9, "pkm"),
    ("The centre can handle up to 1,100 trucks and 400 wagons a day.", 1100, "trucks/day"),
    ("Speeds doubled, cutting transit time on the route by 1.5 days.", -1.5, "days"),
    ("The number of registered trucks rose by 9% to 48,300 units.", 48_300, "trucks"),
    ("Turkmenbashi port revenue amounted to 212 million manats.", 212e6, "TMT"),
])
def test_less_common_quantities(text, value, unit):
    find(figures(text, "2025-10-14"), value, unit)


def test_accounting_for_a_share_is_not_a_change():
    found = figures("The association attributes the drop to lower shipments of oil and grain, "
                    "which together account for roughly 35 per cent of the traffic.", "2025-11-04")
    assert find(found, 35, "%").role == "share"


def test_bullet_labels_and_fleets_name_the_counted_thing():
    found = figures("— vessels handled: 812 (vs 745 a year earlier);", "2025-08-05")
    assert find(found, 745, "vessels").period == "2024-08"
    find(figures("Ferry calls at both ports: 414 (vs 388 in 2023);", "2024-02-01"), 414, "vessels")
    find(figures("KTZ's freight wagon fleet stood at 136,800 units.", "2025-10-07"), 136_800,
         "railcars")


def test_a_list_of_changes_shares_the_sign_of_its_first():
    found = figures("Import, export and domestic freight fell by 11%, 6% and 15%, respectively.",
                    "2025-06-24")
    assert sorted(f.value for f in found) == [-15, -11, -6]
    shares = figures("The shares were 41%, 30% and 29%.", "2025-06-24")
    assert sorted(f.value for f in shares) == [29, 30, 41]


def test_a_money_range_with_one_scale_word():
    found = figures("Expected transit revenue: $100-200 million a year.", "2025-06-24")
    find(found, 100e6, "USD/yr")
    find(found, 200e6, "USD/yr")


def test_wording_of_dense_sentences():
    found = figures("Kazakhstan wants to more than double volumes to 10-11 million tonnes by "
                    "2027.", "2025-03-05")
    assert find(found, 2, "x").period == "2027"
    assert find(found, 10e6, "t").period == "2027"
    [fall] = figures("Rail freight via Russia fell by about a quarter in 2023.", "2025-03-05")
    assert (fall.value, fall.unit, fall.period) == (-25, "%", "2023")
    ships = figures("More than 60% of the roughly 120 cargo vessels were built before 1995.",
                    "2025-03-05")
    assert find(ships, 120, "vessels").period == "2025-03"
    find(figures("ASCO plans to order 2 container feeders.", "2025-03-05"), 2, "vessels")


def test_exchange_rate_notes_and_staff_counts_are_not_figures():
    assert figures("($1 = 498.5 tenge)", "2025-03-04") == []
    assert figures("The port employs 1,250 people.", "2025-03-04") == []


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
def test_wordings_of_quantities(text, value, unit):
    assert units(text) == [(pytest.approx(value), unit)]


def test_countable_things_outside_the_noun_list_are_counted_under_their_noun():
    # as both real sets label them ("2 warehouses"); millions of them are `units`
    [platforms] = find_quantities("2,000 new platforms were bought", [])
    assert (platforms.value, platforms.unit, platforms.qualifier) == (2000, "platforms",
                                                                      "new platforms")
    [sleepers] = find_quantities("1.6 million reinforced concrete sleepers were purchased", [])
    assert (sleepers.value, sleepers.unit) == (1.6e6, "units")


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
def test_words_for_the_direction_of_a_change(wording, value):
    [q] = find_quantities(f"Imports {wording} 4.5% year on year.", [])
    assert (q.value, q.role) == (value, "change")


def test_both_ends_of_a_range_of_changes_keep_the_sign():
    found = figures("Shipping via the Caspian grew by 60-70% last year.", "2024-11-12")
    assert [(f.value, f.period) for f in found] == [(60, "2023"), (70, "2023")]


def test_a_capacity_and_its_plan_share_the_rate_in_the_same_unit():
    found = figures("The port's design capacity is 540,000 TEU a year, which management plans to "
                    "raise to 1 million TEU by 2030.", "2025-03-05")
    current, planned = find(found, 540_000, "TEU/yr"), find(found, 1e6, "TEU/yr")
    assert (current.status, current.period) == ("capacity", "2025-03")
    assert (planned.status, planned.period) == ("target", "2030")


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


@pytest.mark.parametrize("text", ["Over 60 delegates took part in the forum.",
                                  "The two sides signed three agreements.",
                                  "Rail freight between the two countries grew.",
                                  "It is among the top 10 countries by freight turnover.",
                                  "Article 5 says nothing of it."])
def test_people_papers_parties_and_rankings_are_not_figures(text):
    assert find_quantities(text, []) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The corridor connects 11 countries.", [(11, "countries")]),
     ("The network reaches 229 cities in 26 European countries",
      [(229, "cities"), (26, "countries")]),
     ("The association includes 20 companies from eight countries.",
      [(20, "companies"), (8, "countries")])],
)
def test_the_places_and_members_a_network_counts_name_their_noun(text, expected):
    # As the second real labelled set counts them (its convention; docs/extraction.md).
    assert units(text) == [(pytest.approx(v), u) for v, u in expected]


def test_a_thousands_comma_followed_by_a_space_inside_brackets():
    assert units("China (6, 129 TEU), Kazakhstan (7, 708 TEU) and BTK (11,112 TEU)") == [
        (6129, "TEU"), (7708, "TEU"), (11112, "TEU")]
    assert units("In 2023, 129 trains ran; in 2024, 150.")[0] == (129, "trains")


def test_cars_are_railcars_by_a_train_and_vehicles_on_a_ship():
    assert units("A container train of 45 to 50 cars is reloaded in 55 minutes.")[-3:] == [
        (45, "railcars"), (50, "railcars"), (55, "minutes")]
    assert units("The ships delivered over 15 thousand cars.") == [(15_000, "vehicles")]


def test_a_train_number_and_containers_of_teu():
    assert units("No. 75052 China-Europe freight train departed from Jiaozhou") == []
    assert units("storage of more than 18 thousand containers of TEU") == [(18_000, "TEU")]


def test_a_parallel_clause_an_equivalent_flow_and_a_rate_after_an_aside():
    assert units("In 2027, there will be 1,000 container trains, and in 2029, there will be "
                 "2,000.") == [(1000, "trains"), (2000, "trains")]
    assert units("We process 10-12 trains per day, which is 500 containers.") == [
        (10, "trains/day"), (12, "trains/day"), (500, "containers/day")]
    assert units("increasing volume to 300,000 TEU (twenty-foot equivalent units) per year") \
        == [(300_000, "TEU/yr")]
    assert units("one container train of 45 cars") == [(45, "railcars")]
    assert units("two Ro-Pax ferries and one tanker") == [(2, "vessels"), (1, "vessels")]


def test_a_gerund_compound_counts_its_own_head_and_a_coordinated_target_its_unit():
    assert units("Fourteen China-Europe freight train gathering centers were set up") == []
    assert units("12 train departures") == [(12, "trains")]
    assert units("to be increased to around one million by the yearend and up to 1,660 "
                 "thousand TEU by 2025") == [(1e6, "TEU"), (1.66e6, "TEU")]
    assert units("They will jointly cover half of this amount, $2.3 billion.") == [
        (50, "%"), (2.3e9, "USD")]


def test_a_rate_word_closing_the_clause_and_a_restated_daily_count():
    assert units("On average, 24 trains passed through the port daily, with clearance taking "
                 "six hours.") == [(24, "trains/day"), (6, "hours")]
    assert units("12.3 thousand trucks crossed in March, or more than 400 a day.") == [
        (12_300, "trucks"), (400, "trucks/day")]
    assert units("The port handled 5 million tons in 2024, a record.") == [(5e6, "t")]


def test_cars_beside_railcars_are_automobiles():
    assert units("The ferry can carry 56 railcars and 30 cars.") == [
        (56, "railcars"), (30, "vehicles")]


def test_amounts_that_are_not_things_are_not_counted():
    # `units.NOT_COUNTED`: "CO 2 emissions" is no count of 2 emissions
    assert units("the project will help reduce annual CO 2 emissions by 16,000 tonnes") == [
        (-16_000, "t/yr")]  # a reduction


def test_days_that_frame_the_period_are_not_figures():
    # `quantities._frames_a_period`
    assert units("During the 24 days of January turnover at Dostyk was 1,185,306 tons.") == [
        (1_185_306, "t")]
    assert units("Delivery takes 12 days in winter.") == [(12, "days")]


@pytest.mark.parametrize("sentence", [
    "The two-day conference is organized by the transport agency.",   # an event's length
    "The vessel will sail three times a month, that is every 10 days.",  # a frequency
    "Its authorized capital is 16 thousand manats.",                   # a company's capital
    "The port is one of the 20 largest ports in the world.",          # a ranking
])
def test_numbers_that_are_not_figures_are_dropped(sentence):
    # `quantities._not_a_figure`, `units.SUPERLATIVE` (eighth round, on unseen articles).
    assert figures(sentence, "2024-05-01") == []


def test_durations_and_counts_beside_those_cases_are_kept():
    assert find(figures("The conference lasted two days.", "2024-05-01"), 2, "days")
    assert find(figures("The train covered the route in 10 days.", "2024-05-01"), 10, "days")
    assert find(figures("The company invested 16 million manats in the port.", "2024-05-01"),
                16e6, "AZN")
