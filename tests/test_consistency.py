"""The consistency checks on small frames: each contradiction found once, with both figures
and their quotes; figures that only look alike are not flagged."""

from __future__ import annotations

import pandas as pd

from indicators import consistency, period_notation


def fig(period: str, value: float, *, source: str = "s1", unit: str = "t",
        geo: str = "TITR (whole corridor)", indicator: str = "cargo_tonnage",
        status: str = "reported", derived: bool = False) -> dict:
    p = period_notation.parse(period)
    return {"indicator": indicator, "indicator_name": "Cargo", "geo": geo, "period": period,
            "period_start": pd.Timestamp(p.start), "period_end": pd.Timestamp(p.end),
            "value": value, "unit": unit, "status": status, "derived": derived,
            "source": source, "source_title": f"Title {source}",
            "source_url": f"https://example.org/{source}", "quote": f"Quote of {source}"}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_two_sources_with_different_values_for_one_year_disagree_with_both_quotes():
    found = consistency.disagreements(frame(fig("2023", 2_700_000, source="a"),
                                            fig("2023", 2_800_000, source="b")))
    assert len(found) == 1
    r = found.iloc[0]
    assert (r.value_a, r.value_b) == (2_700_000, 2_800_000)
    assert (r.quote_a, r.quote_b) == ("Quote of a", "Quote of b")
    assert "2.7 Mt" in r.message and "2.8 Mt" in r.message


def test_same_value_or_a_rounding_difference_is_no_disagreement():
    assert consistency.disagreements(frame(fig("2023", 2_700_000, source="a"),
                                           fig("2023", 2_700_000, source="b"),
                                           fig("2023", 2_700_500, source="c"))).empty


def test_different_scopes_units_or_statuses_are_not_compared():
    rows = frame(fig("2023", 1, geo="A"), fig("2023", 2, geo="B"),
                 fig("2023", 3, unit="TEU"), fig("2023", 9, status="forecast"),
                 fig("2023", 8, derived=True))
    assert consistency.contradictions(rows).empty


def test_a_quarter_larger_than_its_year_is_a_part_exceeding_the_whole():
    found = consistency.parts_exceeding_whole(frame(fig("2024-Q3", 5_000_000, source="q"),
                                                    fig("2024", 4_500_000, source="y")))
    assert len(found) == 1
    r = found.iloc[0]
    assert (r.period_a, r.period_b) == ("2024-Q3", "2024")
    assert r.kind == consistency.PART_EXCEEDS_WHOLE


def test_a_part_smaller_than_its_whole_or_outside_it_is_fine():
    rows = frame(fig("2024-Q3", 1_000_000), fig("2024", 4_500_000),
                 fig("2025-Q1", 9_000_000))
    assert consistency.parts_exceeding_whole(rows).empty


def test_shares_and_rates_are_not_checked_for_nesting():
    rows = frame(fig("2024-Q3", 80, unit="%"), fig("2024", 60, unit="%"),
                 fig("2024-03", 20, unit="trains/day"), fig("2024", 15, unit="trains/day"))
    assert consistency.contradictions(rows).empty


def test_jan_apr_larger_than_h1_is_a_falling_year_to_date_figure_flagged_once():
    rows = frame(fig("2025-01/2025-04", 1_500_000, source="kazinform"),
                 fig("2025-H1", 926_000, source="trend"))
    found = consistency.contradictions(rows)
    assert list(found["kind"]) == [consistency.YTD_FALLS]
    r = found.iloc[0]
    assert (r.period_a, r.value_a, r.period_b, r.value_b) == (
        "2025-01/2025-04", 1_500_000, "2025-H1", 926_000)
    assert "1.5 Mt" in r.message and "926.0 kt" in r.message


def test_a_rising_year_to_date_series_is_fine_and_only_neighbours_are_compared():
    rising = frame(fig("2024-01/2024-04", 1.37e6), fig("2024-01/2024-07", 2.5e6),
                   fig("2024-01/2024-09", 3.4e6), fig("2024", 4.5e6))
    assert consistency.ytd_falls(rising).empty
    dip = frame(fig("2025-01/2025-04", 1.5e6), fig("2025-H1", 0.9e6),
                fig("2025-01/2025-09", 1.8e6))
    found = consistency.ytd_falls(dip)
    assert list(zip(found["period_a"], found["period_b"], strict=True)) == [
        ("2025-01/2025-04", "2025-H1")]


def test_flagged_marks_exactly_the_figures_involved():
    rows = frame(fig("2023", 2.7e6, source="a"), fig("2023", 2.8e6, source="b"),
                 fig("2022", 1e6, source="a"))
    notes = consistency.flagged(rows, consistency.contradictions(rows))
    assert [bool(n) for n in notes] == [True, True, False]
    assert "Sources disagree" in notes.iloc[0]


def test_empty_input_gives_empty_frames_with_the_columns():
    empty = pd.DataFrame(columns=list(fig("2023", 1)))
    assert list(consistency.contradictions(empty).columns) == consistency.COLUMNS
    assert consistency.flagged(empty, consistency.contradictions(empty)).empty
