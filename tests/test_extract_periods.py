"""Periods: the period phrases of a sentence, and how a figure is dated from its
sentence, its headline and the sentences before it.

Every sentence here is synthetic (written for the test), except where a comment names
the development half of the shared corridor data."""

from pathlib import Path

import pytest
from extract_helpers import figures, find

from indicators.extract import extract_figures
from indicators.extract.core import date_in_url
from indicators.extract.periods import RefDate, find_periods

ROOT = Path(__file__).resolve().parents[1]


def test_a_capacity_with_no_period_is_dated_with_the_publication_year():
    found = figures("Aktau handled 2.16 million tonnes in the first half of 2025.\n"
                    "The port's design capacity is 17.9 million tonnes per year.", "2025-07-15")
    assert find(found, 17.9e6, "t/yr").period == "2025-07"
    assert find(found, 2.16e6, "t").period == "2025-H1"


def test_an_opening_date_behind_a_comma_does_not_date_the_figure():
    found = figures("The port, opened in 2018, has a capacity of 17 million tons per year.",
                    "2025-09-03")
    assert find(found, 17e6, "t/yr").period == "2025-09"
    cost = figures("The port opened in 2018 at a cost of USD 1.5 billion.", "2025-09-03")
    assert find(cost, 1.5e9, "USD").period == "2018"


def test_a_look_back_does_not_become_the_articles_period():
    found = figures("Rail transit increased 1.4-fold in 2024, reaching 7.3 million tons.\n"
                    "In 2023, the figure stood at 5.2 million tons.\n"
                    "Exports via Turkmenbashi port totalled 640,000 tons, up 36%.",
                    title="Rail transit increases 1.4-fold in 2024")
    assert find(found, 5.2e6, "t").period == "2023"
    assert find(found, 640_000, "t").period == "2024"
    assert find(found, 36, "%").period == "2024"


def test_this_year_and_currently_are_not_narrowed_to_an_earlier_months_period():
    found = figures("ADY carried 1.84 million tons in January-October 2025.\n"
                    "The transit time has been reduced this year to 12-14 days.\n"
                    "Currently, a container takes 18-23 days.", "2025-11-12")
    assert find(found, 12, "days").period == "2025"
    assert find(found, 18, "days").period == "2025-11"


def test_now_is_the_year_of_writing_unless_a_period_is_named():
    found = figures("Block trains now take 11 days on average, down from 16-18 days in 2023.",
                    "2025-02-11")
    assert find(found, 11, "days").period == "2025-02"
    assert find(found, 16, "days").period == "2023"


def test_a_past_span_ends_at_the_year_the_sentence_names():
    found = figures("Intra-regional trade increased 2.1 times over the past decade, reaching $96 "
                    "billion in 2023.", "2024-09-20")
    assert find(found, 2.1, "x").period == "2013/2023"


@pytest.mark.parametrize(("text", "period"), [
    ("KTZ will raise tariffs by 10.2% from 1 June 2025.", "2025-06"),
    ("As of August 1, the fleet numbered about 23,000 wagons.", "2025-08"),
    ("The consortium agreed to cut the tariff by 15% from September.", "2025-09"),
])
def test_a_day_or_month_things_start_from_dates_the_figure(text, period):
    [f] = figures(text, "2025-05-20")
    assert f.period == period


def test_the_same_n_months_are_the_first_months_of_the_year():
    [change, level] = figures("Batumi reported a 7% fall in turnover to 2.6 million tonnes over "
                              "the same eight months.", "2024-10-01")
    assert change.period == level.period == "2024-01/2024-08"


def test_an_expectation_after_a_report_on_last_year_is_for_the_year_of_writing():
    found = figures("In 2024, the company carried 71 million tonnes.\n"
                    "The company also expects freight volumes to rise to 75 million tonnes.",
                    "2025-01-24")
    assert find(found, 71e6, "t").period == "2024"
    expected = find(found, 75e6, "t")
    assert (expected.period, expected.status) == ("2025", "forecast")


