import re
from pathlib import Path

import duckdb

from indicators import schema

ROOT = Path(__file__).resolve().parents[1]


def test_ddl_creates_every_table_with_comments_and_keys():
    conn = duckdb.connect()
    for stmt in schema.all_ddl():
        conn.execute(stmt)
    tables = dict(conn.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert set(tables) == {t.name for t in schema.TABLES}
    for t in schema.TABLES:
        assert tables[t.name] == t.description
        cols = conn.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?",
            [t.name]).fetchall()
        assert [c for c, _ in cols] == list(t.names)
        assert all(comment for _, comment in cols)
        pk = conn.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'", [t.name]).fetchone()[0]
        assert tuple(pk) == t.primary_key


def test_rate_check_constraint_rejects_non_positive_rates():
    conn = duckdb.connect()
    for stmt in schema.all_ddl():
        conn.execute(stmt)
    try:
        conn.execute("INSERT INTO rates (date, base, quote, rate, source) "
                     "VALUES ('2024-01-01', 'USD', 'KZT', 0, 'x')")
    except duckdb.ConstraintException:
        return
    raise AssertionError("a zero rate was accepted")


def test_data_dictionary_in_docs_matches_the_schema():
    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert text == schema.data_dictionary() + "\n", "run: indicators docs"


def test_every_declared_field_is_used_outside_the_schema():
    code = "\n".join(p.read_text(encoding="utf-8")
                     for p in (ROOT / "src" / "indicators").rglob("*.py")
                     if p.name != "schema.py")
    unused = [f"{t.name}.{f.name}" for t in schema.TABLES for f in t.fields
              if not re.search(rf"\b{re.escape(f.name)}\b", code)]
    assert unused == []


def test_csv_columns_are_declared_fields_or_source_fields():
    from indicators.validate import SOURCE_FIELDS

    for kind, table in schema.CSV_KINDS.items():
        for col in table.csv_columns:
            assert col in table.names or col in {f.name for f in SOURCE_FIELDS}, (kind, col)
