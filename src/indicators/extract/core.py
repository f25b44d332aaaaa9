"""Candidate figure rows from an article's text or HTML: the public `extract_figures`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from indicators import periods
from indicators.extract import periods as P
from indicators.extract.html import looks_like_html, read_html
from indicators.extract.indicator_guess import guess_geo, guess_indicator, related_indicator
from indicators.extract.quantities import Quantity, find_quantities
from indicators.extract.sentences import split_sentences
from indicators.extract.status import (
    FORECAST,
    TARGET,
    capacity_wording,
    clause_around,
    guess_status,
)
from indicators.extract.ticker import Rate, find_rates, ticker_spans
from indicators.schema import FIGURES, RATES

FIGURE_COLUMNS: tuple[str, ...] = (*FIGURES.csv_columns, "confidence")
RATE_COLUMNS: tuple[str, ...] = (*RATES.csv_columns[:4], "change_pct", "source_url")
ROLE_NOTES = {
    "change": "change on the comparison period",
    "share": "percentage with no change wording (a share or a level)",
    "baseline": "comparison value",
}
CARRIED = "period carried from the headline or an earlier sentence"
PAIR_NOTES = {"range-low": "range low", "range-high": "range high", "from": "starting value",
              "to": "value reached"}


@dataclass
class Figure:
    """One candidate row for the figures table, with how sure the extractor is of it."""

    indicator: str
    geo: str
    period: str
    value: float
    unit: str
    source_url: str | None
    source_title: str | None
    published: str | None
    quote: str
    status: str
    note: str = ""
    derivation: str = ""
    confidence: float = 0.5
    span: tuple[int, int] = (0, 0)  # where the figure is written inside `quote`
    role: str = "level"

    def as_row(self) -> dict:
        return {c: getattr(self, c) for c in FIGURE_COLUMNS}


@dataclass
class ExtractionResult:
    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    url: str | None = None
    text: str = ""
    # With no publication date: the date relative wording was read against ("2025-01"), a
    # guess from the article's latest reported period. Never stored as `published`.
    assumed_reference: str | None = None

    @property
    def assumption_note(self) -> str:
        """What to tell a reviewer when the publication date was guessed, else ""."""
        if not self.assumed_reference:
            return ""
        return (f"No publication date was found, so relative dates (\"last year\", \"this "
                f"year\", \"since the beginning of the year\") were read as if the article was "
                f"written in {self.assumed_reference}, just after the latest period it reports "
                "on. Give the publication date to be sure.")

    def figures_frame(self) -> pd.DataFrame:
        """Rows in the figures CSV column order, plus `confidence`."""
        return pd.DataFrame([f.as_row() for f in self.figures], columns=list(FIGURE_COLUMNS))

    def rates_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.as_row() for r in self.rates], columns=list(RATE_COLUMNS))


@dataclass
class _Context:
    """What earlier sentences of the same article established."""

    ref: P.RefDate
    period: P.Span | None = None
    latest: P.Span | None = None  # the latest past period named so far: the article's "now"
    main: P.Span | None = None  # the period the article reports on: the headline's or the first
    event_news: bool = False  # the headline reports one event: a train's arrival, a first
    geo: str = ""
    title_geo: str = ""
    indicator: str = ""


def extract_figures(
    text_or_html: str,
    *,
    catalogue: Iterable[Mapping[str, str]],
    url: str | None = None,
    title: str | None = None,
    published: str | date | None = None,
    is_html: bool | None = None,
) -> ExtractionResult:
    """Every figure stated in an article, as candidate rows for review.

    HTML is reduced to its main text with trafilatura (offline); its title and date fill
    `title` and `published` when they are not given. `published` is the reference date that
    "last year" or "this year" are resolved against. Ticker quotes (`KZT/USD = 0.00205 0%`)
    come back separately as rates dated with the page's date.
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
    inferred = ref.year is None and (ref := _inferred_ref(title, sentences)).year is not None
    headline = _title_period(title, ref)
    ctx = _Context(ref, period=headline, latest=headline, main=headline,
                   title_geo=guess_geo(title or ""),
                   event_news=bool(EVENT_HEADLINE.search(title or "")))
    figures: list[Figure] = []
    for sentence in sentences:
        found = _sentence_figures(sentence.text, ctx, catalogue)
        for f in found:
            f.source_url, f.source_title, f.published = url, title, published_iso
            if inferred and f.period:
                f.note = "; ".join(n for n in (f.note, INFERRED_NOTE) if n)
                f.confidence = round(max(0.05, f.confidence * 0.8), 2)
        figures.extend(found)
    return ExtractionResult(figures, rates, title, published_iso, url, text,
                            assumed_reference=ref.iso() if inferred else None)


