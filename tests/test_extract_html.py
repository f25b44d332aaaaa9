"""HTML input read offline from saved fixtures, page metadata, and currency-ticker rates."""

from pathlib import Path

from indicators.extract import extract_figures
from indicators.extract.html import looks_like_html, read_html

ARTICLES = Path(__file__).parent / "data" / "articles"
SEED_TICKER = """• KGS/USD = 0.01143 0%
  • KZT/USD = 0.00205 0%
  • TJS/USD = 0.10724 0.09%
  • UZS/USD = 0.00008 0%
  • TMT/USD = 0.28571 0%
  • KGS/USD = 0.01143 0%
  • KZT/USD = 0.00205 0%
"""


def html(name):
    return (ARTICLES / name).read_text(encoding="utf-8")


def test_html_is_recognised_without_being_told():
    assert looks_like_html(html("middle_power_moment.html"))
    assert not looks_like_html("In 2024, 300 container trains passed through Aktau.")


def test_main_text_of_a_saved_page_leaves_navigation_and_footer_out():
    page = read_html(html("middle_power_moment.html"))
    assert "125 container trains" in page.text
    assert "Analysis" not in page.text and "footer" not in page.text


def test_title_date_and_address_come_from_the_page_metadata():
    result = extract_figures(html("middle_power_moment.html"), catalogue=[])
    assert result.title == "Kazakhstan’s Middle Power Moment: From Balancer to Regional Organizer"
    assert result.published == "2026-06-03"
    assert result.url == "https://timesca.com/?p=49879"
    assert {f.source_title for f in result.figures} == {result.title}
    assert {f.published for f in result.figures} == {"2026-06-03"}


def test_figures_of_a_saved_page_have_periods_resolved_from_its_own_date():
    result = extract_figures(html("middle_power_moment.html"), catalogue=[])
    rows = {(f.value, f.unit): (f.period, f.status) for f in result.figures}
    assert rows[125, "trains"] == ("2026-Q1", "reported")
    assert rows[34.4, "%"] == ("2026-Q1", "reported")
    assert rows[5, "x"] == ("2019/2026", "reported")
    assert rows[4.5e6, "t/yr"] == ("2026", "reported")


def test_a_later_sentence_about_the_route_keeps_the_place_of_the_sentence_before():
    result = extract_figures(html("middle_power_moment.html"), catalogue=[])
    assert {f.geo for f in result.figures} == {"TITR via Kazakhstan (rail)"}


def test_given_title_and_date_win_over_the_page_metadata():
    result = extract_figures(html("middle_power_moment.html"), catalogue=[], title="Mine",
                             published="2026-06-05")
    assert (result.title, result.published) == ("Mine", "2026-06-05")


def test_last_year_on_a_page_without_a_date_resolves_from_the_given_date():
    result = extract_figures(html("no_metadata.html"), catalogue=[], published="2025-12-18")
    assert result.title is None
    rows = {(f.value, f.unit): (f.period, f.status) for f in result.figures}
    assert rows[76_000, "TEU"] == ("2024", "reported")
    assert rows[104_000, "TEU"] == ("2025", "forecast")


def test_ticker_quotes_on_a_page_are_rates_dated_with_the_page_date():
    result = extract_figures(html("middle_power_moment.html"), catalogue=[])
    assert [r.as_row() for r in result.rates] == [
        {"date": "2026-06-03", "base": "KGS", "quote": "USD", "rate": 0.01143,
         "change_pct": 0.0, "source_url": "https://timesca.com/?p=49879"},
        {"date": "2026-06-03", "base": "KZT", "quote": "USD", "rate": 0.00205,
         "change_pct": 0.0, "source_url": "https://timesca.com/?p=49879"},
        {"date": "2026-06-03", "base": "TJS", "quote": "USD", "rate": 0.10724,
         "change_pct": 0.09, "source_url": "https://timesca.com/?p=49879"},
    ]
    assert list(result.rates_frame().columns) == ["date", "base", "quote", "rate", "change_pct",
                                                 "source_url"]


def test_ticker_in_plain_text_gives_one_undated_rate_per_pair_and_no_figures():
    result = extract_figures(SEED_TICKER, catalogue=[])
    assert [(r.base, r.quote, r.rate, r.date) for r in result.rates] == [
        ("KGS", "USD", 0.01143, None), ("KZT", "USD", 0.00205, None),
        ("TJS", "USD", 0.10724, None), ("UZS", "USD", 0.00008, None),
        ("TMT", "USD", 0.28571, None)]
    assert result.figures == []


def test_ticker_is_dated_only_with_a_full_date():
    result = extract_figures("KZT/USD = 0.00205 0%", catalogue=[], published="2026-06")
    assert result.rates[0].date is None
    result = extract_figures("KZT/USD = 0.00205 0%", catalogue=[], published="2026-06-03")
    assert result.rates[0].date == "2026-06-03"
