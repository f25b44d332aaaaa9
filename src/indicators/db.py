"""The only module that opens DuckDB: where the store lives, connections, and the SQL dialect.

Two back ends share every SQL statement of the package:

- a DuckDB file (the default, `data/indicators.duckdb`): one writing process, constraints
  in the DDL (but no key index on the tables loads write: see `check_keys`), short-lived
  connections, one writing transaction at a time within the process;
- a DuckLake store, `ducklake:postgres:<libpq connection string>`, its catalog in
  PostgreSQL and its data files under `INDICATORS_LAKE_DATA_PATH`, for several replicas
  and writers. DuckLake refuses keys and CHECKs, so writes hold a PostgreSQL advisory lock
  (one writer at a time) and `store.commit` checks the schema's rules before writing.

Everything that differs between them lives here: how to connect (extensions loaded from
the installed wheels, never downloaded; one attach per process), the DDL, the writer lock,
the commit message that names the batch, retries, key checks and the data version that
keys the dashboard's caches.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from indicators import schema, settings

LAKE_PREFIX = "ducklake:postgres:"
LAKE_ALIAS = "lake"
# The wheels that carry the extensions, by the name DuckDB loads them under.
LAKE_EXTENSIONS = (("postgres_scanner", "duckdb_extension_postgres_scanner"),
                   ("ducklake", "duckdb_extension_ducklake"))
# Key of the PostgreSQL advisory lock that one writer at a time holds.
WRITER_LOCK_KEY = int.from_bytes(hashlib.sha256(b"indicators writer").digest()[:7], "big")
# Memory cap per connection; keeps a 1M-row import well under 1 GB of process memory.
MEMORY_LIMIT = "512MB"

Connection = duckdb.DuckDBPyConnection
Error = duckdb.Error
ConstraintError = duckdb.ConstraintException


class LockTimeout(RuntimeError):
    """Another process kept the store locked for longer than we were willing to wait."""


class LakeError(RuntimeError):
    """The lake could not be opened; the message never carries a password."""


class DuplicateKey(RuntimeError):
    """A write left a key twice in a lake table; its transaction is rolled back."""


def resolve_path(path: str | os.PathLike | None = None) -> Path | str:
    """--db PATH, else $INDICATORS_DB, else data/indicators.duckdb.

    A value starting `ducklake:postgres:` names a lake and is returned as text.
    """
    value = str(path) if path else settings.DB.get()
    return value if is_lake(value) else Path(value)


def is_lake(target) -> bool:
    return str(target).startswith(LAKE_PREFIX)


_SECRET = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_URI_SECRET = re.compile(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)


def redact(text: str) -> str:
    """The text with any password in a connection string replaced by ***."""
    return _URI_SECRET.sub(r"\1***@", _SECRET.sub(r"\1***", str(text)))


def describe(target) -> str:
    """The store's name for messages and pages: a path, or the lake without its password."""
    return redact(str(target))


def exists(target) -> bool:
    """Whether the store may hold data already (a lake is created on first attach)."""
    return is_lake(target) or os.path.exists(target)


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
    if is_lake(path):
        with _lake_cursor(str(path)) as cur:
            yield cur
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if timeout is None:
        timeout = settings.LOCK_TIMEOUT.get()
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
    _OPEN_FILE_CONNS[id(conn)] = str(path.resolve())
    try:
        yield conn
    finally:
        _OPEN_FILE_CONNS.pop(id(conn), None)
        conn.close()


