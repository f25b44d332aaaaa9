"""The typed path of a rates file (typed_rates) gives what the text path gives, or steps aside.

Every file here is imported twice: once as the import runs (the typed path first) and once
with the typed path switched off (the text path alone), into two copies of the same store
(a file and, where PostgreSQL runs, a lake); every table must then be the same, batch
records and undo/redo included, or both must refuse the file with the same problems.
"""

from __future__ import annotations

import shutil

import pytest

from indicators import db, store, typed_rates
from indicators.store import WRITABLE

HEAD = "date,base,quote,rate,source\n"
GOOD = {
    "plain": HEAD + "2099-01-01,USD,KZT,500,test\n2099-01-02,USD,KZT,501.25,test\n",
    "number forms": HEAD + "".join(
        f"2099-02-{i + 1:02d},USD,KZT,{v},test\n" for i, v in enumerate(
            ["12e-3", "1.", ".5", "+5", "0.1e1", "00012", " 12.5 ", "1.7976931348623157e308",
             "4.9e-324", "123456789012345678901234567890", '"7.25"', "0.30000000000000004"])),
    "update, unchanged, case and spaces": HEAD
        + "2022-07-01,usd, kzt ,470.5,nbu-cross\n"  # noqa: E131 - a stored row, changed
        + "2099-03-01,USD,KZT,5, NBU-CROSS \n"  # a source named by its id in other case
        + "2099-03-02,USD,KZT,6,\n",  # no source: the upload's own
    "columns in another order, an extra one, no source": "Rate,Quote,extra,DATE,base\n"
        + "7,KZT,x,2099-04-01,USD\n8,UZS,y,2099-04-01,USD\n",  # noqa: E131
    "semicolons": "date;base;quote;rate;source\n2099-05-01;USD;KZT;9.5;test\n",
    "quoted fields": HEAD + '"2099-06-01","USD","KZT","10","a ""quoted"" source"\n',
    "an underscore elsewhere: rates read as text": HEAD + "2099-07-01,USD,KZT,11,my_bank\n",
    "Windows line ends and a byte-order mark": "\ufeff" + HEAD.replace("\n", "\r\n")
        + "2099-08-01,USD,KZT,12,test\r\n2099-08-02,USD,KZT,13,test\r\n",  # noqa: E131
}
BAD = {  # and a few good files DuckDB's reader refuses: READ_AS_TEXT
    "underscore in a number": HEAD + "2099-01-01,USD,KZT,1_000,test\n",
    "one-digit month": HEAD + "2099-1-05,USD,KZT,5,test\n",
    "ambiguous date": HEAD + "05/01/2099,USD,KZT,5,test\n",
    "blank rate": HEAD + "2099-01-01,USD,KZT,,test\n",
    "blank date": HEAD + ",USD,KZT,5,test\n",
    "negative": HEAD + "2099-01-01,USD,KZT,-5,test\n",
    "zero": HEAD + "2099-01-01,USD,KZT,0,test\n",
    "infinite": HEAD + "2099-01-01,USD,KZT,inf,test\n",
    "not a number": HEAD + "2099-01-01,USD,KZT,nan,test\n",
    "thousands separator": HEAD + '2099-01-01,USD,KZT,"1,000.5",test\n',
    "decimal commas": "date;base;quote;rate\n2099-01-01;USD;KZT;4,5\n",
    "non-breaking space": HEAD + "2099-01-01,USD,KZT,5\u00a0,test\n",
    "a rate in quotes with a thousands separator": HEAD + '2099-01-01,USD,KZT,"1,000",test\n',
    "unknown currency": HEAD + "2099-01-01,USD,XQZ,5,test\n",
    "same currency": HEAD + "2099-01-01,USD,USD,5,test\n",
    "repeated key": HEAD + "2099-01-01,USD,KZT,5,test\n2099-01-01,usd,KZT,6,test\n",
    "same source twice by title and id": HEAD + "2099-01-01,USD,KZT,5,nbu-cross\n"
        + "2099-01-01,USD,KZT,6,NBU-Cross\n",  # noqa: E131
    "too many fields": HEAD + "2099-01-01,USD,KZT,5,test,extra\n",
    "too few fields": HEAD + "2099-01-01,USD,KZT\n",
    "no rows": HEAD,
}
# Files DuckDB's reader refuses that the text path reads (so they are good files).
READ_AS_TEXT = {"decimal commas", "non-breaking space", "thousands separator",
                "a rate in quotes with a thousands separator"}


@pytest.fixture
def spy(monkeypatch):
    """What the typed path decided for each plan: True (it planned) or False (stepped aside)."""
    seen: list[bool] = []
    real = typed_rates.clean

    def recording(*args):
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(typed_rates, "clean", recording)
    return seen