def test_details_of_one_reported_event_take_the_month_of_publication():
    text = ("The train travelled from the point of origin to the destination in 11 days.\n"
            "The route delivers cargo from China to Europe in 20-25 days on average.")
    found = figures(text, "2024-01-15", title="First container train from China arrives in Baku")
    assert find(found, 11, "days").period == "2024-01"
    assert find(found, 20, "days").period == "2024-01"  # a general state, not the event
    plain = figures(text, "2024-01-15", title="Rail freight grows along the corridor")
    assert find(plain, 11, "days").period == "2024-01"


def test_since_the_first_train_in_a_year_is_an_interval_to_the_year_of_writing():
    [f] = figures("Khorgos has now handled more than 40,000 freight trains since the first one "
                  "passed through the port in 2016.", "2025-01-14")
    assert f.period == "2016/2025"


def test_a_month_of_last_year_in_an_undated_article_takes_the_articles_year():
    found = figures("The port handled 2.1 million tons in the first half of 2025.\n"
                    "In June, the port received 61 vessels, compared with 48 in June last year.")
    assert find(found, 61, "vessels").period == "2025-06"
    assert find(found, 48, "vessels").period == "2024-06"


def test_the_corresponding_period_is_the_same_period():
    found = figures("Container throughput totaled 41,280 TEU in January-September, compared with "
                    "36,900 TEU in the corresponding period of 2024.", "2025-10-21")
    assert find(found, 41_280, "TEU").period == "2025-01/2025-09"
    assert find(found, 36_900, "TEU").period == "2024-01/2024-09"


def test_over_the_same_period_at_the_head_of_a_sentence_is_the_period_just_named():
    found = figures("In January-September, the port handled 41,280 TEU.\n"
                    "Over the same period, 312 vessels were serviced at the port.", "2025-10-21")
    assert find(found, 312, "vessels").period == "2025-01/2025-09"


def test_a_detail_month_does_not_replace_the_articles_period():
    found = figures("The dry port handled 95,000 TEU in the first quarter of 2024.\n"
                    "In March alone, 40,000 TEU were handled.\n"
                    "The number of container trains constituted 1 102.", "2024-04-15")
    assert find(found, 40_000, "TEU").period == "2024-03"
    assert find(found, 1102, "trains").period == "2024-Q1"


def test_a_period_in_a_later_clause_does_not_date_a_figure_when_the_article_has_one():
    found = figures("In 2024, transit grew.\n"
                    "The number of container trains reached 495, while in 2023 this figure was "
                    "311.", "2025-02-04")
    assert find(found, 495, "trains").period == "2024"


def test_a_multiple_between_distant_years_covers_both():
    found = figures("Cargo traffic has grown more than fivefold, from 0.8 mln tons in 2020 to 4.5 "
                    "mln tons in 2024.", "2025-11-20")
    assert find(found, 5, "x").period == "2020/2024"
    near = figures("Cargo rose 10%, from 1.0 mln tons in 2023 to 1.1 mln tons in 2024.",
                   "2025-11-20")
    assert find(near, 10, "%").period == "2024"


def test_a_share_of_capacity_is_not_a_capacity_and_commissioning_is_an_event():
    found = figures("Vessels sail with a load of 70-75% of their capacity.", "2025-11-20")
    assert {f.status for f in found} == {"reported"}
    port = figures("The port, commissioned in 2018, has a capacity of 17 mln tons of cargo per "
                   "year.", "2025-10-21")
    assert find(port, 17e6, "t/yr").period == "2025-10"


def test_the_half_and_quarter_of_a_year_are_not_fractions():
    found = figures("In the first half of 2025 the port handled 2 Mt, and in the third quarter "
                    "of 2025 a further 1 Mt.", "2025-11-01")
    assert {f.unit for f in found} == {"t"}