def _lock_timeout() -> float:
    return settings.LOCK_TIMEOUT.get()


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN … COMMIT, or ROLLBACK on any error: a load is all-or-nothing.

    Every transaction first takes the store's writer lock, so that it sees every earlier
    write and no other writer can add the same key meanwhile (the tables that loads
    write have no key index: `check_keys`). On a lake it is a PostgreSQL advisory lock,
    across processes, and the commit message names the batches written (`note_batch`).
    On a file it is a lock of this process per store file (the dashboard's sessions
    share one process); DuckDB's own file lock already keeps other processes out while
    a connection is open.
    """
    lake = _OPEN_LAKE_CURSORS.get(id(conn))
    if lake is None:
        with _file_writer_lock(_OPEN_FILE_CONNS.get(id(conn))):
            conn.execute("BEGIN TRANSACTION")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return
    with _writer_lock(lake):
        _BATCHES_NOTED[id(conn)] = []
        conn.execute("BEGIN TRANSACTION")
        try:
            yield conn
            noted = _BATCHES_NOTED.get(id(conn)) or []
            if noted:
                ids = [b for b, _ in noted]
                message = ("; ".join(f"batch {b} ({kind})" for b, kind in noted)
                           if len(noted) <= 10 else f"batches {ids[0]}–{ids[-1]}")
                conn.execute(f"CALL {LAKE_ALIAS}.set_commit_message(?, ?, extra_info => ?)",
                             ["indicators", message, json.dumps({"batches": ids})])
            conn.execute("COMMIT")
        except BaseException:
            # After a failed COMMIT DuckLake has already ended the transaction.
            with suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        finally:
            _BATCHES_NOTED.pop(id(conn), None)


@contextmanager
def _file_writer_lock(path: str | None) -> Iterator[None]:
    """One writing transaction at a time per store file in this process."""
    if path is None:  # a connection not opened by `connect` (a test's own)
        yield
        return
    with _FILE_WRITERS_LOCK:
        lock = _FILE_WRITERS.setdefault(path, threading.RLock())
    timeout = _lock_timeout()
    if not lock.acquire(timeout=timeout):
        raise LockTimeout(f"another write to {path} in this process took longer than "
                          f"{timeout:.0f} s; try again when it has finished")
    try:
        yield
    finally:
        lock.release()


def is_lake_connection(conn: Connection) -> bool:
    return id(conn) in _OPEN_LAKE_CURSORS


def note_batch(conn: Connection, batch_id: int, kind: str) -> None:
    """Remember a batch written in this transaction; on a lake it names the commit."""
    noted = _BATCHES_NOTED.get(id(conn))
    if noted is not None:
        noted.append((batch_id, kind))


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
    """Raise DuplicateKey if a key of `relation` now occurs twice in `table`.

    No back end has a key index on the tables loads write (schema.Table.key_index): the
    writer lock makes a duplicate impossible, and this proves it for every batch. First
    one scan: as many distinct key hashes as rows means no key twice anywhere (0.06 s for
    a million rows, a third of a join with `relation`); only otherwise are the keys of
    `relation` looked at one by one (two keys may share a hash).
    """
    keys = ", ".join(f'"{k}"' for k in table.primary_key)
    rows, hashes = conn.execute(
        f'SELECT count(*), count(DISTINCT hash({keys})) FROM "{table.name}"').fetchone()
    if rows == hashes:
        return
    on = " AND ".join(f't."{k}" = r."{k}"' for k in table.primary_key)
    row = conn.execute(
        f'SELECT {keys}, count(*) FROM "{table.name}" t WHERE EXISTS '
        f"(SELECT 1 FROM {relation} r WHERE {on}) GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if row is not None:
        raise DuplicateKey(f"{table.name}: key {list(row[:-1])} would be stored {row[-1]} times")


def ensure_schema(conn: Connection) -> None:
    """Create the tables that are missing, each with its comments, in one transaction.

    Existing tables are left alone: rewriting comments on every start put DDL in the
    write-ahead log for no reason, and a crash in that window is the riskiest moment.
    """
    existing = table_names(conn)
    missing = [t for t in schema.TABLES if t.name not in existing]
    added = _missing_columns(conn, existing)
    if not missing and not added:
        return
    constraints = id(conn) not in _OPEN_LAKE_CURSORS
    with transaction(conn):
        for table in missing:
            for stmt in schema.ddl(table, constraints=constraints):
                conn.execute(stmt)
        for table, f in added:
            conn.execute(f'ALTER TABLE "{table.name}" ADD COLUMN "{f.name}" {f.type}')


def _missing_columns(conn: Connection,
                     existing: set[str]) -> list[tuple[schema.Table, schema.Field]]:
    """Optional columns the schema added to a table after a store was created (as
    `held_rates.batch`): a store made by an earlier version gets them, empty, on open."""
    have = _columns(conn)
    return [(t, f) for t in schema.TABLES if t.name in existing
            for f in t.fields if f.name not in have.get(t.name, set()) and not f.required]


def table_exists(conn: Connection, name: str) -> bool:
    return name in table_names(conn)


def has_schema(conn: Connection) -> bool:
    """True when every table of the schema exists with every column."""
    have = _columns(conn)
    return all({f.name for f in t.fields} <= have.get(t.name, set()) for t in schema.TABLES)


def _columns(conn: Connection) -> dict[str, set[str]]:
    have: dict[str, set[str]] = {}
    for table, column in conn.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database()").fetchall():
        have.setdefault(table, set()).add(column)
    return have


def table_names(conn: Connection) -> set[str]:
    # No bound parameter on purpose: binding any Python value makes DuckDB 1.5.5 import
    # pandas (about a second on a busy machine), which `indicators history` does not need.
    return {r[0] for r in conn.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()}


def data_version(path: str | os.PathLike) -> tuple:
    """Changes whenever any process commits to the store; used as a cache key by the UI.

    For a file: its and its write-ahead log's modification time and size. For a lake:
    the id of its latest snapshot, read from the catalog (a few milliseconds).
    """
    if is_lake(path):
        with connect(path) as conn:
            return ("lake", conn.execute(
                f"SELECT id FROM {LAKE_ALIAS}.current_snapshot()").fetchone()[0])
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


# ---------------------------------------------------------------- the lake back end

# Connections `connect` opened on a file, by id: the resolved path, for the writer lock.
_OPEN_FILE_CONNS: dict[int, str] = {}
_FILE_WRITERS: dict[str, threading.RLock] = {}
_FILE_WRITERS_LOCK = threading.Lock()
_LAKES: dict[str, duckdb.DuckDBPyConnection] = {}
_LAKES_LOCK = threading.Lock()
_OPEN_LAKE_CURSORS: dict[int, str] = {}
_BATCHES_NOTED: dict[int, list[tuple[int, str]]] = {}


def extension_path(name: str, package: str) -> Path:
    """Where the PyPI wheel `package` put the extension binary for this DuckDB version."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LakeError(f"the Python package {package.replace('_', '-')}=={duckdb.__version__} "
                        "is not installed; it carries the DuckDB extension a lake needs")
    path = (Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}"
            / f"{name}.duckdb_extension")
    if not path.is_file():
        raise LakeError(f"{path} is missing; install {package.replace('_', '-')}=="
                        f"{duckdb.__version__}, the version that matches duckdb")
    return path


