"""The currency-rates view: controls, data, freshness, chart, cross rate, source comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import (
    charts,
    codes,
    formatting,
    iso4217,
    queries,
    rate_points,
    transforms,
    urlstate,
)
from indicators.ui import caching, page_state, widgets

TABS = {"chart": "Chart", "table": "Table"}
TAB_PARAM = urlstate.Choice("tab", "tab", tuple(TABS), "chart")
NO_CROSS = "none"
TABLE_COLUMNS = {
    "date": "date", "currency": "currency", "value": "value", "unit": "unit",
    "per_usd": "units_per_usd", "source": "source", "source_title": "source_title",
    "source_kind": "source_kind", "source_url": "source_url",
    "stored_currency": "stored_currency", "stored_per_usd": "stored_units_per_usd",
    "redenominated": "redenominated", "point_note": "what_the_rate_is",
    "flag": "flagged", "thinned": "thinned_for_chart",
}
FLAGGED_PARAM = urlstate.Choice("flagged", "flagged values", ("show", "hide"), "show")
CHANGE_COLUMNS = {
    "currency": "currency", "source": "source", "source_title": "source_title",
    "source_kind": "source_kind", "first_date": "first_date", "first_per_usd": "first_per_usd",
    "last_date": "last_date", "last_per_usd": "last_per_usd", "change_pct": "change_pct",
    "n": "observations",
}
CROSS_COLUMNS = {
    "date": "date", "numerator": "currency", "denominator": "per_currency", "value": "value",
    "numerator_per_usd": "currency_per_usd", "denominator_per_usd": "per_currency_per_usd",
    "source": "source", "source_title": "source_title", "source_kind": "source_kind",
    "source_url": "source_url", "redenominated": "redenominated",
}


# On screen the rates, change and cross-rate tables have headers for people, as the other
# tables of the page and the app do; their CSVs keep the column names above (stable for
# scripts). One header per CSV name, for all three tables.
HEADERS = {
    "date": "Date", "currency": "Currency", "value": "Value", "unit": "Unit",
    "units_per_usd": "Units per USD", "source": "Source id", "source_title": "Source",
    "source_kind": "Kind of source", "source_url": "Source address",
    "stored_currency": "Stored as", "stored_units_per_usd": "Stored units per USD",
    "redenominated": "Redenominated", "what_the_rate_is": "What the rate is",
    "flagged": "Flagged", "thinned_for_chart": "Thinned for the chart",
    "change_pct": "Change (%)", "first_date": "First date", "first_per_usd": "First, per USD",
    "last_date": "Last date", "last_per_usd": "Last, per USD", "observations": "Observations",
    "per_currency": "Per currency", "currency_per_usd": "Currency per USD",
    "per_currency_per_usd": "Per currency, per USD",
}


def on_screen(columns: dict[str, str]) -> dict[str, str]:
    """A table's columns with their on-screen headers instead of their CSV names."""
    return {k: HEADERS[v] for k, v in columns.items()}


# On screen the change table leads with the figures, its sources after them (the CSV keeps
# CHANGE_COLUMNS' order): with the source's title first the change sat off to the right.
CHANGE_SHOWN = {k: CHANGE_COLUMNS[k] for k in (
    "currency", "change_pct", "first_date", "first_per_usd", "last_date", "last_per_usd", "n",
    "source", "source_title", "source_kind")}
# A change reads "+113.5%", not 113.4676 (the CSV keeps the full number).
FORMATS = {HEADERS["change_pct"]: "%+.1f%%"}
# At 1366 px, sidebar open, a table has about 900 px. A source's title, address or note took
# up to 420 px (widgets.MAX_COLUMN_WIDTH) and pushed the columns an analyst reads first out of
# view; on this page they are cut at this width instead. The whole text is in the CSV (and in
# the grid's own download).
LONG_TEXT_WIDTH = 240
LONG_TEXT = {HEADERS[c]: LONG_TEXT_WIDTH for c in (
    "source_title", "source_url", "what_the_rate_is", "flagged")}


@dataclass(frozen=True)
class Controls:
    currencies: tuple[str, ...]
    start: date
    end: date
    view: str
    log: bool
    sources: tuple[str, ...]
    cross: str
    hide_flagged: bool = False


@dataclass(frozen=True)
class Base:
    """What the controls offer, whatever is selected: currencies, bounds, sources."""

    choices: tuple[str, ...]
    default_ccy: tuple[str, ...]
    lo: date
    hi: date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Options:
    """Sources for the chosen currencies and range: the default set and what is offered."""

    default: tuple[str, ...]
    offered: tuple[str, ...]
    labels: dict[str, str]
    coverage: pd.DataFrame


