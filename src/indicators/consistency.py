"""Contradictions between stated figures: sources that disagree on one period, a part of a
period larger than the whole, and a year-to-date figure that falls. Frames in, frames out.

Only reported figures a source states are checked (not forecasts, targets, capacities or
values derived by the curator), and only quantities that add up over time: tonnes, TEU,
trains (`FLOW_UNITS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import formatting, period_notation

DISAGREE = "sources_disagree"
PART_EXCEEDS_WHOLE = "part_exceeds_whole"
YTD_FALLS = "ytd_falls"
KINDS = {
    DISAGREE: "Sources disagree",
    PART_EXCEEDS_WHOLE: "A shorter period is larger than a longer one containing it",
    YTD_FALLS: "A year-to-date figure falls",
}
# Values closer than this (relative) are the same figure rounded differently.
TOLERANCE = 0.001
# Flows that add up over time. Stocks (berths, tracks, GW of capacity), shares, growth, speeds,
# durations and averages per day are left out: a part may well exceed the whole.
FLOW_UNITS = frozenset({"t", "TEU", "FEU", "trains", "tkm", "containers", "wagons", "railcars",
                        "vehicles", "trucks", "passengers"})

COLUMNS = ["kind", "check", "indicator", "indicator_name", "geo", "unit",
           "period_a", "value_a", "source_a", "source_title_a", "source_url_a", "quote_a",
           "period_b", "value_b", "source_b", "source_title_b", "source_url_b", "quote_b",
           "message"]
_SIDE = ["period", "value", "source", "source_title", "source_url", "quote"]


def additive(unit: str) -> bool:
    """A unit whose value over a longer period is at least its value over a part of it."""
    return unit in FLOW_UNITS


def checked(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures the checks look at: reported, stated by the source, finite."""
    if frame.empty:
        return frame
    derived = frame["derived"].fillna(False).astype(bool) if "derived" in frame else False
    ok = (frame["status"] == "reported") & ~derived & pd.to_numeric(
        frame["value"], errors="coerce").notna()
    out = frame[ok].copy()
    out["period_start"] = pd.to_datetime(out["period_start"])
    out["period_end"] = pd.to_datetime(out["period_end"])
    for c in ("indicator_name", "source_title", "source_url", "quote"):
        if c not in out:
            out[c] = ""
    return out


def _differ(a: float, b: float) -> bool:
    return abs(a - b) > TOLERANCE * max(abs(a), abs(b))


def _row(kind: str, a, b, message: str) -> dict:
    row = {"kind": kind, "check": KINDS[kind], "indicator": a["indicator"],
           "indicator_name": a.get("indicator_name") or a["indicator"], "geo": a["geo"],
           "unit": a["unit"], "message": message}
    for side, r in (("a", a), ("b", b)):
        for c in _SIDE:
            v = r.get(c)
            row[f"{c}_{side}"] = "" if v is None or (isinstance(v, float) and v != v) else v
    return row


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def _q(r) -> str:
    return formatting.quantity(r["value"], r["unit"])


def _records(base: pd.DataFrame) -> list[dict]:
    return base.to_dict("records")


