"""Contradictions between stated figures: sources that disagree on one period, a part of a
period larger than the whole, and a year-to-date figure that falls. Frames in, frames out.

Only reported figures a source states are checked (not forecasts, targets, capacities or
values derived by the curator), and only quantities that add up over time: tonnes, TEU,
trains (`FLOW_UNITS`).
"""

from __future__ import annotations

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


def _row(kind: str, a: pd.Series, b: pd.Series, message: str) -> dict:
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


def _q(r: pd.Series) -> str:
    return formatting.quantity(r["value"], r["unit"])


def disagreements(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of figures for the same indicator, scope, unit and period with different values."""
    base = checked(frame)
    rows = []
    keys = ["indicator", "geo", "unit", "period_start", "period_end"]
    for _k, g in base.groupby(keys, sort=True):
        if len(g) < 2:
            continue
        g = g.sort_values(["value", "source"]).reset_index(drop=True)
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                a, b = g.iloc[i], g.iloc[j]
                if _differ(float(a["value"]), float(b["value"])):
                    rows.append(_row(DISAGREE, a, b, (
                        f"{period_notation.label(a['period'])}: {_q(a)} ({a['source_title']}) "
                        f"against {_q(b)} ({b['source_title']}).")))
    return _frame(rows)


def _is_ytd(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return start.month == 1 and start.day == 1 and start.year == end.year


def _nested_pairs(frame: pd.DataFrame):
    """(part, whole) pairs of additive figures: part strictly shorter and inside whole."""
    base = checked(frame)
    base = base[base["unit"].isin(FLOW_UNITS)]
    for _k, g in base.groupby(["indicator", "geo", "unit"], sort=True):
        if len(g) < 2:
            continue
        rows = [r for _i, r in g.sort_values(["period_start", "period_end"]).iterrows()]
        for part in rows:
            for whole in rows:
                inside = (whole["period_start"] <= part["period_start"]
                          and part["period_end"] <= whole["period_end"])
                shorter = (part["period_end"] - part["period_start"]) < (
                    whole["period_end"] - whole["period_start"])
                if inside and shorter:
                    yield part, whole


def parts_exceeding_whole(frame: pd.DataFrame) -> pd.DataFrame:
    """A shorter period inside a longer one with a larger value (Jan–Apr 1.5 Mt, H1 0.9 Mt).

    Two figures that both run from 1 January of one year are left to `ytd_falls`.
    """
    rows = []
    for part, whole in _nested_pairs(frame):
        both_ytd = _is_ytd(part["period_start"], part["period_end"]) and _is_ytd(
            whole["period_start"], whole["period_end"]) and \
            part["period_start"] == whole["period_start"]
        if both_ytd or not float(part["value"]) > float(whole["value"]) * (1 + TOLERANCE):
            continue
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
