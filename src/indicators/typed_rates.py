"""The typed path of a rates file: read once, typed as it is read, checked in one scan.

The text path (`ingest.stage`, then `store.plan`) stages every field as text, so that any
bad value can be listed with its line, then types the staged rows into `_diff`. For a
1,000,000-row file the staging and the typing by SQL expressions were most of an import
(issue 15). This path builds the same `_diff` from one read of the file into `_typed`:

- the rate is parsed by DuckDB's CSV reader, which reads every number the text path reads
  to the same double (both are DuckDB's cast from text; `tests/test_typed_rates.py` checks
  the forms) and refuses what the text path refuses (a thousands separator, a decimal
  comma, a non-breaking space), except `1_000`, which DuckDB takes and the text path does
  not: a file holding `_` anywhere reads its rates as text here too;
- every other column is typed by the text path's own expressions (`validate.typed_sql`);
- every row rule of the text path, the value sets (currency codes) and the keys' being
  unique are counted in one aggregate scan of `_diff`.

If the reader refuses a record, or any count is not zero, `plan` returns None and the caller
plans the file by the text path, which finds and lists every problem with its line, field,
value and expectation, as before. So a file this path accepts is one the text path accepts,
giving the same rows: `tests/test_typed_rates.py` imports files both ways and compares
every table.
"""

from __future__ import annotations

from indicators import db, ingest, schema, validate
from indicators.ingest import TYPED, ParsedFile

# The text path reads numbers with a decimal point unless the file is semicolon- or
# tab-separated with decimal commas, which DuckDB's reader refuses: such a file falls back.
DIALECT = validate.Dialect(decimal_comma=False)
SOURCE_TEXT = "_source_text"


def eligible(parsed: ParsedFile) -> bool:
    return parsed.kind == "rates"


def _read_typed(parsed: ParsedFile) -> frozenset:
    return frozenset() if parsed.has_underscores else frozenset({"rate"})


def read(conn: db.Connection, parsed: ParsedFile) -> int | None:
    """`_typed`: every record of the file, typed; its number of rows, or None (and no
    `_typed`) when the reader refuses a record or the file changed since it was read."""
    typed = _read_typed(parsed)
    t = lambda name: validate.typed_sql(parsed.kind, name, DIALECT, typed)  # noqa: E731
    source = "coalesce(trim(s.source), '')" if "source" in parsed.columns else "''"
    checked = "".join(", " + c for c in validate.checked_columns(parsed, DIALECT, typed))
    options = ingest.read_options(parsed, {name: "DOUBLE" for name in typed})
    conn.execute(f"DROP TABLE IF EXISTS {TYPED}")
    try:
        conn.execute(
            f"CREATE TEMP TABLE {TYPED} AS SELECT {t('date')} AS date, {t('base')} AS base, "
            f"{t('quote')} AS quote, {t('rate')} AS rate, {source} AS {SOURCE_TEXT}{checked} "
            f"FROM (SELECT {ingest.picks(parsed)} FROM {db.read_csv_sql(options)}) s",
            [str(parsed.text_path)])
    except db.Error:
        return None  # the text path reads it again and says what is wrong, with the line
    if ingest.changed(parsed):
        drop(conn)
        return None
    return conn.execute(f"SELECT count(*) FROM {TYPED}").fetchone()[0]


def source_texts_sql() -> str:
    return f"SELECT DISTINCT {SOURCE_TEXT} FROM {TYPED}"


def typed_select(conn: db.Connection) -> str:
    """The rows of `_typed` as `store._diff` takes them: as the text path's typed select."""
    offset = conn.execute(f"SELECT min(rowid) FROM {TYPED}").fetchone()[0] or 0
    return (f"SELECT t.rowid - {int(offset)} AS _row, t.date, t.base, t.quote, t.rate, "
            "m.id AS source, CAST(NULL AS TIMESTAMP) AS fetched_at, "
            "CAST(NULL AS VARCHAR) AS request_url, "
            f"t.* EXCLUDE (date, base, quote, rate, {SOURCE_TEXT}) "
            f"FROM {TYPED} t LEFT JOIN _srcmap m ON m.txt = t.{SOURCE_TEXT}")


def clean(conn: db.Connection, parsed: ParsedFile, table: schema.Table) -> bool:
    """Whether `_diff` breaks no rule of the text path: row rules, value sets, keys once."""
    rules = validate.row_rules(parsed, DIALECT)
    keys = ", ".join(f'"{k}"' for k in table.primary_key)
    # Distinct key hashes as many as rows: no key twice (two keys sharing a hash only
    # send the file to the text path, which compares the keys themselves).
    *broken, rows, hashes = validate.rule_counts(
        conn, rules, ("count(*)", f"count(DISTINCT hash({keys}))"))
    return not any(broken) and rows == hashes and validate.value_sets_hold(conn, parsed)


def drop(conn: db.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {TYPED}")
