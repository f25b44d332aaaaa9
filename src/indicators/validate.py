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

from indicators import db, iso4217, period_notation, schema
from indicators.ingest import STAGE, ParsedFile, example_values
from indicators.problems import Problem

# Rows listed per rule; the rest are counted.
PER_RULE_CAP = 1000
# Distinct wrong values explained one by one; beyond that they share one message.
PER_VALUE_CAP = 50
DIFF = "_diff"

# Columns of the figures CSV that describe its source rather than the figure.
SOURCE_FIELDS = schema.FIGURE_SOURCE_FIELDS

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
    expected_params: tuple = ()


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


def typed_sql(kind: str, name: str, dialect: Dialect, read_typed: frozenset = frozenset()) -> str:
    """SQL expression turning the staged text of one column into its typed value (a column
    in `read_typed` was typed by DuckDB's reader already: see typed_rates)."""
    if name in read_typed:
        return f"s.{_q(name)}"
    f = csv_field(kind, name)
    s = raw(name)
    if f.type == "DATE":
        return f"CASE WHEN regexp_full_match({s}, '{_ISO_DATE}') THEN TRY_CAST({s} AS DATE) END"
    if f.type == "DOUBLE":
        return number_sql(s, dialect)
    if f.rule == "currency":
        return f"upper({s})"
    if f.enum and f.default is not None:
        return f"coalesce(nullif(lower({s}), ''), {db.sql_literal(f.default)})"
    if f.enum:
        return f"nullif(lower({s}), '')"
    return f"nullif({s}, '')"


def checked_columns(parsed: ParsedFile, dialect: Dialect,
                    read_typed: frozenset = frozenset()) -> list[str]:
    """Extra SELECT items of `_diff` the rules need: blank flags and typed source dates."""
    table = schema.CSV_KINDS[parsed.kind]
    out = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        if name in read_typed:  # the reader reads a blank field as NULL
            out.append(f"s.{_q(name)} IS NULL AS {blank(name)}")
        elif name in table.csv_required or f.type in ("DATE", "DOUBLE") or name in (
                "source_url", "source_title"):
            out.append(f"coalesce({raw(name)}, '') = '' AS {blank(name)}")
        if name not in table.names and f.type == "DATE":
            out.append(f"{typed_sql(parsed.kind, name, dialect)} AS {_q(name)}")
        if name in _placeholder_columns(parsed):
            out.append(f"{placeholder(parsed.kind, name)[0]} AS {placeholder_flag(name)}")
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
        # The schema's constraints, as its CHECK states them (enums: value_set_problems).
        numeric = [c for c in f.constraints if not isinstance(c, schema.OneOf)]
        if numeric:
            holds = " AND ".join(c.sql(col) for c in numeric)
            rules.append(Rule(name, f"{col} IS NOT NULL AND NOT ({holds})", f.expected))
    for check in table.checks:  # `_diff` holds every column of the stored row, typed
        cols = {c: f"d.{_q(c)}" for c in check.columns}
        rules.append(Rule(check.column if check.column in parsed.columns else None,
                          f"NOT ({check.sql(cols)})", check.expected))
    if parsed.kind == "figures":
        cols = [c for c in ("source_url", "source_title") if c in parsed.columns]
        if cols:
            rules.append(Rule(cols[0], " AND ".join(f"d.{blank(c)}" for c in cols),
                              "a source: fill source_url or source_title (or both)"))
        if "source_url" in parsed.columns:
            rules.append(Rule("source_url", f"d.{BAD_URL}",
                              "an http:// or https:// address without spaces (other schemes, "
                              "such as javascript: or file:, are not accepted)"))
    return rules + plausibility_rules(parsed)


def _is_change(alias: str = "d") -> str:
    """SQL: the row is a change or growth, so it may be negative (see schema.CHANGE_UNITS)."""
    words = "|".join(re.escape(w) for w in schema.CHANGE_ID_WORDS)
    units = ", ".join(db.sql_literal(u) for u in schema.CHANGE_UNITS)
    return (f"(coalesce({alias}.unit IN ({units}), false) OR "
            f"regexp_matches(coalesce({alias}.indicator, ''), '{words}'))")


_PLACEHOLDER_HOST = ("(?i)^https?://([^/?#@]*@)?([^/?#:]*\\.)?("
                     + "|".join(re.escape(h) for h in schema.PLACEHOLDER_HOSTS)
                     + ")\\.?(:[0-9]*)?([/?#].*)?$")


