"""Ports: Caspian and Black Sea ports side by side, port × year for tonnes and TEU."""

import streamlit as st

from indicators.ui import page_state, ports, router

router.through_router()
st.title("Caspian and Black Sea ports")
st.caption("Cargo and containers handled by the ports of the Middle Corridor, as sources state "
           "them. A port with no figures yet is listed all the same.")
state = page_state.PageState(router.PORTS)
ports.show(ports.load())
state.finish()
