"""What Plotly shows when the pointer is on one point of a trace: its hover template filled
in for that point (the subset of Plotly's template language the charts use), so that tests
read the hover a visitor reads, whether a text travels per point or once per trace."""

from __future__ import annotations

import re

import pandas as pd

_FIELD = re.compile(r"%\{([a-z]+)(?:\[(\d+)\])?(?:([|:])([^}]*))?\}")


def hover(trace, i: int) -> str:
    """The hover text of point `i` (without the <extra> box), as the browser fills it."""
    template = trace.hovertemplate.split("<extra>")[0]
    custom = None if trace.customdata is None else trace.customdata[i]

    def fill(m: re.Match) -> str:
        name, index, kind, fmt = m.groups()
        if name == "customdata":
            value = custom if index is None else custom[int(index)]
            return str(value)
        value = trace[name][i]
        if kind == "|":  # a date axis: milliseconds since 1970, d3's strftime-like format
            return pd.Timestamp(int(value), unit="ms").strftime(fmt)
        return repr(float(value))

    return _FIELD.sub(fill, template)
