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
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'", [t.name]).fetchone()
        # The tables loads write keep their key by the write path, not an index (issue 15).
        assert (tuple(pk[0]) if pk else None) == (t.primary_key if t.key_index else None)
    assert {t.name for t in schema.TABLES if not t.key_index} == {
        "rates", "figures", "held_rates", "rate_flags"}


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


def _store() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    for stmt in schema.all_ddl():
        conn.execute(stmt)
    return conn


def test_each_constraint_is_one_predicate_for_the_check_and_for_validation():
    """The SQL CHECK and the validation rule come from the same constraint objects."""
    import math

    cases = [
        (schema.Minimum(0), [0, 3], [-1]),
        (schema.ExclusiveMinimum(0), [0.5], [0, -2]),
        (schema.Finite(), [0, -5, 1e300], [math.inf, -math.inf, math.nan]),
    ]
    conn = duckdb.connect()
    for constraint, good, bad in cases:
        for value in good + bad:
            holds = conn.execute(f"SELECT {constraint.sql('?::DOUBLE')}", [value] * 2
                                 if isinstance(constraint, schema.Finite) else [value]
                                 ).fetchone()[0]
            assert holds == (value in good), (constraint, value)
    one_of = schema.OneOf(("a", "b"))
    assert conn.execute(f"SELECT {one_of.sql(repr('b'))}, {one_of.sql(repr('c'))}"
                        ).fetchone() == (True, False)
    assert schema.FIELDS["rate"].expected == "a finite number > 0"
    assert schema.FIGURES.field("value").expected == "a finite number"
    assert schema.FIGURES.field("status").expected == "one of " + ", ".join(schema.STATUSES)


def test_generated_checks_reject_what_validation_rejects():
    conn = _store()
    for bad in ("0", "-1", "'Infinity'", "'NaN'"):
        try:
            conn.execute("INSERT INTO rates (date, base, quote, rate, source) "
                         f"VALUES ('2024-01-01', 'USD', 'KZT', {bad}::DOUBLE, 'x')")
        except duckdb.ConstraintException:
            continue
        raise AssertionError(f"rate {bad} was accepted")
    # No generated CHECK calls isfinite (duckdb#19712: WAL replay with COMMENT ON COLUMN).
    assert not any("isfinite" in s.lower() for s in schema.all_ddl())


def test_a_row_check_becomes_a_table_check_and_a_validation_rule(tmp_path):
    """The mechanism plausibility rules plug into: one RowCheck, both ends."""
    from dataclasses import replace

    from indicators import ingest, store

    check = schema.RowCheck("{base} <> {quote}", "a quote currency other than base",
                            column="quote")
    assert schema.RATES.checks[0].template == check.template  # the rule the rates table uses
    assert check.columns == ("base", "quote")
    assert check.sql() == '"base" <> "quote"'
    assert check.sql({"base": "d.base", "quote": "d.quote"}) == "d.base <> d.quote"
    rates = replace(schema.RATES, checks=(check,))
    assert 'CHECK ("base" <> "quote")' in schema.ddl(rates)[0]
    conn = duckdb.connect()
    conn.execute(schema.ddl(rates)[0])
    try:
        conn.execute("INSERT INTO rates (date, base, quote, rate, source) "
                     "VALUES ('2024-01-01', 'USD', 'USD', 1, 'x')")
        raise AssertionError("the row check did not reach the table")
    except duckdb.ConstraintException:
        pass
    original = schema.CSV_KINDS["rates"]
    schema.CSV_KINDS["rates"] = rates
    try:
        db_file = tmp_path / "s.duckdb"
        with duckdb.connect(str(db_file)) as c:
            for stmt in schema.all_ddl():
                c.execute(stmt)
        data = b"date,base,quote,rate\n2024-01-01,USD,USD,1\n2024-01-02,USD,KZT,450\n"
        parsed = ingest.parse(data, origin="t.csv", kind="rates")
        with duckdb.connect(str(db_file)) as c:
            plan = store.plan(c, parsed)
    finally:
        schema.CSV_KINDS["rates"] = original
    assert [(p.line, p.column, p.value, p.expected) for p in plan.problems] == [
        (2, "quote", "USD", "a quote currency other than base")]
