"""The DuckLake back end against the DuckDB file, measured in the same run, as ratios.

    .venv/bin/python benchmarks/lake.py [--rows 1000000] [--runs 3] [--page-runs 5]
                                        [--writes 20] [--write-docs]

Starts a throw-away PostgreSQL cluster (tests/pg_cluster.py; needs Debian's postgresql,
which scripts/test installs) and stops it at the end. Measures:

- pages: every page of benchmarks/pages.py (AppTest, same cases) on the large synthetic
  store as a file and as a lake made from it with `indicators migrate`; rerun, new
  session and cold times, file and lake alternated round by round (PAGE_RUNS rounds),
  medians and spread, lake ÷ file;
- import: `store.load_path` of a ROWS-row rates CSV into a fresh seeded store, in a fresh
  child process each run (attach included), file and lake alternated, median and spread,
  lake ÷ file;
- writes per second with two concurrent writers: two processes each commit WRITES
  one-row imports as fast as they can, after opening the store; batches ÷ wall time,
  RUNS times per back end, alternated.

The load average (1 minute) is sampled before and after every measurement and reported
with the results; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## DuckLake against the file store"

_IMPORT = r"""
import json, sys, time
t0 = time.perf_counter()
from indicators import store
result = store.load_path(sys.argv[1], sys.argv[2], actor="benchmark")
assert result.ok and result.batch is not None, result.problems[:3]
print(json.dumps({"seconds": time.perf_counter() - t0, "inserted": result.inserted}))
"""

_WRITER = r"""
import json, sys, time
from indicators import db, store
target, n, tag, start_at = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
with db.connect(target) as conn:  # open (attach) before the clock starts
    conn.execute("SELECT count(*) FROM batches").fetchone()
while time.time() < start_at:
    time.sleep(0.001)
t0 = time.perf_counter()
for i in range(n):
    data = f"date,base,quote,rate,source\n2099-01-{1 + i % 28:02d},USD,KZT,{500 + i},w{tag}{i}\n"
    assert store.load_bytes(target, data.encode(), origin="w.csv").batch is not None
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


LOADS: list[float] = []


def progress(text: str) -> None:
    LOADS.append(os.getloadavg()[0])
    print(f"[{time.strftime('%H:%M:%S')} load {LOADS[-1]:.1f}] {text}", file=sys.stderr,
          flush=True)


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """The median with the lowest and highest value, e.g. `12.3 (11.0–14.2)`."""
    med = fmt.format(statistics.median(values))
    if len(values) < 2:
        return med
    return f"{med} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def child(code: str, *args: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


class Lakes:
    """Fresh lakes in one throw-away cluster, each with its own data folder."""

    def __init__(self, folder: Path):
        import pg_cluster

        self.info, self.cluster = pg_cluster.start()
        self.folder = folder
        self.n = 0

    def new(self) -> tuple[str, dict]:
        import psycopg

        from indicators import settings

        self.n += 1
        name = f"bench_{self.n}"
        with psycopg.connect(self.info, autocommit=True) as pg:
            pg.execute(f"CREATE DATABASE {name}")
        base = self.info.replace("dbname=postgres", f"dbname={name}")
        data = self.folder / name
        data.mkdir()
        return "ducklake:postgres:" + base, {settings.LAKE_DATA_PATH.name: str(data) + "/"}

    def close(self) -> None:
        import pg_cluster

        pg_cluster.stop(self.cluster)


def new_store(kind: str, lakes: Lakes, seeded_file: Path, work: Path) -> tuple[str, dict]:
    """A fresh seeded store: a copy of the seeded file, or a new lake migrated from it."""
    from indicators import db, migration

    if kind == "file":
        path = work / f"store_{time.monotonic_ns()}.duckdb"
        shutil.copy(seeded_file, path)
        return str(path), {}
    target, env = lakes.new()
    os.environ.update(env)
    migration.copy_file_to_lake(seeded_file, target)
    db.close_lake(target)
    return target, env


def measure_imports(lakes, seeded, work, rows: int, runs: int) -> dict[str, list[float]]:
    from import_speed import write_rates

    csv = work / "rates.csv"
    write_rates(csv, rows)
    out: dict[str, list[float]] = {"file": [], "lake": []}
    for run in range(runs):
        for kind in ("file", "lake"):
            target, env = new_store(kind, lakes, seeded, work)
            progress(f"import {run + 1}/{runs}, {kind}")
            r = child(_IMPORT, target, str(csv), env=env)
            assert r["inserted"] == rows
            out[kind].append(r["seconds"])
            progress(f"  {r['seconds']:.1f} s")
    return out


def measure_writes(lakes, seeded, work, writes: int, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"file": [], "lake": []}
    for run in range(runs):
        for kind in ("file", "lake"):
            target, env = new_store(kind, lakes, seeded, work)
            progress(f"writes {run + 1}/{runs}, {kind}")
            start_at = time.time() + 8  # both writers opened the store by then
            procs = [subprocess.Popen([sys.executable, "-c", _WRITER, target, str(writes),
                                       tag, str(start_at)], stdout=subprocess.PIPE,
                                      text=True, env={**os.environ, **env})
                     for tag in ("a", "b")]
            secs = []
            for p in procs:
                stdout, _ = p.communicate(timeout=3600)
                assert p.returncode == 0
                secs.append(json.loads(stdout.strip().splitlines()[-1])["seconds"])
            out[kind].append(2 * writes / max(secs))
            progress(f"  {out[kind][-1]:.1f} writes/s")
    return out


