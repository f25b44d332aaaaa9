"""Imports are all-or-nothing batches; exports round-trip; undo restores exactly."""

import pytest
from conftest import export_all

from indicators import batch_log, db, export, store


def load(path, text: str, **kw):
    return store.load_bytes(path, text.encode("utf-8"), origin="test.csv", **kw)


def test_export_then_import_changes_nothing(store_path):
    with db.connect(store_path) as conn:
        rates = export.to_csv(conn, "rates")
        figures = export.to_csv(conn, "figures")
        counts = {k: conn.execute(f"SELECT count(*) FROM {k}").fetchone()[0]
                  for k in ("rates", "figures")}
    for kind, text in (("rates", rates), ("figures", figures)):
        result = load(store_path, text)
        assert result.ok, result.problems[:3]
        assert (result.inserted, result.updated, result.unchanged) == (0, 0, counts[kind])


def test_export_is_deterministic(seeded_db):
    with db.connect(seeded_db) as conn:
        assert export.to_csv(conn, "figures") == export.to_csv(conn, "figures")


def test_rejected_file_leaves_the_store_unchanged(store_path):
    before = export_all(store_path)
    result = load(store_path, "date,base,quote,rate\n2024-01-01,USD,KZT,450\n"
                              "2024-01-02,USD,KZT,-3\n")
    assert not result.ok
    assert [(p.line, p.column) for p in result.problems] == [(3, "rate")]
    assert export_all(store_path) == before


def test_upsert_then_undo_restores_overwritten_values(store_path):
    before = export_all(store_path)
    first = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    assert first.inserted == 1
    second = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,510,test\n"
                              "2099-01-02,USD,KZT,511,test\n")
    assert (second.inserted, second.updated) == (1, 1)
    with pytest.raises(store.UndoRefused) as refused:
        store.undo_batch(store_path, first.batch)
    assert refused.value.later == [second.batch]
    store.undo_batch(store_path, second.batch)
    with db.connect(store_path) as conn:
        rows = conn.execute("SELECT rate FROM rates WHERE source = 'test'").fetchall()
    assert rows == [(500.0,)]
    store.undo_batch(store_path, first.batch)
    assert export_all(store_path) == before


def test_cascading_undo_reverts_later_batches_first(store_path):
    before = export_all(store_path)
    a = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    b = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,600,test\n")
    undone = store.undo_batch(store_path, a.batch, cascade=True)
    assert len(undone) == 2
    assert export_all(store_path) == before
    with db.connect(store_path) as conn:
        hist = batch_log.history(conn)
    assert set(hist.loc[hist["id"].isin([a.batch, b.batch]), "undone_by"].notna()) == {True}


def test_add_only_mode_rejects_a_change_and_names_the_line(store_path):
    load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    before = export_all(store_path)
    result = load(store_path, "date,base,quote,rate,source\n2099-01-02,USD,KZT,1,test\n"
                              "2099-01-01,USD,KZT,501,test\n", mode="add-only")
    assert not result.ok and result.problems[0].line == 3
    assert export_all(store_path) == before


def test_new_indicator_is_added_with_a_notice_and_conflicting_unit_is_rejected(store_path):
    head = "indicator,geo,period,value,unit,source_url,quote\n"
    ok = load(store_path, head + "widgets_made,Aktau port,2024,5,widgets,https://e.x/a,q\n")
    assert ok.ok and any("widgets_made" in n for n in ok.notices)
    bad = load(store_path, head + "widgets_made,Aktau port,2025,5,t,https://e.x/a,q\n")
    assert [(p.line, p.column) for p in bad.problems] == [(2, "unit")]
    assert "widgets" in bad.problems[0].expected


def test_figure_without_a_source_is_rejected(store_path):
    result = load(store_path, "indicator,geo,period,value,unit,source_url,source_title\n"
                              "container_trains,X,2024,5,trains,,\n")
    assert [(p.line, p.column) for p in result.problems] == [(2, "source_url")]


