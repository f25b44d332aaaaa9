"""Table columns are as wide as their longest cell, not only as the first rows (Streamlit
sizes a column by its first rows, so a long port name or note further down was cut)."""

import json
import re
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


def test_the_currencies_table_tab_cuts_long_text_and_leads_the_change_with_its_figures(app_db):
    """Long text no longer takes 420 px before the columns read first (the browser test
    tests/test_browser_table_fit.py checks they are in view at 1366 px); nothing is dropped."""
    from indicators.ui import currencies

    def tables(params):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(router.CURRENCIES.file)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception
        return [(df.value, json.loads(df.proto.columns)) for df in at.dataframe]

    _, (rates, config), (diff, diff_config) = tables({"tab": "table"})
    assert config["Source"]["width"] == currencies.LONG_TEXT_WIDTH
    assert config["Source address"]["width"] == currencies.LONG_TEXT_WIDTH
    assert list(rates.columns) == [currencies.HEADERS[c]
                                   for c in currencies.TABLE_COLUMNS.values()]
    assert diff_config["Source A"]["width"] == diff_config["Source B"]["width"] \
        == currencies.LONG_TEXT_WIDTH
    assert list(diff.columns)[:5] == ["Currency", "Source A", "Source B", "Median difference",
                                      "Largest difference"]
    _, (change, change_config), _ = tables({"tab": "table", "view": "change"})
    assert list(change.columns)[:2] == ["Currency", "Change (%)"]
    # a change reads +113.5%, not 113.4676
    assert change_config["Change (%)"]["type_config"]["format"] == "%+.1f%%"
    assert sorted(change.columns) == sorted(currencies.HEADERS[c]
                                            for c in currencies.CHANGE_COLUMNS.values())


def test_currency_tables_read_for_people_on_screen_and_keep_their_csv_names():
    """Every column of the rates, change and cross-rate tables has one on-screen header,
    none twice in a table; the CSVs keep the machine names (snake_case)."""
    from indicators.ui import currencies

    for columns in (currencies.TABLE_COLUMNS, currencies.CHANGE_COLUMNS,
                    currencies.CROSS_COLUMNS):
        shown = currencies.on_screen(columns)
        assert list(shown) == list(columns)
        assert len(set(shown.values())) == len(shown)
        assert all(h[0].isupper() and "_" not in h for h in shown.values())
        assert all(re.fullmatch(r"[a-z_]+", c) for c in columns.values())
