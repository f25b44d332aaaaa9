"""Readable numbers: 487.8 KZT per USD, 4.5 Mt, 56,500 TEU, +34.4%."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from indicators import codes

_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SHORT = ((1e12, "tn"), (1e9, "bn"), (1e6, "M"))
# Units that read better with an SI prefix than with "million".
_PREFIXED = {"t": ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt"))}
_MONEY = {"USD": "$", "EUR": "€"}
_SCALE_WORDS = {1e3: "thousand", **dict(_WORDS)}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def as_text(value: object) -> str:
    """Text from data as a str; a missing value (None, NaN, pd.NA, NaT) is ''.

    Stored text columns come back from pandas with NaN or pd.NA where a value is missing,
    and both are truthy, so `value or default` is not enough.
    """
    if _missing(value) or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def _significant_decimals(value: float, significant: int = 3) -> int:
    # Small rates such as 0.00205 need more decimals to keep three significant figures.
    if value == 0:
        return 0
    return max(0, significant - 1 - int(math.floor(math.log10(abs(value)))))


def number(value: float | None, digits: int = 1) -> str:
    """12,650.3; 0.00205; 4.5 million. Integers keep no decimals."""
    if _missing(value):
        return "–"
    value = float(value)
    if abs(value) >= 1e6:
        for scale, word in _WORDS:
            if abs(value) >= scale:
                return f"{value / scale:,.{digits}f} {word}"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{max(digits, _significant_decimals(value))}f}"


def quantity(value: float | None, unit: str) -> str:
    """A value with its unit, scaled for reading: 4500000 t -> '4.5 Mt'."""
    if _missing(value):
        return "–"
    value = float(value)
    if unit in _PREFIXED and abs(value) >= 1e3:
        for scale, symbol in _PREFIXED[unit]:
            if abs(value) >= scale:
                return f"{value / scale:,.1f} {symbol}"
    if unit == "%":
        return percent(value)
    if unit == "x":
        return f"{value:,.1f}×"
    if unit in _MONEY:
        if abs(value) >= 1e6:
            for scale, short in _SHORT:
                if abs(value) >= scale:
                    return f"{_MONEY[unit]}{value / scale:,.1f} {short}"
        return f"{_MONEY[unit]}{value:,.0f}"
    if abs(value) < 1e6 and value.is_integer():
        return f"{value:,.0f} {unit}"
    return f"{number(value)} {unit}"


@dataclass(frozen=True)
class AxisScale:
    """The one scale a value axis reads in: its ticks divided by `divisor`, written as
    `template` (e.g. '{} Mt'), and the unit in words for the axis title."""

    divisor: float
    template: str
    words: str

    def tick(self, value: float, decimals: int) -> str:
        if value == 0:
            return "0"
        return self.template.format(f"{value / self.divisor:,.{decimals}f}")


def axis_scale(peak: float, unit: str) -> AxisScale:
    """How an axis whose largest tick is `peak` writes its ticks, in the same style as
    `quantity`: tonnes with an SI prefix (4.5 Mt), money as $4.5 bn, other units in plain
    numbers (56,500 TEU) or, from a million, in millions with the title saying so."""
    peak = abs(float(peak))
    words = unit_name(unit)
    if unit in _PREFIXED:
        for scale, symbol in _PREFIXED[unit]:
            if peak >= scale:
                return AxisScale(scale, f"{{}} {symbol}",
                                 f"{_SCALE_WORDS[scale]} {words}")
    if unit in _MONEY:
        for scale, short in _SHORT:
            if peak >= scale:
                return AxisScale(scale, f"{_MONEY[unit]}{{}} {short}",
                                 f"{_SCALE_WORDS[scale]} {words}")
        return AxisScale(1.0, f"{_MONEY[unit]}{{}}", words)
    for scale, word in _WORDS:
        if peak >= scale:
            return AxisScale(scale, "{}", f"{word} {words}")
    return AxisScale(1.0, "{}", words)


def percent(value: float | None, digits: int = 1) -> str:
    """+34.4%; a sign always, because these are changes, except for a change that rounds to
    zero: "0.00%", never "-0.00%"."""
    if _missing(value):
        return "–"
    if round(float(value), digits) == 0:
        return f"{0:.{digits}f}%"
    return f"{float(value):+,.{digits}f}%"


def rate(value: float | None, currency: str, per: str = "USD") -> str:
    """487.8 KZT per USD (or 0.00205 USD per KZT with currency='USD', per='KZT')."""
    return f"{number(value)} {currency} per {per}"


def rate_value(value: float | None) -> str:
    """A rate without unit, with enough decimals for three significant figures."""
    if _missing(value):
        return "–"
    value = float(value)
    if abs(value) >= 1e6:
        return number(value)
    decimals = max(1, _significant_decimals(value)) if abs(value) < 1000 else 1
    return f"{value:,.{decimals}f}"


def headline_rate(value: float | None) -> str:
    """A rate for a headline card: 12,150 rather than 12,149.84; 472.3; 9.33."""
    if _missing(value):
        return "–"
    value = float(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else rate_value(value)


def day(value: date | datetime | str | None) -> str:
    """2026-04-03; an empty dash for a missing date."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value[:10]
    try:
        return value.strftime("%Y-%m-%d")
    except ValueError:  # NaT
        return "–"


def count(value: int, noun: str, plural: str | None = None) -> str:
    """1 rate, 2,005 rates."""
    word = noun if value == 1 else (plural or noun + "s")
    return f"{value:,} {word}"


def truncate(text: str | None, limit: int) -> str:
    """Cut long text at a word boundary with an ellipsis; None becomes ''."""
    text = " ".join(as_text(text).split())
    if not text:
        return ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def wrap(text: str | None, width: int = 60, sep: str = "<br>") -> str:
    """Break text into lines of about `width` characters for Plotly hover labels."""
    words, lines, line = as_text(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    return sep.join(lines)


UNIT_NAMES = {"t": "tonnes", "TEU": "TEU", "x": "times", "%": "%", "USD": "US dollars",
              "EUR": "euros", "KZT": "tenge", "tkm": "tonne-km", "t/month": "tonnes per month",
              "km/day": "km per day", "trains/day": "trains per day"}


def unit_name(unit: str) -> str:
    """The unit spelt out for an axis title: t -> tonnes."""
    return UNIT_NAMES.get(unit, unit)


def source_label(title: str | None, kind: str | None, publisher: str | None = None) -> str:
    """A short name for a legend: 'National Bank of Ukraine (official cross rate)'."""
    full = as_text(publisher).strip() or as_text(title).strip() or "unknown source"
    name = full.split(" (")[0].split(":")[0].strip() or full
    kind = as_text(kind)
    kind_text = codes.SOURCE_KIND.label.get(kind, kind)
    return f"{name} ({kind_text})" if kind_text else name


def age(as_of: date | datetime | str | None, today: date) -> str:
    """How old a value is against today, for a card: '8 months old', '2 years old'; '' when
    it is less than a month old."""
    if as_of is None or (isinstance(as_of, float) and math.isnan(as_of)):
        return ""
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of[:10])
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    days = (today - as_of).days
    if days < 31:
        return ""
    months = days // 30
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''} old"
    return f"{days // 365} years old"