INFERRED_NOTE = "no publication date: dated as if published just after the article's latest period"


def _inferred_ref(title: str | None, sentences: list) -> P.RefDate:
    """A reference date for an article with no publication date: just after the latest past
    period it reports on, as statistics come out after the period ends. A report on the year
    2024 reads as written in 2025 ("last year" is 2024); a report on January-October 2024 as
    written in November 2024 ("this year" is 2024). Deadlines, forecasts, comparisons and
    events are left out. Only relative wording is resolved with it; the rows' `published`
    stays empty."""
    latest: P.Span | None = None
    for text in [title or "", *(s.text for s in sentences)]:
        if FORECAST.search(text) or TARGET.search(text):
            continue
        for m in P.find_periods(text, P.RefDate()):
            if m.kind != "explicit" or m.span is None or m.comparison or m.event:
                continue
            if latest is None or (m.span.y2, m.span.m2) > (latest.y2, latest.m2):
                latest = m.span
    if latest is None:
        return P.RefDate()
    if latest.m2 == 12:
        return P.RefDate(latest.y2 + 1, 1, inferred=True)
    return P.RefDate(latest.y2, latest.m2 + 1, inferred=True)


URL_DATE = re.compile(r"/(20\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=[/-])")


def date_in_url(url: str) -> str | None:
    """The date many news sites write in their article paths: /2024/08/..., /2024-05-30/."""
    m = URL_DATE.search(url)
    if not m:
        return None
    return "-".join(part for part in m.groups() if part)


def _title_period(title: str | None, ref: P.RefDate) -> P.Span | None:
    """A past period the headline names ("... handles 372,000 TEUs in 2025") is the context
    of sentences that name none; a deadline ("by 2030") is not."""
    main = _main_mention(P.find_periods(title or "", ref))
    if main is None or main.kind != "explicit" or main.span is None:
        return None
    return None if _is_future(main.span, main, ref) else main.span


