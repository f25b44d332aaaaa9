"""Bytes to text by a declared, sniffed or detected charset, never by a silent default.

Web pages: a byte-order mark, then the HTTP charset, then a `<meta charset>` in the first
kilobytes, then strict UTF-8, then detection. HTTP's historical ISO-8859-1 default for
`text/html` is never assumed, and the labels ISO-8859-1, Latin-1 and ASCII mean
Windows-1252, as browsers read them (WHATWG Encoding Standard).

CSV files without a byte-order mark: strict UTF-8; UTF-8 with a few broken bytes is refused
with the offset of the first one; otherwise one of Windows-1251, Windows-1252 or Latin-1.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# Browsers read these labels as Windows-1252 (the C1 range holds “ ” – € there).
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
              "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096

# The legacy 8-bit encodings a CSV may be in; charset-normalizer chooses among only these.
LEGACY_CSV = ("cp1251", "cp1252", "latin_1")
NAMES = {"cp1251": "Windows-1251", "cp1252": "Windows-1252", "latin_1": "Latin-1"}

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def codec(label: str | None) -> str | None:
    """The Python codec for a charset label as a browser reads it, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def page_charset(body: bytes, content_type: str = "") -> str:
    """The codec a web page (or text file) is read with, and never HTTP's default."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = _CHARSET_PARAM.search(content_type or "")
    found = codec(declared.group(1)) if declared else None
    if found is None:
        meta = _META_CHARSET.search(body[:_SNIFF_BYTES])
        found = codec(meta.group(1).decode("ascii", "ignore")) if meta else None
    if found is not None:
        # A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard says UTF-8).
        return "utf-8" if found.startswith("utf-16") else found
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return codec(best.encoding) if best is not None and codec(best.encoding) else "cp1252"


def decode_page(body: bytes, content_type: str = "") -> str:
    """A web page's or text file's bytes as text (see page_charset); a BOM is dropped."""
    name = page_charset(body, content_type)
    for bom, bom_codec in _BOMS:
        if name == bom_codec and body.startswith(bom):
            body = body[len(bom):]
            break
    return body.decode(name, errors="replace")


@dataclass(frozen=True)
class BrokenUtf8(ValueError):
    """Mostly UTF-8 bytes with some that cannot be UTF-8: the first one's offset and line."""

    offset: int
    line: int
    byte: bytes

    def __str__(self) -> str:
        return (f"byte {self.offset} (line {self.line}) is {self.byte!r}, which is not valid "
                "UTF-8")


def decode_csv_legacy(data: bytes) -> tuple[str, str]:
    """Text and encoding name for CSV bytes that are not strict UTF-8 (no BOM).

    Raises BrokenUtf8 when the file is UTF-8 with some broken bytes, so that it is never
    stored as mojibake; otherwise chooses among Windows-1251, Windows-1252 and Latin-1.
    """
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first = exc.start
    sample = data[:2_000_000]
    valid = len(_UTF8_SEQUENCE.findall(sample))
    invalid = len(re.findall(rb"[\x80-\xff]", sample)) - sum(
        len(m) for m in _UTF8_SEQUENCE.findall(sample))
    if valid and valid >= invalid:
        raise BrokenUtf8(first, data.count(b"\n", 0, first) + 1, data[first:first + 1])
    name = _legacy_codec(sample)
    return data.decode(name), NAMES[name]


def _legacy_codec(sample: bytes) -> str:
    """Windows-1251, Windows-1252 or Latin-1, chosen by charset-normalizer among only those."""
    matches = charset_normalizer.from_bytes(sample, cp_isolation=list(LEGACY_CSV))
    best = matches.best()
    name = codecs.lookup(best.encoding).name if best is not None else "cp1252"
    name = {"iso8859-1": "latin_1", "latin-1": "latin_1"}.get(name, name)
    if name not in LEGACY_CSV:
        name = "cp1252"
    c1 = re.search(rb"[\x80-\x9f]", sample) is not None
    if name == "latin_1" and c1 and _decodes(sample, "cp1252"):
        return "cp1252"  # C1 control characters are never meant in a CSV; cp1252 prints them
    if name == "cp1252" and not c1:
        return "latin_1"  # the same text either way; Latin-1 names it without claiming more
    if not _decodes(sample, name):
        return "latin_1"  # every byte is Latin-1
    return name


def _decodes(data: bytes, name: str) -> bool:
    try:
        data.decode(name)
        return True
    except UnicodeDecodeError:
        return False