def currency_choices(coverage: pd.DataFrame) -> tuple[str, ...]:
    present = set(coverage["currency"])
    first = [c for c in iso4217.CENTRAL_ASIA if c in present]
    return tuple(first + sorted(present - set(first)))


def _base() -> Base:
    cov = caching.read(queries.rate_coverage)
    choices = currency_choices(cov)
    lo = pd.Timestamp(cov["first"].min()).date() if not cov.empty else date(2000, 1, 1)
    hi = pd.Timestamp(cov["last"].max()).date() if not cov.empty else date.today()
    return Base(choices, tuple(c for c in iso4217.CENTRAL_ASIA if c in choices), lo, hi,
                tuple(sorted(set(cov["source"]))))


def _options(ccy: tuple[str, ...], start: date, end: date) -> Options:
    cov = caching.read(queries.rate_coverage, start=start, end=end)
    mine = cov[cov["currency"].isin(ccy)]
    rank = {r.source: transforms.source_rank(r.source_kind, codes.SOURCE_KIND.rank)
            for r in mine.itertuples()}
    labels = {}
    for src, g in mine.groupby("source"):
        label = formatting.source_label(g["source_title"].iloc[0], g["source_kind"].iloc[0],
                                        g["source_publisher"].iloc[0])
        labels[src] = (f"{label}: {', '.join(sorted(g['currency']))}, "
                       f"{formatting.count(int(g['n'].sum()), 'rate')}")
    return Options(tuple(transforms.default_sources(cov, list(ccy), codes.SOURCE_KIND.rank)),
                   tuple(sorted(rank, key=lambda s: (rank[s], s))), labels, cov)


def _currency_label(code: str) -> str:
    name = iso4217.NAMES.get(code)
    return f"{code} · {name}" if name else code


def cross_pair(value: str) -> tuple[str, str] | None:
    if value == NO_CROSS or "-" not in value:
        return None
    a, _, b = value.partition("-")
    return a, b


SCALE_PARAM = urlstate.Choice("scale", "scale", ("linear", "log"), "linear")
OPTIONS_KEY = "options"  # the "Sources and options" box's open state, per session
OPTIONS_LABEL = ("Sources (the most official for each currency, unless you choose others), "
                 "log scale, cross rate, flagged values, chart image")


def controls(state: page_state.PageState) -> Controls:
    """Every control, each seeded from the URL; the order matters (defaults depend on it).

    The first view draws the currencies, the range and the view; the sources and the
    other options are in a box whose widgets are drawn only while it is open (it opens
    by itself for a link that sets any of them). Closed, their values come from the URL,
    as a hidden tab's do: each widget costs every rerun (issue 15).

    Draws only through `state` (see `PageState.controls_after`: the page may work out
    these values before drawing them).
    """
    base = caching.cached_view("currency_base", (), _base)
    top = state.columns([3, 1, 1])  # one row: currencies, then From and To (fewer elements)
    with top[0]:
        ccy = state.multiselect(
            urlstate.MultiChoice("ccy", "currency", base.choices, base.default_ccy,
                                 "currencies"),
            "Currencies", format_func=_currency_label, placeholder="Pick currencies")
    start, end = state.date_range(
        urlstate.DateRange("from", "to", "date range", base.lo, base.hi), "Date range",
        cols=top[1:])
    view = state.pills(urlstate.Choice("view", "view", tuple(transforms.VIEWS),
                                       transforms.DEFAULT_VIEW),
                       "Show", format_func=transforms.VIEWS.get,
                       help="Index: each line is 100 at its first rate in the range. "
                            "% change: from the first to the last rate in the range. "
                            "Both use units per USD: up means the currency weakened.")
    pairs = tuple(f"{a}-{b}" for a in base.choices for b in base.choices if a != b)
    cross_param = urlstate.Choice("cross", "cross rate", (NO_CROSS, *pairs), NO_CROSS)
    offered_pairs = [NO_CROSS] + [p for p in pairs if set(p.split("-")) <= set(ccy)]
    opts = caching.cached_view("currency_options", (ccy, start, end),
                              lambda: _options(ccy, start, end))
    src_param = urlstate.MultiChoice("src", "source", base.sources, opts.default)
    params = (SCALE_PARAM, cross_param, FLAGGED_PARAM, src_param, state.IMAGE_PARAM)
    custom = any(p.key in state.query for p in params) or (
        state.key("src") in st.session_state
        and sorted(st.session_state[state.key("src")]) != sorted(opts.default))
    box = state.options_box(OPTIONS_LABEL, OPTIONS_KEY, open_=custom,
                            icon=":material/tune:")
    if box is None:
        log = state.carry(SCALE_PARAM) == "log"
        cross = state.carry(cross_param)
        if cross not in offered_pairs:
            cross = state.values[cross_param.key] = NO_CROSS
        hide = state.carry(FLAGGED_PARAM) == "hide"
        state.carry(state.IMAGE_PARAM)
        sources = _sources(state, opts, src_param, ccy, start, end, shown=False)
        return Controls(ccy, start, end, view, log, sources, cross, hide)
    with box:
        sources = _sources(state, opts, src_param, ccy, start, end, shown=True)
        row = state.columns([1.4, 2.2, 2])
        with row[0]:
            state.write("")  # aligns the toggle with the labelled controls beside it
            log = state.toggle(SCALE_PARAM, "Log scale", on="log", disabled=view == "change",
                               help="Not available for % change over the range.")
        with row[1]:
            cross = state.selectbox(
                cross_param, "Cross rate (derived)", options=offered_pairs,
                format_func=lambda p: "none" if p == NO_CROSS else p.replace("-", " per "),
                help="Price of one unit of the second currency in the first, computed from "
                     "two USD rates given by the same source on the same date.")
        with row[2]:
            state.image_format()
        hide = state.toggle(FLAGGED_PARAM, "Hide flagged values", on="hide",
                            help="Some daily values sit far from their neighbours (a "
                                 "devaluation or a glitch). They are kept as published and "
                                 "marked with a ring; this hides them from the chart. The "
                                 "table always lists them.")
    return Controls(ccy, start, end, view, log, sources, cross, hide)


