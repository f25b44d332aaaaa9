"""Files out: every download the browser offers is spreadsheet-safe; the CLI export is exact
unless asked for --spreadsheet-safe."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import export_all
from test_upload_cli import run

from indicators import store
from indicators.problems import Problem
from indicators.ui import upload

ROOT = Path(__file__).resolve().parents[1]
FORMULA_FIGURE = ("indicator,geo,period,value,unit,source_url,source_title,published,quote\n"
                  "container_trains_yoy,TITR via Kazakhstan (rail),2031,-5,%,https://news.example/x,"
                  '"=HYPERLINK(""http://127.0.0.1/"")",2031-01-02,"+cmd|\' /C calc\'!A0"\n')


def test_problems_list_download_is_spreadsheet_safe():
    plan = store.load_bytes(Path("/nonexistent/never-opened.duckdb"),
                            b"date,base,quote,rate\n=cmd(),USD,KZT,1\n", origin="bad.csv")
    assert plan.problems and not plan.ok  # rejected before the store is opened
    found = plan.problems + [Problem(3, "source", "@SUM(A1)", "-a formula-like message")]
    text = upload.problems_csv(found).decode("utf-8-sig")
    assert "'=cmd()" in text and ",=cmd()" not in text
    assert "'@SUM(A1)" in text and "'-a formula" in text


def test_table_toolbar_export_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_export_is_exact_by_default_and_safe_on_request(store_path, tmp_path):
    plan = store.load_bytes(store_path, FORMULA_FIGURE.encode(), origin="f.csv", actor="t")
    assert plan.ok, plan.problems
    exact = run("export", "--kind", "figures", db_path=store_path).stdout
    assert '"=HYPERLINK(""http://127.0.0.1/"")"' in exact and ",+cmd|" in exact
    safe = run("export", "--kind", "figures", "--spreadsheet-safe", db_path=store_path).stdout
    assert "'=HYPERLINK" in safe and "'+cmd|" in safe
    assert ",2031,-5,%," in safe  # numbers stay numbers
    before = export_all(store_path)
    f = tmp_path / "exact.csv"
    f.write_text(exact)
    again = store.load_path(store_path, f)
    assert again.ok and (again.inserted, again.updated) == (0, 0)
    assert export_all(store_path) == before
