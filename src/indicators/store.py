"""Writes: plan an upload against the store, commit it as one batch, list and undo batches."""

from __future__ import annotations

import getpass
import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from indicators import (
    db,
    ingest,
    iso4217,
    migration,
    schema,
    source_identity,
    typed_rates,
    validate,
)
from indicators.batch_log import history
from indicators.ingest import STAGE, LineMap, ParsedFile
from indicators.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

MODES = schema.LOAD_MODES
PREVIEW_ROWS = 200
# Every table a load writes and an undo reverts, by load kind: the two import formats, the
# seed's flags on stored rates, and the rates a refresh holds back for review.
WRITABLE = {**schema.CSV_KINDS, schema.RATE_FLAGS.name: schema.RATE_FLAGS,
            schema.HELD_RATES.name: schema.HELD_RATES}
# Figure columns a file may leave out: an existing row then keeps its stored value.
KEPT_WHEN_ABSENT = {"quote": "quote", "status": "status", "note": "note",
                    "derivation": "derivation", "derived": "derivation"}


def default_actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return "cli:" + os.environ.get("USER", "unknown")


def _q(name: str) -> str:
    return f'"{name}"'


def key_json_sql(table: schema.Table, alias: str) -> str:
    parts = ", ".join(f"CAST({alias}.{_q(k)} AS VARCHAR)" for k in table.primary_key)
    return f"CAST(to_json([{parts}]) AS VARCHAR)"


def compared_columns(table: schema.Table) -> list[str]:
    """Columns whose change makes a row 'changed': for an import format, those a CSV row
    carries, minus the key; for another table (flags, held rates), every column but the key
    and the batch."""
    carried = {"rates": ("rate",),
               "figures": ("value", "unit", "status", "quote", "derived", "derivation", "note")}
    if table.name in carried:
        return list(carried[table.name])
    return [c for c in table.names if c not in table.primary_key and c != "batch"]


@dataclass
class Plan:
    """What a file would do to the store: counts, samples, problems and notices."""

    kind: str
    origin: str
    sha256: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Plausibility warnings (schema.OUTLIER): shown in the preview, never a rejection.
    warnings: list[str] = field(default_factory=list)
    new_rows: pd.DataFrame | None = None
    changed_rows: pd.DataFrame | None = None
    unchanged_rows: pd.DataFrame | None = None
    affected: list[str] = field(default_factory=list)
    batch: int | None = None
    # Identifies the stored rows this plan would change; a commit refuses if it moved.
    fingerprint: str | None = None
    # True when a commit was asked for but the store changed after the preview.
    stale: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class StoreChanged(RuntimeError):
    """Other writes kept moving the rows a file would change; nothing was written."""


class IntegrityError(RuntimeError):
    """A write would break a rule of the schema (a lake has no constraints to stop it)."""


class UndoRefused(Exception):
    def __init__(self, message: str, later: list[int]):
        super().__init__(message)
        self.later = later


# ---------------------------------------------------------------- planning


def _resolve_rate_sources(conn: db.Connection, parsed: ParsedFile,
                          texts_sql: str | None = None) -> list[tuple]:
    """Map each distinct `source` text to a source id; returns sources to create.

    The texts are the staged file's, or those `texts_sql` selects (the typed path's)."""
    known = conn.execute("SELECT id, lower(title) FROM sources").fetchall()
    ids = {i for i, _ in known}
    by_title = {t: i for i, t in known}
    if texts_sql is not None:
        texts = [r[0] for r in conn.execute(texts_sql).fetchall()]
    elif "source" in parsed.columns:
        texts = [r[0] for r in conn.execute(
            f"SELECT DISTINCT coalesce(trim(source), '') FROM {STAGE}").fetchall()]
    else:
        texts = [""]
    mapping, create = [], []
    for text in texts:
        if not text:
            sid = "upload-" + parsed.sha256[:10]
            title = f"Uploaded file {parsed.origin}"
        elif text in ids:
            sid, title = text, None
        elif text.lower() in by_title:
            sid, title = by_title[text.lower()], None
        else:
            sid, title = source_identity.slug_id(text), text
        mapping.append((text, sid))
        if title is not None and sid not in ids:
            ids.add(sid)
            create.append(_source_row(sid, title, None, None,
                                      f"Named in an uploaded file ({parsed.origin})."))
    _temp_table(conn, "_srcmap", {"txt": "VARCHAR", "id": "VARCHAR"}, mapping)
    return create


def _temp_table(conn: db.Connection, name: str, columns: dict[str, str],
                rows: list[tuple]) -> None:
    """A temp table of Python rows, loaded in one statement whatever their number."""
    import pandas as pd  # only where a file is planned: `indicators history` stays light

    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    casts = ", ".join(f"CAST({_q(c)} AS {t}) AS {_q(c)}" for c, t in columns.items())
    conn.register("_py_rows", frame)
    try:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {casts} FROM _py_rows")
    finally:
        conn.unregister("_py_rows")


def _source_row(sid: str, title: str, url: str | None, published, note: str) -> tuple:
    row = {"id": sid, "title": title, "url": url, "publisher": source_identity.publisher(url),
           "published": published, "accessed": None, "kind": "user", "licence": None,
           "attribution": None, "note": note, "batch": None}
    return tuple(row[f.name] for f in schema.SOURCES.fields)


