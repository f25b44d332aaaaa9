"""Pure chart builders, checked on the figure's data: traces, units, hover sources."""

import json

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from indicators import charts, codes, formatting, transforms


def rates(rows, **extra):
    f = pd.DataFrame(rows, columns=["date", "currency", "source", "source_kind", "per_usd"])
    f["date"] = pd.to_datetime(f["date"])
    f["source_title"] = f["source"].map(lambda s: f"{s.upper()} official rates")
    f["source_publisher"] = None
    for k, v in extra.items():
        f[k] = v
    return f


KZT_KGS = rates([("2020-01-01", "KZT", "nbk", "official", 420.0),
                 ("2020-02-01", "KZT", "nbk", "official", 430.0),
                 ("2020-01-01", "KGS", "nbkr", "official", 70.0),
                 ("2020-02-01", "KGS", "nbkr", "official", 71.0),
                 ("2020-01-15", "KGS", "tick", "ticker", 72.0)])


def axis_titles(fig, axis="yaxis"):
    layout = fig.to_plotly_json()["layout"]
    return [v["title"]["text"] for k, v in layout.items() if k.startswith(axis)
            and isinstance(v, dict) and "title" in v]


def test_levels_get_one_panel_per_currency_with_its_unit():
    fig = charts.rates(transforms.rate_view(KZT_KGS, "per_usd"), view="per_usd",
                       order=["KZT", "KGS"])
    assert axis_titles(fig) == ["KZT per USD", "KGS per USD"]
    assert len(fig.data) == 3
    kzt = next(t for t in fig.data if t.yaxis == "y")
    assert list(kzt.y) == [420.0, 430.0]
    assert charts.to_dates(kzt.x) == ["2020-01-01", "2020-02-01"]
    assert fig.layout.xaxis.type == "date"


def test_every_rate_hover_names_its_source_and_date():
    fig = charts.rates(transforms.rate_view(KZT_KGS, "per_usd"), view="per_usd")
    for trace in fig.data:
        assert "Source: " in trace.hovertemplate and "as of %{x|%Y-%m-%d}" in trace.hovertemplate
    assert any("TICK official rates" in t.hovertemplate for t in fig.data)


def test_ticker_lines_are_dotted_and_official_solid():
    fig = charts.rates(transforms.rate_view(KZT_KGS, "per_usd"), view="per_usd")
    dash = {t.legendgroup: t.line.dash for t in fig.data}
    assert dash == {"nbk": "solid", "nbkr": "solid", "tick": "dot"}


def test_linear_rate_axes_group_thousands_instead_of_plotlys_12k():
    for view in ("per_usd", "index"):
        layout = charts.rates(transforms.rate_view(KZT_KGS, view), view=view).to_plotly_json()[
            "layout"]
        axes = [v for k, v in layout.items() if k.startswith("yaxis")]
        assert axes and all(a["tickformat"] == "," for a in axes)
    log = charts.rates(transforms.rate_view(KZT_KGS, "per_usd"), view="per_usd", log=True)
    assert "tickformat" not in log.to_plotly_json()["layout"]["yaxis"]  # labelled ticks


def test_log_scale_is_on_every_axis_and_in_its_title():
    fig = charts.rates(transforms.rate_view(KZT_KGS, "per_usd"), view="per_usd", log=True)
    layout = fig.to_plotly_json()["layout"]
    assert {layout["yaxis"]["type"], layout["yaxis2"]["type"]} == {"log"}
    assert all(t.endswith("(log scale)") for t in axis_titles(fig))


def test_index_view_shares_one_axis_with_a_line_at_100():
    fig = charts.rates(transforms.rate_view(KZT_KGS, "index"), view="index")
    assert axis_titles(fig) == ["Index, first rate in range = 100"]
    assert {t.yaxis for t in fig.data} <= {None, "y"}
    assert fig.data[0].y[0] == 100.0
    assert any(s["y0"] == 100 for s in fig.to_plotly_json()["layout"]["shapes"])


