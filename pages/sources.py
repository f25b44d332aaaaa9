"""Sources: every source with what it supports, the data dictionary and licences."""

import streamlit as st

from indicators import queries
from indicators.ui import caching, checks, page_state, router
from indicators.ui import sources as src

router.through_router()
st.title("Sources")
st.caption("Every figure and rate on this dashboard comes from one of these sources. Search "
           "them, see what each supports, and how to credit it.")

state = page_state.PageState(router.SOURCES)
all_sources = caching.read(queries.source_list)
controls = src.controls(state, all_sources)
shown = src.filter_sources(all_sources, controls.text, controls.kinds)

state.share_box()
active, tabs = state.tabs(src.TAB_PARAM, src.TABS)
slot = tabs[list(src.TABS).index(active)]
image = state.image_format(shown=active == "sources")
with slot:
    if active == "sources":
        src.sources_tab(state, all_sources, shown, controls, image)
    else:
        state.carry(src.source_param(all_sources))
        if active == "dictionary":
            src.dictionary_tab()
        else:
            src.licences_tab(shown)

checks.sources_section()
state.finish()
