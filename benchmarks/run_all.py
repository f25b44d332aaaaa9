"""Every row of issue 15's table, each as a ratio to its floor measured in the same run.

    .venv/bin/python benchmarks/run_all.py [--runs 7] [--only cli,import,browser,rerun]

Rows (medians of --runs; the kinds of one row interleaved run by run, so that a busy
moment of the shared machine slows the floor and the measured command alike):

- cli: `indicators --help` and `indicators history -n 1`, whole process, against
  `python -c "import duckdb"`.
- import: `indicators import` of a 1,000,000-row rates CSV into a fresh copy of the
  seeded store, whole process, against a whole process that runs
  `INSERT INTO t SELECT * FROM read_csv(file)` into a table without constraints (the
  "bare floor"); for reference also the same into a table declared like `rates` (its
  primary key and checks). Peak memory is the child's ru_maxrss.
- browser: time from navigation to a drawn chart in headless Chromium (Playwright,
  /usr/bin/chromium), for /currencies and /corridor, against a bare Streamlit page with
  one static 1,000-point Plotly chart (benchmarks/floor_page.py) served by the same
  venv. Every visit is a new browser context (a new visitor); the servers are warmed
  by one visit first. "Drawn" = Plotly has laid out the first chart of the page and its
  first trace is in the DOM, timed in the page as performance.now() (from navigation).
- rerun: the page run again in an open session (Streamlit's AppTest, as in
  benchmarks/pages.py), for the default /currencies and /corridor views, against the bare
  page's rerun.

The store is a fresh build of the committed seed (data/seed/), as a new install has it.
Results go to standard output as a Markdown table; --json FILE keeps the raw numbers.
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
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))  # streamlit_server.py, shared with the browser tests
from streamlit_server import CHROMIUM_ARGS, StreamlitServer, chromium  # noqa: E402

from indicators import settings  # noqa: E402 - after the path set-up above

BIN = Path(sys.executable).parent
PY = sys.executable
TARGETS = {"cli": 2.0, "import": 2.0, "browser": 1.3, "rerun": 2.0}


def timed_child(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, which must succeed."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed: {err[-2000:]}")
    return took, usage.ru_maxrss / 1024


def fresh_store(seeded: Path, work: Path, name: str) -> Path:
    path = work / f"{name}.duckdb"
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    shutil.copy(seeded, path)
    return path


# ------------------------------------------------------------------ cli


def bench_cli(seeded: Path, work: Path, runs: int) -> list[dict]:
    store = fresh_store(seeded, work, "cli")
    cases = {
        "floor": [PY, "-c", "import duckdb"],
        "help": [str(BIN / "indicators"), "--help"],
        "history": [str(BIN / "indicators"), "history", "-n", "1", "--db", str(store)],
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    for argv in cases.values():  # warm the OS file cache once
        timed_child(argv)
    for _ in range(runs):
        for k, argv in cases.items():
            times[k].append(timed_child(argv)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    return [
        {"row": "cli", "label": "`indicators --help`, whole process", "value": med["help"],
         "floor": med["floor"], "floor_label": '`python -c "import duckdb"`',
         "spread": _spread(times["help"])},
        {"row": "cli", "label": "`indicators history -n 1`, whole process",
         "value": med["history"], "floor": med["floor"],
         "floor_label": '`python -c "import duckdb"`', "spread": _spread(times["history"])},
    ]


# ------------------------------------------------------------------ import

FLOOR_SQL = """
import sys, duckdb
db, csv, ddl = sys.argv[1], sys.argv[2], sys.argv[3]
conn = duckdb.connect(db)
conn.execute(ddl)
# The path is inlined as a literal (quotes doubled): binding a parameter would make DuckDB
# import pandas, which the cheapest way of loading the file does not need.
conn.execute("INSERT INTO floor_rates (date, base, quote, rate, source) SELECT * FROM "
             "read_csv('" + csv.replace("'", "''") + "')")
