"""Imports are all-or-nothing batches; exports round-trip; undo restores exactly."""

import pytest
from conftest import export_all

from indicators import db, export, store


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
        hist = store.history(conn)
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