def test_far_apart_points_are_not_joined_by_a_line():
    f = rates([("2005-06-01", "KGS", "nbkr", "official", 41.0),
               ("2005-06-08", "KGS", "nbkr", "official", 41.1),
               ("2005-06-15", "KGS", "nbkr", "official", 41.2),
               ("2026-05-24", "KGS", "nbkr", "official", 87.4)])
    fig = charts.rates(transforms.rate_view(f, "per_usd"), view="per_usd")
    ys = list(fig.data[0].y)
    assert len(ys) == 5 and np.isnan(ys[3])  # a gap between 2005-06-15 and 2026


def test_redenominated_rates_are_marked_on_the_chart_and_in_the_hover():
    f = rates([("2008-12-01", "TMT", "nbu", "official-cross", 1.0),
               ("2009-02-01", "TMT", "nbu", "official-cross", 2.85)],
              stored_currency=["TMM", "TMT"], stored_per_usd=[5000.0, 2.85],
              redenominated=[True, False])
    fig = charts.rates(transforms.rate_view(f, "per_usd"), view="per_usd")
    assert "Restated: 5,000 TMM per USD ÷ 5,000" in fig.data[0].customdata[0]
    texts = [a["text"] for a in fig.to_plotly_json()["layout"]["annotations"]]
    assert any("TMM → TMT" in t for t in texts)


def test_change_bars_show_percent_with_dates_and_source_in_hover():
    fig = charts.rate_change(transforms.change_over_range(KZT_KGS))
    bar = fig.data[0]
    assert bar.orientation == "h" and bar.text[0].endswith("%")
    assert "Source: %{customdata[4]}" in bar.hovertemplate
    assert "%" in fig.layout.xaxis.title.text


def test_cross_rate_is_labelled_derived_on_axis_legend_and_hover():
    cross = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"]), "source": ["nbu"],
                          "source_title": ["NBU"], "source_kind": ["official-cross"],
                          "value": [6.0], "numerator_per_usd": [420.0],
                          "denominator_per_usd": [70.0]})
    fig = charts.cross(cross, numerator="KZT", denominator="KGS")
    assert fig.layout.yaxis.title.text == "KZT per KGS (derived)"
    assert fig.data[0].name.startswith("derived from")
    assert "(derived)" in fig.data[0].hovertemplate and "Source: NBU" in fig.data[0].hovertemplate


@pytest.mark.parametrize("build", [
    lambda: charts.rates(transforms.rate_view(KZT_KGS.iloc[0:0], "per_usd")),
    lambda: charts.rate_change(transforms.change_over_range(KZT_KGS.iloc[0:0])),
    lambda: charts.figures(pd.DataFrame(), indicators={}),
    lambda: charts.sparkline(pd.DataFrame(), x="d", y="v"),
])
def test_an_empty_selection_gives_a_message_not_bare_axes(build):
    fig = build()
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.annotations[0].text


FIGS = pd.DataFrame({
    "indicator": ["cargo_tonnage"] * 4, "indicator_name": ["Cargo carried"] * 4,
    "geo": ["TITR (whole corridor)"] * 4,
    "period": ["2024-Q1", "2024-01/2024-11", "2030", "2025-Q1"],
    "period_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2030-01-01", "2025-01-01"]),
    "period_end": pd.to_datetime(["2024-03-31", "2024-11-30", "2030-12-31", "2025-03-31"]),
    "value": [1.0e6, 4.1e6, 11e6, 0.9e6], "unit": ["t"] * 4,
    "status": ["reported", "reported", "forecast", "reported"],
    "derived": [False, False, False, True],
    "derivation": [None, None, None, "1.2 Mt / 1.344"],
    "source_title": ["Trend", "Trend", "EIAS", "Calc"],
    "source_published": pd.to_datetime(["2024-12-17"] * 4),
    "quote": ["Cargo rose to 1 million tons.", "4.1 million tons in Jan-Nov.", "11 Mt by 2030.",
              None],
})


