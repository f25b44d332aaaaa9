"""Store migrations: a file store's key indexes dropped where the write path keeps keys
unique; `indicators migrate`, a file store copied, with its history, into an empty lake."""

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


def keyed_tables(conn: db.Connection) -> list[schema.Table]:
    """Tables of a file store made before issue 15 that still carry a primary-key index
    the schema no longer declares (schema.Table.key_index)."""
    unkeyed = {t.name: t for t in schema.TABLES if not t.key_index}
    rows = conn.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND constraint_type = 'PRIMARY KEY'").fetchall()
    return [unkeyed[name] for (name,) in rows if name in unkeyed]


def drop_key_indexes(conn: db.Connection) -> list[str]:
    """Rebuild each table of `keyed_tables` as the schema declares it now, rows and
    comments kept, in one transaction; then checkpoint, so that the write-ahead log holds
    no DDL (duckdb#19712). The names of the tables rebuilt; none on a lake or a new store.
    """
    if db.is_lake_connection(conn) or not keyed_tables(conn):
        return []
    with db.transaction(conn):
        tables = keyed_tables(conn)  # again under the writer lock: another thread may be done
        for table in tables:
            old = f"_{table.name}_keyed"
            cols = ", ".join(f'"{c}"' for c in table.names)
            conn.execute(f'ALTER TABLE "{table.name}" RENAME TO "{old}"')
            for stmt in schema.ddl(table):
                conn.execute(stmt)
            conn.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{old}"')
            conn.execute(f'DROP TABLE "{old}"')
    if tables:
        conn.execute("CHECKPOINT")
    return [t.name for t in tables]
