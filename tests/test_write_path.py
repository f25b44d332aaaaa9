"""Every kind of load goes through `store.write` → `store.commit`, and every one can be undone."""

from datetime import UTC, date, datetime

import pytest
from conftest import export_all

from indicators import db, fetch_store, seed, store
from indicators.fetch.model import RateRow


@pytest.fixture
def commits(monkeypatch):
    """Batch kinds in the order `store.commit` wrote them."""
    seen: list[str] = []
    real = store.commit

    def counting(conn, result, *, batch_kind, actor):
        seen.append(batch_kind)
        return real(conn, result, batch_kind=batch_kind, actor=actor)

    monkeypatch.setattr(store, "commit", counting)
    return seen


def _batches(path) -> list[tuple]:
    with db.connect(path) as conn:
        return conn.execute("SELECT id, kind FROM batches ORDER BY id").fetchall()


def _rate_row(day: int, rate: float) -> RateRow:
    return RateRow(date(2099, 1, day), "USD", "KZT", rate, "brand-new-bank",
                   datetime(2099, 1, day, 8, tzinfo=UTC), f"http://127.0.0.1/r?d={day}")


def test_the_seed_writes_every_batch_through_commit(tmp_path, commits):
    path = tmp_path / "s.duckdb"
    batches = seed.init(path)
    assert commits == ["seed"] * len(batches)
    assert [b for b, _ in _batches(path)] == batches


@pytest.mark.parametrize("kind", ["import", "upload", "extract"])
def test_file_loads_go_through_commit_and_undo_exactly(store_path, commits, kind):
    before = export_all(store_path)
    result = store.load_bytes(
        store_path, b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
        b"2024-01-02,USD,KZT,455,nbk\n", origin="f.csv", batch_kind=kind)
    assert result.batch is not None and commits == [kind]
    assert export_all(store_path) != before
    store.undo_batch(store_path, result.batch)
    assert export_all(store_path) == before


def test_a_refresh_goes_through_commit_journals_what_it_overwrites_and_undoes_exactly(
        store_path, commits):
    before = export_all(store_path)
    sink = fetch_store.DuckDBRateSink(store_path, actor="test")
    assert sink.save("brand-new-bank", [_rate_row(1, 500.0), _rate_row(2, 501.0)],
                     origin="test") == 2
    first_export = export_all(store_path)
    # Same key, a new rate: the old row goes to the journal; an equal rate is unchanged.
    assert sink.save("brand-new-bank", [_rate_row(1, 510.0), _rate_row(2, 501.0)],
                     origin="test") == 1
    assert commits == ["fetch", "fetch"]
    with db.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM sources WHERE id = 'brand-new-bank'"
                            ).fetchone()[0] == 1
        second = conn.execute("SELECT * FROM batches ORDER BY id DESC LIMIT 1").fetchone()
        assert conn.execute("SELECT count(*) FROM changes WHERE batch = ?",
                            [second[0]]).fetchone()[0] == 1
    first, last = sink.batches
    store.undo_batch(store_path, last)
    assert export_all(store_path) == first_export
    store.undo_batch(store_path, first)
    assert export_all(store_path) == before
    with db.connect(store_path) as conn:  # the source it created goes with it
        assert not conn.execute("SELECT count(*) FROM sources WHERE id = 'brand-new-bank'"
                                ).fetchone()[0]


def test_a_refresh_row_that_breaks_the_schema_is_refused_before_writing(store_path):
    before = export_all(store_path)
    sink = fetch_store.DuckDBRateSink(store_path, actor="test")
    with pytest.raises(ValueError, match="rate"):
        sink.save("brand-new-bank", [_rate_row(1, -1.0)], origin="test")
    assert export_all(store_path) == before and sink.batches == []


def test_undo_of_a_seed_file_batch_removes_exactly_its_rows(tmp_path):
    path = tmp_path / "s.duckdb"
    batches = seed.init(path)
    with db.connect(path) as conn:
        last_target = conn.execute("SELECT target FROM batches WHERE id = ?",
                                   [batches[-1]]).fetchone()[0]
        n = conn.execute(f"SELECT count(*) FROM {last_target}").fetchone()[0]
        mine = conn.execute(f"SELECT count(*) FROM {last_target} WHERE batch = ?",
                            [batches[-1]]).fetchone()[0]
    store.undo_batch(path, batches[-1])
    with db.connect(path) as conn:
        assert conn.execute(f"SELECT count(*) FROM {last_target}").fetchone()[0] == n - mine


def test_commit_refuses_rows_that_break_a_rule_even_if_a_plan_let_them_through(store_path):
    with db.connect(store_path) as conn:
        result = store.plan_rows(conn, "rates", _frame(), origin="t")
        assert result.ok
        conn.execute("UPDATE _diff SET rate = -5")  # as if a rule had been forgotten
        with pytest.raises(store.IntegrityError, match="rate"), db.transaction(conn):
            store.commit(conn, result, batch_kind="fetch", actor="t")


def _frame():
    import pandas as pd

    r = _rate_row(3, 500.0)
    return pd.DataFrame([(r.date, r.base, r.quote, r.rate, "test", None, None)],
                        columns=["date", "base", "quote", "rate", "source", "fetched_at",
                                 "request_url"])