def test_figures_span_their_true_period():
    fig = charts.figures(FIGS, indicators={"cargo_tonnage": ("Cargo carried", "t")})
    reported = next(t for t in fig.data if t.mode == "lines+markers" and t.name ==
                    "TITR (whole corridor)")
    xs = charts.to_dates(reported.x)
    n = charts.SEGMENT_POINTS
    segments = [(xs[i], xs[i + n - 1]) for i in range(0, len(xs), n + 1)]
    assert segments == [("2024-01-01", "2024-04-01"), ("2024-01-01", "2024-12-01")]
    # the hover is on every point of a segment, not only its midpoint
    assert len({c for c in reported.customdata[:n]}) == 1 and reported.customdata[0]


def test_figure_axes_carry_units_and_hover_carries_value_period_source_and_quote():
    fig = charts.figures(FIGS, indicators={"cargo_tonnage": ("Cargo carried", "t")})
    assert fig.layout.yaxis.title.text == "Cargo carried (million tonnes)"
    assert list(fig.layout.yaxis.ticktext) == ["0", "2 Mt", "4 Mt", "6 Mt", "8 Mt", "10 Mt",
                                               "12 Mt"]
    hover = "".join(h for t in fig.data if t.customdata is not None for h in t.customdata)
    for text in ("4.1 Mt", "Jan–Nov 2024 (year to date)", "Source: Trend (2024-12-17)",
                 "“4.1 million tons in Jan-Nov.”", "Derived: 1.2 Mt / 1.344"):
        assert text in hover


def test_forecasts_and_derived_values_look_different_from_reported_ones():
    fig = charts.figures(FIGS, indicators={"cargo_tonnage": ("Cargo carried", "t")})
    lines = {t.name: t.line.dash for t in fig.data if t.mode == "lines+markers"}
    marks = {t.name: t.marker.symbol for t in fig.data if t.mode == "markers"}
    assert lines["TITR (whole corridor)"] == "solid"
    assert lines["TITR (whole corridor) · forecast"] == "dash"
    assert marks["TITR (whole corridor) · derived"] == charts.DERIVED_SYMBOL
    assert marks["TITR (whole corridor)"] == "circle"


def test_a_scope_named_after_its_status_does_not_say_it_twice_in_the_legend():
    capacity = FIGS.iloc[[0]].assign(geo="TITR (whole corridor) — capacity", status="capacity")
    fig = charts.figures(pd.concat([FIGS, capacity], ignore_index=True),
                         indicators={"cargo_tonnage": ("Cargo carried", "t")})
    names = {t.name for t in fig.data}
    assert "TITR (whole corridor) — capacity" in names
    assert not any("capacity · capacity" in n for n in names)
    assert "TITR (whole corridor) · forecast" in names  # other statuses are still named


def test_coverage_chart_draws_each_source_span():
    src = pd.DataFrame({"title": ["NBU", "Trend"], "kind": ["official-cross", "press"],
                        "covers_from": pd.to_datetime(["1996-09-02", "2024-01-01"]),
                        "covers_to": pd.to_datetime(["2022-07-01", "2024-11-30"]),
                        "figures": [0, 5], "rates": [1466, 0]})
    fig = charts.coverage(src)
    assert {t.name for t in fig.data} == {codes.SOURCE_KIND.label["official-cross"],
                                          codes.SOURCE_KIND.label["press"]}
    assert fig.layout.xaxis.title.text == "Dates or periods covered"


