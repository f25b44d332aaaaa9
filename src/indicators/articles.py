"""From an article (text, HTML file or URL) to candidate figure rows and a figures CSV."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass

import pandas as pd

from indicators import db, decoding, schema, workers
from indicators.extract import ExtractionResult, extract_figures
from indicators.fetch import typed

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much text one extraction reads and how long it may take."""

    chars: int
    seconds: float
    who: str


# A visitor cannot tie the server up; an editor's long article (200 kB reads in a few
# seconds) still fits. Measured in benchmarks/visitor_isolation.py.
VISITOR = Limits(chars=200_000, seconds=15.0, who="visitors")
EDITOR = Limits(chars=2_000_000, seconds=90.0, who="editors")
# Reading HTML (trafilatura) cannot stop half-way: the worker is killed this long after
# its budget.
KILL_AFTER = 30.0


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


def capped(article: Article, limits: Limits) -> tuple[Article, str]:
    """The article cut to `limits.chars` at a line end, and a note when it was cut."""
    text = article.text
    if len(text) <= limits.chars:
        return article, ""
    cut = text.rfind("\n", 0, limits.chars)
    if cut < limits.chars // 2:
        cut = limits.chars
    more = "" if limits is EDITOR else f" (editors may give {EDITOR.chars:,})"
    note = (f"Only the first {cut:,} of {len(text):,} characters were read: the limit for "
            f"{limits.who} is {limits.chars:,}{more}.")
    return Article(text[:cut], article.url, article.is_html), note


def extract_bounded(article: Article, *, catalogue: list[dict], limits: Limits,
                    title: str | None = None, published: str | None = None,
                    ) -> tuple[ExtractionResult, list[str]]:
    """`extract` on at most `limits.chars` characters, in a worker process, within
    `limits.seconds`; the result and notes on anything cut short.

    Raises workers.Busy, workers.Overrun or workers.Crashed (see indicators.workers).
    """
    article, note = capped(article, limits)
    result = workers.run(extract, article, catalogue=catalogue, title=title,
                         published=published, budget=limits.seconds,
                         timeout=limits.seconds + KILL_AFTER)
    return result, [n for n in (note, result.stopped_early) if n]


def extract(article: Article, *, catalogue: list[dict], title: str | None = None,
            published: str | None = None, budget: float | None = None) -> ExtractionResult:
    """Candidate figures of an article; with `budget`, reading stops after that many seconds."""
    deadline = time.monotonic() + budget if budget is not None else None
    result = extract_figures(article.text, catalogue=catalogue, url=article.url, title=title,
                             published=published, is_html=article.is_html, deadline=deadline)
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