def _sources(state: page_state.PageState, opts: Options, param: urlstate.MultiChoice,
             ccy: tuple[str, ...], start: date, end: date, *, shown: bool) -> tuple[str, ...]:
    memo = state.key("src:default")
    previous_default = st.session_state.get(memo)

    def adjust(selected: list[str]) -> list[str]:
        # Follow the recommended sources until the user picks their own.
        if not state.external and previous_default is not None and \
                sorted(selected) == sorted(previous_default):
            selected = list(opts.default)
        key = (tuple(sorted(selected)), ccy, start, end)
        return caching.cached_view("currency_reconcile", key, lambda: transforms.reconcile_sources(
            selected, list(ccy), opts.coverage, codes.SOURCE_KIND.rank))

    if shown:
        sources = state.multiselect(
            param, "Sources", options=opts.offered, adjust=adjust,
            format_func=lambda s: opts.labels.get(s, s),
            help="Preselected: the most official source of each currency with a real series "
                 "in the range, plus any more official points. Add others to compare them; "
                 "each currency keeps at least one source (remove the currency to hide it).")
    else:  # as the widget would: the URL's choice (or the default), adjusted, if offered
        chosen = [s for s in adjust(list(state.carry(param))) if s in opts.offered]
        sources = state.values[param.key] = param.canonical(chosen)
    st.session_state[memo] = list(opts.default)
    return tuple(sources)


@dataclass
class View:
    """Everything the page shows for one state of the controls, built once and cached."""

    controls: Controls
    rates: pd.DataFrame  # rates shown, with value and unit for the view
    change: pd.DataFrame
    cross: pd.DataFrame
    latest: pd.DataFrame  # the latest rate of each currency shown, with its date
    stale: str | None
    figure: go.Figure
    cross_figure: go.Figure | None
    titles: list[str]
    notes: list[str]
    differences: pd.DataFrame
    latest_caption: str | None = None  # `latest` in one line, made once with the view


def load(c: Controls) -> View:
    limit = transforms.stale_limit()
    key = (c, date.today(), limit)
    return caching.cached_view("currencies", key, lambda: _build(c, date.today(), limit))