def test_coverage_chart_keeps_two_sources_of_the_same_title_apart_with_dates_on_top():
    n = 40
    src = pd.DataFrame({"title": ["The Astana Times, undated article"] * 2 + [f"S{i}" for i in
                                                                            range(n - 2)],
                        "kind": ["press"] * n,
                        "covers_from": pd.to_datetime(["2024-01-01"] * n),
                        "covers_to": pd.to_datetime(["2024-06-30"] * n),
                        "figures": [1] * n, "rates": [0] * n})
    fig = charts.coverage(src)
    rows = {y for t in fig.data for y in t.y if y is not None}
    assert len(rows) == n  # each source its own row, none drawn over another
    # A tall chart: its date axis is read from the top, where its first rows are.
    assert fig.layout.xaxis.side == "top" and fig.layout.legend.y > 1


def test_sparkline_hover_gives_date_value_and_unit():
    f = pd.DataFrame({"d": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"]),
                      "v": [1.0, 2.0, 3.0]})
    fig = charts.sparkline(f, x="d", y="v", unit="KZT per USD")
    assert "KZT per USD" in fig.data[0].hovertemplate


def test_chart_payload_stays_small_for_a_long_daily_history():
    days = pd.date_range("1996-01-01", "2025-12-31", freq="D")
    rows = [(d, c, "s", "official", 100 + i) for c in ("KZT", "KGS", "TJS", "UZS", "TMT")
            for i, d in enumerate(days[:: max(1, len(days) // 3000)])]
    fig = charts.rates(transforms.rate_view(rates(rows), "per_usd"), view="per_usd")
    assert len(pio.to_json(fig)) < 1_000_000
    assert json.loads(pio.to_json(fig))["data"]


def test_log_axes_get_full_labels_at_one_two_five():
    ticks = charts.log_ticks(pd.Series([80.0, 12_000.0]))
    assert ticks["tickvals"] == [100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0]
    assert ticks["ticktext"][3:] == ["1,000", "2,000", "5,000", "10,000"]
    wide = charts.log_ticks(pd.Series([0.01, 50_000.0]))
    assert wide["tickvals"] == [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10_000.0]
    assert wide["ticktext"][:3] == ["0.01", "0.1", "1"]
    assert charts.log_ticks(pd.Series([420.0, 480.0])) == {}  # plotly's own ticks suffice


def test_many_places_are_coloured_by_status_with_the_place_in_the_hover():
    many = pd.concat([FIGS.assign(geo=f"Place {i}") for i in range(charts.MAX_PLACE_COLOURS + 1)],
                     ignore_index=True)
    fig = charts.figures(many, indicators={"cargo_tonnage": ("Cargo carried", "t")})
    names = {t.name for t in fig.data}
    assert names == {"reported", "forecast", "reported · derived"}
    assert f"{charts.MAX_PLACE_COLOURS + 1} places" in fig.layout.legend.title.text
    hover = "".join(h for t in fig.data if t.customdata is not None for h in t.customdata)
    assert f"Place {charts.MAX_PLACE_COLOURS}" in hover


def test_sparkline_labels_first_and_last_date_and_value_and_marks_derived_points():
    f = pd.DataFrame({"d": pd.to_datetime(["2023-12-31", "2024-12-31", "2025-12-31"]),
                      "v": [2.7e6, 4.5e6, 5.0e6], "derived": [False, True, False]})
    fig = charts.sparkline(f, x="d", y="v", unit="tonnes", derived="derived",
                           value_format=lambda v: formatting.quantity(v, "t"))
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["2023-12 2.7 Mt →<br>2025-12 5.0 Mt"]
    marked = [t for t in fig.data if t.name == "derived"]
    assert len(marked) == 1 and list(marked[0].y) == [4.5e6]
    assert marked[0].marker.symbol == charts.DERIVED_SYMBOL


@pytest.mark.parametrize(("values", "unit", "title", "ticks"), [
    ([1.6e6, 4.5e6], "t", "Cargo (million tonnes)", ["0", "1 Mt", "2 Mt", "3 Mt", "4 Mt", "5 Mt"]),
    # a largest value on a tick: one tick more, so that the bar ends below the top
    ([0.2e6, 1.5e6], "t", "Cargo (million tonnes)",
     ["0", "0.5 Mt", "1.0 Mt", "1.5 Mt", "2.0 Mt"]),
    ([24_000, 90_000], "t", "Cargo (thousand tonnes)",
     ["0", "20 kt", "40 kt", "60 kt", "80 kt", "100 kt"]),
    ([110, 56_500], "TEU", "Cargo (TEU)",
     ["0", "10,000", "20,000", "30,000", "40,000", "50,000", "60,000"]),
    ([2e5, 2e6], "TEU", "Cargo (million TEU)", ["0", "0.5", "1.0", "1.5", "2.0", "2.5"]),
    ([93, 2000], "trains", "Cargo (trains)",
     ["0", "500", "1,000", "1,500", "2,000", "2,500"]),
    ([38e6, 55e9], "USD", "Cargo (billion US dollars)",
     ["0", "$10 bn", "$20 bn", "$30 bn", "$40 bn", "$50 bn", "$60 bn"]),
])
def test_value_axis_reads_like_the_apps_quantities_with_one_scale_per_axis(values, unit, title,
                                                                          ticks):
    axis = charts.value_axis(pd.Series(values), name="Cargo", unit=unit)
    assert axis["title_text"] == title
    assert axis["ticktext"] == ticks
    assert len(axis["tickvals"]) == len(ticks) and axis["tickvals"][0] == 0
    assert axis["tickvals"][-1] > max(values)
    assert axis["range"] == [axis["tickvals"][0], axis["tickvals"][-1]]
    assert axis["autorange"] is False


@pytest.mark.parametrize("peak", [1.0, 4.5e6, 4.74e6, 4.99e6, 5e6, 1.5e6, 2_000, 1_200, 56_500,
                                  99.9, 0.3, 7.3e9, 33_600, 1.0e6 + 1])
def test_value_axis_ends_on_a_tick_above_the_largest_value_with_room_for_its_label(peak):
    """The range's top is a tick, above the tallest bar by at least AXIS_HEADROOM of the axis:
    Plotly's own range ended at 4.74 Mt for a 4.5 Mt bar and hid the 5 Mt tick."""
    axis = charts.value_axis(pd.Series([0.4 * peak, peak]), name="Cargo", unit="t")
    bottom, top = axis["range"]
    ticks = axis["tickvals"]
    assert bottom == ticks[0] == 0 and top == ticks[-1]
    assert top - peak >= charts.AXIS_HEADROOM * (top - bottom) > 0
    assert len(ticks) <= 8  # still a handful of ticks, evenly spaced
    assert all(abs((b - a) - (ticks[1] - ticks[0])) < 1e-9 * top for a, b in zip(
        ticks, ticks[1:], strict=False))


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0, 4.5, [0, 1, 2, 3, 4, 5]),       # already room above 4.5
    (0, 5, [0, 1, 2, 3, 4, 5, 6]),      # on a tick: one more
    (0, 4.9, [0, 1, 2, 3, 4, 5, 6]),    # just under a tick: one more
    (-4, 4.5, [-6, -4, -2, 0, 2, 4, 6]),  # room below a negative value on a tick too
])
def test_nice_ticks_with_headroom_end_beyond_the_extremes(lo, hi, expected):
    assert charts.nice_ticks(lo, hi, headroom=0.05) == pytest.approx(expected)
    assert charts.nice_ticks(lo, hi)[-1] >= hi  # without headroom: at or above, as before


def test_value_axis_keeps_plotlys_ticks_for_growth_and_a_percent_suffix():
    axis = charts.value_axis(pd.Series([-22.0, 104.0]), name="Growth", unit="%")
    assert axis["title_text"] == "Growth (%)" and axis["ticksuffix"] == "%"
    assert "tickvals" not in axis and axis["rangemode"] == "normal"
