"""Shared page plumbing: the store's location, cached reads, URL-backed controls, captions,
chart and download helpers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import db, downloads, markup, queries, seed, urlstate


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


@st.cache_resource(show_spinner=False, max_entries=64)
def _built(name: str, version: tuple, key: str, _build: Callable[[], Any]) -> Any:
    return _build()


def cached_view(name: str, key: Any, build: Callable[[], Any]) -> Any:
    """Build a derived view (figure, table) once per data version and view state.

    The result is shared between sessions and must not be changed by the caller.
    """
    version = db.data_version(db_path())
    return _built(name, version, json.dumps(key, default=str, sort_keys=True), build)


def source_caption(titles: Sequence[str], *, extra: str = "") -> None:
    """The source line under every chart."""
    uniq = list(dict.fromkeys(markup.md(t) for t in titles if isinstance(t, str) and t))
    text = "Source: " + "; ".join(uniq) + "." if uniq else "Source: none."
    st.caption(text + (f" {extra}" if extra else ""))


def _arrow(frame: pd.DataFrame, columns: dict[str, str] | None) -> Any:
    """The frame as Streamlit sends it (Arrow), dates without a time of day."""
    from streamlit import dataframe_util

    if columns:
        frame = frame[[c for c in columns if c in frame]].rename(columns=columns)
    frame = frame.copy()
    for c in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            frame[c] = frame[c].dt.date
    try:
        return dataframe_util.convert_pandas_df_to_arrow_table(frame)
    except Exception:  # an internal helper: fall back to letting st.dataframe convert
        return frame


ROW_HEIGHT = 35
WRAPPED_ROW_HEIGHT = 78  # above 4rem Streamlit wraps long text inside a cell
MAX_TABLE_HEIGHT = 640


def table_height(rows: int, *, wrap: bool = False) -> int:
    """A height that fits the rows (and the header), up to a cap beyond which it scrolls."""
    row = WRAPPED_ROW_HEIGHT if wrap else ROW_HEIGHT
    return min(ROW_HEIGHT + 3 + row * max(rows, 1), MAX_TABLE_HEIGHT)


def table(frame: pd.DataFrame, *, key: Any = None, columns: dict[str, str] | None = None,
          links: Sequence[str] = (), wrap: bool = False,
          pin: str | Sequence[str] | None = None) -> None:
    """A dataframe; with a key, its Arrow form is built once per data version and key.

    `wrap` makes rows tall enough that long text (a quote) wraps in its cell; `pin` keeps
    one key column in view while a wide table scrolls sideways (on a phone).
    """
    renamed = columns or {}
    linked = [c for c in frame.columns if c in links or renamed.get(c) in links]
    if linked:  # only http(s) addresses become links; javascript: and the like do not
        frame = frame.assign(**{c: frame[c].map(markup.web_url) for c in linked})
    data = cached_view("table", key, lambda: _arrow(frame, columns)) if key is not None \
        else _arrow(frame, columns)
    config: dict[str, Any] = {c: st.column_config.LinkColumn(c) for c in links}
    for name in [pin] if isinstance(pin, str) else (pin or ()):
        config[name] = st.column_config.Column(name, pinned=True)
    st.dataframe(data, hide_index=True, width="stretch", column_config=config,
                 height=table_height(len(frame), wrap=wrap),
                 row_height=WRAPPED_ROW_HEIGHT if wrap else None)


class _Prepared(go.Figure):
    """A figure whose dict form was computed once: `st.plotly_chart` asks every run for
    `to_dict()`, which for plotly 7 re-encodes every array (a third of a rerun's time)."""

    def __init__(self, spec: dict):
        super().__init__()
        self._prepared_spec = spec

    def to_dict(self) -> dict:
        return self._prepared_spec


_PREPARED: dict[int, tuple[go.Figure, _Prepared]] = {}
_PREPARED_LOCK = threading.Lock()
_PREPARED_MAX = 128


def _prepared(fig: go.Figure) -> _Prepared:
    """The figure's dict form, computed once per figure object (holding the figure keeps its
    id from being reused). Figures come from `cached_view` and are not changed after."""
    with _PREPARED_LOCK:
        hit = _PREPARED.get(id(fig))
        if hit is not None and hit[0] is fig:
            return hit[1]
    prepared = _Prepared(fig.to_dict())
    with _PREPARED_LOCK:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.pop(next(iter(_PREPARED)))  # the oldest
        _PREPARED[id(fig)] = (fig, prepared)
    return prepared


def plotly(fig: go.Figure, *, key: str, name: str, image_format: str = "png",
           config: dict[str, Any] | None = None) -> None:
    """A chart whose toolbar camera saves a PNG or SVG named after the view.

    `fig` must not be changed after it is first shown: its dict form is kept (see
    `_prepared`), so that a rerun does not encode the same figure again.
    """
    st.plotly_chart(_prepared(fig), key=key, config={
        **downloads.chart_config(name, image_format), **(config or {})}, width="stretch")


def csv_button(frame: pd.DataFrame, *, columns: dict[str, str], name: str, key: str,
               label: str = "Download the data shown (CSV)") -> None:
    """A CSV of exactly the rows shown, built only when clicked."""
    st.download_button(label, data=lambda: downloads.csv_bytes(frame, columns),
                       file_name=downloads.file_name(name), mime="text/csv", key=key,
                       icon=":material/download:", disabled=frame.empty, on_click="ignore")


# The "Share this view" box's open state (one box per page; see PageState.finish).
SHARE_KEY = "share_view"

_ROUTING = threading.local()
_ROUTED_ONCE = "_indicators_routed_once"


@contextmanager
def routed():
    """Wrap `st.navigation(...).run()` in app.py: pages then know they run through it."""
    _ROUTING.active = True
    try:
        yield
    finally:
        _ROUTING.active = False


def through_router() -> None:
    """Make a deep link run through app.py even on a freshly started server.

    Until some session has called st.navigation, Streamlit treats the pages/ folder the
    old way and runs /currencies as pages/currencies.py alone: no page config, no store
    set-up, a sidebar listing every file. Only in that case (the page was not reached
    through `routed()`), switch the old mode off and rerun; the query string stays, and
    app.py then routes to the same page (page ids derive from the URL path).
    """
    if getattr(_ROUTING, "active", False) or st.session_state.get(_ROUTED_ONCE):
        return
    # Once per session is enough: after the first st.navigation call the old mode is off for
    # the whole server. A second rerun could swallow a form submission.
    st.session_state[_ROUTED_ONCE] = True
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


class PageState:
    """Controls whose state lives in the URL query string.

    When the query string came from outside (first load, a shared link, the Back button,
    a link from another page), every control is set from it, bad values falling back to
    their default with a notice. Otherwise the widgets hold the state. `finish()` writes
    only what differs from the defaults back to the address bar.
    """

    def __init__(self, page: str, url_path: str):
        through_router()
        self.page = page
        self.url_path = url_path
        self.query = current_query()
        self._memo = f"_url:{page}"
        self.external = st.session_state.get(self._memo) != self.query
        self.params: list[urlstate.Param] = []
        self.values: dict[str, Any] = {}
        self.notices: list[urlstate.Notice] = []
        self._notice_box = st.container()
        self._share_box: Any = None
        self.encoded: dict[str, str] = {}

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def _seed(self, param: urlstate.Param, to_widget: Callable[[Any], Any] = lambda v: v) -> str:
        name = param.start_key if isinstance(param, urlstate.DateRange) else param.key
        key = self.key(name)
        self.params.append(param)
        if self.external or key not in st.session_state:
            value, notices = param.parse(self.query)
            self.notices += notices
            st.session_state[key] = to_widget(value)
        return key

    def _keep(self, key: str, allowed: Sequence[Any], fallback: Any) -> None:
        """Drop a selection that is no longer offered (options depend on other controls)."""
        current = st.session_state.get(key)
        if isinstance(current, list):
            kept = [v for v in current if v in allowed]
            if kept != current:
                st.session_state[key] = kept
        elif current not in allowed:
            st.session_state[key] = fallback

    def multiselect(self, param: urlstate.MultiChoice, label: str, *,
                    options: Sequence[str] | None = None,
                    adjust: Callable[[list[str]], list[str]] | None = None,
                    **kwargs) -> tuple[str, ...]:
        """`options` narrows what is offered; `adjust` may rewrite the selection first."""
        key = self._seed(param, list)
        offered = list(options if options is not None else param.choices)
        if adjust is not None:
            adjusted = adjust(list(st.session_state[key]))
            if adjusted != st.session_state[key]:
                st.session_state[key] = adjusted
        self._keep(key, offered, [d for d in param.default if d in offered])
        value = st.multiselect(label, offered, key=key, **kwargs)
        self.values[param.key] = param.canonical(value)
        return self.values[param.key]

    def selectbox(self, param: urlstate.Choice, label: str, *,
                  options: Sequence[str] | None = None, **kwargs) -> str:
        key = self._seed(param)
        offered = list(options if options is not None else param.choices)
        self._keep(key, offered, param.default)
        value = st.selectbox(label, offered, key=key, **kwargs)
        self.values[param.key] = value
        return value

    def segmented(self, param: urlstate.Choice, label: str, **kwargs) -> str:
        key = self._seed(param)
        self._keep(key, param.choices, param.default)
        value = st.segmented_control(label, param.choices, key=key, required=True, **kwargs)
        self.values[param.key] = value or param.default
        return self.values[param.key]

    def pills(self, param: urlstate.Choice, label: str, **kwargs) -> str:
        """Like segmented, but the options wrap onto a second line on a narrow screen."""
        key = self._seed(param)
        self._keep(key, param.choices, param.default)
        value = st.pills(label, param.choices, key=key, required=True, **kwargs)
        self.values[param.key] = value or param.default
        return self.values[param.key]

    def toggle(self, param: urlstate.Choice, label: str, on: str, **kwargs) -> bool:
        key = self._seed(param, lambda v: v == on)
        value = st.toggle(label, key=key, **kwargs)
        off = next(c for c in param.choices if c != on)
        self.values[param.key] = on if value else off
        return bool(value)

    def date_range(self, param: urlstate.DateRange, label: str) -> tuple[date, date]:
        """Two date inputs, From and To, that together are one control of the URL."""
        self.params.append(param)
        k_from, k_to = self.key(param.start_key), self.key(param.end_key)
        if self.external or k_from not in st.session_state or k_to not in st.session_state:
            (a, b), notices = param.parse(self.query)
            self.notices += notices
            st.session_state[k_from], st.session_state[k_to] = a, b
        for k in (k_from, k_to):  # the data's extent may have changed since
            d = st.session_state.get(k)
            if isinstance(d, date) and not param.lo <= d <= param.hi:
                st.session_state[k] = min(max(d, param.lo), param.hi)
        cols = st.columns(2)
        opts = {"min_value": param.lo, "max_value": param.hi, "format": "YYYY-MM-DD"}
        a = cols[0].date_input(f"{label}: from", key=k_from, **opts)
        b = cols[1].date_input("to", key=k_to, **opts)
        a = a if isinstance(a, date) else param.fallback[0]
        b = b if isinstance(b, date) else param.fallback[1]
        if a > b:
            st.caption(":orange[The start was after the end, so the two were swapped.]")
            a, b = b, a
        self.values[param.start_key] = (a, b)
        return a, b

    def text(self, param: urlstate.Text, label: str, **kwargs) -> str:
        key = self._seed(param)
        value = st.text_input(label, key=key, max_chars=param.max_len, **kwargs)
        self.values[param.key] = (value or "").strip()
        return self.values[param.key]

    def tabs(self, param: urlstate.Choice, labels: dict[str, str]) -> tuple[str, Sequence]:
        """Tabs whose active one is in the URL; returns (active slug, tab containers)."""
        by_label = {v: k for k, v in labels.items()}
        key = self._seed(param, lambda v: labels[v])
        if st.session_state.get(key) not in by_label:
            st.session_state[key] = labels[param.default]
        containers = st.tabs(list(labels.values()), key=key, on_change="rerun")
        active = by_label.get(st.session_state.get(key), param.default)
        self.values[param.key] = active
        return active, containers

    def carry(self, param: urlstate.Param) -> Any:
        """Keep a control that is not shown in this run (e.g. on another tab) in the URL."""
        self.params.append(param)
        value, notices = param.parse(self.query)
        if self.external:
            self.notices += notices
        name = param.start_key if isinstance(param, urlstate.DateRange) else param.key
        self.values[name] = value
        return value

    IMAGE_PARAM = urlstate.Choice("img", "image format", downloads.IMAGE_FORMATS,
                                  downloads.IMAGE_FORMATS[0])

    def image_format(self, shown: bool = True) -> str:
        """PNG or SVG for the chart toolbar's camera button (carried along when not shown)."""
        if not shown:
            return self.carry(self.IMAGE_PARAM)
        return self.segmented(self.IMAGE_PARAM, "Chart image (toolbar camera)",
                              format_func=str.upper)

    def share_box(self) -> None:
        """Where the link to this view goes (filled by finish)."""
        self._share_box = st.container()

    def link(self) -> str:
        base = st.context.url or f"/{self.url_path}"
        return urlstate.link(base.split("?")[0], self.encoded)

    def finish(self) -> dict[str, str]:
        """Write the non-default state to the address bar, show notices and the share link."""
        if self.external:
            self.notices += urlstate.unknown_keys(self.query, self.params)
        self.encoded = urlstate.encode(self.values, self.params)
        as_query = {k: [v] for k, v in self.encoded.items()}
        if as_query != self.query:
            st.query_params.from_dict(self.encoded)
        st.session_state[self._memo] = as_query
        if self.notices:
            self._notice_box.warning(
                "Some settings in the link could not be used:\n\n"
                + "\n".join(f"- {n}" for n in dict.fromkeys(str(n) for n in self.notices)),
                icon=":material/link_off:")
        if self._share_box is not None:
            # The link is drawn only once the box is opened: st.code makes the browser load
            # a 1.5 MB syntax-highlighting script even inside a closed expander (issue 15).
            box = self._share_box.expander("Share this view", icon=":material/link:",
                                           key=SHARE_KEY, on_change="rerun")
            if box.open:
                with box:
                    st.caption("This link reopens the page with the same settings; the copy "
                               "button is at the right of the box.")
                    st.code(self.link(), language=None, wrap_lines=True)
        return self.encoded
