"""What the headline and the earlier sentences of an article establish (its period, its
place, its reference date), and how each sentence moves that on."""

from __future__ import annotations

import re
from dataclasses import replace

from indicators import codes
from indicators.extract import periods as P
from indicators.extract.dating import is_future, refines, year_after_compared, years_apart
from indicators.extract.indicator_guess import guess_geo
from indicators.extract.model import Context
from indicators.extract.rules import Rule, examples, register
from indicators.extract.status import FORECAST, TARGET

# Headlines of news about one event: "First container train from China arrives in Baku".
EVENT_HEADLINE = re.compile(
    r"\b(?:first|pilot|inaugural|test|trial|maiden)\b.{0,60}\b(?:train|shipment|voyage|vessel"
    r"|ship|service|flight)s?\b"
    r"|\b(?:train|shipment|vessel|ship|ferry|convoy)\s+(?:arrives?|arrived|departs?|departed"
    r"|sets?\s+off|reaches|reached|leaves|left)\b",
    re.IGNORECASE,
)


INFERRED_NOTE = "no publication date: dated as if published just after the article's latest period"


# Running totals to the date of writing ("since the start of 2024"): with no publication date
# they date the article only within their year.
RUNNING_TOTAL_RULES = frozenset({"period.since_start_of_year"})


# `context.yearless_in_compared_year`: an undated article that names its own months with no year
# ("in January-November", "in the 1st quarter", "the first three months of the year") and its
# year only through a same-period comparison ("compared to ... the same period of 2009", "versus
# the 2018 same term") or a running total ("since the start of 2020") reports on those months of
# the year after the one compared with (of the running total's year). The guess had put it just
# after the compared year, so that every figure was read a year early.
YEARLESS_PART = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september"
                           r"|october|november|december|quarter|months|half)\b", re.IGNORECASE)
SAME_TERM = re.compile(r"\b(?:same|corresponding|relevant|similar|comparable)\s+"
                       r"(?:period|term|months?|quarter)\b", re.IGNORECASE)
YEAR_DIGITS = re.compile(r"\b(?:19|20)\d\d\b")
SAME_TERM_REACH = 30  # characters around a compared year in which "the same term" may stand


YEARLESS_RULE = register(Rule(
    "period.yearless_in_compared_year", None, None,
    "An undated article that names its own months with no year and its year only through a "
    "same-period comparison or a running total reports on those months of the year after the "
    "one compared with (of the running total's year): the guessed date of writing follows them.",
    examples(
        ("In January-November the port handled 6.6 million tons, against 5.5 million tons in the "
         "same period of 2009.", "2010-01/2010-11"),
        ("Throughput reached 1.2 million tons in the 1st quarter, 12% more versus the 2018 same "
         "term.", "2019-Q1"),
        ("Since the start of 2020 the port received 275 ships. Over the first three months of the "
         "year it shipped 256,000 tons of grain.", "2020-Q1"))))


def _same_period_year(text: str, m: P.Mention) -> int | None:
    """The year of a same-period comparison ("the same period of 2009", "the 2018 same
    term"), or None."""
    if m.rule == "period.same_period_of_year":
        found = YEAR_DIGITS.search(m.text)
        return int(found.group()) if found else None
    if m.span is not None and m.span.is_year and SAME_TERM.search(
            text[max(0, m.start - SAME_TERM_REACH):m.end + SAME_TERM_REACH]):
        return m.span.y1
    return None


def _yearless_in(year: int, texts: list[str], latest: P.Span | None) -> P.Span | None:
    """The latest of the article's yearless months read in `year`, if later than `latest`."""
    ref = P.RefDate(year, 12, inferred=True)
    for text in texts:
        for m in P.find_periods(text, ref):
            if m.kind != "explicit" or m.span is None or m.event or m.span.y1 != year \
                    or m.span.is_year or not YEARLESS_PART.search(m.text) \
                    or YEAR_DIGITS.search(m.text):
                continue
            if latest is None or (m.span.y2, m.span.m2) > (latest.y2, latest.m2):
                latest = m.span
    return latest


