"""Build a store from the curated seed in data/seed/: catalogue, sources, rates and figures."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd

from indicators import db, ingest, schema, settings, store

CATALOGUE_FILES = (("sources.csv", schema.SOURCES), ("indicators.csv", schema.INDICATORS))
# Loaded after the rates they refer to.
FLAG_FILES = (("rate_flags.csv", schema.RATE_FLAGS),)


class SeedError(RuntimeError):
    pass


def seed_dir() -> Path:
    env = settings.SEED_DIR.get()
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data" / "seed"


def data_files(directory: Path) -> list[Path]:
    """Rates files first, then figures: the order the seed is loaded in (`.gz` decompressed)."""
    def files(stem: str) -> list[Path]:
        return sorted([*directory.glob(f"{stem}*.csv"), *directory.glob(f"{stem}*.csv.gz")])
    return files("rates_") + files("figures")


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def is_empty(conn: db.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def _catalogue_rows(path: Path, table: schema.Table) -> list[tuple]:
    """A catalogue CSV's rows in the table's column order, `batch` left for the commit."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = [f.name for f in table.fields if f.name != "batch"]
    missing = [c for c in cols if rows and c not in rows[0]]
    if missing:
        raise SeedError(f"{path.name}: missing column(s) {', '.join(missing)}")
    return [tuple(r[c] or None for c in cols) + (None,) for r in rows]


def _failed(name: str, result: store.Plan) -> SeedError:
    shown = "; ".join(str(p) for p in result.problems[:5])
    return SeedError(f"{name}: {len(result.problems)} problem(s): {shown}")


def load(conn: db.Connection, directory: Path | None = None, *, actor: str = "seed",
         only_if_empty: bool = False) -> list[int]:
    """Load every seed file in one transaction; raises SeedError naming the file on a problem.

    Each file is one batch written by `store.write`, the path of every other load. With
    `only_if_empty`, a store that another process seeded meanwhile is left alone (the
    check runs inside the write transaction, under a lake's writer lock).
    """
    directory = directory or seed_dir()
    (src_name, src_table), (ind_name, ind_table) = CATALOGUE_FILES
    sources_rows = _catalogue_rows(directory / src_name, src_table)
    indicator_rows = _catalogue_rows(directory / ind_name, ind_table)
    batches: list[int] = []
    with db.transaction(conn):
        if only_if_empty and not is_empty(conn):
            return []
        result = store.write(
            conn, lambda c: store.plan_catalogue(
                c, "data/seed/sources.csv + indicators.csv", sources_rows, indicator_rows),
            batch_kind="seed", actor=actor, in_transaction=True)
        if not result.ok:
            raise _failed(src_name, result)
        batches.append(result.batch)
        for path in data_files(directory):
            with ingest.parse(read_bytes(path), origin=f"data/seed/{path.name}") as parsed:
                result = store.write(conn, lambda c, p=parsed: store.plan(c, p),
                                     batch_kind="seed", actor=actor, in_transaction=True)
            if not result.ok:
                raise _failed(path.name, result)
            batches.append(result.batch)
        for name, table in FLAG_FILES:
            if not (directory / name).exists():
                continue
            cols = [f.name for f in table.fields if f.name != "batch"]
            frame = pd.DataFrame([r[:-1] for r in _catalogue_rows(directory / name, table)],
                                 columns=cols)
            result = store.write(
                conn, lambda c, t=table, f=frame, n=name: store.plan_rows(
                    c, t.name, f, origin=f"data/seed/{n}"),
                batch_kind="seed", actor=actor, in_transaction=True)
            if not result.ok:
                raise _failed(name, result)
            batches.append(result.batch)
    return batches


def init(db_path, *, directory: Path | None = None) -> list[int]:
    """Create the schema and load the seed if the store is empty; safe to run again."""
    with db.connect(db_path) as conn:
        db.ensure_schema(conn)
        if not is_empty(conn):
            return []
        return load(conn, directory, only_if_empty=True)
