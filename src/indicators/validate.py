"""Check a staged CSV against the schema's rules, in SQL, reporting every problem at once.

The file's text is staged as `_stage` (alias s); store.plan types every row once into
`_diff` (alias d). Per-row rules are counted in one scan of `_diff`; only rules some row
breaks are then listed row by row, with the row's text as written. Rules on a column's
set of values (currency codes, statuses, periods, units) look at each distinct value once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from indicators import db, iso4217, periods, schema
from indicators.ingest import STAGE, ParsedFile
from indicators.problems import Problem

# Rows listed per rule; the rest are counted.
PER_RULE_CAP = 1000
# Distinct wrong values explained one by one; beyond that they share one message.
PER_VALUE_CAP = 50
DIFF = "_diff"

# Columns of the figures CSV that describe its source rather than the figure.
SOURCE_FIELDS = (
    schema.Field("source_url", "TEXT", "URL of the source."),
    schema.Field("source_title", "TEXT", "Title of the source."),
    schema.Field("published", "DATE", "Publication date of the source."),
)

BAD_URL = "_bad_source_url"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_AMBIGUOUS_DATE = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
_DOT_NUMBER = r"[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_COMMA_NUMBER = r"[+-]?(\d{1,3}([. \x{00A0}]\d{3})+|\d+)(,\d+)?"
_INDICATOR_ID = re.compile(r"[a-z][a-z0-9_]*")

AMBIGUOUS_DATE = ("an ISO 8601 date YYYY-MM-DD; a date like 03/04/2025 could be 3 April or "
                  "4 March, so it is rejected, never guessed")
INVALID_DATE = "an ISO 8601 date YYYY-MM-DD that exists in the calendar"

Lines = Callable[[int], int]


def csv_field(kind: str, name: str) -> schema.Field:
    table = schema.CSV_KINDS[kind]
    if name in table.names:
        return table.field(name)
    return next(f for f in SOURCE_FIELDS if f.name == name)


@dataclass
class Dialect:
    decimal_comma: bool


@dataclass(frozen=True)
class Rule:
    """Rows of `_diff d` matching `where` break the rule; `expected` says what would not.

    `expected_sql`, when given, words the expectation per row from the staged text `s`.
    """

    column: str | None
    where: str
    expected: str
    params: tuple = ()
    expected_sql: str | None = None


def _q(name: str) -> str:
    return f'"{name}"'


def raw(name: str) -> str:
    """The staged text of a column, trimmed."""
    return f"trim(s.{_q(name)})"


def blank(name: str) -> str:
    return f"_blank_{name}"


def number_sql(text: str, dialect: Dialect) -> str:
    """SQL turning number text into a DOUBLE, NULL when it is not a well-formed number."""
    if dialect.decimal_comma:
        digits = f"replace(regexp_replace({text}, '[. \\x{{00A0}}]', '', 'g'), ',', '.')"
        return (f"CASE WHEN regexp_full_match({text}, '{_COMMA_NUMBER}') "
                f"THEN TRY_CAST({digits} AS DOUBLE) END")
    # Most numbers have no thousands separator: the cast alone decides, which is fast.
    # DuckDB's cast also takes 1_000, which we do not; such text goes to the strict pattern.
    return (f"CASE WHEN NOT contains({text}, ',') AND NOT contains({text}, '_') "
            f"THEN TRY_CAST({text} AS DOUBLE) "
            f"WHEN regexp_full_match({text}, '{_DOT_NUMBER}') "
            f"THEN TRY_CAST(replace({text}, ',', '') AS DOUBLE) END")


def typed_sql(kind: str, name: str, dialect: Dialect) -> str:
    """SQL expression turning the staged text of one column into its typed value."""
    f = csv_field(kind, name)
    s = raw(name)
    if f.type == "DATE":
        return f"CASE WHEN regexp_full_match({s}, '{_ISO_DATE}') THEN TRY_CAST({s} AS DATE) END"
    if f.type == "DOUBLE":
        return number_sql(s, dialect)
    if f.rule == "currency":
        return f"upper({s})"
    if f.enum:
        return f"coalesce(nullif(lower({s}), ''), '{f.enum[0]}')"
    return f"nullif({s}, '')"


def checked_columns(parsed: ParsedFile, dialect: Dialect) -> list[str]:
    """Extra SELECT items of `_diff` the rules need: blank flags and typed source dates."""
    table = schema.CSV_KINDS[parsed.kind]
    out = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        if name in table.csv_required or f.type in ("DATE", "DOUBLE") or name in (
                "source_url", "source_title"):
            out.append(f"coalesce({raw(name)}, '') = '' AS {blank(name)}")
        if name not in table.names and f.type == "DATE":
            out.append(f"{typed_sql(parsed.kind, name, dialect)} AS {_q(name)}")
        if name == "source_url":
            out.append(f"NOT regexp_full_match(coalesce({raw(name)}, ''), "
                       f"'(?i)(https?://[^\\s]+)?') AS {BAD_URL}")
    return out


def detect_dialect(conn: db.Connection, parsed: ParsedFile) -> Dialect:
    """A semicolon- or tab-separated file whose numbers have commas uses decimal commas."""
    if parsed.delimiter == ",":
        return Dialect(decimal_comma=False)
    numeric = [n for n in parsed.columns if csv_field(parsed.kind, n).type == "DOUBLE"]
    cond = " OR ".join(f"regexp_matches({_q(n)}, ',\\d')" for n in numeric) or "false"
    hit = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {STAGE} WHERE {cond} LIMIT 1)")
    return Dialect(decimal_comma=bool(hit.fetchone()[0]))


def row_rules(parsed: ParsedFile, dialect: Dialect) -> list[Rule]:
    """Required values, dates, numbers and sources: rules each row is checked against."""
    table = schema.CSV_KINDS[parsed.kind]
    rules: list[Rule] = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        col, empty = f"d.{_q(name)}", f"d.{blank(name)}"
        if name in table.csv_required:
            rules.append(Rule(name, empty, "a value; this column is required"))
        if f.type == "DATE":
            rules.append(Rule(
                name, f"NOT {empty} AND {col} IS NULL", INVALID_DATE,
                expected_sql=f"CASE WHEN regexp_full_match({raw(name)}, '{_AMBIGUOUS_DATE}') "
                             f"THEN {db.sql_literal(AMBIGUOUS_DATE)} END"))
        elif f.type == "DOUBLE":
            shape = ("a number with a decimal comma, like the rest of this file (1 234,5 or "
                     "1.234,5)" if dialect.decimal_comma else "a number like 1234.5 or 1,234.5")
            rules.append(Rule(name, f"NOT {empty} AND {col} IS NULL", shape))
            if f.rule == "positive":
                rules.append(Rule(name, f"{col} IS NOT NULL AND NOT ({col} > 0 AND "
                                  f"isfinite({col}))", "a finite number > 0"))
            else:
                rules.append(Rule(name, f"{col} IS NOT NULL AND NOT isfinite({col})",
                                  "a finite number"))
    if parsed.kind == "figures":
        cols = [c for c in ("source_url", "source_title") if c in parsed.columns]
        if cols:
            rules.append(Rule(cols[0], " AND ".join(f"d.{blank(c)}" for c in cols),
                              "a source: fill source_url or source_title (or both)"))
        if "source_url" in parsed.columns:
            rules.append(Rule("source_url", f"d.{BAD_URL}",
                              "an http:// or https:// address without spaces (other schemes, "
                              "such as javascript: or file:, are not accepted)"))
    return rules


def run_rules(conn: db.Connection, rules: list[Rule], lines: Lines) -> list[Problem]:
    """Count every rule's offending rows in one scan, then list those of the broken rules."""
    if not rules:
        return []
    counts = ", ".join(f"count(*) FILTER (WHERE {r.where})" for r in rules)
    params = [p for r in rules for p in r.params]
    totals = conn.execute(f"SELECT {counts} FROM {DIFF} d", params).fetchone()
    out: list[Problem] = []
    for rule, total in zip(rules, totals, strict=True):
        if total:
            out += listing(conn, rule, lines, total=total)
    return out


