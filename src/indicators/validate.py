"""Check a staged CSV against the schema's rules, in SQL, reporting every problem at once."""

from __future__ import annotations

from dataclasses import dataclass

from indicators import db, iso4217, periods, schema
from indicators.ingest import STAGE, LineMap, ParsedFile
from indicators.problems import Problem

# Rows listed per rule; the rest are counted.
PER_RULE_CAP = 1000

# Columns of the figures CSV that describe its source rather than the figure.
SOURCE_FIELDS = (
    schema.Field("source_url", "TEXT", "URL of the source."),
    schema.Field("source_title", "TEXT", "Title of the source."),
    schema.Field("published", "DATE", "Publication date of the source."),
)

_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_DOT_NUMBER = r"[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_COMMA_NUMBER = r"[+-]?(\d{1,3}([. \x{00A0}]\d{3})+|\d+)(,\d+)?"


def csv_field(kind: str, name: str) -> schema.Field:
    table = schema.CSV_KINDS[kind]
    if name in table.names:
        return table.field(name)
    return next(f for f in SOURCE_FIELDS if f.name == name)


@dataclass
class Dialect:
    decimal_comma: bool


def number_sql(col: str, dialect: Dialect) -> tuple[str, str]:
    """(is-well-formed, numeric text) SQL expressions for a number column."""
    s = f'trim("{col}")'
    if dialect.decimal_comma:
        ok = f"regexp_full_match({s}, '{_COMMA_NUMBER}')"
        text = f"replace(regexp_replace({s}, '[. \\x{{00A0}}]', '', 'g'), ',', '.')"
    else:
        ok = f"regexp_full_match({s}, '{_DOT_NUMBER}')"
        text = f"replace({s}, ',', '')"
    return ok, text


def typed_sql(kind: str, name: str, dialect: Dialect) -> str:
    """SQL expression turning the staged text of one column into its typed value."""
    f = csv_field(kind, name)
    s = f'trim("{name}")'
    if f.type == "DATE":
        return f"CASE WHEN regexp_full_match({s}, '{_ISO_DATE}') THEN TRY_CAST({s} AS DATE) END"
    if f.type == "DOUBLE":
        ok, text = number_sql(name, dialect)
        return f"CASE WHEN {ok} THEN TRY_CAST({text} AS DOUBLE) END"
    if f.rule == "currency":
        return f"upper({s})"
    if f.enum:
        return f"coalesce(nullif(lower({s}), ''), '{f.enum[0]}')"
    return f"nullif({s}, '')"


def detect_dialect(conn: db.Connection, parsed: ParsedFile) -> Dialect:
    if parsed.delimiter == ",":
        return Dialect(decimal_comma=False)
    numeric = [n for n in parsed.columns if csv_field(parsed.kind, n).type == "DOUBLE"]
    cond = " OR ".join(f"regexp_matches(\"{n}\", ',\\d')" for n in numeric) or "false"
    hit = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {STAGE} WHERE {cond} LIMIT 1)")
    return Dialect(decimal_comma=bool(hit.fetchone()[0]))


def _rule_problems(conn: db.Connection, where: str, col: str, expected: str,
                   lines: LineMap, params: list | None = None) -> list[Problem]:
    rows = conn.execute(
        f'SELECT _row, "{col}" FROM {STAGE} WHERE {where} ORDER BY _row LIMIT {PER_RULE_CAP}',
        params or [],
    ).fetchall()
    out = [Problem(lines(r), col, v, expected) for r, v in rows]
    if len(rows) == PER_RULE_CAP:
        total = conn.execute(f"SELECT count(*) FROM {STAGE} WHERE {where}", params or []).fetchone()[0]
        if total > PER_RULE_CAP:
            out.append(Problem(None, col, None,
                               f"{expected} ({total - PER_RULE_CAP} more rows with this problem)"))
    return out


