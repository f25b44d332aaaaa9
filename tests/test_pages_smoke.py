"""Every page renders without an exception on the seeded store (AppTest, no browser)."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.ui import router

ROOT = Path(__file__).resolve().parents[1]
PAGES = [r.file for r in router.ROUTES]


def test_every_page_file_is_in_the_table_of_pages():
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    assert files == sorted(PAGES)


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(app_db, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page != router.DEFAULT.file:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_overview_shows_a_chart_with_a_source_caption(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert plotly_figures(at), "no Plotly chart on the overview"
    captions = [c.value for c in at.caption]
    # The caption under a chart with no source reads "Source: none." (widgets.source_caption).
    assert any(c.startswith("Source: ") and not c.startswith("Source: none") for c in captions)