def listing(conn: db.Connection, rule: Rule, lines: Lines,
            total: int | None = None) -> list[Problem]:
    """The rows breaking one rule, up to the cap, and a count of the rest."""
    value = f"s.{_q(rule.column)}" if rule.column else "NULL"
    expected = rule.expected_sql or "NULL"
    rows = conn.execute(
        f"SELECT d._row, {value}, {expected} FROM {DIFF} d JOIN {STAGE} s ON s._row = d._row "
        f"WHERE {rule.where} ORDER BY d._row LIMIT {PER_RULE_CAP}", list(rule.params)).fetchall()
    out = [Problem(lines(r), rule.column, v, e or rule.expected) for r, v, e in rows]
    if len(rows) == PER_RULE_CAP:
        if total is None:
            total = conn.execute(f"SELECT count(*) FROM {DIFF} d WHERE {rule.where}",
                                 list(rule.params)).fetchone()[0]
        if total > PER_RULE_CAP:
            out.append(Problem(None, rule.column, None,
                               f"{rule.expected} ({total - PER_RULE_CAP} more rows with this "
                               "problem)"))
    return out


def _distinct(conn: db.Connection, column: str) -> list:
    return [r[0] for r in conn.execute(
        f"SELECT DISTINCT {_q(column)} FROM {DIFF} WHERE {_q(column)} <> ''").fetchall()]


