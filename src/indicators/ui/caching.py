"""The store's location and cached reads: query results and derived views, kept until any
process commits to the database file."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


_RUN = threading.local()


@contextmanager
def one_data_version_per_run() -> Iterator[None]:
    """Inside: the store's data version is read once per store and kept for the rest of
    this script run (the router wraps each run of a page in it).

    A page asks for it with every cached read and view, 3-6 times a run: for a file two
    `stat` calls each, for a lake a catalog query each (about 4 ms). A commit by any process
    is still seen by the next run, which is the next interaction. The UI writes only in
    widget callbacks, which Streamlit runs before the script, outside this block.
    """
    _RUN.versions = {}
    try:
        yield
    finally:
        _RUN.versions = None


def data_version(path: str) -> tuple:
    """`db.data_version(path)`, read once per script run inside `one_data_version_per_run`."""
    versions = getattr(_RUN, "versions", None)
    if versions is None:
        return db.data_version(path)
    if path not in versions:
        versions[path] = db.data_version(path)
    return versions[path]


def _cache_key(*parts: Any) -> str:
    """One string for a cache look-up. Streamlit hashes each argument of a cached function
    on every call, and looks up the name of each positional one in its signature: one
    keyword argument costs a fraction of four positional ones (issue 15, reruns)."""
    return json.dumps(parts, default=str, sort_keys=True)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(*, key: str, _query: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    _name, _version, path, args = json.loads(key)
    with db.connect(path) as conn:
        return _query(conn, **args)


def read(query: Callable[..., pd.DataFrame], **kwargs) -> pd.DataFrame:
    """Run `query(conn, **kwargs)` (a function of `indicators.queries`), cached until any
    process commits to the database file. Keyword arguments must be JSON-serialisable."""
    path = db_path()
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached(key=_cache_key(name, data_version(path), path, kwargs), _query=query)


_VIEWS: OrderedDict[str, Any] = OrderedDict()
_VIEWS_LOCK = threading.Lock()
_VIEWS_MAX = 64


def cached_view(name: str, key: Any, build: Callable[[], Any]) -> Any:
    """Build a derived view (figure, table) once per data version and view state.

    The result is shared between sessions and must not be changed by the caller. Kept in
    this process, the most recently used 64: a page asks for several views on every
    rerun, and Streamlit's st.cache_resource hashed the key and replayed its recorded
    elements on each hit, a tenth of a rerun (issue 15). `clear_caches` empties it.
    """
    path = db_path()
    k = _cache_key(name, path, data_version(path), key)
    with _VIEWS_LOCK:
        if k in _VIEWS:
            _VIEWS.move_to_end(k)
            return _VIEWS[k]
    value = build()  # outside the lock: two sessions may build the same view, alike
    with _VIEWS_LOCK:
        _VIEWS[k] = value
        while len(_VIEWS) > _VIEWS_MAX:
            _VIEWS.popitem(last=False)
    return value


def clear_caches() -> None:
    """Forget every cached read and view, as if the data had changed."""
    st.cache_data.clear()
    st.cache_resource.clear()
    with _VIEWS_LOCK:
        _VIEWS.clear()
