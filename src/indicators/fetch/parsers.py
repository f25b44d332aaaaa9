"""Pure parsers: one source's payload (bytes or str) in, the quotes it states out.

Every national bank here publishes "N units of a foreign currency = X units of ours", so
each quote has the foreign currency as `base` and the bank's currency as `quote`, with
rate = X / N. A parser raises ParseError naming what it expected when the payload has
another shape; it does not judge values (a zero or negative rate is returned, to be held
for review by the caller). An empty answer gives an empty list.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection
from datetime import date, datetime

from indicators.fetch.errors import ParseError
from indicators.fetch.model import Quote

Payload = bytes | str

_CODE = re.compile(r"[A-Z]{3}")
_NBKR_ROW = re.compile(
    r"<!--date-->\s*([^<]*?)\s*<!--date-->.*?<!--value-->\s*([^<]*?)\s*<!--value-->", re.DOTALL
)


def parse_nbk(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """National Bank of Kazakhstan, rss/get_rates.cfm: <rates><date>DD.MM.YYYY</date><item>…"""
    root = _xml_root(payload, "NBK", "rates")
    items = root.findall("item")
    date_text = _text(root.find("date"))
    if not date_text:
        if items:
            raise ParseError("NBK: expected a <date> in <rates>, found items without one")
        return []
    day = _date(date_text, "%d.%m.%Y", "NBK <date>")
    quotes = []
    for item in items:
        code = _code(_text(item.find("title")), "NBK <item><title>")
        if only is not None and code not in only:
            continue
        value = _number(_text(item.find("description")), f"NBK {code} <description>")
        quant = _nominal(_text(item.find("quant")), f"NBK {code} <quant>")
        quotes.append(Quote(day, code, "KZT", value / quant))
    return quotes


def parse_cbu(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """Central Bank of Uzbekistan, json/all/YYYY-MM-DD/: [{"Ccy", "Nominal", "Rate", "Date"}…]."""
    data = _json(payload, "CBU")
    if not isinstance(data, list):
        raise ParseError(f"CBU: expected a JSON array of rates, got {_json_kind(data)}")
    quotes = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise ParseError(f"CBU: expected an object at index {i}, got {_json_kind(entry)}")
        code = _code(entry.get("Ccy"), f"CBU [{i}].Ccy")
        if only is not None and code not in only:
            continue
        value = _number(entry.get("Rate"), f"CBU {code} Rate")
        nominal = _nominal(entry.get("Nominal"), f"CBU {code} Nominal")
        day = _date(entry.get("Date"), "%d.%m.%Y", f"CBU {code} Date")
        quotes.append(Quote(day, code, "UZS", value / nominal))
    return quotes


def parse_nbt(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """National Bank of Tajikistan, export_xml.php: <ValCurs Date="YYYY-MM-DD"><Valute>…"""
    root = _xml_root(payload, "NBT", "ValCurs")
    valutes = root.findall("Valute")
    if not root.get("Date"):
        if valutes:
            raise ParseError("NBT: expected a Date attribute on <ValCurs>")
        return []
    day = _date(root.get("Date"), "%Y-%m-%d", "NBT <ValCurs Date>")
    quotes = []
    for valute in valutes:
        code = _code(_text(valute.find("CharCode")), "NBT <Valute><CharCode>")
        if only is not None and code not in only:
            continue
        value = _number(_text(valute.find("Value")), f"NBT {code} <Value>")
        nominal = _nominal(_text(valute.find("Nominal")), f"NBT {code} <Nominal>")
        quotes.append(Quote(day, code, "TJS", value / nominal))
    return quotes


def parse_nbkr_daily(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """NBKR daily.xml or weekly.xml (windows-1251, decimal commas): <CurrencyRates Date=…>."""
    root = _xml_root(payload, "NBKR", "CurrencyRates")
    currencies = root.findall("Currency")
    if not root.get("Date"):
        if currencies:
            raise ParseError("NBKR: expected a Date attribute on <CurrencyRates>")
        return []
    day = _date(root.get("Date"), "%d.%m.%Y", "NBKR <CurrencyRates Date>")
    quotes = []
    for currency in currencies:
        code = _code(currency.get("ISOCode"), "NBKR <Currency ISOCode>")
        if only is not None and code not in only:
            continue
        value = _number(_text(currency.find("Value")), f"NBKR {code} <Value>", comma=True)
        nominal = _nominal(_text(currency.find("Nominal")), f"NBKR {code} <Nominal>")
        quotes.append(Quote(day, code, "KGS", value / nominal))
    return quotes


def parse_nbkr_history(payload: Payload, *, base: str = "USD", nominal: int = 1) -> list[Quote]:
    """NBKR history page index1.jsp?item=1562: rows marked <!--date-->…<!--value-->.

    The page lists one currency (chosen by valuta_id; USD is 15), per `nominal` units.
    """
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    dates, values = text.count("<!--date-->"), text.count("<!--value-->")
    rows = _NBKR_ROW.findall(text)
    if dates != 2 * len(rows) or values != 2 * len(rows):
        raise ParseError(
            "NBKR history: expected each row as <!--date-->DD.MM.YYYY<!--date--> followed by "
            f"<!--value-->N,NNNN<!--value-->; found {dates // 2} dates, {values // 2} values "
            f"and {len(rows)} complete rows"
        )
    return [
        Quote(_date(d, "%d.%m.%Y", "NBKR history date"), base, "KGS",
              _number(v, f"NBKR history value for {d}", comma=True) / nominal)
        for d, v in rows
    ]


def parse_cbt(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """Central Bank of Turkmenistan, kurs/YYYY/DDMMYYYY.xml: <cbt_currency_rate><date><rate>."""
    root = _xml_root(payload, "CBT", "cbt_currency_rate")
    rates = root.findall("rate")
    date_text = _text(root.find("date"))
    if not date_text:
        if rates:
            raise ParseError("CBT: expected a <date> in <cbt_currency_rate>")
        return []
    # DD.MM.YYYY since 2024, YYYY-MM-DD in the 2020-2023 files.
    fmt = "%Y-%m-%d" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_text) else "%d.%m.%Y"
    day = _date(date_text, fmt, "CBT <date>")
    quotes = []
    for rate in rates:
        code = _code(rate.get("code"), "CBT <rate code>")
        if only is not None and code not in only:
            continue
        value = _number(_text(rate.find("rate_tmt")), f"CBT {code} <rate_tmt>")
        multiplier = _nominal(_text(rate.find("multiplier")), f"CBT {code} <multiplier>")
        quotes.append(Quote(day, code, "TMT", value / multiplier))
    return quotes


def parse_frankfurter(payload: Payload, *, only: Collection[str] | None = None) -> list[Quote]:
    """Frankfurter v2 /v2/rates: [{"date": "YYYY-MM-DD", "base", "quote", "rate"}…].

    `only` filters on the quote currency (the base is the one requested).
    """
    data = _json(payload, "Frankfurter")
    if not isinstance(data, list):
        detail = _json_kind(data)
        if isinstance(data, dict) and "message" in data:
            detail += f" with message {str(data['message'])[:120]!r}"
        raise ParseError(f"Frankfurter: expected a JSON array of rate records, got {detail}")
    quotes = []
    for i, record in enumerate(data):
        if not isinstance(record, dict):
            raise ParseError(f"Frankfurter: expected an object at index {i}, "
                             f"got {_json_kind(record)}")
        quote = _code(record.get("quote"), f"Frankfurter [{i}].quote")
        if only is not None and quote not in only:
            continue
        base = _code(record.get("base"), f"Frankfurter [{i}].base")
        rate = record.get("rate")
        if isinstance(rate, bool) or not isinstance(rate, int | float):
            raise ParseError(f"Frankfurter [{i}] {base}/{quote}: expected a number in 'rate', "
                             f"got {rate!r}")
        day = _date(record.get("date"), "%Y-%m-%d", f"Frankfurter [{i}].date")
        quotes.append(Quote(day, base, quote, float(rate)))
    return quotes


def _xml_root(payload: Payload, who: str, tag: str) -> ET.Element:
    raw = payload.encode() if isinstance(payload, str) else payload
    if not raw.strip():
        return ET.Element(tag)  # an empty answer: no rates that day
    if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw[:2048]:
        raise ParseError(f"{who}: expected a plain XML <{tag}> document, got one with a DOCTYPE")
    try:
        root = ET.fromstring(payload)
    except ET.ParseError as exc:
        raise ParseError(f"{who}: malformed XML ({exc}); expected a <{tag}> document") from exc
    if root.tag != tag:
        raise ParseError(f"{who}: expected a <{tag}> document, got <{root.tag}>")
    return root


def _json(payload: Payload, who: str) -> object:
    if not (payload.strip() if isinstance(payload, str) else payload.strip()):
        return []
    try:
        return json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{who}: malformed JSON ({exc})") from exc


def _json_kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), repr(value))


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip()


def _code(value: object, what: str) -> str:
    if not isinstance(value, str) or not _CODE.fullmatch(value.strip()):
        raise ParseError(f"{what}: expected a three-letter currency code, got {value!r}")
    return value.strip()


def _number(value: object, what: str, *, comma: bool = False) -> float:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and comma:
        text = text.replace(",", ".")
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParseError(f"{what}: expected a number, got {value!r}") from None
    return number


def _nominal(value: object, what: str) -> int:
    try:
        nominal = int(str(value).strip())
    except ValueError:
        raise ParseError(f"{what}: expected a whole number of units, got {value!r}") from None
    if nominal <= 0:
        raise ParseError(f"{what}: expected a positive number of units, got {value!r}")
    return nominal


def _date(value: object, fmt: str, what: str) -> date:
    shown = fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
    try:
        return datetime.strptime(str(value).strip(), fmt).date()
    except ValueError:
        raise ParseError(f"{what}: expected a date as {shown}, got {value!r}") from None