def inferred_ref(title: str | None, sentences: list) -> P.RefDate:
    """A reference date for an article with no publication date: just after the latest past
    period it reports on, as statistics come out after the period ends. A report on the year
    2024 reads as written in 2025 ("last year" is 2024); a report on January-October 2024 as
    written in November 2024 ("this year" is 2024). Deadlines, forecasts, comparisons and
    events are left out. Only relative wording is resolved with it; the rows' `published`
    stays empty."""
    latest: P.Span | None = None
    compared: P.Span | None = None  # the latest period figures are compared with
    same_year: int | None = None  # the latest year of a same-period comparison
    running_year: int | None = None  # the year of a running total ("since the start of 2020")
    yearless: list[str] = []  # texts naming months or quarters with no year
    for text in [title or "", *(s.text for s in sentences)]:
        if FORECAST.search(text) or TARGET.search(text):
            continue
        for m in P.find_periods(text, P.RefDate()):
            if m.kind == "vague" and m.span is None and YEARLESS_PART.search(m.text):
                yearless.append(text)
            if m.comparison and (year := _same_period_year(text, m)) is not None:
                same_year = max(same_year or year, year)
            if m.rule in RUNNING_TOTAL_RULES and m.span is not None:
                running_year = m.span.y1
            if m.kind == "explicit" and m.span is not None and m.comparison and not m.event \
                    and not m.span.is_year and m.span.y1 == m.span.y2 \
                    and (compared is None or (m.span.y2, m.span.m2) > (compared.y2, compared.m2)):
                compared = m.span
            if m.kind != "explicit" or m.span is None or m.comparison or m.event:
                continue
            if m.rule in RUNNING_TOTAL_RULES:
                # "since the beginning of 2024": a running total whose end is the unknown date
                # of writing; it says only that the article was written during 2024.
                m = replace(m, span=P.Span.months(m.span.y1, 1, 1))
            if latest is None or (m.span.y2, m.span.m2) > (latest.y2, latest.m2):
                latest = m.span
    if latest is None and compared is not None:
        # "reached 512 in January, ... up 46 percent from January 2020", and no other period:
        # the article reports on the same months a year after the ones it compares with (a
        # whole year compared with may be a baseline long ago: "42% more than 2022 figures,
        # before work on the railway started").
        latest = compared.shift(1)
    own_year = None
    if same_year is not None and (latest is None or latest.y2 <= same_year):
        own_year = same_year + 1
    elif running_year is not None and latest is not None and latest.y2 == running_year:
        own_year = running_year
    rule = ""
    if own_year is not None and yearless:
        own = _yearless_in(own_year, yearless, latest)
        rule = YEARLESS_RULE.name if own is not latest else ""
        latest = own
    if latest is None:
        return P.RefDate()
    if latest.m2 == 12:
        return P.RefDate(latest.y2 + 1, 1, inferred=True, rule=rule)
    return P.RefDate(latest.y2, latest.m2 + 1, inferred=True, rule=rule)


URL_DATE = re.compile(r"/(20\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=[/-])")


def date_in_url(url: str) -> str | None:
    """The date many news sites write in their article paths: /2024/08/..., /2024-05-30/."""
    m = URL_DATE.search(url)
    if not m:
        return None
    return "-".join(part for part in m.groups() if part)


def title_period(title: str | None, ref: P.RefDate) -> P.Span | None:
    """A past period the headline names ("... handles 372,000 TEUs in 2025") is the context
    of sentences that name none; a deadline ("by 2030") is not."""
    main = main_mention(P.find_periods(title or "", ref))
    if main is None or main.kind != "explicit" or main.span is None:
        return None
    return None if is_future(main.span, main, ref) else main.span


# "Now", "currently": the month of writing dates its own sentence; the sentences after it
# report on the year of writing.
WRITING_TIME_RULES = frozenset({"period.now", "period.to_date"})


