"""Upload components: templates, the preview-and-confirm step, and the batch history with undo.

`preview_and_commit` is the one way the UI writes a CSV: it shows every problem, or a
preview of exactly what will change, and commits through `store.load_bytes` only on
confirmation, refusing if the store moved since the preview. Text that came from a file
(values, quotes, titles, column names) is shown in tables or escaped, never as Markdown.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from indicators import db, downloads, ingest, markup, problems, schema, settings, store
from indicators.ui import caching, editor

PROBLEMS_SHOWN = 500
ACTOR = "editor"
MODE_LABELS = {"upsert": "Add new rows and update changed ones (upsert)",
               "add-only": "Add only: refuse the file if any stored row would change"}
plain = markup.md  # text from a file, for Streamlit's Markdown: shown literally


def problems_frame(found: list[problems.Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"line": p.line, "column": p.column or "", "value": "" if p.value is None else p.value,
          "expected": p.expected} for p in found],
        columns=["line", "column", "value", "expected"]).astype(
            {"line": "Int64", "column": str, "value": str, "expected": str})


def problems_csv(found: list[problems.Problem]) -> bytes:
    """The problems list as a spreadsheet-safe CSV: a value like =cmd() is shown, not run."""
    return downloads.csv_bytes(problems_frame(found))


def templates(container=None) -> None:
    """Download buttons for a template of each accepted format."""
    target = container if container is not None else st.container()
    cols = target.columns(len(schema.CSV_KINDS))
    for col, kind in zip(cols, schema.CSV_KINDS, strict=True):
        table = schema.CSV_KINDS[kind]
        col.download_button(f"Template: {kind}", ingest.template(kind),
                            file_name=f"{kind}-template.csv", mime="text/csv",
                            key=f"template_{kind}", icon=":material/download:")
        col.caption(f"Columns {', '.join(table.csv_columns)}; "
                    f"required: {', '.join(table.csv_required)}"
                    + ("; and source_url or source_title." if kind == "figures" else "."))


def _frame_note(frame: pd.DataFrame | None, total: int) -> None:
    if frame is None or frame.empty:
        st.caption("None.")
        return
    st.dataframe(frame, hide_index=True)
    if total > len(frame):
        st.caption(f"First {len(frame):,} of {total:,} rows shown.")


def _show_plan(plan: store.Plan, key: str) -> None:
    for notice in plan.notices:
        st.caption(plain(notice))
    for warning in plan.warnings:
        st.warning(plain(warning), icon=":material/warning:")
    if not plan.ok:
        st.error(f"The file was not accepted: {len(plan.problems):,} problem(s), listed "
                 "below. Nothing was written. Fix them all and upload the file again.")
        st.dataframe(problems_frame(plan.problems[:PROBLEMS_SHOWN]), hide_index=True,
                     column_config={
                         "line": st.column_config.NumberColumn(format="%d", width="small"),
                         "column": st.column_config.TextColumn(width="small"),
                         "value": st.column_config.TextColumn(width="medium"),
                         "expected": st.column_config.TextColumn(width="large")})
        if len(plan.problems) > PROBLEMS_SHOWN:
            st.caption(f"… and {len(plan.problems) - PROBLEMS_SHOWN:,} more; download the "
                       "full list.")
        st.download_button("Download the list of problems (CSV)", problems_csv(plan.problems),
                           file_name="problems.csv", mime="text/csv",
                           key=f"{key}__problems")
        if plan.changed_rows is not None and not plan.changed_rows.empty:
            st.markdown("**Rows that would change** (refused in add-only mode)")
            _frame_note(plan.changed_rows, plan.updated)
        return
    a, b, c = st.columns(3)
    a.metric("New rows", f"{plan.inserted:,}")
    b.metric("Changed rows", f"{plan.updated:,}")
    c.metric("Unchanged rows", f"{plan.unchanged:,}")
    if plan.affected:
        st.markdown("**Charts that will change**")
        st.dataframe(pd.DataFrame({"chart": plan.affected}), hide_index=True)
    new, changed, same = st.tabs([f"New ({plan.inserted:,})",
                                  f"Changed, old → new ({plan.updated:,})",
                                  f"Unchanged ({plan.unchanged:,})"])
    with new:
        _frame_note(plan.new_rows, plan.inserted)
    with changed:
        _frame_note(plan.changed_rows, plan.updated)
    with same:
        _frame_note(plan.unchanged_rows, plan.unchanged)


def _report_batch(result: store.Plan, key: str) -> None:
    st.success(f"Saved as batch {result.batch}: {result.inserted:,} new, {result.updated:,} "
               f"changed and {result.unchanged:,} unchanged rows from “{plain(result.origin)}”. "
               "Every chart shows them now; the history below lists the batch.")
    if st.button(f"Undo batch {result.batch}…", key=f"{key}__undo_now"):
        # The undo is confirmed in the history below, after a preview of what it removes.
        st.session_state["history__choice"] = result.batch
        st.session_state["history__confirming"] = result.batch
        st.session_state.pop(f"{key}__done", None)
        st.rerun()


BUSY = (db.LockTimeout, store.StoreChanged)


def _busy(exc: Exception) -> None:
    st.warning(f"Nothing was written: {exc}. Try again in a moment.")


def _confirm(path: str, data: bytes, *, origin: str, kind: str | None, mode: str,
             batch_kind: str, key: str, file_id: str) -> None:
    """The confirm button's callback: commit the preview the user saw, or nothing."""
    shown = st.session_state.get(f"{key}__shown")
    try:
        result = store.load_bytes(path, data, origin=origin, kind=kind, mode=mode,
                                  batch_kind=batch_kind, actor=ACTOR, expect=shown)
    except BUSY as exc:
        st.session_state[f"{key}__busy"] = str(exc)
        return
    if result.batch is not None:
        st.session_state[f"{key}__done"] = ((file_id, kind), result)
        for k in ("__plan", "__shown"):
            st.session_state.pop(key + k, None)
        return
    ident = (file_id, kind, mode, origin, db.data_version(path))
    st.session_state[f"{key}__plan"] = (ident, result)
    st.session_state[f"{key}__stale"] = result.stale