def test_years_ago_weekdays_and_now_by_the_figure():
    found = figures("Today, a train takes about five days, compared with nine days three years "
                    "ago.", "2025-05-30")
    assert find(found, 9, "days").period == "2022"
    [pledge] = figures("Institutions pledged 10 billion euros on Monday.", "2024-01-30")
    assert pledge.period == "2024-01"
    share = figures("The share should reach 30% in the next three years, up from 17% today.",
                    "2025-06-11")
    assert find(share, 17, "%").period == "2025-06"


def test_an_events_date_right_by_a_figure_dates_it():
    found = figures("The port, opened in May 2018 at a cost of about $1.5 billion, handled more "
                    "than 1.3 million tons last year.", "2025-05-20")
    assert find(found, 1.5e9, "USD").period == "2018-05"
    assert find(found, 1.3e6, "t").period == "2024"


def test_an_undated_article_reads_as_written_just_after_its_latest_period():
    result = extract_figures(
        "Georgian Railway transported 14.3 million tons of cargo last year, 5.3% more than in "
        "2023.\nThis year, the company expects transit to grow by another 10%.",
        catalogue=[], is_html=False, title="Georgian Railway cargo up 5.3% in 2024")
    last, expected = find(result.figures, 14.3e6, "t"), find(result.figures, 10, "%")
    assert (last.period, expected.period) == ("2024", "2025")
    assert "no publication date" in last.note
    assert result.published is None and last.published is None  # never invented


def test_an_undated_year_to_date_report_was_written_that_year():
    found = figures("In January-October 2024, ADY carried 1.84 million tons.\n"
                    "The company expects volumes to exceed 2.2 million tons this year.")
    assert find(found, 2.2e6, "t").period == "2024"


def test_the_full_year_and_a_ten_month_period():
    found = figures("In January-October 2025, the route carried 80,000 TEU.\n"
                    "The number of block trains reached 540 in the ten-month period.\n"
                    "For the full year, the association forecasts between 95,000 and 100,000 TEU.",
                    "2025-11-04")
    assert find(found, 540, "trains").period == "2025-01/2025-10"
    assert not [f for f in found if f.value == 10]
    assert find(found, 95_000, "TEU").period == "2025"


def test_an_event_after_a_figure_does_not_date_it():
    [f] = figures("Transshipment capacity at Altynkol has been increased to 20 million tons per "
                  "year after a new terminal opened in March.", "2025-07-01")
    assert f.period == "2025-07"


def test_a_span_of_years_does_not_become_the_articles_period():
    found = figures("Over the past five years, trade along the corridor has grown 1.5-fold.\n"
                    "Shipping a 40-foot container costs about $7,500.", "2025-09-02")
    assert find(found, 7500, "USD").period == "2025-09"


def test_by_year_end_is_the_year_of_writing():
    found = figures("In January-October 2025, transit reached 1.3 million TEU.\n"
                    "By year-end, the company expects total container transit to exceed 1.6 "
                    "million TEU.", "2025-11-12")
    assert find(found, 1.6e6, "TEU").period == "2025"


def test_the_highest_since_a_year_does_not_date_a_figure():
    found = figures("Transit cargo rose by 23% to 8.5 million tons in 2022, the highest figure "
                    "since 2014.", "2023-02-10")
    assert find(found, 8.5e6, "t").period == "2022"


def test_since_a_month_runs_to_the_last_full_month():
    [f] = figures("Since March, applications for shipments through Aktau have increased tenfold.",
                  "2022-06-15")
    assert f.period == "2022-03/2022-05"


def test_the_year_to_date_under_a_this_year_headline_is_the_articles_period():
    found = figures("More than 7,000 freight trains have passed through Khorgos since the "
                    "beginning of this year.\nThe figure represents a year-on-year increase of "
                    "5.8 percent.", "2024-11-05",
                    title="China-Europe freight trains via Khorgos exceed 7,000 this year")
    assert find(found, 5.8, "%").period == "2024-01/2024-10"


