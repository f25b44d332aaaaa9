"""Split article text into sentences, keeping each one verbatim with its offset."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words whose trailing full stop does not end a sentence.
ABBREVIATIONS = frozenset((
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr",
    "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "approx", "inc", "ltd", "co",
    "corp", "dept", "est", "fig", "gov", "gen", "sen", "rep", "jr", "sr", "mln", "bln", "bn",
    "mn", "thsd", "thous", "ths", "trln", "tln", "mlrd", "pp", "p", "ca", "cf", "vol", "art",
))
END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]*[A-Z0-9$€£])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LOOKBACK = 40  # longer than any abbreviation or dotted acronym
PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[•\-*–]\s)|\n")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the whole text
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order; a line break always ends a sentence."""
    out: list[Sentence] = []
    para = 0
    pos = 0
    for block in PARAGRAPH.split(text):
        offset = text.find(block, pos)
        pos = offset + len(block)
        if not block.strip():
            continue
        for start, end in _split_block(block):
            piece = block[start:end]
            stripped = piece.strip().lstrip("•*–- \t")
            if stripped:
                out.append(Sentence(stripped, offset + start + piece.find(stripped), para))
        para += 1
    return out


def _split_block(block: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in END.finditer(block):
        if _is_abbreviation(block, m.start()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(block)))
    return [(a, b) for a, b in spans if block[a:b].strip()]


def _is_abbreviation(block: str, dot: int) -> bool:
    if block[dot] != ".":
        return False
    # Only the few characters before the stop: searching the whole block before every
    # stop made splitting quadratic (a 1 MB paste took minutes).
    word = _WORD_BEFORE.search(block, max(0, dot - _LOOKBACK), dot)
    if not word:
        return False
    w = word.group(1)
    # Initials and dotted acronyms: "U.S.", "J. Smith".
    if len(w) == 1 and w.isupper() or "." in w:
        return True
    return w.lower() in ABBREVIATIONS
