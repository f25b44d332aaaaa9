"""The `indicators` command: init, import, export, history, undo, docs.

Each command imports what it needs when it runs: `--help` loads no data library, and
pandas, requests and the extractor load only in the commands that use them (issue 15).
`tests/test_cli_imports.py` checks it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indicators import schema

EXIT_REJECTED = 2
EXIT_ERROR = 1

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None,
    help="Database file, or ducklake:postgres:<libpq string> for a lake "
         "(default: $INDICATORS_DB, else data/indicators.duckdb).")


class _Main(click.Group):
    """Every command: a store that cannot be opened or read ends in one line naming it
    (its password masked) and exit status 1, not a Python traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            db = sys.modules.get("indicators.db")  # not imported by --help
            if db is None or not isinstance(exc, (db.Error, db.LakeError, db.LockTimeout)):
                raise
            click.echo(f"error: {db.redact(exc)}", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Central Asian connectivity indicators: a sourced store of rates and corridor figures."""


@main.command()
@db_option
def init(db_path: str | None) -> None:
    """Create the database and load the seed data if it is empty (safe to re-run)."""
    from indicators import db, seed

    path = db.resolve_path(db_path)
    try:
        batches = seed.init(path)
    except (seed.SeedError, db.Error, db.LakeError, OSError) as exc:
        raise click.ClickException(db.redact(exc)) from None
    where = db.describe(path)
    if batches:
        click.echo(f"Created {where} and loaded the seed in batches {batches[0]}–{batches[-1]}.")
    else:
        click.echo(f"{where} already holds data; nothing to do.")


def _prepare(path: Path) -> None:
    """Create and seed a new store; leave an existing one untouched.

    Rewriting the schema on every command would put DDL in the write-ahead log, which
    DuckDB 1.5.5 cannot replay after a crash (duckdb/duckdb#19712): only new stores get it.
    """
    from indicators import batch_log

    if not batch_log.is_ready(path):
        from indicators import seed

        seed.init(path)


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(sorted(schema.CSV_KINDS)), default=None,
              help="rates or figures; inferred from the header when omitted.")
@click.option("--mode", type=click.Choice(schema.LOAD_MODES), default="upsert", show_default=True,
              help="add-only rejects the file if any stored row would change.")
@click.option("--dry-run", is_flag=True,
              help="Validate and report what would change; write nothing.")
@db_option
def import_(file: str, kind: str | None, mode: str, dry_run: bool, db_path: str | None) -> None:
    """Validate FILE and load it as one batch (all-or-nothing); prints the batch id and rows
    inserted / updated / unchanged. Exit 0 imported, 2 rejected (every problem on stderr with
    line, column, value and what was expected; nothing written), 1 other error."""
    from indicators import db, problems, seed, store

    path = db.resolve_path(db_path)
    try:
        _prepare(path)
        # The command prints counts, notices and problems, never sample rows.
        result = store.load_path(path, file, kind=kind, mode=mode, dry_run=dry_run,
                                 previews=False)
    except (db.Error, db.LockTimeout, db.LakeError, store.StoreChanged, OSError,
            seed.SeedError) as exc:
        click.echo(f"error: {db.redact(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    for notice in result.notices:
        click.echo(f"notice: {notice}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning.removeprefix('Warning: ')}", err=True)
    if not result.ok:
        click.echo(f"{file}: rejected, {len(result.problems)} problem(s); nothing was written.",
                   err=True)
        for line in problems.summarise(result.problems):
            click.echo(f"  {line}", err=True)
        sys.exit(EXIT_REJECTED)
    head = "dry run, nothing written" if dry_run else f"batch {result.batch}"
    click.echo(f"{head}: {result.kind}: {result.inserted} inserted, {result.updated} updated, "
               f"{result.unchanged} unchanged")


@main.command(name="export")
@click.option("--kind", type=click.Choice(sorted(schema.CSV_KINDS)), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write to this file instead of standard output.")
@click.option("--spreadsheet-safe", is_flag=True,
              help="Prefix text cells starting with = + - @ with an apostrophe, so a "
                   "spreadsheet shows them instead of running them; the file then no longer "
                   "re-imports exactly.")
@db_option
def export_(kind: str, output: str | None, spreadsheet_safe: bool,
            db_path: str | None) -> None:
    """Write stored rows in the import format, deterministically ordered. Exact by default:
    importing the export changes nothing, and text is written as stored (a cell may start
    with '='). Use --spreadsheet-safe for a file to open in a spreadsheet."""
    from indicators import db, export, seed

    path = db.resolve_path(db_path)
    seed.init(path)
    with db.connect(path) as conn:
        text = export.to_csv(conn, kind, spreadsheet_safe=spreadsheet_safe)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("-n", "--limit", type=int, default=None, metavar="N",
              help="Show only the newest N batches.")
@db_option
def history(limit: int | None, db_path: str | None) -> None:
    """Every batch, newest first: id, time, kind, table, counts, origin, who."""
    from indicators import batch_log, db

    path = db.resolve_path(db_path)
    records = None
    if db.exists(path):  # one connection in the usual case: check and read together
        with db.connect(path) as conn:
            if batch_log.is_ready_conn(conn):
                records = batch_log.history_records(conn, limit)
    if records is None:
        _prepare(path)
        with db.connect(path) as conn:
            records = batch_log.history_records(conn, limit)
    for r in records:
        undone = "" if r["undone_by"] is None else f" (undone by {int(r['undone_by'])})"
        click.echo(f"{r['id']}\t{r['created_at']:%Y-%m-%d %H:%M:%S}\t{r['kind']}\t"
                   f"{r['target']}\tadded {r['added']}, changed {r['changed']}, removed "
                   f"{r['removed']}, restored {r['restored']}, unchanged {r['rows_unchanged']}"
                   f"\t{r['origin'] or ''}\t{r['actor'] or ''}{undone}")


@main.command()
@click.argument("batch_id", type=int)
@click.option("--cascade", is_flag=True,
              help="Also undo later batches that changed the same rows, newest first.")
@click.option("--dry-run", is_flag=True,
              help="Say what the undo would remove and restore, and write nothing.")
@db_option
def undo(batch_id: int, cascade: bool, dry_run: bool, db_path: str | None) -> None:
    """Restore exactly the state before BATCH_ID, saying first what that removes and restores;
    refuses if a later batch changed the same rows, unless --cascade undoes those first.
    BATCH_ID may be an undo: undoing it re-applies the batch it reverted (a redo)."""
    from indicators import db, store

    path = db.resolve_path(db_path)
    try:
        preview = store.read_undo_preview(path, batch_id, cascade=cascade, limit=20)
        click.echo(preview.summary())
        for r in preview.rows.itertuples(index=False):
            now = "–" if r[3] != r[3] or r[3] is None else f"{r[3]:g}"
            after = "–" if r[4] != r[4] or r[4] is None else f"{r[4]:g}"
            click.echo(f"  {r[0]}\t{r[1]}\t{r[2]}\t{now} -> {after}")
        if preview.total > len(preview.rows):
            click.echo(f"  … and {preview.total - len(preview.rows):,} more row(s)")
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        done = store.undo_batch(path, batch_id, cascade=cascade)
    except store.UndoRefused as exc:
        click.echo(f"undo refused: {exc}", err=True)
        if exc.later and not cascade and not str(exc).startswith("rows that undo"):
            click.echo(f"  run: indicators undo {batch_id} --cascade", err=True)
        sys.exit(EXIT_REJECTED)
    click.echo("undone: " + ", ".join(f"batch {b}" for b in preview.order)
               + " (recorded as " + ", ".join(f"batch {b}" for b in done) + ")")


class _SourceOption(click.Option):
    """--source, whose help lists the source ids: read only when the help is shown, so that
    defining the command does not import the fetchers (and requests)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from indicators import fetch

        self.help = "all, or one or more (comma-separated) of: " + ", ".join(fetch.SOURCE_IDS)
        return super().get_help_record(ctx)


@main.command(name="refresh-rates")
@click.option("--source", "source_name", cls=_SourceOption, default="all", show_default=True,
              metavar="NAME|all")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="First date (default: 30 days ago).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Last date (default: today).")
@db_option
def refresh_rates(source_name: str, start, end, db_path: str | None) -> None:
    """Fetch official rates over HTTP into the store; dates already stored are skipped.
    Exit 0 when everything asked for was stored, 3 when some sources failed and others
    succeeded, 1 when nothing could be fetched."""
    from indicators import db, fetch, fetch_store, seed, store

    ids = (list(fetch.SOURCE_IDS) if source_name == "all"
           else [s.strip() for s in source_name.split(",") if s.strip()])
    if any(i not in fetch.SOURCE_IDS for i in ids):
        click.echo(f"error: unknown source {source_name!r}; use all or one of "
                   f"{', '.join(fetch.SOURCE_IDS)}", err=True)
        sys.exit(EXIT_ERROR)
    first, last = fetch.default_range()
    first = start.date() if start else first
    last = end.date() if end else last
    path = db.resolve_path(db_path)
    seed.init(path)
    sink = fetch_store.DuckDBRateSink(path, actor=store.default_actor())
    bars: dict[str, int] = {}

    def progress(source: str, done: int, total: int) -> None:
        if bars.get(source) != done:
            bars[source] = done
            width = 30
            filled = width * done // max(total, 1)
            click.echo(f"\r{source:12} [{'#' * filled}{'.' * (width - filled)}] "
                       f"{done}/{total}", nl=done >= total, err=True)

    try:
        report = fetch.refresh(ids, first, last, sink=sink, progress=progress)
    except ValueError as exc:
        click.echo(f"error: {db.redact(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    for line in report.summary_lines():
        click.echo(line)
    verdict = {0: "All requested rates are stored.",
               3: "Some sources failed and others succeeded; see above.",
               1: "Nothing could be fetched; the stored data is unchanged."}[report.exit_code]
    click.echo(verdict)
    sys.exit(report.exit_code)


@main.command()
@click.argument("source", metavar="FILE|URL")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="OUT.csv",
              help="Write candidate figures here (figures CSV + confidence + rules); default "
              "stdout.")
@click.option("--rates-output", type=click.Path(dir_okay=False), default=None,
              metavar="RATES.csv",
              help="Write currency-ticker rates found on the page here.")
@click.option("--title", default=None, metavar="TEXT",
              help="Article title, if the page does not give one.")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date YYYY-MM-DD, if not on the page.")
@db_option
def extract(source: str, output: str | None, rates_output: str | None, title: str | None,
            published: str | None, db_path: str | None) -> None:
    """Extract every quantitative claim of an article (FILE or URL) as candidate rows in the
    figures format, with a confidence column and a rules column (which extraction rules gave
    each value, unit, period and status); currency-ticker rates found go to --rates-output.
    Review before importing."""
    from indicators import articles, db, seed
    from indicators.fetch.errors import FetchError

    path = db.resolve_path(db_path)
    try:
        if articles.is_url(source):
            article = articles.fetch_article(source)
        else:
            article = articles.from_bytes(Path(source).read_bytes())
        seed.init(path)
        with db.connect(path) as conn:
            catalogue = articles.catalogue(conn)
    except (OSError, FetchError, db.Error) as exc:
        click.echo(f"error: {db.redact(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    result = articles.extract(article, catalogue=catalogue, title=title, published=published)
    frame = result.figures_frame()
    text = frame.to_csv(index=False, lineterminator="\n")
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(f"{len(frame)} candidate figure(s) from {result.title or source!r}"
               f" (published {result.published or 'unknown'}); review before importing.",
               err=True)
    if result.assumption_note:
        click.echo(result.assumption_note, err=True)
    if result.rates:
        rates = result.rates_frame()
        if rates_output:
            Path(rates_output).write_text(rates.to_csv(index=False, lineterminator="\n"),
                                          encoding="utf-8")
        click.echo(f"{len(rates)} currency-ticker rate(s) found"
                   + (f", written to {rates_output}" if rates_output else
                      "; use --rates-output to keep them"), err=True)


@main.command()
@click.option("--to", "target", required=True, metavar="ducklake:postgres:CONNINFO",
              help="The empty lake to copy into; its data folder is $INDICATORS_LAKE_DATA_PATH.")
@db_option
def migrate(target: str, db_path: str | None) -> None:
    """Copy a DuckDB file store, with its whole history, into an empty DuckLake store."""
    from indicators import db, migration

    path = db.resolve_path(db_path)
    try:
        counts = migration.copy_file_to_lake(path, target)
    except (migration.MigrateRefused, db.Error, db.LakeError, db.LockTimeout, OSError) as exc:
        click.echo(f"error: {db.redact(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"Copied {db.describe(path)} into {db.describe(target)}: "
               + ", ".join(f"{n} {t}" for t, n in counts.items()) + ".")


@main.command()
@click.option("--keep-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="On a lake: keep snapshots (time travel) and old files this many days.")
@db_option
def maintain(keep_days: int, db_path: str | None) -> None:
    """Nightly upkeep: CHECKPOINT; on a lake also expire old snapshots and files."""
    from indicators import db

    path = db.resolve_path(db_path)
    try:
        db.maintain(path, keep_days)
    except (db.Error, db.LakeError, db.LockTimeout, OSError) as exc:
        click.echo(f"error: {db.redact(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"Maintained {db.describe(path)} (snapshots kept {keep_days} days).")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              default="docs/data-dictionary.md", show_default=True, metavar="FILE")
@click.option("--readme", type=click.Path(dir_okay=False), default="README.md",
              show_default=True, metavar="FILE",
              help="README whose configuration and command tables are regenerated.")
def docs(output: str, readme: str) -> None:
    """Regenerate the data dictionary from the schema, and the README's configuration and
    command tables from the settings and this command."""
    from indicators import readme_tables

    Path(output).write_text(schema.data_dictionary() + "\n", encoding="utf-8")
    click.echo(f"wrote {output}")
    path = Path(readme)
    if path.exists():
        path.write_text(readme_tables.render(path.read_text(encoding="utf-8")),
                        encoding="utf-8")
        click.echo(f"updated the tables in {readme}")


if __name__ == "__main__":
    main()