def test_period_forms_and_backwards_interval(store_path):
    head = "indicator,geo,period,value,unit,source_title\n"
    result = load(store_path, head + "container_trains,X,2024-Q5,5,trains,T\n"
                                     "container_trains,X,2024-11/2024-01,5,trains,T\n"
                                     "container_trains,X,2024-01/2024-11,5,trains,T\n")
    assert [(p.line, p.column) for p in result.problems] == [(2, "period"), (3, "period")]
    assert "backwards" in result.problems[1].expected


# ---------------------------------------------------------------- batches, journal, safety

import hashlib  # noqa: E402

FIG_HEAD = "indicator,geo,period,value,unit,source_url,source_title,quote,status,note\n"


def figures_state(path, geo):
    with db.connect(path) as conn:
        return conn.execute("SELECT period, value, quote, status, note, batch FROM figures "
                            "WHERE geo = ? ORDER BY period", [geo]).fetchall()


def test_batch_records_who_when_file_sha256_and_counts(store_path):
    data = b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
    result = store.load_bytes(store_path, data, origin="my file.csv", actor="cli:ana")
    with db.connect(store_path) as conn:
        top = batch_log.history(conn).iloc[0]
    assert top["id"] == result.batch
    assert (top["kind"], top["origin"], top["actor"], top["target"]) == (
        "import", "my file.csv", "cli:ana", "rates")
    assert top["sha256"] == hashlib.sha256(data).hexdigest()
    assert (top["rows_inserted"], top["rows_updated"], top["rows_unchanged"]) == (1, 0, 0)
    assert top["created_at"] is not None


def test_columns_left_out_of_a_figures_file_keep_their_stored_values(store_path):
    full = FIG_HEAD + "container_trains,Keep geo,2031,5,trains,,T,The quote.,forecast,A note\n"
    assert load(store_path, full).inserted == 1
    partial = ("indicator,geo,period,value,unit,source_title\n"
               "container_trains,Keep geo,2031,6,trains,T\n")
    result = load(store_path, partial)
    assert (result.inserted, result.updated) == (0, 1)
    assert any("keep their stored values" in n for n in result.notices)
    assert figures_state(store_path, "Keep geo")[0][:5] == ("2031", 6.0, "The quote.",
                                                             "forecast", "A note")


def test_undo_of_a_figures_batch_restores_overwritten_rows_and_drops_its_new_catalogue_rows(
        store_path):
    before = export_all(store_path)
    with db.connect(store_path) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("sources", "indicators")]
    row = FIG_HEAD + "container_trains,TITR via Kazakhstan (rail),2026-Q1,130,trains,"
    seed_src = "https://timesca.com/?p=49879"
    changed = load(store_path, row + f"{seed_src},,Changed quote.,reported,\n"
                   + "brand_new_metric,Somewhere,2030,1,things,https://new.example/x,,q,,\n")
    assert (changed.inserted, changed.updated) == (1, 1)
    store.undo_batch(store_path, changed.batch)
    assert export_all(store_path) == before
    with db.connect(store_path) as conn:
        assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("sources", "indicators")] == counts


def test_a_stale_preview_is_not_committed(store_path):
    data = b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
    preview = load(store_path, data.decode(), dry_run=True)
    load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,450,test\n")
    before = export_all(store_path)
    result = store.load_bytes(store_path, data, origin="x.csv", expect=preview.fingerprint)
    assert result.stale and result.batch is None and result.updated == 1
    assert export_all(store_path) == before
    again = store.load_bytes(store_path, data, origin="x.csv", expect=result.fingerprint)
    assert again.batch is not None


def test_commit_replans_when_the_rows_moved_between_plan_and_transaction(store_path,
                                                                         monkeypatch):
    calls = []
    real = store._current_fingerprint

    def moved_once(conn, table):
        calls.append(1)
        return "moved" if len(calls) == 1 else real(conn, table)

    monkeypatch.setattr(store, "_current_fingerprint", moved_once)
    result = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    assert result.batch is not None and len(calls) == 2


