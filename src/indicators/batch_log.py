"""The log of batches, read only: whether a store is ready, and what each batch did.

Kept apart from `store` (the writes) so that `indicators history` loads no more than the
database driver: no CSV parsing, validation or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from indicators import db

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def is_ready(db_path) -> bool:
    """True when the store exists with every table and at least one batch (the seed)."""
    if not db.exists(db_path):
        return False
    with db.connect(db_path) as conn:
        return is_ready_conn(conn)


def is_ready_conn(conn: db.Connection) -> bool:
    """`is_ready` on an open connection."""
    if not db.has_schema(conn):
        return False
    return conn.execute("SELECT count(*) FROM batches").fetchone()[0] > 0


# What each batch did, in four counts: a load adds and changes rows; an undo removes the rows
# its batch added and restores those it overwrote (an undo journals every row it deletes; the
# note is the fallback for undos recorded before it did); a redo (the undo of an undo, origin
# "... (redo of batch N)") adds and changes them again.
_HISTORY_SQL = (
    "WITH j AS (SELECT batch, count(*) AS n FROM changes WHERE tbl IN ('rates', 'figures') "
    "GROUP BY batch), "
    "b AS (SELECT *, kind = 'undo' AND origin NOT LIKE '%(redo of batch %' AS is_undo "
    "FROM batches) "
    "SELECT id, kind, target, origin, created_at, actor, "
    "CASE WHEN is_undo THEN 0 ELSE rows_inserted END AS added, "
    "CASE WHEN is_undo THEN 0 ELSE rows_updated END AS changed, "
    "CASE WHEN is_undo THEN coalesce(nullif(j.n, 0) - rows_inserted, TRY_CAST("
    "regexp_extract(note, 'Removed (\\d+) row', 1) AS BIGINT), 0) ELSE 0 END AS removed, "
    "CASE WHEN is_undo THEN rows_inserted ELSE 0 END AS restored, "
    "rows_inserted, rows_updated, rows_unchanged, undone_by, sha256, note "
    "FROM b LEFT JOIN j ON j.batch = b.id ORDER BY id DESC")


def _history_cursor(conn: db.Connection, limit: int | None) -> duckdb.DuckDBPyConnection:
    if limit:
        return conn.execute(_HISTORY_SQL + " LIMIT ?", [limit])
    return conn.execute(_HISTORY_SQL)


def history(conn: db.Connection, limit: int | None = None) -> pd.DataFrame:
    """Every batch, newest first."""
    return _history_cursor(conn, limit).df()


def history_records(conn: db.Connection, limit: int | None = None) -> list[dict[str, Any]]:
    """`history` as plain dicts, without loading pandas (the CLI's `history`).

    The limit is applied by fetching, not as a bound parameter: binding any Python value
    makes DuckDB import pandas. The batches table is small; the query stays cheap.
    """
    cur = conn.execute(_HISTORY_SQL)
    names = [d[0] for d in cur.description]
    rows = cur.fetchmany(limit) if limit else cur.fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


