"""What a rate point means: HMRC's monthly rates are set in advance; flagged values stay."""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import charts, rate_points, transforms


def test_penultimate_thursday():
    assert rate_points.penultimate_thursday(2026, 8) == date(2026, 8, 20)
    assert rate_points.penultimate_thursday(2026, 4) == date(2026, 4, 23)  # 30th is a Thursday
    assert rate_points.set_on(date(2026, 9, 1)) == date(2026, 8, 20)
    assert rate_points.set_on(date(2015, 1, 1)) == date(2014, 12, 18)


def test_hmrc_point_says_it_was_set_in_advance_and_is_not_a_market_rate():
    text = rate_points.meaning("hmrc-monthly", pd.Timestamp("2026-09-01"))
    assert "September 2026" in text and "Thu 20 Aug 2026" in text
    assert "not a market rate" in text
    assert rate_points.meaning("nbu-cross", pd.Timestamp("2026-09-01")) == ""


def _frame(source: str, flags: list[str | None]) -> pd.DataFrame:
    n = len(flags)
    frame = pd.DataFrame({
        "date": pd.date_range("2020-01-01", periods=n, freq="MS"), "currency": "KZT",
        "per_usd": [400.0 + i for i in range(n)], "source": source,
        "source_title": "t", "source_kind": "official-cross", "flag": flags})
    return transforms.rate_view(rate_points.add_meaning(frame), "per_usd")


def test_chart_draws_set_in_advance_rates_as_steps_with_their_meaning_in_the_hover():
    fig = charts.rates(_frame("hmrc-monthly", [None] * 40))
    [trace] = fig.data
    assert trace.line.shape == "hv"
    assert "set in advance" in trace.customdata[0]


def test_flagged_values_keep_their_place_with_a_ring_and_a_hover_note():
    flags = [None] * 40
    flags[7] = "+29.87% from the median of its neighbours"
    fig = charts.rates(_frame("nbu-cross", flags))
    [trace] = fig.data
    assert trace.line.shape == "linear"
    assert list(trace.y).count(407.0) == 1
    symbols = list(trace.marker.symbol)
    assert symbols[7] == "circle-open" and symbols.count("circle-open") == 1
    assert "Flagged: +29.87%" in trace.customdata[7]
    assert "Flagged" not in trace.customdata[6]
