"""The dashboard pages in AppTest: default view, a shared link, and a link gone bad.

A link's query string sets every control; only what differs from the default is
written back; a bad value shows a notice and falls back for that control alone.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from indicators import charts, codes, db, queries, settings, transforms
from indicators.ui import page_state, router

ROOT = Path(__file__).resolve().parents[1]
# The pages whose view state lives in the URL.
PAGES = {r.key: r.file for r in (router.OVERVIEW, router.CURRENCIES, router.CORRIDOR,
                                 router.SOURCES)}

GOOD = {
    "currencies": {"ccy": "KZT~KGS", "from": "2010-01-01", "to": "2020-12-31",
                   "view": "index", "scale": "log", "cross": "KZT-KGS"},
    "corridor": {"ind": "container_trains~container_volume", "scope": "via-kazakhstan"},
    "sources": {"q": "aktau", "kind": "press"},
    "overview": {},
}
BAD = {
    "currencies": {"ccy": "XXX~KZT", "from": "2024-13-45", "to": "garbage", "view": "pie",
                   "scale": "loud", "cross": "KZT-ZZZ", "src": "nope", "tab": "map",
                   "junk": "<script>"},
    "corridor": {"ind": "no_such", "scope": "mars", "status": "rumoured", "tab": "3"},
    "sources": {"q": "x" * 500, "kind": "gossip", "source": "'; DROP TABLE sources; --",
                "tab": "?"},
    "overview": {"ccy": "%%%", "from": "2024-13-45"},
}


def open_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page != "overview" or params:
        at.switch_page(PAGES[page])
        for k, v in (params or {}).items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def values(array) -> list:
    """Plotly 7 packs numeric arrays as {dtype, bdata}; unpack them."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]),
                             dtype=np.dtype(array["dtype"])).tolist()
    return list(array or [])


def axis_titles(fig: dict) -> list[str]:
    return [v["title"]["text"] for k, v in sorted(fig["layout"].items())
            if k.startswith("yaxis") and isinstance(v, dict) and "title" in v]


def link(at: AppTest) -> str:
    if not at.code:  # the link is drawn once "Share this view" is opened
        at.session_state[page_state.SHARE_KEY] = True
        at.run()
    return at.code[-1].value


def open_options(at: AppTest) -> None:
    """Open the currency page's "Sources and options" box (drawn only while open)."""
    at.session_state["currencies.options"] = True
    at.run()


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


# ---------------------------------------------------------------- every page, three ways


@pytest.mark.parametrize("page", PAGES)
def test_page_default_view_has_a_chart_a_source_caption_and_a_clean_url(app_db, page):
    at = open_page(page)
    assert figures(at), f"{page}: no chart"
    assert any(c.value.startswith("Source: ") for c in at.caption), f"{page}: no source line"
    assert dict(at.query_params) == {}
    assert "could not be used" not in warnings(at)


