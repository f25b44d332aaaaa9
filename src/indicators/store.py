"""Writes: plan an upload against the store, commit it as one batch, list and undo batches."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from indicators import db, ingest, schema, sources, validate
from indicators.ingest import STAGE, LineMap, ParsedFile
from indicators.problems import Problem

MODES = ("upsert", "add-only")
PREVIEW_ROWS = 200
WRITABLE = {"rates": schema.RATES, "figures": schema.FIGURES}


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
    """Columns whose change makes a row 'changed'; those a CSV row carries, minus the key."""
    carried = {"rates": ("rate",),
               "figures": ("value", "unit", "status", "quote", "derived", "derivation", "note")}
    return list(carried[table.name])


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
    new_rows: pd.DataFrame | None = None
    changed_rows: pd.DataFrame | None = None
    unchanged_rows: pd.DataFrame | None = None
    affected: list[str] = field(default_factory=list)
    batch: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class UndoRefused(Exception):
    def __init__(self, message: str, later: list[int]):
        super().__init__(message)
        self.later = later


# ---------------------------------------------------------------- planning


def _resolve_rate_sources(conn: db.Connection, parsed: ParsedFile) -> list[tuple]:
    """Map each distinct `source` text to a source id; returns sources to create."""
    known = conn.execute("SELECT id, lower(title) FROM sources").fetchall()
    ids = {i for i, _ in known}
    by_title = {t: i for i, t in known}
    texts = []
    if "source" in parsed.columns:
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
            sid, title = sources.slug_id(text), text
        mapping.append((text, sid))
        if title is not None and sid not in ids:
            ids.add(sid)
            create.append((sid, title, None, None, None, None, "user",
                           None, f"Named in an uploaded file ({parsed.origin}).", None))
    conn.execute("CREATE OR REPLACE TEMP TABLE _srcmap (txt VARCHAR, id VARCHAR)")
    conn.executemany("INSERT INTO _srcmap VALUES (?, ?)", mapping)
    return create


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
        sid = sources.source_id(u or None, t or None)
        mapping.append((u, t, sid))
        if sid not in ids:
            ids.add(sid)
            create.append((sid, t or u, u or None, sources.publisher(u), published, None,
                           "user", None, f"Added by an upload ({parsed.origin}).", None))
    conn.execute("CREATE OR REPLACE TEMP TABLE _srcmap (u VARCHAR, t VARCHAR, id VARCHAR)")
    conn.executemany("INSERT INTO _srcmap VALUES (?, ?, ?)", mapping)
    return create


def _typed_select(parsed: ParsedFile, dialect: validate.Dialect) -> str:
    t = lambda name: validate.typed_sql(parsed.kind, name, dialect)  # noqa: E731
    if parsed.kind == "rates":
        src = "m.id"
        join = ("JOIN _srcmap m ON m.txt = coalesce(trim(s.source), '')"
                if "source" in parsed.columns else "JOIN _srcmap m ON m.txt = ''")
        return (f"SELECT s._row AS _row, {t('date')} AS date, {t('base')} AS base, "
                f"{t('quote')} AS quote, {t('rate')} AS rate, {src} AS source, "
                f"CAST(NULL AS TIMESTAMP) AS fetched_at, CAST(NULL AS VARCHAR) AS request_url "
                f"FROM {STAGE} s {join}")
    opt = lambda name: t(name) if name in parsed.columns else "NULL"  # noqa: E731
    url = "coalesce(trim(s.source_url), '')" if "source_url" in parsed.columns else "''"
    title = "coalesce(trim(s.source_title), '')" if "source_title" in parsed.columns else "''"
    status = t("status") if "status" in parsed.columns else f"'{schema.STATUSES[0]}'"
    deriv = opt("derivation")
    return (
        f"SELECT s._row AS _row, {t('indicator')} AS indicator, {t('geo')} AS geo, "
        f"trim(s.period) AS period, p.start AS period_start, p.stop AS period_end, "
        f"{t('value')} AS value, {t('unit')} AS unit, {status} AS status, "
        f"{opt('quote')} AS quote, m.id AS source, ({deriv}) IS NOT NULL AS derived, "
        f"{deriv} AS derivation, {opt('note')} AS note "
        f"FROM {STAGE} s JOIN _periods p ON p.txt = trim(s.period) "
        f"JOIN _srcmap m ON m.u = {url} AND m.t = {title}"
    )


def plan(conn: db.Connection, parsed: ParsedFile, *, mode: str = "upsert") -> Plan:
    """Stage, validate and diff a parsed file; nothing is written to stored tables."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    table = WRITABLE[parsed.kind]
    result = Plan(kind=parsed.kind, origin=parsed.origin, sha256=parsed.sha256,
                  notices=list(parsed.notices))
    result.rows = ingest.stage(conn, parsed)
    structural = ingest.structure_problems(conn, parsed)
    if structural:
        result.problems = structural
        return result
    if result.rows == 0:
        result.problems = [Problem(2, None, None, "at least one data row after the header")]
        return result
    lines = LineMap(parsed)
    dialect = validate.detect_dialect(conn, parsed)
    if dialect.decimal_comma:
        result.notices.append("Decimal commas detected: 4,5 is read as 4.5.")
    problems = validate.field_problems(conn, parsed, dialect, lines)
    new_indicators: dict[str, str] = {}
    if parsed.kind == "figures":
        p_problems, parsed_periods = validate.period_problems(conn, lines)
        problems += p_problems + validate.source_problems(conn, parsed, lines)
        u_problems, notices, new_indicators = validate.unit_problems(conn, lines)
        problems += u_problems
        result.notices += notices
        conn.execute("CREATE OR REPLACE TEMP TABLE _periods (txt VARCHAR, start DATE, stop DATE)")
        conn.executemany("INSERT INTO _periods VALUES (?, ?, ?)",
                         [(k, p.start, p.end) for k, p in parsed_periods.items()])
    problems += validate.duplicate_problems(conn, _staged_key(parsed), lines)
    if problems:
        result.problems = sorted(problems, key=_problem_order)
        return result
    new_sources = (_resolve_rate_sources(conn, parsed) if parsed.kind == "rates"
                   else _resolve_figure_sources(conn, parsed))
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _typed AS {_typed_select(parsed, dialect)}")
    _diff(conn, table)
    counts = dict(conn.execute("SELECT _status, count(*) FROM _diff GROUP BY 1").fetchall())
    result.inserted = counts.get("new", 0)
    result.updated = counts.get("changed", 0)
    result.unchanged = counts.get("unchanged", 0)
    if mode == "add-only" and result.updated:
        rows = conn.execute(
            "SELECT _row FROM _diff WHERE _status = 'changed' ORDER BY _row LIMIT ?",
            [validate.PER_RULE_CAP]).fetchall()
        result.problems = [Problem(lines(r), None, None,
                                   "a new row: add-only mode refuses to change a stored row")
                           for (r,) in rows]
        return result
    conn.execute("CREATE OR REPLACE TEMP TABLE _new_sources AS SELECT * FROM sources LIMIT 0")
    if new_sources:
        conn.executemany(f"INSERT INTO _new_sources VALUES ({', '.join('?' * len(schema.SOURCES.fields))})",
                         new_sources)
    conn.execute("CREATE OR REPLACE TEMP TABLE _new_indicators AS SELECT * FROM indicators LIMIT 0")
    for ind, unit in new_indicators.items():
        conn.execute("INSERT INTO _new_indicators VALUES (?, ?, ?, 'uncategorised', ?, NULL)",
                     [ind, ind.replace("_", " ").capitalize(), unit,
                      f"Added by an upload ({parsed.origin}); describe it in the catalogue."])
    _previews(conn, table, result)
    return result