def value_set_problems(conn: db.Connection, parsed: ParsedFile, lines: Lines) -> list[Problem]:
    """Currency codes and enumerated values, each distinct value checked once."""
    out: list[Problem] = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        if f.rule == "currency":
            allowed = sorted(iso4217.ALL)
            expected = "an ISO 4217 currency code such as KZT or USD"
        elif f.enum:
            allowed = list(f.enum)
            expected = "one of " + ", ".join(f.enum)
        else:
            continue
        ok = set(allowed)
        if all(v in ok for v in _distinct(conn, name)):
            continue
        col = f"d.{_q(name)}"
        out += listing(conn, Rule(name, f"{col} <> '' AND NOT list_contains(?, {col})",
                                  expected, (allowed,)), lines)
    return out


def parse_periods(conn: db.Connection) -> tuple[dict[str, periods.Period], dict[str, list[str]]]:
    """Each distinct period in the file parsed once: text -> Period, and message -> texts."""
    good: dict[str, periods.Period] = {}
    wrong: dict[str, list[str]] = {}
    texts = [r[0] for r in conn.execute(
        f"SELECT DISTINCT trim(period) FROM {STAGE} WHERE trim(period) <> ''").fetchall()]
    for text in texts:
        try:
            good[text] = periods.parse(text)
        except periods.PeriodError as exc:
            message = str(exc).removeprefix("expected ")
            wrong.setdefault(f"a period: {message}", []).append(text)
    return good, wrong


def period_problems(conn: db.Connection, wrong: dict[str, list[str]],
                    lines: Lines) -> list[Problem]:
    out: list[Problem] = []
    generic: list[str] = []
    for n, (message, texts) in enumerate(sorted(wrong.items())):
        if n >= PER_VALUE_CAP:
            generic += texts
            continue
        out += listing(conn, Rule("period", "list_contains(?, d.period)", message, (texts,)),
                       lines)
    if generic:
        out += listing(conn, Rule("period", "list_contains(?, d.period)",
                                  f"a period: {periods.FORMS}", (generic,)), lines)
    return out


def unit_problems(conn: db.Connection, lines: Lines) -> tuple[list[Problem], list[str], dict]:
    """A unit must match the catalogue's; an unknown indicator is added with a notice."""
    catalogue = dict(conn.execute("SELECT id, unit FROM indicators").fetchall())
    pairs = conn.execute(
        f"SELECT indicator, unit, count(*) FROM {DIFF} "
        "WHERE indicator IS NOT NULL AND unit IS NOT NULL GROUP BY ALL ORDER BY ALL").fetchall()
    out: list[Problem] = []
    notices: list[str] = []
    new: dict[str, str] = {}
    by_ind: dict[str, list[tuple[str, int]]] = {}
    for ind, unit, n in pairs:
        by_ind.setdefault(ind, []).append((unit, n))
    for n_ind, (ind, units) in enumerate(by_ind.items()):
        if n_ind >= PER_VALUE_CAP * 4 and len(out) >= PER_RULE_CAP:
            break
        if ind in catalogue:
            wrong = [u for u, _ in units if u != catalogue[ind]]
            if wrong:
                out += listing(conn, Rule(
                    "unit", "d.indicator = ? AND list_contains(?, d.unit)",
                    f"'{catalogue[ind]}', the catalogue's unit for {ind}", (ind, wrong)), lines)
        elif not _INDICATOR_ID.fullmatch(ind):
            out += listing(conn, Rule(
                "indicator", "d.indicator = ?",
                "an indicator id from the catalogue, or a new one in snake_case "
                "(lower-case letters, digits and _)", (ind,)), lines)
        elif len(units) > 1:
            listed = ", ".join(u for u, _ in units)
            out += listing(conn, Rule("unit", "d.indicator = ?",
                                      f"one unit for the new indicator {ind} (found {listed})",
                                      (ind,)), lines)
        else:
            new[ind] = units[0][0]
            notices.append(f"New indicator '{ind}' will be added to the catalogue "
                           f"with unit '{units[0][0]}'.")
    return out, notices, new


def duplicate_problems(conn: db.Connection, key: tuple[str, ...], lines: Lines) -> list[Problem]:
    """The same key twice in one file is an error, not a silent last-one-wins."""
    keys = ", ".join(_q(k) for k in key)
    complete = " AND ".join(f"{_q(k)} IS NOT NULL" for k in key)
    repeated = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {DIFF} WHERE {complete} GROUP BY {keys} "
        "HAVING count(*) > 1)").fetchone()[0]
    if not repeated:
        return []
    rows = conn.execute(
        f"SELECT list(_row ORDER BY _row) AS ids FROM {DIFF} WHERE {complete} GROUP BY {keys} "
        f"HAVING count(*) > 1 ORDER BY min(_row) LIMIT {PER_RULE_CAP}").fetchall()
    names = ", ".join(key)
    out = []
    for (ids,) in rows:
        first = lines(ids[0])
        out += [Problem(lines(i), None, None,
                        f"a unique ({names}); this repeats line {first}") for i in ids[1:]]
    return out
