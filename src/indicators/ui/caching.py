"""The store's location and cached reads: query results and derived views, kept until any
process commits to the database file."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from indicators import db, seed


def db_path() -> str:
    return str(db.resolve_path())


@st.cache_resource(show_spinner="Building the local database from the seed data…")
def _ensure_store(path: str) -> bool:
    seed.init(path)
    return True


def ensure_store() -> None:
    """Create and seed the store on first use, once per server process."""
    _ensure_store(db_path())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, version: tuple, path: str, args: str,
            _query: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    with db.connect(path) as conn:
        return _query(conn, **json.loads(args))


def read(query: Callable[..., pd.DataFrame], **kwargs) -> pd.DataFrame:
    """Run `query(conn, **kwargs)` (a function of `indicators.queries`), cached until any
    process commits to the database file. Keyword arguments must be JSON-serialisable."""
    path = db_path()
    version = db.data_version(path)
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached(name, version, path, json.dumps(kwargs, default=str, sort_keys=True), query)


@st.cache_resource(show_spinner=False, max_entries=64)
def _built(name: str, version: tuple, key: str, _build: Callable[[], Any]) -> Any:
    return _build()


def cached_view(name: str, key: Any, build: Callable[[], Any]) -> Any:
    """Build a derived view (figure, table) once per data version and view state.

    The result is shared between sessions and must not be changed by the caller.
    """
    version = db.data_version(db_path())
    return _built(name, version, json.dumps(key, default=str, sort_keys=True), build)
