"""Source identity: stable ids for articles and feeds, and publishers named from URLs."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

PUBLISHERS = {
    "timesca.com": "The Times of Central Asia",
    "astanatimes.com": "The Astana Times",
    "trend.az": "Trend News Agency",
    "qazinform.com": "Kazinform",
    "inform.kz": "Kazinform",
    "azernews.az": "AzerNews",
    "caspiannews.com": "Caspian News",
    "kursiv.media": "Kursiv Media",
    "eias.org": "European Institute for Asian Studies (EIAS)",
    "menafn.com": "MENAFN",
    "bank.gov.ua": "National Bank of Ukraine",
    "nationalbank.kz": "National Bank of Kazakhstan",
    "cbu.uz": "Central Bank of Uzbekistan",
    "nbt.tj": "National Bank of Tajikistan",
    "nbkr.kg": "National Bank of the Kyrgyz Republic",
    "cbt.tm": "Central Bank of Turkmenistan",
    "frankfurter.dev": "Frankfurter",
}


def source_id(url: str | None, title: str | None) -> str:
    """`src-` + 10 hex of SHA-1 of the URL (or of the title when there is no URL)."""
    key = url.strip() if url and url.strip() else "title:" + (title or "").strip()
    return "src-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def slug_id(text: str) -> str:
    """An id for a source named only by free text in a rates file."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48]
    return slug or source_id(None, text)


def publisher(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    for domain, name in PUBLISHERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host.removeprefix("www.") or None