def _sentence_figures(sentence: str, ctx: _Context, catalogue: list) -> list[Figure]:
    mentions = P.find_periods(sentence, ctx.ref, ctx.period.y2 if ctx.period else None)
    skip = [(m.start, m.end) for m in mentions] + ticker_spans(sentence)
    quantities = find_quantities(sentence, skip)
    geo = _geo(sentence, ctx)
    main = _main_mention(mentions)
    figures: list[Figure] = []
    for q in quantities:
        span, mention, notes, confidence = _period_for(q, mentions, sentence, ctx)
        figures.append(_figure(sentence, q, span, mention, notes, confidence, geo, ctx,
                               catalogue))
    _share_rates(sentence, figures)
    _turkmen_manat(sentence, figures, ctx)
    _growth_between(figures)
    _link_changes(figures, ctx, catalogue)
    figures.extend(_derived_changes(sentence, quantities, figures, catalogue))
    ahead = main is not None and (main.kind == "by" or _is_future(main.span, main, ctx.ref)
                                  or bool(figures) and all(f.status in ("target", "forecast")
                                                           for f in figures))
    looking_back = main is not None and main.span is not None and ctx.main is not None \
        and (main.span.y2, main.span.m2) < (ctx.main.y1, ctx.main.m1)
    # "In March alone, 118 trains ..." in a report on the first quarter: a detail, after which
    # the article goes on about the quarter.
    detail = main is not None and main.span is not None and ctx.main is not None \
        and main.span != ctx.main and (ctx.main.y1, ctx.main.m1) <= (main.span.y1, main.span.m1) \
        and (main.span.y2, main.span.m2) <= (ctx.main.y2, ctx.main.m2) \
        and ctx.period == ctx.main and not ctx.main.is_year
    if main is not None and main.span is not None and not _refines(ctx.period, main, sentence) \
            and not ahead and not looking_back and not detail \
            and main.kind not in ("span", "since") and not _years_apart(main.span):
        # A deadline or a forecast ("10 million tons by 2030") is not the period the
        # sentences after it report on, nor a span of years ("over the past five years"),
        # nor a look back before the article's own period ("In 2023, the figure stood at
        # 5.2 million tons" in a report on 2024), nor a detail inside it ("In March alone").
        ctx.period = main.span
        ctx.main = ctx.main or main.span
        if ctx.latest is None or (main.span.y2, main.span.m2) > (ctx.latest.y2, ctx.latest.m2):
            ctx.latest = main.span
    elif main is None and (year := _year_after_compared(mentions, ctx)) is not None \
            and (ctx.period is None or ctx.period.y2 != year):
        # "22 percent more than in 2022" sets 2023 as the period of the sentences after it.
        ctx.period = P.Span.year(year)
    if geo:
        ctx.geo = geo
    return figures


RATE_UNITS = ("/yr", "/month", "/day")
TURKMEN = re.compile(r"Turkmen|Ashgabat|\bTM\b")


def _turkmen_manat(sentence: str, figures: list[Figure], ctx: _Context) -> None:
    """ "212 million manats" in news about Turkmenistan are Turkmen manats (TMT), not
    Azerbaijani ones (AZN)."""
    place = " ".join((sentence, ctx.geo, ctx.title_geo))
    if not TURKMEN.search(place) or re.search(r"Azerbaijan|Baku|Alat|\bAZ\b", sentence):
        return
    for f in figures:
        if f.unit.split("/")[0] == "AZN" and re.search(r"manat", f.quote, re.IGNORECASE):
            f.unit = "TMT" + f.unit[3:]


def _growth_between(figures: list[Figure]) -> None:
    """ "more than fivefold, from 0.8 mln tons in 2020 to 4.5 mln tons in 2024": the multiple
    is the growth over 2020/2024. A change between neighbouring years keeps the later one."""
    start = next((f for f in figures if f.role == "baseline" and f.period), None)
    end = next((f for f in figures if start and f.span[0] > start.span[0] and f.period
                and f.role == "level" and f.unit == start.unit), None)
    if start is None or end is None:
        return
    try:
        a, b = periods.parse(start.period), periods.parse(end.period)
    except periods.PeriodError:
        return
    if b.start.year - a.end.year < 2:
        return
    for f in figures:
        if f.role in ("change", "multiple") and f.period == end.period and not f.derivation:
            f.period = _interval(start.period, end.period)
            f.note = "; ".join(n for n in (f.note, "growth between the two stated periods") if n)


def _share_rates(sentence: str, figures: list[Figure]) -> None:
    """A capacity and its plans share a rate: in "capacity stands at 15 million tons a year and
    is expected to expand to 25 million tons", 25 million tons is a yearly figure too. Only a
    figure in the same unit takes the rate: "annual cargo capacity ... and container capacity
    to 500,000 TEU" leaves the TEU as stated."""
    rated = [f for f in figures if f.unit.endswith(RATE_UNITS)]
    for f in figures:
        if "/" in f.unit or f.role in ("change", "multiple") or f.unit not in ("t", "TEU"):
            continue
        clause = clause_around(sentence, *f.span)
        offset = sentence.find(clause)
        capacity = capacity_wording(clause, f.span[0] - offset, f.span[1] - offset)
        if f.status == "reported" and not capacity:
            continue
        same = [g for g in rated if g.unit.split("/")[0] == f.unit and g.span[0] < f.span[0]]
        if same:
            f.unit += "/" + same[-1].unit.split("/", 1)[1]