def _text_path_only(monkeypatch):
    monkeypatch.setattr(typed_rates, "eligible", lambda parsed: False)


def _tables(path) -> dict[str, list]:
    """Every table of the store, rows sorted; batches without their time of writing."""
    out = {}
    with db.connect(path) as conn:
        for name in ("sources", "indicators", "changes", *WRITABLE):
            out[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        out["batches"] = conn.execute(
            "SELECT * EXCLUDE (created_at) FROM batches ORDER BY id").fetchall()
    return out


def _twin(store_path, tmp_path, seeded_db):
    """A second store like `store_path`, for the text path: a copy of the file, or, on a
    lake, a file store seeded the same way (the lake's own rows are compared with it)."""
    twin = tmp_path / "twin.duckdb"
    shutil.copy(seeded_db, twin)
    return twin


def _load(path, text: str, **kw):
    return store.load_bytes(path, text.encode("utf-8"), origin="rates.csv", actor="test", **kw)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_file_the_typed_path_takes_is_stored_as_the_text_path_stores_it(
        name, store_path, tmp_path, seeded_db, monkeypatch, spy):
    twin = _twin(store_path, tmp_path, seeded_db)
    typed = _load(store_path, GOOD[name])
    assert spy == [True], "the typed path did not plan this file"
    before = _tables(store_path)
    _text_path_only(monkeypatch)
    text = _load(twin, GOOD[name])
    assert spy == [True]
    assert typed.ok and text.ok, (typed.problems, text.problems)
    for attr in ("rows", "inserted", "updated", "unchanged", "notices", "warnings", "sha256",
                 "affected", "batch"):
        assert getattr(typed, attr) == getattr(text, attr), attr
    for attr in ("new_rows", "changed_rows", "unchanged_rows"):
        assert getattr(typed, attr).equals(getattr(text, attr)), attr
    if db.is_lake(store_path):
        # A lake seeded from the same files: the rows written and the records agree.
        assert _tables(store_path)["rates"] == _tables(twin)["rates"]
        assert _tables(store_path)["batches"][-1] == _tables(twin)["batches"][-1]
        return
    assert before == _tables(twin)
    # Undo and redo of each batch: the stores stay equal at every step.
    (u1,) = store.undo_batch(store_path, typed.batch, actor="test")
    (u2,) = store.undo_batch(twin, text.batch, actor="test")
    assert u1 == u2 and _tables(store_path) == _tables(twin)
    store.undo_batch(store_path, u1, actor="test")
    store.undo_batch(twin, u2, actor="test")
    assert _tables(store_path) == _tables(twin)


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_the_typed_path_declines_gets_the_text_paths_outcome(
        name, store_path, tmp_path, seeded_db, monkeypatch, spy):
    """Bad files are refused with the text path's messages (line, field, value, expected);
    the few good ones DuckDB's reader refuses (decimal commas, a thousands separator, a
    non-breaking space) are read by the text path, as before."""
    typed = _load(store_path, BAD[name])
    assert not any(spy), "the typed path accepted a file it should have left to the text path"
    _text_path_only(monkeypatch)
    text = _load(_twin(store_path, tmp_path, seeded_db), BAD[name])
    assert typed.ok == text.ok == (name in READ_AS_TEXT)
    assert [str(p) for p in typed.problems] == [str(p) for p in text.problems]
    assert (typed.notices, typed.rows, typed.inserted) == (text.notices, text.rows, text.inserted)
    if not typed.ok:
        assert typed.problems and typed.batch is None


def test_add_only_lists_the_changed_rows_with_their_lines_after_the_typed_path(
        store_path, monkeypatch, spy):
    data = HEAD + "2099-07-01,USD,KZT,5,test\n2022-07-01,USD,KZT,470.5,nbu-cross\n"
    typed = _load(store_path, data, mode="add-only", dry_run=True)
    assert spy == [True]
    _text_path_only(monkeypatch)
    text = _load(store_path, data, mode="add-only", dry_run=True)
    assert [str(p) for p in typed.problems] == [str(p) for p in text.problems]
    assert [p.line for p in typed.problems] == [3]


def test_the_cli_takes_no_sample_rows_and_prints_what_it_printed(store_path, tmp_path):
    from click.testing import CliRunner

    from indicators.cli import main

    path = tmp_path / "r.csv"
    path.write_text(GOOD["update, unchanged, case and spaces"])
    plans = []
    real = store.plan

    def recording(*args, **kw):
        plans.append(real(*args, **kw))
        return plans[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "plan", recording)
        out = CliRunner().invoke(main, ["import", str(path), "--db", str(store_path)])
    assert out.exit_code == 0, out.output
    assert plans and all(p.new_rows is None for p in plans)
    assert out.stdout.splitlines()[-1].endswith("rates: 2 inserted, 1 updated, 0 unchanged")