def field_problems(conn: db.Connection, parsed: ParsedFile, dialect: Dialect,
                   lines: LineMap) -> list[Problem]:
    """Required values, types, currency codes, enums and > 0, straight from the schema."""
    table = schema.CSV_KINDS[parsed.kind]
    out: list[Problem] = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        s = f'trim("{name}")'
        empty = f'("{name}" IS NULL OR {s} = \'\')'
        if name in table.csv_required:
            out += _rule_problems(conn, empty, name, "a value; this column is required", lines)
        present = f"NOT {empty}"
        if f.type == "DATE":
            out += _rule_problems(
                conn, f"{present} AND regexp_full_match({s}, '\\d{{1,2}}[./-]\\d{{1,2}}[./-]\\d{{2,4}}')",
                name, "an ISO 8601 date YYYY-MM-DD; day/month order is ambiguous, so it is "
                "never guessed", lines)
            out += _rule_problems(
                conn, f"{present} AND NOT regexp_full_match({s}, '\\d{{1,2}}[./-]\\d{{1,2}}[./-]\\d{{2,4}}')"
                f" AND ({typed_sql(parsed.kind, name, dialect)}) IS NULL",
                name, "an ISO 8601 date YYYY-MM-DD that exists in the calendar", lines)
        elif f.type == "DOUBLE":
            ok, _ = number_sql(name, dialect)
            typed = typed_sql(parsed.kind, name, dialect)
            sep = ("a number with a decimal comma, as the rest of this semicolon-separated file"
                   if dialect.decimal_comma else "a number like 1234.5 or 1,234.5")
            out += _rule_problems(conn, f"{present} AND NOT {ok}", name, sep, lines)
            if f.rule == "positive":
                out += _rule_problems(
                    conn, f"{present} AND {ok} AND NOT (({typed}) > 0 AND isfinite({typed}))",
                    name, "a finite number > 0", lines)
            else:
                out += _rule_problems(conn, f"{present} AND {ok} AND NOT isfinite({typed})",
                                      name, "a finite number", lines)
        elif f.rule == "currency":
            out += _rule_problems(
                conn, f"{present} AND NOT list_contains(?, upper({s}))", name,
                "an ISO 4217 currency code such as KZT or USD", lines,
                [sorted(iso4217.ALL)])
        elif f.enum:
            out += _rule_problems(
                conn, f"{present} AND NOT list_contains(?, lower({s}))", name,
                "one of " + ", ".join(f.enum), lines, [list(f.enum)])
    return out


def period_problems(conn: db.Connection, lines: LineMap) -> tuple[list[Problem], dict]:
    """Checks each distinct period once; returns problems and text -> Period."""
    texts = [r[0] for r in conn.execute(
        f"SELECT DISTINCT trim(period) FROM {STAGE} WHERE trim(period) <> ''").fetchall()]
    parsed: dict[str, periods.Period] = {}
    out: list[Problem] = []
    for text in texts:
        try:
            parsed[text] = periods.parse(text)
        except periods.PeriodError as exc:
            out += _rule_problems(conn, "trim(period) = ?", "period", str(exc), lines, [text])
    return out, parsed


def source_problems(conn: db.Connection, parsed: ParsedFile, lines: LineMap) -> list[Problem]:
    cols = [c for c in ("source_url", "source_title") if c in parsed.columns]
    if not cols:
        return [Problem(1, "source_url", None,
                        "a source_url or source_title column: every figure names its source")]
    none = " AND ".join(f"coalesce(trim({c}), '') = ''" for c in cols)
    return _rule_problems(conn, none, cols[0],
                          "a source: fill source_url or source_title (or both)", lines)


def unit_problems(conn: db.Connection, lines: LineMap) -> tuple[list[Problem], list[str], dict]:
    """A unit must match the catalogue's; an unknown indicator is added with a notice."""
    catalogue = dict(conn.execute("SELECT id, unit FROM indicators").fetchall())
    pairs = conn.execute(
        f"SELECT trim(indicator), trim(unit), count(*) FROM {STAGE} "
        "WHERE trim(indicator) <> '' AND trim(unit) <> '' GROUP BY ALL ORDER BY ALL").fetchall()
    out: list[Problem] = []
    notices: list[str] = []
    new: dict[str, str] = {}
    by_ind: dict[str, list[tuple[str, int]]] = {}
    for ind, unit, n in pairs:
        by_ind.setdefault(ind, []).append((unit, n))
    for ind, units in by_ind.items():
        if ind in catalogue:
            for unit, _ in units:
                if unit != catalogue[ind]:
                    out += _rule_problems(
                        conn, "trim(indicator) = ? AND trim(unit) = ?", "unit",
                        f"'{catalogue[ind]}', the catalogue's unit for {ind}", lines, [ind, unit])
        elif len(units) > 1:
            listed = ", ".join(u for u, _ in units)
            out += _rule_problems(conn, "trim(indicator) = ?", "unit",
                                  f"one unit for the new indicator {ind} (found {listed})",
                                  lines, [ind])
        else:
            new[ind] = units[0][0]
            notices.append(f"New indicator '{ind}' will be added to the catalogue "
                           f"with unit '{units[0][0]}'.")
    return out, notices, new


def duplicate_problems(conn: db.Connection, key_exprs: dict[str, str],
                       lines: LineMap) -> list[Problem]:
    """The same key twice in one file is an error, not a silent last-one-wins."""
    keys = ", ".join(key_exprs.values())
    rows = conn.execute(
        f"SELECT list(_row ORDER BY _row) AS ids FROM {STAGE} GROUP BY {keys} "
        f"HAVING count(*) > 1 ORDER BY min(_row) LIMIT {PER_RULE_CAP}").fetchall()
    names = ", ".join(key_exprs)
    out = []
    for (ids,) in rows:
        first = lines(ids[0])
        out += [Problem(lines(i), None, None,
                        f"a unique ({names}); this repeats line {first}") for i in ids[1:]]
    return out