def test_commit_gives_up_without_writing_if_the_rows_keep_moving(store_path, monkeypatch):
    before = export_all(store_path)
    monkeypatch.setattr(store, "_current_fingerprint", lambda conn, table: "moved")
    with pytest.raises(store.StoreChanged):
        load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    assert export_all(store_path) == before


def test_an_error_during_commit_rolls_back_everything(store_path, monkeypatch):
    before = export_all(store_path)
    with db.connect(store_path) as conn:
        n_batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]

    def boom(*a, **kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "record_batch", boom)
    with pytest.raises(RuntimeError):
        load(store_path, FIG_HEAD + "new_metric_x,G,2030,1,u,https://n.example/,,q,,\n")
    assert export_all(store_path) == before
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == n_batches
        assert not conn.execute("SELECT count(*) FROM indicators WHERE id = 'new_metric_x'"
                                ).fetchone()[0]


def test_sql_looking_text_is_stored_literally(store_path):
    evil = "'); DROP TABLE rates; --"
    load(store_path, f'date,base,quote,rate,source\n2099-01-01,USD,KZT,500,"{evil}"\n')
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM rates").fetchone()[0] > 1
        assert conn.execute("SELECT title FROM sources WHERE title = ?", [evil]).fetchone()


def test_undo_plan_lists_later_batches_newest_first(store_path):
    a = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    b = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,510,test\n")
    c = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,520,test\n")
    with db.connect(store_path) as conn:
        assert store.undo_plan(conn, a.batch) == [c.batch, b.batch, a.batch]


def test_undo_refuses_twice_and_an_undone_undo_restores_the_rows(store_path):
    before = export_all(store_path)
    a = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
                         "2022-07-01,USD,KZT,470.5,nbu-cross\n")
    loaded = export_all(store_path)
    (u,) = store.undo_batch(store_path, a.batch)
    assert export_all(store_path) == before
    with pytest.raises(store.UndoRefused, match="already undone"):
        store.undo_batch(store_path, a.batch)
    (r,) = store.undo_batch(store_path, u)  # a redo
    assert export_all(store_path) == loaded
    with pytest.raises(store.UndoRefused, match=f"already undone \\(redone\\) by batch {r}"):
        store.undo_batch(store_path, u)
    with pytest.raises(store.UndoRefused, match=f"re-applied batch {a.batch}; to remove it"):
        store.undo_batch(store_path, r)
    (u2,) = store.undo_batch(store_path, a.batch)  # the re-applied batch undoes again
    assert export_all(store_path) == before
    history = store.read_history(store_path).set_index("id")
    counts = ["added", "changed", "removed", "restored"]
    assert list(history.loc[a.batch, counts]) == [1, 1, 0, 0]
    assert list(history.loc[u, counts]) == [0, 0, 1, 1]
    assert list(history.loc[r, counts]) == [1, 1, 0, 0]
    assert list(history.loc[u2, counts]) == [0, 0, 1, 1]
    with pytest.raises(store.UndoRefused, match="no batch"):
        store.undo_batch(store_path, 10_000)


def test_a_writer_committing_the_same_rows_first_makes_the_import_replan(store_path, monkeypatch):
    """Another load through the write path commits the same key after this import planned
    and before its transaction: the import sees the stored rows moved, plans again and
    writes an update, and the key is stored once. (A write that skipped the write path,
    inside another's transaction, is not covered by any back end since the tables loads
    write have no key index: schema.Table.key_index, db.check_keys.)"""
    from indicators import ingest

    real_unstage = ingest.unstage
    raced = []

    def race_after_planning(conn):
        real_unstage(conn)
        if not raced:
            raced.append(1)  # another writer (a connection of its own) commits first
            other = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,1.5,test\n")
            assert other.batch is not None and other.inserted == 1

    monkeypatch.setattr(ingest, "unstage", race_after_planning)
    result = load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    assert result.batch is not None and (result.inserted, result.updated) == (0, 1)
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT rate FROM rates WHERE date = '2099-01-01' AND base = 'USD' "
                            "AND quote = 'KZT'").fetchall() == [(500.0,)]