def _resolve_figure_sources(conn: db.Connection, parsed: ParsedFile) -> list[tuple]:
    have = {c: c in parsed.columns for c in ("source_url", "source_title", "published")}
    url = "coalesce(trim(source_url), '')" if have["source_url"] else "''"
    title = "coalesce(trim(source_title), '')" if have["source_title"] else "''"
    pub = ("min(CASE WHEN regexp_full_match(trim(published), '\\d{4}-\\d{2}-\\d{2}') "
           "THEN TRY_CAST(trim(published) AS DATE) END)") if have["published"] else "NULL"
    rows = conn.execute(
        f"SELECT {url} AS u, {title} AS t, {pub} FROM {STAGE} GROUP BY ALL").fetchall()
    ids = {r[0] for r in conn.execute("SELECT id FROM sources").fetchall()}
    mapping, create = [], []
    for u, t, published in rows:
        if not u and not t:
            continue  # reported as a problem: a figure must name its source
        sid = source_identity.source_id(u or None, t or None)
        mapping.append((u, t, sid))
        if sid not in ids:
            ids.add(sid)
            create.append(_source_row(sid, t or u, u or None, published,
                                      f"Added by an upload ({parsed.origin})."))
    _temp_table(conn, "_srcmap", {"u": "VARCHAR", "t": "VARCHAR", "id": "VARCHAR"}, mapping)
    return create


def _source_join(parsed: ParsedFile) -> str:
    if parsed.kind == "rates":
        text = "coalesce(trim(s.source), '')" if "source" in parsed.columns else "''"
        return f"LEFT JOIN _srcmap m ON m.txt = {text}"
    url = "coalesce(trim(s.source_url), '')" if "source_url" in parsed.columns else "''"
    title = "coalesce(trim(s.source_title), '')" if "source_title" in parsed.columns else "''"
    return f"LEFT JOIN _srcmap m ON m.u = {url} AND m.t = {title}"


def _typed_select(parsed: ParsedFile, dialect: validate.Dialect) -> str:
    """Each staged row typed as the stored row, plus what the rules need."""
    t = lambda name: validate.typed_sql(parsed.kind, name, dialect)  # noqa: E731
    join = _source_join(parsed)
    checked = "".join(", " + c for c in validate.checked_columns(parsed, dialect))
    if parsed.kind == "rates":
        return (f"SELECT s._row AS _row, {t('date')} AS date, {t('base')} AS base, "
                f"{t('quote')} AS quote, {t('rate')} AS rate, m.id AS source, "
                f"CAST(NULL AS TIMESTAMP) AS fetched_at, CAST(NULL AS VARCHAR) AS request_url"
                f"{checked} FROM {STAGE} s {join}")
    opt = lambda name: t(name) if name in parsed.columns else "NULL"  # noqa: E731
    status = t("status") if "status" in parsed.columns \
        else db.sql_literal(schema.FIGURES.field("status").default)
    deriv = opt("derivation")
    return (
        f"SELECT s._row AS _row, {t('indicator')} AS indicator, {t('geo')} AS geo, "
        f"coalesce(trim(s.period), '') AS period, p.start AS period_start, "
        f"p.stop AS period_end, {t('value')} AS value, {t('unit')} AS unit, "
        f"{status} AS status, {opt('quote')} AS quote, m.id AS source, "
        f"({deriv}) IS NOT NULL AS derived, {deriv} AS derivation, {opt('note')} AS note"
        f"{checked} FROM {STAGE} s LEFT JOIN _periods p ON p.txt = trim(s.period) {join}"
    )


def _absent(parsed: ParsedFile) -> list[str]:
    if parsed.kind != "figures":
        return []
    return [c for c, col in KEPT_WHEN_ABSENT.items() if col not in parsed.columns]


