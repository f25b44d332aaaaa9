"""Readable numbers: 4.5 Mt, 56,500 TEU, 487.8 KZT per USD."""

from __future__ import annotations

import math

_SCALES = ((1e9, "bn"), (1e6, "M"), (1e3, "k"))
# Units that read better with an SI-style prefix than with "million".
_TONNES = {"t": ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt"))}


def number(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1e5:
        for scale, suffix in _SCALES:
            if abs(value) >= scale:
                return f"{value / scale:,.{digits}f} {suffix}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{max(digits, _significant_digits(value))}f}"


def _significant_digits(value: float) -> int:
    # Small rates such as 0.00205 need more decimals to show three significant figures.
    if value == 0:
        return 0
    return max(0, 2 - int(math.floor(math.log10(abs(value)))))


def quantity(value: float | None, unit: str) -> str:
    """A value with its unit, scaled for reading: 4500000 t -> '4.5 Mt'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in _TONNES and abs(value) >= 1e3:
        for scale, symbol in _TONNES[unit]:
            if abs(value) >= scale:
                return f"{value / scale:,.1f} {symbol}"
    if unit == "%":
        return f"{value:+,.1f}%"
    if unit == "x":
        return f"{value:,.1f}×"
    if unit in ("USD", "EUR"):
        sign = "$" if unit == "USD" else "€"
        return sign + number(value)
    if unit == "TEU" and abs(value) < 1e6:
        return f"{value:,.0f} TEU"
    return f"{number(value)} {unit}"


def rate(per_usd: float, currency: str) -> str:
    """487.8 KZT per USD."""
    return f"{number(per_usd)} {currency} per USD"
