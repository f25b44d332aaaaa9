"""Caspian and Black Sea ports side by side: port × year for tonnes and TEU with growth,
part-year figures apart, sub-flows nested under their port, and the ports with no figures.

Pure frames: rows of `queries.figures` in, tables for people out.
"""

from __future__ import annotations

import re

import pandas as pd

from indicators import formatting, period_notation, scopes

TONNES = "port_cargo_throughput"
TEU = "port_container_throughput"
MEASURES = {TONNES: "Tonnes handled", TEU: "Containers handled (TEU)"}
# The ports of the route, whether or not the store holds figures for them yet; any other
# port in the data is added after these. Each name matches geos that begin with it.
DECLARED = ("Aktau port", "Kuryk port", "Aktau + Kuryk ports", "Baku port (Alat)",
            "Turkmenbashi port", "Poti port", "Batumi port", "Anaklia port")
SEA = {"Aktau port": "Caspian", "Kuryk port": "Caspian", "Aktau + Kuryk ports": "Caspian",
       "Baku port (Alat)": "Caspian", "Turkmenbashi port": "Caspian", "Poti port": "Black Sea",
       "Batumi port": "Black Sea", "Anaklia port": "Black Sea"}
NO_FIGURES = "no figures yet"
SUB = "  ↳ "
_YEAR = re.compile(r"^\d{4}$")


def port_names(frame: pd.DataFrame) -> list[str]:
    """The declared ports, then every other place with port tonnes or TEU in the data."""
    mine = frame[frame["indicator"].isin(list(MEASURES))]
    bases = {g.split(scopes.QUALIFIER_SEP)[0] for g in mine["geo"]}
    return [*DECLARED, *sorted(bases - set(DECLARED))]


def _cell(values: pd.DataFrame, unit: str) -> str:
    """'7.6 Mt'; two sources that differ: '2.7 / 2.8 Mt ⚠'."""
    vals = sorted(set(values["value"].astype(float)))
    if len(vals) == 1:
        return formatting.quantity(vals[0], unit)
    return " / ".join(formatting.quantity(v, unit) for v in vals) + " ⚠ sources differ"


def _growth(year_rows: pd.DataFrame, prev_rows: pd.DataFrame, stated: pd.DataFrame) -> str:
    """Growth on the year before: derived from two stated years, else as a source states it."""
    if not year_rows.empty and not prev_rows.empty:
        a, b = float(prev_rows["value"].iloc[0]), float(year_rows["value"].iloc[0])
        if a:
            return f"{formatting.percent((b / a - 1) * 100)}, derived"
    if not stated.empty:
        return f"{formatting.percent(float(stated['value'].iloc[0]))}, stated"
    return ""


def comparison(frame: pd.DataFrame, growth: pd.DataFrame, measure: str,
               names: list[str]) -> pd.DataFrame:
    """Port × year for one measure (tonnes or TEU), full calendar years, reported only.

    One row per port, its sub-flows ('oil', 'grain', 'transit') on the rows below it; a
    port with no full-year figure says so. Each year has a value column and a growth column
    (on the year before, derived or stated). Years run newest first, right after the port and
    its sea: the latest figure is what an analyst looks for, and at a laptop's width a table
    of five years in calendar order cut it off at the right edge.
    """
    unit = "t" if measure == TONNES else "TEU"
    reported = frame[frame["indicator"].isin(list(MEASURES)) & (frame["status"] == "reported")]
    anything = {g.split(scopes.QUALIFIER_SEP)[0] for g in reported["geo"]}
    mine = reported[(reported["indicator"] == measure) & reported["period"].str.match(_YEAR)]
    stated = growth[(growth["indicator"] == f"{measure}_yoy") & (growth["status"] == "reported")]
    years = sorted({int(p) for p in mine["period"]}, reverse=True)
    columns = ["Port", "Sea", *[c for y in years for c in (str(y), f"{y} growth")], "Note"]
    blank = {c: "" for c in columns}
    rows = []
    for port in names:
        geos = sorted({g for g in mine["geo"] if g.split(scopes.QUALIFIER_SEP)[0] == port},
                      key=lambda g: (scopes.QUALIFIER_SEP in g, g))
        if not geos:
            rows.append({**blank, "Port": port, "Sea": SEA.get(port, ""),
                         "Note": NO_FIGURES if port not in anything else
                         "no full-year figure; see part years below"})
            continue
        if port not in geos:  # only sub-flows: the port's own row says so
            rows.append({**blank, "Port": port, "Sea": SEA.get(port, ""),
                         "Note": "no total for the port; its sub-flows below"})
        for geo in geos:
            own = mine[mine["geo"] == geo]
            label = port if geo == port else SUB + geo.split(scopes.QUALIFIER_SEP, 1)[1]
            row = {**blank, "Port": label, "Sea": SEA.get(port, "") if geo == port else ""}
            for y in years:
                cur, prev = own[own["period"] == str(y)], own[own["period"] == str(y - 1)]
                said = stated[(stated["geo"] == geo) & (stated["period"] == str(y))]
                if not cur.empty:
                    row[str(y)] = _cell(cur, unit)
                    row[f"{y} growth"] = _growth(cur, prev, said)
            rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def part_years(frame: pd.DataFrame, growth: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Year-to-date, quarter and month figures, kept apart from the full years."""
    mine = frame[frame["indicator"].isin(list(MEASURES)) & (frame["status"] == "reported")
                 & ~frame["period"].str.match(_YEAR)]
    if mine.empty:
        return pd.DataFrame(columns=["Port", "Period", "Measure", "Value", "Growth", "Source",
                                     "Quote"])
    order = {n: i for i, n in enumerate(names)}
    rows = []
    for r in mine.itertuples():
        base = r.geo.split(scopes.QUALIFIER_SEP)[0]
        said = growth[(growth["indicator"] == f"{r.indicator}_yoy") & (growth["geo"] == r.geo)
                      & (growth["period"] == r.period)]
        rows.append({
            "_o": (order.get(base, len(order)), scopes.QUALIFIER_SEP in r.geo,
                   str(r.period_start)),
            "Port": base if r.geo == base else SUB + r.geo.split(scopes.QUALIFIER_SEP, 1)[1],
            "Period": period_notation.label(r.period), "Measure": MEASURES[r.indicator],
            "Value": formatting.quantity(r.value, r.unit),
            "Growth": formatting.percent(said["value"].iloc[0]) + " on a year before, stated"
            if not said.empty else "",
            "Source": r.source_title or "", "Quote": r.quote or ""})
    out = pd.DataFrame(rows).sort_values("_o", kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)
