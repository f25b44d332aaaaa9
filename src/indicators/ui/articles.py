"""The Articles page: extract candidate figures, review them in a table, save through uploads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import articles, db, markup, schema, workers
from indicators.fetch.errors import FetchError
from indicators.ui import caching, editor, upload

STATE = "articles_result"
NOTES = "articles_limit_notes"


def input_form() -> None:
    """Text, an HTML file or a URL in; the extraction result goes to session state."""
    with st.form("article"):
        url = st.text_input("Article URL", placeholder="https://timesca.com/…")
        text = st.text_area("…or paste the article text or HTML", height=160)
        file = st.file_uploader("…or an HTML or text file", type=["html", "htm", "txt"],
                                key="article_file")
        c1, c2 = st.columns(2)
        title = c1.text_input("Title (if the page does not give one)")
        published = c2.text_input("Published (YYYY-MM-DD, if not on the page)")
        go = st.form_submit_button("Extract figures", type="primary")
    if not go:
        return
    try:
        if url.strip():
            if not editor.is_editor():
                # No request at all for visitors: the server must not fetch on their behalf.
                st.warning("Fetching a page from a URL needs the editor token: unlock "
                           "editing on the Upload page (it lasts for this browser session). "
                           "Anyone can paste the article's text or upload the saved page "
                           "instead.")
                return
            with st.spinner("Fetching the article…"):
                article = articles.fetch_article(url)
        elif file is not None:
            article = articles.from_bytes(file.getvalue())
        elif text.strip():
            article = articles.Article(text, None, None)
        else:
            st.warning("Give a URL, paste text, or choose a file.")
            return
    except FetchError as exc:
        st.error(f"Could not fetch the article: {exc.problem}")
        return
    with db.connect(caching.db_path()) as conn:
        catalogue = articles.catalogue(conn)
    limits = articles.EDITOR if editor.is_editor() else articles.VISITOR
    try:
        with st.spinner("Extracting figures…"):
            result, notes = articles.extract_bounded(
                article, catalogue=catalogue, limits=limits, title=title.strip() or None,
                published=published.strip() or None)
    except workers.Busy:
        st.error("The server is busy extracting other articles. Try again in a minute.")
        return
    except workers.Overrun:
        st.error(f"Extraction took longer than its {limits.seconds:g} s budget and was "
                 "stopped. Try a shorter text, or paste only the article's body.")
        return
    except workers.Crashed:
        st.error("Extraction failed on this text. Try a shorter text, or paste only the "
                 "article's body.")
        return
    st.session_state[STATE] = result
    st.session_state[NOTES] = notes


def review() -> None:
    result = st.session_state.get(STATE)
    if result is None:
        st.info("Extracted figures appear here for review. Anyone can extract from pasted "
                "text or a file; fetching a URL and saving need the editor token.")
        return
    st.subheader(markup.md(result.title) or "Untitled article")
    st.caption(f"Published {markup.md(result.published) or 'unknown'} · "
               f"{markup.md(result.url) or 'no URL'}")
    for note in st.session_state.get(NOTES, []):
        st.warning(note)
    if result.assumption_note:
        st.info(result.assumption_note)
    if not result.url and not result.title:
        st.warning("This text has no title or URL, so its figures would name no source. "
                   "Fill in the title (and the date) above and extract again before saving.")
    frame = result.figures_frame()
    kept = frame
    if frame.empty:
        st.warning("No quantitative claim was found in this text.")
    else:
        frame.insert(0, "accept", frame["confidence"] >= 0.5)
        st.caption(f"{len(frame)} candidate figure(s). Tick the rows to keep, edit any cell, "
                   "then save. Low-confidence rows start unticked.")
        edited = st.data_editor(
            frame, key="article_review", hide_index=True, width="stretch",
            column_config={
                "accept": st.column_config.CheckboxColumn("keep"),
                "status": st.column_config.SelectboxColumn(options=list(schema.STATUSES)),
                "confidence": st.column_config.ProgressColumn(min_value=0, max_value=1),
                "quote": st.column_config.TextColumn(width="large"),
                "rules": st.column_config.TextColumn(
                    "rules", help="The extraction rules that gave the value, unit, period and "
                    "status (see docs/extraction.md)"),
            },
            disabled=["confidence", "rules"])
        kept = edited[edited["accept"]]
        st.caption(f"{len(kept)} row(s) will be saved as one batch whose source is the article.")
    dated = _ticker(result)
    if (frame.empty or kept.empty) and dated.empty:
        return
    st.subheader("Save")
    if not editor.editor_gate():
        return
    origin = result.url or result.title or "pasted article"
    if not frame.empty and not kept.empty:
        upload.preview_and_commit(articles.figures_csv(kept), origin=origin, kind="figures",
                                  batch_kind="extract", key="article_save")
    if not dated.empty:
        st.markdown("**Ticker rates**")
        source = articles.ticker_source(result.url, result.title)
        upload.preview_and_commit(articles.rates_csv(dated, source), origin=origin,
                                  kind="rates", batch_kind="extract", key="article_rates")


def _ticker(result) -> pd.DataFrame:
    """Shows ticker rates found on the page; returns the dated ones, which can be saved."""
    rates = result.rates_frame()
    if rates.empty:
        return rates
    st.subheader("Currency ticker on the page")
    st.dataframe(rates, hide_index=True, column_config={
        "rate": st.column_config.NumberColumn(format="%.5g"),
        "change_pct": st.column_config.NumberColumn("change %", format="%.2f")})
    dated = rates[rates["date"].notna()]
    if dated.empty:
        st.caption("The page gives no date, so these rates cannot be stored.")
    return dated
