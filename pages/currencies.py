"""Currency rates: the five Central Asian currencies against the US dollar, by source."""

import streamlit as st

from indicators.ui import currencies as cur
from indicators.ui import page_state, router

router.through_router()
st.title("Currency rates")
st.caption("Official and secondary exchange rates of the Central Asian currencies against the "
           "US dollar. Sources are never merged: each stays a separate line.")

state = page_state.PageState(router.CURRENCIES)
# The controls' place, above the chart; on a first view they are drawn after the chart, so
# that the browser fetches Plotly's script first (issue 15: time to the first chart).
controls, draw_controls = state.controls_after(st.container(), lambda: cur.controls(state))
view = cur.load(controls)
cur.stale_warning(view)

state.share_box()
active, (chart_tab, table_tab) = state.tabs(cur.TAB_PARAM, cur.TABS)
slot = chart_tab if active == "chart" else table_tab
image = state.values[state.IMAGE_PARAM.key]  # in the options box (cur.controls)
with slot:
    # The first view needs one chart and no table (issue 15: time to the first drawn
    # chart); the latest rates with their sources and the comparison of sources are on the
    # Table tab.
    if active == "chart":
        cur.chart(view, image)  # with the latest rates and a pointer to the comparison
        cur.cross_section(view, image)
    else:
        cur.latest(view)
        cur.table(view)
        cur.differences(view)

draw_controls()
state.finish()