def _staged_key(parsed: ParsedFile) -> dict[str, str]:
    """The primary key as written in the file, normalised as the typed row will be."""
    if parsed.kind == "rates":
        src = "coalesce(trim(source), '')" if "source" in parsed.columns else "''"
        return {"date": "trim(date)", "base": "upper(trim(base))",
                "quote": "upper(trim(quote))", "source": src}
    url = "coalesce(trim(source_url), '')" if "source_url" in parsed.columns else "''"
    title = "coalesce(trim(source_title), '')" if "source_title" in parsed.columns else "''"
    return {"indicator": "trim(indicator)", "geo": "trim(geo)", "period": "trim(period)",
            "source": f"CASE WHEN {url} <> '' THEN {url} ELSE 'title:' || {title} END"}


def _problem_order(p: Problem) -> tuple:
    return (p.line if p.line is not None else 10**12, p.column or "")


def _diff(conn: db.Connection, table: schema.Table) -> None:
    on = " AND ".join(f"n.{_q(k)} = o.{_q(k)}" for k in table.primary_key)
    same = " AND ".join(f"n.{_q(c)} IS NOT DISTINCT FROM o.{_q(c)}" for c in compared_columns(table))
    olds = ", ".join(f"o.{_q(c)} AS {_q('old_' + c)}" for c in compared_columns(table))
    first_key = _q(table.primary_key[0])
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _diff AS SELECT n.*, "
        f"CASE WHEN o.{first_key} IS NULL THEN 'new' WHEN {same} THEN 'unchanged' "
        f"ELSE 'changed' END AS _status, {olds} "
        f"FROM _typed n LEFT JOIN {_q(table.name)} o ON {on}"
    )


