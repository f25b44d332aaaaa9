"""Get an article's main text, title and date out of saved HTML with trafilatura, offline."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import trafilatura

HTML_HINT = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|article|div|p|span|meta)\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    text: str  # the article's main text, one paragraph a line
    title: str | None
    published: str | None  # YYYY-MM-DD as the page's metadata states it
    url: str | None  # canonical address, when the page names one
    visible_text: str  # all visible text, tickers and sidebars included


def looks_like_html(text: str) -> bool:
    return bool(HTML_HINT.search(text[:2000]))


def read_html(html: str, url: str | None = None) -> Page:
    """Main text and metadata of a saved page; never touches the network."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_recall=True, date_extraction_params={"original_date": True,
                                                   "extensive_search": False},
    )
    visible = _visible_text(html)
    if doc is None:
        return Page(visible, None, None, None, visible)
    return Page(doc.text or visible, doc.title or None, doc.date or None, doc.url or None,
                visible)


def _visible_text(html: str) -> str:
    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = (" ".join(t.split()) for t in root.itertext())
    return "\n".join(line for line in lines if line)