def measure_pages(lakes, work, runs: int) -> list[tuple[str, dict, dict]]:
    """Per page case, (label, file, lake), each {measure: [seconds per round]}.

    Each round measures every case once on the file, then once on the lake
    (`pages.measure(cases, 1)`: a warm-up run, one rerun, one new session, one cold run),
    so that a busy moment of the machine falls on both back ends alike.
    """
    import make_large_store

    import pages
    from indicators import migration

    large = ROOT / "benchmarks" / "out" / "pages_large.duckdb"
    if not large.exists():
        large.parent.mkdir(parents=True, exist_ok=True)
        make_large_store.build(large)
    target, env = lakes.new()
    os.environ.update(env)
    migration.copy_file_to_lake(large, target)
    os.chdir(ROOT)
    from streamlit import config

    config.set_option("browser.gatherUsageStats", False)
    cases = pages.CASES
    from indicators import settings

    stores = (("file", str(large)), ("lake", target))
    results = {kind: [{"rerun": [], "first": [], "cold": []} for _ in cases]
               for kind, _ in stores}
    for _kind, store in stores:  # warm, as a running server is warm (attach included)
        os.environ[settings.DB.name] = store
        pages.measure(cases, 1)
    for run in range(runs):
        for kind, store in stores:
            progress(f"pages {run + 1}/{runs}, {kind}")
            os.environ[settings.DB.name] = store
            for acc, m in zip(results[kind], pages.measure(cases, 1), strict=True):
                for key in acc:
                    acc[key].append(m[key])
    return [(label, f, lk) for (label, _p, _q), f, lk
            in zip(cases, results["file"], results["lake"], strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page-runs", type=int, default=5)
    ap.add_argument("--writes", type=int, default=20)
    ap.add_argument("--no-pages", action="store_true", help="skip the page measurements")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    from indicators import seed

    work = Path(tempfile.mkdtemp(prefix="lake-bench-"))
    started = time.strftime("%d %B %Y %H:%M", time.gmtime())
    progress("start")
    lakes = Lakes(work)
    try:
        seeded = work / "seeded.duckdb"
        seed.init(seeded)
        imports = measure_imports(lakes, seeded, work, args.rows, args.runs)
        writes = measure_writes(lakes, seeded, work, args.writes, args.runs)
        page_rows = [] if args.no_pages else measure_pages(lakes, work, args.page_runs)
    finally:
        lakes.close()
        shutil.rmtree(work, ignore_errors=True)
    progress("done")
    ended = time.strftime("%H:%M", time.gmtime())
    med = statistics.median
    lines = [
        SECTION, "",
        f"Command: `.venv/bin/python benchmarks/lake.py --rows {args.rows} --runs {args.runs} "
        + ("--no-pages " if args.no_pages else f"--page-runs {args.page_runs} ")
        + f"--writes {args.writes} --write-docs`, {started}–{ended} UTC, "
        f"{os.cpu_count()} CPUs, load average (1 min) {min(LOADS):.1f}–{max(LOADS):.1f} "
        f"(median {med(LOADS):.1f}) over the run. Both back ends in the same run on this "
        "machine, alternated run by run; the lake's catalog in a throw-away local PostgreSQL "
        "cluster and its data folder on local disk (a network folder adds its own latency). "
        "Each cell: median (lowest–highest).",
        "",
        "| measurement | file | lake | lake ÷ file (of the medians) |",
        "|---|---:|---:|---:|",
        f"| import of {args.rows:,} new rates, `store.load_path` in a new process, attach "
        f"included, s ({args.runs} runs) | {spread(imports['file'])} | "
        f"{spread(imports['lake'])} | {med(imports['lake']) / med(imports['file']):.2f} |",
        f"| writes per second, two concurrent writers, {args.writes} one-row imports each "
        f"({args.runs} runs) | {spread(writes['file'], '{:.2f}')} | "
        f"{spread(writes['lake'], '{:.2f}')} | "
        f"{med(writes['lake']) / med(writes['file']):.2f} |",
    ]
    for label, f, lk in page_rows:
        for key, name in (("rerun", "rerun"), ("first", "new session"), ("cold", "cold")):
            fm = [x * 1e3 for x in f[key]]
            lm = [x * 1e3 for x in lk[key]]
            lines.append(f"| page {label}: {name}, ms ({len(fm)} rounds) | "
                         f"{spread(fm, '{:.0f}')} | {spread(lm, '{:.0f}')} | "
                         f"{med(lm) / med(fm):.2f} |")
    if page_rows:
        lines += ["", "Page cases and their store are those of `benchmarks/pages.py`; the lake "
                  "holds the same rows (`indicators migrate`)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write_docs:
        old = DOCS.read_text(encoding="utf-8")
        if SECTION in old:
            head, _, rest = old.partition(SECTION)
            nxt = rest.find("\n## ")
            new = head + text + ("\n" + rest[nxt + 1:] if nxt >= 0 else "")
        else:
            new = old.rstrip("\n") + "\n\n" + text
        DOCS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