def plan(conn: db.Connection, parsed: ParsedFile, *, mode: str = "upsert",
         previews: bool = True) -> Plan:
    """Stage, validate and diff a parsed file into temp tables; stored tables are only read.

    A rates file is first tried by the typed path (`typed_rates`: one typed read, every
    rule counted in one scan); one it does not accept cleanly is planned by the text path,
    which lists every problem. Both build the same `_diff`. Without `previews` the plan
    has no sample rows (a caller that shows none, such as the CLI).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    table = WRITABLE[parsed.kind]
    result = Plan(kind=parsed.kind, origin=parsed.origin, sha256=parsed.sha256,
                  notices=list(parsed.notices))
    planned = _plan_typed(conn, parsed, table, result) if typed_rates.eligible(parsed) \
        else None
    if planned is None:
        planned = _plan_text(conn, parsed, table, result)
        if planned is None:
            return result
    new_sources, new_indicators, absent = planned
    result.inserted, result.updated, result.unchanged, result.fingerprint = _counts(conn, table)
    if absent and result.updated + result.unchanged:
        shown = sorted({KEPT_WHEN_ABSENT[c] for c in absent})
        result.notices.append("Column(s) not in the file keep their stored values on existing "
                              "rows: " + ", ".join(shown) + ".")
    if previews:
        _previews(conn, table, result)
    if mode == "add-only" and result.updated:
        if not db.table_exists(conn, ingest.STAGE):
            ingest.stage(conn, parsed)  # the typed path staged no text to list rows from
        result.problems = validate.listing(conn, validate.Rule(
            None, "d._status = 'changed'",
            "a new row: add-only mode refuses to change a stored row (see the changed "
            "rows in the preview, or choose upsert)"), LineMap(parsed, result.rows),
            total=result.updated)
        return result
    _catalogue_tables(
        conn, new_sources,
        [(ind, ind.replace("_", " ").capitalize(), unit, "uncategorised",
          f"Added by an upload ({parsed.origin}); describe it in the catalogue.", None)
         for ind, unit in new_indicators.items()])
    return result


def _plan_typed(conn: db.Connection, parsed: ParsedFile, table: schema.Table,
                result: Plan) -> tuple[list[tuple], dict[str, str], list[str]] | None:
    """`_diff` by the typed path, or None (nothing left behind) for the text path to do."""
    rows = typed_rates.read(conn, parsed)
    if not rows:
        typed_rates.drop(conn)
        return None
    new_sources = _resolve_rate_sources(conn, parsed, typed_rates.source_texts_sql())
    _diff(conn, table, typed_rates.typed_select(conn), [])
    if not typed_rates.clean(conn, parsed, table):
        typed_rates.drop(conn)
        return None
    result.rows = rows
    return new_sources, {}, []


def _plan_text(conn: db.Connection, parsed: ParsedFile, table: schema.Table,
               result: Plan) -> tuple[list[tuple], dict[str, str], list[str]] | None:
    """`_diff` by the text path, or None with every problem in `result.problems`."""
    try:
        result.rows = ingest.stage(conn, parsed)
    except ingest.Rejected as exc:
        result.problems = exc.problems
        return None
    problems = ingest.structure_problems(conn, parsed)
    if result.rows == 0:
        result.problems = problems or [
            Problem(2, None, None, "at least one data row after the header")]
        return None
    lines = LineMap(parsed, result.rows)
    dialect = validate.detect_dialect(conn, parsed)
    if dialect.decimal_comma:
        result.notices.append("Decimal commas detected: 4,5 is read as 4.5.")
    wrong_periods: dict[str, list[str]] = {}
    if parsed.kind == "figures":
        good, wrong_periods = validate.parse_periods(conn)
        _temp_table(conn, "_periods", {"txt": "VARCHAR", "start": "DATE", "stop": "DATE"},
                    [(k, p.start, p.end) for k, p in good.items()])
    new_sources = (_resolve_rate_sources(conn, parsed) if parsed.kind == "rates"
                   else _resolve_figure_sources(conn, parsed))
    absent = _absent(parsed)
    _diff(conn, table, _typed_select(parsed, dialect), absent)
    problems += validate.run_rules(conn, validate.row_rules(parsed, dialect), lines)
    problems += validate.value_set_problems(conn, parsed, lines)
    new_indicators: dict[str, str] = {}
    if parsed.kind == "figures":
        if not {"source_url", "source_title"} & set(parsed.columns):
            problems.append(Problem(1, "source_url", None, "a source_url or source_title "
                                    "column: every figure names its source"))
        u_problems, notices, new_indicators = validate.unit_problems(conn, lines)
        problems += validate.period_problems(conn, wrong_periods, lines) + u_problems
        result.notices += notices
    problems += validate.duplicate_problems(conn, table.primary_key, lines)
    if problems:
        result.problems = sorted(problems, key=_problem_order)
        return None
    if parsed.kind == "figures":
        result.warnings = validate.outlier_warnings(conn, lines)
    return new_sources, new_indicators, absent


def _sql_type(f: schema.Field) -> str:
    return "VARCHAR" if f.type == "TEXT" else f.type


def _problem_order(p: Problem) -> tuple:
    return (p.line if p.line is not None else 10**12, p.column or "")


def _diff(conn: db.Connection, table: schema.Table, typed: str, absent: list[str]) -> None:
    """`_diff`: each file row as it would be stored, its status and the values it replaces."""
    on = " AND ".join(f"n.{_q(k)} = o.{_q(k)}" for k in table.primary_key)
    first_key = _q(table.primary_key[0])
    final = []
    for c in table.names:
        if c == "batch":
            continue
        if c in absent:
            final.append(f"CASE WHEN o.{first_key} IS NULL THEN n.{_q(c)} ELSE o.{_q(c)} END "
                         f"AS {_q(c)}")
        else:
            final.append(f"n.{_q(c)}")
    compared = compared_columns(table)
    olds = ", ".join(f"o.{_q(c)} AS {_q('old_' + c)}" for c in compared)
    same = " AND ".join(f"{_q(c)} IS NOT DISTINCT FROM {_q('old_' + c)}" for c in compared)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _diff AS SELECT *, CASE WHEN _is_new THEN 'new' "
        f"WHEN {same} THEN 'unchanged' ELSE 'changed' END AS _status FROM ("
        f"SELECT n.* EXCLUDE ({', '.join(_q(c) for c in table.names if c != 'batch')}), "
        f"{', '.join(final)}, o.{first_key} IS NULL AS _is_new, {olds} "
        f"FROM ({typed}) n LEFT JOIN {_q(table.name)} o ON {on})"
    )


def _counts(conn: db.Connection, table: schema.Table) -> tuple[int, int, int, str]:
    """Rows new, changed and unchanged, and the plan's fingerprint, in one scan of `_diff`.

    The fingerprint is: rows new, rows matching stored ones, and a hash of those stored
    rows' values. Another writer that adds one of the new keys, or changes or deletes a
    matched row, moves it; so a commit can check that what was previewed still holds.
    """
    cols = ", ".join([_q(k) for k in table.primary_key]
                     + [_q("old_" + c) for c in compared_columns(table)])
    new, changed, unchanged, h = conn.execute(
        "SELECT count(*) FILTER (WHERE _status = 'new'), "
        "count(*) FILTER (WHERE _status = 'changed'), "
        "count(*) FILTER (WHERE _status = 'unchanged'), "
        f"coalesce(bit_xor(hash({cols})) FILTER (WHERE NOT _is_new), 0) FROM _diff").fetchone()
    return new, changed, unchanged, f"{new}-{changed + unchanged}-{h:x}"


def _current_fingerprint(conn: db.Connection, table: schema.Table) -> str:
    """The fingerprint of `_counts`, against the stored rows as this transaction sees them."""
    on = " AND ".join(f"d.{_q(k)} = o.{_q(k)}" for k in table.primary_key)
    first = f"o.{_q(table.primary_key[0])}"
    cols = ", ".join(f"o.{_q(c)}" for c in (*table.primary_key, *compared_columns(table)))
    new, matched, h = conn.execute(
        f"SELECT count(*) FILTER (WHERE {first} IS NULL), "
        f"count(*) FILTER (WHERE {first} IS NOT NULL), "
        f"coalesce(bit_xor(hash({cols})) FILTER (WHERE {first} IS NOT NULL), 0) "
        f"FROM _diff d LEFT JOIN {_q(table.name)} o ON {on}").fetchone()
    return f"{new}-{matched}-{h:x}"


def _previews(conn: db.Connection, table: schema.Table, result: Plan) -> None:
    cols = [c for c in table.names if c not in ("batch", "fetched_at", "request_url",
                                                 "period_start", "period_end", "derived")]
    sel = ", ".join(f"strftime({_q(c)}, '%Y-%m-%d') AS {_q(c)}"
                    if table.field(c).type == "DATE" else _q(c) for c in cols)
    for status, attr in (("new", "new_rows"), ("unchanged", "unchanged_rows")):
        setattr(result, attr, conn.execute(
            f"SELECT {sel} FROM _diff WHERE _status = ? ORDER BY _row LIMIT {PREVIEW_ROWS}",
            [status]).df())
    changes = ", ".join(
        f"{_q('old_' + c)} AS {_q(c + ' (old)')}, {_q(c)} AS {_q(c + ' (new)')}"
        for c in compared_columns(table))
    keys = ", ".join(f"strftime({_q(k)}, '%Y-%m-%d') AS {_q(k)}"
                     if table.field(k).type == "DATE" else _q(k) for k in table.primary_key)
    result.changed_rows = conn.execute(
        f"SELECT {keys}, {changes} FROM _diff WHERE _status = 'changed' ORDER BY _row "
        f"LIMIT {PREVIEW_ROWS}").df()
    if table.name == "figures":
        rows = conn.execute(
            "SELECT DISTINCT d.indicator, coalesce(i.name, d.indicator), d.geo FROM _diff d "
            "LEFT JOIN indicators i ON i.id = d.indicator WHERE _status <> 'unchanged' "
            "ORDER BY 1, 3").fetchall()
        result.affected = [f"Middle Corridor: {name} — {geo}" for _, name, geo in rows]
    else:
        rows = conn.execute(
            "SELECT DISTINCT base, quote FROM _diff WHERE _status <> 'unchanged' ORDER BY 1, 2"
        ).fetchall()
        result.affected = [f"Currency rates: {b}/{q}" for b, q in rows]
        headline = sorted({c for b, q in rows for c in (b, q)
                           if c in iso4217.CENTRAL_ASIA and "USD" in (b, q)})
        result.affected += [f"Overview: {c} per USD card" for c in headline]


# ---------------------------------------------------------------- committing


def next_batch_id(conn: db.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchone()[0]


def record_batch(conn: db.Connection, *, kind: str, target: str, origin: str | None,
                 sha256: str | None, inserted: int, updated: int, unchanged: int,
                 actor: str, note: str | None = None, batch_id: int | None = None) -> int:
    bid = batch_id if batch_id is not None else next_batch_id(conn)
    db.note_batch(conn, bid, kind)
    conn.execute(
        "INSERT INTO batches (id, kind, origin, sha256, target, rows_inserted, rows_updated, "
        "rows_unchanged, created_at, actor, undone_by, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [bid, kind, origin, sha256, target, inserted, updated, unchanged,
         datetime.now(UTC).replace(tzinfo=None), actor, note],
    )
    return bid


def commit(conn: db.Connection, result: Plan, *, batch_kind: str, actor: str) -> int:
    """The one write of every load: catalogue rows, data rows, undo journal, batch record.

    Every load (upload, CLI import, live refresh, saved extraction, seed) is planned into
    the temp tables `_new_sources`, `_new_indicators` and, for rates and figures, `_diff`;
    this writes them as batch `result.batch`. The caller holds the transaction (`write`).
    The SQL is the same on every back end: no `INSERT OR REPLACE`, which DuckLake refuses.
    """
    table = WRITABLE.get(result.kind)
    bid = next_batch_id(conn)
    conn.execute("INSERT INTO sources SELECT * EXCLUDE (batch), ? FROM _new_sources", [bid])
    conn.execute("INSERT INTO indicators SELECT * EXCLUDE (batch), ? FROM _new_indicators", [bid])
    if table is not None:
        bad = schema_violations(conn, table, "(SELECT * FROM _diff WHERE _status <> 'unchanged')")
        if bad:
            raise IntegrityError("refusing to write rows that break the schema: " + "; ".join(
                f"{col} = {value!r}, expected {expected}" for col, value, expected in bad))
        on = " AND ".join(f"o.{_q(k)} = d.{_q(k)}" for k in table.primary_key)
        cols = [c for c in table.names if c != "batch"]
        sel = ", ".join(_q(c) for c in cols)
        if result.updated:
            conn.execute(
                f"INSERT INTO changes SELECT ?, ?, {key_json_sql(table, 'o')}, "
                f"CAST(to_json(o) AS VARCHAR) FROM {_q(table.name)} o JOIN _diff d ON {on} "
                "WHERE d._status = 'changed'", [bid, table.name])
            sets = ", ".join(f"{_q(c)} = d.{_q(c)}" for c in cols
                             if c not in table.primary_key)
            conn.execute(
                f"UPDATE {_q(table.name)} o SET {sets}, batch = ? FROM _diff d "
                f"WHERE {on} AND d._status = 'changed'", [bid])
        if result.inserted:
            conn.execute(f"INSERT INTO {_q(table.name)} ({sel}, batch) SELECT {sel}, ? "
                         "FROM _diff WHERE _status = 'new'", [bid])
        db.check_keys(conn, table, "_diff")
    note = " ".join(result.notices + result.warnings) or None
    record_batch(conn, kind=batch_kind, target=table.name if table else "sources",
                 origin=result.origin, sha256=result.sha256 or None, inserted=result.inserted,
                 updated=result.updated, unchanged=result.unchanged, actor=actor, note=note,
                 batch_id=bid)
    return bid


def write(conn: db.Connection, make_plan, *, batch_kind: str, actor: str,
          dry_run: bool = False, expect: str | None = None, planned=None,
          in_transaction: bool = False) -> Plan:
    """Plan and commit: the one function every load goes through.

    `make_plan(conn)` stages and diffs the load into temp tables, reading the store only.
    Then one transaction checks that the stored rows are still those compared against
    (the plan's fingerprint) and calls `commit`, or writes nothing. A clash with another
    writer, or rows that moved since the plan, make it plan again, a bounded number of
    times with jittered back-off (`db.retry_delays`). With `expect` (the fingerprint of a
    preview the user confirmed) it commits only if that still holds; otherwise the fresh
    plan comes back with `stale` set. `planned(conn)` runs once a plan is good, before the
    transaction (a file's staged text is freed there). With `in_transaction` the caller
    holds one transaction around several loads (the seed): no retry, one plan, one commit.
    """
    if in_transaction:
        result = make_plan(conn)
        if result.ok and not dry_run:
            result.batch = commit(conn, result, batch_kind=batch_kind, actor=actor)
        return result
    clash: Exception | None = None
    previous: str | None = None
    for delay in db.retry_delays():
        result = make_plan(conn)
        if clash is not None and result.fingerprint == previous:
            raise clash  # nothing else moved: the failure was ours, not a race
        if expect is not None and result.ok and result.fingerprint != expect:
            result.stale = True
        if not result.ok or dry_run or result.stale:
            return result
        if planned is not None:
            planned(conn)
        clash, batch, previous = None, None, result.fingerprint
        try:
            with db.transaction(conn):
                table = WRITABLE.get(result.kind)
                if table is None or _current_fingerprint(conn, table) == result.fingerprint:
                    batch = commit(conn, result, batch_kind=batch_kind, actor=actor)
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            clash = exc  # another connection committed some of the same rows first
        if batch is not None:
            result.batch = batch
            return result
        # Those rows changed after the plan and nothing was written: wait, plan again.
        time.sleep(delay)
    raise StoreChanged("the store kept changing while this load was being written; "
                       "nothing was written, try again")


def plan_rows(conn: db.Connection, kind: str, rows: pd.DataFrame, *, origin: str,
              new_sources: list[tuple] = ()) -> Plan:
    """The plan of rows that arrive typed (a live refresh), diffed as a file's rows are.

    `rows` has the table's columns except `batch`; a key given twice keeps its last row.
    Rows are checked against the schema's rules here too, since a lake has no CHECK.
    """
    table = WRITABLE[kind]
    cols = [c for c in table.names if c != "batch"]
    _temp_table(conn, "_incoming", {c: _sql_type(table.field(c)) for c in cols},
                list(rows[cols].itertuples(index=False, name=None)))
    keys = ", ".join(_q(k) for k in table.primary_key)
    typed = (f"SELECT * FROM (SELECT row_number() OVER () AS _row, * FROM _incoming) "
             f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _row DESC) = 1")
    result = Plan(kind=kind, origin=origin, sha256="")
    result.rows = len(rows)
    _diff(conn, table, typed, [])
    bad = schema_violations(conn, table, "_diff")
    if bad:
        result.problems = [Problem(None, col, value, expected) for col, value, expected in bad]
        return result
    result.inserted, result.updated, result.unchanged, result.fingerprint = _counts(conn, table)
    _catalogue_tables(conn, new_sources, [])
    return result


def plan_catalogue(conn: db.Connection, origin: str, sources_rows: list[tuple],
                   indicator_rows: list[tuple]) -> Plan:
    """The plan of catalogue rows (the seed's sources and indicators), all new."""
    known = {r[0] for r in conn.execute(
        "SELECT id FROM sources UNION ALL SELECT id FROM indicators").fetchall()}
    result = Plan(kind="catalogue", origin=origin, sha256="")
    clash = sorted({r[0] for r in (*sources_rows, *indicator_rows)} & known)
    if clash:
        result.problems = [Problem(None, "id", i, "an id not yet in the catalogue")
                           for i in clash]
        return result
    result.rows = result.inserted = len(sources_rows) + len(indicator_rows)
    _catalogue_tables(conn, sources_rows, indicator_rows)
    return result


def _catalogue_tables(conn: db.Connection, sources_rows, indicator_rows) -> None:
    _temp_table(conn, "_new_sources", {f.name: _sql_type(f) for f in schema.SOURCES.fields},
                list(sources_rows))
    _temp_table(conn, "_new_indicators",
                {f.name: _sql_type(f) for f in schema.INDICATORS.fields}, list(indicator_rows))


def schema_violations(conn: db.Connection, table: schema.Table,
                      relation: str) -> list[tuple[str, str, str]]:
    """(field, a value, what was expected) for each rule of `table` some row of `relation` breaks.

    The rules are the schema's NOT NULL, constraint and row-check declarations. The file store's
    constraints enforce them as well; a lake has only NOT NULL, so `commit` checks every
    load with this, in one scan, before it writes.
    """
    tests: list[tuple[str, str, list, str]] = []  # field, failing condition, params, rule
    for f in table.fields:
        if f.name == "batch":
            continue
        col = _q(f.name)
        if f.required:
            tests.append((f.name, f"{col} IS NULL", [], "a value (the field is required)"))
        if f.constraints:  # the same predicates as the CHECK and validate's rules
            tests.append((f.name, f"NOT ({f.check_sql(col)})", [], f.expected))
    for check in table.checks:
        tests.append((check.column, f"NOT ({check.sql()})", [], check.expected))
    if not tests:
        return []
    sel = ", ".join(f"count(*) FILTER (WHERE {cond}), "
                    f"any_value(CAST({_q(name)} AS VARCHAR)) FILTER (WHERE {cond})"
                    for name, cond, _p, _e in tests)
    params = [v for _n, _c, p, _e in tests for v in p + p]
    row = conn.execute(f"SELECT {sel} FROM {relation}", params).fetchone()
    return [(name, row[2 * i + 1], expected)
            for i, (name, _c, _p, expected) in enumerate(tests) if row[2 * i]]


def _open_store(conn: db.Connection) -> None:
    # Schema statements are writes; run them only on a store that lacks the tables.
    if not db.has_schema(conn):
        db.ensure_schema(conn)


def _open_store_to_write(conn: db.Connection) -> None:
    """`_open_store`, and a file store made with key indexes on the tables loads write
    loses them (once, `migration.drop_key_indexes`): the write path keeps those keys."""
    _open_store(conn)
    migration.drop_key_indexes(conn)


def load_bytes(db_path, data: bytes, *, origin: str, kind: str | None = None,
               mode: str = "upsert", dry_run: bool = False, batch_kind: str = "import",
               actor: str | None = None, expect: str | None = None,
               source: Path | None = None, source_stat: tuple[int, int] | None = None,
               previews: bool = True) -> Plan:
    """The one ingestion path of the CLI and the Upload page: plan, then commit or not.

    The file is staged, validated and compared with the store in temp tables, reading
    the store only; then one transaction checks that the stored rows are still those
    compared against and writes everything, or nothing. With `expect` (the fingerprint
    of a preview the user confirmed) the commit goes ahead only if it still matches;
    otherwise the fresh plan comes back with `stale` set and nothing written.
    """
    try:
        parsed = ingest.parse(data, origin=origin, kind=kind, source=source,
                              source_stat=source_stat)
    except ingest.Rejected as exc:
        return Plan(kind=kind or "unknown", origin=origin, sha256="", problems=exc.problems)
    with parsed, db.connect(db_path) as conn:
        _open_store_to_write(conn)
        return write(conn, lambda c: plan(c, parsed, mode=mode, previews=previews),
                     batch_kind=batch_kind,
                     actor=actor or default_actor(), dry_run=dry_run, expect=expect,
                     planned=ingest.unstage)


def load_path(db_path, path: str | os.PathLike, **kw) -> Plan:
    """`load_bytes` for a file on disk, refused by its size before it is read."""
    path = Path(path)
    too_big = ingest.size_problem(path.stat().st_size)
    if too_big:
        return Plan(kind=kw.get("kind") or "unknown", origin=path.name, sha256="",
                    problems=[too_big])
    before = ingest.file_stat(path)  # DuckDB may scan the file itself: see ingest.parse
    return load_bytes(db_path, path.read_bytes(), origin=kw.pop("origin", path.name),
                      source=path, source_stat=before, **kw)


# ---------------------------------------------------------------- history and undo


def read_history(db_path, limit: int | None = None) -> pd.DataFrame:
    with db.connect(db_path) as conn:
        _open_store(conn)
        return history(conn, limit)


def later_conflicts(conn: db.Connection, batch_id: int) -> list[int]:
    """Later, still-active batches that overwrote rows this batch wrote, newest first."""
    rows = conn.execute(
        "SELECT DISTINCT c.batch FROM changes c JOIN batches b ON b.id = c.batch "
        "WHERE c.batch > ? AND b.undone_by IS NULL "
        "AND CAST(json_extract(c.old, '$.batch') AS BIGINT) = ? ORDER BY 1 DESC",
        [batch_id, batch_id]).fetchall()
    return [r[0] for r in rows]


def undo_plan(conn: db.Connection, batch_id: int) -> list[int]:
    """The batches an undo of `batch_id` with cascade reverts, in the order it reverts them."""
    order: list[int] = []
    for b in later_conflicts(conn, batch_id):
        for x in undo_plan(conn, b):
            if x not in order:
                order.append(x)
    order.append(batch_id)
    return order


def _json_structure(table: schema.Table) -> str:
    return json.dumps({f.name: f.type.replace("TEXT", "VARCHAR") for f in table.fields})


def undo(conn: db.Connection, batch_id: int, *, actor: str, cascade: bool = False) -> list[int]:
    """Restore the state before a batch; with cascade, first undo later batches that built on it.

    Undoing an undo re-applies the batch it reverted (a redo). Returns the ids of the undo
    batches written. Refuses, explaining why, when a later batch overwrote the same rows
    and cascade is off.
    """
    row = conn.execute("SELECT kind, undone_by FROM batches WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise UndoRefused(f"there is no batch {batch_id}", [])
    kind, undone_by = row
    if kind == "undo":
        if undone_by is not None:
            raise UndoRefused(f"batch {batch_id} was already undone (redone) by batch "
                              f"{undone_by}", [])
        return [_redo_one(conn, batch_id, actor=actor)]
    if undone_by is not None:
        raise UndoRefused(f"batch {batch_id} was already undone by batch {undone_by}; "
                          f"undo batch {undone_by} to re-apply it", [])
    later = later_conflicts(conn, batch_id)
    if later and not cascade:
        ids = ", ".join(str(b) for b in later)
        raise UndoRefused(
            f"later batch(es) {ids} changed rows that batch {batch_id} wrote; undoing "
            f"{batch_id} alone would discard their changes. Undo {ids} first, or undo "
            f"{ids} and {batch_id} together, newest first.", later)
    done: list[int] = []
    for b in later:
        if conn.execute("SELECT undone_by FROM batches WHERE id = ?", [b]).fetchone()[0] is None:
            done += undo(conn, b, actor=actor, cascade=True)
    done.append(_undo_one(conn, batch_id, actor=actor))
    return done


def _journal(conn: db.Connection, batch_id: int, table: schema.Table, where: str,
             params: list) -> int:
    """Record whole rows of `table` that batch `batch_id` is about to delete; their count."""
    name = _q(table.name)
    conn.execute(f"INSERT INTO changes SELECT ?, ?, {key_json_sql(table, 'o')}, "
                 f"CAST(to_json(o) AS VARCHAR) FROM {name} o WHERE {where}",
                 [batch_id, table.name, *params])
    return conn.execute("SELECT count(*) FROM changes WHERE batch = ? AND tbl = ?",
                        [batch_id, table.name]).fetchone()[0]


def _restore(conn: db.Connection, journal_batch: int, table: schema.Table) -> int:
    """Insert the rows journalled by `journal_batch` for `table` back; their count."""
    n = conn.execute("SELECT count(*) FROM changes WHERE batch = ? AND tbl = ?",
                     [journal_batch, table.name]).fetchone()[0]
    if n:
        conn.execute(
            f"INSERT INTO {_q(table.name)} SELECT s.* FROM (SELECT json_transform(old, ?) AS s "
            f"FROM changes WHERE batch = ? AND tbl = ?)",
            [_json_structure(table), journal_batch, table.name])
    return n


_CATALOGUE = ((schema.SOURCES, "source", ("rates", "figures")),
              (schema.INDICATORS, "indicator", ("figures",)))


def _undo_one(conn: db.Connection, batch_id: int, *, actor: str) -> int:
    """Revert one batch. Every row it deletes is journalled under the undo batch, so that
    the undo itself can be undone (`_redo_one`)."""
    uid = next_batch_id(conn)
    deleted = restored = 0
    for table in WRITABLE.values():
        deleted += _journal(conn, uid, table, "o.batch = ?", [batch_id])
        conn.execute(f"DELETE FROM {_q(table.name)} WHERE batch = ?", [batch_id])
        restored += _restore(conn, batch_id, table)
    for table, ref, users in _CATALOGUE:
        used = " UNION ".join(f"SELECT {ref} FROM {t}" for t in users)
        where = f"batch = ? AND id NOT IN ({used})"
        _journal(conn, uid, table, "o." + where, [batch_id])
        conn.execute(f"DELETE FROM {_q(table.name)} WHERE {where}", [batch_id])
    target = conn.execute("SELECT target FROM batches WHERE id = ?", [batch_id]).fetchone()[0]
    record_batch(conn, kind="undo", target=target, origin=f"undo of batch {batch_id}",
                 sha256=None, inserted=restored, updated=0, unchanged=0, actor=actor,
                 note=f"Removed {deleted - restored} row(s) added and restored {restored} "
                      f"overwritten row(s) of batch {batch_id}.", batch_id=uid)
    conn.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [uid, batch_id])
    return uid


def undone_by_undo(conn: db.Connection, undo_id: int) -> int | None:
    """The batch that undo batch `undo_id` reverted (None for a redo or an unknown id)."""
    row = conn.execute("SELECT id FROM batches WHERE undone_by = ? AND kind <> 'undo'",
                       [undo_id]).fetchone()
    return row[0] if row else None


def _redo_one(conn: db.Connection, undo_id: int, *, actor: str) -> int:
    """Undo an undo: put back the rows it removed, as the reverted batch wrote them.

    Refuses when a later batch changed any of those rows since the undo, or when the undo
    was recorded before undos journalled what they removed.
    """
    batch_id = undone_by_undo(conn, undo_id)
    if batch_id is None:
        # A redo: the undo it undid journalled the rows of the batch it re-applied.
        again = conn.execute(
            "SELECT max(CAST(json_extract(c.old, '$.batch') AS BIGINT)) FROM changes c "
            "JOIN batches u ON u.id = c.batch WHERE u.undone_by = ?", [undo_id]).fetchone()
        which = f"batch {again[0]}" if again and again[0] is not None else "that batch"
        raise UndoRefused(f"batch {undo_id} re-applied {which}; to remove it again, undo "
                          f"{which}", [])
    journalled = conn.execute("SELECT count(*) FROM changes WHERE batch = ?",
                              [undo_id]).fetchone()[0]
    written = conn.execute("SELECT rows_inserted + rows_updated FROM batches WHERE id = ?",
                           [batch_id]).fetchone()[0]
    if journalled == 0 and written:
        raise UndoRefused(f"undo batch {undo_id} was recorded before undos kept the rows they "
                          f"removed, so it cannot be undone; load batch {batch_id}'s file "
                          "again instead", [])
    later: set[int] = set()
    for table in WRITABLE.values():
        name, key = _q(table.name), key_json_sql(table, "o")
        # Each key the undo touched must still hold what the undo left: the overwritten
        # row it restored (same batch label), or nothing where the batch had added it.
        rows = conn.execute(
            f"SELECT DISTINCT o.batch FROM {name} o "
            f"JOIN changes j ON j.batch = ? AND j.tbl = ? AND j.key = {key} "
            f"LEFT JOIN changes c ON c.batch = ? AND c.tbl = ? AND c.key = j.key "
            "WHERE c.key IS NULL OR o.batch IS DISTINCT FROM "
            "CAST(json_extract(c.old, '$.batch') AS BIGINT)",
            [undo_id, table.name, batch_id, table.name]).fetchall()
        later |= {r[0] for r in rows}
        gone = conn.execute(
            f"SELECT count(*) FROM changes c WHERE c.batch = ? AND c.tbl = ? AND NOT EXISTS "
            f"(SELECT 1 FROM {name} o WHERE {key} = c.key)",
            [batch_id, table.name]).fetchone()[0]
        if gone:
            later.add(None)
    if later:
        ids = ", ".join(str(b) for b in sorted(x for x in later if x is not None))
        raise UndoRefused(
            f"rows that undo batch {undo_id} restored were changed or removed since"
            + (f" (by batch(es) {ids})" if ids else "")
            + f"; re-applying batch {batch_id} would discard that. Undo those first.",
            sorted(x for x in later if x is not None))
    rid = next_batch_id(conn)
    added = changed = 0
    for table in WRITABLE.values():
        name = _q(table.name)
        key = key_json_sql(table, name)
        changed += conn.execute(
            "SELECT count(*) FROM changes WHERE batch = ? AND tbl = ?",
            [batch_id, table.name]).fetchone()[0]
        conn.execute(f"DELETE FROM {name} WHERE {key} IN "
                     "(SELECT key FROM changes WHERE batch = ? AND tbl = ?)",
                     [undo_id, table.name])
        added += _restore(conn, undo_id, table)
    for table, _ref, _users in _CATALOGUE:
        _restore(conn, undo_id, table)
    added -= changed
    target = conn.execute("SELECT target FROM batches WHERE id = ?", [batch_id]).fetchone()[0]
    record_batch(conn, kind="undo", target=target,
                 origin=f"undo of batch {undo_id} (redo of batch {batch_id})", sha256=None,
                 inserted=added, updated=changed, unchanged=0, actor=actor,
                 note=f"Re-applied batch {batch_id}: added {added} row(s) again and changed "
                      f"{changed} row(s) again.", batch_id=rid)
    conn.execute("UPDATE batches SET undone_by = NULL WHERE id = ?", [batch_id])
    conn.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [rid, undo_id])
    return rid


def undo_batch(db_path, batch_id: int, *, actor: str | None = None,
               cascade: bool = False) -> list[int]:
    clash: Exception | None = None
    for delay in db.retry_delays():
        try:
            with db.connect(db_path) as conn, db.transaction(conn):
                return undo(conn, batch_id, actor=actor or default_actor(), cascade=cascade)
        except duckdb.TransactionException as exc:
            clash = exc  # a lake's commit clashed with maintenance: the whole undo again
        time.sleep(delay)
    raise StoreChanged(f"the store kept changing while undoing batch {batch_id}; "
                       "nothing was undone, try again") from clash


# The number an undo preview shows for a row (a flag has none).
VALUE_FIELD = {"rates": "rate", "figures": "value", "held_rates": "rate"}
TYPED_CONFIRMATION_ROWS = 100  # an undo of more rows than this, or of a seed, asks for the id


@dataclass
class UndoPreview:
    """What an undo (or the undo of an undo, a redo) would do, worked out and rolled back."""

    batch: int
    redo: bool
    order: list[int]  # the batches it reverts or re-applies, in that order
    removed: int = 0
    restored: int = 0
    added: int = 0
    changed: int = 0
    rows: pd.DataFrame | None = None  # action, batch, table, row, value now, value after
    seed: bool = False

    @property
    def total(self) -> int:
        return self.removed + self.restored + self.added + self.changed

    @property
    def needs_typed_id(self) -> bool:
        return self.seed or self.total > TYPED_CONFIRMATION_ROWS

    def summary(self) -> str:
        if self.redo:
            return (f"Undoing undo batch {self.batch} re-applies batch {self.order[0]}: "
                    f"{self.added:,} row(s) added again and {self.changed:,} row(s) changed "
                    "again.")
        which = (f"batch {self.batch}" if len(self.order) == 1 else
                 "batches " + ", ".join(map(str, self.order)) + " (in this order)")
        return (f"Undoing {which} removes {self.removed:,} row(s) it added and restores "
                f"{self.restored:,} row(s) it overwrote to their earlier values.")


def _preview_rows(conn: db.Connection, journal: int, earlier: int, redo: bool,
                  limit: int) -> pd.DataFrame:
    """Rows an undo (journal = the undo, earlier = the batch) or a redo touches, first `limit`."""
    parts = []
    for table in WRITABLE.values():
        now, after = ("c.old", "j.old") if redo else ("j.old", "c.old")
        field = VALUE_FIELD.get(table.name)

        def value(side: str, f: str | None = field) -> str:
            return f"CAST(json_extract({side}, '$.{f}') AS DOUBLE)" if f else "CAST(NULL AS DOUBLE)"

        action = ("CASE WHEN c.key IS NULL THEN 'added again' ELSE 'changed again' END" if redo
                  else "CASE WHEN c.key IS NULL THEN 'removed' ELSE 'restored' END")
        parts.append(
            f"SELECT {action} AS action, ? AS tbl, j.key, "
            f"{value(now)} AS now, {value(after)} AS after "
            "FROM changes j LEFT JOIN changes c ON c.batch = ? AND c.tbl = j.tbl "
            "AND c.key = j.key WHERE j.batch = ? AND j.tbl = ?")
    params = [p for t in WRITABLE.values() for p in (t.name, earlier, journal, t.name)]
    import pandas as pd

    rows = conn.execute(" UNION ALL ".join(parts) + " ORDER BY 2, 3 LIMIT ?",
                        [*params, limit]).fetchall()
    return pd.DataFrame({
        "action": [r[0] for r in rows], "table": [r[1] for r in rows],
        "row": [" · ".join(str(v) for v in json.loads(r[2])) for r in rows],
        "value now": [r[3] for r in rows], "value after": [r[4] for r in rows]})


def preview_undo(conn: db.Connection, batch_id: int, *, cascade: bool = False,
                 limit: int = 20) -> UndoPreview:
    """Work out what `undo` would do inside a transaction, then roll it back.

    Raises UndoRefused as `undo` would. Nothing is written.
    """
    conn.execute("BEGIN TRANSACTION")
    try:
        reverted = undone_by_undo(conn, batch_id)  # set when batch_id is an undo: a redo
        done = undo(conn, batch_id, actor="preview", cascade=cascade)
        if reverted is not None:
            result = UndoPreview(batch=batch_id, redo=True, order=[reverted])
            result.added, result.changed = conn.execute(
                "SELECT rows_inserted, rows_updated FROM batches WHERE id = ?",
                [done[0]]).fetchone()
            pairs = [(batch_id, reverted)]
        else:
            result = UndoPreview(batch=batch_id, redo=False, order=[])
            pairs = []
            for uid in done:
                b = undone_by_undo(conn, uid)
                result.order.append(b)
                restored = conn.execute("SELECT rows_inserted FROM batches WHERE id = ?",
                                        [uid]).fetchone()[0]
                journalled = conn.execute(
                    "SELECT count(*) FROM changes WHERE batch = ? AND tbl IN "
                    "('rates', 'figures')", [uid]).fetchone()[0]
                result.restored += restored
                result.removed += journalled - restored
                pairs.append((uid, b))
        result.seed = conn.execute(
            "SELECT count(*) FROM batches WHERE kind = 'seed' AND id IN "
            f"({', '.join('?' * len(result.order))})", result.order).fetchone()[0] > 0
        frames = [_preview_rows(conn, j, b, result.redo, limit).assign(batch=b)
                  for j, b in pairs]
        import pandas as pd

        result.rows = pd.concat(frames, ignore_index=True).head(limit)
        return result
    finally:
        conn.execute("ROLLBACK")


def read_undo_preview(db_path, batch_id: int, *, cascade: bool = False,
                      limit: int = 20) -> UndoPreview:
    """`preview_undo` on its own connection; raises UndoRefused as `undo_batch` would."""
    with db.connect(db_path) as conn:
        return preview_undo(conn, batch_id, cascade=cascade, limit=limit)
