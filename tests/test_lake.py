"""The DuckLake back end: offline extensions, passwords, migrate, and concurrent writers.

Runs against the throw-away PostgreSQL cluster of `pg_conninfo` (conftest). The
concurrency tests are bounded: a few processes, a few hundred rows, a timeout each.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import _lake_db, export_all, pg_execute

from indicators import db, seed, settings, store

TIMEOUT = 180  # seconds any one process of these tests may take


def cli(*args, db_path, check=True, env=None, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "indicators.cli", *args, "--db", str(db_path)],
                          capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **(env or {})}, **kw)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def empty_lake(pg_conninfo, tmp_path, monkeypatch):
    """A new, empty lake: its own catalog database and data folder."""
    name = "empty_" + os.urandom(6).hex()
    pg_execute(pg_conninfo, f"CREATE DATABASE {name}")
    monkeypatch.setenv(settings.LAKE_DATA_PATH.name, str(tmp_path / "lake-files") + "/")
    target = _lake_db(pg_conninfo, name)
    yield target
    db.close_lake(target)
    pg_execute(pg_conninfo, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# ---------------------------------------------------------------- offline extensions


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        _Recorder.seen.append(self.path)
        self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def extension_repository():
    """A local extension repository that records every request and serves nothing."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()


def test_the_lake_loads_its_extensions_from_the_wheels_and_never_downloads(
        lake_path, extension_repository, tmp_path, monkeypatch):
    url, seen = extension_repository
    ext_dir = tmp_path / "extensions"
    ext_dir.mkdir()
    real = db._base_config
    monkeypatch.setattr(db, "_base_config", lambda: {
        **real(), "custom_extension_repository": url, "extension_directory": str(ext_dir)})
    db.close_lake(lake_path)  # attach again, with the recording repository configured
    result = store.load_bytes(lake_path, b"date,base,quote,rate,source\n"
                              b"2099-01-01,USD,KZT,500,test\n", origin="x.csv")
    assert result.batch is not None
    store.undo_batch(lake_path, result.batch)
    with db.connect(lake_path) as conn:
        conn.execute("SELECT * FROM lake.snapshots()").fetchall()  # timestamps need pytz
        loaded = dict(conn.execute(
            "SELECT extension_name, install_mode FROM duckdb_extensions() WHERE loaded"
        ).fetchall())
    assert db.data_version(lake_path)[0] == "lake"
    assert seen == [], f"an extension download was attempted: {seen}"
    assert list(ext_dir.iterdir()) == []
    for name, _package in db.LAKE_EXTENSIONS:
        assert loaded[name] == "NOT_INSTALLED"  # loaded from the wheel's file, not installed
    # Control: the same configuration does reach the recording repository when an
    # install is asked for, so an attempted download could not have gone unnoticed.
    import duckdb

    probe = duckdb.connect(":memory:", config={"custom_extension_repository": url,
                                               "extension_directory": str(ext_dir)})
    with pytest.raises(duckdb.Error):
        probe.execute("INSTALL spatial")
    probe.close()
    assert seen, "the control install did not reach the local repository"


# ---------------------------------------------------------------- passwords


SECRET = "Zq9-s3cr3t-Pa55"


def _leak_free(text: str) -> None:
    assert SECRET not in text and "s3cr3t" not in text, text


@pytest.mark.parametrize("command", [
    ["init"], ["import", "{csv}"], ["export", "--kind", "rates"], ["history"], ["undo", "1"],
    ["maintain", "--keep-days", "3"], ["migrate", "--to", "{target}"],
])
def test_no_cli_command_shows_a_password_written_into_an_unreachable_lake(
        command, tmp_path, seeded_db):
    """A refused connection (nothing listens on the port): one error line, password masked."""
    target = (f"ducklake:postgres:host=127.0.0.1 port={_free_port()} user=u "
              f"password={SECRET} dbname=nothere")
    csv = tmp_path / "one.csv"
    csv.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    args = [a.format(csv=csv, target=target) for a in command]
    # migrate reads a file store and writes the lake; every other command opens the lake.
    where = seeded_db if command[0] == "migrate" else target
    done = cli(*args, db_path=where, check=False,
               env={settings.LAKE_DATA_PATH.name: str(tmp_path) + "/"})
    assert done.returncode == 1, done
    _leak_free(done.stdout + done.stderr)
    assert "password=***" in done.stderr
    assert "Traceback" not in done.stderr  # a message, not a crash that prints locals


