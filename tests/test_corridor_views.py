"""The corridor's Annual and Year-to-date views: pure frames and the figures drawn from them."""

from __future__ import annotations

import pandas as pd
from test_consistency import fig

from indicators import corridor_charts, corridor_views, places

NAMES = {"cargo_tonnage": ("Cargo carried", "t")}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def growth(period: str, pct: float, source: str = "g") -> pd.DataFrame:
    row = fig(period, pct, unit="%", indicator="cargo_tonnage_yoy", source=source)
    return frame(row)


def test_annual_keeps_one_row_per_source_and_full_years_only():
    rows = corridor_views.annual(frame(
        fig("2023", 2.7e6, source="a"), fig("2023", 2.8e6, source="b"), fig("2024", 4.5e6),
        fig("2024-Q1", 1e6), fig("2024-01/2024-09", 3.4e6), fig("2025", 9e6, status="target"),
        fig("2024", 1e5, geo="TITR (whole corridor) — Kazakh oil")))
    assert list(zip(rows["year"], rows["value"], strict=True)) == [
        (2023, 2.7e6), (2023, 2.8e6), (2024, 4.5e6)]
    assert rows.loc[rows["year"] == 2023, "spread"].str.startswith("sources disagree").all()
    assert (rows.loc[rows["year"] == 2024, "spread"] == "").all()
    assert rows.loc[rows["year"] == 2023, "flag"].str.contains("Sources disagree").all()


def test_a_stated_growth_implies_the_missing_previous_year_marked_derived():
    rows = corridor_views.annual(frame(fig("2024", 4.5e6)), growth("2024", 62.0))
    implied = rows[rows["derived"]]
    assert list(implied["year"]) == [2023]
    assert abs(implied["value"].iloc[0] - 4.5e6 / 1.62) < 1
    assert "4.5 Mt in 2024 ÷ (1 +62.0%)" in implied["derivation"].iloc[0]


def test_no_implied_year_where_a_source_states_it():
    rows = corridor_views.annual(frame(fig("2024", 4.5e6), fig("2023", 2.8e6)),
                                 growth("2024", 62.0))
    assert not rows["derived"].any()


def test_gaps_are_the_years_without_any_figure_between_first_and_last():
    rows = corridor_views.annual(frame(fig("2020", 1e6), fig("2023", 2e6)))
    assert list(corridor_views.gaps(rows)["year"]) == [2021, 2022]


def test_ytd_takes_runs_from_january_and_says_which_months_each_year_covers():
    rows = corridor_views.ytd(frame(
        fig("2024-01/2024-04", 1.37e6), fig("2024-01/2024-09", 3.4e6), fig("2024", 4.5e6),
        fig("2025-01/2025-04", 1.5e6), fig("2025-H1", 0.926e6), fig("2024-Q3", 1e6),
        fig("2025-02/2025-05", 1e6)))
    assert list(zip(rows["year"], rows["month"], strict=True)) == [
        (2024, 4), (2024, 9), (2024, 12), (2025, 4), (2025, 6)]
    assert rows.loc[rows["year"] == 2024, "covers"].iloc[0] == "Jan–Apr, Jan–Sep, Jan–Dec"
    assert rows.loc[rows["year"] == 2025, "flag"].str.contains("falls").all()


def test_annual_chart_draws_one_bar_per_source_and_year_hollow_when_derived():
    rows = corridor_views.annual(frame(fig("2023", 2.7e6, source="a"),
                                       fig("2023", 2.8e6, source="b"), fig("2024", 4.5e6)),
                                 growth("2023", 65.0))
    chart = corridor_charts.annual(rows, corridor_views.gaps(rows), indicators=NAMES)
    bars = [t for t in chart.data if t.type == "bar"]
    marks = sorted((int(x), float(y)) for t in bars for x, y in zip(t.x, t.y, strict=True))
    assert marks == sorted((int(r.year), float(r.value)) for r in rows.itertuples())
    derived = [t for t in bars if "derived" in t.name]
    assert derived and all(t.marker.color == "rgba(255,255,255,0)" for t in derived)
    assert any(t.text and "sources disagree" in t.text for t in chart.data
               if t.type == "scatter")
    assert all(t.marker.line.color == places.colour("TITR (whole corridor)") for t in derived)