conn.close()
"""
BARE_DDL = ("CREATE TABLE floor_rates (date DATE, base VARCHAR, quote VARCHAR, "
            "rate DOUBLE, source VARCHAR)")


def bench_import(seeded: Path, work: Path, runs: int, rows: int) -> list[dict]:
    from import_speed import write_rates

    from indicators import schema

    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"rates_{rows}.csv"
    if not csv_path.exists():
        write_rates(csv_path, rows)
    # The reference keeps the primary key `rates` had until issue 15's fourth round.
    keyed = replace(schema.RATES, key_index=True)
    rates_ddl = schema.ddl(keyed)[0].replace('"rates"', '"floor_rates"', 1)

    def argv(kind: str, db_path: Path) -> list[str]:
        if kind == "bare":
            return [PY, "-c", FLOOR_SQL, str(db_path), str(csv_path), BARE_DDL]
        if kind == "keyed":
            return [PY, "-c", FLOOR_SQL, str(db_path), str(csv_path), rates_ddl]
        if kind in ("least", "least-bound"):
            return [PY, str(BENCH / "import_least.py"), str(db_path), str(csv_path),
                    *(["--bind"] if kind == "least-bound" else [])]
        return [str(BIN / "indicators"), "import", str(csv_path), "--db", str(db_path)]

    times: dict[str, list[float]] = {k: [] for k in ("bare", "keyed", "least", "least-bound",
                                                     "import")}
    peaks: dict[str, float] = dict.fromkeys(times, 0.0)
    for _ in range(runs):
        for kind in times:
            db_path = fresh_store(seeded, work, f"import-{kind}")
            if kind.startswith("least"):  # its store has no primary key on rates (not timed)
                subprocess.run([PY, str(BENCH / "import_least.py"), "--prepare", str(db_path)],
                               check=True)
            took, peak = timed_child(argv(kind, db_path))
            times[kind].append(took)
            peaks[kind] = max(peaks[kind], peak)
    med = {k: statistics.median(v) for k, v in times.items()}
    floor_label = "whole-process `INSERT INTO t SELECT * FROM read_csv(file)`, no constraints"
    return [
        {"row": "import", "label": f"`indicators import` of {rows:,} rates, whole process",
         "value": med["import"], "floor": med["bare"], "floor_label": floor_label,
         "peak_mb": peaks["import"], "spread": _spread(times["import"])},
        {"row": "import-ref", "label": "the floor's INSERT into a table declared like `rates` "
         "(primary key, checks), for reference", "value": med["keyed"], "floor": med["bare"],
         "floor_label": floor_label, "peak_mb": peaks["keyed"],
         "spread": _spread(times["keyed"])},
        {"row": "import-least", "label": "the least an import keeping its checks could do "
         "(benchmarks/import_least.py: no key index, one typed read, no line numbers), "
         "for reference", "value": med["least"], "floor": med["bare"],
         "floor_label": floor_label, "peak_mb": peaks["least"],
         "spread": _spread(times["least"])},
        {"row": "import-least-bound", "label": "the same with the batch record's values bound "
         "as parameters, as the project's rule has every statement do (DuckDB 1.5.5 then "
         "imports pandas), for reference", "value": med["least-bound"], "floor": med["bare"],
         "floor_label": floor_label, "peak_mb": peaks["least-bound"],
         "spread": _spread(times["least-bound"])},
    ]


# ------------------------------------------------------------------ browser


# Resolves with performance.now() (ms since navigation) once the first chart of the page is
# laid out by Plotly and its first trace is in the DOM (SVG path or WebGL canvas).
DRAWN = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullData || !gd._fullData.length) return false;
  const svgTrace = gd.querySelector('.plot .trace, .barlayer .trace, .scatterlayer .trace');
  const gl = gd.querySelector('canvas.gl-canvas-context, canvas');
  if (!svgTrace && !gl) return false;
  return performance.now();
}"""


