"""The only module that opens DuckDB: where the file lives, connections, and the SQL dialect."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators import schema

DEFAULT_PATH = Path("data") / "indicators.duckdb"
ENV_PATH = "INDICATORS_DB"
ENV_LOCK_TIMEOUT = "INDICATORS_LOCK_TIMEOUT"
# Memory cap per connection; keeps a 1M-row import well under 1 GB of process memory.
MEMORY_LIMIT = "512MB"

Connection = duckdb.DuckDBPyConnection
Error = duckdb.Error
ConstraintError = duckdb.ConstraintException


class LockTimeout(RuntimeError):
    """Another process kept the database file locked for longer than we were willing to wait."""


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $INDICATORS_DB, else data/indicators.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_PATH)
    return Path(env) if env else DEFAULT_PATH


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


@contextmanager
def connect(path: str | os.PathLike, *, timeout: float | None = None) -> Iterator[Connection]:
    """A short-lived connection; waits with backoff while another process holds the file.

    DuckDB allows one writing process per file. The dashboard and the CLI both open
    connections only for the duration of one read or one transaction, so a lock held
    by the other side is released within seconds; we retry instead of failing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if timeout is None:
        timeout = float(os.environ.get(ENV_LOCK_TIMEOUT, "60"))
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            conn = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT})
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise LockTimeout(
                        f"{path} stayed locked by another process for {timeout:.0f} s; "
                        "try again when the other import or refresh has finished"
                    ) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN … COMMIT, or ROLLBACK on any error: a load is all-or-nothing."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def retry_delays(attempts: int = 6, first: float = 0.05, cap: float = 2.0) -> Iterator[float]:
    """Pauses between attempts of a write that clashed: doubling, jittered, bounded.

    Yields one pause per attempt (the caller sleeps it after a failed attempt); the
    total is at most a few seconds, after which the caller reports a clear error.
    """
    delay = first
    for _ in range(attempts):
        yield random.uniform(delay / 2, delay)
        delay = min(delay * 2, cap)


def check_keys(conn: Connection, table: schema.Table, relation: str) -> None:
    """Raise if a key of `relation` now occurs twice in `table`.

    The file store's PRIMARY KEY already refuses that, so nothing is checked there.
    """


def ensure_schema(conn: Connection) -> None:
    """Create the tables that are missing, each with its comments, in one transaction.

    Existing tables are left alone: rewriting comments on every start put DDL in the
    write-ahead log for no reason, and a crash in that window is the riskiest moment.
    """
    existing = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    missing = [t for t in schema.TABLES if t.name not in existing]
    if not missing:
        return
    conn.execute("BEGIN TRANSACTION")
    try:
        for table in missing:
            for stmt in schema.ddl(table):
                conn.execute(stmt)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def table_exists(conn: Connection, name: str) -> bool:
    return name in table_names(conn)


def has_schema(conn: Connection) -> bool:
    """True when every table of the schema exists."""
    return {t.name for t in schema.TABLES} <= table_names(conn)


def table_names(conn: Connection) -> set[str]:
    # No bound parameter on purpose: binding any Python value makes DuckDB 1.5.5 import
    # pandas (about a second on a busy machine), which `indicators history` does not need.
    return {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def data_version(path: str | os.PathLike) -> tuple[float, int, float, int]:
    """Changes whenever any process commits to the file; used as a cache key by the UI."""
    out: list[float | int] = []
    for p in (Path(path), Path(str(path) + ".wal")):
        try:
            st = p.stat()
            out += [st.st_mtime, st.st_size]
        except FileNotFoundError:
            out += [0.0, 0]
    return tuple(out)  # type: ignore[return-value]


def read_csv_sql(options: dict[str, str]) -> str:
    """The read_csv call used to stage an upload; options are already SQL literals."""
    opts = ", ".join(f"{k}={v}" for k, v in options.items())
    return f"read_csv(?, {opts})"


def sql_literal(text: str) -> str:
    """Quote a string for the few places DuckDB takes no parameter (read_csv options, DDL)."""
    return "'" + text.replace("'", "''") + "'"
