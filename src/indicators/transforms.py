"""Pure calculations behind the views: rate views, source choice and comparison, freshness,
period widths and growth. Frames in, frames out; no database and no Streamlit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from indicators import formatting, iso4217, period_notation, settings

# ---------------------------------------------------------------- exchange rates

VIEWS = {
    "per_usd": "Units per USD",
    "usd_per": "USD per unit",
    "index": "Index",
    "change": "% change",
}
DEFAULT_VIEW = "per_usd"
# A source must have this many observations in the range to be a sensible default.
MIN_DEFAULT_POINTS = 12
# Sources of one currency are compared on dates at most this far apart.
COMPARE_TOLERANCE_DAYS = 3
RANK_UNKNOWN = 9


def source_rank(kind: str | None, ranks: Mapping[str, int]) -> int:
    return ranks.get(kind or "", RANK_UNKNOWN)


# A series counts as carrying the line on when it goes on this much past the covered end.
EXTEND_SLACK_DAYS = 31


def default_sources(coverage: pd.DataFrame, currencies: list[str], ranks: Mapping[str, int],
                    min_points: int = MIN_DEFAULT_POINTS) -> list[str]:
    """The most official source per currency that has a real series in the range.

    Per currency: the best-ranked source with at least `min_points` observations (the
    longest of equals), plus every better-ranked source with any (a few official points
    are worth showing next to a long cross-rate series), plus the series that carry the
    line on to the newest rate after it ends. With no such series, the best-ranked source.
    """
    chosen: set[str] = set()
    for cur in currencies:
        cov = coverage[coverage["currency"] == cur]
        if cov.empty:
            continue
        dated = {"first", "last"} <= set(cov.columns)
        cov = cov.assign(rank=[source_rank(k, ranks) for k in cov["source_kind"]],
                         span=pd.to_datetime(cov["last"]) - pd.to_datetime(cov["first"])
                         if dated else pd.Timedelta(0))
        cov = cov.sort_values(["rank", "span", "n", "source"],
                              ascending=[True, False, False, True])
        long = cov[cov["n"] >= min_points]
        if long.empty:
            chosen.add(cov["source"].iloc[0])
            continue
        best = long.iloc[0]
        chosen.update(cov[cov["rank"] < best["rank"]]["source"])
        chosen.add(best["source"])
        if dated:
            chosen.update(_extensions(long, best))
    return sorted(chosen)


def _extensions(long: pd.DataFrame, best: pd.Series) -> list[str]:
    """Series that carry the line on past the end of `best`, so the default reaches the
    newest rate: at each step the one that starts before the covered span ends (else the
    next to start) and reaches furthest; ties to the better-ranked."""
    out: list[str] = []
    end = pd.Timestamp(best["last"])
    rest = long.assign(first_ts=pd.to_datetime(long["first"]),
                       last_ts=pd.to_datetime(long["last"]))
    while True:
        later = rest[rest["last_ts"] > end + pd.Timedelta(days=EXTEND_SLACK_DAYS)]
        if later.empty:
            return out
        joined = later[later["first_ts"] <= end + pd.Timedelta(days=EXTEND_SLACK_DAYS)]
        pick = (joined.sort_values(["last_ts", "rank"], ascending=[False, True]) if
                not joined.empty else later.sort_values(["first_ts", "rank"])).iloc[0]
        out.append(pick["source"])
        end = pick["last_ts"]


def reconcile_sources(selected: list[str], currencies: list[str], coverage: pd.DataFrame,
                      ranks: Mapping[str, int]) -> list[str]:
    """Selected sources that cover a chosen currency, plus the default for any left uncovered."""
    covering = coverage[coverage["currency"].isin(currencies)]
    keep = sorted(set(selected) & set(covering["source"]))
    covered = set(covering[covering["source"].isin(keep)]["currency"])
    missing = [c for c in currencies if c not in covered]
    return sorted(set(keep) | set(default_sources(coverage, missing, ranks)))


def unit_label(view: str, currency: str) -> str:
    if view == "usd_per":
        return f"USD per {currency}"
    if view == "index":
        return f"Index of {currency} per USD"
    if view == "change":
        return f"% change in {currency} per USD"
    return f"{currency} per USD"


def rate_view(frame: pd.DataFrame, view: str) -> pd.DataFrame:
    """Add `value` and `unit` for a view: units per USD, USD per unit, or index = 100 at start.

    The index is per currency and source, based on its first observation in the range,
    so that sources stay separate and comparable.
    """
    out = frame.copy()
    if out.empty:
        return out.assign(value=pd.Series(dtype=float), unit=pd.Series(dtype=str),
                          base_date=pd.Series(dtype="datetime64[ns]"))
    out = out.sort_values(["currency", "source", "date"], kind="stable")
    if view == "usd_per":
        out["value"] = 1.0 / out["per_usd"]
    elif view == "index":
        first = out.groupby(["currency", "source"])["per_usd"].transform("first")
        out["value"] = out["per_usd"] / first * 100.0
        out["base_date"] = out.groupby(["currency", "source"])["date"].transform("first")
    else:
        out["value"] = out["per_usd"]
    out["unit"] = [unit_label(view, c) for c in out["currency"]]
    return out.reset_index(drop=True)


def change_over_range(frame: pd.DataFrame) -> pd.DataFrame:
    """Per currency and source: first and last rate in the range and the % change between."""
    cols = ["currency", "source", "source_title", "source_kind", "first_date", "first_per_usd",
            "last_date", "last_per_usd", "change_pct", "n"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    g = frame.sort_values("date").groupby(["currency", "source"], sort=True)
    # Observations in the range: a thinned series (queries.rate_series) keeps its first and
    # last rate and says how many it had before thinning; the rows of the frame are fewer.
    counted = ("n_in_series", "first") if "n_in_series" in frame else ("per_usd", "size")
    out = g.agg(source_title=("source_title", "first"), source_kind=("source_kind", "first"),
                first_date=("date", "first"), first_per_usd=("per_usd", "first"),
                last_date=("date", "last"), last_per_usd=("per_usd", "last"),
                n=counted).reset_index()
    out["change_pct"] = (out["last_per_usd"] / out["first_per_usd"] - 1.0) * 100.0
    return out[cols]


def latest_by_currency(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest displayed observation per currency (ties: the better-ranked source first)."""
    cols = ["currency", "date", "per_usd", "source", "source_title", "source_kind"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    last = frame.sort_values(["currency", "date"]).groupby("currency").tail(1)
    return last[cols].reset_index(drop=True)


def business_days(start: date, end: date) -> int:
    """Weekdays after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    return int(np.busday_count(start + timedelta(days=1), end + timedelta(days=1)))


def is_stale(as_of: date, today: date, limit: int) -> bool:
    """True when more than `limit` business days have passed since `as_of`."""
    return business_days(as_of, today) > limit


def stale_limit(environ: Mapping[str, str] | None = None) -> int:
    """INDICATORS_STALE_BUSINESS_DAYS, default 5; a bad value falls back to the default."""
    return settings.STALE_BUSINESS_DAYS.get(environ)


def stale_rates(latest: pd.DataFrame, today: date, limit: int) -> pd.DataFrame:
    """Rows of `latest_by_currency` whose date is older than `limit` business days."""
    if latest.empty:
        return latest.assign(age=pd.Series(dtype=int))
    ages = [business_days(pd.Timestamp(d).date(), today) for d in latest["date"]]
    out = latest.assign(age=ages)
    return out[out["age"] > limit].reset_index(drop=True)


def source_differences(frame: pd.DataFrame, ranks: Mapping[str, int],
                       tolerance_days: int = COMPARE_TOLERANCE_DAYS) -> pd.DataFrame:
    """For each currency shown from two or more sources, how far apart the sources are.

    Observations are paired with the other source's nearest one at most `tolerance_days`
    away; the difference is (B / A - 1) in %, A being the better-ranked source.
    """
    cols = ["currency", "source_a", "source_b", "pairs", "median_diff_pct", "max_diff_pct",
            "max_diff_date", "a_span", "b_span"]
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=cols)
    tol = pd.Timedelta(days=tolerance_days)
    for cur, g in frame.groupby("currency", sort=True):
        kinds = dict(zip(g["source"], g["source_kind"], strict=False))
        srcs = sorted(kinds, key=lambda s: (source_rank(kinds[s], ranks), s))
        for i, a in enumerate(srcs):
            for b in srcs[i + 1:]:
                ga = g[g["source"] == a].sort_values("date")[["date", "per_usd"]]
                gb = g[g["source"] == b].sort_values("date")[["date", "per_usd"]]
                m = pd.merge_asof(gb, ga, on="date", direction="nearest", tolerance=tol,
                                  suffixes=("_b", "_a")).dropna()
                span = [f"{formatting.day(x['date'].min())}…{formatting.day(x['date'].max())}"
                        for x in (ga, gb)]
                if m.empty:
                    rows.append([cur, a, b, 0, math.nan, math.nan, pd.NaT, *span])
                    continue
                diff = (m["per_usd_b"] / m["per_usd_a"] - 1.0) * 100.0
                worst = diff.abs().idxmax()
                rows.append([cur, a, b, len(m), float(diff.median()), float(diff[worst]),
                             m.loc[worst, "date"], *span])
    return pd.DataFrame(rows, columns=cols)


def pick_headline(coverage: pd.DataFrame, ranks: Mapping[str, int],
                  window_days: int = 120, min_points: int = 1) -> pd.DataFrame:
    """One row per currency for a headline card.

    The best-ranked source among those whose latest rate is within `window_days` of the
    currency's newest rate: an official rate a few weeks old beats a fresher ticker
    snapshot, but a cross-rate archive that stopped years ago does not. With `min_points`,
    a source needs that many rates to qualify (a history to draw, not a few spot checks),
    unless no recent source has that many.
    """
    if coverage.empty:
        return coverage.copy()
    rows = []
    for _cur, g in coverage.groupby("currency", sort=True):
        newest = g["last"].max()
        recent = g[g["last"] >= newest - pd.Timedelta(days=window_days)]
        if (recent["n"] >= min_points).any():
            recent = recent[recent["n"] >= min_points]
        recent = recent.assign(rank=[source_rank(k, ranks) for k in recent["source_kind"]])
        rows.append(recent.sort_values(["rank", "last", "n"],
                                       ascending=[True, False, False]).iloc[0])
    return pd.DataFrame(rows).reset_index(drop=True)


def stored_codes(currencies: list[str]) -> list[str]:
    """Display codes plus the withdrawn codes they replace (TMT -> TMT, TMM)."""
    out = list(currencies)
    for old, (new, _factor) in iso4217.REDENOMINATIONS.items():
        if new in currencies:
            out.append(old)
    return out


def redenomination_note(currency: str) -> str | None:
    for old, (new, factor) in iso4217.REDENOMINATIONS.items():
        if new == currency:
            return (f"{old} rates restated in {new}: {factor:,.0f} {old} = 1 {new} "
                    f"(redenomination); values before it are divided by {factor:,.0f}.")
    return None


# ---------------------------------------------------------------- corridor figures

GROWTH_UNITS = frozenset({"%", "x"})


def period_geometry(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the drawn extent of each period: start, exclusive end, midpoint and a label."""
    out = frame.copy()
    if out.empty:
        for c in ("x_start", "x_end", "x_mid"):
            out[c] = pd.Series(dtype="datetime64[ns]")
        out["period_label"] = pd.Series(dtype=str)
        out["is_interval"] = pd.Series(dtype=bool)
        return out
    start = pd.to_datetime(out["period_start"])
    end = pd.to_datetime(out["period_end"]) + pd.Timedelta(days=1)
    out["x_start"], out["x_end"] = start, end
    out["x_mid"] = start + (end - start) / 2
    out["period_label"] = [period_notation.label(p) for p in out["period"]]
    out["is_interval"] = out["period"].str.contains("/", regex=False)
    return out


def year_back(start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The same period a year earlier: 29 February falls back to the 28th, a month end
    stays a month end (2024-02-29 -> 2023-02-28; 2025-02-28 -> 2024-02-29)."""
    start = pd.to_datetime(start)
    end = pd.to_datetime(end)
    year = pd.DateOffset(years=1)
    prev_end = (end + pd.Timedelta(days=1) - year - pd.Timedelta(days=1)).where(
        end.dt.is_month_end, end - year)
    return start - year, prev_end


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    ok = (frame["status"] == "reported") & ~frame["derived"].astype(bool) & \
         ~frame["unit"].isin(GROWTH_UNITS)
    return frame[ok]


GROWTH_COLUMNS = ["indicator", "indicator_name", "geo", "measure", "from_period", "to_period",
                  "from_value", "to_value", "unit", "growth_pct", "from_source", "to_source",
                  "from_source_title", "to_source_title", "derivation"]


def yoy_growth(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year growth for every reported figure whose same period a year earlier exists.

    Both must be stated (not derived) figures of the same indicator, geo and unit; where
    sources disagree, every pairing is kept.
    """
    base = _comparable(frame)
    if base.empty:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    cur = base.copy()
    cur["prev_start"], cur["prev_end"] = year_back(cur["period_start"], cur["period_end"])
    prev = base.assign(prev_start=pd.to_datetime(base["period_start"]),
                       prev_end=pd.to_datetime(base["period_end"]))
    m = cur.merge(prev, on=["indicator", "geo", "unit", "prev_start", "prev_end"],
                  suffixes=("", "_prev"))
    m = m[m["value_prev"] != 0]
    if m.empty:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    derivation = [f"({formatting.quantity(v, u)} / {formatting.quantity(p, u)} − 1) × 100, "
                  f"{a} against {b}" for v, p, u, a, b in
                  zip(m["value"], m["value_prev"], m["unit"], m["period"], m["period_prev"],
                      strict=True)]
    return pd.DataFrame({
        "indicator": m["indicator"], "indicator_name": m["indicator_name"], "geo": m["geo"],
        "measure": "Year-on-year growth", "from_period": m["period_prev"],
        "to_period": m["period"], "from_value": m["value_prev"], "to_value": m["value"],
        "unit": m["unit"], "growth_pct": (m["value"] / m["value_prev"] - 1.0) * 100.0,
        "from_source": m["source_prev"], "to_source": m["source"],
        "from_source_title": m["source_title_prev"], "to_source_title": m["source_title"],
        "derivation": derivation})[GROWTH_COLUMNS].reset_index(drop=True)


def cagr(frame: pd.DataFrame) -> pd.DataFrame:
    """Compound annual growth between the first and last full-year reported figures.

    Per indicator and geo, when stated figures exist for two different calendar years.
    """
    base = _comparable(frame)
    years = base[base["period"].str.fullmatch(r"\d{4}")]
    rows = []
    for (_ind, _geo), g in years.groupby(["indicator", "geo"], sort=True):
        first_year, last_year = g["period"].min(), g["period"].max()
        span = int(last_year) - int(first_year)
        if span < 2:  # over one year it is the year-on-year growth already shown
            continue
        for a in g[g["period"] == first_year].itertuples(index=False):
            for b in g[g["period"] == last_year].itertuples(index=False):
                if a.value <= 0 or b.value <= 0:
                    continue
                growth = ((b.value / a.value) ** (1.0 / span) - 1.0) * 100.0
                rows.append([a.indicator, a.indicator_name, a.geo,
                             "Compound annual growth", a.period, b.period, a.value, b.value,
                             a.unit, growth, a.source, b.source, a.source_title, b.source_title,
                             f"(({formatting.quantity(b.value, b.unit)} / "
                             f"{formatting.quantity(a.value, a.unit)})^(1/{span}) − 1) × 100, "
                             f"{a.period} to {b.period}"])
    return pd.DataFrame(rows, columns=GROWTH_COLUMNS)


def _merge_sources(frame: pd.DataFrame) -> pd.DataFrame:
    # Two sources stating the same value give the same growth: one row naming both.
    keys = ["indicator", "indicator_name", "geo", "measure", "from_period", "to_period",
            "from_value", "to_value", "unit", "growth_pct"]
    join = lambda s: "; ".join(dict.fromkeys(s))  # noqa: E731
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return frame[GROWTH_COLUMNS]
    merged = frame[dup].groupby(keys, sort=False, as_index=False).agg(
        from_source=("from_source", join), to_source=("to_source", join),
        from_source_title=("from_source_title", join), to_source_title=("to_source_title", join),
        derivation=("derivation", "first"))
    return pd.concat([frame[~dup], merged], ignore_index=True)[GROWTH_COLUMNS]


def growth(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year and compound annual growth together, newest first."""
    parts = [p for p in (yoy_growth(frame), cagr(frame)) if not p.empty]
    if not parts:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    out = _merge_sources(pd.concat(parts, ignore_index=True))
    return out.sort_values(["indicator", "geo", "measure", "to_period", "from_period"],
                           ascending=[True, True, False, False, False]).reset_index(drop=True)


def headline_figure(frame: pd.DataFrame, geos: set[str]) -> pd.Series | None:
    """The latest stated, reported figure of one indicator within the given geos."""
    rows = frame[(frame["status"] == "reported") & ~frame["derived"].astype(bool)
                 & frame["geo"].isin(geos)]
    if rows.empty:
        return None
    rows = rows.sort_values(["period_end", "period_start", "value"],
                            ascending=[False, True, False])
    return rows.iloc[0]


def headline_growth(head: pd.Series, same_indicator: pd.DataFrame,
                    growth_rows: pd.DataFrame) -> tuple[float, str, bool] | None:
    """Growth to show with a headline: stated year-on-year if a source gives it, else derived.

    Returns (growth %, label, derived?).
    """
    stated = growth_rows[(growth_rows["geo"] == head["geo"])
                         & (growth_rows["period"] == head["period"])]
    if not stated.empty:
        r = stated.iloc[0]
        return float(r["value"]), "year on year (stated)", False
    computed = yoy_growth(same_indicator)
    computed = computed[(computed["geo"] == head["geo"])
                        & (computed["to_period"] == head["period"])
                        & (computed["to_source"] == head["source"])]
    if computed.empty:
        return None
    r = computed.iloc[0]
    return float(r["growth_pct"]), f"vs {r['from_period']} (derived)", True
