"""Shared fixtures: a store built once from the real seed, copied per test that writes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit_server import CHROMIUM_ARGS, StreamlitServer, chromium, free_port  # noqa: F401

from indicators import db, seed, settings

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A store built from data/seed once per session; treat it as read-only."""
    path = tmp_path_factory.mktemp("seeded") / "indicators.duckdb"
    seed.init(path)
    return path


# Modules whose tests run against both back ends: a DuckDB file and a DuckLake store.
BOTH_BACK_ENDS = {"test_store", "test_cli", "test_upload_cli", "test_write_path", "test_undo_redo",
                  "test_typed_rates",
                  "test_upload_page", "test_lake"}


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in BOTH_BACK_ENDS and "store_path" in metafunc.fixturenames:
        metafunc.parametrize("store_path", ["file", "lake"], indirect=True)


@pytest.fixture(scope="session")
def pg_conninfo():
    """A PostgreSQL server for lake catalogs: the one scripts/test started, else our own.

    Without PostgreSQL the lake tests are skipped with the reason, except in CI
    (CI set), where they fail: there the lake back end must be tested.
    """
    import pg_cluster

    info = os.environ.get(pg_cluster.ENV)
    if info:
        yield info
        return
    try:
        info, folder = pg_cluster.start()
    except Exception as exc:  # noqa: BLE001 - any reason PostgreSQL cannot run here
        if os.environ.get("CI"):
            pytest.fail(f"the lake tests need PostgreSQL, which could not start: {exc}")
        pytest.skip(f"PostgreSQL is unavailable here, so the lake tests cannot run: {exc}")
    try:
        yield info
    finally:
        pg_cluster.stop(folder)


def pg_execute(conninfo: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute(sql)


def _lake_db(pg_conninfo: str, name: str) -> str:
    return (f"{db.LAKE_PREFIX}{pg_conninfo.replace('dbname=postgres', '')} "
            f"dbname={name}").replace("  ", " ")


@pytest.fixture(scope="session")
def lake_template(pg_conninfo, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A lake seeded once per session (a PostgreSQL template database + a data folder).

    Its name is the session's own (the xdist worker and a random part), so parallel
    workers and concurrent runs sharing one PostgreSQL server never collide; it is
    dropped at the end of the session.
    """
    data = tmp_path_factory.mktemp("lake-data")
    name = f"lake_seeded_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.urandom(4).hex()}"
    pg_execute(pg_conninfo, f"CREATE DATABASE {name}")
    target = _lake_db(pg_conninfo, name)
    old = os.environ.get(settings.LAKE_DATA_PATH.name)
    os.environ[settings.LAKE_DATA_PATH.name] = str(data) + "/"
    try:
        seed.init(target)
    finally:
        db.close_lake(target)
        if old is None:
            os.environ.pop(settings.LAKE_DATA_PATH.name)
        else:
            os.environ[settings.LAKE_DATA_PATH.name] = old
    yield name, data
    pg_execute(pg_conninfo, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def lake_path(pg_conninfo, lake_template, monkeypatch):
    """A private seeded lake: a copy of the template catalog over the shared data folder.

    Data files are never rewritten or deleted by the package (no compaction runs in
    tests), so copies can share the folder: each catalog names only its own files.
    """
    template, data = lake_template
    name = "lake_" + os.urandom(6).hex()
    pg_execute(pg_conninfo, f"CREATE DATABASE {name} TEMPLATE {template}")
    monkeypatch.setenv(settings.LAKE_DATA_PATH.name, str(data) + "/")
    target = _lake_db(pg_conninfo, name)
    try:
        yield target
    finally:
        db.close_lake(target)
        pg_execute(pg_conninfo, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def store_path(request, tmp_path, seeded_db):
    """A private copy of the seeded store, for tests that write.

    In the modules of BOTH_BACK_ENDS it is a DuckDB file once and a lake once.
    """
    if getattr(request, "param", "file") == "lake":
        return request.getfixturevalue("lake_path")
    path = tmp_path / "indicators.duckdb"
    shutil.copy(seeded_db, path)
    return path


@pytest.fixture
def app_db(monkeypatch, store_path) -> Path:
    """Point the app (AppTest runs in this process) at a private store."""
    monkeypatch.setenv(settings.DB.name, str(store_path))
    return store_path


def export_all(path: Path) -> str:
    from indicators import export

    with db.connect(path) as conn:
        return export.to_csv(conn, "rates") + export.to_csv(conn, "figures")


@pytest.fixture(scope="session")
def server(seeded_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("server") / "indicators.duckdb"
    shutil.copy(seeded_db, path)
    srv = StreamlitServer(path)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# ---------------------------------------------------------------- fetcher tests


@pytest.fixture(scope="module")
def fx_server():
    """One local HTTP server on 127.0.0.1 per test module, standing in for every rate source."""
    from conftest_fetch import local_http_server

    with local_http_server() as s:
        yield s


@pytest.fixture
def httpserver(fx_server, monkeypatch):
    """The module's server, emptied, with every INDICATORS_URL_* pointing at it."""
    from conftest_fetch import point_sources_at

    fx_server.clear()
    point_sources_at(monkeypatch, fx_server.url_for("/"))
    return fx_server


@pytest.fixture
def sleeps():
    from conftest_fetch import SleepRecorder

    return SleepRecorder()

