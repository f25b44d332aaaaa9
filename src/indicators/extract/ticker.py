"""Read currency-ticker lines such as `KZT/USD = 0.00205 0%` as exchange-rate rows."""

from __future__ import annotations

import re

from indicators import iso4217
from indicators.extract.model import Rate

TICKER = re.compile(
    r"\b(?P<base>[A-Z]{3})\s*/\s*(?P<quote>[A-Z]{3})\s*=\s*(?P<rate>\d+(?:[.,]\d+)?)"
    r"(?:[ \t]+(?P<change>[+\-−]?\d+(?:[.,]\d+)?)\s*%)?"
)




def find_rates(text: str, *, date: str | None, source_url: str | None = None) -> list[Rate]:
    """Ticker rates in `text`, each pair once (tickers repeat themselves to scroll)."""
    seen: set[tuple[str, str, float]] = set()
    out: list[Rate] = []
    for m in TICKER.finditer(text):
        base, quote = m["base"], m["quote"]
        if not (iso4217.is_valid(base) and iso4217.is_valid(quote)):
            continue
        rate = float(m["rate"].replace(",", "."))
        if rate <= 0 or (base, quote, rate) in seen:
            continue
        seen.add((base, quote, rate))
        change = m["change"]
        out.append(Rate(date, base, quote, rate,
                        float(change.replace(",", ".").replace("−", "-")) if change else None,
                        source_url, m.group()))
    return out


def ticker_spans(text: str) -> list[tuple[int, int]]:
    """Where ticker quotes sit, so that figure extraction leaves them alone."""
    return [m.span() for m in TICKER.finditer(text)]
