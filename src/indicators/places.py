"""One colour per place, the same in every view (chart, ports table, map): declared here once.

Main places have a fixed colour; any other place gets a stable one from its name, so a
place keeps its colour whatever else is on the chart.
"""

from __future__ import annotations

import zlib

from indicators import scopes

FIXED = {
    "TITR (whole corridor)": "#1f77b4",
    "TITR via Kazakhstan": "#d62728",
    "TITR via Kazakhstan (rail)": "#e377c2",
    "Kazakhstan (all transit)": "#8c564b",
    "Kazakhstan–China rail": "#bcbd22",
    "China–Europe rail (all routes)": "#7f7f7f",
    "Aktau port": "#2ca02c",
    "Kuryk port": "#17becf",
    "Aktau + Kuryk ports": "#00A08B",
    "Baku port (Alat)": "#9467bd",
    "Turkmenbashi port": "#ff7f0e",
    "Turkmenbashi–Alat (Baku) shipping": "#B68100",
    "Poti port": "#511CFB",
    "Batumi port": "#AF0038",
    "Anaklia port": "#6C7C32",
    "Khorgos (CN–KZ border)": "#862A16",
    "Dostyk TransTerminal": "#750D86",
}
# Colours for the rest, none of them one of the fixed ones above.
SPARE = ("#222A2A", "#FB00D1", "#778AAE", "#A777F1", "#620042", "#1616A7", "#6C4516",
         "#3283FE", "#85660D", "#1C8356", "#565656", "#DEA0FD", "#FE00FA")


def colour(geo: str) -> str:
    """The colour of a place; a sub-flow ('Aktau port — grain') shares its port's colour."""
    base = geo.split(scopes.QUALIFIER_SEP)[0]
    if base in FIXED:
        return FIXED[base]
    return SPARE[zlib.crc32(base.encode("utf-8")) % len(SPARE)]
