"""From an article (text, HTML file or URL) to candidate figure rows and a figures CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

from indicators import db, decoding, schema
from indicators.extract import ExtractionResult, extract_figures
from indicators.fetch import typed

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass
class Article:
    text: str
    url: str | None
    is_html: bool | None


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def fetch_article(url: str) -> Article:
    """GET an article a person named, under the typed-URL rules (see indicators.fetch.typed).

    Raises FetchError with a plain problem; the caller decides who may fetch at all.
    """
    page = typed.fetch_page(url, max_bytes=MAX_ARTICLE_BYTES, accept=_text_only)
    is_html = "html" in page.content_type.lower()
    return Article(decoding.decode_page(page.body, page.content_type), url.strip(), is_html)


def from_bytes(data: bytes) -> Article:
    """A saved page or text file, read by its BOM, meta charset or detected charset."""
    return Article(decoding.decode_page(data), None, None)


def _text_only(content_type: str) -> str | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    if "html" in kind or kind.startswith("text/") or kind in ("", "application/xml"):
        return None
    return f"expected an HTML or text page, got {kind[:60]!r}"


def catalogue(conn: db.Connection) -> list[dict]:
    return conn.execute("SELECT id, name, unit, category, description FROM indicators").df() \
        .fillna("").to_dict("records")


# A per-year quantity is stored in the indicator's base unit (see the catalogue's notes).
_PER_YEAR = {"t/yr": "t", "TEU/yr": "TEU"}


def extract(article: Article, *, catalogue: list[dict], title: str | None = None,
            published: str | None = None) -> ExtractionResult:
    result = extract_figures(article.text, catalogue=catalogue, url=article.url, title=title,
                             published=published, is_html=article.is_html)
    units = {c["id"]: c["unit"] for c in catalogue}
    for f in result.figures:
        base = _PER_YEAR.get(f.unit)
        if base and units.get(f.indicator) == base:
            f.note = "; ".join(n for n in (f.note, f"stated per year ({f.unit})") if n)
            f.unit = base
    return result


def ticker_source(url: str | None, title: str | None) -> str:
    """The rates source a page's currency ticker is filed under."""
    if url and "timesca.com" in url:
        return "timesca-ticker"
    return title or url or "Article ticker"


def rates_csv(frame: pd.DataFrame, source: str) -> bytes:
    """Ticker rates found on a page as a rates CSV (undated rows cannot be stored)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.RATES.csv_columns)
    for row in frame.itertuples(index=False):
        writer.writerow([row.date or "", row.base, row.quote, repr(float(row.rate)), source])
    return buf.getvalue().encode("utf-8")


def figures_csv(frame: pd.DataFrame) -> bytes:
    """Accepted review rows as a figures CSV, the format every upload goes through."""
    cols = list(schema.FIGURES.csv_columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in frame[cols].itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and v != v) else v
                         for v in row])
    return buf.getvalue().encode("utf-8")
