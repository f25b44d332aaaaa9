"""Measure the figure extractor against the labelled sentences of corridor_figures.csv and on
the whole articles of the second labelled set.

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

The second set (`../shared/data/corridor_figures_2.csv`, 51 articles) is scored on whole
articles: `corridor_articles_2.jsonl` gives every sentence of each article that holds a
number, in order, with the headline and publication date where the copy has them. All those
sentences are fed, one a line, so precision counts figures proposed from sentences that have
nothing labelled too (real noise). Both files are read from ../shared/data at run time; the
articles are never copied into the project. The articles are split into dev and held-out by
URL in the same way as the first set.

It also prints how many figures each rule produced on each corpus, which rules produced the
wrong periods and statuses and the unlabelled figures, and the time to extract a 5,000-word
article (built from the second set's sentences; target under 1 s).

Run: .venv/bin/python benchmarks/extract_quality.py [--half dev] [--show-misses dev
[--corpus first|second] [--mode sentence]]. While developing, use --half dev: it scores the
development halves only, so that the held-out numbers are not looked at until the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators import period_notation
from indicators.extract import Figure, extract_figures

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data" / "raw" / "corridor_figures.csv"
CATALOGUE = ROOT / "data" / "seed" / "indicators.csv"
SHARED = ROOT.parent / "shared" / "data"  # ../shared/data, beside the project
TIMED_WORDS = 5000
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
        a, b = period_notation.parse(str(got)), period_notation.parse(str(want))
    except period_notation.PeriodError:
        return False
    return (a.start, a.end) == (b.start, b.end)


def is_period(text: str) -> bool:
    try:
        period_notation.parse(str(text))
    except period_notation.PeriodError:
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
    # Matched rows that differ from the label only by a convention the label predates (see
    # `score_labels`): neither right nor wrong, counted apart.
    convention_period: int = 0
    convention_status: int = 0
    status_right: int = 0
    quotes: int = 0
    articles: int = 0
    misses: list[str] = field(default_factory=list)
    # How many figures each rule produced, and which rules stood behind each kind of error.
    rule_hits: Counter = field(default_factory=Counter)
    rule_errors: Counter = field(default_factory=Counter)

    def line(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

        convention = (f"[{self.convention_period} periods and {self.convention_status} "
                      "statuses differ only by an older convention, not scored] "
                      if self.convention_period or self.convention_status else "")
        return (
            f"{name:19} articles={self.articles} quotes={self.quotes} labels={self.labels} "
            f"predictions={self.predictions} (+{self.derived} derived)\n"
            f"    recall={ratio(self.matched, self.labels)} "
            f"precision={ratio(self.matched, self.predictions)} "
            f"period={ratio(self.period_right, self.period_checked)} "
            f"[{self.period_vague} matched labels with vague periods not scored] {convention}"
            f"status={ratio(self.status_right, self.matched - self.convention_status)}"
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


# Status rules that read money (or a share of it) or a line's length as stated, where the
# synthetic sets have a target or forecast.
MONEY_AS_STATED = frozenset({"status.money_stated", "status.money_share", "status.length_stated"})
NAMED_COUNTS = frozenset({"countries", "cities", "companies"})
# A count of a noun outside the extractor's list, named by the noun as the real sets name it
# ("2 warehouses"); the synthetic sets call such counts `units`.
OTHER_NOUN = "unit.other_countable"


def score_labels(labels: list[dict], predicted: list[Figure], score: Score,
                 optional: list[dict] = (), year_of_writing: bool = False) -> list[str]:
    """Score one sentence's predictions against its labels (dicts of value, unit, period,
    status); return the lines that describe the misses. A prediction matching an optional
    label is neither required nor counted as extra.

    `year_of_writing`: the labels follow the convention of the synthetic sets, written before
    the real sets showed theirs: a state with no period of its own is dated with the
    publication year (the real sets: the publication month), and a sum of money with 'will'
    or 'expected' wording, and a planned line's length, are a target or forecast (the real
    sets: reported). A figure that
    differs from its label only so is counted apart, as neither right nor wrong."""
    stated = [f for f in predicted if not f.derivation]
    score.quotes += 1
    score.derived += len(predicted) - len(stated)
    score.labels += len(labels)
    used: set[int] = set()
    lines = []

    def same_unit(got: str, want: str, other_noun: bool = False) -> bool:
        # The synthetic sets count countries, cities and companies in `units`, and train trips
        # in `trains`; the real sets (and the extractor) name the noun and count trips.
        if got == want:
            return True
        noun, rate = got.split("/")[0], got[len(got.split("/")[0]):]
        return year_of_writing and (noun in NAMED_COUNTS and want == "units"
                                    or noun == "trips" and want == "trains" + rate
                                    or want == "units" + rate and other_noun)

    def find(label: dict) -> int | None:
        return next((i for i, f in enumerate(stated) if i not in used
                     and same_unit(f.unit, label["unit"], OTHER_NOUN in f.rules.get("unit", ""))
                     and same_value(f.value, float(label["value"]))), None)

    for f in stated:
        for part, rule in rules_of(f).items():
            score.rule_hits[part, rule] += 1
    for label in labels:
        hit = find(label)
        if hit is None:
            lines.append(f"   MISS  {label['value']:g} {label['unit']} {label['period']}")
            continue
        used.add(hit)
        f = stated[hit]
        score.matched += 1
        old_status = (year_of_writing and f.status == "reported"
                      and label["status"] in ("target", "forecast")
                      and rules_of(f).get("status") in MONEY_AS_STATED)
        score.convention_status += old_status
        score.status_right += f.status == label["status"]
        if year_of_writing and f.period[:5] == f"{label['period']}-" and len(f.period) == 7 \
                and "time of writing" in f.note:
            score.convention_period += 1
        elif is_period(label["period"]):
            score.period_checked += 1
            right = same_period(f.period, label["period"])
            score.period_right += right
            if not right:
                score.rule_errors["period", rules_of(f).get("period", "?")] += 1
                lines.append(f"   PERIOD {f.value:g} {f.unit}: got {f.period!r} want "
                             f"{label['period']} ({f.note}) {rules_text(f)}")
        else:
            score.period_vague += 1
        if f.status != label["status"] and not old_status:
            score.rule_errors["status", rules_of(f).get("status", "?")] += 1
            lines.append(f"   STATUS {f.value:g} {f.unit}: got {f.status} want "
                         f"{label['status']} {rules_text(f)}")
    extra_optional = 0
    for label in optional:
        hit = find(label)
        if hit is not None:
            used.add(hit)
            extra_optional += 1
    score.predictions += len(stated) - extra_optional
    for i, f in enumerate(stated):
        if i not in used:
            score.rule_errors["extra value", rules_of(f).get("value", "?")] += 1
            lines.append(f"   EXTRA {f.value:g} {f.unit} {f.period} ({f.note}) {rules_text(f)}")
    return lines


def rules_of(f: Figure) -> dict[str, str]:
    """The rules that produced a figure's value, unit, period and status (empty before the
    extractor recorded them)."""
    return dict(getattr(f, "rules", None) or {})


def rules_text(f: Figure) -> str:
    rules = rules_of(f)
    return "[" + "; ".join(f"{k}={v}" for k, v in rules.items()) + "]" if rules else ""


def print_rules(name: str, score: Score, top: int) -> None:
    """Per-rule hit counts and the rules behind the errors, for one corpus and run."""
    if not score.rule_hits:
        return
    print(f"rules on {name}: figures each rule produced (part: rule count)")
    for part in ("value", "unit", "role", "period", "status"):
        hits = [(r, n) for (p, r), n in score.rule_hits.most_common() if p == part][:top]
        print(f"  {part:6} " + ", ".join(f"{r} {n}" for r, n in hits))
    if score.rule_errors:
        print(f"errors on {name} by rule (wrong period, wrong status, unlabelled value)")
        for kind in ("period", "status", "extra value"):
            errs = [(r, n) for (p, r), n in score.rule_errors.most_common() if p == kind][:top]
            if errs:
                print(f"  {kind:11} " + ", ".join(f"{r} {n}" for r, n in errs))


def score_quote(rows: pd.DataFrame, predicted: list[Figure], score: Score) -> None:
    labels = [{"value": r["value"], "unit": r["unit"], "period": r["period"],
               "status": label_status(r["metric"])} for _, r in rows.iterrows()]
    lines = score_labels(labels, predicted, score)
    if lines:
        score.misses.append(f"[{published_of(rows)}] {rows.iloc[0]['quote']}\n"
                            + "\n".join(lines))


def read_articles(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def whole_article(article: dict, catalogue: list[dict]) -> list[Figure]:
    """The extractor on every numeric sentence of an article, one a line, with its URL and
    the headline and publication date when the copy has them."""
    return extract_figures("\n".join(article["sentences"]), catalogue=catalogue,
                           url=article["url"], title=article.get("title") or None,
                           published=article.get("published") or None, is_html=False).figures


def by_sentence(sentences: list[str], figures: list[Figure]) -> dict[str, list[Figure]]:
    """Each figure under the fed sentence its quote lies in (the first, when repeated)."""
    out: dict[str, list[Figure]] = {s: [] for s in sentences}
    for f in figures:
        home = next((s for s in sentences if f.quote in s or s in f.quote), None)
        if home is not None:
            out[home].append(f)
    return out


def score_articles(articles: list[dict], labels: pd.DataFrame, catalogue: list[dict],
                   score: Score) -> None:
    """Score whole articles: every numeric sentence is fed, so figures from sentences with
    nothing labelled count against precision."""
    score.articles += len(articles)
    for article in articles:
        rows = labels[labels["url"] == article["url"]]
        sentences = list(dict.fromkeys(article["sentences"]))
        found = by_sentence(sentences, whole_article(article, catalogue))
        for sentence in sentences:
            quote_rows = rows[rows["quote"] == sentence]
            wanted = [{"value": r["value"], "unit": r["unit"], "period": r["period"],
                       "status": label_status(r["metric"])} for _, r in quote_rows.iterrows()]
            lines = score_labels(wanted, found[sentence], score)
            if lines:
                score.misses.append(f"[{article.get('published') or 'undated'}] "
                                    f"{article['url']}\n{sentence}\n" + "\n".join(lines))


def unplaced_labels(articles: list[dict], labels: pd.DataFrame) -> int:
    """Labelled rows whose quote is not one of their article's sentences (scored nowhere)."""
    fed = {(a["url"], s) for a in articles for s in a["sentences"]}
    return sum((u, q) not in fed for u, q in zip(labels["url"], labels["quote"], strict=True))