def test_annual_chart_labels_a_year_with_no_figure():
    rows = corridor_views.annual(frame(fig("2020", 1e6), fig("2022", 2e6)))
    chart = corridor_charts.annual(rows, corridor_views.gaps(rows), indicators=NAMES,
                                   mark="line")
    labels = [t for t in chart.data if t.mode == "text"]
    assert [list(t.x) for t in labels] == [[2021]] and labels[0].text == ("no figure",)


def test_ytd_chart_draws_one_line_per_year_naming_the_months():
    rows = corridor_views.ytd(frame(fig("2024-01/2024-04", 1.37e6), fig("2024", 4.5e6),
                                    fig("2025-01/2025-04", 1.5e6)))
    chart = corridor_charts.ytd(rows, indicators=NAMES)
    lines = [t for t in chart.data if "lines" in t.mode]
    assert [t.name for t in lines] == ["TITR (whole corridor) 2024 (Jan–Apr, Jan–Dec)",
                                       "TITR (whole corridor) 2025 (Jan–Apr)"]


def test_empty_views_say_why():
    empty = corridor_views.annual(pd.DataFrame(columns=list(fig("2023", 1))))
    chart = corridor_charts.annual(empty, corridor_views.gaps(empty), indicators=NAMES)
    assert "No full-year" in chart.layout.annotations[0].text
    assert "No year-to-date" in corridor_charts.ytd(
        corridor_views.ytd(pd.DataFrame(columns=list(fig("2023", 1)))),
        indicators=NAMES).layout.annotations[0].text


def test_a_place_keeps_its_colour_and_a_sub_flow_shares_it():
    assert places.colour("Aktau port") == places.colour("Aktau port — grain")
    assert places.colour("Some new place") == places.colour("Some new place")
    assert places.colour("Poti port") != places.colour("Batumi port")


def test_tables_for_people_format_values_periods_and_leave_missing_cells_empty():
    from indicators import tables

    row = fig("2025-01/2025-04", 1.5e6)
    row.update(quote=None, source_published=None, derivation=float("nan"))
    shown = tables.figures(frame(row, fig("2024", 56_500, unit="TEU")))
    assert list(shown["Value"]) == ["1.5 Mt", "56,500 TEU"]
    assert shown["Period"].iloc[0] == "Jan–Apr 2025 (year to date)"
    assert (shown.iloc[0][["Quote", "Published", "Derivation"]] == "").all()


def test_corridor_axes_write_tonnes_teu_and_trains_as_the_app_does():
    names = {"cargo_tonnage": ("Cargo carried", "t"), "container_volume": ("Containers", "TEU"),
             "container_trains": ("Container trains", "trains")}
    figures = frame(
        fig("2023", 2.7e6), fig("2024", 4.5e6),
        fig("2023", 33_000, unit="TEU", indicator="container_volume"),
        fig("2024-01/2024-09", 56_500, unit="TEU", indicator="container_volume"),
        fig("2024", 1_200, unit="trains", indicator="container_trains"))
    rows = corridor_views.annual(figures)
    for chart in (corridor_charts.annual(rows, corridor_views.gaps(rows), indicators=names),
                  corridor_charts.ytd(corridor_views.ytd(figures), indicators=names)):
        axes = [chart.layout[f"yaxis{i or ''}"] for i in (0, 2, 3)]
        assert [a.title.text for a in axes] == [
            "Cargo carried (million tonnes)", "Containers (TEU)", "Container trains (trains)"]
        assert list(axes[0].ticktext) == ["0", "1 Mt", "2 Mt", "3 Mt", "4 Mt", "5 Mt"]
        assert list(axes[1].ticktext)[:2] == ["0", "10,000"]  # 33,000 or 56,500 at most
        # 1,200 trains, on a tick: the axis goes one tick higher, the bar ends below its top
        assert list(axes[2].ticktext) == ["0", "200", "400", "600", "800", "1,000", "1,200",
                                          "1,400"]
        assert not any(a.tickformat for a in axes)  # no Plotly "4.5M"