@pytest.mark.parametrize("page", [p for p in PAGES if GOOD[p]])
def test_page_opened_from_a_valid_link_keeps_every_setting(app_db, page):
    at = open_page(page, GOOD[page])
    assert dict(at.query_params) == GOOD[page]
    assert "could not be used" not in warnings(at)
    for k, v in GOOD[page].items():
        assert f"{k}={v}" in link(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_opened_from_a_bad_link_falls_back_with_a_notice(app_db, page):
    at = open_page(page, BAD[page])
    assert figures(at) or at.dataframe or at.markdown
    notice = warnings(at)
    assert "could not be used" in notice
    for key in BAD[page]:
        assert f"`{key}=" in notice or key in ("src",), key
    # Nothing bad survives into the address bar.
    assert not set(at.query_params) & set(BAD[page]) - {"ccy", "from", "to", "q"}


# ---------------------------------------------------------------- currencies


def test_currencies_default_shows_all_five_in_their_own_panels(app_db):
    at = open_page("currencies")
    assert at.multiselect(key="currencies.ccy").value == ["KZT", "KGS", "TJS", "UZS", "TMT"]
    assert axis_titles(figures(at)[0]) == [f"{c} per USD" for c in
                                           ("KZT", "KGS", "TJS", "UZS", "TMT")]
    assert link(at) == "/currencies"


def test_currencies_link_sets_currencies_range_view_scale_and_cross(app_db):
    at = open_page("currencies", GOOD["currencies"])
    assert at.multiselect(key="currencies.ccy").value == ["KZT", "KGS"]
    assert str(at.date_input(key="currencies.from").value) == "2010-01-01"
    assert str(at.date_input(key="currencies.to").value) == "2020-12-31"
    assert at.toggle(key="currencies.scale").value is True
    main, cross = figures(at)
    assert main["layout"]["yaxis"]["type"] == "log"
    assert {t["name"].split(" · ")[0] for t in main["data"]} == {"KZT", "KGS"}
    dates = [x for t in main["data"] for x in charts.to_dates(values(t["x"])) if x]
    assert min(dates) >= "2010-01-01" and max(dates) <= "2020-12-31"
    assert cross["layout"]["yaxis"]["title"]["text"].startswith("KZT per KGS (derived)")
    assert any("Derived:" in c.value for c in at.caption)


def test_changing_a_control_rewrites_the_url_with_only_non_defaults(app_db):
    at = open_page("currencies")
    at.multiselect(key="currencies.ccy").set_value(["KZT", "UZS"]).run()
    assert dict(at.query_params) == {"ccy": "KZT~UZS"}
    open_options(at)
    at.toggle(key="currencies.scale").set_value(True).run()
    assert dict(at.query_params) == {"ccy": "KZT~UZS", "scale": "log"}
    at.multiselect(key="currencies.ccy").set_value(
        ["KZT", "KGS", "TJS", "UZS", "TMT"]).run()
    assert dict(at.query_params) == {"scale": "log"}
    assert link(at) == "/currencies?scale=log"


def test_bad_value_resets_only_its_own_control(app_db):
    at = open_page("currencies", {"ccy": "KZT", "view": "pie"})
    assert at.multiselect(key="currencies.ccy").value == ["KZT"]
    assert "`view=pie`" in warnings(at)
    assert dict(at.query_params) == {"ccy": "KZT"}


def test_reversed_range_shows_the_default_range_and_says_so(app_db):
    at = open_page("currencies", {"from": "2020-01-01", "to": "2010-01-01"})
    assert "backwards" in warnings(at)
    assert dict(at.query_params) == {}


def test_no_currency_selected_explains_itself(app_db):
    at = open_page("currencies", {"ccy": ""})
    fig = figures(at)[0]
    assert fig["data"] == [] and "No rates" in fig["layout"]["annotations"][0]["text"]
    assert dict(at.query_params) == {"ccy": ""}


def test_old_manat_is_restated_and_labelled(app_db):
    at = open_page("currencies", {"ccy": "TMT", "to": "2010-12-31"})
    assert any("5,000 TMM = 1 TMT" in c.value for c in at.caption)
    fig = figures(at)[0]
    assert any("TMM → TMT" in a["text"] for a in fig["layout"]["annotations"])
    assert max(v for t in fig["data"] for v in values(t["y"]) if v == v) < 10


def test_stale_rates_warn_unless_the_limit_allows_them(app_db, monkeypatch):
    assert "business days old" in warnings(open_page("currencies"))
    monkeypatch.setenv(settings.STALE_BUSINESS_DAYS.name, "100000")
    assert "business days old" not in warnings(open_page("currencies"))


def test_every_shown_rate_has_its_as_of_date(app_db):
    at = open_page("currencies")
    assert not at.dataframe  # the first view draws the chart and no table
    # A paragraph of the caption under the chart (after the source line).
    line = next(p for c in at.caption for p in c.value.split("\n\n")
                if p.startswith("Latest rate shown"))
    shown = re.findall(r"([A-Z]{3}) [\d.,]+ \((\d{4}-\d{2}-\d{2})\)", line)
    assert [c for c, _ in shown] == ["KZT", "KGS", "TJS", "UZS", "TMT"]
    latest = open_page("currencies", {"tab": "table"}).dataframe[0].value
    assert list(latest["Currency"]) == ["KZT", "KGS", "TJS", "UZS", "TMT"]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in latest["As of"])
    assert list(latest["As of"]) == [d for _, d in shown]


