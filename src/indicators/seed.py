"""Build a store from the curated seed in data/seed/: catalogue, sources, rates and figures."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from indicators import db, ingest, schema, store

ENV_SEED_DIR = "INDICATORS_SEED_DIR"
CATALOGUE_FILES = (("sources.csv", schema.SOURCES), ("indicators.csv", schema.INDICATORS))


class SeedError(RuntimeError):
    pass


def seed_dir() -> Path:
    env = os.environ.get(ENV_SEED_DIR)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data" / "seed"


def data_files(directory: Path) -> list[Path]:
    """Rates files first, then figures: the order the seed is loaded in."""
    return sorted(directory.glob("rates*.csv")) + sorted(directory.glob("figures*.csv"))


def is_empty(conn: db.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def _load_catalogue(conn: db.Connection, path: Path, table: schema.Table, batch: int) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = [f.name for f in table.fields if f.name != "batch"]
    missing = [c for c in cols if rows and c not in rows[0]]
    if missing:
        raise SeedError(f"{path.name}: missing column(s) {', '.join(missing)}")
    values = [[(r[c] or None) for c in cols] + [batch] for r in rows]
    placeholders = ", ".join("?" * (len(cols) + 1))
    names = ", ".join(f'"{c}"' for c in cols)
    conn.executemany(
        f'INSERT INTO "{table.name}" ({names}, batch) VALUES ({placeholders})', values)
    return len(values)


def load(conn: db.Connection, directory: Path | None = None, *, actor: str = "seed") -> list[int]:
    """Load every seed file in one transaction; raises SeedError naming the file on a problem."""
    directory = directory or seed_dir()
    batches: list[int] = []
    with db.transaction(conn):
        bid = store.next_batch_id(conn)
        n = 0
        for name, table in CATALOGUE_FILES:
            n += _load_catalogue(conn, directory / name, table, bid)
        store.record_batch(conn, kind="seed", target="sources", origin="data/seed/sources.csv "
                           "+ indicators.csv", sha256=None, inserted=n, updated=0, unchanged=0,
                           actor=actor, batch_id=bid)
        batches.append(bid)
        for path in data_files(directory):
            with ingest.parse(path.read_bytes(), origin=f"data/seed/{path.name}") as parsed:
                result = store.plan(conn, parsed)
                if not result.ok:
                    shown = "; ".join(str(p) for p in result.problems[:5])
                    raise SeedError(f"{path.name}: {len(result.problems)} problem(s): {shown}")
                batches.append(store.commit(conn, result, batch_kind="seed", actor=actor))
    return batches


def init(db_path, *, directory: Path | None = None) -> list[int]:
    """Create the schema and load the seed if the store is empty; safe to run again."""
    with db.connect(db_path) as conn:
        db.ensure_schema(conn)
        if not is_empty(conn):
            return []
        return load(conn, directory)