@pytest.mark.parametrize("store", [
    "host=127.0.0.1 port={closed} user=u password='{secret} x' dbname=d",  # quoted, a space
    "host=127.0.0.1 port = {closed} user=u password = {secret} dbname=d",  # spaced keywords
    "postgresql://u:{secret}@127.0.0.1:{closed}/d",  # a URI
    "{live} password={secret} dbname=no_such_database",  # the server answers: no database
    "host=/nonexistent/socket/dir user=u password={secret} dbname=d",  # no such socket
])
def test_a_password_is_masked_whatever_the_connection_string_looks_like(
        store, pg_conninfo, tmp_path):
    live = pg_conninfo.replace("dbname=postgres", "")
    target = "ducklake:postgres:" + store.format(closed=_free_port(), secret=SECRET, live=live)
    csv = tmp_path / "one.csv"
    csv.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    done = cli("import", str(csv), db_path=target, check=False,
               env={settings.LAKE_DATA_PATH.name: str(tmp_path) + "/"})
    assert done.returncode == 1
    _leak_free(done.stdout + done.stderr)
    assert "***" in done.stderr


def test_passwords_from_pgpassword_and_pgpass_never_reach_the_output(tmp_path):
    """libpq reads them itself; no message names them, even when the connection fails."""
    home = tmp_path / "home"
    home.mkdir()
    closed = _free_port()
    pgpass = home / ".pgpass"
    pgpass.write_text(f"127.0.0.1:{closed}:*:u:{SECRET}-file\n")
    pgpass.chmod(0o600)
    target = f"ducklake:postgres:host=127.0.0.1 port={closed} user=u dbname=d"
    env = {"PGPASSWORD": SECRET, "HOME": str(home), "PGPASSFILE": str(pgpass),
           settings.LAKE_DATA_PATH.name: str(tmp_path) + "/"}
    for args in (["init"], ["history"]):
        done = cli(*args, db_path=target, check=False, env=env)
        assert done.returncode == 1
        _leak_free(done.stdout + done.stderr)


