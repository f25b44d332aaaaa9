"""Undo that cannot destroy by accident: a preview first, redo of an undo, counts in History."""

from __future__ import annotations

import pytest
from conftest import export_all
from test_upload_cli import run

from indicators import db, store

RATES = "date,base,quote,rate,source\n"


def load(path, text: str):
    result = store.load_bytes(path, text.encode("utf-8"), origin="test.csv", actor="test")
    assert result.ok, result.problems
    return result


def test_preview_says_what_an_undo_removes_and_restores_and_writes_nothing(store_path):
    a = load(store_path, RATES + "2099-01-01,USD,KZT,500,A new bank\n"
                                 "2022-07-01,USD,KZT,470.5,nbu-cross\n")
    loaded = export_all(store_path)
    with db.connect(store_path) as conn:
        n_batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
        preview = store.preview_undo(conn, a.batch)
    assert (preview.removed, preview.restored, preview.order) == (1, 1, [a.batch])
    assert "removes 1 row(s) it added and restores 1 row(s)" in preview.summary()
    rows = preview.rows.set_index("action")
    assert rows.loc["removed", "value now"] == 500 and rows.loc["removed", "row"].startswith(
        "2099-01-01 · USD · KZT")
    assert rows.loc["restored", "value now"] == 470.5
    assert rows.loc["restored", "value after"] != 470.5
    assert not preview.needs_typed_id
    assert export_all(store_path) == loaded
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == n_batches
        assert conn.execute("SELECT count(*) FROM sources WHERE title = 'A new bank'"
                            ).fetchone()[0] == 1


def test_a_seed_batch_or_more_than_100_rows_needs_the_typed_id(store_path):
    with db.connect(store_path) as conn:
        seed_batch = conn.execute("SELECT max(id) FROM batches WHERE kind = 'seed'").fetchone()[0]
        assert store.preview_undo(conn, seed_batch).needs_typed_id
    big = load(store_path, RATES + "".join(f"2099-01-{d:02},USD,{c},1.5,test\n"
                                           for d in range(1, 29) for c in ("KZT", "KGS",
                                                                          "UZS", "TJS")))
    small = load(store_path, RATES + "2098-01-01,USD,KZT,2,test\n")
    with db.connect(store_path) as conn:
        big_preview = store.preview_undo(conn, big.batch)
        assert big_preview.removed == 112 and big_preview.needs_typed_id
        assert len(big_preview.rows) == 20
        assert not store.preview_undo(conn, small.batch).needs_typed_id


def test_redo_puts_back_a_new_source_and_its_rows(store_path):
    before = export_all(store_path)
    a = load(store_path, RATES + "2099-01-01,USD,KZT,500,A new bank\n")
    loaded = export_all(store_path)
    (u,) = store.undo_batch(store_path, a.batch)
    with db.connect(store_path) as conn:
        assert not conn.execute("SELECT count(*) FROM sources WHERE title = 'A new bank'"
                                ).fetchone()[0]
        preview = store.preview_undo(conn, u)
    assert preview.redo and (preview.added, preview.changed) == (1, 0)
    assert export_all(store_path) == before
    store.undo_batch(store_path, u)
    assert export_all(store_path) == loaded
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM sources WHERE title = 'A new bank'"
                            ).fetchone()[0] == 1


def test_redo_is_refused_when_a_later_batch_changed_the_rows_and_nothing_changes(store_path):
    a = load(store_path, RATES + "2099-01-01,USD,KZT,500,test\n")
    (u,) = store.undo_batch(store_path, a.batch)
    later = load(store_path, RATES + "2099-01-01,USD,KZT,505,test\n")
    before = export_all(store_path)
    with pytest.raises(store.UndoRefused, match=f"by batch\\(es\\) {later.batch}"):
        store.undo_batch(store_path, u)
    assert export_all(store_path) == before


def test_cli_undo_dry_run_says_what_it_would_do_and_writes_nothing(store_path, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(RATES + "2099-01-01,USD,KZT,500,test\n")
    assert run("import", str(f), db_path=store_path).returncode == 0
    loaded = export_all(store_path)
    batch = int(run("history", "-n", "1", db_path=store_path).stdout.split("\t")[0])
    dry = run("undo", str(batch), "--dry-run", db_path=store_path)
    assert dry.returncode == 0, dry.stderr
    assert f"Undoing batch {batch} removes 1 row(s)" in dry.stdout
    assert "removed\trates\t2099-01-01 · USD · KZT · test\t500 -> –" in dry.stdout
    assert "nothing was written" in dry.stdout
    assert export_all(store_path) == loaded


def test_cli_undo_of_an_undo_is_a_redo_and_history_shows_the_counts(store_path, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(RATES + "2099-01-01,USD,KZT,500,test\n")
    run("import", str(f), db_path=store_path)
    loaded = export_all(store_path)
    batch = int(run("history", "-n", "1", db_path=store_path).stdout.split("\t")[0])
    assert run("undo", str(batch), db_path=store_path).returncode == 0
    lines = run("history", "-n", "2", db_path=store_path).stdout.splitlines()
    assert "added 0, changed 0, removed 1, restored 0" in lines[0]
    assert "added 1, changed 0, removed 0, restored 0" in lines[1]
    redo = run("undo", str(batch + 1), db_path=store_path)
    assert redo.returncode == 0, redo.stderr
    assert f"re-applies batch {batch}: 1 row(s) added again" in redo.stdout
    assert export_all(store_path) == loaded
    again = run("undo", str(batch + 1), db_path=store_path)
    assert again.returncode == 2 and "already undone (redone)" in again.stderr
