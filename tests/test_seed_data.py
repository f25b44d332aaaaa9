"""The committed seed in data/seed/ matches its sources and the rules it is built by."""

from __future__ import annotations

import csv
import gzip
import hashlib
import math
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from indicators import codes, period_notation, schema

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "seed"
SHARED = Path(__file__).resolve().parents[1] / "data" / "raw"
# The reference material beside the repository (CI has it; a public clone does not).
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared"
SOURCE_PAGE = REFERENCE / "seed" / "source-page.txt"
needs_reference = pytest.mark.skipif(
    not REFERENCE.exists(), reason="../shared (the non-redistributable source page and the "
                                   "reference copies) is not beside this clone")

SEED_ARTICLE = "https://timesca.com/?p=49879"
TRAINS_QUOTE = ("In the first quarter of 2026, 125 container trains transited Kazakhstan via the "
                "Middle Corridor, a 34.4% increase from the same period in 2025.")
TONNAGE_QUOTE = ("The Times of Central Asia also reported that freight volumes along the route "
                 "through Kazakhstan have grown more than fivefold over seven years, from 0.8 "
                 "million tons to 4.5 million tons annually.")
FIGURE_FILES = ("corridor_figures.csv", "corridor_figures_2.csv")
CURATED = ("indicators.csv", "metric_map.csv", "geo_map.csv", "figure_curation.csv",
           "figure_curation_2.csv",
           "seed_page_figures.csv", "fixed_sources.csv", "curation_decisions.md")
RATE_FILES = ("rates_nbu_daily.csv.gz", "rates_cba_daily.csv.gz", "rates_hmrc_monthly.csv",
              "rates_official.csv", "rates_ticker.csv", "rates_seed_page.csv")
OUTPUTS = ("sources.csv", "figures.csv", "geos.csv", *RATE_FILES, "rate_flags.csv",
           "EXCLUDED.md")



def rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def figures():
    return rows(SEED / "figures.csv")


@pytest.fixture(scope="module")
def shared_figures():
    """Both labelled sets, each row with the file it came from."""
    return [{**r, "_file": name} for name in FIGURE_FILES for r in rows(SHARED / name)]


@pytest.fixture(scope="module")
def indicators():
    return {r["id"]: r for r in rows(SEED / "indicators.csv")}


@pytest.fixture(scope="module")
def factors():
    return {(r["metric"], r["unit"]): r["factor"] for r in rows(SEED / "metric_map.csv")}


@pytest.fixture(scope="module")
def excluded_lines():
    """(file, line) of every row EXCLUDED.md lists, by the section it is listed under."""
    out, current = [], None
    for line in (SEED / "EXCLUDED.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## Figures \(`([^`]+)`\)", line)
        if heading or line.startswith("## "):
            current = heading.group(1) if heading else None
        elif current and (m := re.match(r"^\| (\d+) \|", line)):
            out.append((current, int(m.group(1))))
    return out


def stated(figures):
    return [f for f in figures if not f["derivation"] and f["source_url"] != SEED_ARTICLE]


def test_every_stated_figure_traces_to_a_shared_row_with_same_url_quote_and_value(
        figures, shared_figures, factors):
    for f in stated(figures):
        candidates = [r for r in shared_figures
                      if r["url"] == f["source_url"] and r["quote"] == f["quote"]]
        assert candidates, f"no shared row with this URL and quote: {f}"
        matches = [r for r in candidates if math.isclose(
            float(f["value"]), float(r["value"]) * float(factors[(r["metric"], r["unit"])]),
            rel_tol=1e-12)]
        assert matches, f"value {f['value']} matches no shared row of that sentence: {f}"
        if any(factors[(r["metric"], r["unit"])] != "1" for r in matches):
            assert "Converted" in f["note"], f"conversion not recorded in note: {f}"


def test_included_plus_excluded_is_every_shared_row_sentence_by_sentence(
        figures, shared_figures, excluded_lines):
    # Every row of the shared files is either kept (stated) or listed in EXCLUDED.md.
    assert set(Counter(r["_file"] for r in shared_figures)) == set(FIGURE_FILES)
    assert len(stated(figures)) + len(excluded_lines) == len(shared_figures)
    assert len(set(excluded_lines)) == len(excluded_lines)
    left_out = set(excluded_lines)
    kept = Counter()
    for name in FIGURE_FILES:
        kept.update((r["url"], r["quote"]) for i, r in enumerate(rows(SHARED / name))
                    if (name, i + 2) not in left_out)
    assert Counter((f["source_url"], f["quote"]) for f in stated(figures)) == kept


