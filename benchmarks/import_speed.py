"""Import speed against DuckDB's own floor: a 1,000,000-row rates CSV, medians of several runs.

    .venv/bin/python benchmarks/import_speed.py [--rows 1000000] [--runs 5]

Each measurement runs in a fresh child process on a fresh copy of a seeded store:

- floor: `INSERT INTO t SELECT * FROM read_csv(file)` into an empty table declared like
  `rates` (same DDL: primary key, NOT NULL and CHECK constraints), auto-committed.
  Also reported: the same into a table without constraints ("bare floor").
- import: `store.load_path`, exactly what `indicators import FILE` runs: read, decode,
  hash, validate every row, compare with the store, upsert, journal and batch record,
  committed in one transaction.
- rejected: the same file with 1,000 bad rows spread through it (negative rates, unknown
  currencies, ambiguous dates, duplicates); time until every problem is reported.

Peak memory is each child's peak resident set size (ru_maxrss), Python and DuckDB included.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def write_rates(path: Path, rows: int, *, bad: int = 0, seed: int = 1) -> None:
    """A rates CSV of `rows` distinct keys; `bad` of them broken in assorted ways."""
    from indicators import iso4217

    rng = random.Random(seed)
    codes = sorted(iso4217.CURRENT)
    pairs = [(b, q) for b in codes[:10] for q in codes if q != b][:100]
    broken = set(rng.sample(range(rows), bad)) if bad else set()
    start = date(1990, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("date,base,quote,rate,source\n")
        day = -1
        for i in range(rows):
            b, q = pairs[i % len(pairs)]
            if i % len(pairs) == 0:
                day += 1
                d = (start + timedelta(days=day)).isoformat()
            rate = f"{rng.uniform(0.01, 1000):.6f}"
            if i in broken:
                kind = i % 4
                if kind == 0:
                    rate = "-" + rate
                elif kind == 1:
                    q = "XQZ"
                elif kind == 2:
                    d_bad = (start + timedelta(days=day)).strftime("%d/%m/%Y")
                    fh.write(f"{d_bad},{b},{q},{rate},bench\n")
                    continue
                else:
                    fh.write(f"{d},{b},{q},{rate},bench\n")  # the key once more: a duplicate
            fh.write(f"{d},{b},{q},{rate},bench\n")


# ------------------------------------------------------------------ children


def child(kind: str, db_path: str, csv_path: str) -> dict:
    import duckdb

    from indicators import db, schema, store

    if kind in ("floor", "bare"):
        conn = duckdb.connect(db_path, config={"memory_limit": db.MEMORY_LIMIT})
        if kind == "floor":
            keyed = replace(schema.RATES, key_index=True)  # as `rates` was declared before
            conn.execute(schema.ddl(keyed)[0].replace('"rates"', '"floor_rates"', 1))
        else:
            conn.execute("CREATE TABLE floor_rates (date DATE, base VARCHAR, quote VARCHAR, "
                         "rate DOUBLE, source VARCHAR)")
        t0 = time.perf_counter()
        conn.execute("INSERT INTO floor_rates (date, base, quote, rate, source) "
                     "SELECT * FROM read_csv(?)", [csv_path])
        elapsed = time.perf_counter() - t0
        rows = conn.execute("SELECT count(*) FROM floor_rates").fetchone()[0]
        conn.close()
        out = {"seconds": elapsed, "rows": rows}
    else:
        t0 = time.perf_counter()
        result = store.load_path(db_path, csv_path, actor="benchmark")
        elapsed = time.perf_counter() - t0
        out = {"seconds": elapsed, "ok": result.ok, "inserted": result.inserted,
               "problems": len(result.problems),
               "first": [str(p) for p in result.problems[:3]]}
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(kind: str, seeded: Path, csv_path: Path, work: Path) -> dict:
    db_path = work / f"{kind}.duckdb"
    for p in (db_path, Path(str(db_path) + ".wal")):
        p.unlink(missing_ok=True)
    shutil.copy(seeded, db_path)
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db_path), "--csv", str(csv_path)],
        capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child")
    ap.add_argument("--db")
    ap.add_argument("--csv")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db, args.csv)))
        return

    from indicators import seed

    OUT.mkdir(parents=True, exist_ok=True)
    good, bad = OUT / f"rates_{args.rows}.csv", OUT / f"rates_{args.rows}_bad.csv"
    if not good.exists():
        write_rates(good, args.rows)
    if not bad.exists():
        write_rates(bad, args.rows, bad=1000)
    with tempfile.TemporaryDirectory(prefix="indicators-bench-") as tmp:
        work = Path(tmp)
        seeded = work / "seeded.duckdb"
        seed.init(seeded)
        results: dict[str, list[dict]] = {k: [] for k in ("floor", "bare", "import", "rejected")}
        for n in range(args.runs):
            # Interleaved, so that a noisy neighbour slows all kinds alike.
            for kind, path in (("floor", good), ("import", good), ("bare", good),
                               ("rejected", bad)):
                r = run_child(kind, seeded, path, work)
                results[kind].append(r)
                print(f"run {n + 1} {kind:8s} {r['seconds']:.3f} s  "
                      f"peak {r['peak_rss_mb']:.0f} MB", file=sys.stderr)
    assert all(r["ok"] and r["inserted"] == args.rows for r in results["import"]), \
        results["import"][0]
    assert all(not r["ok"] and r["problems"] >= 1000 for r in results["rejected"]), \
        results["rejected"][0]
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    peak = {k: max(r["peak_rss_mb"] for r in v) for k, v in results.items()}
    print(f"\n{args.rows:,} rows, {good.stat().st_size / 1e6:.1f} MB, median of {args.runs} "
          "runs\n")
    print("| measurement | median s | ratio to floor | peak RSS MB |")
    print("|---|---|---|---|")
    for k, label in (("floor", "floor: INSERT … SELECT * FROM read_csv (rates DDL)"),
                     ("bare", "bare floor: same into a table without constraints"),
                     ("import", "import (validate, upsert, journal, batch)"),
                     ("rejected", "rejected file (1,000 bad rows), all problems reported")):
        print(f"| {label} | {med[k]:.2f} | {med[k] / med['floor']:.2f}× | {peak[k]:.0f} |")
    print(f"\nfirst problems of the rejected file: {results['rejected'][0]['first']}")


if __name__ == "__main__":
    main()
