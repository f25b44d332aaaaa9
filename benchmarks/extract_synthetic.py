"""Score the figure extractor on a synthetic, independently written set of articles.

The labelled sentences of corridor_figures.csv are few (145 sentences) and half of them are
held out, so the development half alone is a narrow guide. This script reads articles written
and labelled for testing by someone who did not see the extractor or the labelled data
(`tests/data/extract_synthetic/*.jsonl`; the figures in them are made up and are never
stored). Each JSON line is an article:

    {"id", "url", "title", "published" (YYYY-MM-DD or null),
     "sentences": [{"text", "figures": [{"value", "unit", "period", "status", "optional"?}]}]}

It is a development aid, not the measure the issue's targets are checked on
(`extract_quality.py` is). Figures marked optional are neither required nor counted as
extra.

Run: .venv/bin/python benchmarks/extract_synthetic.py [--show-misses] [--figures-only] [FILE ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from extract_quality import CATALOGUE, Score, score_labels

from indicators.extract import extract_figures

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted((ROOT / "tests" / "data" / "extract_synthetic").glob("*.jsonl"))


def score_article(article: dict, catalogue: list[dict], score: Score,
                  figures_only: bool = False) -> None:
    if figures_only:
        # As the real benchmark sees its articles: only the sentences that state figures.
        article = {**article, "sentences": [s for s in article["sentences"] if s["figures"]]}
    texts = [s["text"] for s in article["sentences"]]
    result = extract_figures("\n".join(texts), catalogue=catalogue, is_html=False,
                             published=article.get("published"), url=article.get("url"),
                             title=article.get("title"))
    score.articles += 1
    for sentence in article["sentences"]:
        text = sentence["text"]
        labels = sentence["figures"]
        lines = score_labels([x for x in labels if not x.get("optional")],
                             [f for f in result.figures if f.quote in text], score,
                             optional=[x for x in labels if x.get("optional")],
                             year_of_writing=True)
        if lines:
            score.misses.append(f"[{article['id']} {article.get('published')}] {text}\n"
                                + "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--figures-only", action="store_true",
                        help="feed only the sentences with labelled figures, as the labelled "
                             "corpus gives them")
    args = parser.parse_args(argv)
    catalogue = pd.read_csv(CATALOGUE).to_dict("records")
    for path in args.files:
        score = Score()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                score_article(json.loads(line), catalogue, score, args.figures_only)
        print(score.line(path.name))
        if args.show_misses:
            print("\n".join(score.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