def main_mention(mentions: list[P.Mention]) -> P.Mention | None:
    for m in mentions:
        if m.usable and not m.comparison and not m.event and m.kind not in ("vague", "context"):
            if m.rule in WRITING_TIME_RULES and m.span is not None:
                return replace(m, span=P.Span.year(m.span.y1))
            return m
    return None


ANAPHORA = re.compile(r"\b(?:the|this|that|its)\s+(?:route|corridor|port|line|terminal|facility|hub"
                      r"|crossing|checkpoint|station)\b", re.IGNORECASE)


def place_of(sentence: str, ctx: Context) -> str:
    """Place named by the sentence; "the route through Kazakhstan" keeps an earlier, more
    specific place that contains the country it names."""
    own = guess_geo(sentence)
    if ctx.geo and ANAPHORA.search(sentence) and (not own or (own in ctx.geo and own != ctx.geo)):
        return ctx.geo
    return own or ctx.geo or ctx.title_geo


# A sentence that opens with its period: "In 2023, ...", "During 2023 ...".
OPENS_WITH_PERIOD = re.compile(r"\s*(?:in|during|throughout|for)?\s*$", re.IGNORECASE)


def _one_month(span: P.Span) -> bool:
    """A single month: the date of an event ("In November 2023, Kazakhstan and China signed a
    number of agreements"), not a period a paragraph of statistics looks back on."""
    return span.y1 == span.y2 and span.m1 == span.m2


def advance(ctx: Context, sentence: str, mentions: list[P.Mention], figures: list) -> None:
    """Move the article's period on after a sentence: to the period it reports on, unless that
    is a deadline or a forecast, a span of years, a look back or a detail (see below)."""
    main = main_mention(mentions)
    ahead = main is not None and (main.kind == "by" or is_future(main.span, main, ctx.ref)
                                  or bool(figures) and all(f.status in codes.STATUS.forward_looking
                                                           for f in figures))
    looking_back = main is not None and main.span is not None and ctx.main is not None \
        and (main.span.y2, main.span.m2) < (ctx.main.y1, ctx.main.m1)
    # "In March alone, 118 trains ..." in a report on the first quarter: a detail, after which
    # the article goes on about the quarter.
    detail = main is not None and main.span is not None and ctx.main is not None \
        and main.span != ctx.main and (ctx.main.y1, ctx.main.m1) <= (main.span.y1, main.span.m1) \
        and (main.span.y2, main.span.m2) <= (ctx.main.y2, ctx.main.m2) \
        and ctx.period == ctx.main and not ctx.main.is_year
    if main is not None and main.span is not None and not refines(ctx.period, main, sentence) \
            and not ahead and not looking_back and not detail \
            and main.kind not in ("span", "since") and not years_apart(main.span):
        # A deadline or a forecast ("10 million tons by 2030") is not the period the
        # sentences after it report on, nor a span of years ("over the past five years"),
        # nor a look back before the article's own period ("In 2023, the figure stood at
        # 5.2 million tons" in a report on 2024), nor a detail inside it ("In March alone").
        ctx.period = main.span
        ctx.main = ctx.main or main.span
        if ctx.latest is None or (main.span.y2, main.span.m2) > (ctx.latest.y2, ctx.latest.m2):
            ctx.latest = main.span
    elif looking_back and not figures and not ahead and main.kind == "explicit" \
            and not _one_month(main.span) and OPENS_WITH_PERIOD.match(sentence[:main.start]):
        # "In 2023, dry cargo teams completed the production program." with no figure of its
        # own, in a report on 2024: a new paragraph about 2023; "Thus, port ships transported
        # more than 2 million tons" after it is of 2023 (`period.carried`).
        ctx.period = main.span
    elif main is None and (year := year_after_compared(mentions, ctx)) is not None \
            and (ctx.period is None or ctx.period.y2 != year):
        # "22 percent more than in 2022" sets 2023 as the period of the sentences after it.
        ctx.period = P.Span.year(year)
