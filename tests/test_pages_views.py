"""The corridor views, checks, ports and map pages in AppTest, on the seed data."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_sources_page_lists_every_open_contradiction_with_both_quotes():
    at = open_page("pages/sources.py")
    assert any(e.label.startswith("Open contradictions between figures (") for e in at.expander)
    table = next(d.value for d in at.dataframe if "Check" in d.value.columns)
    row = table[table["Figure A"].str.contains("Jan–Apr 2025")].iloc[0]
    assert "1.5 Mt" in row["Figure A"] and "926.0 kt" in row["Figure B"]
    assert row["Quote A"] and row["Quote B"]
    assert (table["Check"] == "Sources disagree").any()