def preview_and_commit(data: bytes, *, origin: str, kind: str | None, batch_kind: str,
                       key: str) -> store.Plan | None:
    """Problems, or a preview + mode + confirm button; commits through store on confirm.

    Only call it for editors (see `editor_gate`). `origin` labels the batch (a file name
    or URL, never opened); `batch_kind` is one of schema.BATCH_KINDS; `key` keeps several
    of these components on one page apart. Returns the plan shown, with `batch` set once
    the file has been committed; None if the store stayed locked by another process.
    """
    path = caching.db_path()
    file_id = hashlib.sha256(data).hexdigest()
    done = st.session_state.get(f"{key}__done")
    if done and done[0] == (file_id, kind):
        _report_batch(done[1], key)
        return done[1]
    mode = st.radio("Mode", store.MODES, format_func=MODE_LABELS.get, horizontal=True,
                    key=f"{key}__mode")
    ident = (file_id, kind, mode, origin, db.data_version(path))
    cached = st.session_state.get(f"{key}__plan")
    if cached and cached[0] == ident:
        plan = cached[1]
    else:
        try:
            with st.spinner("Checking every row…"):
                plan = store.load_bytes(path, data, origin=origin, kind=kind, mode=mode,
                                        dry_run=True, batch_kind=batch_kind, actor=ACTOR)
        except BUSY as exc:
            _busy(exc)
            return None
        st.session_state[f"{key}__plan"] = (ident, plan)
    busy = st.session_state.pop(f"{key}__busy", None)
    if busy:
        _busy(busy)
    if st.session_state.pop(f"{key}__stale", False):
        st.warning("The stored data changed after the preview you confirmed (another upload "
                   "or import finished meanwhile), so nothing was written. Here is the new "
                   "preview; confirm again if it is still what you want.")
    _show_plan(plan, key)
    # The callback commits the preview shown now, whatever a later run may plan afresh.
    st.session_state[f"{key}__shown"] = plan.fingerprint if plan.ok else None
    if plan.ok and not plan.inserted + plan.updated:
        st.info("Nothing to write: every row in the file is already stored with these values.")
    elif plan.ok:
        st.button("Confirm and write", type="primary", key=f"{key}__confirm",
                  help="Writes exactly this preview as one batch, or nothing if the stored "
                       "data changed since.",
                  on_click=_confirm, args=(path, data),
                  kwargs={"origin": origin, "kind": kind, "mode": mode,
                          "batch_kind": batch_kind, "key": key, "file_id": file_id})
    return plan