def _link_changes(figures: list[Figure], ctx: _Context, catalogue: list) -> None:
    """A change takes the change indicator of the level it is stated with: "3.4 million tons,
    70% more" is cargo_tonnage_yoy when 3.4 million tons is cargo_tonnage."""
    for i, f in enumerate(figures):
        if f.role in ("change", "multiple"):
            levels = [g for g in figures if g.role in ("level", "baseline") and g.indicator]
            before = [g for g in levels if g.span[0] < f.span[0]]
            base = (before[-1] if before else levels[0]).indicator if levels else ctx.indicator
            if base:
                linked = related_indicator(base, unit=f.unit, role=f.role, catalogue=catalogue)
                if linked:
                    figures[i].indicator = linked
    levels = [f for f in figures if f.role == "level" and f.indicator]
    if levels:
        ctx.indicator = levels[-1].indicator


ANAPHORA = re.compile(r"\b(?:the|this|that|its)\s+(?:route|corridor|port|line|terminal|facility|hub"
                      r"|crossing|checkpoint|station)\b", re.IGNORECASE)


def _geo(sentence: str, ctx: _Context) -> str:
    """Place named by the sentence; "the route through Kazakhstan" keeps an earlier, more
    specific place that contains the country it names."""
    own = guess_geo(sentence)
    if ctx.geo and ANAPHORA.search(sentence) and (not own or (own in ctx.geo and own != ctx.geo)):
        return ctx.geo
    return own or ctx.geo or ctx.title_geo


def _main_mention(mentions: list[P.Mention]) -> P.Mention | None:
    for m in mentions:
        if m.usable and not m.comparison and not m.event and m.kind not in ("vague", "context"):
            return m
    return None


def _period_for(
    q: Quantity,
    mentions: list[P.Mention],
    sentence: str,
    ctx: _Context,
) -> tuple[P.Span | None, P.Mention | None, list[str], float]:
    """The period a quantity refers to, the phrase that said so, notes and a confidence."""
    own, mention, notes, conf = _own_period(q, mentions, sentence, ctx)
    if q.pair in ("from", "to") and _years_apart(own) and mention is not None \
            and mention.kind in ("span", "since", "explicit"):
        # "Between 2020 and 2024, volumes increased from 0.8 to 4.5 million tons": the
        # starting value is of 2020, the value reached of 2024.
        if q.pair == "from":
            return own.first_year, mention, [f"start of '{mention.text}'"], 0.6
        return own.last_year, mention, [f"end of '{mention.text}'"], 0.6
    if q.role == "baseline":
        comparisons = [m for m in mentions if m.comparison and m.usable]
        if comparisons:
            near = min(comparisons, key=lambda m: _distance(m, q))
            resolved = P.resolve(near, own)
            if resolved is not None:
                return resolved, near, [f"compared period from '{near.text}'"], 0.8
        if q.pair == "from":
            if mention is not None and mention.kind in ("span", "since") and own is not None:
                return own.first_year, mention, [f"start of '{mention.text}'"], 0.5
            if mention is not None and (mention.future or mention.kind == "by") \
                    and ctx.ref.year is not None:
                return (P.Span.year(ctx.ref.year), None,
                        ["value before the change; dated with the reference year"], 0.5)
        if own is not None and any(m.kind in ("yoy", "previous") for m in mentions):
            return own.shift(-1), mention, ["comparison value a year before"], 0.6
        if own is not None and mention is None and CHANGE_VERB.search(sentence) \
                and not TARGET.search(sentence) and not FORECAST.search(sentence):
            # "The number of vessels increased to 1,830 from 1,612", in a report on 2024: the
            # compared value is most likely the year before's.
            return (own.shift(-1), None,
                    [*notes, "compared value read as the same period a year before"], conf * 0.6)
        return own, mention, [*notes, "period of a comparison value uncertain"], conf * 0.6
    return own, mention, notes, conf