def placeholder(kind: str, name: str) -> tuple[str, str] | None:
    """(SQL on the staged row `s` true for a placeholder value, expected) or None.

    The values are ours (schema.PLACEHOLDER_* and the template's examples), so they are
    quoted into the SQL: `_diff` is built by one statement that takes no parameters.
    """
    templ = sorted({v.strip().lower() for v in example_values(kind, name)})
    text = f"lower({raw(name)})"
    if name == "source_url":
        hosts = ", ".join(schema.PLACEHOLDER_HOSTS)
        return (f"regexp_matches(coalesce({raw(name)}, ''), '{_PLACEHOLDER_HOST}')",
                f"a real source: {hosts} (and their subdomains) are reserved example "
                "domains, so this row names no source a reader could check")
    if name == "source_title":
        titles = sorted({t.lower() for t in schema.PLACEHOLDER_TITLES} | set(templ))
        return (f"coalesce({text} IN ({', '.join(db.sql_literal(t) for t in titles)}), false)",
                "a real source title: this is the template's placeholder title")
    if name == "quote" and templ:
        return (f"coalesce({text} IN ({', '.join(db.sql_literal(t) for t in templ)}), false)",
                "the figure's own sentence from its source: this is the template's example "
                "quote")
    return None


def _placeholder_columns(parsed: ParsedFile) -> list[str]:
    return [name for name in parsed.columns
            if any(p.kind == "not_placeholder" for p in csv_field(parsed.kind, name).plausible)
            and placeholder(parsed.kind, name)]


def placeholder_flag(name: str) -> str:
    return f"_placeholder_{name}"


def plausibility_rules(parsed: ParsedFile) -> list[Rule]:
    """The schema's row-level plausibility rules (Field.plausible) as SQL rules on `_diff`."""
    rules: list[Rule] = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        for p in f.plausible:
            col = f"d.{_q(name)}"
            if p.kind == "non_negative":
                rules.append(Rule(
                    name, f"{col} < 0 AND NOT {_is_change()}", p.expected,
                    expected_sql="replace(?, 'a count or amount', 'a count or amount in ' || "
                                 "coalesce(d.unit, '?'))", expected_params=(p.expected,)))
            elif p.kind == "not_placeholder" and name in _placeholder_columns(parsed):
                rules.append(Rule(name, f"d.{placeholder_flag(name)}",
                                  placeholder(parsed.kind, name)[1]))
    return rules


def outlier_warnings(conn: db.Connection, lines: Lines, cap: int = 50) -> list[str]:
    """Figures more than `factor` times away from the median of the others of the same
    indicator, geo and period length: WARNINGS for the preview, never rejections.

    The others are the file's other rows and the stored figures the file does not replace.
    Groups of up to 8 use the exact median of the others; a larger group uses the
    group's median, which one row barely moves.
    """
    rule = schema.FIGURES.field("value").plausible
    p = next((r for r in rule if r.kind == "outlier"), None)
    if p is None:
        return []
    days = "(date_diff('day', period_start, period_end) + 1)"
    length = (f"CASE WHEN {days} >= 28 THEN 'm' || CAST(round({days} / 30.4375) AS INT) "
              f"ELSE 'd' || {days} END")
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _pool AS "
        f"SELECT _row AS id, indicator, geo, {length} AS plen, value FROM {DIFF} "
        f"WHERE value IS NOT NULL AND period_start IS NOT NULL "
        f"UNION ALL SELECT NULL, f.indicator, f.geo, {length.replace('period_', 'f.period_')}, "
        f"f.value FROM figures f WHERE f.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
        f"{DIFF} d WHERE d.indicator = f.indicator AND d.geo = f.geo AND "
        f"d.period = f.period AND d.source = f.source)")
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _outliers AS WITH g AS (SELECT indicator, geo, plen, "
        "count(*) AS n, median(value) AS m FROM _pool GROUP BY ALL HAVING count(*) > ?), "
        "o AS (SELECT d.id, d.indicator, d.geo, d.plen, d.value, "
        "median(p.value) AS m, count(*) AS n FROM _pool d JOIN g USING (indicator, geo, plen) "
        "JOIN _pool p ON p.indicator = d.indicator AND p.geo = d.geo AND p.plen = d.plen "
        "AND p.id IS DISTINCT FROM d.id WHERE d.id IS NOT NULL AND g.n <= 8 GROUP BY ALL "
        "UNION ALL SELECT d.id, d.indicator, d.geo, d.plen, d.value, g.m, g.n - 1 "
        "FROM _pool d JOIN g USING (indicator, geo, plen) WHERE d.id IS NOT NULL "
        "AND g.n > 8) "
        "SELECT o.id, o.indicator, o.geo, x.period, x.unit, o.value, o.m, o.n FROM o "
        f"JOIN {DIFF} x ON x._row = o.id WHERE o.n >= ? AND o.m <> 0 AND "
        "(abs(o.value) > ? * abs(o.m) OR abs(o.value) * ? < abs(o.m))",
        [p.min_others, p.min_others, p.factor, p.factor])
    total = conn.execute("SELECT count(*) FROM _outliers").fetchone()[0]
    rows = conn.execute("SELECT * FROM _outliers ORDER BY id LIMIT ?", [cap]).fetchall()
    conn.execute("DROP TABLE IF EXISTS _pool")
    conn.execute("DROP TABLE IF EXISTS _outliers")
    out = []
    for rid, ind, geo, period, unit, value, median, n in rows:
        out.append(f"Warning: line {lines(rid)}, column 'value': value {value:,.15g} {unit} for "
                   f"{ind}, {geo}, {period} is more than {p.factor:g}x away from the median "
                   f"{median:,.15g} {unit} of the {n} other figure(s) of the same indicator, geo "
                   "and period length; check it is in base units (1.1 million t is 1100000) "
                   "and not a typo. Not a rejection.")
    if total > cap:
        out.append(f"Warning: {total - cap} more figure(s) far from their median.")
    return out


