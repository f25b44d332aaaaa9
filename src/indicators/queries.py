"""Reads for the dashboard: every value is a parameter, every column name comes from the code.

Rates come back in units of the currency per 1 USD whichever way round they were stored,
with withdrawn codes restated in their successor (TMM -> TMT, / 5000) and flagged.
Series longer than a point budget are thinned in SQL: per time bucket the first, last,
lowest and highest observation are kept, so a chart stays small and its extremes visible.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import db, iso4217

# Most official first: the default source for a currency is the best-ranked one it has.
# Points a chart may carry in all; a series never gets fewer than the floor.
RATE_POINTS = 8_000
RATE_POINTS_PER_SERIES = 40
FIGURE_ROWS = 1_000
FIGURE_ROWS_PER_SERIES = 4


def _redenominations() -> tuple[str, list]:
    rows = list(iso4217.REDENOMINATIONS.items())
    sql = ", ".join("(?, ?, ?)" for _ in rows)
    params: list = []
    for old, (new, factor) in rows:
        params += [old, new, factor]
    return sql, params


def _stored_codes(currencies: list[str]) -> list[str]:
    """Display codes plus the withdrawn codes restated in them (TMT -> TMT, TMM)."""
    return list(currencies) + [old for old, (new, _f) in iso4217.REDENOMINATIONS.items()
                               if new in currencies]


def _display_rates(currencies: list[str] | None = None, start: date | None = None,
                   end: date | None = None,
                   sources: list[str] | None = None) -> tuple[str, list]:
    """CTEs `per_usd` and `display`: USD pairs, per USD, redenominated.

    The filters apply to the stored columns, so DuckDB can skip what it need not read.
    """
    values, params = _redenominations()
    codes = _stored_codes(currencies) if currencies is not None else None
    params += [codes, codes, codes, start, start, end, end, sources, sources]
    return f"""
        redenom(old_code, new_code, factor) AS (VALUES {values}),
        per_usd AS (
            SELECT r.date, r.source,
                   CASE WHEN r.base = 'USD' THEN r.quote ELSE r.base END AS stored_currency,
                   CASE WHEN r.base = 'USD' THEN r.rate ELSE 1 / r.rate END AS stored_per_usd,
                   r.base, r.quote, r.rate
            FROM rates r
            WHERE (r.base = 'USD') <> (r.quote = 'USD')
              AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], r.quote)
                   OR list_contains(?::VARCHAR[], r.base))
              AND (?::DATE IS NULL OR r.date >= ?::DATE) AND (?::DATE IS NULL OR r.date <= ?::DATE)
              AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], r.source))),
        display AS (
            SELECT p.date, coalesce(d.new_code, p.stored_currency) AS currency,
                   p.stored_per_usd / coalesce(d.factor, 1) AS per_usd,
                   p.stored_currency, p.stored_per_usd, d.factor IS NOT NULL AS redenominated,
                   p.source, s.title AS source_title, s.kind AS source_kind,
                   s.url AS source_url, s.publisher AS source_publisher,
                   p.base, p.quote, p.rate, f.reason AS flag
            FROM per_usd p JOIN sources s ON s.id = p.source
            LEFT JOIN redenom d ON d.old_code = p.stored_currency
            LEFT JOIN rate_flags f ON f.date = p.date AND f.base = p.base
                 AND f.quote = p.quote AND f.source = p.source)
    """, params


def _thin(selection: str, series: str, when: str, value: str, total: int,
          floor: int) -> tuple[str, list]:
    """Wrap a CTE named `sel`: keep whole series that fit, else first/last/min/max per bucket.

    Buckets are equal slices of each series' own time span, as many as its share of the
    point budget allows. Grouping (not window sorts) keeps this fast on long series. A value
    that is lowest (or highest) on several days of a bucket is kept on the earliest (latest)
    of them: without that tie-break DuckDB's parallel aggregation picked any of them, and the
    same link drew a few different points from one load to the next.
    `series`, `when` and `value` are column names written in this module, never user input.
    """
    keys = [c.strip() for c in series.split(",")]
    on = " AND ".join(f"s.{c} IS NOT DISTINCT FROM x.{c}" for c in keys)
    sql = f"""
        {selection},
        spans AS (
            SELECT {series}, count(*) AS n_in_series, min(epoch({when})) AS t0,
                   max(epoch({when})) AS t1
            FROM sel GROUP BY ALL),
        budget AS (SELECT greatest(?, ? // greatest(count(*), 1)) AS per_series FROM spans),
        bucketed AS (
            SELECT s.*, x.n_in_series, b.per_series,
                   floor((epoch(s.{when}) - x.t0)
                         / greatest(86400, (x.t1 - x.t0) * 4 / b.per_series)) AS bucket
            FROM sel s JOIN spans x ON {on}, budget b),
        picks AS (
            SELECT {series}, bucket, min({when}) AS p1, max({when}) AS p2,
                   arg_min({when}, ({value}, {when})) AS p3,
                   arg_max({when}, ({value}, {when})) AS p4
            FROM bucketed WHERE n_in_series > per_series GROUP BY ALL)
        SELECT s.* EXCLUDE (bucket, per_series), s.n_in_series > s.per_series AS thinned
        FROM bucketed s
        WHERE s.n_in_series <= s.per_series
           OR EXISTS (SELECT 1 FROM picks x WHERE {on}
                      AND x.bucket = s.bucket
                      AND s.{when} IN (x.p1, x.p2, x.p3, x.p4))
    """
    return sql, [floor, total]


def rate_coverage(conn: db.Connection, start: date | None = None,
                  end: date | None = None) -> pd.DataFrame:
    """Per currency and source: observations, first and last date, last two values."""
    ctes, params = _display_rates(start=start, end=end)
    return conn.execute(f"""
        WITH {ctes}
        SELECT currency, source, any_value(source_title) AS source_title,
               any_value(source_kind) AS source_kind, any_value(source_url) AS source_url,
               any_value(source_publisher) AS source_publisher,
               count(*) AS n, min(date) AS first, max(date) AS last,
               arg_max(per_usd, date) AS last_per_usd,
               arg_max(date, date, 2)[2] AS previous_date,
               arg_max(per_usd, date, 2)[2] AS previous_per_usd,
               bool_or(redenominated) AS redenominated
        FROM display
        GROUP BY currency, source
        ORDER BY currency, source
    """, params).df()


def rate_series(conn: db.Connection, currencies: list[str], start: date | None = None,
                end: date | None = None, sources: list[str] | None = None,
                max_points: int = RATE_POINTS,
                min_points_per_series: int = RATE_POINTS_PER_SERIES) -> pd.DataFrame:
    """Rates per USD for the chosen currencies, range and sources, thinned to a point budget."""
    ctes, params = _display_rates(currencies, start, end, sources)
    selection = f"""
        WITH {ctes},
        sel AS (SELECT * FROM display WHERE list_contains(?::VARCHAR[], currency))"""
    params += [currencies]
    sql, thin_params = _thin(selection, "currency, source", "date", "per_usd", max_points,
                             min_points_per_series)
    return conn.execute(sql + " ORDER BY currency, source, date", params + thin_params).df()


def cross_rates(conn: db.Connection, numerator: str, denominator: str,
                start: date | None = None, end: date | None = None,
                sources: list[str] | None = None, max_points: int = RATE_POINTS) -> pd.DataFrame:
    """Units of `numerator` per 1 `denominator`, from two USD rates of one source on one date."""
    ctes, params = _display_rates([numerator, denominator], start, end, sources)
    selection = f"""
        WITH {ctes},
        chosen AS (SELECT * FROM display),
        sel AS (
            SELECT a.date, a.source, a.source_title, a.source_kind, a.source_url,
                   a.currency AS numerator, b.currency AS denominator,
                   a.per_usd / b.per_usd AS value,
                   a.per_usd AS numerator_per_usd, b.per_usd AS denominator_per_usd,
                   a.redenominated OR b.redenominated AS redenominated
            FROM chosen a JOIN chosen b ON a.date = b.date AND a.source = b.source
            WHERE a.currency = ? AND b.currency = ?)"""
    params += [numerator, denominator]
    sql, thin_params = _thin(selection, "source", "date", "value", max_points,
                             RATE_POINTS_PER_SERIES)
    return conn.execute(sql + " ORDER BY source, date", params + thin_params).df()


def figure_geos(conn: db.Connection) -> pd.DataFrame:
    """Every geo that has figures, with how many."""
    return conn.execute(
        "SELECT geo, count(*) AS n FROM figures GROUP BY geo ORDER BY geo").df()


def figure_counts(conn: db.Connection) -> pd.DataFrame:
    """Figures per indicator and geo, for scope choices that say how many each holds."""
    return conn.execute("SELECT indicator, geo, count(*) AS n FROM figures "
                        "GROUP BY ALL ORDER BY indicator, geo").df()


def figures(conn: db.Connection, indicators: list[str] | None = None,
            geos: list[str] | None = None, max_rows: int | None = None) -> pd.DataFrame:
    """Figures with indicator and source details; thinned when max_rows is given."""
    selection = """
        WITH sel AS (
            SELECT f.*, i.name AS indicator_name, i.category,
                   s.title AS source_title, s.url AS source_url,
                   s.published AS source_published, s.publisher AS source_publisher,
                   s.kind AS source_kind
            FROM figures f JOIN indicators i ON i.id = f.indicator
            JOIN sources s ON s.id = f.source
            WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], f.indicator))
              AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], f.geo)))"""
    params: list = [indicators, indicators, geos, geos]
    order = " ORDER BY indicator, geo, period_start, period_end, source"
    if max_rows is None:
        return conn.execute(selection + ", marked AS (SELECT *, false AS thinned FROM sel) "
                            "SELECT * FROM marked" + order, params).df()
    sql, thin_params = _thin(selection, "indicator, geo, status, derived", "period_start",
                             "value", max_rows, FIGURE_ROWS_PER_SERIES)
    return conn.execute(sql + order, params + thin_params).df()


def indicator_catalogue(conn: db.Connection) -> pd.DataFrame:
    """The catalogue with how many figures each indicator has."""
    return conn.execute("""
        SELECT i.*, (SELECT count(*) FROM figures f WHERE f.indicator = i.id) AS figures
        FROM indicators i ORDER BY i.category, i.id
    """).df()


def source_list(conn: db.Connection) -> pd.DataFrame:
    """Every source with what it supports: counts and the span of dates or periods."""
    return conn.execute("""
        WITH fr AS (SELECT source, count(*) AS figures, min(period_start) AS fig_first,
                           max(period_end) AS fig_last FROM figures GROUP BY source),
             rr AS (SELECT source, count(*) AS rates, min(date) AS rate_first,
                           max(date) AS rate_last,
                           string_agg(DISTINCT CASE WHEN base = 'USD' THEN quote ELSE base END,
                                      ', ' ORDER BY CASE WHEN base = 'USD' THEN quote
                                                         ELSE base END) AS currencies
                    FROM rates GROUP BY source)
        SELECT s.*, coalesce(fr.figures, 0) AS figures, coalesce(rr.rates, 0) AS rates,
               least(fr.fig_first, rr.rate_first) AS covers_from,
               greatest(fr.fig_last, rr.rate_last) AS covers_to, rr.currencies
        FROM sources s LEFT JOIN fr ON fr.source = s.id LEFT JOIN rr ON rr.source = s.id
        ORDER BY s.kind, s.published DESC NULLS LAST, s.title
    """).df()


def source_figures(conn: db.Connection, sources: list[str]) -> pd.DataFrame:
    """The figures that the given sources support, with indicator names."""
    return conn.execute("""
        SELECT f.source, f.indicator, i.name AS indicator_name, f.geo, f.period,
               f.period_start, f.period_end, f.value, f.unit, f.status, f.derived,
               f.derivation, f.quote, f.note
        FROM figures f JOIN indicators i ON i.id = f.indicator
        WHERE list_contains(?::VARCHAR[], f.source)
        ORDER BY f.source, f.indicator, f.period_start, f.geo
    """, [sources]).df()


def search_sources(conn: db.Connection, text: str) -> list[str]:
    """Ids of sources whose title, publisher, URL, note, licence or any quote contains text."""
    rows = conn.execute("""
        SELECT s.id FROM sources s
        WHERE contains(lower(concat_ws(' ', s.id, s.title, s.publisher, s.url, s.note,
                                       s.licence, s.kind)), lower(?))
           OR EXISTS (SELECT 1 FROM figures f WHERE f.source = s.id
                      AND contains(lower(concat_ws(' ', f.quote, f.geo, f.indicator)), lower(?)))
        ORDER BY s.id
    """, [text, text]).fetchall()
    return [r[0] for r in rows]
