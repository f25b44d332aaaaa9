"""View state <-> query string: links round-trip, defaults stay out, bad values fall back."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from indicators import urlstate
from indicators.urlstate import Choice, DateRange, MultiChoice, Text

CCY = MultiChoice("ccy", "currency", ("KZT", "KGS", "TJS", "UZS", "TMT"),
                  ("KZT", "KGS", "TJS", "UZS", "TMT"), "currencies")
VIEW = Choice("view", "view", ("per_usd", "usd_per", "index", "change"), "per_usd")
RANGE = DateRange("from", "to", "date range", date(1996, 9, 2), date(2026, 7, 1))
SEARCH = Text("q", "search")
PARAMS = [CCY, RANGE, VIEW, SEARCH]


def test_no_query_gives_every_default_and_no_notice():
    parsed = urlstate.parse({}, PARAMS)
    assert parsed.values == {"ccy": CCY.default, "from": (RANGE.lo, RANGE.hi),
                             "view": "per_usd", "q": ""}
    assert parsed.notices == []


def test_encode_writes_only_what_differs_from_the_default():
    values = {"ccy": CCY.default, "from": (date(2015, 1, 1), RANGE.hi), "view": "index",
              "q": ""}
    assert urlstate.encode(values, PARAMS) == {"from": "2015-01-01", "view": "index"}
    assert urlstate.encode(urlstate.parse({}, PARAMS).values, PARAMS) == {}


def test_multichoice_accepts_tilde_comma_and_repeated_keys_in_canonical_order():
    assert CCY.parse({"ccy": ["UZS~kzt"]}) == (("KZT", "UZS"), [])
    assert CCY.parse({"ccy": ["UZS,KZT"]}) == (("KZT", "UZS"), [])
    assert CCY.parse({"ccy": ["UZS", "KZT"]}) == (("KZT", "UZS"), [])
    assert CCY.encode(("UZS", "KZT")) == {"ccy": "KZT~UZS"}


def test_multichoice_unknown_code_is_dropped_with_a_notice():
    value, notices = CCY.parse({"ccy": ["KZT~XYZ"]})
    assert value == ("KZT",)
    assert len(notices) == 1 and "XYZ" in str(notices[0])


def test_multichoice_with_only_unknown_codes_falls_back_to_default():
    value, notices = CCY.parse({"ccy": ["XYZ"]})
    assert value == CCY.default
    assert "default" in notices[0].message


def test_multichoice_empty_value_means_an_explicit_empty_selection():
    assert CCY.parse({"ccy": [""]}) == ((), [])
    assert CCY.encode(()) == {"ccy": ""}


def test_choice_unknown_value_falls_back_with_notice():
    value, notices = VIEW.parse({"view": ["pie"]})
    assert value == "per_usd"
    assert notices[0].key == "view" and "pie" in str(notices[0])
    assert VIEW.parse({"view": ["INDEX"]}) == ("index", [])


def test_impossible_date_falls_back_to_the_default_end_only():
    (start, end), notices = RANGE.parse({"from": ["2024-13-45"], "to": ["2020-01-01"]})
    assert (start, end) == (RANGE.lo, date(2020, 1, 1))
    assert "not a date" in notices[0].message


def test_reversed_range_falls_back_to_the_default_range():
    value, notices = RANGE.parse({"from": ["2020-01-01"], "to": ["2010-01-01"]})
    assert value == (RANGE.lo, RANGE.hi)
    assert "backwards" in notices[-1].message


def test_year_and_month_forms_mean_the_first_and_last_day():
    value, _ = RANGE.parse({"from": ["2015"], "to": ["2020-02"]})
    assert value == (date(2015, 1, 1), date(2020, 2, 29))


def test_dates_outside_the_data_are_clamped_with_a_notice():
    value, notices = RANGE.parse({"from": ["1900-01-01"]})
    assert value == (RANGE.lo, RANGE.hi)
    assert "outside the data" in notices[0].message


def test_unknown_keys_are_reported():
    parsed = urlstate.parse({"foo": ["bar"]}, PARAMS)
    assert [n.key for n in parsed.notices] == ["foo"]


def test_long_text_is_cut_with_a_notice():
    value, notices = SEARCH.parse({"q": ["x" * 500]})
    assert len(value) == urlstate.MAX_TEXT and notices


def test_query_string_keeps_tilde_readable():
    assert urlstate.query_string({"ccy": "KZT~KGS", "q": "a b"}) == "ccy=KZT~KGS&q=a+b"
    assert urlstate.link("/currencies", {}) == "/currencies"


@given(st.lists(st.sampled_from(CCY.choices), unique=True),
       st.sampled_from(VIEW.choices),
       st.dates(min_value=RANGE.lo, max_value=RANGE.hi),
       st.dates(min_value=RANGE.lo, max_value=RANGE.hi))
def test_any_state_survives_a_round_trip_through_the_url(ccy, view, a, b):
    values = {"ccy": CCY.canonical(ccy), "view": view, "from": (min(a, b), max(a, b)),
              "q": ""}
    query = {k: [v] for k, v in urlstate.encode(values, PARAMS).items()}
    parsed = urlstate.parse(query, PARAMS)
    assert parsed.values == values
    assert parsed.notices == []


@given(st.dictionaries(st.sampled_from(["ccy", "from", "to", "view", "q", "zz"]),
                       st.lists(st.text(max_size=30), max_size=3)))
def test_garbage_never_raises_and_always_gives_valid_values(query):
    parsed = urlstate.parse(query, PARAMS)
    assert set(parsed.values["ccy"]) <= set(CCY.choices)
    assert parsed.values["view"] in VIEW.choices
    start, end = parsed.values["from"]
    assert RANGE.lo <= start <= end <= RANGE.hi