def test_table_tab_holds_exactly_the_points_of_the_chart(app_db):
    params = {"ccy": "KZT~KGS", "from": "2015-01-01", "src": "nbu-cross~timesca-ticker"}
    chart = figures(open_page("currencies", params))[0]
    # flagged values are drawn twice: on their line, and as a ring (a markers-only trace)
    lines = [t for t in chart["data"] if t["mode"] != "markers"]
    points = sum(1 for t in lines for y in values(t["y"]) if y is not None and y == y)
    at = open_page("currencies", {**params, "tab": "table"})
    table = at.dataframe[1].value
    assert len(table) == points
    assert {"Source id", "Source", "Source address", "Date"} <= set(table.columns)
    assert at.get("download_button")


def test_choosing_two_sources_keeps_both_and_compares_them(app_db):
    params = {"ccy": "KZT", "src": "nbk~timesca-ticker~nbu-cross"}
    at = open_page("currencies", params)
    names = {t["legendgroup"] for t in figures(at)[0]["data"]}
    assert names == {"nbk", "timesca-ticker", "nbu-cross"}
    # The chart tab's first view holds one chart and points to the comparison ...
    assert len(figures(at)) == 1
    assert any("Table tab shows how far apart" in c.value for c in at.caption)
    # ... which is on the Table tab.
    table = open_page("currencies", {**params, "tab": "table"})
    assert any(s.value == "Differences between sources" for s in table.subheader)


def test_default_sources_are_the_most_official_per_currency(app_db):
    at = open_page("currencies")
    with db.connect(app_db) as conn:
        cov = queries.rate_coverage(conn)
    expected = transforms.default_sources(cov, ["KZT", "KGS", "TJS", "UZS", "TMT"],
                                          codes.SOURCE_KIND.rank)
    # the options box is closed: the chart draws the default sources all the same
    assert not [w for w in at.multiselect if w.key == "currencies.src"]
    assert sorted({t["legendgroup"] for t in figures(at)[0]["data"]}) == expected
    open_options(at)
    assert sorted(at.multiselect(key="currencies.src").value) == expected
    assert sorted({t["legendgroup"] for t in figures(at)[0]["data"]}) == expected


def test_the_options_box_draws_its_controls_only_while_open_and_keeps_them_closed(app_db):
    at = open_page("currencies")
    keys = {"currencies.scale", "currencies.cross", "currencies.flagged", "currencies.src",
            "currencies.img"}
    drawn = lambda: {w.key for w in (*at.toggle, *at.selectbox, *at.multiselect,  # noqa: E731
                                     *at.get("button_group"))} & keys
    assert drawn() == set()
    open_options(at)
    assert drawn() == keys
    at.toggle(key="currencies.scale").set_value(True).run()
    at.selectbox(key="currencies.cross").set_value("KZT-KGS").run()
    assert dict(at.query_params) == {"scale": "log", "cross": "KZT-KGS"}
    at.session_state["currencies.options"] = False  # closed: drawn no more, values kept
    at.run()
    assert drawn() == set()
    assert dict(at.query_params) == {"scale": "log", "cross": "KZT-KGS"}
    main, cross = figures(at)
    assert main["layout"]["yaxis"]["type"] == "log"
    assert cross["layout"]["yaxis"]["title"]["text"].startswith("KZT per KGS (derived)")
    # a cross rate of a currency no longer chosen is dropped, open or closed
    at.multiselect(key="currencies.ccy").set_value(["KZT", "UZS"]).run()
    assert dict(at.query_params) == {"ccy": "KZT~UZS", "scale": "log"}
    # a link that sets any of them opens the box
    linked = open_page("currencies", {"flagged": "hide"})
    assert linked.toggle(key="currencies.flagged").value is True


# ---------------------------------------------------------------- corridor