def disagreements(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of figures for the same indicator, scope, unit and period with different values.

    Within a period, figures are ordered by value and source; every pair that differs by
    more than the rounding tolerance is one row, lower value first. The pairs are found by
    joining the figures on their key (not row by row), which keeps a store of 50,000
    figures at well under a second.
    """
    keys = ["indicator", "geo", "unit", "period_start", "period_end"]
    base = checked(frame)
    if base.empty:
        return _frame([])
    base = base.dropna(subset=keys).sort_values([*keys, "value", "source"], kind="stable")
    base = base.reset_index(drop=True)
    small = base[keys].copy()
    small["_i"] = range(len(base))
    small["_v"] = pd.to_numeric(base["value"]).astype(float)
    pairs = small.merge(small, on=keys, suffixes=("_a", "_b"))
    va, vb = pairs["_v_a"], pairs["_v_b"]
    pairs = pairs[(pairs["_i_a"] < pairs["_i_b"])
                  & ((va - vb).abs() > TOLERANCE * pd.concat([va.abs(), vb.abs()],
                                                              axis=1).max(axis=1))]
    pairs = pairs.sort_values(["_i_a", "_i_b"])
    recs = _records(base)
    rows = []
    for i, j in zip(pairs["_i_a"], pairs["_i_b"], strict=True):
        a, b = recs[i], recs[j]
        rows.append(_row(DISAGREE, a, b, (
            f"{period_notation.label(a['period'])}: {_q(a)} ({a['source_title']}) against "
            f"{_q(b)} ({b['source_title']}).")))
    return _frame(rows)


def _is_ytd(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return start.month == 1 and start.day == 1 and start.year == end.year


def parts_exceeding_whole(frame: pd.DataFrame) -> pd.DataFrame:
    """A shorter period inside a longer one with a larger value (Jan–Apr 1.5 Mt, H1 0.9 Mt).

    Two figures that both run from 1 January of one year are left to `ytd_falls`. Per
    indicator, scope and unit, every (part, whole) pair is compared at once as arrays
    (figures in period order, parts then wholes), not pair by pair in Python.
    """
    base = checked(frame)
    if base.empty:
        return _frame([])
    group = ["indicator", "geo", "unit"]
    base = base[base["unit"].isin(FLOW_UNITS)].dropna(subset=group)
    rows = []
    for _k, g in base.groupby(group, sort=True):
        if len(g) < 2:
            continue
        g = g.sort_values(["period_start", "period_end"], kind="stable")
        start = g["period_start"].to_numpy()
        end = g["period_end"].to_numpy()
        value = pd.to_numeric(g["value"]).to_numpy(dtype=float)
        ytd = ((g["period_start"].dt.month == 1) & (g["period_start"].dt.day == 1)
               & (g["period_start"].dt.year == g["period_end"].dt.year)).to_numpy()
        length = end - start
        # [part, whole]: the part lies inside the whole and is strictly shorter ...
        hit = ((start[None, :] <= start[:, None]) & (end[:, None] <= end[None, :])
               & (length[:, None] < length[None, :])
               # ... and is larger than it beyond rounding ...
               & (value[:, None] > value[None, :] * (1 + TOLERANCE))
               # ... unless both are year-to-date figures of the same year.
               & ~(ytd[:, None] & ytd[None, :] & (start[:, None] == start[None, :])))
        if not hit.any():
            continue
        recs = _records(g)
        for i, j in zip(*np.nonzero(hit), strict=True):
            part, whole = recs[i], recs[j]
            rows.append(_row(PART_EXCEEDS_WHOLE, part, whole, (
                f"{period_notation.label(part['period'])} is {_q(part)} ({part['source_title']}), "
                f"more than {_q(whole)} for the longer {period_notation.label(whole['period'])} "
                f"({whole['source_title']}): probably two different measures in one scope.")))
    return _frame(rows)


def ytd_falls(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative figures of one year (all from 1 January) that fall as the year goes on.

    Each figure is compared with those ending at the previous month-end that has any, so
    a run Jan–Apr 1.5, H1 0.9, Jan–Sep 1.8 gives one flag (Jan–Apr against H1).
    """
    base = checked(frame)
    base = base[base["unit"].isin(FLOW_UNITS)]
    if base.empty:
        return _frame([])
    ytd = base[(base["period_start"].dt.month == 1) & (base["period_start"].dt.day == 1)
               & (base["period_start"].dt.year == base["period_end"].dt.year)]
    rows = []
    for _k, g in ytd.groupby(["indicator", "geo", "unit", ytd["period_start"].dt.year],
                             sort=True):
        ends = sorted(g["period_end"].unique())
        for prev_end, end in zip(ends, ends[1:], strict=False):
            for _i, a in g[g["period_end"] == prev_end].iterrows():
                for _j, b in g[g["period_end"] == end].iterrows():
                    if float(b["value"]) < float(a["value"]) * (1 - TOLERANCE):
                        rows.append(_row(YTD_FALLS, a, b, (
                            f"{period_notation.label(a['period'])} is {_q(a)} "
                            f"({a['source_title']}) but the later "
                            f"{period_notation.label(b['period'])} is only {_q(b)} "
                            f"({b['source_title']}): a cumulative figure cannot fall, so the "
                            "two measure different things.")))
    return _frame(rows)


def contradictions(frame: pd.DataFrame) -> pd.DataFrame:
    """Every open contradiction among the figures, one row per pair of figures."""
    parts = [f for f in (disagreements(frame), parts_exceeding_whole(frame), ytd_falls(frame))
             if not f.empty]
    if not parts:
        return _frame([])
    return pd.concat(parts, ignore_index=True)


def flagged(frame: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    """Per figure of `frame`: the messages of the contradictions it takes part in ('' if none)."""
    if frame.empty:
        return pd.Series([], dtype=str, index=frame.index)
    notes: dict[tuple, list[str]] = {}
    for r in found.itertuples(index=False):
        for side in ("a", "b"):
            key = (r.indicator, r.geo, getattr(r, f"period_{side}"),
                   float(getattr(r, f"value_{side}")), getattr(r, f"source_{side}"))
            notes.setdefault(key, []).append(f"{r.check}: {r.message}")
    out = []
    for r in frame.itertuples(index=False):
        key = (r.indicator, r.geo, r.period, float(r.value), r.source)
        out.append(" ".join(dict.fromkeys(notes.get(key, []))))
    return pd.Series(out, index=frame.index, dtype=str)
