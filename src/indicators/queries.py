"""Reads for the dashboard: every value is a parameter, every column name comes from the schema."""

from __future__ import annotations

import pandas as pd

from indicators import db

# Most official first: the default source for a currency is the best-ranked one it has.
SOURCE_RANK = {"official": 0, "official-cross": 1, "aggregate": 2, "seed-page": 3,
               "ticker": 4, "user": 5, "press": 6}

# Rates in units of the currency per 1 USD, whichever way round they were stored.
_PER_USD = """
    SELECT r.date,
           CASE WHEN r.base = 'USD' THEN r.quote ELSE r.base END AS currency,
           CASE WHEN r.base = 'USD' THEN r.rate ELSE 1 / r.rate END AS per_usd,
           r.source, s.title AS source_title, s.kind AS source_kind, s.url AS source_url,
           r.base, r.quote, r.rate
    FROM rates r JOIN sources s ON s.id = r.source
    WHERE (r.base = 'USD') <> (r.quote = 'USD')
"""


def _rank_sql(alias: str = "source_kind") -> str:
    cases = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SOURCE_RANK.items())
    return f"CASE {alias} {cases} ELSE 9 END"


def latest_rates(conn: db.Connection) -> pd.DataFrame:
    """Per currency: the latest observation and the one before it, from the same source."""
    return conn.execute(f"""
        WITH per_usd AS ({_PER_USD}),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY currency
                                         ORDER BY date DESC, {_rank_sql()}) AS n
            FROM per_usd),
        latest AS (SELECT * FROM ranked WHERE n = 1)
        SELECT l.currency, l.date, l.per_usd, l.source, l.source_title, l.source_kind,
               l.source_url,
               (SELECT p.per_usd FROM per_usd p WHERE p.currency = l.currency
                  AND p.source = l.source AND p.date < l.date ORDER BY p.date DESC LIMIT 1)
                 AS previous,
               (SELECT max(p.date) FROM per_usd p WHERE p.currency = l.currency
                  AND p.source = l.source AND p.date < l.date) AS previous_date
        FROM latest l ORDER BY l.currency
    """).df()


def rate_series(conn: db.Connection, currencies: list[str], start=None, end=None,
                sources: list[str] | None = None) -> pd.DataFrame:
    """Rates per USD for the chosen currencies, range and sources, oldest first."""
    return conn.execute(f"""
        SELECT * FROM ({_PER_USD})
        WHERE list_contains(?, currency)
          AND (?::DATE IS NULL OR date >= ?::DATE) AND (?::DATE IS NULL OR date <= ?::DATE)
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], source))
        ORDER BY currency, source, date
    """, [currencies, start, start, end, end, sources, sources]).df()


def figures(conn: db.Connection, indicators: list[str] | None = None,
            geos: list[str] | None = None) -> pd.DataFrame:
    """Figures with their indicator names and source details."""
    return conn.execute("""
        SELECT f.*, i.name AS indicator_name, i.category,
               s.title AS source_title, s.url AS source_url, s.published AS source_published,
               s.publisher
        FROM figures f JOIN indicators i ON i.id = f.indicator JOIN sources s ON s.id = f.source
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], f.indicator))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], f.geo))
        ORDER BY f.indicator, f.geo, f.period_start, f.period_end, f.source
    """, [indicators, indicators, geos, geos]).df()


def indicator_catalogue(conn: db.Connection) -> pd.DataFrame:
    return conn.execute("SELECT * FROM indicators ORDER BY category, id").df()


def source_list(conn: db.Connection) -> pd.DataFrame:
    return conn.execute("""
        SELECT s.*, (SELECT count(*) FROM figures f WHERE f.source = s.id) AS figures,
               (SELECT count(*) FROM rates r WHERE r.source = s.id) AS rates
        FROM sources s ORDER BY s.kind, s.published DESC NULLS LAST, s.title
    """).df()