def test_corridor_default_is_cargo_over_the_whole_corridor(app_db):
    fig = figures(open_page("corridor"))[0]
    assert axis_titles(fig) == ["Cargo carried (million tonnes)"]
    hover = " ".join(h for t in fig["data"] for h in (t.get("customdata") or []))
    assert "Source: " in hover and "“" in hover
    at = open_page("corridor", {"view": "all"})
    fig = figures(at)[0]
    hover = " ".join(h for t in fig["data"] for h in (t.get("customdata") or []))
    assert "Source: " in hover and "“" in hover and "year to date" in hover
    assert any(c.value.startswith("Source: ") and "Solid: reported" in c.value
               for c in at.caption)


def test_corridor_quarter_is_drawn_as_a_quarter(app_db):
    at = open_page("corridor", {"ind": "container_trains", "scope": "via-kazakhstan",
                                "view": "all"})
    fig = figures(at)[0]
    segs = [t for t in fig["data"] if t["mode"] == "lines+markers"]
    n = charts.SEGMENT_POINTS + 1
    xs = [charts.to_dates(values(t["x"])) for t in segs]
    spans = {(x[i], x[i + n - 2]) for x in xs for i in range(0, len(x), n)}
    assert ("2026-01-01", "2026-04-01") in spans


def test_corridor_all_figures_hover_works_anywhere_along_a_period(app_db):
    at = open_page("corridor", {"view": "all"})
    segs = [t for t in figures(at)[0]["data"] if t["mode"] == "lines+markers"]
    texts = [c for t in segs for c in t["customdata"] if c]
    # every drawn period carries its hover on each of its points, not only the midpoint
    assert texts and len(texts) % charts.SEGMENT_POINTS == 0


def open_growth(at: AppTest) -> AppTest:
    """Open the corridor's growth table (drawn only once its box is opened)."""
    at.session_state["corridor.growth_table"] = True
    at.run()
    return at


def test_corridor_growth_table_labels_derived_and_stated_growth(app_db):
    at = open_growth(open_page("corridor", {"ind": "container_volume"}))
    growth = at.dataframe[0].value
    assert {"derived here", "stated by the source"} <= set(growth["Basis"])
    # Periods read as everywhere else on the page: "Jan–Jul 2024 (year to date)", never the
    # CSV's interval code "2024-01/2024-07".
    shown = [p for p in [*growth["From"], *growth["To"]] if p]
    assert shown and not [p for p in shown if re.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}", p)]


def test_corridor_growth_table_gives_periods_room_and_puts_the_growth_beside_them(app_db):
    at = open_growth(open_page("corridor", {"ind": "container_volume"}))
    growth = at.dataframe[0]
    assert list(growth.value.columns)[:6] == ["Indicator", "Scope", "From", "To", "Growth",
                                              "Basis"]
    config = json.loads(growth.proto.columns)
    widths = {name: c.get("width") for name, c in config.items()}
    # a year-to-date period is about 27 characters: "Jan–Apr 2024 (year to date)"
    assert widths["From"] >= 180 and widths["To"] >= 180
    longest = max(len(p) for p in [*growth.value["From"], *growth.value["To"]])
    assert longest * 6.5 <= widths["From"], longest
    # what an analyst reads first fits a table about 950 px wide, without scrolling sideways
    assert sum(widths[c] for c in ("Indicator", "Scope", "From", "To", "Growth", "Basis")) <= 950


def test_corridor_with_no_indicator_explains_itself(app_db):
    at = open_page("corridor", {"ind": ""})
    assert "Pick at least one indicator" in figures(at)[0]["layout"]["annotations"][0]["text"]


def test_corridor_table_has_source_and_quote_for_every_row(app_db):
    at = open_page("corridor", {"tab": "table"})
    table = at.dataframe[0].value
    assert (table["Source"] != "").all() and (table["Quote"] != "").all()
    assert {"Period", "Value", "Status", "Quote", "Link"} <= set(table.columns)
    assert not table.isin(["None", "nan", "NaT"]).any().any()


# ---------------------------------------------------------------- sources and overview


