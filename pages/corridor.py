"""Middle Corridor: freight figures over their true periods, by indicator and scope."""

import streamlit as st

from indicators.ui import corridor as mc
from indicators.ui import page_state, router

router.through_router()
st.title("Middle Corridor")
st.caption("Trans-Caspian International Transport Route figures as sources state them: every "
           "value keeps its period, scope, status and source; disagreeing sources all stay "
           "visible.")

state = page_state.PageState(router.CORRIDOR)
# On a first view the controls are drawn after the chart, in their place above it (issue 15:
# the browser fetches Plotly's script before the controls' scripts).
(controls, names), draw_controls = state.controls_after(st.container(),
                                                        lambda: mc.controls(state))
view = mc.load(controls, names)

state.share_box()
active, (chart_tab, table_tab) = state.tabs(mc.TAB_PARAM, mc.TABS)
slot = chart_tab if active == "chart" else table_tab
image = state.image_format(shown=active == "chart")
with slot:
    if active == "chart":
        mc.chart(view, image, state)
        mc.growth(view, state)
    else:
        mc.table(view)

draw_controls()
state.finish()
