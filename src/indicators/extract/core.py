"""Candidate figure rows from an article's text or HTML: the public `extract_figures`."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from datetime import date

from indicators import codes
from indicators.extract import periods as P
from indicators.extract.context import (
    EVENT_HEADLINE,
    INFERRED_NOTE,
    advance,
    date_in_url,
    inferred_ref,
    place_of,
    title_period,
)
from indicators.extract.dating import (
    CARRIED,
    DURATION_RULE,
    anchor_to_article,
    date_restated,
    is_future,
    over_span_of_change,
    period_for,
    period_rule,
    years_named,
)
from indicators.extract.html import looks_like_html, read_html
from indicators.extract.indicator_guess import guess_geo, guess_indicator
from indicators.extract.model import (
    FIGURE_COLUMNS,
    RATE_COLUMNS,
    Context,
    ExtractionResult,
    Figure,
)
from indicators.extract.quantities import Quantity, find_quantities
from indicators.extract.sentence_rules import (
    derived_changes,
    growth_between,
    link_changes,
    share_rates,
    turkmen_manat,
)
from indicators.extract.sentences import split_sentences
from indicators.extract.status import (
    CLAUSE_BREAK,
    COMPARED_VALUE,
    DURATION_AHEAD_STATUS,
    ESTIMATE,
    LENGTH_STATED,
    MONEY_SHARE,
    POWER_RATING,
    TARGET_CUE,
    capacity_wording,
    clause_around,
    length_stated,
    read_status,
)
from indicators.extract.ticker import find_rates, ticker_spans
from indicators.extract.units import AMOUNTS

__all__ = ["FIGURE_COLUMNS", "RATE_COLUMNS", "ExtractionResult", "Figure", "date_in_url",
           "extract_figures"]

ROLE_NOTES = {
    "change": "change on the comparison period",
    "share": "percentage with no change wording (a share or a level)",
    "baseline": "comparison value",
}


# Confidence (0-1) of a figure: the confidence of its period, scaled and lowered by these.
CEILING = 0.95  # never sure: the rules read wording, not meaning
NUMBER_WORDS_PENALTY = 0.05  # spelled-out numbers ("a dozen", "two sides") are misread more often
NOUN_GAP_PENALTY = 0.05  # per word (up to two) between number and noun: it may not be its noun
UNKNOWN_NOUN_PENALTY = 0.1  # a count of a noun outside the known list may be no corridor figure
NO_PLACE_PENALTY = 0.1  # with no place the row cannot be charted without editing
INDICATOR_FIT_WEIGHT = 0.4  # how much a weak catalogue fit lowers the score (1 - this is kept)
GUESSED_DATE_FACTOR = 0.8  # relative dates read against a guessed publication date
PLAN_WHEN_WRITTEN_FACTOR = 0.8  # a plan moved to the year of writing is a guess
FLOOR, TOP = 0.05, 0.99  # no row is shown as certain, or as worthless


PAIR_NOTES = {"range-low": "range low", "range-high": "range high", "from": "starting value",
              "to": "value reached"}


def extract_figures(
    text_or_html: str,
    *,
    catalogue: Iterable[Mapping[str, str]],
    url: str | None = None,
    title: str | None = None,
    published: str | date | None = None,
    is_html: bool | None = None,
    deadline: float | None = None,
) -> ExtractionResult:
    """Every figure stated in an article, as candidate rows for review.

    HTML is reduced to its main text with trafilatura (offline); its title and date fill
    `title` and `published` when they are not given. `published` is the reference date that
    "last year" or "this year" are resolved against. Ticker quotes (`KZT/USD = 0.00205 0%`)
    come back separately as rates dated with the page's date. With `deadline` (a
    time.monotonic() value), sentences are read until it passes and the result says where
    it stopped.
    """
    catalogue = list(catalogue)
    if is_html is None:
        is_html = looks_like_html(text_or_html)
    ticker_text = text_or_html
    text = text_or_html
    if is_html:
        page = read_html(text_or_html, url)
        text, ticker_text = page.text, page.visible_text
        title = title or page.title
        published = published or page.published
        url = url or page.url
    if not published and url:
        published = date_in_url(url)
    ref = P.RefDate.parse(published)
    published_iso = ref.iso()
    rates = find_rates(ticker_text, date=published_iso if ref.day else None, source_url=url)
    sentences = split_sentences(text)
    inferred = ref.year is None and (ref := inferred_ref(title, sentences)).year is not None
    headline = title_period(title, ref)
    ctx = Context(ref, period=headline, latest=headline, main=headline,
                   title_geo=guess_geo(title or ""),
                   event_news=bool(EVENT_HEADLINE.search(title or "")))
    if SPAN_OF_YEARS.search(text) or SPAN_OF_YEARS.search(title or ""):
        ctx.years_named = years_named(title, [s.text for s in sentences], ref)
    figures: list[Figure] = []
    stopped = ""
    for done, sentence in enumerate(sentences):
        if deadline is not None and time.monotonic() > deadline:
            stopped = (f"Extraction stopped at its time budget after {done:,} of "
                       f"{len(sentences):,} sentences: the figures come from the first part "
                       "only.")
            break
        found = _sentence_figures(sentence.text, ctx, catalogue)
        for f in found:
            f.source_url, f.source_title, f.published = url, title, published_iso
            if inferred and f.period:
                f.note = "; ".join(n for n in (f.note, INFERRED_NOTE) if n)
                if ref.rule and f.rules.get("period", "").split("+")[0] in P.YEARLESS:
                    f.rules["period"] += "+" + ref.rule
                f.confidence = round(max(FLOOR, f.confidence * GUESSED_DATE_FACTOR), 2)
        figures.extend(found)
    date_restated(figures)
    return ExtractionResult(figures, rates, title, published_iso, url, text,
                            assumed_reference=ref.iso() if inferred else None,
                            stopped_early=stopped)


# Cheap test for a span of years ("over the past nine years", "in 9 years"), before the
# article's named years are collected for `period.span_between_named_years`.
SPAN_OF_YEARS = re.compile(r"\b(?:over|in|for|during|within)\s+(?:the\s+)?(?:past\s+|last\s+"
                           r"|previous\s+)?[\w-]+\s+years\b", re.IGNORECASE)

# A span of years ahead: "within five years", "within the next 15-20 years", "in 30 years".
DURATION_AHEAD = re.compile(r"(?:within|in)\s+(?:the\s+next\s+)?(?:about\s+|around\s+)?"
                            r"[\w-]+\s+years?$", re.IGNORECASE)


def _sentence_figures(sentence: str, ctx: Context, catalogue: list) -> list[Figure]:
    mentions = anchor_to_article(
        P.find_periods(sentence, ctx.ref, ctx.period.y2 if ctx.period else None), ctx)
    skip = [(m.start, m.end) for m in mentions] + ticker_spans(sentence)
    quantities = find_quantities(sentence, skip, ctx.last_unit)
    ahead = [m for m in mentions if DURATION_AHEAD.match(m.text)]
    if not quantities and ahead:
        # "will be built within five years": with no other figure, the span is the figure.
        mentions = [m for m in mentions if m not in ahead]
        quantities = [q for q in find_quantities(
            sentence, [(m.start, m.end) for m in mentions] + ticker_spans(sentence))
            if q.unit == "years"]
    geo = place_of(sentence, ctx)
    figures: list[Figure] = []
    first_span: P.Span | None = None
    for q in quantities:
        span, mention, notes, confidence = period_for(q, mentions, sentence, ctx)
        span, notes = over_span_of_change(q, span, mention, notes, ctx)
        if first_span is None and q.role != "baseline":
            first_span = span
        figures.append(_figure(sentence, q, span, mention, notes, confidence, geo, ctx,
                               catalogue))
    share_rates(sentence, figures)
    turkmen_manat(sentence, figures, ctx)
    growth_between(figures)
    link_changes(figures, ctx, catalogue)
    figures.extend(derived_changes(sentence, quantities, figures, catalogue))
    advance(ctx, sentence, mentions, figures)
    ctx.previous = first_span
    amounts = [q for q in quantities if q.kind in AMOUNTS and q.unit]
    if amounts:
        ctx.last_unit = (amounts[-1].unit, amounts[-1].kind)
    if geo:
        ctx.geo = geo
    return figures


def _past_part_of_year(span: P.Span, ref: P.RefDate) -> bool:
    """A part of the reference year that has already ended (January-October, in November)."""
    return (not span.is_year and span.y1 == span.y2 == ref.year and ref.month is not None
            and span.m2 < ref.month)


def _figure(
    sentence: str,
    q: Quantity,
    span: P.Span | None,
    mention: P.Mention | None,
    notes: list[str],
    confidence: float,
    geo: str,
    ctx: Context,
    catalogue: list,
) -> Figure:
    clause = clause_around(sentence, q.start, q.end)
    status, status_rule = _status(q, sentence, clause, span, mention, ctx.ref)
    if status in codes.STATUS.forward_looking and CARRIED in notes and ctx.ref.year is not None \
            and span is not None and (span.y2 < ctx.ref.year or _past_part_of_year(span, ctx.ref)):
        # "The company also expects volumes to rise to 75 million tonnes", after a report on
        # last year: the expectation is for the year of writing, not the year reported on; nor
        # for the months of this year already reported on ("In the first 10 months ... The port
        # plans to raise its capacity to 25 million tons per year").
        span, notes = P.Span.year(ctx.ref.year), ["a forecast or plan with no period of its "
                                                  "own: the publication year"]
        confidence *= PLAN_WHEN_WRITTEN_FACTOR
    role = "change" if q.role == "change" else q.role
    indicator, fit = guess_indicator(clause + " " + sentence + " " + geo, unit=q.unit,
                                     role=role, status=status, catalogue=catalogue)
    qualifiers = [q.qualifier if q.qualifier not in geo else "",
                  PAIR_NOTES[q.pair] if q.pair.startswith("range") else ""]
    geo_out = " — ".join(part for part in (geo, *qualifiers) if part)
    role_note = "" if q.pair == "from" else ROLE_NOTES.get(q.role, "")
    all_notes = [PAIR_NOTES.get(q.pair, ""), role_note,
                 f"stated as '{q.approx} …'" if q.approx else "", *notes]
    score = CEILING * confidence
    score -= NUMBER_WORDS_PENALTY if q.words else 0
    score -= NOUN_GAP_PENALTY * min(q.gap, 2)
    score -= UNKNOWN_NOUN_PENALTY if q.kind == "thing" else 0
    score -= NO_PLACE_PENALTY if not geo else 0
    score *= 1 - INDICATOR_FIT_WEIGHT + INDICATOR_FIT_WEIGHT * fit
    return Figure(
        indicator=indicator, geo=geo_out, period=span.text() if span else "",
        value=_round(q.value), unit=q.unit, source_url=None, source_title=None, published=None,
        quote=sentence, status=status, note="; ".join(n for n in all_notes if n),
        confidence=round(max(FLOOR, min(TOP, score)), 2), span=(q.start, q.end), role=q.role,
        rules={"value": q.value_rule, "unit": q.unit_rule,
               **({"role": q.role_rule} if q.role_rule else {}),
               "period": period_rule(mention, notes), "status": status_rule},
    )


# Where the wording after a figure stops being about it: a comma, or "and" that does not go
# on to another figure ("3,550 containers in 2024 and aims to ..."; but "50 tunnels and over 90
# bridges will be built" shares the verb).
NEXT_PART = re.compile(r"[,;]|\band\s+(?!(?:about|around|over|some|nearly|almost|more\s+than"
                       r"|up\s+to|another)?\s*[\d$€])", re.IGNORECASE)


# A verb of a clause (or a participle that heads one): a clause with none ("and 1.7 million
# tons - oil", ", with a total travel time of approximately 25 days") borrows its verb.
FINITE_VERB = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|shall|can"
                         r"|could|may|might|must|should|does|do|did|[a-z]+ed|[a-z]+ing|[a-z]+s"
                         r"|rose|fell|grew|held|made|took|bought|sold|built|spent|won|lost|led"
                         r"|left|paid|began|became|brought|kept|sent|stood|hit|cut|set|put|got)\b"
                         r"(?<!\bits)(?<!\bthis)(?<!\bas)(?<!\bus)", re.IGNORECASE)


PLANNED = re.compile(r"\b(?:plan(?:s|ned)?|aim(?:s|ed)?|target(?:s|ed)?|schedul\w*)\b",
                     re.IGNORECASE)
POWER_UNITS = frozenset({"MW", "GW", "kW"})  # ratings of a plant, not energy (MWh)


def _status(q: Quantity, sentence: str, clause: str, span: P.Span | None,
            mention: P.Mention | None, ref: P.RefDate) -> tuple[str, str]:
    """The figure's status and the name of the status rule that decided it."""
    offset = sentence.find(clause)
    start, end = q.start - offset, q.end - offset
    capacity = capacity_wording(clause, start, end)
    if DURATION_RULE in q.unit_rule:
        # "will be built within five years" is a forecast; "is planned to take five years" a plan.
        if PLANNED.search(clause):
            return "target", DURATION_AHEAD_STATUS.name
        return "forecast", DURATION_AHEAD_STATUS.name
    if q.role == "baseline":
        return ("capacity" if capacity else "reported"), COMPARED_VALUE.name
    # The wording before the figure in its clause, and after it up to the next comma: in
    # "Baku, whose capacity stands at 15 Mt, plans to expand to 25 Mt" only 25 Mt is planned.
    window = clause[:end] + NEXT_PART.split(clause[end:])[0]
    if offset > 0 and not FINITE_VERB.search(window[:start] + window[end:]):
        # "2.5 million tons will be dry cargo (96,000 TEU), and 1.7 million tons - oil": a
        # clause with no verb of its own shares the verb, and the status, of the one before.
        before = [part for part in CLAUSE_BREAK.split(sentence[:offset]) if part.strip()]
        window = (before[-1] if before else "") + " " + window
    in_clause = mention is not None and offset <= mention.start < offset + len(clause)
    status = read_status(window, capacity=capacity,
                         future_period=in_clause and is_future(span, mention, ref),
                         money=q.kind == "money" and "/" not in q.unit,
                         estimated=bool(ESTIMATE.search(sentence[:q.end])))
    if status[0] in ("target", "forecast") and length_stated(q, window):
        return "reported", LENGTH_STATED.name
    if status[0] == "reported" and q.unit in POWER_UNITS:
        return "capacity", POWER_RATING.name
    if status[0] == "target" and q.kind == "percent" and q.role == "share" \
            and MONEY_SHARE.pattern.search(window) and status[1] == TARGET_CUE.name:
        return "reported", MONEY_SHARE.name
    return status


def _round(value: float) -> float:
    return float(f"{value:.10g}")

