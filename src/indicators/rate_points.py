"""What a stored rate point means, for sources whose points are not a market rate on their date.

HM Revenue & Customs publishes a monthly customs rate that is fixed in advance: the rate for
month M is set from the market on the penultimate Thursday of month M-1 and applies to the
whole of month M. It is stored at the first day of M (HMRC's own label for it: "rates for
September 2026"), drawn as a step over the month, and every hover and table row says when
it was set, so that it is never read as a market rate on the first of the month.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pandas as pd

# Sources whose rate for a month is set in advance, on the penultimate Thursday before it.
SET_IN_ADVANCE = {"hmrc-monthly": "HMRC customs rate"}
THURSDAY = 3


def penultimate_thursday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    last_thursday = last - timedelta(days=(last.weekday() - THURSDAY) % 7)
    return last_thursday - timedelta(days=7)


def set_on(applies: date) -> date:
    """The day a month's rate was set: the penultimate Thursday of the month before."""
    prev = applies.replace(day=1) - timedelta(days=1)
    return penultimate_thursday(prev.year, prev.month)


# What a set-in-advance point is, with its fields: `month` and `day` are the date it applies
# from (the first of the month), `fixed` the day it was set. One sentence for the table and
# for the chart's hover, which fills `month` and `day` from the point's x in the browser.
MEANING = ("{label} for {month}, in force the whole month; set in advance from the market of "
           "about {fixed} (penultimate Thursday of the month before), not a market rate of "
           "{day}")
MONTH_FORMAT, DAY_FORMAT, FIXED_FORMAT = "%B %Y", "%d %b", "%a %d %b %Y"


def set_on_label(applies) -> str:
    """The day a month's rate was set, as the meaning names it (Thu 20 Aug 2026)."""
    return f"{set_on(pd.Timestamp(applies).date()):{FIXED_FORMAT}}"


def meaning(source: str, when) -> str:
    """One line saying what the point is, or '' for an ordinary rate of its date."""
    label = SET_IN_ADVANCE.get(source)
    if label is None or when is None or pd.isna(when):
        return ""
    d = pd.Timestamp(when).date()
    return MEANING.format(label=label, month=f"{d:{MONTH_FORMAT}}", day=f"{d:{DAY_FORMAT}}",
                          fixed=set_on_label(d))


def add_meaning(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `point_note` (see `meaning`) to a frame with `source` and `date` columns."""
    out = frame.copy()
    if out.empty:
        out["point_note"] = pd.Series(dtype=str)
        return out
    mask = out["source"].isin(list(SET_IN_ADVANCE))
    notes = pd.Series("", index=out.index, dtype=object)
    if mask.any():
        notes[mask] = [meaning(s, d) for s, d in zip(out.loc[mask, "source"],
                                                     out.loc[mask, "date"], strict=True)]
    out["point_note"] = notes
    return out


def is_stepped(source: str) -> bool:
    """Drawn as a step over the period it applies to."""
    return source in SET_IN_ADVANCE