def test_from_and_to_over_a_span_of_years_are_its_first_and_last_years():
    found = figures("Between 2020 and 2024, volumes increased from 0.8 million tons to 4.5 "
                    "million tons, more than fivefold.", "2025-04-18")
    assert find(found, 0.8e6, "t").period == "2020"
    assert find(found, 4.5e6, "t").period == "2024"
    assert find(found, 5, "x").period == "2020/2024"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Only a dozen ferries regularly serve the Kuryk–Alat line.", 12, "vessels"),
    ("Azerbaijan and Georgia lowered their rates by 15-20%.", -20, "%"),
    ("The operator plans to run two trains per week on the route.", 2, "trains/week"),
    ("Passenger traffic rose by 1.1 million people to 9.8 million.", 9.8e6, "passengers"),
    ("The locomotives will reduce CO2 emissions by an estimated 140 kt a year.", -140e3, "t/yr"),
])
def test_wording_of_a_months_reading(text, value, unit):
    find(figures(text, "2025-10-20"), value, unit)


def test_a_when_clause_takes_the_period_it_follows():
    found = figures("Throughput amounted to 6.1 mln tonnes in 2024, up 17% on 2023, when 5.2 mln "
                    "tonnes was handled.", "2025-01-28")
    assert find(found, 5.2e6, "t").period == "2023"
    assert find(found, 6.1e6, "t").period == "2024"


def test_a_year_followed_by_a_number_with_a_scale_is_not_a_range_of_years():
    found = figures("Rail transit rose 17.5% in 2024 to 25.6 million tonnes.", "2025-03-10")
    assert find(found, 25.6e6, "t").period == "2024"
    assert find(found, 17.5, "%").period == "2024"


def test_a_year_before_a_count_noun_is_a_number():
    found = figures("The station handled 2050 wagons last month.", "2024-11-12")
    assert find(found, 2050, "railcars").period == "2024-10"


@pytest.mark.parametrize(
    ("text", "period"),
    [("in 9M24", "2024-01/2024-09"), ("in 1H24", "2024-H1"), ("in Q1'24", "2024-Q1"),
     ("Over 9 months,", "2024-01/2024-09"), ("since the beginning of 2024", "2024-01/2024-10"),
     ("since the beginning of this year", "2024-01/2024-10"), ("in 2024-25", "2024/2025"),
     ("from the start of the year", "2024-01/2024-10"), ("in Jan-Sept", "2024-01/2024-09")],
)
def test_period_wordings(text, period):
    [m] = find_periods(text, RefDate.parse("2024-11-12"))
    assert m.span.text() == period


def test_the_same_period_last_year_with_no_period_named_is_the_year_to_date():
    found = figures("Container traffic amounted to 62,000 TEU, up 28% compared to the same "
                    "period last year.", "2024-10-15")
    assert {f.period for f in found} == {"2024-01/2024-09"}


def test_the_date_of_an_event_is_not_the_period_of_the_figure():
    found = figures("The port, which was launched in 2019, handled 5 million tons of cargo "
                    "last year.", "2025-03-10")
    assert find(found, 5e6, "t").period == "2024"


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


def test_a_sum_invested_with_no_period_is_dated_when_written():
    found = figures("In 2025, the port handled 1.1 million TEU.\n"
                    "The total investment in the project is $600 million.", "2026-01-12")
    assert find(found, 600e6, "USD").period == "2026-01"
    # A cost that changed is reported for the article's period.
    moved = figures("In 2025, the port handled 1.1 million TEU.\n"
                    "The cost of shipping a container decreased by 15% to $3,400.", "2026-01-12")
    assert find(moved, 3400, "USD").period == "2025"


