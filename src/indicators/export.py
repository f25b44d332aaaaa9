"""Write stored rates or figures back out in their import format, in a deterministic order."""

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


def to_csv(conn: db.Connection, kind: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.CSV_KINDS[kind].csv_columns)
    writer.writerows(rows(conn, kind))
    return buf.getvalue()