def _years_apart(span: P.Span | None) -> bool:
    """Whether a period runs over several whole years (2020/2024)."""
    return span is not None and span.y2 > span.y1 and span.m1 == 1 and span.m2 == 12


def _own_period(
    q: Quantity, mentions: list[P.Mention], sentence: str, ctx: _Context
) -> tuple[P.Span | None, P.Mention | None, list[str], float]:
    candidates = [m for m in mentions if m.usable and not m.comparison
                  and (not m.event or _event_of(m, q, sentence))]
    # "now" yields to a named period, unless it stands right by the figure ("up from 17%
    # today"); so does an event's date, unless nothing stands between them ("opened in 2018
    # at a cost of $1.5 billion").
    if any(not m.weak for m in candidates):
        candidates = [m for m in candidates if not m.weak or _distance(m, q) <= 15]
    when = WHEN_CLAUSE.search(sentence[:q.start])
    named = [m for m in mentions if when and m.span is not None and m.end <= when.start()
             and when.start() - m.end <= 2]
    if named and not any(when.start() < m.start < q.start for m in mentions):
        # "up 17% on 2023, when 5.2 mln tonnes was handled": the period the when-clause is
        # about ("the same period of 2023, when ..." is shaped like the article's period)
        span = P.resolve(named[-1], ctx.period) if named[-1].kind == "same" else named[-1].span
        if span is not None:
            return span, named[-1], [f"the period of '{named[-1].text}, when ...'"], 0.7
    clause = clause_around(sentence, q.start, q.end)
    c_start = sentence.find(clause)
    local = [m for m in candidates if c_start <= m.start and m.end <= c_start + len(clause)]
    before = [m for m in candidates if m.end <= q.start]
    # A deadline in a later clause ("..., which management plans to raise to 1 million TEU
    # by 2030") is not the period of a figure before it.
    # Nor is a period in a later clause when the article already has one ("reached 495, while
    # in 2023 this figure was 311"); nor a deadline in a later clause ("..., which management
    # plans to raise to 1 million TEU by 2030").
    after = [m for m in candidates if m.start >= q.end
             and (m in local or not (m.kind == "by" or _is_future(m.span, m, ctx.ref)
                                     or ctx.period is not None))]
    chosen = None
    if local:
        chosen = min(local, key=lambda m: _distance(m, q))
    elif before:
        chosen = before[-1]
    elif after:
        chosen = after[0]
    if chosen is not None and chosen.kind == "full_year":
        year = ctx.period.y2 if ctx.period is not None else ctx.ref.year
        if year is not None:
            return P.Span.year(year), chosen, [f"'{chosen.text}': the year of the article"], 0.7
    if chosen is not None and chosen.kind == "vague":
        return None, chosen, [chosen.note or f"period vague: '{chosen.text}'"], 0.3
    if chosen is not None and chosen.kind != "context" and chosen.span is not None:
        if _refines(ctx.period, chosen, sentence):
            return ctx.period, chosen, [f"'{chosen.text}' narrowed to the period of an earlier "
                                        "sentence"], chosen.confidence * 0.9
        return chosen.span, chosen, [chosen.note] if chosen.note else [], chosen.confidence
    if chosen is not None and chosen.kind not in ("context", "now"):
        return None, chosen, [chosen.note], 0.3
    if chosen is not None and chosen.kind == "now" and ctx.latest is not None:
        return ctx.latest, chosen, [chosen.note], 0.5
    dated = _dated_by_day(q, mentions, sentence)
    if dated is not None:
        return dated.span, dated, [f"the month of '{dated.text}'"], 0.6
    if chosen is None and (ctx.ref.year is not None or ctx.period is not None):
        clause_start = sentence.find(clause)
        if capacity_wording(clause, q.start - clause_start, q.end - clause_start) \
                and not FORECAST.search(clause) and not TARGET.search(clause):
            # A capacity is a state, as of the time of writing.
            if ctx.ref.year is not None:
                return (P.Span.year(ctx.ref.year), None,
                        ["a capacity with no period of its own: the publication year"], 0.5)
            return (P.Span.year(ctx.period.y2), None,
                    ["a capacity with no period of its own: the year of the article"], 0.4)
    year = _year_after_compared(mentions, ctx, ahead=bool(TARGET.search(clause)))
    if year is not None:
        if ctx.period is not None and ctx.period.y2 == year:
            return ctx.period, None, [CARRIED], 0.6
        return (P.Span.year(year), None,
                [f"read as the year after the compared {year - 1}"], 0.5)
    if _one_event(ctx, clause):
        return (P.Span.months(ctx.ref.year, ctx.ref.month, ctx.ref.month), None,
                ["news of one event: the month of publication"], 0.5)
    if ctx.period is not None:
        return ctx.period, None, [CARRIED], 0.6
    if ctx.ref.year is not None and ctx.ref.month and any(m.kind == "same" and not m.year_hint
                                                          for m in mentions):
        # "up 28% on the same period of last year", in an article of October: a part of the
        # year, most likely the months to date.
        if ctx.ref.month == 1:
            span = P.Span.year(ctx.ref.year - 1)
        else:
            span = P.Span.months(ctx.ref.year, 1, ctx.ref.month - 1)
        return span, None, ["'the same period' with no period named; read as the year to "
                            "the last full month before publication"], 0.4
    if ctx.ref.year is not None:
        return (P.Span.year(ctx.ref.year), None,
                ["no period in the sentence; assumed the publication year"], 0.4)
    return None, None, ["no period in the sentence and no publication date"], 0.2