def test_every_indicator_used_is_catalogued_with_the_same_unit(figures, indicators):
    assert 25 <= len(indicators) <= 60
    for f in figures:
        assert f["indicator"] in indicators, f
        assert f["unit"] == indicators[f["indicator"]]["unit"], f


def test_catalogue_ids_are_unique_snake_case_with_one_unit_each():
    ids = [r["id"] for r in rows(SEED / "indicators.csv")]
    assert len(ids) == len(set(ids))
    for r in rows(SEED / "indicators.csv"):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["id"]) and r["unit"] and r["category"], r


def test_figure_keys_are_unique(figures):
    keys = Counter((f["indicator"], f["geo"], f["period"], f["source_url"]) for f in figures)
    assert [k for k, n in keys.items() if n > 1] == []


def test_periods_statuses_and_values_are_valid(figures):
    for f in figures:
        period_notation.parse(f["period"])  # raises on a period outside the store's notation
        assert f["status"] in schema.STATUSES, f
        assert math.isfinite(float(f["value"])), f
        assert f["quote"] and f["source_url"] and f["source_title"], f


def test_every_source_is_listed_with_its_hashed_id(figures):
    sources = {s["id"]: s for s in rows(SEED / "sources.csv")}
    assert len(sources) == len(rows(SEED / "sources.csv"))
    for url in {f["source_url"] for f in figures}:
        sid = "src-" + hashlib.sha1(url.encode()).hexdigest()[:10]
        assert sources[sid]["url"] == url
    for name in RATE_FILES:
        for r in rows(SEED / name):
            assert r["source"] in sources, (name, r)
    assert {"nbu-cross", "cba-cross", "hmrc-monthly", "nbk", "cbu", "nbt", "nbkr", "cbt",
            "frankfurter", "timesca-ticker", "timesca-seed-page"} <= set(sources)
    assert all(s["kind"] in codes.SOURCE_KIND for s in sources.values())
    assert "www.nbt.tj" in sources["nbt"]["licence"]
    assert "2026-06-03" in sources["timesca-seed-page"]["note"]


def test_every_geo_has_one_of_the_four_scope_groups(figures):
    geos = {g["geo"]: g for g in rows(SEED / "geos.csv")}
    for f in figures:
        assert geos[f["geo"]]["scope_group"] in ("Whole TITR", "Via Kazakhstan", "Ports",
                                                 "Other"), f
    raw = {r["geo"] for name in FIGURE_FILES for r in rows(SHARED / name)}
    assert raw == {g["raw_geo"] for g in rows(SEED / "geo_map.csv")}


def test_one_nbu_series_is_every_daily_row_plus_the_monthly_rows_the_daily_file_lacks():
    daily = rows(SHARED / "fx_nbu_daily_1996_2022.csv.gz")
    monthly = rows(SHARED / "fx_nbu_monthly_1996_2022.csv")
    seed = rows(SEED / "rates_nbu_daily.csv.gz")
    assert {r["source"] for r in seed} == {"nbu-cross"}
    def key(r):
        # The Tajik rouble, labelled TJS in the archive before the somoni, is stored as TJR.
        rouble = r["quote"] == "TJS" and r["date"] < "2000-10-30"
        return (r["date"], r["base"], "TJR" if rouble else r["quote"], r["rate"])
    have = {(r["date"], r["quote"]) for r in daily}
    extra = [r for r in monthly if (r["date"], r["quote"]) not in have]
    assert sorted(map(key, seed)) == sorted(map(key, daily + extra))
    # Only the Turkmen manat is missing from the daily archive (before 2014-04).
    assert {r["quote"] for r in extra} == {"TMM", "TMT"}
    assert max(r["date"] for r in extra) <= "2014-04-01"
    assert len(daily) == 35_590
    rouble = [r for r in seed if r["quote"] == "TJR"]
    assert rouble and all(r["date"] < "2000-10-30" and float(r["rate"]) > 500 for r in rouble)
    assert all(float(r["rate"]) < 100 for r in seed if r["quote"] == "TJS")


