"""Map: the Middle Corridor's border crossings, hubs and ports with their latest figures."""

import streamlit as st

from indicators.ui import corridor_map as cmap
from indicators.ui import page_state, router

router.through_router()
st.title("The corridor on a map")
st.caption("China to Kazakhstan by rail, across the Caspian by sea, through Azerbaijan and "
           "Georgia to the Black Sea and Türkiye. Each place shows its latest reported figure; "
           "grey hollow marks have no figures yet. Legs are straight lines between places, a "
           "schematic of the route, not the track.")
state = page_state.PageState(router.MAP)
cmap.draw()
st.subheader("Places and their latest figures")
cmap.table()
state.finish()
