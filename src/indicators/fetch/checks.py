"""Sanity checks that hold an absurd fetched rate for review instead of storing it."""

from __future__ import annotations

import math
from datetime import date

MAX_JUMP = 0.5  # a move of more than 50% from the previous stored rate is held


def hold_reason(rate: float, previous: float | None,
                previous_date: date | None = None) -> str | None:
    """Why `rate` must be held for review, or None when it may be stored."""
    if not math.isfinite(rate) or rate <= 0:
        return f"rate {rate!r} is not a positive finite number"
    if previous is not None and math.isfinite(previous) and previous > 0:
        change = rate / previous - 1
        if abs(change) > MAX_JUMP:
            when = f" on {previous_date:%Y-%m-%d}" if previous_date else ""
            return f"jump of {change:+.0%} from {previous:g}{when}"
    return None
