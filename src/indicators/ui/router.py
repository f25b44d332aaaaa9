"""The one table of pages (title, URL path, icon, the file that renders it) and the router
that app.py runs. Navigation, every link between pages and the tests read this table.

Only Streamlit's public API is used. A `pages/` folder next to app.py makes a freshly started
Streamlit server, until some session has called `st.navigation`, run a deep link such as
/upload as pages/upload.py alone (the first, folder-based multipage mode): no page config,
no store set-up, a sidebar listing every file. Each page therefore starts with
`through_router()`: when the page was not reached through `main()`, it runs `main()`, whose
`st.navigation` ends that mode for the whole server and runs the same page (page ids derive
from the URL path, which is kept), and then stops the outer run.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from indicators import auth
from indicators.ui import caching


@dataclass(frozen=True)
class Route:
    key: str  # names the page's widget state; stable even if the title changes
    title: str
    path: str  # URL path: "" is the default page at /
    icon: str
    file: str  # the thin page script, relative to app.py
    summary: str  # what it shows (the README's table of pages)

    @property
    def url(self) -> str:
        return "/" + self.path


OVERVIEW = Route(
    "overview", "Overview", "", ":material/home:", "pages/overview.py",
    "latest rate per currency (units per USD, change, as-of date, source), latest corridor "
    "figures, sparklines, links into the detail pages")
CURRENCIES = Route(
    "currencies", "Currency rates", "currencies", ":material/currency_exchange:",
    "pages/currencies.py",
    "rate history by source, four views (per USD, USD per unit, index, % change), log scale, "
    "derived cross rates, chart and table, CSV download")
CORRIDOR = Route(
    "corridor", "Middle Corridor", "corridor", ":material/train:", "pages/corridor.py",
    "four views of figures by indicator and scope: Annual (full years, one mark per "
    "source, disagreements and years without a figure shown, years implied by a stated "
    "growth hollow), Year to date (one line per year), All figures (each period over its "
    "true width) and Plans (forecasts, targets, capacities apart); contradictions "
    "flagged; derived growth")
PORTS = Route(
    "ports", "Ports", "ports", ":material/anchor:", "pages/ports.py",
    "Caspian and Black Sea ports × year for tonnes and TEU with growth, sub-flows under "
    "their port, part years apart, ports without figures listed")
MAP = Route(
    "map", "Map", "map", ":material/map:", "pages/map.py",
    "the corridor's border crossings, hubs and ports on an offline base map (Natural "
    "Earth, served by the app), each with its latest figure and a link to its figures")
SOURCES = Route(
    "sources", "Sources", "sources", ":material/menu_book:", "pages/sources.py",
    "every source with publisher, date, licence and the figures it supports; the data "
    "dictionary; every open contradiction between figures")
UPLOAD = Route(
    "upload", "Upload", "upload", ":material/upload_file:", "pages/upload.py",
    "editors: validate a CSV, preview exactly what changes, commit as one batch, history and "
    "undo")
REFRESH = Route(
    "refresh", "Update rates", "refresh", ":material/sync:", "pages/refresh.py",
    "editors: fetch the latest official rates; everyone: freshness and held values")
ARTICLES = Route(
    "articles", "Articles", "articles", ":material/article:", "pages/articles.py",
    "paste text or a URL, extract every figure with its sentence, review, save through the "
    "upload path")

ROUTES: tuple[Route, ...] = (OVERVIEW, CURRENCIES, CORRIDOR, PORTS, MAP, SOURCES, UPLOAD,
                             REFRESH, ARTICLES)
DEFAULT = OVERVIEW
APP_TITLE = "Central Asia connectivity indicators"

_ROUTING = threading.local()


@contextmanager
def _routed():
    _ROUTING.active = True
    try:
        yield
    finally:
        _ROUTING.active = False


def main() -> None:
    """app.py: page config, the store on first start, the editor token, navigation."""
    st.set_page_config(page_title=APP_TITLE, page_icon="🚆", layout="wide")
    caching.ensure_store()
    # Without INDICATORS_EDITOR_TOKEN, this makes a token and prints it once to the console.
    auth.editor_token()
    with _routed(), caching.one_data_version_per_run():
        st.navigation(_pages()).run()


_PAGES_KEY = "_router.pages"


def _pages() -> list:
    """The `st.Page` of every route, made once per session: each resolves its file on disk
    and checks its icon, a tenth of a rerun for nine pages (issue 15). Per session, not per
    process: `st.navigation` marks the page it returns as the one that may run, so sessions
    running at once must not share them."""
    pages = st.session_state.get(_PAGES_KEY)
    if pages is None:
        pages = [st.Page(r.file, title=r.title, icon=r.icon, url_path=r.path,
                         default=r is DEFAULT) for r in ROUTES]
        st.session_state[_PAGES_KEY] = pages
    return pages


def through_router() -> None:
    """First call of every page: run it through `main()` if Streamlit ran the file alone."""
    if getattr(_ROUTING, "active", False):
        return
    main()
    st.stop()


def page_link(route: Route, label: str | None = None, *, icon: str | None = None,
              query_params: dict[str, str] | None = None, **kwargs) -> None:
    """A link to one of the pages, by its entry in the table."""
    st.page_link(route.file, label=label or route.title, icon=icon or route.icon,
                 query_params=query_params, **kwargs)