def conninfo(target: str) -> str:
    """The libpq connection string of a lake's catalog."""
    return target[len(LAKE_PREFIX):]


def _base_config() -> dict[str, str | bool]:
    # Extensions come only from the installed wheels: nothing is ever downloaded.
    return {"memory_limit": MEMORY_LIMIT, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False}


def _attach(target: str) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process with the lake attached as `lake` (0.5–1.5 s)."""
    conn = duckdb.connect(":memory:", config=_base_config())
    try:
        for name, package in LAKE_EXTENSIONS:
            conn.execute(f"LOAD {sql_literal(str(extension_path(name, package)))}")
        options = []
        data_path = settings.LAKE_DATA_PATH.get()
        if data_path:
            options.append(f"DATA_PATH {sql_literal(data_path)}")
        opts = f" ({', '.join(options)})" if options else ""
        conn.execute(f"ATTACH {sql_literal(target)} AS {LAKE_ALIAS}{opts}")
    except duckdb.Error as exc:
        conn.close()
        raise LakeError(f"cannot open the lake {describe(target)}: {redact(exc)}") from None
    return conn


def _lake(target: str) -> duckdb.DuckDBPyConnection:
    with _LAKES_LOCK:
        conn = _LAKES.get(target)
        if conn is None:
            conn = _LAKES[target] = _attach(target)
        return conn


@contextmanager
def _lake_cursor(target: str) -> Iterator[Connection]:
    """A connection of its own (temp tables, transaction) on the process's attached lake."""
    base = _lake(target)
    with _LAKES_LOCK:
        cur = base.cursor()
    _OPEN_LAKE_CURSORS[id(cur)] = target
    try:
        cur.execute(f"USE {LAKE_ALIAS}")
        # No progress bar: a slow lake query would print it into the CLI's output.
        cur.execute("SET enable_progress_bar = false")
        yield cur
    except duckdb.Error as exc:
        clean = _redacted(exc)
        if clean is exc:
            raise
        raise clean from None
    finally:
        _OPEN_LAKE_CURSORS.pop(id(cur), None)
        cur.close()


