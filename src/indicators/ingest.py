"""Read an uploaded CSV's bytes: size, encoding, delimiter, header and kind, then stage it."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from indicators import db, decoding, schema, settings
from indicators.problems import Problem

# One setting, one limit in bytes for the CLI and the browser: a megabyte is 1,000,000
# bytes here, since Streamlit's uploader counts server.maxUploadSize in 1000s or 1024s
# depending on the visitor's platform. Every file, however it arrives, is then checked
# against max_bytes() by parse().
MEGABYTE = 1_000_000
STAGE = "_stage"
_RAW = "_raw"
TYPED = "_typed"  # a rates file read typed (typed_rates), instead of STAGE
_NONSPACE = re.compile(r"\S")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def max_bytes() -> int:
    """The upload size limit: $INDICATORS_MAX_UPLOAD_MB megabytes, else 50 MB."""
    return int(settings.MAX_UPLOAD_MB.get() * MEGABYTE)


def max_megabytes() -> int:
    """The limit in whole megabytes (rounded up), as Streamlit's upload setting takes it."""
    return -(-max_bytes() // MEGABYTE)


class Rejected(Exception):
    """The file as a whole cannot be read; carries the problems that say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ParsedFile:
    """A readable CSV: its dialect, header mapping and a UTF-8 copy DuckDB can scan."""

    kind: str
    origin: str
    sha256: str
    encoding: str
    delimiter: str
    columns: dict[str, int]  # canonical column -> position in the file
    header: list[str]
    text_path: Path
    has_quotes: bool
    line_count: int = 0  # physical lines in the file, header included
    # DuckDB's number parsing takes 1_000; ours does not (see typed_rates).
    has_underscores: bool = True
    notices: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory | None = None
    # When DuckDB scans the user's own file (no copy): its size and mtime when it was read.
    source_stat: tuple[int, int] | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> ParsedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def size_problem(size: int, limit: int | None = None) -> Problem | None:
    """The refusal for a file over the limit, decided from its size alone."""
    limit = max_bytes() if limit is None else limit
    if size <= limit:
        return None
    return Problem(None, None, f"{size / MEGABYTE:.1f} MB ({size:,} bytes)",
                   f"a file of at most {limit / MEGABYTE:.0f} MB ({limit:,} bytes, the upload "
                   "limit, "
                   f"set by {settings.MAX_UPLOAD_MB.name}); split the file or raise the limit")


MAX_COLUMNS = 200  # the figures format has 12; extra columns are ignored, within reason
# C0 controls other than tab and line ends, DEL and the C1 controls (what cp1252 bytes read as
# Latin-1 become): never in a CSV of ours, and invisible in every view.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROLS_LISTED = 20


# The same characters as bytes, for ASCII text (which cannot hold the C1 controls).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def control_problems(text: str) -> list[Problem]:
    """A problem (line and column of the character) for each control character, anywhere."""
    if text.isascii():
        # Most files: one pass in C over the bytes finds none (a regular expression over
        # a 36 MB text took 0.6-0.7 s of an import; issue 15). Else the listing below.
        data = text.encode("ascii")
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return []
    out = []
    for i, m in enumerate(_CONTROL.finditer(text)):
        if i == CONTROLS_LISTED:
            out.append(Problem(None, None, None, "no control characters (more were found)"))
            break
        at = m.start()
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        out.append(Problem(line, None, f"U+{ord(m.group()):04X} at character {column}",
                           "text without NUL or other control characters"))
    return out


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(b < 9 or 13 < b < 32 or b == 127 for b in head)
    return controls > len(head) // 100


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes to text, naming the encoding used; refuses binary files."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 with BOM"), "UTF-8 with BOM"
    if data.startswith(b"\xff\xfe"):
        return _strict(data[2:], "utf-16-le", "UTF-16"), "UTF-16 LE with BOM"
    if data.startswith(b"\xfe\xff"):
        return _strict(data[2:], "utf-16-be", "UTF-16"), "UTF-16 BE with BOM"
    head = data[:8192]
    if _looks_binary(head):
        hint = ""
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            hint = " (an Excel workbook or other archive: in Excel, use Save As > CSV)"
        elif head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            hint = " (if it is UTF-16 text, save it with a byte-order mark, or as UTF-8)"
        raise Rejected([Problem(None, None, None,
                                "a CSV text file; this looks like a binary file" + hint)])
    return _decode_without_bom(data)


def _decode_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-8, else Windows-1251, Windows-1252 or Latin-1; UTF-8 with broken bytes is refused."""
    try:
        return decoding.decode_csv_legacy(data)
    except decoding.BrokenUtf8 as broken:
        raise Rejected([Problem(broken.line, None, None, (
            f"valid UTF-8 text (byte {broken.offset} is {broken.byte!r}, which cannot be "
            "UTF-8; the file mixes encodings: save it again as UTF-8)"))]) from None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        problem = Problem(None, None, None, f"valid {name} text (byte {exc.start} cannot be "
                                            "decoded)")
        raise Rejected([problem]) from exc


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: _count_outside_quotes(first_line, d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delim: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            n += 1
    return n


def canonical(name: str) -> str:
    """Header text as a column name: case, spaces and a stray BOM do not matter."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split()).replace(" ", "_")


def infer_kind(names: list[str]) -> str | None:
    present = set(names)
    for kind, table in (("figures", schema.FIGURES), ("rates", schema.RATES)):
        if set(table.csv_required) <= present:
            return kind
    return None


def _closest_kind(names: list[str]) -> str | None:
    """The kind whose required columns the header mostly has, to name what is missing."""
    present = set(names)
    best, score = None, 0
    for kind, table in schema.CSV_KINDS.items():
        hits = len(set(table.csv_required) & present)
        if hits > score and hits * 2 >= len(table.csv_required):
            best, score = kind, hits
    return best


def parse(data: bytes, *, origin: str, kind: str | None = None,
          limit: int | None = None, source: Path | None = None,
          source_stat: tuple[int, int] | None = None) -> ParsedFile:
    """Check size, decode, sniff and map the header; raises Rejected with every reason.

    `source` is the file `data` was read from, with its (size, mtime) before the read:
    a plain UTF-8 file is then scanned where it is instead of being copied (a 36 MB file
    took 0.2 s to copy), and staging refuses it if it changed since (see `stage`).
    """
    too_big = size_problem(len(data), limit)
    if too_big:
        raise Rejected([too_big])
    empty = Problem(None, None, None, "a header line and at least one row; the file is empty")
    if not data:
        raise Rejected([empty])
    text, encoding = _decode(data)
    crlf = "\r" in text
    if crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = control_problems(text)
    if controls:
        raise Rejected(controls)
    if not _NONSPACE.search(text):
        raise Rejected([empty])
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    widest = max(first.count(d) for d in DELIMITERS) + 1
    if widest > MAX_COLUMNS:  # checked before the header is parsed: 100,000 columns took 247 s
        raise Rejected([Problem(1, None, f"{widest:,} columns",
                                f"at most {MAX_COLUMNS} columns in the header")])
    delim = _sniff_delimiter(first)
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=delim))
    except (csv.Error, StopIteration):
        header = []
    names = [canonical(h) for h in header]
    inferred = infer_kind(names)
    if kind is None:
        kind = inferred or _closest_kind(names)
    if kind not in schema.CSV_KINDS:
        want = " or ".join(
            f"{k} ({','.join(t.csv_required)})" for k, t in schema.CSV_KINDS.items())
        raise Rejected([Problem(1, None, first[:200],
                                f"a header naming the columns of {want}; the kind of "
                                "file cannot be recognised from this header")])
    table = schema.CSV_KINDS[kind]
    problems = [Problem(1, col, None, f"a '{col}' column (required for {kind})")
                for col in table.csv_required if col not in names]
    dupes = {n for n in names if names.count(n) > 1 and n in table.csv_columns}
    problems += [Problem(1, d, None, "each column once; it appears twice") for d in sorted(dupes)]
    if problems:
        raise Rejected(problems)
    columns = {n: i for i, n in enumerate(names) if n in table.csv_columns}
    notices = [f"Read as {encoding}, delimiter {DELIMITERS[delim]}"
               + (", Windows (CRLF) line ends." if crlf else ".")]
    ignored = [h for h, n in zip(header, names, strict=True) if n not in table.csv_columns]
    if ignored:
        notices.append("Ignored extra column(s): " + ", ".join(repr(i) for i in ignored) + ".")
    if first_nl < 0 or not _NONSPACE.search(text, first_nl + 1):
        raise Rejected([Problem(2, None, None, "at least one data row after the header")])
    plain = encoding == "UTF-8" and not crlf
    tmp: tempfile.TemporaryDirectory | None = None
    if plain and source is not None and source_stat is not None \
            and not _GLOB.search(str(source)) and Path(source).is_file():
        path = Path(source)  # scanned as given, checked unchanged after staging
    else:
        source_stat = None
        tmp = tempfile.TemporaryDirectory(prefix="indicators-upload-")
        # The user's file name is only a label; the copy gets a fixed name of our own.
        path = Path(tmp.name) / "upload.csv"
        # Plain UTF-8 with LF line ends is scanned as given; anything else is rewritten.
        path.write_bytes(data if plain else text.encode("utf-8"))
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return ParsedFile(kind=kind, origin=origin, sha256=hashlib.sha256(data).hexdigest(),
                      encoding=encoding, delimiter=delim, columns=columns, header=header,
                      text_path=path, has_quotes='"' in text, line_count=lines,
                      has_underscores="_" in text,
                      notices=notices, _tmp=tmp, source_stat=source_stat)


# DuckDB's read_csv expands these in a path; such a file is copied under a plain name.
_GLOB = re.compile(r"[*?\[\]{}]")


def file_stat(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def read_options(parsed: ParsedFile, types: dict[str, str]) -> dict[str, str]:
    """read_csv options for the file's records: columns c0, c1, … by position, each of
    type VARCHAR unless `types` (canonical column name -> SQL type) says otherwise."""
    by_position = {i: types.get(name, "VARCHAR") for name, i in parsed.columns.items()}
    cols = "{" + ", ".join(f"'c{i}': '{by_position.get(i, 'VARCHAR')}'"
                           for i in range(len(parsed.header))) + "}"
    return {
        "delim": db.sql_literal(parsed.delimiter), "quote": "'\"'", "escape": "'\"'",
        "header": "false", "skip": "1", "auto_detect": "false", "columns": cols,
        "strict_mode": "true", "null_padding": "false",
        "max_line_size": "10000000", "encoding": "'utf-8'",
    }


def picks(parsed: ParsedFile) -> str:
    """The SELECT list naming the file's known columns by their canonical names."""
    return ", ".join(f'c{i} AS "{name}"' for name, i in parsed.columns.items())


def stage(conn: db.Connection, parsed: ParsedFile) -> int:
    """Load every field as text into a temp table, one row per record, in file order.

    `_stage` is a view adding `_row`, the 0-based record index that LineMap turns into a
    line number. Records DuckDB cannot split into the header's fields go to `_rejects`.
    """
    options = read_options(parsed, {}) | {
        "store_rejects": "true", "rejects_table": "'_rejects'",
        "rejects_scan": "'_reject_scans'"}
    for name in (STAGE,):
        conn.execute(f"DROP VIEW IF EXISTS {name}")
    for name in (_RAW, "_rejects", "_reject_scans"):
        conn.execute(f"DROP TABLE IF EXISTS {name}")
    try:
        conn.execute(f"CREATE TEMP TABLE {_RAW} AS SELECT {picks(parsed)} FROM "
                     f"{db.read_csv_sql(options)}",
                     [str(parsed.text_path)])
    except db.Error as exc:
        # The reader gave up on the file as a whole (not one record); say so, in its words.
        first = db.redact(str(exc)).split("\n", 1)[0][:300]
        raise Rejected([Problem(None, None, None, f"a CSV file DuckDB can read ({first})")]) \
            from exc
    if changed(parsed):
        conn.execute(f"DROP TABLE IF EXISTS {_RAW}")
        raise Rejected([Problem(None, None, None, "a file that does not change while it is "
                                "imported; it changed after it was read, so try again")])
    # In a transaction rowids start at a large offset; subtract it once, in the view.
    offset = conn.execute(f"SELECT min(rowid) FROM {_RAW}").fetchone()[0] or 0
    conn.execute(f"CREATE TEMP VIEW {STAGE} AS SELECT rowid - {int(offset)} AS _row, * "
                 f"FROM {_RAW}")
    return conn.execute(f"SELECT count(*) FROM {_RAW}").fetchone()[0]


def changed(parsed: ParsedFile) -> bool:
    """Whether the user's own file, scanned where it is, changed since it was read."""
    return parsed.source_stat is not None and file_stat(parsed.text_path) != parsed.source_stat


def structure_problems(conn: db.Connection, parsed: ParsedFile) -> list[Problem]:
    """Records with too many or too few fields or an unclosed quote, with their line numbers."""
    rows = conn.execute(
        "SELECT line_byte_position, any_value(error_type), any_value(csv_line), "
        "any_value(error_message) FROM _rejects GROUP BY ALL ORDER BY 1").fetchall()
    if not rows:
        return []
    width = len(parsed.header)
    data = parsed.text_path.read_bytes()
    out = []
    for pos, kind, text, message in rows:
        line = data.count(b"\n", 0, int(pos)) + 1
        shown = (text or "").strip("\n")[:80]
        if kind in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            found = re.search(r"Found: (\d+)", message or "")
            got = f", found {found[1]}" if found else ""
            out.append(Problem(line, None, shown, f"{width} fields like the header{got}"))
        elif kind == "UNQUOTED VALUE":
            out.append(Problem(line, None, shown,
                               'a closing quote (") for the quoted value opened on this line'))
        else:
            out.append(Problem(line, None, shown, f"a well-formed record ({message})"))
    return out


class LineMap:
    """Maps a staged row index (0-based, in file order) to its line number in the file."""

    def __init__(self, parsed: ParsedFile, rows: int | None = None):
        self._parsed = parsed
        # When every record is one line and no line is blank, record n is on line n + 2.
        self._direct = rows is not None and parsed.line_count == rows + 1
        self._starts: list[int] | None = None

    def __call__(self, row: int) -> int:
        if self._direct:
            return row + 2
        if self._starts is None:
            self._starts = self._scan()
        return self._starts[row] if row < len(self._starts) else row + 2

    def _scan(self) -> list[int]:
        starts = []
        old_limit = csv.field_size_limit(sys.maxsize)
        try:
            with open(self._parsed.text_path, encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh, delimiter=self._parsed.delimiter)
                start = 1
                try:
                    for record in reader:
                        if reader.line_num > 1 and record and len(record) == len(
                                self._parsed.header):
                            starts.append(start)
                        start = reader.line_num + 1
                except csv.Error:
                    pass
        finally:
            csv.field_size_limit(old_limit)
        return starts


_EXAMPLES = {
    "rates": [
        {"date": "2025-01-31", "base": "USD", "quote": "KZT", "rate": "512.34",
         "source": "nbk"},
        {"date": "2025-01-31", "base": "USD", "quote": "UZS", "rate": "12950.5",
         "source": "National Bank of Uzbekistan"},
    ],
    "figures": [
        {"indicator": "container_trains", "geo": "TITR via Kazakhstan (rail)",
         "period": "2025-Q1", "value": "125", "unit": "trains",
         "source_url": "https://example.org/article", "source_title": "Title of the article",
         "published": "2025-04-10",
         "quote": "125 container trains transited Kazakhstan via the Middle Corridor.",
         "status": "reported", "note": "", "derivation": ""},
    ],
}


def example_values(kind: str, column: str) -> list[str]:
    """The template's own example values of one column: placeholders, never real data."""
    return [row[column] for row in _EXAMPLES[kind] if row.get(column)]


def template(kind: str) -> str:
    """A CSV template for `kind`: every column of the format and example rows."""
    table = schema.CSV_KINDS[kind]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(table.csv_columns), lineterminator="\n")
    writer.writeheader()
    for row in _EXAMPLES[kind]:
        writer.writerow({c: row.get(c, "") for c in table.csv_columns})
    return buf.getvalue()


def unstage(conn: db.Connection) -> None:
    """Free the staged text (or typed rows) once no longer needed for reporting problems."""
    conn.execute(f"DROP VIEW IF EXISTS {STAGE}")
    conn.execute(f"DROP TABLE IF EXISTS {_RAW}")
    conn.execute(f"DROP TABLE IF EXISTS {TYPED}")
