"""The DuckDB side of a live refresh: fetched rates become a batch, suspicious ones are held."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from indicators import db, fetch, store
from indicators.fetch.model import HeldRate, RateRow

_COLUMNS = ("date", "base", "quote", "rate", "source", "fetched_at", "request_url")


def _naive_utc(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


class DuckDBRateSink:
    """Implements fetch.RateSink; each save is one transaction and one `fetch` batch."""

    def __init__(self, db_path, *, actor: str):
        self.db_path = db_path
        self.actor = actor
        self.batches: list[int] = []

    def stored_dates(self, source: str, quote: str, start: date, end: date) -> set[date]:
        with db.connect(self.db_path) as conn:
            rows = conn.execute(
                "SELECT DISTINCT date FROM rates WHERE source = ? AND quote = ? "
                "AND date BETWEEN ? AND ?", [source, quote, start, end]).fetchall()
        return {r[0] for r in rows}

    def last_rate(self, source: str, base: str, quote: str, before: date) -> float | None:
        with db.connect(self.db_path) as conn:
            row = conn.execute(
                "SELECT rate FROM rates WHERE source = ? AND base = ? AND quote = ? "
                "AND date < ? ORDER BY date DESC LIMIT 1", [source, base, quote, before]
            ).fetchone()
        return row[0] if row else None

    def save(self, source: str, rows: list[RateRow], *, origin: str) -> int:
        if not rows:
            return 0
        with db.connect(self.db_path) as conn, db.transaction(conn):
            _ensure_source(conn, source)
            conn.execute("CREATE OR REPLACE TEMP TABLE _fetched (date DATE, base VARCHAR, "
                         "quote VARCHAR, rate DOUBLE, source VARCHAR, fetched_at TIMESTAMP, "
                         "request_url VARCHAR)")
            conn.executemany(
                "INSERT INTO _fetched VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.date, r.base, r.quote, r.rate, r.source, _naive_utc(r.fetched_at),
                  r.request_url) for r in rows])
            key = ("o.date = f.date AND o.base = f.base AND o.quote = f.quote "
                   "AND o.source = f.source")
            bid = store.next_batch_id(conn)
            updated = conn.execute(
                f"INSERT INTO changes SELECT ?, 'rates', "
                f"{store.key_json_sql(store.WRITABLE['rates'], 'o')}, "
                f"CAST(to_json(o) AS VARCHAR) FROM rates o JOIN _fetched f ON {key} "
                f"WHERE o.rate <> f.rate", [bid]).fetchone()[0]
            unchanged = conn.execute(
                f"SELECT count(*) FROM rates o JOIN _fetched f ON {key} WHERE o.rate = f.rate"
            ).fetchone()[0]
            cols = ", ".join(_COLUMNS)
            conn.execute(
                f"INSERT OR REPLACE INTO rates ({cols}, batch) SELECT {cols}, ? FROM _fetched f "
                f"WHERE NOT EXISTS (SELECT 1 FROM rates o WHERE {key} AND o.rate = f.rate)", [bid])
            inserted = len(rows) - updated - unchanged
            store.record_batch(conn, kind="fetch", target="rates", origin=origin, sha256=None,
                               inserted=inserted, updated=updated, unchanged=unchanged,
                               actor=self.actor, batch_id=bid)
        self.batches.append(bid)
        return inserted + updated

    def hold(self, rows: list[HeldRate]) -> None:
        if not rows:
            return
        with db.connect(self.db_path) as conn, db.transaction(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO held_rates (date, base, quote, rate, source, reason, "
                "fetched_at, request_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(h.date, h.base, h.quote, h.rate, h.source, h.reason, _naive_utc(h.fetched_at),
                  h.request_url) for h in rows])


def _ensure_source(conn: db.Connection, source: str) -> None:
    if conn.execute("SELECT 1 FROM sources WHERE id = ?", [source]).fetchone():
        return
    info = {s.id: s for s in fetch.describe_sources()}.get(source)
    title = info.name if info else source
    url = info.base_url if info else None
    conn.execute(
        "INSERT INTO sources (id, title, url, kind, accessed, note) VALUES (?, ?, ?, ?, ?, ?)",
        [source, title, url, "aggregate" if source == "frankfurter" else "official",
         date.today(), "Created by a live rate refresh."])


def held(conn: db.Connection) -> pd.DataFrame:
    """Rates a refresh held back for review, newest first."""
    return conn.execute(
        "SELECT date, base, quote, rate, source, reason, fetched_at, request_url "
        "FROM held_rates ORDER BY fetched_at DESC, date DESC").df()


def freshness(conn: db.Connection) -> pd.DataFrame:
    """Latest stored date per currency and source: what a refresh would bring up to date."""
    return conn.execute("""
        SELECT CASE WHEN r.base = 'USD' THEN r.quote ELSE r.base END AS currency,
               r.source, any_value(s.title) AS source_title, any_value(s.kind) AS kind,
               max(r.date) AS latest, count(*) AS observations,
               max(r.fetched_at) AS last_fetched
        FROM rates r JOIN sources s ON s.id = r.source
        WHERE (r.base = 'USD') <> (r.quote = 'USD')
        GROUP BY ALL ORDER BY currency, latest DESC
    """).df()
