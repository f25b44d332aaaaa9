"""Write stored rates or figures back out in their import format, in a deterministic order.

The export is exact: importing it changes nothing, so a text cell that starts with = + - @
is written as stored. `spreadsheet_safe=True` (the CLI's --spreadsheet-safe) prefixes such
text cells with an apostrophe, as the dashboard's downloads do, for opening in a
spreadsheet; that file no longer round-trips exactly.
"""

from __future__ import annotations

import csv
import io
import math

from indicators import db, schema

_SQL = {
    "rates": (
        "SELECT strftime(date, '%Y-%m-%d'), base, quote, rate, source FROM rates "
        "ORDER BY date, base, quote, source"
    ),
    "figures": (
        "SELECT f.indicator, f.geo, f.period, f.value, f.unit, s.url, s.title, "
        "strftime(s.published, '%Y-%m-%d'), f.quote, f.status, f.note, f.derivation "
        "FROM figures f JOIN sources s ON s.id = f.source "
        "ORDER BY f.indicator, f.geo, f.period_start, f.period_end, f.period, f.source"
    ),
}


def format_number(value: float) -> str:
    """Shortest text that reads back as the same float; integers without '.0'."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def rows(conn: db.Connection, kind: str) -> list[list[str]]:
    out = []
    for rec in conn.execute(_SQL[kind]).fetchall():
        out.append(["" if v is None else format_number(v) if isinstance(v, float) else str(v)
                    for v in rec])
    return out


def _numeric_columns(kind: str) -> set[int]:
    table = schema.CSV_KINDS[kind]
    names = {f.name for f in table.fields if f.type in ("DOUBLE", "BIGINT")}
    return {i for i, c in enumerate(table.csv_columns) if c in names}


def to_csv(conn: db.Connection, kind: str, *, spreadsheet_safe: bool = False) -> str:
    """The stored rows of `kind` as CSV; exact unless `spreadsheet_safe` (see the module)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.CSV_KINDS[kind].csv_columns)
    out = rows(conn, kind)
    if spreadsheet_safe:
        from indicators.downloads import neutralise

        numeric = _numeric_columns(kind)
        out = [[v if i in numeric else neutralise(v) for i, v in enumerate(r)] for r in out]
    writer.writerows(out)
    return buf.getvalue()
