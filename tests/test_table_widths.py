"""Table columns are as wide as their longest cell, not only as the first rows (Streamlit
sizes a column by its first rows, so a long port name or note further down was cut)."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from indicators.ui import router, widgets

ROOT = Path(__file__).resolve().parents[1]


def px(chars: int) -> int:
    return int(chars * widgets.CHAR_WIDTH + widgets.CELL_PADDING)


def test_a_long_cell_far_down_sets_its_columns_width():
    names = ["Aktau port"] * 40 + ["ASCO shipping outside the Caspian"]
    widths = widgets.column_widths(pd.DataFrame({"Port": names}))
    assert widths["Port"] == px(len("ASCO shipping outside the Caspian"))


def test_a_header_longer_than_its_cells_sets_the_width_and_empty_columns_keep_a_minimum():
    frame = pd.DataFrame({"2023 growth": ["", "+5%"], "Sea": ["", ""]})
    widths = widgets.column_widths(frame)
    assert widths["2023 growth"] == px(len("2023 growth"))
    assert widths["Sea"] == max(px(3), widgets.MIN_COLUMN_WIDTH)


def test_long_text_is_capped_and_numbers_and_dates_are_left_to_streamlit():
    frame = pd.DataFrame({"Quote": ["word " * 200], "value": [461.7],
                          "date": [date(2026, 9, 1)], "when": [pd.Timestamp("2026-09-01")]})
    assert widgets.column_widths(frame) == {"Quote": widgets.MAX_COLUMN_WIDTH}


def test_the_ports_page_sends_every_text_columns_width(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(router.PORTS.file)
    at.run()
    assert not at.exception
    frame = at.dataframe[0].value
    config = json.loads(at.dataframe[0].proto.columns)
    longest = max(frame["Port"].astype(str).str.len())
    assert config["Port"]["width"] == px(longest)
    assert config["Port"]["pinned"] is True  # the key column still stays in view
    assert all(config[c]["width"] >= px(len(c)) for c in frame.columns if c in config)
