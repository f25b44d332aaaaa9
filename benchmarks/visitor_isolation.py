"""One visitor's extraction must not slow another visitor's page load by more than 2x.

    .venv/bin/python benchmarks/visitor_isolation.py [--runs 7] [--page /sources]

Starts the dashboard on 127.0.0.1 against a store built from the seed and opens two
browser sessions (headless Chromium). Session A loads a page (a fresh session each time,
timed until the script has finished); first alone, then while session B, a visitor with no
token, keeps extracting the longest paste a visitor may give (articles.VISITOR.chars of a
real article's text), submitting again as soon as one extraction ends. Prints the median
load time of each phase and their ratio (contended / alone, target <= 2), and how long B's
extractions took (the time from "Extract figures" to the review table).

Also times sentence splitting of a 1 MB single-paragraph text and the extraction of a
200 kB article, in this process, as a check that both stay linear and fast.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

ARTICLE = ROOT / "tests" / "data" / "articles" / "middle_power_moment.html"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def article_text(chars: int) -> str:
    from indicators.extract.html import read_html

    text = read_html(ARTICLE.read_text(encoding="utf-8"), None).text
    return ((text + "\n") * (chars // len(text) + 1))[:chars]


def load_time(browser, url: str) -> float:
    page = browser.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"]', timeout=120_000)
    page.wait_for_timeout(200)  # let the script run start before waiting for its end
    page.wait_for_selector(READY, timeout=120_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


class Extractor:
    """Session B: a visitor who submits the capped paste again whenever the last one ended."""

    def __init__(self, browser, base: str, text: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1600})
        self.page.goto(base + "/articles")
        self.page.wait_for_selector(READY, timeout=120_000)
        self.page.get_by_label("…or paste the article text or HTML").fill(text)
        self.page.get_by_label("Title (if the page does not give one)").fill("Benchmark")
        self.page.get_by_label("Published (YYYY-MM-DD, if not on the page)").fill("2026-06-03")
        self.durations: list[float] = []
        self.started: float | None = None

    def running(self) -> bool:
        return self.page.locator(READY).count() == 0

    def keep_busy(self) -> None:
        if self.started is not None and not self.running():
            self.durations.append(time.perf_counter() - self.started)
            self.started = None
        if self.started is None:
            self.page.get_by_role("button", name="Extract figures").click()
            self.started = time.perf_counter()
            self.page.wait_for_timeout(300)


def in_process_checks() -> None:
    from indicators import articles
    from indicators.extract.sentences import split_sentences

    big = article_text(1_000_000).replace("\n", " ")
    started = time.perf_counter()
    count = len(split_sentences(big))
    print(f"split 1 MB single paragraph: {count} sentences in "
          f"{time.perf_counter() - started:.2f} s")
    text = article_text(200_000)
    started = time.perf_counter()
    result = articles.extract(articles.Article(text, None, False), catalogue=[],
                              published="2026-06-03")
    print(f"extract 200 kB article in process: {len(result.figures)} figures in "
          f"{time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", default="/sources")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from streamlit_server import CHROMIUM_ARGS, StreamlitServer, chromium

    from indicators import articles, seed

    in_process_checks()
    tmp = Path(tempfile.mkdtemp(prefix="visitor-isolation-"))
    store = tmp / "indicators.duckdb"
    seed.init(store)
    server = StreamlitServer(store)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS,
                                        headless=True)
            url = server.url + args.page
            load_time(browser, url)  # warm: imports, caches, the forkserver is not involved
            alone = [load_time(browser, url) for _ in range(args.runs)]
            extractor = Extractor(browser, server.url, article_text(articles.VISITOR.chars))
            extractor.keep_busy()
            time.sleep(1.0)  # the extraction is under way before the first timed load
            contended = []
            for _ in range(args.runs):
                extractor.keep_busy()
                contended.append(load_time(browser, url))
            extractor.page.wait_for_selector(READY, timeout=180_000)
            extractor.keep_busy()  # records the last duration (and starts one more)
            outcome = extractor.page.locator(
                '[data-testid="stAlert"], [data-testid="stCaptionContainer"]').all_inner_texts()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    a, c = statistics.median(alone), statistics.median(contended)
    print(f"page {args.page}: alone median {a:.2f} s {[round(x, 2) for x in alone]}")
    print(f"page {args.page}: during a visitor's extraction median {c:.2f} s "
          f"{[round(x, 2) for x in contended]}")
    print(f"visitor extractions finished: {len(extractor.durations)}, "
          f"{[round(x, 1) for x in extractor.durations]} s")
    print("visitor's last extraction said: "
          + " | ".join(t for t in outcome if "candidate" in t or "Extraction" in t
                       or "Only the first" in t))
    print(f"ratio (during / alone): {c / a:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