# Headlines of news about one event: "First container train from China arrives in Baku".
EVENT_HEADLINE = re.compile(
    r"\b(?:first|pilot|inaugural|test|trial|maiden)\b.{0,60}\b(?:train|shipment|voyage|vessel"
    r"|ship|service|flight)s?\b"
    r"|\b(?:train|shipment|vessel|ship|ferry|convoy)\s+(?:arrives?|arrived|departs?|departed"
    r"|sets?\s+off|reaches|reached|leaves|left)\b",
    re.IGNORECASE,
)
# Wording of a general state rather than of the event: "delivers cargo in 20-25 days on average".
GENERAL = re.compile(r"\b(?:on\s+average|average|usually|typically|normally|regularly|per"
                     r"|each|every|annual\w*|capacity)\b", re.IGNORECASE)


def _one_event(ctx: _Context, clause: str) -> bool:
    """Whether a figure with no period of its own is a detail of the one event the article
    reports ("The train consists of 55 forty-foot containers"): then its period is the month
    the news came out, when the article's period so far is no more than its year."""
    return (ctx.event_news and ctx.ref.month is not None and ctx.ref.day is not None
            and (ctx.period is None or ctx.period == P.Span.year(ctx.ref.year))
            and not GENERAL.search(clause))


def _refines(earlier: P.Span | None, mention: P.Mention, sentence: str) -> bool:
    """Whether an earlier sentence's period is a part of the bare year this one names as a
    whole: "in the first half of 2025 ..." then "In other words, 2025 has seen growth of
    93%". A year the sentence dates something by ("in 2025", "this year") is that year."""
    return (earlier is not None and mention.kind == "explicit" and mention.span is not None
            and mention.span.is_year and earlier.y1 == earlier.y2 == mention.span.y1
            and not earlier.is_year and mention.text.strip().isdigit()
            and not YEAR_AS_DATE.search(sentence[max(0, mention.start - 12):mention.start]))


CHANGE_VERB = re.compile(r"\b(?:increas|ris|rose|gr[eo]w|declin|decreas|fell|fall|dropp|jump"
                         r"|climb|surg)\w*", re.IGNORECASE)
