"""Measure the figure extractor against the labelled sentences of corridor_figures.csv.

Articles are split by URL into a development half and a held-out half: URLs sorted by
their SHA-1 and dealt alternately (dev, held-out, dev, ...). Each unique quote is run
through `extract_figures` on its own, with the row's `published` as the reference date,
and its predictions are compared with every labelled row of that quote:

- recall: labelled (value, unit) pairs found, within 0.5% of the value;
- precision: stated predictions (not derived ones) that match a labelled pair;
- period: matched figures whose period covers the same months as the label (2025-Q1 is
  2025-01/2025-03), among labels in the period notation (vague labels such as
  "unspecified" are counted apart);
- status: matched figures whose status agrees with the label's metric name
  (_forecast, _target/_planned, capacity).

A second run ("article") feeds each article's labelled sentences to the extractor together,
in order, one a line, with the article's URL and its real headline (titles the labellers
made up are left out), so that a sentence may take its period or place from the headline and
the sentences before it, as it does on a whole article. The product always extracts from
whole articles, so the article run gives the primary numbers and the targets are checked on
it; the sentence run stays visible as the harder lower bound.

Run: .venv/bin/python benchmarks/extract_quality.py [--half dev] [--show-misses dev
[--mode sentence]]. While developing, use --half dev: it scores the development half only,
so that the held-out numbers are not looked at until the end.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators import periods
from indicators.extract import Figure, extract_figures

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data" / "raw" / "corridor_figures.csv"
CATALOGUE = ROOT / "data" / "seed" / "indicators.csv"
TOLERANCE = 0.005


def split_halves(urls: list[str]) -> dict[str, str]:
    ordered = sorted(set(urls), key=lambda u: hashlib.sha1(u.encode()).hexdigest())
    return {u: ("dev" if i % 2 == 0 else "held-out") for i, u in enumerate(ordered)}


def same_value(a: float, b: float) -> bool:
    if b == 0:
        return a == 0
    return abs(a - b) <= TOLERANCE * abs(b)


def label_status(metric: str) -> str:
    m = metric.lower()
    if "forecast" in m:
        return "forecast"
    if "target" in m or "planned" in m:
        return "target"
    if "capacity" in m:
        return "capacity"
    return "reported"


def same_period(got: str, want: str) -> bool:
    """Equal periods, however written: 2025-Q1 is 2025-01/2025-03."""
    if got == want:
        return True
    try:
        a, b = periods.parse(str(got)), periods.parse(str(want))
    except periods.PeriodError:
        return False
    return (a.start, a.end) == (b.start, b.end)


def is_period(text: str) -> bool:
    try:
        periods.parse(str(text))
    except periods.PeriodError:
        return False
    return True


@dataclass
class Score:
    labels: int = 0
    predictions: int = 0
    derived: int = 0
    matched: int = 0
    period_checked: int = 0
    period_right: int = 0
    period_vague: int = 0
    status_right: int = 0
    quotes: int = 0
    articles: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

        return (
            f"{name:19} articles={self.articles} quotes={self.quotes} labels={self.labels} "
            f"predictions={self.predictions} (+{self.derived} derived)\n"
            f"    recall={ratio(self.matched, self.labels)} "
            f"precision={ratio(self.matched, self.predictions)} "
            f"period={ratio(self.period_right, self.period_checked)} "
            f"[{self.period_vague} matched labels with vague periods not scored] "
            f"status={ratio(self.status_right, self.matched)}"
        )


def published_of(rows: pd.DataFrame) -> str | None:
    value = rows.iloc[0]["published"]
    return value if isinstance(value, str) else None


def sentence_predictions(rows: pd.DataFrame, catalogue: list[dict]) -> list[Figure]:
    """The extractor run on the labelled sentence alone."""
    return extract_figures(rows.iloc[0]["quote"], catalogue=catalogue,
                           published=published_of(rows), is_html=False).figures


def headline_of(rows: pd.DataFrame) -> str | None:
    """The article's headline, when the data has the real one. Titles the labellers made up
    ("[no headline in corpus copy] ...") describe the figures and are not given; a note
    such as "[title reconstructed from URL slug]" is cut off (the slug is the URL's own)."""
    title = rows.iloc[0]["title"]
    if not isinstance(title, str) or title.lstrip().startswith("["):
        return None
    return re.sub(r"\s*\[[^\]]*\]\s*", " ", title).strip() or None


def article_predictions(article: pd.DataFrame, catalogue: list[dict]) -> dict[str, list]:
    """The extractor run on the article's labelled sentences in order, one a line, with the
    article's URL and real headline, so that a sentence can take its period or place from
    the headline and the sentences before it."""
    quotes = list(dict.fromkeys(article["quote"]))
    result = extract_figures("\n".join(quotes), catalogue=catalogue,
                             published=published_of(article), is_html=False,
                             url=article.iloc[0]["url"], title=headline_of(article))
    return {q: [f for f in result.figures if f.quote in q] for q in quotes}


def score_labels(labels: list[dict], predicted: list[Figure], score: Score,
                 optional: list[dict] = ()) -> list[str]:
    """Score one sentence's predictions against its labels (dicts of value, unit, period,
    status); return the lines that describe the misses. A prediction matching an optional
    label is neither required nor counted as extra."""
    stated = [f for f in predicted if not f.derivation]
    score.quotes += 1
    score.derived += len(predicted) - len(stated)
    score.labels += len(labels)
    used: set[int] = set()
    lines = []

    def find(label: dict) -> int | None:
        return next((i for i, f in enumerate(stated) if i not in used and f.unit == label["unit"]
                     and same_value(f.value, float(label["value"]))), None)

    for label in labels:
        hit = find(label)
        if hit is None:
            lines.append(f"   MISS  {label['value']:g} {label['unit']} {label['period']}")
            continue
        used.add(hit)
        f = stated[hit]
        score.matched += 1
        score.status_right += f.status == label["status"]
        if is_period(label["period"]):
            score.period_checked += 1
            right = same_period(f.period, label["period"])
            score.period_right += right
            if not right:
                lines.append(f"   PERIOD {f.value:g} {f.unit}: got {f.period!r} want "
                             f"{label['period']} ({f.note})")
        else:
            score.period_vague += 1
        if f.status != label["status"]:
            lines.append(f"   STATUS {f.value:g} {f.unit}: got {f.status} want "
                         f"{label['status']}")
    extra_optional = 0
    for label in optional:
        hit = find(label)
        if hit is not None:
            used.add(hit)
            extra_optional += 1
    score.predictions += len(stated) - extra_optional
    for i, f in enumerate(stated):
        if i not in used:
            lines.append(f"   EXTRA {f.value:g} {f.unit} {f.period} ({f.note})")
    return lines


def score_quote(rows: pd.DataFrame, predicted: list[Figure], score: Score) -> None:
    labels = [{"value": r["value"], "unit": r["unit"], "period": r["period"],
               "status": label_status(r["metric"])} for _, r in rows.iterrows()]
    lines = score_labels(labels, predicted, score)
    if lines:
        score.misses.append(f"[{published_of(rows)}] {rows.iloc[0]['quote']}\n"
                            + "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--show-misses", choices=("dev", "held-out"),
                        help="list the misses of one half (develop on dev only)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a held-out target is not met")
    parser.add_argument("--mode", choices=("sentence", "article"), default="article",
                        help="which run --show-misses lists")
    parser.add_argument("--half", choices=("both", "dev"), default="both",
                        help="score only the development half (while developing)")
    args = parser.parse_args(argv)
    data = pd.read_csv(args.labels)
    catalogue = pd.read_csv(CATALOGUE).to_dict("records") if CATALOGUE.exists() else []
    half = split_halves(data["url"].tolist())
    data["half"] = data["url"].map(half)
    results: dict[tuple[str, str], Score] = {}
    for name in ("held-out", "dev") if args.half == "both" else ("dev",):
        part = data[data["half"] == name]
        sentence, article = Score(), Score()
        sentence.articles = article.articles = part["url"].nunique()
        for _, rows in part.groupby("url", sort=False):
            in_article = article_predictions(rows, catalogue)
            for quote, quote_rows in rows.groupby("quote", sort=False):
                score_quote(quote_rows, sentence_predictions(quote_rows, catalogue), sentence)
                score_quote(quote_rows, in_article[quote], article)
        results[name, "sentence"] = sentence
        results[name, "article"] = article
    print(f"labels: {args.labels.name}; value tolerance {TOLERANCE:.1%}; "
          f"catalogue: {len(catalogue)} indicators")
    for (name, mode), score in results.items():
        print(score.line(f"{name}, {mode}" + (" *" if mode == "article" else "")))
    print("* primary: whole-article run (the product extracts from whole articles)")
    if args.show_misses:
        print("\n".join(results[args.show_misses, args.mode].misses))
    if args.half != "both":
        return 0
    held = results["held-out", "article"]
    met = {
        "recall >= 0.9": held.matched >= 0.9 * held.labels,
        "precision >= 0.85": held.matched >= 0.85 * held.predictions,
        "period >= 0.8": held.period_right >= 0.8 * held.period_checked,
    }
    print("targets on held-out, article: "
          + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in met.items()))
    return 0 if all(met.values()) or not args.strict else 1

if __name__ == "__main__":
    sys.exit(main())
