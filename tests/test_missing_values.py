"""Missing values never crash a page: free-text sources, empty publishers, empty titles.

A rates row whose source is free text ('Kapitalbank daily fixing') creates a source with no
publisher; pandas hands such gaps to the pages as NaN, which is truthy and has no .split. Every
page is opened (AppTest) on a store where such gaps are everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators import db, formatting, store
from indicators.ui import router

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))

FREE_TEXT_RATE = (b"date,base,quote,rate,source\n"
                  b"2026-11-30,USD,UZS,12000.5,Kapitalbank daily fixing\n")
TITLE_ONLY_FIGURE = (
    b"indicator,geo,period,value,unit,source_title\n"
    b"container_trains,TITR via Kazakhstan (rail),2026-Q3,140,trains,A bulletin with no URL\n")


def make_gaps(path: Path) -> None:
    """The uploads above, then every publisher, quote and note emptied, and some titles."""
    for data, origin in ((FREE_TEXT_RATE, "free-text.csv"), (TITLE_ONLY_FIGURE, "title.csv")):
        plan = store.load_bytes(path, data, origin=origin, actor="test")
        assert plan.ok, plan.problems
    with db.connect(path) as conn:
        conn.execute("UPDATE sources SET publisher = NULL, licence = NULL, note = NULL, "
                     "url = NULL WHERE kind = 'user' OR id IN "
                     "(SELECT source FROM figures LIMIT 40)")
        conn.execute("UPDATE sources SET title = '' WHERE kind = 'user' OR id IN "
                     "(SELECT source FROM figures ORDER BY period_end DESC LIMIT 5)")
        conn.execute("UPDATE figures SET quote = NULL, note = NULL "
                     "WHERE source IN (SELECT id FROM sources WHERE title = '')")


@pytest.fixture
def gappy_db(app_db) -> Path:
    make_gaps(app_db)
    return app_db


def open_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    if page != router.OVERVIEW.file or params:
        at.switch_page(page)
        for k, v in (params or {}).items():
            at.query_params[k] = v
        at.run()
    return at


def test_source_label_takes_missing_publisher_and_title():
    nan = float("nan")
    assert formatting.source_label(nan, "user", nan) == "unknown source (user upload)"
    assert formatting.source_label("Kapitalbank daily fixing", "user", nan) == \
        "Kapitalbank daily fixing (user upload)"
    assert formatting.source_label("", None, None) == "unknown source"
    assert formatting.truncate(nan, 10) == ""
    assert formatting.wrap(nan) == ""


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_free_text_sources_and_empty_fields(gappy_db, page):
    at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    shown = " ".join(str(getattr(el, "value", "")) for el in at.markdown) + " ".join(
        str(c.value) for c in at.caption)
    assert " nan" not in shown and "“nan”" not in shown


def test_free_text_source_rate_is_on_the_overview_and_currencies(gappy_db):
    at = open_page(router.CURRENCIES.file, {"ccy": "UZS", "from": "2026-11-01",
                                           "to": "2026-12-31"})
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("which", ["free-text", "empty-title"])
def test_sources_page_details_a_source_with_gaps(gappy_db, which):
    with db.connect(gappy_db) as conn:
        sql = ("SELECT id FROM sources WHERE title = 'Kapitalbank daily fixing'" if
               which == "free-text" else "SELECT id FROM sources WHERE title = '' LIMIT 1")
        row = conn.execute(sql).fetchone()
    if which == "free-text":
        # Its title is emptied by make_gaps when it is a user source; find it by its rates.
        with db.connect(gappy_db) as conn:
            row = conn.execute("SELECT source FROM rates WHERE date = DATE '2026-11-30' "
                               "AND quote = 'UZS' AND rate = 12000.5").fetchone()
    assert row is not None
    at = open_page(router.SOURCES.file, {"source": row[0]})
    assert not at.exception, [e.message for e in at.exception]
