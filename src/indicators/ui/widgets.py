"""Shared page widgets: the source line under a chart, tables, charts and CSV buttons."""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from indicators import downloads, markup
from indicators.ui.caching import cached_view


@functools.lru_cache(maxsize=256)
def _caption_text(titles: tuple[str, ...], extra: str, more: tuple[str, ...] = ()) -> str:
    uniq = list(dict.fromkeys(markup.md(t) for t in titles if isinstance(t, str) and t))
    text = "Source: " + "; ".join(uniq) + "." if uniq else "Source: none."
    return "\n\n".join((text + (f" {extra}" if extra else ""), *more))


def source_caption(titles: Sequence[str], *, extra: str = "", more: Sequence[str] = ()) -> None:
    """The source line under every chart (its text made once per titles and note: escaping
    every title on every rerun was a tenth of a page's rerun, issue 15). `more`: further
    paragraphs (Markdown the caller made safe) in the same caption, one element instead of
    one each (every element costs each rerun, issue 15)."""
    st.caption(_caption_text(tuple(titles), extra, tuple(more)))


def _arrow(frame: pd.DataFrame) -> Any:
    """The frame as Streamlit sends it (Arrow), dates without a time of day."""
    frame = frame.copy()
    for c in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            frame[c] = frame[c].dt.date
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):  # mixed types: st.dataframe copes
        return frame


# Column widths: Streamlit sizes a column by its first rows only, so a long port name or
# note further down was cut ("ASCO shipping outside the c"). Each column is made wide enough
# for its longest cell or header instead, up to a cap beyond which the cell wraps or clips.
CHAR_WIDTH = 6.6  # px: a character of the grid's 14 px Source Sans, on average, with margin
CELL_PADDING = 24  # px: a cell's left and right padding and the header's menu icon
MIN_COLUMN_WIDTH = 56
MAX_COLUMN_WIDTH = 420

ROW_HEIGHT = 35
WRAPPED_ROW_HEIGHT = 78  # above 4rem Streamlit wraps long text inside a cell
MAX_TABLE_HEIGHT = 640


def table_height(rows: int, *, wrap: bool = False) -> int:
    """A height that fits the rows (and the header), up to a cap beyond which it scrolls."""
    row = WRAPPED_ROW_HEIGHT if wrap else ROW_HEIGHT
    return min(ROW_HEIGHT + 3 + row * max(rows, 1), MAX_TABLE_HEIGHT)


def column_widths(frame: pd.DataFrame) -> dict[str, int]:
    """Pixels per text column: its longest cell or its header, whichever is longer, capped.

    Number and date columns are left to Streamlit: their cells have the same few widths
    (and Streamlit formats numbers its own way)."""
    widths = {}
    for name in frame.columns:
        col = frame[name].dropna()
        if pd.api.types.infer_dtype(col) not in ("string", "mixed", "empty", "categorical"):
            continue
        cells = pd.unique(col)
        longest = max([len(str(name)), *(len(str(c)) for c in cells)])
        widths[str(name)] = int(min(max(longest * CHAR_WIDTH + CELL_PADDING, MIN_COLUMN_WIDTH),
                                    MAX_COLUMN_WIDTH))
    return widths


def table(frame: pd.DataFrame, *, key: Any = None, columns: dict[str, str] | None = None,
          links: Sequence[str] = (), wrap: bool = False,
          pin: str | Sequence[str] | None = None,
          widths: Mapping[str, int | str] | None = None, counts: Sequence[str] = (),
          formats: Mapping[str, str] | None = None) -> None:
    """A dataframe; with a key, its Arrow form is built once per data version and key.

    `wrap` makes rows tall enough that long text (a quote) wraps in its cell; `pin` keeps
    one key column in view while a wide table scrolls sideways (on a phone). Each text column
    is as wide as its longest cell (`column_widths`); `widths` (pixels, or "small",
    "medium", "large") overrides that for a column, e.g. to cap a long one so that the
    columns after it stay in view. `counts`: whole-number columns shown with thousands
    grouped (35,802); `formats`: number columns with a printf-style format ("%+.1f%%").
    """
    renamed = columns or {}
    linked = [c for c in frame.columns if c in links or renamed.get(c) in links]
    if linked:  # only http(s) addresses become links; javascript: and the like do not
        frame = frame.assign(**{c: frame[c].map(markup.web_url) for c in linked})

    def build() -> tuple[Any, dict[str, int]]:
        shown = frame[[c for c in columns if c in frame]].rename(columns=columns) \
            if columns else frame
        return _arrow(shown), column_widths(shown)

    data, measured = cached_view("table", key, build) if key is not None else build()
    widths = {**measured, **(widths or {})}
    config: dict[str, Any] = {c: st.column_config.Column(c, width=w) for c, w in widths.items()}
    for c in links:
        config[c] = st.column_config.LinkColumn(c, width=widths.get(c))
    for name in counts:
        config[name] = st.column_config.NumberColumn(name, width=widths.get(name),
                                                     format="localized")
    for name, fmt in (formats or {}).items():
        config[name] = st.column_config.NumberColumn(name, width=widths.get(name), format=fmt)
    for name in [pin] if isinstance(pin, str) else (pin or ()):
        config[name] = st.column_config.Column(name, pinned=True, width=widths.get(name))
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