WHEN_CLAUSE = re.compile(r",?\s+when\b[^.;,]*$")
YEAR_AS_DATE = re.compile(r"\b(?:in|during|for|of|by|since|until|through|from|to|and|as)\s+$",
                          re.IGNORECASE)
DAY_PREP = re.compile(r"(?<!said )(?<!reported )(?<!announced )(?<!told )(?<!noted )"
                      r"\b(?:on|from|since|as\s+of|starting|effective|until)\s+$", re.IGNORECASE)


def _event_of(m: P.Mention, q: Quantity, sentence: str) -> bool:
    """Whether an event's date ("opened in 2018") dates this figure: only one just before it,
    with no comma between ("opened in 2018 at a cost of $1.5 billion")."""
    # An event after the figure ("rose to 20 Mt after a terminal opened in March") is not it.
    return m.end <= q.start and not re.search(r"[,;]", sentence[m.end:q.start])


def _dated_by_day(q: Quantity, mentions: list[P.Mention], sentence: str) -> P.Mention | None:
    """A calendar day the sentence dates things by ("from 1 June 2025", "as of August 1",
    "arrived on 5 March 2025"), when it names no period: its month."""
    days = [m for m in mentions if m.kind == "date" and m.span is not None
            and DAY_PREP.search(sentence[max(0, m.start - 14):m.start])]
    return min(days, key=lambda m: _distance(m, q)) if days else None


def _year_after_compared(mentions: list[P.Mention], ctx: _Context,
                         ahead: bool = False) -> int | None:
    """The year after the one a sentence compares with ("22 percent more than in 2022" ->
    2023), when that year is the publication year or the one before it; or, for a plan
    ("will be set at $2,450, down from $2,900 in 2025", `ahead`), the year after it."""
    compared = _compared_year(mentions)
    if compared is not None and (ctx.ref.year is None
                                 or ctx.ref.year - 1 <= compared + 1 <= ctx.ref.year
                                 or ahead and compared + 1 == ctx.ref.year + 1):
        return compared + 1
    return None


def _compared_year(mentions: list[P.Mention]) -> int | None:
    """The year a figure is compared with ("than in 2022"), when the sentence names one."""
    for m in mentions:
        if m.comparison and m.kind == "same" and m.year_hint:
            return m.year_hint
        if m.comparison and m.kind == "explicit" and m.span and m.span.y1 == m.span.y2:
            return m.span.y2
    return None


def _distance(m: P.Mention, q: Quantity) -> int:
    return m.start - q.end if m.start >= q.end else q.start - m.end


def _figure(
    sentence: str,
    q: Quantity,
    span: P.Span | None,
    mention: P.Mention | None,
    notes: list[str],
    confidence: float,
    geo: str,
    ctx: _Context,
    catalogue: list,
) -> Figure:
    clause = clause_around(sentence, q.start, q.end)
    status = _status(q, sentence, clause, span, mention, ctx.ref)
    if status in ("forecast", "target") and CARRIED in notes and ctx.ref.year is not None \
            and span is not None and span.y2 < ctx.ref.year:
        # "The company also expects volumes to rise to 75 million tonnes", after a report on
        # last year: the expectation is for the year of writing, not the year reported on.
        span, notes = P.Span.year(ctx.ref.year), ["a forecast or plan with no period of its "
                                                  "own: the publication year"]
        confidence *= 0.8
    role = "change" if q.role == "change" else q.role
    indicator, fit = guess_indicator(clause + " " + sentence + " " + geo, unit=q.unit,
                                     role=role, status=status, catalogue=catalogue)
    qualifiers = [q.qualifier if q.qualifier not in geo else "",
                  PAIR_NOTES[q.pair] if q.pair.startswith("range") else ""]
    geo_out = " — ".join(part for part in (geo, *qualifiers) if part)
    role_note = "" if q.pair == "from" else ROLE_NOTES.get(q.role, "")
    all_notes = [PAIR_NOTES.get(q.pair, ""), role_note,
                 f"stated as '{q.approx} …'" if q.approx else "", *notes]
    score = 0.95 * confidence
    score -= 0.05 if q.words else 0
    score -= 0.05 * min(q.gap, 2)
    score -= 0.1 if q.kind == "thing" else 0  # a count of a noun outside the known list
    score -= 0.1 if not geo else 0
    score *= 0.6 + 0.4 * fit
    return Figure(
        indicator=indicator, geo=geo_out, period=span.text() if span else "",
        value=_round(q.value), unit=q.unit, source_url=None, source_title=None, published=None,
        quote=sentence, status=status, note="; ".join(n for n in all_notes if n),
        confidence=round(max(0.05, min(0.99, score)), 2), span=(q.start, q.end), role=q.role,
    )