def _previews(conn: db.Connection, table: schema.Table, result: Plan) -> None:
    cols = [c for c in table.names if c not in ("batch", "fetched_at", "request_url",
                                                 "period_start", "period_end", "derived")]
    sel = ", ".join(_q(c) for c in cols)
    for status, attr in (("new", "new_rows"), ("unchanged", "unchanged_rows")):
        setattr(result, attr, conn.execute(
            f"SELECT {sel} FROM _diff WHERE _status = ? ORDER BY _row LIMIT {PREVIEW_ROWS}",
            [status]).df())
    changes = ", ".join(
        f"{_q('old_' + c)} AS {_q(c + ' (old)')}, {_q(c)} AS {_q(c + ' (new)')}"
        for c in compared_columns(table))
    keys = ", ".join(_q(k) for k in table.primary_key)
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


# ---------------------------------------------------------------- committing


def next_batch_id(conn: db.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchone()[0]


def record_batch(conn: db.Connection, *, kind: str, target: str, origin: str | None,
                 sha256: str | None, inserted: int, updated: int, unchanged: int,
                 actor: str, note: str | None = None, batch_id: int | None = None) -> int:
    bid = batch_id if batch_id is not None else next_batch_id(conn)
    conn.execute(
        "INSERT INTO batches (id, kind, origin, sha256, target, rows_inserted, rows_updated, "
        "rows_unchanged, created_at, actor, undone_by, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [bid, kind, origin, sha256, target, inserted, updated, unchanged,
         datetime.now(UTC).replace(tzinfo=None), actor, note],
    )
    return bid


def commit(conn: db.Connection, result: Plan, *, batch_kind: str, actor: str) -> int:
    """Write a planned file; the caller holds the transaction."""
    table = WRITABLE[result.kind]
    bid = next_batch_id(conn)
    conn.execute("INSERT INTO sources SELECT * EXCLUDE (batch), ? FROM _new_sources", [bid])
    conn.execute("INSERT INTO indicators SELECT * EXCLUDE (batch), ? FROM _new_indicators", [bid])
    on = " AND ".join(f"o.{_q(k)} = d.{_q(k)}" for k in table.primary_key)
    conn.execute(
        f"INSERT INTO changes SELECT ?, ?, {key_json_sql(table, 'o')}, CAST(to_json(o) AS VARCHAR) "
        f"FROM {_q(table.name)} o JOIN _diff d ON {on} WHERE d._status = 'changed'",
        [bid, table.name])
    cols = [c for c in table.names if c != "batch"]
    sel = ", ".join(_q(c) for c in cols)
    target = f"{_q(table.name)} ({sel}, batch)"
    conn.execute(f"INSERT INTO {target} SELECT {sel}, ? FROM _diff WHERE _status = 'new'", [bid])
    if result.updated:
        conn.execute(
            f"INSERT OR REPLACE INTO {target} SELECT {sel}, ? FROM _diff WHERE _status = 'changed'",
            [bid])
    note = " ".join(result.notices) or None
    record_batch(conn, kind=batch_kind, target=table.name, origin=result.origin,
                 sha256=result.sha256, inserted=result.inserted, updated=result.updated,
                 unchanged=result.unchanged, actor=actor, note=note, batch_id=bid)
    return bid


def load_bytes(db_path, data: bytes, *, origin: str, kind: str | None = None,
               mode: str = "upsert", dry_run: bool = False, batch_kind: str = "import",
               actor: str | None = None) -> Plan:
    """The one ingestion path of the CLI and the Upload page: plan, then commit or not."""
    try:
        parsed = ingest.parse(data, origin=origin, kind=kind)
    except ingest.Rejected as exc:
        return Plan(kind=kind or "unknown", origin=origin, sha256="", problems=exc.problems)
    with parsed, db.connect(db_path) as conn:
        db.ensure_schema(conn)
        with db.transaction(conn):
            result = plan(conn, parsed, mode=mode)
            if result.ok and not dry_run:
                result.batch = commit(conn, result, batch_kind=batch_kind,
                                      actor=actor or default_actor())
    return result