def test_members_of_an_association_are_counted_when_written():
    found = figures("In January-September 2022, the corridor carried 1.2 million tons.\n"
                    "The association includes 20 companies from eight countries.", "2022-10-21")
    assert find(found, 20, "companies").period == "2022-10"
    eight = find(found, 8, "countries")
    assert (eight.period, eight.status) == ("2022-10", "reported")


def test_the_starting_capacity_of_a_plan_is_dated_when_written():
    found = figures("The government plans to increase the port's capacity from 15 million tons "
                    "to 25 million tons in the coming years.", "2025-02-22")
    assert find(found, 15e6, "t").period == "2025-02"


def test_a_year_inside_a_name_dates_an_event_not_a_figure():
    # "the 17th "Logitrans-2022" exhibition" must not make an undated article read as
    # written in 2023; "Mid-2024" stays a period.
    found = find_periods("the 17th “Logitrans-2022” International exhibition", RefDate())
    assert [m.event for m in found] == [True]
    assert [m.event for m in find_periods("Mid-2024 volumes rose", RefDate())] == [False]


def test_a_look_back_with_no_figure_of_its_own_dates_the_sentences_after_it():
    # "In 2023, ... completed the production program." opens a paragraph about 2023 in a report
    # headed by 2024; the tonnage after it is of 2023.
    text = ("This year's first dry cargo ships arrived at the port of Turkmenbashi.\n"
            "In 2023, dry cargo teams completed the production program of the port.\n"
            "Thus, port ships transported more than 2 million tons of cargo.")
    title = "Azerbaijan delivers first cargo in 2024 to port of Turkmenbashi"
    result = extract_figures(text, catalogue=[], published="2024-01-20", is_html=False,
                             title=title)
    assert [(f.value, f.period) for f in result.figures] == [(2_000_000, "2023")]


def test_a_look_back_to_one_month_is_an_event_not_a_new_paragraph():
    # `context._one_month`: "In November 2023, ... signed agreements" dates an event; the
    # sentences after it still report on the article's period.
    found = figures("In 2024, the port handled 4 million tons.\n"
                    "In November 2023, Kazakhstan and China signed a number of agreements.\n"
                    "The terminal consolidates 40% of all container trains.", "2025-03-01")
    assert find(found, 40, "%").period == "2024"


def test_a_running_total_dates_an_undated_article_within_its_year():
    # `context.RUNNING_TOTAL_RULES`: "since the beginning of 2024" with no publication date says
    # the article was written during 2024, so "last year" is 2023.
    found = figures("It was the 200th container train since the beginning of 2024.\n"
                    "Last year, 11 container trains went through Aktau Port.")
    assert find(found, 11, "trains").period == "2023"


def test_a_period_with_no_comma_before_the_figure_comes_first():
    # `dating._behind_comma`: in a list of years, each figure takes the year right after it,
    # not the one behind a comma before it.
    found = figures("Thus, 212,000 TEU were transported in 2015, 245,000 TEU - in 2016 (+15%) "
                    "and 347,500 TEU in 2017.", "2018-11-19")
    assert find(found, 245_000, "TEU").period == "2016"
    assert find(found, 212_000, "TEU").period == "2015"


def test_last_year_compared_with_a_part_of_the_year_is_that_part_a_year_earlier():
    # `periods.last_year_shaped`
    found = figures("Transit by rail increased by 23 percent in the first half of the year, "
                    "compared to last year's level - from 6.8 to 8.3 million tons.", "2018-08-01")
    assert find(found, 6.8e6, "t").period == "2017-H1"
    assert find(found, 8.3e6, "t").period == "2018-H1"


def test_an_undated_article_that_only_compares_months_is_dated_a_year_later():
    # `context.inferred_ref`: "up 46 percent from January 2020" and no other period: the
    # article reports on January 2021.
    found = figures("The number of trains passing through Horgos Port reached 512 in January, "
                    "up 46 percent from January 2020.")
    assert find(found, 512, "trains").period == "2021-01"