def test_sources_search_narrows_the_list(app_db):
    everything = open_page("sources").dataframe[0].value
    found = open_page("sources", {"q": "aktau"}).dataframe[0].value
    assert 0 < len(found) < len(everything)


def test_sources_detail_lists_the_figures_a_source_supports(app_db):
    with db.connect(app_db) as conn:
        sid, n = conn.execute("SELECT source, count(*) FROM figures GROUP BY source "
                              "ORDER BY 2 DESC LIMIT 1").fetchone()
    at = open_page("sources", {"source": sid})
    shown = [d.value for d in at.dataframe if len(d.value) == n and "Quote" in d.value.columns]
    # read as the Middle Corridor table reads them: "4.5 Mt", "Jan–Apr 2025 (year to date)"
    assert shown and list(shown[0].columns) == ["Period", "Value", "Indicator", "Scope",
                                                "Status", "Quote", "Derivation"]
    assert not shown[0]["Value"].str.fullmatch(r"[\d.]+").any()


def test_sources_table_has_headers_and_kinds_for_people_and_the_csv_keeps_ids(app_db):
    shown = open_page("sources").dataframe[0]
    table = shown.value
    assert list(table.columns)[:4] == ["Title", "Publisher", "Published", "Kind"]
    config = json.loads(shown.proto.columns)
    assert config["Rates"]["type_config"]["format"] == "localized"  # 35,802, not 35802
    assert "official cross rate" in set(table["Kind"]) and "official-cross" not in set(
        table["Kind"])
    assert table["Link"].dropna().str.startswith(("http://", "https://")).all()
    assert table["Published"].str.fullmatch(r"\d{4}-\d{2}-\d{2}|–").all()  # never "None"


def test_sources_dictionary_and_licences_tabs(app_db):
    at = open_page("sources", {"tab": "dictionary"})
    assert any("`rates`" in m.value for m in at.markdown)
    lic = open_page("sources", {"tab": "licences"}).dataframe[0].value
    assert {"Licence", "Attribution"} <= set(lic.columns)
    by_source = dict(zip(lic["Source"], lic["Attribution"], strict=True))
    hmrc = next(v for k, v in by_source.items() if k.startswith("HM Revenue & Customs"))
    assert hmrc == ("Contains public sector information licensed under the Open Government "
                    "Licence v3.0.")
    for publisher in ("National Bank of Ukraine", "Central Bank of Armenia"):
        assert any(publisher in v for v in by_source.values()), publisher


def test_overview_cards_link_into_pages_with_their_view(app_db):
    at = open_page("overview")
    links = {p.proto.label: (p.proto.page, p.proto.query_string) for p in at.get("page_link")}
    assert links["KZT in detail"] == ("currencies", "ccy=KZT")
    assert any(page == "corridor" and "ind=container_trains" in q
               for page, q in links.values())
    labels = [m.label for m in at.metric]
    assert labels[:5] == [f"{c} per USD" for c in ("KZT", "KGS", "TJS", "UZS", "TMT")]
    assert any(c.value.startswith("As of **") for c in at.caption)


def test_overview_corridor_cards_show_titr_scopes_only(app_db):
    # Kazakhstan–China rail carries far more than the corridor (29 Mt in the seed against
    # the whole TITR's 4.5 Mt); a Middle Corridor headline must not show it.
    at = open_page("overview")
    corridor = [m for m in at.metric if m.label in ("Container trains", "Cargo carried",
                                                    "Containers carried")]
    assert len(corridor) == 3
    scope_lines = [c.value.strip("*") for c in at.caption if c.value.startswith("**")
                   and c.value.endswith("**")]
    assert len(scope_lines) == 3, scope_lines
    assert all("TITR" in s for s in scope_lines), scope_lines
    # Each card's period line names its source's date once, never "article of D, D".
    period_lines = [c.value for c in at.caption if " · " in c.value]
    assert period_lines
    for line in period_lines:
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", line)
        assert len(dates) == len(set(dates)), line


