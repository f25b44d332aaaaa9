"""Where a new visitor's time to the first drawn chart goes, page by page (issue 15).

    .venv/bin/python benchmarks/browser_profile.py [--visits 3] [--pages floor,currencies,corridor]

Serves app.py and benchmarks/floor_page.py as run_all.py's browser row does, visits each
page in a new browser context (warmed first) and prints, per visit and in milliseconds
from navigation: every script and health request (start, end, kB), the WebSocket
messages from the server (arrival, kB), when the first chart element appears in the DOM,
when Plotly has drawn it (run_all.py's DRAWN), and the long tasks (> 50 ms) before it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_all  # noqa: E402 - after the path set-up above
from streamlit_server import CHROMIUM_ARGS, StreamlitServer, chromium  # noqa: E402 - run_all's path

# Records, from the first script of the page on: each WebSocket message's arrival, the
# long tasks, and the first time each watched element is in the DOM.
PROBE = """(() => {
  const prof = window.__prof = {ws: [], lt: [], seen: {}};
  const Orig = window.WebSocket;
  class Probe extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', e => prof.ws.push(
        [performance.now(), e.data.byteLength || e.data.size || e.data.length || 0]));
    }
  }
  window.WebSocket = Probe;
  try {
    new PerformanceObserver(l => l.getEntries().forEach(
      e => prof.lt.push([e.startTime, e.duration]))).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  const watch = {chart: '[data-testid="stPlotlyChart"]', plot: '.js-plotly-plot',
                 grid: '[data-testid="stDataFrame"]', title: 'h1',
                 widget: '[data-testid="stMultiSelect"], [data-testid="stDateInput"]'};
  const look = () => {
    for (const [k, sel] of Object.entries(watch))
      if (!(k in prof.seen) && document.querySelector(sel)) prof.seen[k] = performance.now();
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""

REPORT = """(drawn) => ({
  res: performance.getEntriesByType('resource').map(r => [r.name, r.startTime, r.responseEnd,
        r.transferSize || r.encodedBodySize || 0]),
  ws: window.__prof.ws, lt: window.__prof.lt.filter(t => t[0] < drawn), seen: window.__prof.seen,
})"""


def visit(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(PROBE)
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        drawn = float(page.wait_for_function(run_all.DRAWN, polling="raf",
                                             timeout=120_000).json_value())
        out = page.evaluate(REPORT, drawn)
        out["drawn"] = drawn
        return out
    finally:
        context.close()


def short(name: str) -> str:
    tail = name.split("?")[0].rstrip("/").rsplit("/", 2)
    return "/".join(tail[-2:])


def summary(v: dict) -> str:
    """One line: the milestones of a visit, ms from navigation."""
    def res(part: str) -> str:
        hits = [r for r in v["res"] if part in r[0]]
        return "-" if not hits else " ".join(f"{r[1]:.0f}→{r[2]:.0f}" for r in hits)
    ws = v["ws"]
    big = max(ws, key=lambda m: m[1]) if ws else (0, 0)
    before = [m for m in ws if m[0] <= v["drawn"]]
    busy = sum(d for s, d in v["lt"])
    return (f"health {res('_stcore/health')} | ws {ws[0][0]:.0f}…{before[-1][0]:.0f} "
            f"(largest {big[1] / 1024:.0f} kB at {big[0]:.0f}) | plotly {res('PlotlyChart')} "
            f"| grid {res('/DataFrame.')} | long tasks {busy:.0f} ms | drawn {v['drawn']:.0f}")


def show(label: str, v: dict) -> None:
    print(f"\n== {label}: drawn at {v['drawn']:.0f} ms; first seen: "
          + ", ".join(f"{k} {t:.0f}" for k, t in sorted(v["seen"].items(), key=lambda x: x[1])))
    for name, start, end, size in sorted(v["res"], key=lambda r: r[1]):
        if end > v["drawn"] + 1000:
            continue
        print(f"  {start:7.0f} → {end:7.0f}  {size / 1024:8.0f} kB  {short(name)}")
    print("  ws: " + ", ".join(f"{t:.0f} ({n / 1024:.1f} kB)" for t, n in v["ws"]
                               if t < v["drawn"] + 500))
    print("  long tasks: " + ", ".join(f"{s:.0f}+{d:.0f}" for s, d in v["lt"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--visits", type=int, default=3)
    ap.add_argument("--pages", default="floor,currencies,corridor")
    ap.add_argument("--quiet", action="store_true", help="only the drawn times")
    ap.add_argument("--ab", type=Path, action="append", default=[],
                    help="another tree (e.g. an unpacked `git archive main`; repeatable): "
                         "its app is served too and its pages visited as <dir name>-<page>, "
                         "interleaved")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from indicators import seed

    with tempfile.TemporaryDirectory(prefix="indicators-prof-") as tmp:
        work = Path(tmp)
        seeded = work / "seeded.duckdb"
        seed.init(seeded)
        app = StreamlitServer(seeded, log=work / "app.log")
        floor = StreamlitServer(seeded, log=work / "floor.log", script="benchmarks/floor_page.py")
        others = {}
        for tree in args.ab:  # each its own copy of the store: a server may hold it open
            shutil.copy(seeded, work / f"{tree.name}.duckdb")
            others[tree.name] = StreamlitServer(work / f"{tree.name}.duckdb",
                                                log=work / f"{tree.name}.log", cwd=tree.resolve())
        pages = args.pages.split(",")
        urls = {"floor": floor.url + "/"} if "floor" in pages else {}
        for page in (p for p in pages if p != "floor"):
            for name, other in others.items():
                urls[f"{name}-{page}"] = f"{other.url}/{page}"
            urls[page] = f"{app.url}/{page}"
        drawn: dict[str, list[float]] = {k: [] for k in urls}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS,
                                            headless=True)
                for url in urls.values():
                    visit(browser, url)
                for i in range(args.visits):
                    for k, url in urls.items():
                        v = visit(browser, url)
                        drawn[k].append(v["drawn"])
                        if args.quiet:
                            print(f"{k:>16} #{i + 1}: {summary(v)}", flush=True)
                        else:
                            show(f"{k} #{i + 1}", v)
                browser.close()
        finally:
            app.stop()
            floor.stop()
            for other in others.values():
                other.stop()
    print()
    floor_med = statistics.median(drawn["floor"]) if drawn.get("floor") else None
    for k, ts in drawn.items():
        ratio = f" ({statistics.median(ts) / floor_med:.2f}× the floor)" if floor_med else ""
        print(f"{k}: median {statistics.median(ts):.0f} ms{ratio}  "
              + " ".join(f"{t:.0f}" for t in ts))


if __name__ == "__main__":
    main()