def test_an_undated_article_with_yearless_months_reports_the_year_after_the_one_compared():
    # `period.yearless_in_compared_year`: "in January-November" with no year, compared with
    # "the same period of 2009", and a look back at 2009: the article reports on 2010.
    found = figures("The port handled 1.04 million tons of oil in January-November compared to "
                    "818,000 tons over the same period of 2009.\n"
                    "In 2009, the port handled about 6.1 million tons of cargo.\n"
                    "By late 2010 the port's transshipment will amount to 7.3 million tons.")
    assert find(found, 1.04e6, "t").period == "2010-01/2010-11"
    assert find(found, 818_000, "t").period == "2009-01/2009-11"
    assert find(found, 6.1e6, "t").period == "2009"
    assert find(found, 7.3e6, "t").period == "2010"  # "by late 2010" dates the forecast
    # A dated article is read as dated.
    dated = figures("The port handled 1.2 million tons in the 1st quarter, 12% more versus the "
                    "2018 same term.", "2019-04-16")
    assert find(dated, 1.2e6, "t").period == "2019-Q1"


def test_past_months_in_an_undated_report_after_a_whole_year_are_the_new_years_first():
    # `periods._past_months` with a guessed reference of January: statistics offices count
    # months from January, so "the past four months" after a report on 2024 are Jan-Apr 2025.
    found = figures("In 2024, the route carried 4.5 million tons.\n"
                    "For the past four months, transportation via the route hit 1.5 million "
                    "tons.")
    assert find(found, 1.5e6, "t").period == "2025-01/2025-04"


def test_the_start_of_operations_is_an_event_not_the_articles_period():
    # `periods.EVENT_BEFORE` and `periods.OPERATION_BEGAN`: "began operation in 2014", also with
    # a place between the verb and the year, dates an event.
    assert [m.event for m in find_periods("The terminal began operation in 2014.", RefDate())] \
        == [True]
    assert [m.event for m in find_periods(
        "A terminal built by two countries began operation in the eastern port of Lianyungang "
        "in 2014.", RefDate())] == [True]
    assert [m.event for m in find_periods("The line was open for traffic in December 2012.",
                                          RefDate())] == [True]
    # A figure between the verb and the year keeps the year its own.
    assert [m.event for m in find_periods(
        "The terminal began operations and handled 5,000 containers in 2014.", RefDate())] \
        == [False]
    found = figures("A logistics terminal began operation in the port of Lianyungang in 2014.\n"
                    "The company owns a 49 percent stake in it.", "2017-06-16")
    assert find(found, 49, "%").period == "2017-06"


def test_a_construction_date_does_not_date_an_undated_article():
    # `periods.EVENT_BEFORE`: "constructed back in 1963" is an event, not the article's period.
    found = figures("The port will be able to handle over 3 million tons of dry cargoes.\n"
                    "The Aktau sea port was constructed back in 1963 mainly to export ore.")
    assert find(found, 3e6, "t").period == ""  # nothing else dates it, and no publication date


def test_the_date_a_report_was_published_dates_no_figure():
    # `periods.EVENT_BEFORE`: "published", "released", "signed", "announced", "adopted",
    # "approved" in DATE date the paper or the act, not a figure behind a comma.
    found = figures("Transit times on the route are three times longer, according to a World "
                    "Bank report published in November 2023.", "2024-03-15")
    assert find(found, 3, "x").period == "2024-03"  # the time of writing


def test_a_target_exceeded_for_a_period_is_of_that_period():
    # `periods.COMPARISON_CUE`: "exceeded its target for the first three months" is the
    # target's period, not a period compared with; `status.plan_fulfilled` makes it reported.
    found = figures("The port exceeded its target for the first three months of the year, "
                    "shipping 560,000 tons of oil products.", "2020-04-20")
    f = find(found, 560_000, "t")
    assert (f.period, f.status) == ("2020-Q1", "reported")
