"""Overview: headline rates and Middle Corridor figures, each with its source and date."""

import streamlit as st

from indicators.ui import corridor_map as cmap
from indicators.ui import overview, page_state, router

router.through_router()
st.title("Central Asia connectivity indicators")
state = page_state.PageState(router.OVERVIEW)
st.caption("Exchange rates of the five Central Asian currencies against the US dollar, and "
           "Middle Corridor (Trans-Caspian International Transport Route) freight figures. "
           "Every number names its source and date; each card links to the detailed view.")

st.subheader("Exchange rates, units per US dollar")
overview.rate_cards()
st.caption("Each card is one source's series: the most official source with a history and a "
           "rate in the last four months. The number is its latest rate, the small chart its "
           "whole history, and the change is against its own previous rate.")

st.subheader("Middle Corridor, latest reported figures")
overview.corridor_cards()
st.caption("Latest reported figure for the Middle Corridor itself: the whole TITR route or "
           "its leg through Kazakhstan, not all of a country's or a border's traffic. Growth is "
           "the year-on-year change a source states, else one derived here from two stated "
           "figures (labelled derived).")

st.subheader("The corridor on a map")
cmap.draw(small=True)
router.page_link(router.MAP, "The map in full, with each place's latest figure")

cols = st.columns(3)
with cols[0]:
    router.page_link(router.CURRENCIES, "All currency rates", icon=":material/payments:")
with cols[1]:
    router.page_link(router.CORRIDOR, "All corridor figures")
with cols[2]:
    router.page_link(router.SOURCES, "Sources and data dictionary")

state.finish()
