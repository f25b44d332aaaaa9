"""The "Update rates" page: freshness per source, held values, and the editors' refresh button."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import db, fetch, fetch_store, iso4217, transforms
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
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "latest": st.column_config.DateColumn("latest date", format="YYYY-MM-DD"),
        "last_fetched": st.column_config.DatetimeColumn("last fetched (UTC)"),
    })


def show_held() -> None:
    frame = _read(fetch_store.held)
    st.subheader("Held for review")
    if frame.empty:
        st.caption("No fetched rate is waiting for review.")
        return
    st.warning(f"{len(frame)} fetched rate(s) looked absurd (≤ 0, or a jump of more than 50%) "
               "and were not stored. Check them against the source before importing by hand.")
    st.dataframe(frame, hide_index=True, width="stretch")


def refresh_form() -> None:
    """Editors pick sources and dates; progress shows while other sessions keep working."""
    first, last = fetch.default_range()
    with st.form("refresh"):
        ids = st.multiselect("Sources", fetch.SOURCE_IDS, default=list(fetch.SOURCE_IDS),
                             format_func=_source_label)
        span = st.date_input("Dates", value=(first, last), max_value=date.today())
        go = st.form_submit_button("Refresh rates", type="primary")
    if not go:
        return
    if not ids or not isinstance(span, tuple) or len(span) != 2:
        st.error("Pick at least one source and a start and end date.")
        return
    bar = st.progress(0.0, text="Starting…")

    def progress(source: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{source}: {done} of {total} dates")

    sink = fetch_store.DuckDBRateSink(caching.db_path(), actor="editor (dashboard)")
    report = fetch.refresh(ids, span[0], span[1], sink=sink, progress=progress, pace=0.2)
    bar.empty()
    verdict = {0: st.success, 3: st.warning, 1: st.error}[report.exit_code]
    verdict({0: f"All requested rates are stored ({report.rows_added} new).",
             3: f"Partly done: {report.rows_added} rates stored; some sources failed or held "
                "values for review.",
             1: "Nothing could be fetched; the stored data is unchanged and the dashboard "
                "keeps working from it."}[report.exit_code])
    # Plain text: messages may quote server answers, which must not render as Markdown.
    st.text("\n".join(report.summary_lines()))


def _source_label(sid: str) -> str:
    info = {s.id: s for s in fetch.describe_sources()}[sid]
    return f"{info.name} ({info.currency})"