def test_overview_changes_too_small_to_show_have_no_sign_or_arrow(app_db):
    # A pegged currency (TMT) moves by a few ten-thousandths: "0.00%", never "-0.00%".
    at = open_page("overview")
    deltas = {m.label: m.proto.delta for m in at.metric if m.proto.delta}
    assert deltas, "the overview's cards show their change"
    assert not [d for d in deltas.values() if re.match(r"^[+-]0\.0+%", d)], deltas
    for m in at.metric:  # and no arrow up or down beside a change of zero
        if re.match(r"^0\.0+%", m.proto.delta or ""):
            assert m.proto.direction == type(m.proto).MetricDirection.NONE, m.label


def test_overview_link_opens_the_page_it_names(app_db):
    at = open_page("currencies", {"ccy": "KZT"})
    assert at.multiselect(key="currencies.ccy").value == ["KZT"]
    assert axis_titles(figures(at)[0]) == ["KZT per USD"]


# ---------------------------------------------------------------- a large store


@pytest.fixture(scope="module")
def large_db(tmp_path_factory):
    """440,000 synthetic daily rates and 50,000 synthetic figures (benchmarks/)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_large_store

    path = tmp_path_factory.mktemp("large") / "large.duckdb"
    make_large_store.build(path)
    return path, make_large_store.currencies()


@pytest.mark.slow
@pytest.mark.parametrize(("page", "params"), [
    ("currencies", {"src": "synthetic-daily~synthetic-ticker"}),
    ("currencies", {"view": "index", "scale": "log", "cross": "KZT-KGS"}),
    ("corridor", {"scope": "all"}),
])
def test_every_chart_payload_stays_under_1_mb_on_a_large_store(monkeypatch, large_db, page,
                                                              params):
    path, currencies = large_db
    monkeypatch.setenv(settings.DB.name, str(path))
    if page == "currencies":
        params = {**params, "ccy": "~".join(currencies)}
    else:
        with db.connect(path) as conn:
            ids = [r[0] for r in conn.execute("SELECT DISTINCT indicator FROM figures").fetchall()]
        params = {**params, "ind": "~".join(ids)}
    at = open_page(page, params)
    sizes = [len(el.proto.spec) for el in at.get("plotly_chart")]
    assert sizes and max(sizes) < 1_000_000, sizes


def test_flagged_values_are_marked_in_the_table_and_can_be_hidden_from_the_chart(app_db):
    params = {"ccy": "KGS", "from": "2014-01-01", "to": "2015-12-31", "src": "nbu-cross"}
    table = open_page("currencies", {**params, "tab": "table"})
    frame = next(d.value for d in table.dataframe if "Flagged" in d.value.columns)
    assert frame["Flagged"].str.contains("from the median of its neighbours").sum() == 48
    shown = open_page("currencies", params)

    def points(at):
        return sum(len(values(t["y"])) for t in figures(at)[0]["data"])

    hidden = open_page("currencies", {**params, "flagged": "hide"})
    assert points(hidden) < points(shown)
    assert any("hidden from the chart" in c.value for c in hidden.caption)


def _in_layout_order(node) -> list[str]:
    """The element types of an AppTest tree, top to bottom."""
    children = getattr(node, "children", None)
    if not children:
        return [node.type]
    return [t for _, child in sorted(children.items()) for t in _in_layout_order(child)]


def test_currencies_first_view_sends_its_chart_before_its_controls_above_it(app_db,
                                                                           monkeypatch):
    """Issue 15: on a first view the chart is sent before the controls (the browser then
    fetches Plotly's script first) while the controls stay above the chart; a click on a
    control runs the page in the usual order, with the same values either way."""
    import streamlit

    calls: list[str] = []
    for name in ("plotly_chart", "multiselect", "pills"):
        real = getattr(streamlit, name)
        monkeypatch.setattr(streamlit, name, lambda *a, _n=name, _f=real, **k: (
            calls.append(_n), _f(*a, **k))[1])
    at = open_page("currencies", {"ccy": "KZT~UZS", "view": "index"})
    assert calls[-3:] == ["plotly_chart", "multiselect", "pills"]
    order = _in_layout_order(at.main)
    assert order.index("multiselect") < order.index("button_group") < order.index("plotly_chart")
    assert dict(at.query_params) == {"ccy": "KZT~UZS", "view": "index"}
    assert axis_titles(figures(at)[0])[0].startswith("Index")
    calls.clear()
    at.pills(key="currencies.view").set_value("per_usd").run()  # a click: the usual order
    assert calls == ["multiselect", "pills", "plotly_chart"]
    assert dict(at.query_params) == {"ccy": "KZT~UZS"}
    order = _in_layout_order(at.main)  # the same layout
    assert order.index("multiselect") < order.index("button_group") < order.index("plotly_chart")
    # A link to the Table tab with the options box's controls: every setting kept, once.
    link = {"ccy": "KZT~KGS", "scale": "log", "cross": "KZT-KGS", "tab": "table",
            "flagged": "hide"}
    at = open_page("currencies", link)
    assert dict(at.query_params) == link
    assert at.toggle(key="currencies.scale").value is True
    bad = open_page("currencies", {"view": "pie", "tab": "table"})
    assert warnings(bad).count("`view=pie`") == 1
    assert dict(bad.query_params) == {"tab": "table"}


def test_corridor_first_view_sends_its_chart_before_its_controls(app_db, monkeypatch):
    """As on the currency page: chart first on a first view, the view choice still above
    it and the rest in the sidebar; a click runs the page in the usual order."""
    import streamlit

    calls: list[str] = []
    for name in ("plotly_chart", "multiselect", "pills", "selectbox"):
        real = getattr(streamlit, name)
        monkeypatch.setattr(streamlit, name, lambda *a, _n=name, _f=real, **k: (
            calls.append(_n), _f(*a, **k))[1])
    link = {"ind": "container_trains~container_volume", "scope": "via-kazakhstan"}
    at = open_page("corridor", link)
    assert calls[-4:] == ["plotly_chart", "pills", "multiselect", "selectbox"]
    order = _in_layout_order(at.main)
    assert order.index("button_group") < order.index("plotly_chart")
    assert at.sidebar.multiselect[0].value == ["container_trains", "container_volume"]
    assert dict(at.query_params) == link
    calls.clear()
    at.pills(key="corridor.view").set_value("all").run()
    assert calls[:4] == ["pills", "multiselect", "selectbox", "multiselect"]
    assert calls[-1] == "plotly_chart"
    assert dict(at.query_params) == {**link, "view": "all"}


def test_both_maps_name_their_base_map_and_coordinates_under_them(app_db):
    overview = open_page("overview")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(router.MAP.file)
    at.run()
    assert not at.exception
    for page in (overview, at):
        credits = [c.value for c in page.caption if c.value.startswith("Base map: Natural Earth")]
        assert len(credits) == 1 and "GeoNames (CC BY 4.0)" in credits[0]


def test_corridor_first_view_loads_no_table_and_its_boxes_say_what_they_hold(app_db):
    """Issue 15: a table under the chart made the first view load the data grid's scripts
    (1.2 MB) while Plotly's were loading. The growth and contradictions tables are in
    boxes under their headings, labelled with their size, drawn once opened; the CSVs
    and the warning with the count stay in view."""
    at = open_page("corridor")
    assert not at.dataframe
    labels = [e.label for e in at.expander]
    flags = next(w.value for w in at.warning if "Flagged in this selection" in w.value)
    n = int(re.search(r"(\d+) contradictions?", flags).group(1))
    assert any(lb.startswith(f"The {n} contradiction") for lb in labels), labels
    growth = next(lb for lb in labels if lb.startswith("Growth table: "))
    rows = int(re.search(r"(\d+) rows?", growth).group(1))
    assert {b.key for b in at.get("download_button")} >= {"corridor_chart_csv"}
    at.session_state["corridor.flags_table"] = True
    open_growth(at)
    tables = [d.value for d in at.dataframe]
    assert [len(t) for t in tables] == [n, rows]
    assert "Why it is flagged" in tables[0].columns and "Basis" in tables[1].columns
    at.pills(key="corridor.view").set_value("all").run()  # opened, they stay open
    assert len(at.dataframe) == 2
