"""Router: page config, navigation and the store on first start. No data logic here."""

import streamlit as st

from indicators import auth
from indicators.ui import common

st.set_page_config(page_title="Central Asia connectivity indicators", page_icon="🚆",
                   layout="wide")
common.ensure_store()
# Without INDICATORS_EDITOR_TOKEN, this makes a token and prints it once to the console.
auth.editor_token()

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="",
            default=True),
    st.Page("pages/currencies.py", title="Currency rates",
            icon=":material/currency_exchange:", url_path="currencies"),
    st.Page("pages/corridor.py", title="Middle Corridor", icon=":material/train:",
            url_path="corridor"),
    st.Page("pages/ports.py", title="Ports", icon=":material/anchor:", url_path="ports"),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:",
            url_path="sources"),
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:",
            url_path="upload"),
    st.Page("pages/refresh.py", title="Update rates", icon=":material/sync:",
            url_path="refresh"),
    st.Page("pages/articles.py", title="Articles", icon=":material/article:",
            url_path="articles"),
]
with common.routed():
    st.navigation(pages).run()