def test_cba_and_hmrc_rates_are_every_row_of_their_files():
    for shared, seed, source in (("fx_cba_daily_2005_2023.csv.gz", "rates_cba_daily.csv.gz",
                                  "cba-cross"),
                                 ("fx_hmrc_monthly_2014_2026.csv", "rates_hmrc_monthly.csv",
                                  "hmrc-monthly")):
        a = rows(SHARED / shared)
        b = rows(SEED / seed)
        assert [(r["date"], r["base"], r["quote"], r["rate"]) for r in a] == [
            (r["date"], r["base"], r["quote"], r["rate"]) for r in b]
        assert {r["source"] for r in b} == {source}
    assert len(rows(SEED / "rates_cba_daily.csv.gz")) == 17_264
    assert len(rows(SEED / "rates_hmrc_monthly.csv")) == 622


def test_every_listed_outlier_is_flagged_on_its_stored_rate():
    outliers = rows(SHARED / "fx_daily_outliers.csv")
    flags = rows(SEED / "rate_flags.csv")
    assert len(flags) == len(outliers) == 352
    stored = {(r["source"], r["date"], r["quote"]): r["rate"]
              for name in ("rates_nbu_daily.csv.gz", "rates_cba_daily.csv.gz")
              for r in rows(SEED / name)}
    source = {"fx_nbu_daily_1996_2022.csv": "nbu-cross", "fx_cba_daily_2005_2023.csv": "cba-cross"}
    def key(o):  # the Tajik rouble is stored as TJR (see the NBU test)
        rouble = o["quote"] == "TJS" and o["date"] < "2000-10-30" and "nbu" in o["file"]
        return (source[o["file"]], o["date"], "TJR" if rouble else o["quote"])
    assert sorted(map(key, outliers)) == sorted(
        (f["source"], f["date"], f["quote"]) for f in flags)
    for o in outliers:
        assert float(stored[key(o)]) == float(o["rate"])
    assert all(f["reason"] for f in flags)


