"""Shared page plumbing: the store's location, cached reads, captions and notices."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from indicators import db, queries, seed


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
def _cached(name: str, version: tuple, path: str, args: str) -> pd.DataFrame:
    fn: Callable[..., pd.DataFrame] = getattr(queries, name)
    with db.connect(path) as conn:
        return fn(conn, **json.loads(args))


def read(name: str, **kwargs) -> pd.DataFrame:
    """Run queries.<name>; cached until any process commits to the database file."""
    path = db_path()
    version = db.data_version(path)
    return _cached(name, version, path, json.dumps(kwargs, default=str, sort_keys=True))


def source_caption(titles: list[str], *, extra: str = "") -> None:
    """The source line under every chart."""
    uniq = list(dict.fromkeys(t for t in titles if t))
    text = "Source: " + "; ".join(uniq) if uniq else "Source: none"
    st.caption(text + (f" {extra}" if extra else ""))
