"""What a rate point means: HMRC's monthly rates are set in advance; flagged values stay."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pandas as pd
import pytest
from plotly_hover import hover

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
    frame = _frame("hmrc-monthly", [None] * 40)
    fig = charts.rates(frame)
    [trace] = fig.data
    assert trace.line.shape == "hv"
    for i, when in enumerate(frame["date"]):
        text = hover(trace, i)
        assert text.endswith("<br>" + rate_points.meaning("hmrc-monthly", when)), text
        assert f"as of {when:%Y-%m-%d}" in text
    # the sentence is sent once for the series; per point only the day the rate was set
    assert "set in advance" in trace.hovertemplate
    assert not any("set in advance" in str(c) for c in trace.customdata)
    assert trace.customdata[0] == "Thu 19 Dec 2019"


def test_flagged_values_keep_their_place_with_a_ring_and_a_hover_note():
    flags = [None] * 40
    flags[7] = "+29.87% from the median of its neighbours"
    fig = charts.rates(_frame("nbu-cross", flags))
    line, rings = fig.data
    assert line.line.shape == "linear"
    assert list(line.y).count(407.0) == 1
    assert "Flagged" not in hover(line, 7) and line.customdata is None
    assert list(rings.y) == [407.0] and list(rings.x) == [line.x[7]]
    assert rings.marker.symbol == "circle-open" and rings.mode == "markers"
    # the ring hides and shows with its series, and says why it is flagged
    assert rings.legendgroup == line.legendgroup and rings.showlegend is False
    assert hover(rings, 0) == hover(line, 7) + "<br>Flagged: +29.87% from the median of its " \
        "neighbours"


def _every_note() -> pd.DataFrame:
    """HMRC rates (set in advance), the first two restated from TMM, the fourth flagged."""
    flags = [None] * 40
    flags[3] = "far & away"
    frame = _frame("hmrc-monthly", flags)
    frame["redenominated"] = [i < 2 for i in range(40)]
    frame["stored_currency"] = ["TMM" if i < 2 else "KZT" for i in range(40)]
    frame["stored_per_usd"] = frame["per_usd"] * [5000 if i < 2 else 1 for i in range(40)]
    return frame


def test_flagged_set_in_advance_and_restated_points_hover_with_every_note():
    frame = _every_note()
    line, rings = charts.rates(frame).data
    first = hover(line, 0)
    assert "Restated: 2.0 million TMM per USD ÷ 5,000<br>HMRC customs rate for January 2020" \
        in first
    assert "Restated" not in hover(line, 2)
    assert hover(rings, 0) == hover(line, 3) + "<br>Flagged: far &amp; away"
    assert hover(line, 3).endswith(rate_points.meaning("hmrc-monthly", frame["date"][3]))


def test_a_long_series_sends_no_per_point_marker_arrays_and_its_note_once():
    flags = [None] * 400
    flags[100] = "odd"
    frame = transforms.rate_view(rate_points.add_meaning(pd.DataFrame({
        "date": pd.date_range("1990-01-01", periods=400, freq="MS"), "currency": "KZT",
        "per_usd": [400.0 + i for i in range(400)], "source": "hmrc-monthly",
        "source_title": "t", "source_kind": "official-cross", "flag": flags})), "per_usd")
    spec = json.dumps(charts.rates(frame).to_plotly_json())
    assert spec.count("in force the whole month") == 2  # the line's template and the ring's
    line, rings = json.loads(spec)["data"]
    assert set(line["marker"]) == {"size", "color"} and isinstance(line["marker"]["size"], int)
    assert len(rings["customdata"]) == 1


@pytest.mark.browser
def test_plotly_fills_the_hover_templates_as_the_tests_read_them(browser, tmp_path):
    """Plotly.js, offline from the plotly package: the hover a visitor sees on a line, a
    restated point and a flagged ring is exactly what `hover` reads in the tests above."""
    frame = _every_note()
    fig = charts.rates(frame)
    page_file = tmp_path / "chart.html"
    fig.write_html(page_file, include_plotlyjs=True, div_id="gd")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_function("() => document.getElementById('gd')._fullData")
    for curve, i in ((0, 0), (0, 3), (0, 10), (1, 0)):
        page.evaluate("Plotly.Fx.unhover(document.getElementById('gd'))")
        page.evaluate(f"Plotly.Fx.hover(document.getElementById('gd'), "
                      f"[{{curveNumber: {curve}, pointNumber: {i}}}])")
        page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext')")
        shown = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.hoverlayer .hovertext text tspan.line')).map(t => t.textContent).join('\\n')""")
        expected = hover(fig.data[curve], i)
        expected = re.sub(r"<b>([\d.]+?)(\.0)? ", r"\1 ", expected).replace("</b>", "")
        assert shown == html.unescape(expected).replace("<br>", "\n"), (curve, i)
    page.close()