def _months(first: str, last: str) -> set[str]:
    y, m = map(int, first.split("-"))
    out = set()
    while f"{y:04d}-{m:02d}" <= last:
        out.add(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _seed_months() -> dict[str, set[str]]:
    """Calendar months with at least one stored rate, per currency (TMM counted as TMT)."""
    out: dict[str, set[str]] = {}
    for name in RATE_FILES:
        for r in rows(SEED / name):
            cur = r["quote"] if r["base"] == "USD" else r["base"]
            out.setdefault("TMT" if cur == "TMM" else cur, set()).add(r["date"][:7])
    return out


@pytest.mark.parametrize(("currency", "first", "last"), [
    ("KZT", "1997-01", "2026-09"), ("KGS", "1997-01", "2026-09"), ("TMT", "1997-01", "2026-09"),
    ("UZS", "1998-01", "2026-09"), ("TJS", "2003-01", "2023-11")])
def test_a_rate_in_every_calendar_month(currency, first, last):
    missing = sorted(_months(first, last) - _seed_months()[currency])
    assert missing == [], f"{currency}: no rate in {missing[:10]}"


def test_kzt_daily_from_one_source_for_9000_days_before_2022_08():
    days = Counter()
    for name in RATE_FILES:
        for r in rows(SEED / name):
            if r["quote"] == "KZT" and r["base"] == "USD" and r["date"] < "2022-08-01":
                days[r["source"]] += 1
    assert max(days.values()) >= 9_000, days
    assert days["nbu-cross"] >= 9_000


def test_seed_files_stay_small_and_large_ones_are_compressed():
    for path in SEED.iterdir():
        assert path.stat().st_size < 5_000_000, path.name
        if path.suffix == ".csv":
            assert path.stat().st_size < 1_000_000, f"{path.name}: compress it (.csv.gz)"


def test_every_new_rate_source_has_publisher_licence_and_attribution():
    sources = {s["id"]: s for s in rows(SEED / "sources.csv")}
    for sid in ("nbu-cross", "cba-cross", "hmrc-monthly"):
        s = sources[sid]
        assert s["publisher"] and s["licence"] and s["attribution"], s
    assert "Open Government Licence v3.0" in sources["hmrc-monthly"]["attribution"]
    assert "Central Bank of Armenia" in sources["cba-cross"]["attribution"]
    assert "National Bank of Ukraine" in sources["nbu-cross"]["attribution"]


def test_official_rates_keep_every_point_with_the_bank_as_source():
    shared = rows(SHARED / "fx_official_points.csv")
    seed = rows(SEED / "rates_official.csv")
    assert sorted((r["date"], r["quote"], r["rate"]) for r in shared) == sorted(
        (r["date"], r["quote"], r["rate"]) for r in seed)
    bank = {"KZT": "nbk", "UZS": "cbu", "TJS": "nbt", "KGS": "nbkr", "TMT": "cbt"}
    assert all(r["source"] == bank[r["quote"]] and r["base"] == "USD" for r in seed)


def test_ticker_rates_are_dated_non_uzs_snapshot_values_one_per_date_and_pair():
    snaps = {(r["published"], r["pair"], r["rate"])
             for r in rows(SHARED / "fx_ticker_snapshots.csv")}
    seed = rows(SEED / "rates_ticker.csv")
    assert seed
    for r in seed:
        assert r["date"] and r["base"] != "UZS" and r["quote"] == "USD", r
        assert (r["date"], f"{r['base']}/USD", r["rate"]) in snaps, r
    assert len({(r["date"], r["base"]) for r in seed}) == len(seed)


def test_rate_keys_are_unique_across_files():
    keys = Counter()
    for name in RATE_FILES:
        keys.update((r["date"], r["base"], r["quote"], r["source"])
                    for r in rows(SEED / name))
    assert [k for k, n in keys.items() if n > 1] == []


def test_seed_page_rates_are_the_five_ticker_values_on_the_earliest_possible_date():
    seed = rows(SEED / "rates_seed_page.csv")
    assert [(r["date"], r["base"], r["quote"], r["rate"], r["source"]) for r in seed] == [
        ("2026-06-03", c, "USD", v, "timesca-seed-page") for c, v in
        (("KGS", "0.01143"), ("KZT", "0.00205"), ("TJS", "0.10724"), ("UZS", "0.00008"),
         ("TMT", "0.28571"))]


def test_the_125_container_trains_row_exists_with_its_sentence_and_url(figures):
    [row] = [f for f in figures if f["indicator"] == "container_trains"
             and f["period"] == "2026-Q1"]
    assert row["value"] == "125" and row["unit"] == "trains"
    assert row["geo"] == "TITR via Kazakhstan (rail)"
    assert row["quote"] == TRAINS_QUOTE and row["source_url"] == SEED_ARTICLE
    assert row["status"] == "reported" and row["derivation"] == ""
    [growth] = [f for f in figures if f["indicator"] == "container_trains_yoy"]
    assert (growth["value"], growth["period"], growth["geo"]) == ("34.4", "2026-Q1", row["geo"])


@needs_reference
def test_seed_page_quotes_appear_verbatim_in_the_source_page(figures):
    page = SOURCE_PAGE.read_text(encoding="utf-8")
    for f in (f for f in figures if f["source_url"] == SEED_ARTICLE):
        assert f["quote"] in page, f


@needs_reference
def test_raw_copies_equal_the_shared_reference_files():
    for path in SHARED.glob("*.csv"):
        assert path.read_bytes() == (REFERENCE / "data" / path.name).read_bytes(), path.name
    for path in SHARED.glob("*.csv.gz"):
        assert gzip.decompress(path.read_bytes()) == (
            REFERENCE / "data" / path.name.removesuffix(".gz")).read_bytes(), path.name
    ticker = (SHARED / "seed_page_ticker.txt").read_text(encoding="utf-8")
    assert SOURCE_PAGE.read_text(encoding="utf-8").startswith(ticker)


def test_seed_page_figures_state_their_value(figures):
    seed_rows = [f for f in figures if f["source_url"] == SEED_ARTICLE]
    assert len(seed_rows) == 7
    assert {f["quote"] for f in seed_rows} == {TRAINS_QUOTE, TONNAGE_QUOTE}
    tonnage = {f["period"]: f for f in seed_rows if f["indicator"] == "cargo_tonnage"}
    assert {p: f["value"] for p, f in tonnage.items()} == {"2017": "800000", "2024": "4500000"}
    for f in tonnage.values():
        assert f["quote"] == TONNAGE_QUOTE and "no year" in f["note"]


def test_derived_rows_are_computed_from_the_seed_sentence(figures):
    derived = {f["indicator"]: f for f in figures if f["derivation"]}
    assert set(derived) == {"container_trains", "cargo_tonnage_cagr"}
    trains = derived["container_trains"]
    assert trains["period"] == "2025-Q1" and trains["quote"] == TRAINS_QUOTE
    assert math.isclose(float(trains["value"]), 125 / 1.344, rel_tol=1e-12)
    cagr = derived["cargo_tonnage_cagr"]
    assert cagr["period"] == "2017/2024" and cagr["quote"] == TONNAGE_QUOTE
    assert math.isclose(float(cagr["value"]), ((4.5 / 0.8) ** (1 / 7) - 1) * 100, rel_tol=1e-12)
    assert all(f["source_url"] == SEED_ARTICLE for f in derived.values())


def test_disagreeing_sources_stay_as_separate_rows(figures):
    titr_2023 = sorted(f["value"] for f in figures if f["indicator"] == "cargo_tonnage"
                       and f["geo"] == "TITR (whole corridor)" and f["period"] == "2023")
    # 2.7 Mt and 2.8 Mt from the first set, 2.76 Mt from the second.
    assert titr_2023 == ["2700000", "2760000", "2800000"]


def test_outputs_are_utf8_with_lf_line_endings():
    for name in OUTPUTS:
        data = (SEED / name).read_bytes()
        data = gzip.decompress(data) if name.endswith(".gz") else data
        data.decode("utf-8")
        assert b"\r" not in data, name


def test_rebuilding_gives_byte_identical_files(tmp_path):
    for name in CURATED:
        shutil.copy(SEED / name, tmp_path / name)
    cmd = [sys.executable, str(REPO / "scripts" / "build_seed.py"), str(SHARED),
           "--out", str(tmp_path)]
    subprocess.run(cmd, check=True, capture_output=True)
    first = {n: (tmp_path / n).read_bytes() for n in OUTPUTS}
    subprocess.run(cmd, check=True, capture_output=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == first[name], f"{name} changed on re-run"
        assert first[name] == (SEED / name).read_bytes(), f"committed {name} is stale"


def test_build_fails_loudly_on_a_duplicate_key(tmp_path):
    for name in CURATED:
        shutil.copy(SEED / name, tmp_path / name)
    # Mapping the hydrogen capacity without its qualifier collides with the planned output.
    path = tmp_path / "metric_map.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "hydrogen_output,capacity,1,total capacity", "hydrogen_output,capacity,1,"),
        encoding="utf-8")
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_seed.py"), str(SHARED),
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "duplicate figure key" in proc.stderr
    assert not (tmp_path / "figures.csv").exists()


def test_at_least_550_stated_figures_from_75_articles_each_with_its_sentence(figures):
    stated_rows = [f for f in figures if not f["derivation"]]
    assert len(stated_rows) >= 550
    assert len({f["source_url"] for f in stated_rows}) >= 75
    assert all(f["quote"].strip() for f in stated_rows)
    second = {r["url"] for r in rows(SHARED / "corridor_figures_2.csv")}
    assert len({f["source_url"] for f in stated_rows} & second) >= 40


def test_no_displayed_title_is_a_curators_note(figures):
    sources = rows(SEED / "sources.csv")
    for s in sources:
        assert s["title"].strip() and "[" not in s["title"], s
    assert all("[" not in f["source_title"] for f in figures)
    # The curator's note is kept in the source record.
    notes = [s["note"] for s in sources if "Curator's note on the title: [" in s["note"]]
    assert notes
    raw_titles = {r["url"]: r["title"] for name in FIGURE_FILES for r in rows(SHARED / name)}
    for s in sources:
        if s["kind"] == "press" and s["url"] in raw_titles and not raw_titles[s["url"]]:
            assert s["title"].startswith(s["publisher"]), s


def test_status_follows_the_metric_name(figures, shared_figures):
    mapping = {(r["metric"], r["unit"]): r for r in rows(SEED / "metric_map.csv")}
    for (metric, _unit), m in mapping.items():
        if re.search(r"_(forecast|expected)(_|$)", metric):
            assert m["status"] in ("forecast", "capacity"), m
        elif re.search(r"_(target|planned)(_|$)", metric):
            assert m["status"] in ("target", "capacity"), m


def test_source_errors_are_kept_and_marked_with_the_labels_note(figures):
    aktau = [f for f in figures if f["source_url"] == "https://www.en.portnews.ru/news/352837/"
             and f["indicator"] == "port_cargo_throughput_yoy"
             and f["geo"] in ("Aktau port", "Aktau port — headline")]
    assert sorted(f["value"] for f in aktau) == ["-24", "24"]
    assert all(f["note"].startswith("Source error") for f in aktau)


def test_sources_reporting_the_same_fact_stay_separate_and_say_they_agree(figures):
    agree = [f for f in figures if "Sources agree" in f["note"]]
    assert agree
    for f in agree:
        same = [o for o in figures if (o["indicator"], o["geo"], o["period"]) == (
            f["indicator"], f["geo"], f["period"]) and o["value"] == f["value"]]
        assert len({o["source_url"] for o in same}) >= 2, f
