"""Router: page config, navigation and the store on first start. No data logic here."""

import streamlit as st

from indicators.ui import common

st.set_page_config(page_title="Central Asia connectivity indicators", page_icon="🚆",
                   layout="wide")
common.ensure_store()

pages = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", url_path="", default=True),
]
st.navigation(pages).run()
