"""`indicators import`, `history` and `undo` agree with the Upload page (same store calls)."""

import subprocess
import sys

from conftest import export_all

from indicators import batch_log, db


def run(*args, db_path, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "indicators.cli", *args, "--db", str(db_path)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def test_history_lists_the_same_batches_as_the_page_newest_first(store_path, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    assert run("import", str(f), db_path=store_path).returncode == 0
    out = run("history", db_path=store_path).stdout.splitlines()
    with db.connect(store_path) as conn:
        page = batch_log.history(conn)
    assert [int(line.split("\t")[0]) for line in out] == list(page["id"])
    assert out[0].split("\t")[2:4] == ["import", "rates"] and "r.csv" in out[0]


def test_undo_refused_explains_and_cascade_reverts_both(store_path, tmp_path):
    before = export_all(store_path)
    f = tmp_path / "r.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    run("import", str(f), db_path=store_path)
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,600,test\n")
    run("import", str(f), db_path=store_path)
    first, second = sorted(int(x.split("\t")[0]) for x in
                           run("history", "-n", "2", db_path=store_path).stdout.splitlines())
    refused = run("undo", str(first), db_path=store_path)
    assert refused.returncode == 2
    assert f"later batch(es) {second} changed rows" in refused.stderr
    assert f"indicators undo {first} --cascade" in refused.stderr
    done = run("undo", str(first), "--cascade", db_path=store_path)
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1].startswith(f"undone: batch {second}, batch {first} ")
    assert export_all(store_path) == before


def test_import_names_the_encoding_and_refuses_an_oversized_file(store_path, tmp_path):
    f = tmp_path / "r.csv"
    f.write_bytes("date;base;quote;rate;source\n2099-01-01;USD;KZT;500,5;Нацбанк РК\n"
                  .encode("cp1251"))
    ok = run("import", str(f), db_path=store_path)
    assert ok.returncode == 0 and "Read as Windows-1251, delimiter semicolon" in ok.stderr
    assert "Decimal commas detected" in ok.stderr
    big = tmp_path / "big.csv"
    big.write_bytes(b"date,base,quote,rate\n" + b"2099-01-01,USD,KZT,500\n" * 50_000)
    before = export_all(store_path)
    refused = run("import", str(big), db_path=store_path, env={"INDICATORS_MAX_UPLOAD_MB": "1"})
    assert refused.returncode == 2 and "at most 1 MB" in refused.stderr
    assert export_all(store_path) == before


def test_import_into_a_missing_store_seeds_it_first(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    path = tmp_path / "new.duckdb"
    result = run("import", str(f), db_path=path)
    assert result.returncode == 0, result.stderr
    assert batch_log.is_ready(path)
    assert "seed" in run("history", db_path=path).stdout