# ------------------------------------------------------------------ history and undo


def _undo(batch_id: int, *, key: str, cascade: bool = False) -> None:
    try:
        done = store.undo_batch(caching.db_path(), batch_id, actor=ACTOR, cascade=cascade)
    except store.UndoRefused as exc:
        st.session_state[f"{key}__refused"] = (batch_id, str(exc), exc.later)
        return
    except db.LockTimeout as exc:
        _busy(exc)
        return
    st.session_state.pop(f"{key}__refused", None)
    st.session_state[f"{key}__undone"] = (batch_id, done)


COUNT_COLUMNS = ("added", "changed", "removed", "restored", "unchanged")


def history_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """What each batch did: a load adds and changes rows; an undo removes and restores them."""
    out = pd.DataFrame({
        "batch": frame["id"],
        "when (UTC)": frame["created_at"],
        "kind": frame["kind"],
        "table": frame["target"],
        "file or origin": frame["origin"].fillna(""),
        "who": frame["actor"].fillna(""),
        "added": frame["added"],
        "changed": frame["changed"],
        "removed": frame["removed"],
        "restored": frame["restored"],
        "unchanged": frame["rows_unchanged"],
        "undone by": frame["undone_by"].astype("Int64"),
        "sha256": frame["sha256"].fillna("").str[:12],
        "note": frame["note"].fillna(""),
    })
    return out


def _batch_label(r) -> str:
    # Stable whatever happens to the batch later: the selector's value is this text, so a
    # label that changed after an undo would make the selector lose (and move) its choice.
    return f"{r.id} — {r.kind} {r.target}: {r.origin or ''}"[:120]


def _state_line(r) -> str:
    if r.kind == "undo" and pd.isna(r.undone_by):
        return (f"Batch {r.id} is an undo ({plain(r.origin or '')}). Undoing it re-applies "
                "what it reverted.")
    if r.kind == "undo":
        return f"Batch {r.id} is an undo that was itself undone by batch {int(r.undone_by)}."
    if pd.notna(r.undone_by):
        return (f"Batch {r.id} was undone by batch {int(r.undone_by)}; undo batch "
                f"{int(r.undone_by)} to re-apply it.")
    return f"Batch {r.id} is in effect."


def history_view(*, key: str = "history", editable: bool | None = None) -> None:
    """Every batch, newest first; editors can undo one (or it and the batches built on it),
    after a preview and a confirmation, and undo an undo."""
    editable = editor.is_editor() if editable is None else editable
    try:
        frame = store.read_history(caching.db_path())
    except db.LockTimeout as exc:
        st.warning(f"The history cannot be read right now: {exc}.")
        return
    undone = st.session_state.pop(f"{key}__undone", None)
    if undone:
        st.success(f"Batch {undone[0]} undone (recorded as undo batch(es) "
                   f"{', '.join(map(str, undone[1]))}). Undo that batch to re-apply it.")
    if not frame.empty:
        top = frame.iloc[0]
        st.caption(plain(f"Latest: batch {top['id']}, {top['kind']} of {top['origin'] or '–'} "
                         f"by {top['actor'] or '–'} at {top['created_at']:%Y-%m-%d %H:%M:%S} "
                         "UTC."))
    st.dataframe(history_frame(frame), hide_index=True, column_config={
        "when (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
        # Row counts with thousands grouped (35,802), as everywhere else on the dashboard.
        **{c: st.column_config.NumberColumn(format="localized") for c in COUNT_COLUMNS}})
    if not editable or frame.empty:
        return
    rows = {int(r.id): r for r in frame.itertuples()}
    choice = st.selectbox("Batch to undo", list(rows), index=None,
                          placeholder="Pick a batch to undo (or an undo, to re-apply it)",
                          format_func=lambda i: _batch_label(rows[i]) if i in rows else str(i),
                          key=f"{key}__choice")
    if choice is None or choice not in rows:
        return
    st.caption(_state_line(rows[choice]))
    refused = st.session_state.get(f"{key}__refused")
    if refused and refused[0] == choice:
        st.warning("Undo refused: " + plain(refused[1]))
    undo_panel(choice, key=key)