def _build(c: Controls, today: date, limit: int) -> View:
    frame = caching.read(queries.rate_series, currencies=list(c.currencies), start=c.start,
                        end=c.end, sources=list(c.sources)) if c.currencies else \
        pd.DataFrame()
    if frame.empty:
        frame = pd.DataFrame(columns=list(TABLE_COLUMNS) + ["source_publisher"])
    frame = rate_points.add_meaning(frame)
    shown = transforms.rate_view(frame, c.view)
    drawn = shown[shown["flag"].isna()] if c.hide_flagged and "flag" in shown else shown
    change = transforms.change_over_range(frame)
    pair = cross_pair(c.cross)
    cross = pd.DataFrame(columns=list(CROSS_COLUMNS))
    cross_fig = None
    if pair:
        cross = caching.read(queries.cross_rates, numerator=pair[0], denominator=pair[1],
                            start=c.start, end=c.end, sources=list(c.sources))
        cross_fig = charts.cross(cross, numerator=pair[0], denominator=pair[1], log=c.log)
    title = f"{transforms.VIEWS[c.view]}, {c.start:%Y-%m-%d} to {c.end:%Y-%m-%d}"
    fig = charts.rate_change(change, title=title) if c.view == "change" else \
        charts.rates(drawn, view=c.view, log=c.log, title=title, order=list(c.currencies))
    latest, stale = _freshness(shown, c, today, limit)
    return View(c, shown, change, cross, latest, stale, fig, cross_fig,
                sorted(set(shown.get("source_title", pd.Series(dtype=str)).dropna())),
                _notes(shown, c.hide_flagged), _differences(shown), _latest_caption(latest))


def _freshness(rates: pd.DataFrame, c: Controls, today: date,
               limit: int) -> tuple[pd.DataFrame, str | None]:
    latest = transforms.latest_by_currency(rates)
    if latest.empty:
        return pd.DataFrame(), None
    stale = transforms.stale_rates(latest, today, limit)
    message = None
    if not stale.empty:
        parts = [f"{r.currency} ({formatting.day(r.date)})" for r in stale.itertuples()]
        message = (f"The latest rate shown is more than {limit} business days old for "
                   + ", ".join(parts) + ". Newer rates may exist from other sources (add them "
                   "under Sources) or after the end of the date range.")
    order = {cur: i for i, cur in enumerate(c.currencies)}
    latest = latest.sort_values("currency", key=lambda s: s.map(order))
    table = pd.DataFrame({
        "Currency": latest["currency"],
        "Latest, per USD": [formatting.rate_value(x) for x in latest["per_usd"]],
        "As of": [formatting.day(d) for d in latest["date"]],
        "Business days old": [transforms.business_days(pd.Timestamp(d).date(), today)
                              for d in latest["date"]],
        "Source": [formatting.source_label(t, k) for t, k in
                   zip(latest["source_title"], latest["source_kind"], strict=True)],
    })
    return table, message


def stale_warning(v: View) -> None:
    """A warning when the latest rate of a currency shown is old."""
    if v.stale:
        st.warning(v.stale, icon=":material/schedule:")


def latest(v: View) -> None:
    """The latest rate of each currency shown: value, as-of date, age and source."""
    if not v.latest.empty:
        widgets.table(v.latest, key=("latest", v.controls, date.today()))


def _latest_caption(latest: pd.DataFrame) -> str | None:
    """The latest rates in one line: currency, rate and as-of date.

    Only ISO codes, formatted numbers and dates, so it can be Markdown; the table with
    the sources is on the Table tab (a table would make the first view load the data
    grid's 1.2 MB of scripts before the chart is drawn; issue 15).
    """
    if latest.empty:
        return None
    parts = [f"{r['Currency']} {r['Latest, per USD']} ({r['As of']})"
             for r in latest.to_dict("records")]
    return ("Latest rate shown, units per USD: " + " · ".join(parts) + ". The Table tab "
            "lists each with its source.")


def chart(v: View, image: str = "png") -> None:
    """The chart; under it one caption: the sources and notes, the latest rate of each
    currency shown, and a pointer to the comparison of sources on the Table tab."""
    widgets.plotly(v.figure, key="currencies_chart", name=downloads_name(v.controls),
                  image_format=image)
    more = [t for t in (v.latest_caption, _differences_pointer(v)) if t]
    widgets.source_caption(v.titles, extra=" ".join(v.notes), more=more)
    frame, cols = (v.change, CHANGE_COLUMNS) if v.controls.view == "change" else \
        (v.rates, TABLE_COLUMNS)
    widgets.csv_button(frame, columns=cols, name=downloads_name(v.controls),
                      key="currencies_chart_csv")


