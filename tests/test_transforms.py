"""Pure calculations behind the views, and the SQL reads that feed them."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from indicators import codes, db, downloads, queries, scopes, settings, transforms

RANKS = codes.SOURCE_KIND.rank


def rates_frame(rows):
    """rows: (date, currency, source, kind, per_usd)."""
    f = pd.DataFrame(rows, columns=["date", "currency", "source", "source_kind", "per_usd"])
    f["date"] = pd.to_datetime(f["date"])
    f["source_title"] = f["source"] + " title"
    return f


def coverage(rows):
    """rows: (currency, source, kind, n)."""
    return pd.DataFrame(rows, columns=["currency", "source", "source_kind", "n"])


# ---------------------------------------------------------------- sources


def test_default_source_is_the_most_official_with_a_real_series():
    cov = coverage([("KZT", "nbk", "official", 3), ("KZT", "nbu", "official-cross", 311),
                    ("KZT", "ticker", "ticker", 81)])
    # nbk has too few points to stand alone, but is more official: shown beside nbu.
    assert transforms.default_sources(cov, ["KZT"], RANKS) == ["nbk", "nbu"]


def test_default_source_prefers_official_when_it_has_a_long_series():
    cov = coverage([("KZT", "nbk", "official", 5000), ("KZT", "nbu", "official-cross", 311)])
    assert transforms.default_sources(cov, ["KZT"], RANKS) == ["nbk"]


def test_default_source_without_any_long_series_is_the_best_ranked():
    cov = coverage([("UZS", "seed", "seed-page", 1), ("UZS", "cbu", "official", 3)])
    assert transforms.default_sources(cov, ["UZS"], RANKS) == ["cbu"]


def test_reconcile_adds_a_default_for_a_currency_left_without_source():
    cov = coverage([("KZT", "nbu", "official-cross", 300), ("KZT", "ticker", "ticker", 80),
                    ("UZS", "nbu", "official-cross", 300)])
    assert transforms.reconcile_sources(["ticker"], ["KZT", "UZS"], cov, RANKS) == \
        ["nbu", "ticker"]
    assert transforms.reconcile_sources(["gone"], ["KZT"], cov, RANKS) == ["nbu"]


def test_source_differences_pairs_nearby_dates_and_reports_the_gap():
    f = rates_frame([("2024-01-01", "KZT", "nbk", "official", 450.0),
                     ("2024-01-02", "KZT", "ticker", "ticker", 459.0),
                     ("2024-02-01", "KZT", "nbk", "official", 460.0),
                     ("2024-02-01", "KZT", "ticker", "ticker", 460.0)])
    d = transforms.source_differences(f, RANKS).iloc[0]
    assert (d["source_a"], d["source_b"], d["pairs"]) == ("nbk", "ticker", 2)
    assert d["max_diff_pct"] == pytest.approx(2.0)
    assert d["median_diff_pct"] == pytest.approx(1.0)


def test_source_differences_says_when_sources_never_overlap():
    f = rates_frame([("2020-01-01", "KZT", "nbu", "official-cross", 420.0),
                     ("2024-01-01", "KZT", "ticker", "ticker", 459.0)])
    d = transforms.source_differences(f, RANKS).iloc[0]
    assert d["pairs"] == 0 and pd.isna(d["median_diff_pct"])


# ---------------------------------------------------------------- views


def test_index_view_is_100_at_the_first_rate_of_each_series():
    f = rates_frame([("2020-01-01", "KZT", "a", "official", 400.0),
                     ("2021-01-01", "KZT", "a", "official", 500.0),
                     ("2020-06-01", "KZT", "b", "ticker", 420.0),
                     ("2021-06-01", "KZT", "b", "ticker", 210.0)])
    v = transforms.rate_view(f, "index")
    assert v.loc[v["source"] == "a", "value"].tolist() == [100.0, 125.0]
    assert v.loc[v["source"] == "b", "value"].tolist() == [100.0, 50.0]
    assert set(v["unit"]) == {"Index of KZT per USD"}


def test_usd_per_unit_view_inverts_the_rate():
    v = transforms.rate_view(rates_frame([("2020-01-01", "KZT", "a", "official", 500.0)]),
                             "usd_per")
    assert v["value"].iloc[0] == pytest.approx(0.002)
    assert v["unit"].iloc[0] == "USD per KZT"


def test_change_over_range_compares_first_and_last_rate():
    f = rates_frame([("2020-01-01", "KZT", "a", "official", 400.0),
                     ("2020-06-01", "KZT", "a", "official", 380.0),
                     ("2021-01-01", "KZT", "a", "official", 500.0)])
    c = transforms.change_over_range(f).iloc[0]
    assert c["change_pct"] == pytest.approx(25.0)
    assert c["first_date"] == pd.Timestamp("2020-01-01") and c["n"] == 3


def test_change_counts_the_observations_of_a_thinned_series_not_its_drawn_points():
    f = rates_frame([("2020-01-01", "KZT", "a", "official", 400.0),
                     ("2020-06-01", "KZT", "a", "official", 380.0),
                     ("2021-01-01", "KZT", "a", "official", 500.0)]).assign(n_in_series=300)
    c = transforms.change_over_range(f).iloc[0]
    assert c["n"] == 300 and c["change_pct"] == pytest.approx(25.0)


def test_views_of_an_empty_frame_are_empty_frames():
    empty = rates_frame([])
    assert transforms.rate_view(empty, "index").empty
    assert transforms.change_over_range(empty).empty
    assert transforms.latest_by_currency(empty).empty


# ---------------------------------------------------------------- freshness


def test_business_days_skip_weekends():
    assert transforms.business_days(date(2026, 11, 20), date(2026, 11, 27)) == 5  # Fri->Fri
    assert transforms.business_days(date(2026, 11, 27), date(2026, 11, 27)) == 0
    assert transforms.business_days(date(2026, 11, 28), date(2026, 11, 30)) == 1  # Sat->Mon


def test_rate_is_stale_after_more_than_the_limit_of_business_days():
    assert not transforms.is_stale(date(2026, 11, 20), date(2026, 11, 27), 5)
    assert transforms.is_stale(date(2026, 11, 19), date(2026, 11, 27), 5)


def test_stale_limit_reads_the_environment_and_ignores_bad_values():
    assert transforms.stale_limit({}) == 5
    assert transforms.stale_limit({settings.STALE_BUSINESS_DAYS.name: "10"}) == 10
    assert transforms.stale_limit({settings.STALE_BUSINESS_DAYS.name: "soon"}) == 5
    assert transforms.stale_limit({settings.STALE_BUSINESS_DAYS.name: "-1"}) == 5


def test_stale_rates_lists_only_old_latest_rates():
    f = rates_frame([("2026-11-26", "KZT", "nbk", "official", 450.0),
                     ("2026-06-01", "KGS", "nbkr", "official", 87.0)])
    stale = transforms.stale_rates(transforms.latest_by_currency(f), date(2026, 11, 27), 5)
    assert stale["currency"].tolist() == ["KGS"]


def test_headline_prefers_a_recent_official_rate_to_a_fresher_ticker():
    cov = pd.DataFrame({
        "currency": ["KZT"] * 3, "source": ["nbk", "ticker", "nbu"],
        "source_kind": ["official", "ticker", "official-cross"], "n": [3, 80, 300],
        "last": pd.to_datetime(["2026-04-03", "2026-07-01", "2022-07-01"])})
    assert transforms.pick_headline(cov, RANKS)["source"].tolist() == ["nbk"]


def test_redenomination_is_named_for_the_new_code():
    assert "5,000 TMM = 1 TMT" in transforms.redenomination_note("TMT")
    assert transforms.redenomination_note("KZT") is None
    assert transforms.stored_codes(["KZT", "TMT"]) == ["KZT", "TMT", "TMM"]


# ---------------------------------------------------------------- figures


def figures_frame(rows):
    """rows: (geo, period, start, end, value, status, derived, source)."""
    f = pd.DataFrame(rows, columns=["geo", "period", "period_start", "period_end", "value",
                                    "status", "derived", "source"])
    f["period_start"] = pd.to_datetime(f["period_start"])
    f["period_end"] = pd.to_datetime(f["period_end"])
    f["indicator"], f["indicator_name"], f["unit"] = "cargo_tonnage", "Cargo carried", "t"
    f["source_title"] = f["source"] + " title"
    return f


def test_period_geometry_gives_each_period_its_true_width():
    f = transforms.period_geometry(figures_frame([
        ("A", "2024-Q2", "2024-04-01", "2024-06-30", 1.0, "reported", False, "s"),
        ("A", "2024-01/2024-11", "2024-01-01", "2024-11-30", 1.0, "reported", False, "s")]))
    assert (f["x_end"] - f["x_start"]).dt.days.tolist() == [91, 335]
    assert f["period_label"].tolist() == ["2024-Q2", "Jan–Nov 2024 (year to date)"]
    assert f["is_interval"].tolist() == [False, True]


def test_year_on_year_growth_needs_the_same_period_a_year_earlier():
    f = figures_frame([
        ("A", "2023", "2023-01-01", "2023-12-31", 2.8e6, "reported", False, "s1"),
        ("A", "2023", "2023-01-01", "2023-12-31", 2.7e6, "reported", False, "s2"),
        ("A", "2024", "2024-01-01", "2024-12-31", 4.5e6, "reported", False, "s1"),
        ("A", "2024-01/2024-04", "2024-01-01", "2024-04-30", 1.37e6, "reported", False, "s1"),
        ("A", "2025-01/2025-04", "2025-01-01", "2025-04-30", 1.5e6, "reported", False, "s1"),
        ("A", "2025-H1", "2025-01-01", "2025-06-30", 1.0e6, "reported", False, "s1")])
    g = transforms.yoy_growth(f).sort_values("growth_pct")
    assert g["to_period"].tolist() == ["2025-01/2025-04", "2024", "2024"]
    assert g["growth_pct"].round(1).tolist() == [9.5, 60.7, 66.7]  # both 2023 sources kept
    assert set(g["from_source"]) == {"s1", "s2"}


def test_growth_ignores_derived_and_forecast_figures():
    f = figures_frame([
        ("A", "2025-Q1", "2025-01-01", "2025-03-31", 93.0, "reported", True, "s"),
        ("A", "2026-Q1", "2026-01-01", "2026-03-31", 125.0, "reported", False, "s"),
        ("A", "2027-Q1", "2027-01-01", "2027-03-31", 150.0, "forecast", False, "s")])
    assert transforms.yoy_growth(f).empty


def test_compound_annual_growth_between_first_and_last_full_year():
    f = figures_frame([
        ("KZ", "2017", "2017-01-01", "2017-12-31", 0.8e6, "reported", False, "s"),
        ("KZ", "2024", "2024-01-01", "2024-12-31", 4.5e6, "reported", False, "s")])
    g = transforms.cagr(f).iloc[0]
    assert g["growth_pct"] == pytest.approx(27.985, abs=0.01)
    assert "^(1/7)" in g["derivation"]


def test_growth_merges_sources_that_state_the_same_value():
    f = figures_frame([
        ("A", "2023", "2023-01-01", "2023-12-31", 28e6, "reported", False, "s1"),
        ("A", "2024", "2024-01-01", "2024-12-31", 32e6, "reported", False, "s2"),
        ("A", "2024", "2024-01-01", "2024-12-31", 32e6, "reported", False, "s3")])
    g = transforms.growth(f)
    assert len(g) == 1 and g["to_source"].iloc[0] == "s2; s3"


def test_headline_growth_prefers_the_stated_growth():
    f = figures_frame([
        ("A", "2024-H1", "2024-01-01", "2024-06-30", 19370.0, "reported", False, "s"),
        ("A", "2025-H1", "2025-01-01", "2025-06-30", 40200.0, "reported", False, "s")])
    head = transforms.headline_figure(f, {"A"})
    assert head["period"] == "2025-H1"
    stated = pd.DataFrame({"geo": ["A"], "period": ["2025-H1"], "value": [93.0],
                           "source_title": ["t"]})
    assert transforms.headline_growth(head, f, stated) == (93.0, "year on year (stated)", False)
    value, label, derived = transforms.headline_growth(head, f, stated.iloc[0:0])
    assert round(value, 1) == 107.5 and derived and "derived" in label


# ---------------------------------------------------------------- scopes


def test_scopes_group_geos_from_the_curated_list_then_by_name():
    known = scopes.load(Path(__file__).resolve().parents[1] / "data" / "seed" / "geos.csv")
    geos = scopes.classify(["TITR (whole corridor)", "Aktau port — grain",
                            "Poti port (new)", "Somewhere else"], known)
    assert [g.group for g in geos] == [scopes.WHOLE, scopes.PORTS, scopes.PORTS, scopes.OTHER]
    by_slug = {s.slug: s for s in scopes.scopes(geos)}
    assert by_slug["whole-titr"].geos == ("TITR (whole corridor)",)
    assert "Aktau port — grain" in by_slug["aktau-port"].geos
    assert len(by_slug["all"].geos) == 4


def test_headline_geos_are_the_corridor_itself_not_all_traffic_of_its_countries():
    known = scopes.load(Path(__file__).resolve().parents[1] / "data" / "seed" / "geos.csv")
    geos = scopes.classify(["TITR (whole corridor)", "TITR via Kazakhstan (rail)",
                            "Kazakhstan–China rail", "Kazakhstan (all transit)",
                            "Khorgos (CN–KZ border)", "Kazakhstan–China rail — KZ exports",
                            "Aktau port", "China–Azerbaijan (TITR)"], known)
    # All of these but the port share the two headline groups; only TITR geos stand for
    # the corridor, and a qualified sub-flow never does.
    assert {g.group for g in geos} - {scopes.PORTS} == set(scopes.HEADLINE_GROUPS)
    assert scopes.headline_geos(geos) == {"TITR (whole corridor)", "TITR via Kazakhstan (rail)",
                                          "China–Azerbaijan (TITR)"}


def test_missing_geo_file_means_every_geo_is_guessed(tmp_path):
    assert scopes.load(tmp_path / "absent.csv") == {}
    assert scopes.guess("TITR via Kazakhstan (rail)").group == scopes.KAZAKHSTAN


# ---------------------------------------------------------------- downloads


def test_csv_neutralises_formula_cells_and_writes_plain_dates():
    f = pd.DataFrame({"date": pd.to_datetime(["2024-01-02"]), "quote": ["=HYPERLINK(1)"],
                      "note": ["+1 call"], "who": ["@me"], "dash": ["-x"], "value": [-3.5]})
    text = downloads.csv_bytes(f).decode("utf-8-sig")
    assert text.splitlines()[1] == "2024-01-02,'=HYPERLINK(1),'+1 call,'@me,'-x,-3.5"


def test_csv_keeps_the_chosen_columns_in_order_with_new_names():
    f = pd.DataFrame({"b": [1], "a": [2], "c": [3]})
    assert downloads.csv_bytes(f, {"a": "A", "b": "B"}).decode("utf-8-sig") == "A,B\n2,1\n"


def test_chart_config_names_the_image_and_knows_svg():
    cfg = downloads.chart_config("Rates KZT/KGS 2024", "svg")
    assert cfg["toImageButtonOptions"]["format"] == "svg"
    assert cfg["toImageButtonOptions"]["filename"] == "rates-kzt-kgs-2024"
    assert downloads.chart_config("x", "gif")["toImageButtonOptions"]["format"] == "png"


# ---------------------------------------------------------------- the SQL half


@pytest.fixture(scope="module")
def conn(seeded_db):
    with db.connect(seeded_db) as c:
        yield c


def test_old_manat_is_restated_in_new_manat_and_flagged(conn):
    tmt = queries.rate_series(conn, ["TMT"], sources=["nbu-cross"])
    old = tmt[tmt["stored_currency"] == "TMM"]
    assert not old.empty and old["redenominated"].all()
    assert (old["per_usd"] * 5000 - old["stored_per_usd"]).abs().max() < 1e-6
    assert tmt["currency"].unique().tolist() == ["TMT"]


def test_rates_stored_either_way_round_come_back_per_usd(conn):
    kzt = queries.rate_series(conn, ["KZT"], sources=["timesca-ticker"])
    row = kzt.iloc[0]
    assert row["base"] == "KZT" and row["per_usd"] == pytest.approx(1 / row["rate"])


def test_cross_rate_divides_two_usd_rates_of_one_source_on_one_date(conn):
    cross = queries.cross_rates(conn, "KZT", "KGS", sources=["nbu-cross"])
    r = cross.iloc[0]
    assert r["value"] == pytest.approx(r["numerator_per_usd"] / r["denominator_per_usd"])
    assert set(cross["source"]) == {"nbu-cross"}


def test_thinning_keeps_first_last_and_extremes(conn):
    full = queries.rate_series(conn, ["KZT"], sources=["nbu-cross"])
    thin = queries.rate_series(conn, ["KZT"], sources=["nbu-cross"], max_points=40,
                               min_points_per_series=40)
    assert len(thin) < len(full) and thin["thinned"].all()
    for col, fn in (("per_usd", "max"), ("per_usd", "min"), ("date", "min"), ("date", "max")):
        assert getattr(thin[col], fn)() == getattr(full[col], fn)()


def test_thinning_picks_the_same_points_every_time(conn):
    """A shared link draws the same points on every load: a bucket's lowest or highest value
    repeated on several days is kept on one rule's day, not on whichever day DuckDB's parallel
    aggregation met first (the five currencies' default chart differed in 6 of 12 loads)."""
    first = queries.rate_series(conn, ["KZT", "KGS", "TJS", "UZS", "TMT"])
    assert first["thinned"].any()
    for _ in range(8):
        again = queries.rate_series(conn, ["KZT", "KGS", "TJS", "UZS", "TMT"])
        pd.testing.assert_frame_equal(again, first)


def test_values_are_parameters_not_sql(conn):
    assert queries.rate_series(conn, ["KZT'; DROP TABLE rates; --"]).empty
    assert queries.search_sources(conn, "%' OR 1=1 --") == []
    assert conn.execute("SELECT count(*) FROM rates").fetchone()[0] > 0


def test_coverage_gives_each_currency_and_source_its_span(conn):
    cov = queries.rate_coverage(conn, start=date(2020, 1, 1))
    assert (cov["first"] >= pd.Timestamp("2020-01-01")).all()
    assert {"KZT", "KGS", "TJS", "UZS", "TMT"} <= set(cov["currency"])


def test_a_year_back_keeps_month_ends_and_leap_days_sensible():
    start, end = transforms.year_back(
        pd.Series(pd.to_datetime(["2024-02-29", "2025-01-01", "2024-04-01"])),
        pd.Series(pd.to_datetime(["2024-02-29", "2025-02-28", "2024-04-15"])))
    assert [d.strftime("%Y-%m-%d") for d in start] == ["2023-02-28", "2024-01-01", "2023-04-01"]
    assert [d.strftime("%Y-%m-%d") for d in end] == ["2023-02-28", "2024-02-29", "2023-04-15"]
