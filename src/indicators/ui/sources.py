"""The sources view: every source with what it supports, search, the data dictionary,
licences and attribution."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators import charts, codes, formatting, markup, queries, schema, tables, urlstate
from indicators.ui import caching, page_state, router, widgets

TABS = {"sources": "Sources", "dictionary": "Data dictionary", "licences": "Licences"}
TAB_PARAM = urlstate.Choice("tab", "tab", tuple(TABS), "sources")
NONE = ""
TABLE_COLUMNS = {
    "id": "id", "title": "title", "publisher": "publisher", "published": "published",
    "accessed": "accessed", "kind": "kind", "url": "url", "figures": "figures",
    "rates": "rates", "currencies": "currencies", "covers_from": "covers_from",
    "covers_to": "covers_to", "licence": "licence", "attribution": "attribution",
    "note": "note",
}
# On screen: headers for people and a kind's name; the CSV keeps TABLE_COLUMNS' ids and codes.
SHOWN_COLUMNS = {
    "title": "Title", "publisher": "Publisher", "published": "Published", "kind": "Kind",
    "figures": "Figures", "rates": "Rates", "currencies": "Currencies",
    "covers_from": "Covers from", "covers_to": "Covers to", "url": "Link",
    "licence": "Licence", "attribution": "Attribution", "accessed": "Accessed",
    "note": "Note", "id": "Source id",
}
DATE_COLUMNS = ("published", "accessed", "covers_from", "covers_to")  # '–' where unknown
FIGURE_SHOWN = ["Period", "Value", "Indicator", "Scope", "Status", "Quote", "Derivation"]
FIGURE_COLUMNS = {
    "source": "source", "indicator": "indicator", "indicator_name": "indicator_name",
    "geo": "geo", "period": "period", "value": "value", "unit": "unit", "status": "status",
    "derived": "derived", "derivation": "derivation", "quote": "quote", "note": "note",
}


@dataclass(frozen=True)
class Controls:
    text: str
    kinds: tuple[str, ...]
    all_kinds: tuple[str, ...]


def controls(state: page_state.PageState, all_sources: pd.DataFrame) -> Controls:
    kinds = tuple(k for k in schema.SOURCE_KINDS if k in set(all_sources["kind"]))
    cols = st.columns([3, 2])
    with cols[0]:
        text = state.text(urlstate.Text("q", "search"), "Search",
                          placeholder="title, publisher, URL, note or a quoted sentence",
                          icon=":material/search:")
    with cols[1]:
        chosen = state.multiselect(urlstate.MultiChoice("kind", "kind", kinds, kinds),
                                   "Kinds", format_func=lambda k: codes.SOURCE_KIND.label.get(k, k))
    return Controls(text, chosen, kinds)


def source_param(all_sources: pd.DataFrame) -> urlstate.Choice:
    return urlstate.Choice("source", "source", (NONE, *all_sources["id"]), NONE)


def pick_source(state: page_state.PageState, all_sources: pd.DataFrame,
                matching: pd.DataFrame) -> str:
    titles = dict(zip(all_sources["id"], all_sources["title"], strict=True))
    return state.selectbox(
        source_param(all_sources), "Show what one source supports",
        options=[NONE, *matching["id"]],
        format_func=lambda s: "— pick a source —" if s == NONE else
        formatting.truncate(titles.get(s, s), 110))


def filter_sources(all_sources: pd.DataFrame, text: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    out = all_sources[all_sources["kind"].isin(kinds)]
    if text:
        hits = set(caching.read(queries.search_sources, text=text))
        out = out[out["id"].isin(hits)]
    return out.reset_index(drop=True)


def sources_tab(state: page_state.PageState, all_sources: pd.DataFrame, frame: pd.DataFrame,
                c: Controls, image: str) -> None:
    filtered = bool(c.text) or len(c.kinds) < len(c.all_kinds)
    st.caption(f"{formatting.count(len(frame), 'source')}"
               + (" match the search." if filtered else " in the store."))
    shown = frame.assign(kind=[codes.SOURCE_KIND.label.get(k, k) for k in frame["kind"]],
                         **{d: [formatting.day(v) for v in frame[d]] for d in DATE_COLUMNS
                            if d in frame})
    widgets.table(shown, key=("sources", c), columns=SHOWN_COLUMNS, links=["Link"],
                  widths={"Title": 340, "Publisher": 230}, counts=["Figures", "Rates"])
    widgets.csv_button(frame, columns=TABLE_COLUMNS, name=f"sources-{c.text}", key="sources_csv")
    source = pick_source(state, all_sources, frame)
    if source:
        detail(all_sources, source)
    fig = caching.cached_view("coverage", (c.text, c.kinds), lambda: charts.coverage(
        frame, title="What each source covers"))
    widgets.plotly(fig, key="coverage_chart", name="sources-coverage", image_format=image)
    widgets.source_caption(["the sources, rates and figures tables of this store"],
                          extra="Rates: first to last date; figures: first to last period.")


def detail(all_sources: pd.DataFrame, source_id: str) -> None:
    row = all_sources[all_sources["id"] == source_id]
    if row.empty:
        return
    r = row.iloc[0]
    st.subheader(markup.md(formatting.truncate(r["title"], 140)) or "Untitled source")
    facts = [f"**Publisher:** {markup.md(r['publisher']) or '–'}",
             f"**Kind:** {markup.md(r['kind'])}",
             f"**Published:** {formatting.day(r['published'])}",
             f"**Accessed:** {formatting.day(r['accessed'])}"]
    st.markdown(" · ".join(facts))
    if isinstance(r["url"], str):
        st.markdown(markup.md_link(r["url"], r["url"]))
    if isinstance(r["licence"], str):
        st.caption(f"Licence: {markup.md(r['licence'])}")
    if isinstance(r.get("attribution"), str):
        st.caption(f"Attribution: {markup.md(r['attribution'])}")
    if isinstance(r["note"], str):
        st.caption(f"Note: {markup.md(r['note'])}")
    figs = caching.read(queries.source_figures, sources=[source_id])
    if not figs.empty:
        st.markdown(f"**{formatting.count(len(figs), 'figure')} from this source**")
        widgets.table(tables.figures(figs)[FIGURE_SHOWN], key=("source_figures", source_id),
                      wrap=True)
        widgets.csv_button(figs, columns=FIGURE_COLUMNS, name=f"figures-{source_id}",
                          key="source_figures_csv", label="Download these figures (CSV)")
    if r["rates"]:
        st.markdown(f"**{formatting.count(int(r['rates']), 'rate')}** for "
                    f"{markup.md(r['currencies'])}, {formatting.day(r['covers_from'])} to "
                    f"{formatting.day(r['covers_to'])}. See them on the Currency rates page.")
        router.page_link(router.CURRENCIES, "Open these rates",
                         icon=":material/show_chart:", query_params={"src": source_id})


def dictionary_tab() -> None:
    st.caption("Generated from the declared schema (src/indicators/schema.py).")
    st.markdown(schema.data_dictionary().split("\n", 4)[-1])


def licences_tab(frame: pd.DataFrame) -> None:
    st.caption("How each source may be reused and whom to credit. When you publish a chart or "
               "a download from this dashboard, cite the sources it names.")
    lic = frame.assign(licence=frame["licence"].fillna("No licence stated; cite the publisher."))
    table = pd.DataFrame({"Source": lic["title"], "Publisher": lic["publisher"],
                          "Licence": lic["licence"],
                          "Attribution": lic["attribution"].fillna("–"),
                          "Accessed": [formatting.day(d) for d in lic["accessed"]],
                          "URL": lic["url"].map(markup.web_url)})
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"URL": st.column_config.LinkColumn("URL")})