def time_long_article(articles: list[dict], catalogue: list[dict], runs: int = 5) -> str:
    """Median seconds to extract one article of TIMED_WORDS words, made of the second set's
    sentences in order (built in memory, never stored)."""
    words: list[str] = []
    lines: list[str] = []
    while len(words) < TIMED_WORDS:
        for article in articles:
            for sentence in article["sentences"]:
                lines.append(sentence)
                words.extend(sentence.split())
                if len(words) >= TIMED_WORDS:
                    break
            if len(words) >= TIMED_WORDS:
                break
    text = "\n".join(lines)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        extract_figures(text, catalogue=catalogue, published="2025-06-01", is_html=False)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    # CPU time is the measure: the machine is shared, and wall time counts the waits for a core.
    median = statistics.median(cpu)
    verdict = "met" if median < 1.0 else "NOT met"
    return (f"timing: a {len(words):,}-word article ({len(lines)} sentences) extracted in "
            f"{median:.3f} s of CPU, {statistics.median(wall):.3f} s wall (medians of {runs}; "
            f"target < 1 s {verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--show-misses", choices=("dev", "held-out"),
                        help="list the misses of one half (develop on dev only)")
    parser.add_argument("--corpus", choices=("first", "second"), default="second",
                        help="which labelled set --show-misses lists")
    parser.add_argument("--rules", type=int, default=12,
                        help="how many rules to list per part in the rule counts (0: none)")
    parser.add_argument("--no-timing", action="store_true", help="skip the 5,000-word timing")
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="the folder of corridor_figures_2.csv and corridor_articles_2.jsonl")
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
    if args.rules:
        for name in ("held-out", "dev") if args.half == "both" else ("dev",):
            print_rules(f"first set, {name}, article", results[name, "article"], args.rules)
    second: dict[str, Score] = {}
    articles_2: list[dict] = []
    labels_path = args.shared / "corridor_figures_2.csv"
    articles_path = args.shared / "corridor_articles_2.jsonl"
    if labels_path.exists() and articles_path.exists():
        labels_2 = pd.read_csv(labels_path)
        articles_2 = read_articles(articles_path)
        half_2 = split_halves([a["url"] for a in articles_2])
        print(f"\nsecond set: {labels_path.name} ({len(labels_2)} labels) on whole articles of "
              f"{articles_path.name}, every numeric sentence fed "
              f"({unplaced_labels(articles_2, labels_2)} labels outside the fed sentences)")
        for name in ("held-out", "dev") if args.half == "both" else ("dev",):
            second[name] = Score()
            score_articles([a for a in articles_2 if half_2[a["url"]] == name], labels_2,
                           catalogue, second[name])
            print(second[name].line(f"{name}, whole"))
        if args.rules:
            for name, score in second.items():
                print_rules(f"second set, {name}", score, args.rules)
    else:
        print(f"\nsecond set not found in {args.shared}: not scored")
    if articles_2 and not args.no_timing:
        print(time_long_article(articles_2, catalogue))
    if args.show_misses:
        if args.corpus == "second":
            print("\n".join(second[args.show_misses].misses))
        else:
            print("\n".join(results[args.show_misses, args.mode].misses))
    if args.half != "both":
        return 0
    held = results["held-out", "article"]
    met = {
        "recall >= 0.9": held.matched >= 0.9 * held.labels,
        "precision >= 0.85": held.matched >= 0.85 * held.predictions,
        "period >= 0.8": held.period_right >= 0.8 * held.period_checked,
    }
    print("targets on the first set's held-out half, article: "
          + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in met.items()))
    if "held-out" in second:
        held = second["held-out"]
        met_2 = {
            "recall >= 0.95": held.matched >= 0.95 * held.labels,
            "precision >= 0.93": held.matched >= 0.93 * held.predictions,
            "period >= 0.90": held.period_right >= 0.90 * held.period_checked,
            "status >= 0.90": held.status_right >= 0.90 * held.matched,
        }
        print("targets on the second set's held-out half (issue 14): "
              + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in met_2.items()))
        met.update(met_2)
    return 0 if all(met.values()) or not args.strict else 1

if __name__ == "__main__":
    sys.exit(main())
