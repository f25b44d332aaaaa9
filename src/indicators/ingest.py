"""Read an uploaded CSV's bytes: size, encoding, delimiter, header and kind, then stage it."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from indicators import db, schema
from indicators.problems import Problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ENV_MAX_BYTES = "INDICATORS_MAX_UPLOAD_MB"
STAGE = "_stage"


def max_bytes() -> int:
    env = os.environ.get(ENV_MAX_BYTES)
    return int(float(env) * 1024 * 1024) if env else DEFAULT_MAX_BYTES


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
    notices: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> ParsedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes to text, naming the encoding used; refuses binary files."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 with BOM"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16"), "UTF-16"
    head = data[:8192]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 100:
        raise Rejected([Problem(None, None, None,
                                "a CSV text file; this looks like a binary file")])
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0x80]
    # Cyrillic text in Windows-1251 is mostly bytes 0xC0-0xFF (А-я); Latin-1 text uses
    # them only for scattered accented letters between ASCII ones.
    cyr = sum(b >= 0xC0 for b in high)
    pairs = sum(1 for a, b in zip(data, data[1:], strict=False) if a >= 0xC0 and b >= 0xC0)
    if high and cyr / len(high) > 0.8 and pairs >= max(1, len(high) // 4):
        return data.decode("cp1251"), "Windows-1251"
    return data.decode("latin-1"), "Latin-1"


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise Rejected([Problem(None, None, None,
                                f"valid {name} text (byte {exc.start} cannot be decoded)")]) from exc


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: _count_outside_quotes(first_line, d) for d in (",", ";", "\t")}
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


def _canonical(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split()).replace(" ", "_")


def infer_kind(names: list[str]) -> str | None:
    present = set(names)
    for kind, table in (("figures", schema.FIGURES), ("rates", schema.RATES)):
        if set(table.csv_required) <= present:
            return kind
    return None


def parse(data: bytes, *, origin: str, kind: str | None = None,
          limit: int | None = None) -> ParsedFile:
    """Check size, decode, sniff and map the header; raises Rejected with every reason."""
    limit = max_bytes() if limit is None else limit
    if len(data) > limit:
        raise Rejected([Problem(None, None, f"{len(data) / 1e6:.1f} MB",
                                f"a file of at most {limit / 1e6:.0f} MB")])
    if not data.strip():
        raise Rejected([Problem(None, None, None, "a header line and at least one row; the file is empty")])
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first)
    header = next(csv.reader(io.StringIO(first), delimiter=delim))
    names = [_canonical(h) for h in header]
    inferred = infer_kind(names)
    if kind is None:
        kind = inferred
    if kind not in schema.CSV_KINDS:
        want = " or ".join(
            f"{k}: {','.join(t.csv_required)}" for k, t in schema.CSV_KINDS.items())
        raise Rejected([Problem(1, None, ",".join(header)[:200],
                                f"a header naming the columns of {want}")])
    table = schema.CSV_KINDS[kind]
    problems = [Problem(1, col, None, f"a '{col}' column (required for {kind})")
                for col in table.csv_required if col not in names]
    dupes = {n for n in names if names.count(n) > 1 and n in table.csv_columns}
    problems += [Problem(1, d, None, "each column once; it appears twice") for d in sorted(dupes)]
    if problems:
        raise Rejected(problems)
    columns = {n: i for i, n in enumerate(names) if n in table.csv_columns}
    notices = [f"Read as {encoding}, delimiter {_delim_name(delim)}."]
    ignored = [h for h, n in zip(header, names, strict=True) if n not in table.csv_columns]
    if ignored:
        notices.append("Ignored extra column(s): " + ", ".join(repr(i) for i in ignored) + ".")
    body = text.split("\n", 1)[1] if "\n" in text else ""
    if not body.strip():
        raise Rejected([Problem(2, None, None, "at least one data row after the header")])
    tmp = tempfile.TemporaryDirectory(prefix="indicators-upload-")
    # The user's file name is only a label; the copy gets a fixed name of our own.
    path = Path(tmp.name) / "upload.csv"
    path.write_text(text, encoding="utf-8")
    return ParsedFile(kind=kind, origin=origin, sha256=hashlib.sha256(data).hexdigest(),
                      encoding=encoding, delimiter=delim, columns=columns, header=header,
                      text_path=path, has_quotes='"' in text, notices=notices, _tmp=tmp)


def _delim_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[d]


def stage(conn: db.Connection, parsed: ParsedFile) -> int:
    """Load every field as text into a temp table, one row per record, in file order."""
    width = len(parsed.header)
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    options = {
        "delim": db.sql_literal(parsed.delimiter), "quote": "'\"'", "escape": "'\"'",
        "header": "false", "skip": "1", "auto_detect": "false", "columns": cols,
        "strict_mode": "true", "null_padding": "false", "store_rejects": "true",
        "rejects_table": "'_rejects'", "rejects_scan": "'_reject_scans'",
        "max_line_size": "10000000",
    }
    conn.execute(f"DROP TABLE IF EXISTS {STAGE}")
    conn.execute("DROP TABLE IF EXISTS _rejects")
    conn.execute("DROP TABLE IF EXISTS _reject_scans")
    picks = ", ".join(f'c{i} AS "{name}"' for name, i in parsed.columns.items())
    conn.execute("DROP TABLE IF EXISTS _raw")
    conn.execute(
        f"CREATE TEMP TABLE _raw AS SELECT {picks} FROM {db.read_csv_sql(options)}",
        [str(parsed.text_path)],
    )
    # rowid follows file order, but inside a transaction it starts at a large offset;
    # _row is the 0-based record index that LineMap turns into a line number.
    conn.execute(f"CREATE TEMP TABLE {STAGE} AS SELECT rowid - (SELECT min(rowid) FROM _raw) "
                 "AS _row, * FROM _raw")
    conn.execute("DROP TABLE _raw")
    return conn.execute(f"SELECT count(*) FROM {STAGE}").fetchone()[0]


def structure_problems(conn: db.Connection, parsed: ParsedFile) -> list[Problem]:
    """Records with too many or too few fields, with their true line numbers."""
    if not conn.execute("SELECT count(*) FROM _rejects").fetchone()[0]:
        return []
    width = len(parsed.header)
    out = []
    with open(parsed.text_path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=parsed.delimiter)
        start = 1
        for record in reader:
            if reader.line_num > 1 and record and len(record) != width:
                out.append(Problem(start, None, parsed.delimiter.join(record)[:80],
                                   f"{width} fields like the header, found {len(record)}"))
            start = reader.line_num + 1
    return out


class LineMap:
    """Maps a staged row index (0-based, in file order) to its line number in the file."""

    def __init__(self, parsed: ParsedFile):
        self._parsed = parsed
        self._starts: list[int] | None = None

    def __call__(self, row: int) -> int:
        if not self._parsed.has_quotes:
            return self._simple()[row]
        if self._starts is None:
            self._starts = self._scan()
        return self._starts[row]

    def _simple(self) -> list[int]:
        # Without quotes a record is a line, but blank lines are skipped by the reader.
        if self._starts is None:
            starts = []
            with open(self._parsed.text_path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if n > 1 and line.strip("\n"):
                        starts.append(n)
            self._starts = starts
        return self._starts

    def _scan(self) -> list[int]:
        starts = []
        with open(self._parsed.text_path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=self._parsed.delimiter)
            start = 1
            for record in reader:
                if reader.line_num > 1 and record:
                    starts.append(start)
                start = reader.line_num + 1
        return starts
