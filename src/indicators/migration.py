"""`indicators migrate`: copy a DuckDB file store, with its history, into an empty lake."""

from __future__ import annotations

from indicators import db, schema


class MigrateRefused(RuntimeError):
    """The source is not a file store, or the target is not an empty lake."""


def copy_file_to_lake(source, target: str) -> dict[str, int]:
    """Copy every table (rows, sources, catalogue, batches, undo journal, held rates).

    One transaction on the lake, under its writer lock: it ends with every row or none.
    Batch ids are kept, so `history` and `undo` go on where the file left off. Returns
    the rows copied per table, checked against the source's counts.
    """
    if db.is_lake(source):
        raise MigrateRefused("the source must be a DuckDB file store (--db PATH)")
    if not db.is_lake(target):
        raise MigrateRefused(f"the target must be {db.LAKE_PREFIX}<libpq connection string>")
    if not db.exists(source):
        raise MigrateRefused(f"{source} does not exist")
    counts: dict[str, int] = {}
    with db.connect(target) as conn:
        db.ensure_schema(conn)
        with db.attached_file(conn, source) as src, db.transaction(conn):
            for table in schema.TABLES:
                if conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]:
                    raise MigrateRefused(f"the lake's table {table.name} already holds rows; "
                                         "migrate only into an empty lake")
            for table in schema.TABLES:
                cols = ", ".join(f'"{c}"' for c in table.names)
                conn.execute(f'INSERT INTO "{table.name}" ({cols}) '
                             f'SELECT {cols} FROM {src}."{table.name}"')
                copied = conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                expected = conn.execute(
                    f'SELECT count(*) FROM {src}."{table.name}"').fetchone()[0]
                if copied != expected:
                    raise MigrateRefused(f"{table.name}: copied {copied} rows of {expected}")
                counts[table.name] = copied
            for bid, kind in conn.execute(f"SELECT id, kind FROM {src}.batches ORDER BY id"
                                          ).fetchall():
                db.note_batch(conn, bid, kind)
    return counts
