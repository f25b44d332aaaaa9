"""Where the time of `indicators import` goes: one import of the 1M-row rates CSV, with every
SQL statement timed and grouped by the function of src/indicators that ran it.

    .venv/bin/python benchmarks/profile_import.py [--rows 1000000]

Needs benchmarks/out/rates_<rows>.csv (made by run_all.py or import_speed.py). Runs in this
process on a fresh copy of the seeded store; prints seconds per step, largest first.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
t_start = time.perf_counter()
import duckdb  # noqa: E402, F401 - timed: what every command pays first

T_DUCKDB = time.perf_counter() - t_start


class _Timed:
    """A connection whose execute() is timed and charged to the calling indicators function."""

    def __init__(self, conn, totals):
        self._conn, self._totals = conn, totals

    def execute(self, sql, params=None):
        frame = sys._getframe(1)
        while frame and "/indicators/" not in frame.f_code.co_filename:
            frame = frame.f_back
        where = (f"{Path(frame.f_code.co_filename).stem}.{frame.f_code.co_name}"
                 if frame else "?")
        t = time.perf_counter()
        out = self._conn.execute(sql, params) if params is not None else self._conn.execute(sql)
        self._totals[where] += time.perf_counter() - t
        return out

    def __getattr__(self, name):
        return getattr(self._conn, name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    csv_path = ROOT / "benchmarks" / "out" / f"rates_{args.rows}.csv"
    t = time.perf_counter()
    from indicators import db, seed, store
    t_modules = time.perf_counter() - t

    totals: dict[str, float] = collections.defaultdict(float)
    real_connect = db.connect

    @contextmanager
    def connect(path, **kw):
        with real_connect(path, **kw) as conn:
            yield _Timed(conn, totals)

    with tempfile.TemporaryDirectory(prefix="indicators-prof-") as tmp:
        seeded = Path(tmp) / "seeded.duckdb"
        seed.init(seeded)
        target = Path(tmp) / "import.duckdb"
        shutil.copy(seeded, target)
        db.connect = connect
        store.db.connect = connect
        t = time.perf_counter()
        result = store.load_path(target, csv_path, actor="profile")
        total = time.perf_counter() - t
        db.connect = real_connect
    assert result.ok and result.inserted == args.rows, result.problems[:3]
    print(f"import duckdb: {T_DUCKDB:.2f} s; import indicators.store & co: {t_modules:.2f} s")
    print(f"store.load_path: {total:.2f} s, of which SQL {sum(totals.values()):.2f} s "
          "(a step's first bound parameter includes DuckDB importing pandas):\n")
    print("| step (function that ran the SQL) | seconds |")
    print("|---|---:|")
    for where, secs in sorted(totals.items(), key=lambda kv: -kv[1]):
        if secs >= 0.01:
            print(f"| {where} | {secs:.2f} |")
    rest = total - sum(totals.values())
    print(f"| Python outside SQL (read, hash, decode, sniff) | {rest:.2f} |")


if __name__ == "__main__":
    main()
