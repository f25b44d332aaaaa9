"""Issue 16: plausibility rules declared in the schema, applied to every file-shaped load.

Each rule through the CLI import: exit 2, a message naming line, field, value and what was
expected, and the store byte-identical before and after. The outlier rule is a warning in
the Upload page's preview, not a rejection.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import export_all
from test_upload_page import page, texts, unlock, upload  # noqa: F401

from indicators import ingest, schema, store

FIG_HEAD = "indicator,geo,period,value,unit,source_url,source_title\n"
TRAINS = "container_trains,TITR via Kazakhstan (rail)"


def run(*args, db_path):
    return subprocess.run([sys.executable, "-m", "indicators.cli", *args, "--db", str(db_path)],
                          capture_output=True, text=True)


def rejected(store_path, tmp_path, text: str, *messages: str) -> str:
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    before = export_all(store_path)
    result = run("import", str(bad), db_path=store_path)
    assert result.returncode == 2, result.stdout + result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert export_all(store_path) == before
    return result.stderr


def test_rules_are_declared_on_the_schema_fields():
    kinds = {(t.name, f.name): [p.kind for p in f.plausible]
             for t in schema.TABLES for f in t.fields if f.plausible}
    assert kinds[("figures", "value")] == ["non_negative", "outlier"]
    assert [(c.template, c.column) for c in schema.RATES.checks] == [
        ("{base} <> {quote}", "quote")]
    assert [f.name for f in schema.FIGURE_SOURCE_FIELDS if f.plausible] == [
        "source_url", "source_title"]


def test_negative_count_of_trains_is_rejected(store_path, tmp_path):
    err = rejected(store_path, tmp_path,
                   FIG_HEAD + f"{TRAINS},2025-Q1,-5,trains,https://news.test/a,A real title\n",
                   "line 2, column 'value': value '-5': expected a value >= 0: a count or "
                   "amount in trains cannot be negative")
    assert "1 problem(s)" in err


@pytest.mark.parametrize(("indicator", "unit"), [("container_volume", "TEU"),
                                                 ("cargo_tonnage", "t"),
                                                 ("investment", "USD")])
def test_negative_amounts_are_rejected(store_path, tmp_path, indicator, unit):
    rejected(store_path, tmp_path,
             FIG_HEAD + f"{indicator},Kazakhstan,2025,-1200,{unit},https://news.test/a,T\n",
             f"line 2, column 'value': value '-1200': expected a value >= 0: a count or "
             f"amount in {unit}")


def test_declines_as_negative_changes_stay_valid(store_path, tmp_path):
    ok = tmp_path / "ok.csv"
    ok.write_text(FIG_HEAD
                  + "freight_turnover_yoy,Kazakhstan,2031,-23.1,%,https://news.test/a,T\n"
                  + "trains_growth_new,Kazakhstan,2031,-3,trains,https://news.test/a,T\n"
                  + f"{TRAINS},2031-Q1,0,trains,https://news.test/a,T\n")
    result = run("import", str(ok), db_path=store_path)
    assert result.returncode == 0, result.stderr
    assert "3 inserted" in result.stdout


def test_rate_of_a_currency_in_itself_is_rejected(store_path, tmp_path):
    rejected(store_path, tmp_path,
             "date,base,quote,rate,source\n2026-01-05,USD,KZT,512.0,NBK\n"
             "2026-01-05,KZT,KZT,1.0,NBK\n",
             "line 3, column 'quote': value 'KZT': expected a currency other than base")


@pytest.mark.parametrize("url", ["https://example.org/article", "http://EXAMPLE.com",
                                 "https://news.example.net:8443/x?y=1",
                                 "https://user@www.example.org/"])
def test_placeholder_urls_are_rejected_with_the_reason(store_path, tmp_path, url):
    rejected(store_path, tmp_path, FIG_HEAD + f"{TRAINS},2025-Q1,5,trains,{url},Real title\n",
             f"line 2, column 'source_url': value '{url}': expected a real source: "
             "example.org, example.com, example.net (and their subdomains) are reserved")


def test_hosts_that_only_look_like_example_pass(store_path, tmp_path):
    ok = tmp_path / "ok.csv"
    ok.write_text(FIG_HEAD + f"{TRAINS},2031-Q1,5,trains,https://notexample.org/a,T\n"
                  + f"{TRAINS},2031-Q2,5,trains,https://example.org.news.test/a,T\n")
    result = run("import", str(ok), db_path=store_path)
    assert result.returncode == 0, result.stderr


def test_placeholder_title_is_rejected(store_path, tmp_path):
    rejected(store_path, tmp_path,
             FIG_HEAD + f"{TRAINS},2025-Q1,5,trains,https://news.test/a,title of the Article\n",
             "line 2, column 'source_title': value 'title of the Article': expected a real "
             "source title: this is the template's placeholder title")


def test_the_figures_template_offered_by_the_upload_page_is_rejected(store_path, tmp_path):
    err = rejected(store_path, tmp_path, ingest.template("figures"),
                   "line 2, column 'source_url': value 'https://example.org/article'",
                   "line 2, column 'source_title': value 'Title of the article'",
                   "line 2, column 'quote': value '125 container trains transited Kazakhstan "
                   "via the Middle Corridor.': expected the figure's own sentence from its "
                   "source: this is the template's example quote")
    assert "3 problem(s)" in err


OUTLIER = (FIG_HEAD + "cargo_tonnage,TITR (whole corridor),2031,4500000000,t,"
           "https://news.test/b,Real title\n"
           "cargo_tonnage,TITR (whole corridor),2032,5000000,t,https://news.test/b,Real title\n")


def test_figure_far_from_its_median_is_a_warning_not_a_rejection(store_path):
    result = store.load_bytes(store_path, OUTLIER.encode(), origin="o.csv", dry_run=True)
    assert result.ok
    (warning,) = result.warnings
    assert "line 2, column 'value': value 4,500,000,000 t" in warning
    assert "more than 10x away from the median" in warning
    assert "cargo_tonnage, TITR (whole corridor), 2031" in warning


def test_a_figure_with_too_few_others_is_not_judged(store_path):
    text = FIG_HEAD + "brand_new_measure,Nowhere,2031,5,t,https://news.test/b,T\n" \
        "brand_new_measure,Nowhere,2032,5000,t,https://news.test/b,T\n"
    result = store.load_bytes(store_path, text.encode(), origin="o.csv", dry_run=True)
    assert result.ok and result.warnings == []


def test_outlier_warning_is_shown_by_the_cli_and_the_file_still_loads(store_path, tmp_path):
    f = tmp_path / "o.csv"
    f.write_text(OUTLIER)
    result = run("import", str(f), db_path=store_path)
    assert result.returncode == 0, result.stderr
    assert "warning: line 2, column 'value'" in result.stderr
    assert "2 inserted" in result.stdout


def test_outlier_warning_is_shown_in_the_upload_preview(page, app_db):  # noqa: F811
    before = export_all(app_db)
    upload(unlock(page), OUTLIER.encode(), name="figures.csv")
    warnings = " ".join(texts(page, "warning"))
    assert "more than 10x away from the median" in warnings
    assert "line 2" in warnings and "4,500,000,000 t" in warnings
    assert not texts(page, "error")
    assert [b for b in page.button if b.label.startswith("Confirm")]
    assert export_all(app_db) == before, "a preview must not write"


def test_a_saved_extraction_goes_through_the_same_rules(store_path):
    import pandas as pd

    from indicators import articles

    row = {c: "" for c in schema.FIGURES.csv_columns} | {
        "indicator": "container_trains", "geo": "TITR via Kazakhstan (rail)",
        "period": "2031-Q1", "value": -7, "unit": "trains",
        "source_url": "https://blog.example.com/post", "source_title": "A post",
        "quote": "Minus seven trains ran.", "status": "reported"}
    before = export_all(store_path)
    plan = store.load_bytes(store_path, articles.figures_csv(pd.DataFrame([row])),
                            origin="article", batch_kind="extract")
    assert not plan.ok and plan.batch is None
    assert [(p.line, p.column, p.value) for p in plan.problems] == [
        (2, "source_url", "https://blog.example.com/post"), (2, "value", "-7")]
    assert export_all(store_path) == before
