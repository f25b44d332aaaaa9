"""Text from data made inert where it is rendered: Streamlit Markdown and Plotly's HTML subset.

Titles, quotes, source names, places, notes and indicator names come from files, articles and
feeds. Streamlit reads Markdown (links, images that make every visitor's browser fetch a URL,
bold, colours, LaTeX, HTML-looking text) in st.markdown, captions, metric labels and help,
alerts, expander and tab labels; Plotly reads a subset of HTML (<a href>, <b>, <br>, <span
style>) in hover text, legend names, axis and tick labels. Every value from data passes
through one of the two functions here before it is put into such a string.
"""

from __future__ import annotations

import re

from indicators.formatting import as_text

# Every ASCII punctuation mark that Markdown, Streamlit's directives (:red[..], :material/..:)
# or its LaTeX ($..$) give a meaning; CommonMark shows a backslash-escaped one literally.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^%@])")
_SPACES = re.compile(r"\s+")
# Streamlit's Markdown turns bare addresses into links after escapes are resolved (GFM
# autolink literals: http://, www., e-mail), so an escape cannot stop it; a zero-width
# space inside the marker does, and the text reads the same.
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@)")
ZERO_WIDTH = "\u200b"


def md(value: object) -> str:
    """Text from data for a Streamlit Markdown string: shown literally, on one line."""
    text = _SPACES.sub(" ", as_text(value)).strip()
    text = _AUTOLINK.sub(lambda m: m.group(1) + ZERO_WIDTH, text)
    return _MD_PUNCT.sub(r"\\\1", text)


def plotly(value: object) -> str:
    """Text from data for a Plotly label or hover: no tags, no entities, no template fields."""
    text = as_text(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Plotly substitutes %{..} in hover templates and texttemplates; a data value never does.
    return text.replace("%{", "%&#123;")


_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def web_url(value: object) -> str | None:
    """An http(s) URL from data, or None: other schemes (javascript:, data:, file:) are
    never made into links."""
    text = as_text(value).strip()
    if not text.lower().startswith(("http://", "https://")) or any(c.isspace() for c in text):
        return None
    return text


def md_link(text: object, url: object) -> str:
    """A Markdown link to an http(s) URL with inert text; other URLs are shown as text."""
    href = web_url(url)
    if href is None:
        return md(url)
    from urllib.parse import quote

    # Parentheses and angle brackets would end or break the Markdown link target.
    return f"[{md(text) or md(href)}]({quote(href, safe=_URL_SAFE)})"