def test_a_catalog_lost_after_attaching_does_not_show_the_password(pg_conninfo, tmp_path,
                                                                 monkeypatch):
    """Once attached, DuckDB quotes the whole connection string when PostgreSQL is gone
    ("Unable to connect to Postgres at …"): the error that leaves db.connect is masked,
    and keeps its class (callers retry a TransactionException)."""
    import duckdb

    name = "gone_" + os.urandom(6).hex()
    pg_execute(pg_conninfo, f"CREATE DATABASE {name}")
    monkeypatch.setenv(settings.LAKE_DATA_PATH.name, str(tmp_path / "files") + "/")
    # Trust authentication ignores the password, so the lake opens with it in the string.
    target = _lake_db(pg_conninfo, name) + f" password={SECRET}"
    try:
        with db.connect(target) as conn:
            conn.execute("CREATE TABLE t (x INTEGER)")
        pg_execute(pg_conninfo, f"DROP DATABASE {name} WITH (FORCE)")
        for read in (lambda: db.data_version(target), lambda: _count(target)):
            with pytest.raises(duckdb.Error) as info:
                read()
            import traceback

            shown = "".join(traceback.format_exception(info.value))
            _leak_free(shown)
            assert "password=***" in shown
            assert isinstance(info.value, duckdb.IOException)
    finally:
        db.close_lake(target)
        pg_execute(pg_conninfo, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    assert db.redact("host=h password='a b' user=x") == "host=h password=*** user=x"
    assert db.redact("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


def _count(target: str) -> int:
    with db.connect(target) as conn:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]


@pytest.mark.browser
@pytest.mark.slow
def test_pages_and_the_server_log_never_show_the_lake_password(pg_conninfo, browser, tmp_path,
                                                               monkeypatch):
    """A replica whose lake is refused from the start, and one whose catalog disappears
    while it serves: what the page shows and what the server logs never hold the password."""
    from conftest import StreamlitServer, wait_for_app

    name = "paged_" + os.urandom(6).hex()
    pg_execute(pg_conninfo, f"CREATE DATABASE {name}")
    env = {settings.LAKE_DATA_PATH.name: str(tmp_path / "files") + "/"}
    refused = (f"ducklake:postgres:host=127.0.0.1 port={_free_port()} user=u "
               f"password={SECRET} dbname=d")
    live = _lake_db(pg_conninfo, name) + f" password={SECRET}"
    servers = [StreamlitServer(refused, env=env, log=tmp_path / "refused.log"),
               StreamlitServer(live, env=env, log=tmp_path / "live.log")]
    try:
        page = browser.new_page()
        page.goto(servers[1].url + "/sources")
        wait_for_app(page, 180_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        pg_execute(pg_conninfo, f"DROP DATABASE {name} WITH (FORCE)")
        shown = []
        for server in servers:
            page.goto(server.url + "/sources")
            wait_for_app(page, 180_000)
            page.wait_for_selector('[data-testid="stException"]', timeout=60_000)
            shown.append(page.locator("body").inner_text())
    finally:
        for server in servers:
            server.stop()
        pg_execute(pg_conninfo, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    logs = [s.log.read_text() for s in servers]
    for text in shown + logs:
        _leak_free(text)
    # The failures did happen and were logged (masked), so the check above saw them.
    assert "cannot open the lake" in logs[0] and "password=***" in logs[0]
    assert "Unable to connect to Postgres" in logs[1] and "password=***" in logs[1]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- migrate


def test_migrate_copies_a_file_store_with_its_history_and_round_trips(seeded_db, tmp_path,
                                                                       empty_lake):
    file_store = tmp_path / "old.duckdb"
    shutil.copy(seeded_db, file_store)
    f = tmp_path / "new.csv"
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n")
    cli("import", str(f), db_path=file_store)
    f.write_text("date,base,quote,rate,source\n2099-01-01,USD,KZT,510,test\n")
    cli("import", str(f), db_path=file_store)
    done = cli("migrate", "--to", empty_lake, db_path=file_store)
    assert "Copied" in done.stdout
    assert cli("history", db_path=empty_lake).stdout == cli("history", db_path=file_store).stdout
    assert export_all(empty_lake) == export_all(file_store)
    # The journal came along: the last import undoes on the lake to the value before it.
    last = int(cli("history", "-n", "1", db_path=empty_lake).stdout.split("\t")[0])
    cli("undo", str(last), db_path=empty_lake)
    with db.connect(empty_lake) as conn:
        assert conn.execute("SELECT rate FROM rates WHERE source = 'test'").fetchall() == [
            (500.0,)]
    # The lake's export, imported into a fresh file store, gives back the same rows.
    fresh = tmp_path / "fresh.duckdb"
    seed.init(fresh)
    for kind in ("rates", "figures"):
        out = tmp_path / f"{kind}.csv"
        cli("export", "--kind", kind, "-o", str(out), db_path=empty_lake)
        cli("import", str(out), db_path=fresh)
    assert export_all(fresh) == export_all(empty_lake)
    # A second migrate into the now non-empty lake is refused and writes nothing.
    before = export_all(empty_lake)
    again = cli("migrate", "--to", empty_lake, db_path=file_store, check=False)
    assert again.returncode == 1 and "empty lake" in again.stderr
    assert export_all(empty_lake) == before


# ---------------------------------------------------------------- concurrency


def _rates_file(path: Path, keys: range, rate: float, source: str = "race") -> Path:
    from datetime import date

    lines = ["date,base,quote,rate,source"]
    lines += [f"{date.fromordinal(740_000 + k).isoformat()},USD,KZT,{rate},{source}"
              for k in keys]
    path.write_text("\n".join(lines) + "\n")
    return path


def _start(*args, db_path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indicators.cli", *args, "--db",
                             str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    return out


@pytest.mark.slow
def test_two_concurrent_imports_sharing_500_new_keys_store_each_key_once(lake_path, tmp_path):
    a = _rates_file(tmp_path / "a.csv", range(0, 600), 400.0)  # 500 shared + 100 own
    b = _rates_file(tmp_path / "b.csv", range(100, 700), 410.0)  # 500 shared + 100 own
    procs = [_start("import", str(a), db_path=lake_path), _start("import", str(b),
                                                                 db_path=lake_path)]
    outs = [_finish(p) for p in procs]
    with db.connect(lake_path) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT (date, base, quote, source)) FROM rates "
            "WHERE source = 'race'").fetchone()
        imports = conn.execute("SELECT rows_inserted, rows_updated FROM batches "
                               "WHERE kind = 'import' ORDER BY id").fetchall()
    assert (total, distinct) == (700, 700)
    # Whichever went second saw the first one's 500 shared keys and updated them.
    assert sorted(imports) == [(100, 500), (600, 0)], (imports, outs)


_READER = r"""
import sys, time
from indicators import db
target, seconds, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
seen, end = set(), time.monotonic() + seconds
while time.monotonic() < end:
    with db.connect(target) as conn:
        n, = conn.execute("SELECT count(*) FROM rates WHERE source = 'whole'").fetchone()
    seen.add(n)
    if n >= 4 * size:
        break
print(" ".join(str(x) for x in sorted(seen)))
"""


@pytest.mark.slow
def test_readers_in_three_processes_see_only_whole_batches(lake_path, tmp_path):
    size = 300
    readers = [subprocess.Popen([sys.executable, "-c", _READER, lake_path, "120", str(size)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    time.sleep(3)  # let them attach and start reading
    for i in range(2):
        writers = [_start("import", str(_rates_file(tmp_path / f"w{i}{j}.csv",
                                                    range((2 * i + j) * size,
                                                          (2 * i + j + 1) * size),
                                                    400.0 + j, "whole")), db_path=lake_path)
                   for j in range(2)]
        for w in writers:
            _finish(w)
    for r in readers:
        out, err = r.communicate(timeout=TIMEOUT)
        assert r.returncode == 0, err
        counts = [int(x) for x in out.strip().splitlines()[-1].split()]
        assert counts and all(c % size == 0 for c in counts), counts
        assert counts[-1] == 4 * size


@pytest.mark.slow
def test_undo_while_another_import_runs(lake_path, tmp_path):
    first = _rates_file(tmp_path / "first.csv", range(0, 200), 400.0, "undone")
    out = cli("import", str(first), db_path=lake_path).stdout
    batch = int(out.split(":")[0].split()[1])
    big = _rates_file(tmp_path / "big.csv", range(1000, 6000), 420.0, "kept")
    importer = _start("import", str(big), db_path=lake_path)
    time.sleep(0.5)
    cli("undo", str(batch), db_path=lake_path)
    _finish(importer)
    with db.connect(lake_path) as conn:
        rows = dict(conn.execute("SELECT source, count(*) FROM rates WHERE source IN "
                                 "('undone', 'kept') GROUP BY ALL").fetchall())
        undone_by = conn.execute("SELECT undone_by FROM batches WHERE id = ?",
                                 [batch]).fetchone()[0]
    assert rows == {"kept": 5000} and undone_by is not None


def test_maintain_expires_snapshots_and_undo_still_reaches_older_batches(empty_lake, tmp_path):
    cli("init", db_path=empty_lake)
    f = _rates_file(tmp_path / "a.csv", range(0, 50), 400.0, "kept")
    out = cli("import", str(f), db_path=empty_lake).stdout
    batch = int(out.split(":")[0].split()[1])
    before = export_all(empty_lake)
    with db.connect(empty_lake) as conn:
        snapshots = conn.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    cli("maintain", "--keep-days", "0", db_path=empty_lake)
    with db.connect(empty_lake) as conn:
        assert conn.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0] < snapshots
    assert export_all(empty_lake) == before
    cli("undo", str(batch), db_path=empty_lake)  # the journal, not a snapshot, undoes it
    with db.connect(empty_lake) as conn:
        assert not conn.execute("SELECT count(*) FROM rates WHERE source = 'kept'"
                                ).fetchone()[0]