def _table(path, sql: str) -> list[tuple]:
    with db.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_held_rates_go_through_commit_and_undo_exactly(store_path, commits):
    from indicators.fetch.model import HeldRate

    def held(rate: float) -> HeldRate:
        return HeldRate.of(_rate_row(1, rate), f"jump to {rate:g}")

    query = "SELECT date, quote, rate, reason, batch FROM held_rates ORDER BY ALL"
    before = _table(store_path, query)
    sink = fetch_store.DuckDBRateSink(store_path, actor="test")
    sink.hold([held(-1.0)])
    first = _table(store_path, query)
    sink.hold([held(9e9)])  # the same key held again: replaces the value, journalled
    assert commits == ["fetch", "fetch"]
    (row,) = _table(store_path, query)
    assert row[2:4] == (9e9, "jump to 9e+09") and row[4] == sink.batches[-1]
    assert _table(store_path, "SELECT target, rows_inserted, rows_updated FROM batches "
                              "ORDER BY id DESC LIMIT 2") == [("held_rates", 0, 1),
                                                              ("held_rates", 1, 0)]
    store.undo_batch(store_path, sink.batches[-1])
    assert _table(store_path, query) == first
    store.undo_batch(store_path, sink.batches[0])
    assert _table(store_path, query) == before


def test_the_seeds_rate_flags_are_a_seed_batch_that_undo_and_redo_exactly(tmp_path):
    path = tmp_path / "s.duckdb"
    batches = seed.init(path)
    query = "SELECT * FROM rate_flags ORDER BY ALL"
    flags = _table(path, query)
    (flag_batch,) = {r[-1] for r in flags}
    assert flag_batch in batches
    assert _table(path, f"SELECT kind, target FROM batches WHERE id = {int(flag_batch)}") == [
        ("seed", "rate_flags")]
    (undo,) = store.undo_batch(path, flag_batch)
    assert _table(path, query) == []
    store.undo_batch(path, undo)  # redo
    assert _table(path, query) == flags


def test_a_store_made_before_held_rates_had_a_batch_gains_the_column_on_open(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    seed.init(path)
    with duckdb.connect(str(path)) as raw:
        raw.execute("ALTER TABLE held_rates DROP COLUMN batch")
    with db.connect(path) as conn:
        assert not db.has_schema(conn)
    result = store.load_bytes(path, b"date,base,quote,rate,source\n2099-01-01,USD,KZT,5,t\n",
                              origin="f.csv")
    assert result.batch is not None
    with db.connect(path) as conn:
        assert db.has_schema(conn)
    assert ("batch",) in _table(path, "SELECT column_name FROM duckdb_columns() "
                                      "WHERE table_name = 'held_rates'")


def test_a_file_store_made_with_key_indexes_loses_them_on_the_next_import_and_keeps_working(
        tmp_path, monkeypatch):
    """Stores made before issue 15 declared a primary key on every table. The first import
    rebuilds the tables loads write without it (rows, comments, CHECKs kept, one
    transaction); imports, undo and redo then work as on a new store."""
    from dataclasses import replace

    import duckdb

    from indicators import migration, schema

    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as raw:  # the DDL of a store made before the change
        for table in schema.TABLES:
            for stmt in schema.ddl(replace(table, key_index=True)):
                raw.execute(stmt)
    seed.init(old)
    new = tmp_path / "new.duckdb"
    seed.init(new)
    keyed = ("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = "
             "'PRIMARY KEY' ORDER BY 1")
    assert [t for (t,) in _table(old, keyed)] == sorted(t.name for t in schema.TABLES)
    seeded = export_all(old)
    assert seeded == export_all(new)
    comments = ("SELECT table_name, column_name, comment FROM duckdb_columns() "
                "WHERE table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY ALL")
    checks = ("SELECT table_name, constraint_text FROM duckdb_constraints() "
              "WHERE constraint_type = 'CHECK' ORDER BY ALL")
    before_comments = _table(old, comments)
    data = (b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
            b"2022-07-01,USD,KZT,470.5,nbu-cross\n")
    rebuilt = []
    real = migration.drop_key_indexes
    monkeypatch.setattr(migration, "drop_key_indexes",
                        lambda conn: rebuilt.extend(real(conn)) or rebuilt)
    results = [store.load_bytes(p, data, origin="f.csv") for p in (old, new)]
    assert sorted(rebuilt) == ["figures", "held_rates", "rate_flags", "rates"]
    assert _table(old, keyed) == _table(new, keyed) == [
        ("batches",), ("changes",), ("indicators",), ("sources",)]
    assert _table(old, comments) == before_comments == _table(new, comments)
    assert _table(old, checks) == _table(new, checks)
    assert [(r.inserted, r.updated, r.batch) for r in results[:1]] == [
        (r.inserted, r.updated, r.batch) for r in results[1:]]
    assert export_all(old) == export_all(new)
    (undo,) = store.undo_batch(old, results[0].batch)
    assert export_all(old) == seeded
    store.undo_batch(old, undo)  # redo
    assert store.load_bytes(old, data, origin="f.csv").batch is not None
    assert len(rebuilt) == 4  # the later imports found nothing left to rebuild
