"""From an article (text, HTML file or URL) to candidate figure rows and a figures CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd
import requests

from indicators import db, schema
from indicators.extract import ExtractionResult, extract_figures
from indicators.fetch.errors import FetchError
from indicators.fetch.http import make_session

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass
class Article:
    text: str
    url: str | None
    is_html: bool | None


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def fetch_article(url: str, *, session=None) -> Article:
    """GET an article with the project's HTTP session (timeouts, retries, User-Agent)."""
    own = session is None
    session = session or make_session(retries=1)
    try:
        resp = session.get(url.strip())
    except requests.RequestException as exc:
        raise FetchError("article", url, f"could not fetch the page: {exc}") from exc
    finally:
        if own:
            session.close()
    kind = resp.headers.get("Content-Type", "")
    if "html" not in kind and "text" not in kind:
        raise FetchError("article", url,
                         f"expected an HTML or text page, got {kind or 'no content type'}")
    body = resp.content[:MAX_ARTICLE_BYTES]
    text = body.decode(resp.encoding or "utf-8", errors="replace")
    return Article(text, url.strip(), "html" in kind)


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