# ---------------------------------------------------------------- history and undo


def history(conn: db.Connection, limit: int | None = None) -> pd.DataFrame:
    sql = ("SELECT id, kind, target, origin, created_at, actor, rows_inserted, rows_updated, "
           "rows_unchanged, undone_by, sha256, note FROM batches ORDER BY id DESC")
    if limit:
        return conn.execute(sql + " LIMIT ?", [limit]).df()
    return conn.execute(sql).df()


def later_conflicts(conn: db.Connection, batch_id: int) -> list[int]:
    """Later, still-active batches that overwrote rows this batch wrote."""
    rows = conn.execute(
        "SELECT DISTINCT c.batch FROM changes c JOIN batches b ON b.id = c.batch "
        "WHERE c.batch > ? AND b.undone_by IS NULL "
        "AND CAST(json_extract(c.old, '$.batch') AS BIGINT) = ? ORDER BY 1 DESC",
        [batch_id, batch_id]).fetchall()
    return [r[0] for r in rows]


def _json_structure(table: schema.Table) -> str:
    return json.dumps({f.name: f.type.replace("TEXT", "VARCHAR") for f in table.fields})


def undo(conn: db.Connection, batch_id: int, *, actor: str, cascade: bool = False) -> list[int]:
    """Restore the state before a batch; with cascade, first undo later batches that built on it.

    Returns the ids of the undo batches written. Refuses, explaining why, when a later
    batch overwrote the same rows and cascade is off.
    """
    row = conn.execute("SELECT kind, undone_by FROM batches WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise UndoRefused(f"there is no batch {batch_id}", [])
    kind, undone_by = row
    if kind == "undo":
        raise UndoRefused(f"batch {batch_id} is itself an undo; it cannot be undone", [])
    if undone_by is not None:
        raise UndoRefused(f"batch {batch_id} was already undone by batch {undone_by}", [])
    later = later_conflicts(conn, batch_id)
    if later and not cascade:
        ids = ", ".join(str(b) for b in later)
        raise UndoRefused(
            f"batch(es) {ids} changed rows that batch {batch_id} wrote; undoing {batch_id} "
            f"alone would discard them. Undo {ids} first, or undo all of them in order.", later)
    done: list[int] = []
    for b in later:
        if conn.execute("SELECT undone_by FROM batches WHERE id = ?", [b]).fetchone()[0] is None:
            done += undo(conn, b, actor=actor, cascade=True)
    done.append(_undo_one(conn, batch_id, actor=actor))
    return done


def _undo_one(conn: db.Connection, batch_id: int, *, actor: str) -> int:
    uid = next_batch_id(conn)
    deleted = restored = 0
    for table in WRITABLE.values():
        name = _q(table.name)
        deleted += conn.execute(f"SELECT count(*) FROM {name} WHERE batch = ?",
                                [batch_id]).fetchone()[0]
        conn.execute(f"DELETE FROM {name} WHERE batch = ?", [batch_id])
        n = conn.execute("SELECT count(*) FROM changes WHERE batch = ? AND tbl = ?",
                         [batch_id, table.name]).fetchone()[0]
        if n:
            conn.execute(
                f"INSERT INTO {name} SELECT s.* FROM (SELECT json_transform(old, ?) AS s "
                f"FROM changes WHERE batch = ? AND tbl = ?)",
                [_json_structure(table), batch_id, table.name])
            restored += n
    for name, ref in (("sources", "source"), ("indicators", "indicator")):
        users = " UNION ".join(f"SELECT {ref} FROM {t}" for t in
                               (("rates", "figures") if ref == "source" else ("figures",)))
        conn.execute(f"DELETE FROM {name} WHERE batch = ? AND id NOT IN ({users})", [batch_id])
    target = conn.execute("SELECT target FROM batches WHERE id = ?", [batch_id]).fetchone()[0]
    record_batch(conn, kind="undo", target=target, origin=f"undo of batch {batch_id}",
                 sha256=None, inserted=restored, updated=0, unchanged=0, actor=actor,
                 note=f"Removed {deleted - restored} row(s) added and restored {restored} "
                      f"overwritten row(s) of batch {batch_id}.", batch_id=uid)
    conn.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [uid, batch_id])
    return uid


def undo_batch(db_path, batch_id: int, *, actor: str | None = None,
               cascade: bool = False) -> list[int]:
    with db.connect(db_path) as conn, db.transaction(conn):
        return undo(conn, batch_id, actor=actor or default_actor(), cascade=cascade)