def run_rules(conn: db.Connection, rules: list[Rule], lines: Lines) -> list[Problem]:
    """Count every rule's offending rows in one scan, then list those of the broken rules."""
    if not rules:
        return []
    totals = rule_counts(conn, rules)
    out: list[Problem] = []
    for rule, total in zip(rules, totals, strict=True):
        if total:
            out += listing(conn, rule, lines, total=total)
    return out


def rule_counts(conn: db.Connection, rules: list[Rule], extra: tuple[str, ...] = ()) -> tuple:
    """Rows of `_diff` breaking each rule, in one scan; then the `extra` aggregates."""
    counts = ", ".join([f"count(*) FILTER (WHERE {r.where})" for r in rules] + list(extra))
    params = [p for r in rules for p in r.params]
    return conn.execute(f"SELECT {counts} FROM {DIFF} d", params).fetchone()


def listing(conn: db.Connection, rule: Rule, lines: Lines,
            total: int | None = None) -> list[Problem]:
    """The rows breaking one rule, up to the cap, and a count of the rest."""
    value = f"s.{_q(rule.column)}" if rule.column else "NULL"
    expected = rule.expected_sql or "NULL"
    rows = conn.execute(
        f"SELECT d._row, {value}, {expected} FROM {DIFF} d JOIN {STAGE} s ON s._row = d._row "
        f"WHERE {rule.where} ORDER BY d._row LIMIT {PER_RULE_CAP}",
        list(rule.expected_params) + list(rule.params)).fetchall()
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


def _value_sets(parsed: ParsedFile) -> list[tuple[str, list[str], str]]:
    """(column, allowed values, expected) for each column of the file with a value set."""
    out = []
    for name in parsed.columns:
        f = csv_field(parsed.kind, name)
        if f.rule == "currency":
            out.append((name, sorted(iso4217.ALL), "an ISO 4217 currency code such as KZT or USD"))
        elif f.enum:
            out.append((name, list(f.enum), f.expected))
    return out


def value_sets_hold(conn: db.Connection, parsed: ParsedFile) -> bool:
    """Whether every value of a column with a value set is allowed (each distinct once)."""
    return all(set(_distinct(conn, name)) <= set(allowed)
               for name, allowed, _ in _value_sets(parsed))


def value_set_problems(conn: db.Connection, parsed: ParsedFile, lines: Lines) -> list[Problem]:
    """Currency codes and enumerated values, each distinct value checked once."""
    out: list[Problem] = []
    for name, allowed, expected in _value_sets(parsed):
        ok = set(allowed)
        if all(v in ok for v in _distinct(conn, name)):
            continue
        col = f"d.{_q(name)}"
        out += listing(conn, Rule(name, f"{col} <> '' AND NOT list_contains(?, {col})",
                                  expected, (allowed,)), lines)
    return out


def parse_periods(
        conn: db.Connection) -> tuple[dict[str, period_notation.Period], dict[str, list[str]]]:
    """Each distinct period in the file parsed once: text -> Period, and message -> texts."""
    good: dict[str, period_notation.Period] = {}
    wrong: dict[str, list[str]] = {}
    texts = [r[0] for r in conn.execute(
        f"SELECT DISTINCT trim(period) FROM {STAGE} WHERE trim(period) <> ''").fetchall()]
    for text in texts:
        try:
            good[text] = period_notation.parse(text)
        except period_notation.PeriodError as exc:
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
                                  f"a period: {period_notation.FORMS}", (generic,)), lines)
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
