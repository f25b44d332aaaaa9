"""Overview: headline rates and Middle Corridor figures, each with its source and date."""

import streamlit as st

from indicators.ui import common, overview
from indicators.ui import corridor_map as cmap

st.title("Central Asia connectivity indicators")
state = common.PageState("overview", "")
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
st.caption("Latest reported figure for the whole corridor or the route via Kazakhstan. Growth is "
           "the year-on-year change a source states, else one derived here from two stated "
           "figures (labelled derived).")

st.subheader("The corridor on a map")
cmap.draw(small=True)
st.page_link("pages/map.py", label="The map in full, with each place's latest figure",
             icon=":material/map:")

cols = st.columns(3)
cols[0].page_link("pages/currencies.py", label="All currency rates", icon=":material/payments:")
cols[1].page_link("pages/corridor.py", label="All corridor figures", icon=":material/train:")
cols[2].page_link("pages/sources.py", label="Sources and data dictionary",
                  icon=":material/menu_book:")

state.finish()
