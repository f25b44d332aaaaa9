"""The DuckDB side of a live refresh: fetched rates become a batch, suspicious ones are held."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from indicators import codes, db, fetch, schema, store
from indicators.fetch.model import HeldRate, RateRow

# The rates table's columns a fetched row fills (the batch is set when it is written).
_COLUMNS = tuple(n for n in schema.RATES.names if n != "batch")
_HELD_COLUMNS = tuple(n for n in schema.HELD_RATES.names if n != "batch")


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
        """Write fetched rows as one `fetch` batch through `store.write`, like any load."""
        if not rows:
            return 0
        frame = pd.DataFrame(
            [(r.date, r.base, r.quote, r.rate, r.source, _naive_utc(r.fetched_at),
              r.request_url) for r in rows], columns=list(_COLUMNS))

        def make_plan(conn: db.Connection) -> store.Plan:
            return store.plan_rows(conn, "rates", frame, origin=origin,
                                   new_sources=_new_source(conn, source))

        with db.connect(self.db_path) as conn:
            result = store.write(conn, make_plan, batch_kind="fetch", actor=self.actor)
        if not result.ok:
            raise ValueError("fetched rates break the schema: "
                             + "; ".join(str(p) for p in result.problems))
        self.batches.append(result.batch)
        return result.inserted + result.updated

    def hold(self, rows: list[HeldRate]) -> None:
        """Keep suspicious rates for review as one `fetch` batch into `held_rates`, through
        `store.write` like every load: a value held again for the same key replaces the
        earlier one (journalled), and undoing the batch takes the held rows back out."""
        if not rows:
            return
        frame = pd.DataFrame(
            [(h.date, h.base, h.quote, h.rate, h.source, h.reason, _naive_utc(h.fetched_at),
              h.request_url) for h in rows], columns=list(_HELD_COLUMNS))
        with db.connect(self.db_path) as conn:
            result = store.write(
                conn, lambda c: store.plan_rows(c, schema.HELD_RATES.name, frame,
                                                origin="rates held for review"),
                batch_kind="fetch", actor=self.actor)
        if not result.ok:
            raise ValueError("held rates break the schema: "
                             + "; ".join(str(p) for p in result.problems))
        self.batches.append(result.batch)


def _new_source(conn: db.Connection, source: str) -> list[tuple]:
    """The sources row to create for a fetcher seen for the first time, else nothing."""
    if conn.execute("SELECT 1 FROM sources WHERE id = ?", [source]).fetchone():
        return []
    info = {s.id: s for s in fetch.describe_sources()}.get(source)
    row = {"id": source, "title": info.name if info else source,
           "url": info.base_url if info else None, "publisher": None, "published": None,
           "accessed": date.today(),
           "kind": info.kind if info else codes.SOURCE_KIND["official"].code, "licence": None,
           "attribution": None,
           "note": "Created by a live rate refresh.", "batch": None}
    return [tuple(row[f.name] for f in schema.SOURCES.fields)]


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
