"""The corridor page's views as pure frames: full years with sources side by side, implied
years from a stated growth rate, the years without a figure, and year-to-date runs.

Frames in (rows of `queries.figures`), frames out; no database, no Streamlit, no Plotly.
Sub-flows ('TITR (whole corridor) — Kazakh oil') and ranges are left to the All figures
view, so that one scale holds like with like.
"""

from __future__ import annotations

import pandas as pd

from indicators import codes, consistency, formatting, period_notation, scopes

VIEWS = {"annual": "Annual", "ytd": "Year to date", "all": "All figures", "plans": "Plans"}
DEFAULT_VIEW = "annual"
# Every status but reported: what sources plan, forecast or give as capacity.
PLAN_STATUSES = tuple(s for s in codes.STATUS.codes if s != codes.STATUS.default)
_YEAR = r"\d{4}"

ANNUAL_COLUMNS = ["indicator", "indicator_name", "geo", "year", "value", "unit", "source",
                  "source_title", "source_url", "quote", "derived", "derivation", "spread",
                  "flag"]
YTD_COLUMNS = ["indicator", "indicator_name", "geo", "year", "month", "period", "value", "unit",
               "source", "source_title", "quote", "derived", "derivation", "covers", "flag"]


def whole_places(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures of places themselves, not of a sub-flow or a range end."""
    if frame.empty:
        return frame
    return frame[~frame["geo"].str.contains(scopes.QUALIFIER_SEP, regex=False)]


def _reported(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    return whole_places(frame[(frame["status"] == "reported")
                              & ~frame["unit"].isin({"%", "x"})])


def _spread(g: pd.DataFrame) -> str:
    """'sources disagree: 2.7 Mt (A) to 2.8 Mt (B)' when stated values of one year differ."""
    stated = g[~g["derived"].astype(bool)]
    if stated["value"].nunique() < 2:
        return ""
    lo, hi = stated.loc[stated["value"].idxmin()], stated.loc[stated["value"].idxmax()]
    if not consistency._differ(float(lo["value"]), float(hi["value"])):
        return ""
    return (f"sources disagree: {formatting.quantity(lo['value'], lo['unit'])} "
            f"({lo['source_title']}) to {formatting.quantity(hi['value'], hi['unit'])} "
            f"({hi['source_title']})")


def annual(frame: pd.DataFrame, stated_growth: pd.DataFrame | None = None) -> pd.DataFrame:
    """Full-year reported figures, one row per source, plus years implied by a stated growth.

    `spread` says where the sources of one place and year disagree; `flag` carries the
    consistency checks' messages for the figure.
    """
    base = _reported(frame)
    if base.empty:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    years = base[base["period"].str.fullmatch(_YEAR)].copy()
    years["flag"] = consistency.flagged(years, consistency.contradictions(frame)) \
        if not years.empty else pd.Series(dtype=str)
    years["year"] = years["period"].astype(int)
    implied = implied_years(years, stated_growth)
    out = pd.concat([x for x in (years, implied) if not x.empty], ignore_index=True) \
        if not (years.empty and implied.empty) else years
    if out.empty:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    out["derived"] = out["derived"].fillna(False).astype(bool)
    for c in ("derivation", "flag", "quote", "source_title", "source_url", "indicator_name"):
        out[c] = out[c].fillna("") if c in out else ""
    out["spread"] = ""
    for _k, g in out.groupby(["indicator", "geo", "unit", "year"]):
        out.loc[g.index, "spread"] = _spread(g)
    return out.sort_values(["indicator", "geo", "year", "derived", "value"])[
        ANNUAL_COLUMNS].reset_index(drop=True)


def implied_years(years: pd.DataFrame, stated: pd.DataFrame | None) -> pd.DataFrame:
    """A full year implied by a stated year-on-year growth, where no source gives that year.

    'In 2024 it rose by 62% to 4.5 Mt' implies 2023 = 4.5 / 1.62 = 2.78 Mt; a growth stated
    for a year whose previous year is known implies the year itself.
    """
    if stated is None or stated.empty or years.empty:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    g = stated[(stated["status"] == "reported") & stated["period"].str.fullmatch(_YEAR)
               & (stated["unit"] == "%")]
    have = {(r.indicator, r.geo, r.year) for r in years.itertuples()}
    rows = []
    for s in g.itertuples():
        ind = s.indicator.removesuffix("_yoy")
        y, rate = int(s.period), 1 + float(s.value) / 100.0
        if rate <= 0:
            continue
        for v in years[(years["indicator"] == ind) & (years["geo"] == s.geo)].itertuples():
            if v.year == y and (ind, s.geo, y - 1) not in have:
                target, value = y - 1, v.value / rate
                how = (f"{formatting.quantity(v.value, v.unit)} in {y} ÷ (1 "
                       f"{formatting.percent(s.value)}) stated growth on {y - 1}")
            elif v.year == y - 1 and (ind, s.geo, y) not in have:
                target, value = y, v.value * rate
                how = (f"{formatting.quantity(v.value, v.unit)} in {y - 1} × (1 "
                       f"{formatting.percent(s.value)}) stated growth in {y}")
            else:
                continue
            rows.append({"indicator": ind, "indicator_name": v.indicator_name, "geo": s.geo,
                         "year": target, "period": str(target), "value": value,
                         "unit": v.unit, "source": s.source, "source_title": s.source_title,
                         "source_url": getattr(s, "source_url", ""), "quote": s.quote,
                         "derived": True, "derivation": f"Derived here: {how}.", "flag": ""})
    out = pd.DataFrame(rows, columns=[*ANNUAL_COLUMNS, "period"])
    return out.drop_duplicates(["indicator", "geo", "year", "value"])


def gaps(annual_rows: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: the years between its first and last full year with no figure at all.

    (A year one place lacks while another has it shows as a break in that place's line.)
    """
    rows = []
    for ind, g in annual_rows.groupby("indicator", sort=True):
        have = set(g["year"].astype(int))
        without = sorted(set(g["geo"]))
        rows += [{"indicator": ind, "geo": ", ".join(without), "year": y}
                 for y in range(min(have), max(have) + 1) if y not in have]
    return pd.DataFrame(rows, columns=["indicator", "geo", "year"])


def _month_span(months: list[int]) -> str:
    names = [f"Jan–{pd.Timestamp(2000, m, 1):%b}" if m > 1 else "Jan" for m in months]
    return ", ".join(names)


def ytd(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative figures from 1 January to a month's end (Q1, H1, Jan–Sep, a full year...).

    `month` is the last month covered; `covers` lists, per place and year, which runs the
    line is drawn through ('Jan–Apr, Jan–Jul, Jan–Dec').
    """
    base = _reported(frame)
    if base.empty:
        return pd.DataFrame(columns=YTD_COLUMNS)
    base = base[base["unit"].isin(consistency.FLOW_UNITS)].copy()
    start = pd.to_datetime(base["period_start"])
    end = pd.to_datetime(base["period_end"])
    ok = (start.dt.month == 1) & (start.dt.day == 1) & (start.dt.year == end.dt.year) \
        & end.dt.is_month_end
    out = base[ok].copy()
    if out.empty:
        return pd.DataFrame(columns=YTD_COLUMNS)
    out["year"] = start[ok].dt.year
    out["month"] = end[ok].dt.month
    out["flag"] = consistency.flagged(out, consistency.contradictions(frame))
    out["covers"] = ""
    for _k, g in out.groupby(["indicator", "geo", "unit", "year"]):
        out.loc[g.index, "covers"] = _month_span(sorted(set(g["month"])))
    for c in ("quote", "source_title", "derivation"):
        out[c] = out[c].fillna("") if c in out else ""
    out["derived"] = out["derived"].fillna(False).astype(bool)
    out["period"] = [period_notation.label(p) for p in out["period"]]
    return out.sort_values(["indicator", "geo", "year", "month"])[YTD_COLUMNS].reset_index(
        drop=True)


def scope_counts(counts: pd.DataFrame, scope_list: list[scopes.Scope],
                 indicators: tuple[str, ...]) -> dict[str, int]:
    """Figures per scope for the chosen indicators (`counts`: indicator, geo, n)."""
    mine = counts[counts["indicator"].isin(indicators)]
    per_geo = mine.groupby("geo")["n"].sum().to_dict()
    return {s.slug: int(sum(per_geo.get(g, 0) for g in s.geos)) for s in scope_list}