def _notes(r: pd.DataFrame, hide_flagged: bool = False) -> list[str]:
    out = []
    flagged = int(r["flag"].notna().sum()) if "flag" in r else 0
    if flagged:
        whose = "its" if flagged == 1 else "their"
        out.append(f"{formatting.count(flagged, 'value')} far from {whose} neighbours, kept as "
                   "published and "
                   + ("hidden from the chart (listed in the table)." if hide_flagged else
                      "marked with a ring."))
    if "point_note" in r and r["point_note"].fillna("").astype(bool).any():
        out.append("HMRC customs rates are set in advance, on the penultimate Thursday of the "
                   "month before the month they apply to; drawn as steps over that month.")
    if "redenominated" in r and r["redenominated"].fillna(False).astype(bool).any():
        for cur in sorted(set(r.loc[r["redenominated"].fillna(False).astype(bool), "currency"])):
            out.append(transforms.redenomination_note(cur) or "")
    if "thinned" in r and r["thinned"].fillna(False).astype(bool).any():
        out.append("Long daily series are thinned for the chart: per period the first, last, "
                   "lowest and highest rate are kept.")
    if "source_kind" in r and r["source_kind"].isin(codes.SOURCE_KIND.low_precision).any():
        out.append("Ticker snapshots are low-precision and dated by page capture.")
    return out


def cross_section(v: View, image: str = "png") -> None:
    pair = cross_pair(v.controls.cross)
    if not pair or v.cross_figure is None:
        return
    st.subheader(f"Cross rate: {pair[0]} per {pair[1]} (derived)")
    widgets.plotly(v.cross_figure, key="cross_chart", name=f"cross-{v.controls.cross}",
                  image_format=image)
    widgets.source_caption(sorted(set(v.cross["source_title"])),
                          extra=f"Derived: {pair[0]} per USD ÷ {pair[1]} per USD, same "
                                "source and date; not a quoted rate.")


def _differences(rates: pd.DataFrame) -> pd.DataFrame:
    diff = transforms.source_differences(rates, codes.SOURCE_KIND.rank)
    if diff.empty:
        return diff
    titles = dict(zip(rates["source"], rates["source_title"], strict=False))
    kinds = dict(zip(rates["source"], rates["source_kind"], strict=False))
    return pd.DataFrame({
        "Currency": diff["currency"],
        "Source A": [formatting.source_label(titles.get(s), kinds.get(s)) for s in
                     diff["source_a"]],
        "Source B": [formatting.source_label(titles.get(s), kinds.get(s)) for s in
                     diff["source_b"]],
        "Median difference": [formatting.percent(x, 2) for x in diff["median_diff_pct"]],
        "Largest difference": [formatting.percent(x, 2) for x in diff["max_diff_pct"]],
        "Paired dates": diff["pairs"],
        "A covers": diff["a_span"], "B covers": diff["b_span"],
    })


def _differences_pointer(v: View) -> str | None:
    """On the Chart tab: one line saying the Table tab compares the sources shown."""
    if v.differences.empty:
        return None
    return (f"{len(v.differences)} pair(s) of sources give the same currency: the Table tab "
            "shows how far apart they are.")


def differences(v: View) -> None:
    if v.differences.empty:
        return
    st.subheader("Differences between sources")
    st.caption("Where two sources give the same currency, each stays on the chart. Rates "
               f"are paired with the other source's nearest date (at most "
               f"{transforms.COMPARE_TOLERANCE_DAYS} days apart); difference = B / A − 1.")
    # The two sources' names wrap in a narrower column, so that the differences stay in view.
    widgets.table(v.differences, key=("differences", v.controls), wrap=True,
                  widths={"Source A": LONG_TEXT_WIDTH, "Source B": LONG_TEXT_WIDTH})


def table(v: View) -> None:
    c = v.controls
    if c.view == "change":
        frame, cols, shown = v.change, CHANGE_COLUMNS, CHANGE_SHOWN
    else:
        frame, cols, shown = v.rates, TABLE_COLUMNS, TABLE_COLUMNS
    if frame.empty:
        st.info("No rates for this selection.")
    else:
        widgets.table(frame, key=("rates", c), columns=on_screen(shown),
                      links=[HEADERS["source_url"]], widths=LONG_TEXT, formats=FORMATS)
    widgets.csv_button(frame, columns=cols, name=downloads_name(c), key="currencies_csv")
    if cross_pair(c.cross):
        st.subheader(f"Cross rate {c.cross.replace('-', ' per ')} (derived)")
        widgets.table(v.cross, key=("cross", c), columns=on_screen(CROSS_COLUMNS),
                      links=[HEADERS["source_url"]], widths=LONG_TEXT)
        widgets.csv_button(v.cross, columns=CROSS_COLUMNS, key="cross_csv",
                          name=f"cross-rate-{c.cross}-{c.start}-{c.end}",
                          label="Download the cross rate (CSV)")


def downloads_name(c: Controls) -> str:
    return f"central-asia-rates-{c.view}-{'-'.join(c.currencies[:6])}-{c.start}-{c.end}"
