"""The "Update rates" page: freshness per source, held values, and the editors' refresh button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from indicators import db, fetch, fetch_store, iso4217, tables, transforms
from indicators.ui import caching


def _read(fn):
    with db.connect(caching.db_path()) as conn:
        return fn(conn)


def show_freshness() -> None:
    frame = _read(fetch_store.freshness)
    st.subheader("Latest stored rate per currency and source")
    limit = transforms.stale_limit()
    # Only currencies in use: the old manat (TMM) stopped in 2009 and is never "stale".
    current = frame[frame["currency"].isin(iso4217.CENTRAL_ASIA)]
    latest = current.groupby("currency")["latest"].max()
    stale = [f"{cur} (as of {pd.Timestamp(d):%Y-%m-%d})" for cur, d in latest.items()
             if transforms.is_stale(pd.Timestamp(d).date(), date.today(), limit)]
    if stale:
        st.warning(f"Older than {limit} business days: " + ", ".join(stale)
                   + ". An editor can refresh them below.")
    st.dataframe(tables.freshness(frame), hide_index=True, width="stretch", column_config={
        "Source": st.column_config.TextColumn(width=330),
        "Latest rate": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Rates stored": st.column_config.NumberColumn(format="localized"),
        "Last fetched (UTC)": st.column_config.TextColumn(width=175),
    })


def show_held() -> None:
    frame = _read(fetch_store.held)
    st.subheader("Held for review")
    if frame.empty:
        st.caption("No fetched rate is waiting for review.")
        return
    st.warning(f"{len(frame)} fetched rate(s) looked absurd (≤ 0, or a jump of more than 50%) "
               "and were not stored. Check them against the source before importing by hand.")
    st.dataframe(tables.held(frame), hide_index=True, width="stretch", column_config={
        "Date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Fetched (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "Request": st.column_config.LinkColumn()})


RESULT_KEY = "refresh__result"


@dataclass(frozen=True)
class Result:
    """What the last refresh of this session did, shown under the form after the rerun."""

    exit_code: int
    rows_added: int
    lines: tuple[str, ...]
    finished: datetime


def refresh_form() -> None:
    """Editors pick sources and dates; progress shows while other sessions keep working.

    After a refresh the page runs again, so the freshness and held-values tables above the
    form, read at the start of a run, show the new state instead of the one before it.
    """
    first, last = fetch.default_range()
    with st.form("refresh"):
        ids = st.multiselect("Sources", fetch.SOURCE_IDS, default=list(fetch.SOURCE_IDS),
                             format_func=_source_label)
        span = st.date_input("Dates", value=(first, last), max_value=date.today())
        go = st.form_submit_button("Refresh rates", type="primary")
    if go:
        if not ids or not isinstance(span, tuple) or len(span) != 2:
            st.error("Pick at least one source and a start and end date.")
            return
        st.session_state[RESULT_KEY] = _refresh(ids, span[0], span[1])
        st.rerun()
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show(result)


def _refresh(ids: list[str], start: date, end: date) -> Result:
    bar = st.progress(0.0, text="Starting…")

    def progress(source: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{source}: {done} of {total} dates")

    sink = fetch_store.DuckDBRateSink(caching.db_path(), actor="editor (dashboard)")
    report = fetch.refresh(ids, start, end, sink=sink, progress=progress, pace=0.2)
    bar.empty()
    return Result(report.exit_code, report.rows_added, tuple(report.summary_lines()),
                  datetime.now(UTC))


def _show(result: Result) -> None:
    verdict = {0: st.success, 3: st.warning, 1: st.error}[result.exit_code]
    verdict(f"Refresh finished at {result.finished:%H:%M} UTC. " + {
        0: f"All requested rates are stored ({result.rows_added} new); the tables above "
           "show them.",
        3: f"Partly done: {result.rows_added} rates stored (the tables above show them); some "
           "sources failed or held values for review.",
        1: "Nothing could be fetched; the stored data is unchanged and the dashboard keeps "
           "working from it."}[result.exit_code])
    # Plain text: messages may quote server answers, which must not render as Markdown.
    st.text("\n".join(result.lines))


def _source_label(sid: str) -> str:
    info = {s.id: s for s in fetch.describe_sources()}[sid]
    return f"{info.name} ({info.currency})"
