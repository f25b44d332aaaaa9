"""Articles: turn a news article into sourced figure rows in a minute."""

import streamlit as st

from indicators.ui import articles, router

router.through_router()
st.title("Add figures from an article")
st.caption("Paste text, upload an HTML file or give a URL. Every number is extracted with the "
           "sentence that states it, its period, unit and status; review, then save.")
articles.input_form()
articles.review()