def undo_panel(choice: int, *, key: str) -> None:
    """The undo button, then what the undo would do, and its confirmation."""
    confirming = st.session_state.get(f"{key}__confirming")
    cascade = st.session_state.get(f"{key}__cascade_for") == choice
    if confirming != choice:
        if st.button(f"Undo batch {choice}…", key=f"{key}__undo"):
            st.session_state[f"{key}__confirming"] = choice
            st.rerun()
        return
    try:
        preview = store.read_undo_preview(caching.db_path(), choice, cascade=cascade)
    except store.UndoRefused as exc:
        st.warning("Undo refused: " + plain(str(exc)))
        if exc.later and not cascade and not str(exc).startswith("rows that undo"):
            with db.connect(caching.db_path()) as conn:
                order = store.undo_plan(conn, choice)
            if st.button(f"Show what undoing batches {', '.join(map(str, order))} in this "
                         "order would do", key=f"{key}__cascade"):
                st.session_state[f"{key}__cascade_for"] = choice
                st.rerun()
        if st.button("Cancel", key=f"{key}__cancel_refused"):
            st.session_state.pop(f"{key}__confirming", None)
            st.rerun()
        return
    except db.LockTimeout as exc:
        _busy(exc)
        return
    st.warning(preview.summary(), icon=":material/undo:")  # our words and numbers only
    if preview.rows is not None and not preview.rows.empty:
        st.dataframe(preview.rows, hide_index=True)
        if preview.total > len(preview.rows):
            st.caption(f"The first {len(preview.rows):,} of {preview.total:,} rows.")
    ok = True
    if preview.needs_typed_id:
        why = "a seed batch" if preview.seed else f"{preview.total:,} rows"
        typed = st.text_input(f"This undo touches {why}. Type the batch id {choice} to confirm",
                              key=f"{key}__typed_{choice}")
        ok = typed.strip() == str(choice)
    c1, c2 = st.columns(2)
    if c1.button(f"Confirm: undo batch {choice}", type="primary", disabled=not ok,
                 key=f"{key}__confirm_undo"):
        _undo(choice, key=key, cascade=cascade)
        st.session_state.pop(f"{key}__confirming", None)
        st.session_state.pop(f"{key}__cascade_for", None)
        st.rerun()
    if c2.button("Cancel", key=f"{key}__cancel"):
        st.session_state.pop(f"{key}__confirming", None)
        st.session_state.pop(f"{key}__cascade_for", None)
        st.rerun()


def effective_limit_mb() -> int:
    """The upload limit the page enforces: ours, capped by Streamlit's server.maxUploadSize."""
    ours = ingest.max_megabytes()
    server = int(st.get_option("server.maxUploadSize"))
    if server < ours:
        st.warning(f"{settings.MAX_UPLOAD_MB.name} allows {ours} MB but Streamlit's "
                   f"server.maxUploadSize is {server} MB; files are limited to {server} MB. "
                   "Raise server.maxUploadSize in .streamlit/config.toml to match.")
    return min(ours, server)