# Where the wording after a figure stops being about it: a comma, or "and" that does not go
# on to another figure ("3,550 containers in 2024 and aims to ..."; but "50 tunnels and over 90
# bridges will be built" shares the verb).
NEXT_PART = re.compile(r"[,;]|\band\s+(?!(?:about|around|over|some|nearly|almost|more\s+than"
                       r"|up\s+to|another)?\s*[\d$€])", re.IGNORECASE)


def _status(q: Quantity, sentence: str, clause: str, span: P.Span | None,
            mention: P.Mention | None, ref: P.RefDate) -> str:
    offset = sentence.find(clause)
    start, end = q.start - offset, q.end - offset
    capacity = capacity_wording(clause, start, end)
    if q.role == "baseline":
        return "capacity" if capacity else "reported"
    # The wording before the figure in its clause, and after it up to the next comma: in
    # "Baku, whose capacity stands at 15 Mt, plans to expand to 25 Mt" only 25 Mt is planned.
    window = clause[:end] + NEXT_PART.split(clause[end:])[0]
    in_clause = mention is not None and offset <= mention.start < offset + len(clause)
    return guess_status(window, capacity=capacity,
                        future_period=in_clause and _is_future(span, mention, ref))


def _is_future(span: P.Span | None, mention: P.Mention | None, ref: P.RefDate) -> bool:
    """Whether the sentence dates the figure after the reference date ("by 2030")."""
    if mention is None or span is None:
        return False
    if mention.future:
        return True
    if ref.year is None or mention.kind not in ("explicit", "by"):
        return False
    now = (ref.year, ref.month or 12)
    if mention.kind == "by":
        return (span.y2, span.m2) >= now
    return (span.y1, span.m1) > now


def _derived_changes(
    sentence: str, qs: list[Quantity], figures: list[Figure], catalogue: list
) -> list[Figure]:
    """A percentage change for "from X to Y" when the sentence states none itself."""
    if any(q.role in ("change", "multiple") for q in qs):
        return []
    out = []
    for i, q in enumerate(qs):
        if q.pair != "from" or q.value == 0:
            continue
        j = next((k for k, x in enumerate(qs) if x.pair == "to" and x.start > q.start), None)
        if j is None:
            continue
        a, b = figures[i], figures[j]
        pct = (b.value - a.value) / a.value * 100
        period = b.period if a.period == b.period else _interval(a.period, b.period)
        out.append(Figure(
            indicator=related_indicator(b.indicator, unit="%", role="change",
                                        catalogue=catalogue) if b.indicator else "",
            geo=b.geo, period=period, value=round(pct, 1), unit="%", source_url=None,
            source_title=None, published=None, quote=sentence, status=b.status,
            note="derived change, not stated",
            derivation=f"({b.value:g} - {a.value:g}) / {a.value:g} * 100 from the two stated "
                       "values",
            confidence=0.3, span=b.span, role="change",
        ))
    return out


def _interval(a: str, b: str) -> str:
    if not a or not b:
        return b or a
    return f"{a.split('/')[0]}/{b.split('/')[-1]}"


def _round(value: float) -> float:
    return float(f"{value:.10g}")

