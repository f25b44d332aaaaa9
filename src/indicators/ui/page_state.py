"""Page state kept in the URL query string: controls seeded from a shared link, bad values
reported, the address bar and the share box kept current."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from indicators import downloads, urlstate
from indicators.ui.router import Route

# The "Share this view" box's open state (one box per page; see PageState.finish).
SHARE_KEY = "share_view"
T = TypeVar("T")


def current_query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


class PageState:
    """Controls whose state lives in the URL query string.

    When the query string came from outside (first load, a shared link, the Back button,
    a link from another page), every control is set from it, bad values falling back to
    their default with a notice. Otherwise the widgets hold the state. `finish()` writes
    only what differs from the defaults back to the address bar.

    Why not Streamlit's `bind="query-params"` (checked in 1.67): a bound widget names its
    URL parameter by its widget key (ours are per page, `currencies.ccy`, and the links'
    `ccy=KZT~KGS` format would change), drops a bad value silently where we must say
    which setting of a link could not be used, and its parameter can no longer be written
    through `st.query_params`, which `finish()` and the share box need for the controls a
    page carries while they are not shown (another tab's settings).
    """

    def __init__(self, route: Route):
        self.page = route.key
        self.url_path = route.path
        self.query = current_query()
        self._memo = f"_url:{self.page}"
        self.external = st.session_state.get(self._memo) != self.query
        self.params: list[urlstate.Param] = []
        self.values: dict[str, Any] = {}
        self.notices: list[urlstate.Notice] = []
        self._notice_box = st.container()
        self._share_box: Any = None
        self.encoded: dict[str, str] = {}
        # False while `controls_after` works out the controls' values without drawing them.
        self.drawing = True

    def controls_after(self, where: Any,
                       controls: Callable[[], T]) -> tuple[T, Callable[[], None]]:
        """`controls()` (a page's function that draws its controls through this object
        and returns their values) placed in `where`, a container above what they control;
        returns the values and a function that draws the controls, to call once the chart
        has been drawn.

        On a page's first run for a visitor (and when its URL comes from outside) the
        values are worked out first without drawing anything, from the URL and the session
        state that the widgets will show, so the page can send its chart before its
        controls: the browser then asks for Plotly's script (4.7 MB) before the controls'
        scripts, instead of after rendering them (issue 15, time to the first chart). The
        controls are drawn afterwards into `where`, so the layout is the same. In a later
        run (a click on a control) they are drawn first, as usual; drawing returns the
        same values, and if it ever does not, the page runs again with the drawn ones.
        """
        if not self.external:
            with where:
                return controls(), lambda: None
        self.drawing = False
        try:
            values = controls()
        finally:
            self.drawing = True

        def draw() -> None:
            kept = len(self.params), len(self.notices)
            with where:
                drawn = controls()
            # The same params and notices again: keep the first pass's (finish() reads them).
            del self.params[kept[0]:]
            del self.notices[kept[1]:]
            if drawn != values:
                st.rerun()

        return values, draw

    def columns(self, spec: Any) -> Sequence[Any]:
        """`st.columns(spec)`, or stand-ins that draw nothing while not drawing."""
        if self.drawing:
            return st.columns(spec)
        n = spec if isinstance(spec, int) else len(spec)
        return [contextlib.nullcontext() for _ in range(n)]

    def write(self, *args: Any) -> None:
        """`st.write`, only while drawing (see `controls_after`)."""
        if self.drawing:
            st.write(*args)

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def _seed(self, param: urlstate.Param, to_widget: Callable[[Any], Any] = lambda v: v) -> str:
        name = param.start_key if isinstance(param, urlstate.DateRange) else param.key
        key = self.key(name)
        self.params.append(param)
        if self.external or key not in st.session_state:
            value, notices = param.parse(self.query)
            self.notices += notices
            st.session_state[key] = to_widget(value)
        return key

    def _keep(self, key: str, allowed: Sequence[Any], fallback: Any) -> None:
        """Drop a selection that is no longer offered (options depend on other controls)."""
        current = st.session_state.get(key)
        if isinstance(current, list):
            kept = [v for v in current if v in allowed]
            if kept != current:
                st.session_state[key] = kept
        elif current not in allowed:
            st.session_state[key] = fallback

    def multiselect(self, param: urlstate.MultiChoice, label: str, *,
                    options: Sequence[str] | None = None,
                    adjust: Callable[[list[str]], list[str]] | None = None,
                    **kwargs) -> tuple[str, ...]:
        """`options` narrows what is offered; `adjust` may rewrite the selection first."""
        key = self._seed(param, list)
        offered = list(options if options is not None else param.choices)
        if adjust is not None:
            adjusted = adjust(list(st.session_state[key]))
            if adjusted != st.session_state[key]:
                st.session_state[key] = adjusted
        self._keep(key, offered, [d for d in param.default if d in offered])
        value = st.multiselect(label, offered, key=key, **kwargs) if self.drawing else \
            list(st.session_state[key])
        self.values[param.key] = param.canonical(value)
        return self.values[param.key]

    def selectbox(self, param: urlstate.Choice, label: str, *,
                  options: Sequence[str] | None = None, **kwargs) -> str:
        key = self._seed(param)
        offered = list(options if options is not None else param.choices)
        self._keep(key, offered, param.default)
        value = st.selectbox(label, offered, key=key, **kwargs) if self.drawing else \
            st.session_state[key]
        self.values[param.key] = value
        return value

    def segmented(self, param: urlstate.Choice, label: str, **kwargs) -> str:
        key = self._seed(param)
        self._keep(key, param.choices, param.default)
        value = st.segmented_control(label, param.choices, key=key, required=True, **kwargs) \
            if self.drawing else st.session_state[key]
        self.values[param.key] = value or param.default
        return self.values[param.key]

    def pills(self, param: urlstate.Choice, label: str, **kwargs) -> str:
        """Like segmented, but the options wrap onto a second line on a narrow screen."""
        key = self._seed(param)
        self._keep(key, param.choices, param.default)
        value = st.pills(label, param.choices, key=key, required=True, **kwargs) \
            if self.drawing else st.session_state[key]
        self.values[param.key] = value or param.default
        return self.values[param.key]

    def toggle(self, param: urlstate.Choice, label: str, on: str, **kwargs) -> bool:
        key = self._seed(param, lambda v: v == on)
        value = st.toggle(label, key=key, **kwargs) if self.drawing else st.session_state[key]
        off = next(c for c in param.choices if c != on)
        self.values[param.key] = on if value else off
        return bool(value)

    def date_range(self, param: urlstate.DateRange, label: str,
                   cols: Sequence[Any] | None = None) -> tuple[date, date]:
        """Two date inputs, From and To, that together are one control of the URL; in `cols`
        (two columns of the caller's row) or in a row of their own."""
        self.params.append(param)
        k_from, k_to = self.key(param.start_key), self.key(param.end_key)
        if self.external or k_from not in st.session_state or k_to not in st.session_state:
            (a, b), notices = param.parse(self.query)
            self.notices += notices
            st.session_state[k_from], st.session_state[k_to] = a, b
        for k in (k_from, k_to):  # the data's extent may have changed since
            d = st.session_state.get(k)
            if isinstance(d, date) and not param.lo <= d <= param.hi:
                st.session_state[k] = min(max(d, param.lo), param.hi)
        if self.drawing:
            cols = cols if cols is not None else st.columns(2)
            opts = {"min_value": param.lo, "max_value": param.hi, "format": "YYYY-MM-DD"}
            a = cols[0].date_input(f"{label}: from", key=k_from, **opts)
            b = cols[1].date_input("to", key=k_to, **opts)
        else:
            a, b = st.session_state[k_from], st.session_state[k_to]
        a = a if isinstance(a, date) else param.fallback[0]
        b = b if isinstance(b, date) else param.fallback[1]
        if a > b:
            if self.drawing:
                cols[0].caption(":orange[The start was after the end, so the two were "
                                "swapped.]")
            a, b = b, a
        self.values[param.start_key] = (a, b)
        return a, b

    def text(self, param: urlstate.Text, label: str, **kwargs) -> str:
        key = self._seed(param)
        value = st.text_input(label, key=key, max_chars=param.max_len, **kwargs) \
            if self.drawing else st.session_state[key]
        self.values[param.key] = (value or "").strip()
        return self.values[param.key]

    def tabs(self, param: urlstate.Choice, labels: dict[str, str]) -> tuple[str, Sequence]:
        """Tabs whose active one is in the URL; returns (active slug, tab containers)."""
        by_label = {v: k for k, v in labels.items()}
        key = self._seed(param, lambda v: labels[v])
        if st.session_state.get(key) not in by_label:
            st.session_state[key] = labels[param.default]
        containers = st.tabs(list(labels.values()), key=key, on_change="rerun")
        active = by_label.get(st.session_state.get(key), param.default)
        self.values[param.key] = active
        return active, containers

    def carry(self, param: urlstate.Param) -> Any:
        """Keep a control that is not shown in this run (e.g. on another tab) in the URL."""
        self.params.append(param)
        value, notices = param.parse(self.query)
        if self.external:
            self.notices += notices
        name = param.start_key if isinstance(param, urlstate.DateRange) else param.key
        self.values[name] = value
        return value

    def options_box(self, label: str, key: str, *, open_: bool,
                    icon: str | None = None) -> Any:
        """An expander whose controls are drawn only while it is open: the container,
        or None when closed (the page then `carry`s those controls from the URL).

        `open_` opens it when the page is reached by a link (or first shown) with any
        of its controls set. Closing it keeps their values: they stay in the URL.
        """
        k = self.key(key)
        if open_ and (self.external or k not in st.session_state):
            st.session_state[k] = True
        if not self.drawing:  # the state the expander will have (closed by default)
            return contextlib.nullcontext() if st.session_state.get(k) else None
        box = st.expander(label, icon=icon, key=k, on_change="rerun")
        return box if box.open else None

    def table_box(self, label: str, key: str) -> Any:
        """A closed box holding a table, drawn only once opened: the container, or None
        while closed. A table under a chart made the first view load the data grid's
        scripts (1.2 MB) while Plotly's were loading (issue 15); opened, the box stays open
        for the visit."""
        return self.options_box(label, key, open_=False, icon=":material/table_view:")

    IMAGE_PARAM = urlstate.Choice("img", "image format", downloads.IMAGE_FORMATS,
                                  downloads.IMAGE_FORMATS[0])

    def image_format(self, shown: bool = True) -> str:
        """PNG or SVG for the chart toolbar's camera button (carried along when not shown)."""
        if not shown:
            return self.carry(self.IMAGE_PARAM)
        return self.segmented(self.IMAGE_PARAM, "Chart image (toolbar camera)",
                              format_func=str.upper)

    def share_box(self) -> None:
        """The "Share this view" box, here; the link in it is written by finish()."""
        self._share_box = st.expander("Share this view", icon=":material/link:", key=SHARE_KEY,
                                      on_change="rerun")

    def link(self) -> str:
        base = st.context.url or f"/{self.url_path}"
        return urlstate.link(base.split("?")[0], self.encoded)

    def finish(self) -> dict[str, str]:
        """Write the non-default state to the address bar, show notices and the share link."""
        if self.external:
            self.notices += urlstate.unknown_keys(self.query, self.params)
        self.encoded = urlstate.encode(self.values, self.params)
        as_query = {k: [v] for k, v in self.encoded.items()}
        if as_query != self.query:
            st.query_params.from_dict(self.encoded)
        st.session_state[self._memo] = as_query
        if self.notices:
            self._notice_box.warning(
                "Some settings in the link could not be used:\n\n"
                + "\n".join(f"- {n}" for n in dict.fromkeys(str(n) for n in self.notices)),
                icon=":material/link_off:")
        box = self._share_box
        # The link is drawn only once the box is opened: st.code makes the browser load a
        # 1.5 MB syntax-highlighting script even inside a closed expander (issue 15).
        if box is not None and box.open:
            with box:
                st.caption("This link reopens the page with the same settings; the copy "
                           "button is at the right of the box.")
                st.code(self.link(), language=None, wrap_lines=True)
        return self.encoded