def _redacted(exc: duckdb.Error) -> duckdb.Error:
    """The error, or one of the same class whose message has no password.

    Once attached, DuckDB quotes the catalog's whole connection string when PostgreSQL
    cannot be reached ("Unable to connect to Postgres at \"host=… password=…\""); that
    message would reach the CLI's output, a page and the server's log. The class is kept,
    so callers that retry a `TransactionException` still see one.
    """
    text = str(exc)
    clean = redact(text)
    if clean == text:
        return exc
    try:
        return type(exc)(clean)
    except Exception:  # noqa: BLE001 - a class that takes other arguments
        return duckdb.Error(clean)


@contextmanager
def attached_file(conn: Connection, path) -> Iterator[str]:
    """A DuckDB file attached read-only to `conn`'s database; yields its alias."""
    alias = "file_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
    conn.execute(f"ATTACH {sql_literal(str(path))} AS {alias} (READ_ONLY)")
    try:
        yield alias
    finally:
        conn.execute(f"DETACH {alias}")


def maintain(target, keep_days: int) -> None:
    """Nightly upkeep. A lake: expire snapshots and delete unneeded files older than
    `keep_days`, merge small files (DuckLake's CHECKPOINT), under the writer lock.
    A file: DuckDB's CHECKPOINT. Undo does not depend on snapshots (it reads the journal).
    """
    days = int(keep_days)
    if days < 0:
        raise ValueError("keep_days must be 0 or more")
    with connect(target) as conn:
        if not is_lake(target):
            conn.execute("CHECKPOINT")
            return
        with _writer_lock(str(target)):
            for option in ("expire_older_than", "delete_older_than"):
                conn.execute(f"CALL {LAKE_ALIAS}.set_option(?, ?)", [option, f"{days} days"])
            conn.execute(f"CHECKPOINT {LAKE_ALIAS}")


def close_lake(target: str) -> None:
    """Detach a lake from this process (tests, `migrate`); the next connect attaches again."""
    with _LAKES_LOCK:
        conn = _LAKES.pop(str(target), None)
    if conn is not None:
        conn.close()


@contextmanager
def _writer_lock(target: str) -> Iterator[None]:
    """Hold the lake's PostgreSQL advisory lock: one writer at a time, across every process.

    The lock belongs to a PostgreSQL session of its own, opened for this write and
    closed after it, so a writer that dies releases it at once.
    """
    import psycopg  # only a lake needs it

    timeout = _lock_timeout()
    try:
        pg = psycopg.connect(conninfo(target), autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise LakeError(f"cannot reach the lake's catalog {describe(target)}: "
                        f"{redact(exc)}") from None
    try:
        pg.execute(f"SET lock_timeout = {int(timeout * 1000)}")
        try:
            pg.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK_KEY])
        except psycopg.errors.LockNotAvailable:
            raise LockTimeout(f"another writer held the lake for {timeout:.0f} s; try again "
                              "when the other import or refresh has finished") from None
        yield
    finally:
        pg.close()
