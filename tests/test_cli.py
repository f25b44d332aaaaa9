"""The indicators command as a user runs it: exit codes, messages, round trips."""

import subprocess
import sys

from conftest import export_all


def run(*args, db_path, **kw):
    return subprocess.run([sys.executable, "-m", "indicators.cli", *args, "--db", str(db_path)],
                          capture_output=True, text=True, **kw)


def test_init_is_safe_to_run_twice(tmp_path):
    path = tmp_path / "x.duckdb"
    first = run("init", db_path=path)
    assert first.returncode == 0 and "loaded the seed" in first.stdout
    second = run("init", db_path=path)
    assert second.returncode == 0 and "nothing to do" in second.stdout


def test_export_figures_contains_the_seed_page_trains(seeded_db):
    out = run("export", "--kind", "figures", db_path=seeded_db)
    assert out.returncode == 0
    rows = [r for r in out.stdout.splitlines() if r.startswith("container_trains,")
            and ",2026-Q1,125," in r]
    assert len(rows) == 1
    assert "https://timesca.com/?p=49879" in rows[0]
    assert "125 container trains transited Kazakhstan via the Middle Corridor" in rows[0]


def test_cli_round_trip_export_import_reports_nothing_changed(store_path, tmp_path):
    out = tmp_path / "figures.csv"
    assert run("export", "--kind", "figures", "-o", str(out), db_path=store_path).returncode == 0
    result = run("import", str(out), db_path=store_path)
    assert result.returncode == 0, result.stderr
    assert "0 inserted, 0 updated" in result.stdout


def test_rejected_import_exits_2_names_line_column_value_and_changes_nothing(store_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,base,quote,rate\n2024-01-01,USD,KZT,450\n2024-01-02,USD,XXY,450\n")
    before = export_all(store_path)
    result = run("import", str(bad), db_path=store_path)
    assert result.returncode == 2
    assert "line 3, column 'quote': value 'XXY': expected an ISO 4217" in result.stderr
    assert export_all(store_path) == before


def test_import_dry_run_writes_nothing(store_path, tmp_path):
    f = tmp_path / "new.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    before = export_all(store_path)
    result = run("import", str(f), "--dry-run", db_path=store_path)
    assert result.returncode == 0 and "1 inserted" in result.stdout
    assert export_all(store_path) == before


def test_history_lists_batches_newest_first_and_undo_reverts(store_path, tmp_path):
    f = tmp_path / "new.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    before = export_all(store_path)
    assert run("import", str(f), db_path=store_path).returncode == 0
    lines = run("history", db_path=store_path).stdout.splitlines()
    ids = [int(line.split("\t")[0]) for line in lines]
    assert ids == sorted(ids, reverse=True)
    assert "new.csv" in lines[0]
    assert run("undo", str(ids[0]), db_path=store_path).returncode == 0
    assert export_all(store_path) == before


def test_missing_file_is_an_error_exit(tmp_path):
    result = run("import", str(tmp_path / "nope.csv"), db_path=tmp_path / "x.duckdb")
    assert result.returncode == 1
    assert "nope.csv" in result.stderr