def time_to_chart(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        handle = page.wait_for_function(DRAWN, polling="raf", timeout=120_000)
        return float(handle.json_value()) / 1000
    finally:
        context.close()


def bench_browser(seeded: Path, work: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    store = fresh_store(seeded, work, "browser")
    app = StreamlitServer(store, log=work / "app.log")
    floor = StreamlitServer(store, log=work / "floor.log", script="benchmarks/floor_page.py")
    urls = {"floor": floor.url + "/", "currencies": app.url + "/currencies",
            "corridor": app.url + "/corridor"}
    times: dict[str, list[float]] = {k: [] for k in urls}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS,
                                        headless=True)
            for url in urls.values():  # warm: server caches, imports, the OS file cache
                time_to_chart(browser, url)
            for _ in range(runs):
                for k, url in urls.items():
                    times[k].append(time_to_chart(browser, url))
            browser.close()
    finally:
        app.stop()
        floor.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    label = "bare Streamlit page, one static 1,000-point Plotly chart"
    return [{"row": "browser", "label": f"browser, navigation to a drawn chart, `/{k}`",
             "value": med[k], "floor": med["floor"], "floor_label": label,
             "spread": _spread(times[k])} for k in ("currencies", "corridor")]


# ------------------------------------------------------------------ rerun


def bench_rerun(seeded: Path, work: Path, runs: int) -> list[dict]:
    import pages as page_bench

    store = fresh_store(seeded, work, "rerun")
    os.environ[settings.DB.name] = str(store)
    os.chdir(ROOT)
    from streamlit import config

    config.set_option("browser.gatherUsageStats", False)
    cases = [("floor", None, {}), ("currencies", "pages/currencies.py", {}),
             ("corridor", "pages/corridor.py", {})]
    page_bench.measure(cases, 1)  # warm
    results = page_bench.measure(cases, runs)
    floor = results[0]
    return [{"row": "rerun", "label": f"rerun in an open session, `/{label}` (AppTest)",
             "value": m["rerun"], "floor": floor["rerun"],
             "floor_label": "the bare page's rerun", "payload_kb": m["payload"] / 1e3}
            for (label, _p, _q), m in zip(cases[1:], results[1:], strict=True)]


# ------------------------------------------------------------------ main


def _spread(values: list[float]) -> list[float]:
    return [min(values), max(values)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--only", default="cli,import,browser,rerun")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    only = args.only.split(",")
    # Measure the project as scripts/run and scripts/test install it: with its bytecode
    # compiled (scripts/_env.sh `compile_sources`), so that a shell with
    # PYTHONDONTWRITEBYTECODE set does not charge every command for compiling the sources.
    subprocess.run([PY, "-m", "compileall", "-q", "src", "app.py", "pages"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    from indicators import seed

    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="indicators-bench-") as tmp:
        work = Path(tmp)
        seeded = work / "seeded.duckdb"
        seed.init(seeded)
        for name, fn in (("cli", bench_cli), ("import", bench_import),
                         ("browser", bench_browser), ("rerun", bench_rerun)):
            if name not in only:
                continue
            kw = {"rows": args.rows} if name == "import" else {}
            t = time.perf_counter()
            rows = fn(seeded, work, args.runs, **kw)
            print(f"[{name}: {time.perf_counter() - t:.0f} s]", file=sys.stderr)
            results += rows
    print(f"\nmedians of {args.runs} runs; ratio = measure / floor of the same run\n")
    print("| measure | median | floor | floor median | ratio | target | met |")
    print("|---|---:|---|---:|---:|---:|---|")
    for r in results:
        target = TARGETS.get(r["row"])
        ratio = r["value"] / r["floor"]
        extra = f", peak {r['peak_mb']:.0f} MB" if "peak_mb" in r else ""
        extra += f", chart {r['payload_kb']:.0f} kB" if "payload_kb" in r else ""
        met = "" if target is None else ("yes" if ratio <= target else "no")
        goal = f"≤ {target:.1f}×" if target else "—"
        if r["row"] == "import" and r.get("peak_mb", 0) >= 1024:
            met = "no (memory)"
        print(f"| {r['label']}{extra} | {_fmt(r['value'])} | {r['floor_label']} | "
              f"{_fmt(r['floor'])} | {ratio:.2f}× | {goal} "
              f"| {met} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