def test_concurrent_imports_of_overlapping_files_store_each_key_once(store_path, monkeypatch):
    """Two threads import files sharing a third of their keys at once, both planned before
    either writes: without a key index the write path alone keeps each key once (the
    writer lock, the plan's fingerprint checked under it, db.check_keys)."""
    import threading

    from indicators import ingest

    real_unstage = ingest.unstage
    both_planned = threading.Barrier(2)
    first = threading.local()

    def wait_for_the_other(conn):  # runs once a plan is good, before its transaction
        real_unstage(conn)
        if not getattr(first, "done", False):
            first.done = True
            both_planned.wait(60)

    monkeypatch.setattr(ingest, "unstage", wait_for_the_other)

    def rows(start: int, stop: int, rate: float) -> str:
        return "date,base,quote,rate,source\n" + "".join(
            f"2099-01-{d:02d},USD,{q},{rate},nbu-cross\n" for d in range(start, stop)
            for q in ("KZT", "UZS", "KGS"))

    files = [rows(1, 21, 100.0), rows(11, 31, 200.0)]
    results: list = [None, None]
    errors: list = []

    def run(i: int) -> None:
        try:
            results[i] = load(store_path, files[i])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert all(r is not None and r.batch is not None for r in results)
    with db.connect(store_path) as conn:
        counts = conn.execute(
            "SELECT count(*), count(DISTINCT (date, base, quote, source)) FROM rates "
            "WHERE date >= '2099-01-01'").fetchone()
    assert counts == (90, 90)
    # One of the two went second and saw the other's 30 shared keys as stored rows.
    assert sorted((r.inserted, r.updated) for r in results) == [(30, 30), (60, 0)]


def test_a_write_that_would_store_a_key_twice_is_refused_and_rolled_back(store_path, monkeypatch):
    """The tables loads write have no key index on any back end; `db.check_keys` proves
    every batch. Here a row with the same key slips into the transaction just before the
    commit writes (as a write skipping the write path would): the commit refuses, and
    nothing of the transaction stays."""
    before = export_all(store_path)
    real = store.commit

    def sneaking_commit(conn, result, **kw):
        conn.execute("INSERT INTO rates (date, base, quote, rate, source, batch) "
                     "VALUES ('2099-01-01', 'USD', 'KZT', 1.5, 'nbu-cross', NULL)")
        return real(conn, result, **kw)

    monkeypatch.setattr(store, "commit", sneaking_commit)
    twice = r"rates: key \[datetime.date\(2099, 1, 1\).*stored 2 times"
    with pytest.raises(db.DuplicateKey, match=twice):
        load(store_path, "date,base,quote,rate,source\n2099-01-01,USD,KZT,500,nbu-cross\n")
    assert export_all(store_path) == before


def test_check_keys_looks_only_at_the_keys_written(store_path):
    with db.connect(store_path) as conn:
        conn.execute("CREATE TEMP TABLE _written AS SELECT * FROM rates LIMIT 3")
        db.check_keys(conn, store.WRITABLE["rates"], "_written")  # no key twice: passes
        conn.execute("CREATE TEMP TABLE _twice AS SELECT * FROM rates LIMIT 1")
        with pytest.raises(db.DuplicateKey), db.transaction(conn):  # rolled back
            conn.execute("INSERT INTO rates SELECT * FROM _twice")
            db.check_keys(conn, store.WRITABLE["rates"], "_twice")
        with pytest.raises(db.DuplicateKey), db.transaction(conn):
            conn.execute("INSERT INTO rates SELECT * FROM _twice")
            db.check_keys(conn, store.WRITABLE["rates"], "_written")
        conn.execute("BEGIN TRANSACTION")  # a key twice that this batch did not write
        conn.execute("INSERT INTO rates SELECT * FROM _twice")
        db.check_keys(conn, store.WRITABLE["rates"], "(SELECT * FROM rates LIMIT 0)")
        conn.execute("ROLLBACK")
