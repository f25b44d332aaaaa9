"""Update rates: how fresh each source is, what is held for review, and a refresh for editors."""

import streamlit as st

from indicators.ui import editor, refresh, router

router.through_router()
st.title("Update exchange rates")
st.caption("Official rates come from the central banks of Kazakhstan, Uzbekistan, Tajikistan, "
           "Kyrgyzstan and Turkmenistan, with Frankfurter as fallback. Without a network the "
           "dashboard keeps working from the stored data.")
refresh.show_freshness()
refresh.show_held()
st.subheader("Refresh")
if editor.editor_gate():
    refresh.refresh_form()
