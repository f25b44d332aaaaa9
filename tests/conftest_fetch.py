"""Helpers for the fetcher tests: recorded payloads, a sleep recorder, local base URLs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from indicators.fetch.sources import SOURCES

PAYLOADS = Path(__file__).parent / "data" / "fx_payloads"


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


class SleepRecorder:
    """Stands in for time.sleep: records every wait instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens, so connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def point_sources_at(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """Send every source to `base_url` through its INDICATORS_URL_* variable."""
    for source in SOURCES:
        monkeypatch.setenv(source.env_var, base_url.rstrip("/"))


@contextmanager
def local_http_server() -> Iterator[HTTPServer]:
    """A pytest-httpserver on 127.0.0.1 and a free port, one request at a time."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def nbk_body(day, usd: float) -> bytes:
    """The recorded NBK answer of 02.04.2026, re-dated and with another USD value."""
    return (payload("nbk_kz_get_rates_fdate_02.04.2026.xml")
            .replace(b"<date>02.04.2026</date>", f"<date>{day:%d.%m.%Y}</date>".encode())
            .replace(b"<description>475.09</description>",
                     f"<description>{usd}</description>".encode()))

