"""The ports comparison: every declared port listed, sub-flows under their port, part years
apart, growth derived or stated."""

from __future__ import annotations

import pandas as pd
from test_consistency import fig

from indicators import ports


def rows(*r: dict) -> pd.DataFrame:
    return pd.DataFrame(list(r))


def port(period, value, geo="Baku port (Alat)", measure=ports.TONNES, unit="t", **kw):
    return fig(period, value, geo=geo, indicator=measure, unit=unit, **kw)


FRAME = rows(port("2023", 7.4e6), port("2024", 7.6e6),
             port("2024", 5.3e6, geo="Baku port (Alat) — transit cargo"),
             port("2024-01/2024-07", 2.756e6, geo="Aktau port"),
             port("2024", 76_775, measure=ports.TEU, unit="TEU"),
             port("2025", 8e6, status="forecast"))
GROWTH = rows(port("2023", 16.0, measure=ports.TONNES + "_yoy", unit="%"))


def test_every_declared_port_is_listed_and_says_when_it_has_no_figures():
    table = ports.comparison(FRAME, GROWTH, ports.TONNES, ports.port_names(FRAME))
    notes = dict(zip(table["Port"], table["Note"], strict=True))
    for name in ("Poti port", "Batumi port", "Anaklia port", "Turkmenbashi port"):
        assert notes[name] == ports.NO_FIGURES
    assert notes["Aktau port"].startswith("no full-year figure")


def test_sub_flows_sit_under_their_port_and_growth_is_derived_or_stated():
    table = ports.comparison(FRAME, GROWTH, ports.TONNES, ports.port_names(FRAME))
    names = list(table["Port"])
    baku = names.index("Baku port (Alat)")
    assert names[baku + 1] == ports.SUB + "transit cargo"
    r = table.iloc[baku]
    assert (r["2023"], r["2024"]) == ("7.4 Mt", "7.6 Mt")
    assert r["2023 growth"] == "+16.0%, stated" and r["2024 growth"] == "+2.7%, derived"
    assert "2025" not in table.columns  # a forecast is not a reported year


def test_part_years_are_kept_apart_from_full_years():
    part = ports.part_years(FRAME, GROWTH, ports.port_names(FRAME))
    assert list(part["Period"]) == ["Jan–Jul 2024 (year to date)"]
    assert list(part["Value"]) == ["2.8 Mt"]
    full = ports.comparison(FRAME, GROWTH, ports.TONNES, ports.port_names(FRAME))
    assert "2.8 Mt" not in full.to_string()


def test_teu_table_formats_containers():
    table = ports.comparison(FRAME, GROWTH, ports.TEU, ports.port_names(FRAME))
    assert table.loc[table["Port"] == "Baku port (Alat)", "2024"].iloc[0] == "76,775 TEU"


def test_years_run_newest_first_right_after_the_port_so_the_latest_is_in_view():
    frame = rows(*FRAME.to_dict("records"), port("2015", 1.5e6))
    table = ports.comparison(frame, GROWTH, ports.TONNES, ports.port_names(frame))
    assert list(table.columns) == ["Port", "Sea", "2024", "2024 growth", "2023", "2023 growth",
                                   "2015", "2015 growth", "Note"]
    r = table.loc[table["Port"] == "Baku port (Alat)"].iloc[0]
    assert r["2024 growth"] == "+2.7%, derived"  # still on the year before, not the next column
