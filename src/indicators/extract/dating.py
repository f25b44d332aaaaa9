"""Which period each figure of a sentence refers to, given what the article said before."""

from __future__ import annotations

import re
from dataclasses import replace

from indicators.extract import periods as P
from indicators.extract.model import Context
from indicators.extract.quantities import Quantity
from indicators.extract.rules import Rule, examples, register
from indicators.extract.status import (
    FORECAST,
    LENGTH_UNITS,
    TARGET,
    capacity_wording,
    clause_around,
    length_stated,
)
from indicators.extract.units import MEMBERS

CARRIED = "period carried from the headline or an earlier sentence"

# Confidence (0-1) of the period of a figure, by how it was found.
ENDS_OF_SPAN = 0.6  # the first or last year of "between 2020 and 2024" for a from/to pair
COMPARED_PERIOD = 0.8  # a comparison phrase resolved against the figure's own period
START_OF_SPAN_COMPARED = 0.5  # the start of a span, for a starting value with no phrase of its own
BEFORE_CHANGE = 0.5  # the starting value of a change ahead: the year of writing, a guess
YEAR_BEFORE = 0.6  # a year-on-year comparison value: the year before the figure's
UNSURE_COMPARED = 0.6  # factor for a comparison value dated with no comparison phrase
WHEN_PERIOD = 0.7  # "up 17% on 2023, when 5.2 mln tonnes was handled"
YEAR_OF_ARTICLE = 0.7  # "for the full year": the year the article reports on
VAGUE = 0.3  # "in the coming years": no period can be given
NARROWED = 0.9  # factor when a bare year is narrowed to an earlier sentence's months
LATEST_NAMED = 0.5  # "to date" with no publication date: the latest period named so far
DAY_OF_FIGURE = 0.6  # the month of a calendar day in the sentence
CAPACITY_WHEN_WRITTEN = 0.5  # a capacity is a state: the publication year (a month may be meant)
CAPACITY_ARTICLE_YEAR = 0.4  # the same with no publication date: the year of the article
CARRIED_FROM_ARTICLE = 0.6  # no period in the sentence: the headline's or an earlier sentence's
YEAR_AFTER_COMPARED = 0.5  # "22% more than in 2022": the year after, when that is recent
EVENT_MONTH = 0.5  # a detail of one reported event: the month of publication
SAME_PERIOD_TO_DATE = 0.4  # "on the same period of last year", no period named: year to date
PUBLICATION_YEAR = 0.4  # nothing dates the figure: the publication year
UNDATED = 0.2  # nothing dates it and there is no publication date


COST_WORDS = re.compile(r"\b(?:cost(?:s|ing)?|invest(?:s|ed|ing|ment|ments)?|loans?|allocat\w*"
                        r"|financ\w*|budget|funding|worth)\b", re.IGNORECASE)
CAPACITY_WORD = re.compile(r"\bcapacit(?:y|ies)\b", re.IGNORECASE)
CAPACITY_BEFORE_NOTE = "capacity before the change: the time of writing"
MEMBERS_NOTE = "a count of members or places reached, a state: the time of writing"
COST_NOTE = "a sum invested or spent with no period of its own: the time of writing"
DURATION_RULE = "unit.duration_alone"
DURATION_NOTE = "a duration ahead: the time of writing"
LENGTH_NOTE = "a length with no period of its own, a state: the time of writing"
# A change of capacity ahead: "will increase the capacity from", "plans to expand it from".
RAISE_PLAN = re.compile(r"\b(?:will|would|plan(?:s|ned|ning)?|aim(?:s|ing)?|to)\s+(?:\w+\s+)?"
                        r"(?:increase|raise|expand|boost|bring|grow)\b", re.IGNORECASE)
FACILITIES_NOTE = "what a port or terminal is made of, a state: the time of writing"
# Units that count what a port or terminal is made of, or measure its area.
FACILITIES = frozenset({"berths", "terminals", "cranes", "warehouses", "ha", "m2", "km2"})
BREAKDOWN_NOTE = "a breakdown of the figure of the sentence before: its period"
# A sentence that breaks down the figure before it: "Of these, ...", "Of this volume, ...",
# "Of them", "Of which", "Of the total, ...".
BREAKDOWN_OPENING = re.compile(r"\s*(?:of\s+(?:these|this|them|which|that|the\s+total)\b"
                               r"(?:\s+(?:volume|amount|number|figure|total))?\s*,)",
                               re.IGNORECASE)
# ... or that opens with a part of it: "As much as 22,126 tons of this volume accounted for
# industrial oil", "Some 183,315 tons of this amount were raw sugar, 53,850 tons palm oil".
BREAKDOWN_EARLY = re.compile(r"[^.;]{0,40}?\d[^.;]{0,25}?\bof\s+(?:this|that|the\s+total)\s+"
                             r"(?:volume|amount|total|figure|number)\b", re.IGNORECASE)


def period_for(
    q: Quantity,
    mentions: list[P.Mention],
    sentence: str,
    ctx: Context,
) -> tuple[P.Span | None, P.Mention | None, list[str], float]:
    """The period a quantity refers to, the phrase that said so, notes and a confidence."""
    if DURATION_RULE in q.unit_rule and ctx.ref.year is not None:
        # "will be built within five years": a span ahead, said at the time of writing.
        return P.when_written(ctx.ref), None, [DURATION_NOTE], CAPACITY_WHEN_WRITTEN
    own, mention, notes, conf = _own_period(q, mentions, sentence, ctx)
    if q.pair in ("from", "to") and years_apart(own) and mention is not None \
            and mention.kind in ("span", "since", "explicit"):
        # "Between 2020 and 2024, volumes increased from 0.8 to 4.5 million tons": the
        # starting value is of 2020, the value reached of 2024.
        if q.pair == "from":
            return own.first_year, mention, [f"start of '{mention.text}'"], ENDS_OF_SPAN
        return own.last_year, mention, [f"end of '{mention.text}'"], ENDS_OF_SPAN
    if q.role == "baseline":
        comparisons = [m for m in mentions if m.comparison and m.usable]
        if comparisons:
            near = min(comparisons, key=lambda m: distance(m, q))
            resolved = P.resolve(near, own)
            if mention is not None and (shaped := P.last_year_shaped(near, own)) is not None:
                resolved = shaped  # the sentence's own part of a year, a year earlier
            if resolved is not None:
                return resolved, near, [f"compared period from '{near.text}'"], COMPARED_PERIOD
        if q.pair == "from":
            if mention is not None and mention.kind in ("span", "since") and own is not None:
                return (own.first_year, mention, [f"start of '{mention.text}'"],
                        START_OF_SPAN_COMPARED)
            if mention is not None and (mention.future or mention.kind == "by") \
                    and ctx.ref.year is not None:
                if CAPACITY_WORD.search(sentence) and not ctx.ref.inferred:
                    # "to increase its capacity from 15 million tons to 25 million tons": the
                    # capacity now, a state at the time of writing.
                    return (P.when_written(ctx.ref), None, [CAPACITY_BEFORE_NOTE],
                            BEFORE_CHANGE)
                return (P.Span.year(ctx.ref.year), None,
                        ["value before the change; dated with the reference year"], BEFORE_CHANGE)
        if own is not None and any(m.kind in ("yoy", "previous") for m in mentions):
            return own.shift(-1), mention, ["comparison value a year before"], YEAR_BEFORE
        if own is not None and mention is None and CHANGE_VERB.search(sentence) \
                and not TARGET.search(sentence) and not FORECAST.search(sentence):
            # "The number of vessels increased to 1,830 from 1,612", in a report on 2024: the
            # compared value is most likely the year before's.
            return (own.shift(-1), None,
                    [*notes, "compared value read as the same period a year before"],
                    conf * UNSURE_COMPARED)
        return (own, mention, [*notes, "period of a comparison value uncertain"],
                conf * UNSURE_COMPARED)
    return own, mention, notes, conf


def years_apart(span: P.Span | None) -> bool:
    """Whether a period runs over several whole years (2020/2024)."""
    return span is not None and span.y2 > span.y1 and span.m1 == 1 and span.m2 == 12


def _own_period(
    q: Quantity, mentions: list[P.Mention], sentence: str, ctx: Context
) -> tuple[P.Span | None, P.Mention | None, list[str], float]:
    candidates = [m for m in mentions if m.usable and not m.comparison
                  and (not m.event or _event_of(m, q, sentence))]
    # "now" yields to a named period, unless it stands right by the figure ("up from 17%
    # today"); so does an event's date, unless nothing stands between them ("opened in 2018
    # at a cost of $1.5 billion").
    if any(not m.weak for m in candidates):
        candidates = [m for m in candidates if not m.weak or distance(m, q) <= 15]
    when = WHEN_CLAUSE.search(sentence[:q.start])
    named = [m for m in mentions if when and m.span is not None and m.end <= when.start()
             and when.start() - m.end <= 2]
    if named and not any(when.start() < m.start < q.start for m in mentions):
        # "up 17% on 2023, when 5.2 mln tonnes was handled": the period the when-clause is
        # about ("the same period of 2023, when ..." is shaped like the article's period)
        span = P.resolve(named[-1], ctx.period) if named[-1].kind == "same" else named[-1].span
        if span is not None:
            return span, named[-1], [f"the period of '{named[-1].text}, when ...'"], WHEN_PERIOD
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
             and (m in local or not (m.kind == "by" or is_future(m.span, m, ctx.ref)
                                     or ctx.period is not None))]
    chosen = None
    if local:
        chosen = min(local, key=lambda m: (_behind_comma(m, q, sentence), distance(m, q)))
    elif before:
        chosen = before[-1]
    elif after:
        chosen = after[0]
    if chosen is not None and chosen.kind == "full_year":
        year = ctx.period.y2 if ctx.period is not None else ctx.ref.year
        if year is not None:
            return (P.Span.year(year), chosen, [f"'{chosen.text}': the year of the article"],
                    YEAR_OF_ARTICLE)
    if chosen is not None and chosen.kind == "vague":
        return None, chosen, [chosen.note or f"period vague: '{chosen.text}'"], VAGUE
    if chosen is not None and chosen.kind != "context" and chosen.span is not None:
        if refines(ctx.period, chosen, sentence):
            return ctx.period, chosen, [f"'{chosen.text}' narrowed to the period of an earlier "
                                        "sentence"], chosen.confidence * NARROWED
        return chosen.span, chosen, [chosen.note] if chosen.note else [], chosen.confidence
    if chosen is not None and chosen.kind not in ("context", "now"):
        return None, chosen, [chosen.note], VAGUE
    if chosen is not None and chosen.kind == "now" and ctx.latest is not None:
        return ctx.latest, chosen, [chosen.note], LATEST_NAMED
    dated = _dated_by_day(q, mentions, sentence)
    if dated is not None:
        return dated.span, dated, [f"the month of '{dated.text}'"], DAY_OF_FIGURE
    if (chosen is None or chosen.kind == "context") \
            and (ctx.ref.year is not None or ctx.period is not None):
        # "The capacity of the route during this period increased to six million tons per
        # year": a capacity is a state at the time of writing even when the sentence points
        # back at the period just reported on (both real sets date it so).
        clause_start = sentence.find(clause)
        if capacity_wording(clause, q.start - clause_start, q.end - clause_start) \
                and not FORECAST.search(clause) and not TARGET.search(clause):
            # A capacity is a state, as of the time of writing.
            if ctx.ref.year is not None:
                return (P.when_written(ctx.ref), None,
                        ["a capacity with no period of its own: the time of writing"],
                        CAPACITY_WHEN_WRITTEN)
            return (P.Span.year(ctx.period.y2), None,
                    ["a capacity with no period of its own: the year of the article"],
                    CAPACITY_ARTICLE_YEAR)
    if chosen is None and ctx.ref.year is not None and not ctx.ref.inferred \
            and q.unit in LENGTH_UNITS and q.role == "level" and q.pair not in ("from", "to"):
        # "The 828-kilometer Baku-Tbilisi-Kars railway stretches from ...": the length of a line
        # is a state, as of the time of writing, not the statistics period the article carries.
        return P.when_written(ctx.ref), None, [LENGTH_NOTE], CAPACITY_WHEN_WRITTEN
    if chosen is None and ctx.ref.year is not None and not ctx.ref.inferred \
            and q.pair == "from" and CAPACITY_WORD.search(sentence) \
            and RAISE_PLAN.search(sentence[:q.start]):
        # "The port plans to increase its capacity from 15 to 25 million tons per year", with no
        # period in the sentence: the capacity now, a state at the time of writing.
        return P.when_written(ctx.ref), None, [CAPACITY_BEFORE_NOTE], CAPACITY_WHEN_WRITTEN
    if chosen is None and ctx.ref.year is not None and not ctx.ref.inferred \
            and q.unit in FACILITIES and q.role == "level" and q.pair not in ("from", "to"):
        # "The port has 11 berths", "Port area is 22.2 hectares": what a port or terminal is
        # made of is a state at the time of writing (both real sets date berths, cranes,
        # warehouses and areas so), not the statistics period the article carries.
        return P.when_written(ctx.ref), None, [FACILITIES_NOTE], CAPACITY_WHEN_WRITTEN
    if chosen is None and ctx.ref.year is not None and not ctx.ref.inferred \
            and q.unit in MEMBERS:
        # "The association includes 20 companies from eight countries": a state, as of the
        # time of writing (as the second real set dates it).
        return P.when_written(ctx.ref), None, [MEMBERS_NOTE], CAPACITY_WHEN_WRITTEN
    if chosen is None and ctx.ref.year is not None and not ctx.ref.inferred \
            and q.kind == "money" and "/" not in q.unit and COST_WORDS.search(sentence) \
            and not CHANGE_VERB.search(sentence[:q.start]):
            # "The total investment in the project is $600 million": a sum invested or spent,
        # stated as it stands at the time of writing, as both real labelled sets date it (not
        # a cost that rose or fell, nor in an article whose date is only guessed).
        return P.when_written(ctx.ref), None, [COST_NOTE], CAPACITY_WHEN_WRITTEN
    if chosen is None and ctx.previous is not None and (BREAKDOWN_OPENING.match(sentence)
                                                        or BREAKDOWN_EARLY.match(sentence)):
        # "At the end of 2022, the cargo turnover ... amounted to 3.8 million tons. Of these,
        # 2.5 million tons accounted for oil": parts of the figure just stated, of its period
        # (even a look back the article's period did not move to).
        return ctx.previous, None, [BREAKDOWN_NOTE], CARRIED_FROM_ARTICLE
    year = year_after_compared(mentions, ctx, ahead=bool(TARGET.search(clause)))
    if year is not None:
        if ctx.period is not None and ctx.period.y2 == year:
            return ctx.period, None, [CARRIED], CARRIED_FROM_ARTICLE
        return (P.Span.year(year), None,
                [f"read as the year after the compared {year - 1}"], YEAR_AFTER_COMPARED)
    if _one_event(ctx, clause):
        return (P.Span.months(ctx.ref.year, ctx.ref.month, ctx.ref.month), None,
                ["news of one event: the month of publication"], EVENT_MONTH)
    if ctx.period is not None:
        return ctx.period, None, [CARRIED], CARRIED_FROM_ARTICLE
    if ctx.ref.year is not None and ctx.ref.month and any(m.kind == "same" and not m.year_hint
                                                          for m in mentions):
        # "up 28% on the same period of last year", in an article of October: a part of the
        # year, most likely the months to date.
        if ctx.ref.month == 1:
            span = P.Span.year(ctx.ref.year - 1)
        else:
            span = P.Span.months(ctx.ref.year, 1, ctx.ref.month - 1)
        return span, None, ["'the same period' with no period named; read as the year to "
                            "the last full month before publication"], SAME_PERIOD_TO_DATE
    if ctx.ref.year is not None:
        if (FORECAST.search(clause) or TARGET.search(clause)) and not length_stated(q, clause):
            # A plan or forecast with no period: for the year, not for the month of writing
            # (a line's length is a state as stated: `status.length_stated`).
            return (P.Span.year(ctx.ref.year), None,
                    ["no period in the sentence; assumed the publication year"], PUBLICATION_YEAR)
        return (P.when_written(ctx.ref), None,
                ["no period in the sentence; assumed the time of writing"], PUBLICATION_YEAR)
    return None, None, ["no period in the sentence and no publication date"], UNDATED


# Wording of a general state rather than of the event: "delivers cargo in 20-25 days on average".
GENERAL = re.compile(r"\b(?:on\s+average|average|usually|typically|normally|regularly|per"
                     r"|each|every|annual\w*|capacity)\b", re.IGNORECASE)


def _one_event(ctx: Context, clause: str) -> bool:
    """Whether a figure with no period of its own is a detail of the one event the article
    reports ("The train consists of 55 forty-foot containers"): then its period is the month
    the news came out, when the article's period so far is no more than its year."""
    return (ctx.event_news and ctx.ref.month is not None and ctx.ref.day is not None
            and (ctx.period is None or ctx.period == P.Span.year(ctx.ref.year))
            and not GENERAL.search(clause))


def refines(earlier: P.Span | None, mention: P.Mention, sentence: str) -> bool:
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


# "in 2025", "by late 2010": a year the sentence dates something by.
YEAR_AS_DATE = re.compile(r"\b(?:in|during|for|of|by|since|until|through|from|to|and|as)\s+"
                          r"(?:(?:late|early|mid)\s+)?$", re.IGNORECASE)


DAY_PREP = re.compile(r"(?<!said )(?<!reported )(?<!announced )(?<!told )(?<!noted )"
                      r"\b(?:on|from|since|as\s+of|starting|effective|until)\s+$", re.IGNORECASE)


CLAUSE_PUNCT = re.compile(r"[,;]")  # a comma or semicolon: the end of a clause


def _event_of(m: P.Mention, q: Quantity, sentence: str) -> bool:
    """Whether an event's date ("opened in 2018") dates this figure: only one just before it,
    with no comma between ("opened in 2018 at a cost of $1.5 billion")."""
    # An event after the figure ("rose to 20 Mt after a terminal opened in March") is not it.
    return m.end <= q.start and not CLAUSE_PUNCT.search(sentence[m.end:q.start])


def _dated_by_day(q: Quantity, mentions: list[P.Mention], sentence: str) -> P.Mention | None:
    """A calendar day the sentence dates things by ("from 1 June 2025", "as of August 1",
    "arrived on 5 March 2025"), when it names no period: its month."""
    days = [m for m in mentions if m.kind == "date" and m.span is not None
            and DAY_PREP.search(sentence[max(0, m.start - 14):m.start])]
    return min(days, key=lambda m: distance(m, q)) if days else None


def year_after_compared(mentions: list[P.Mention], ctx: Context,
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


# "212,000 TEU were transported in 2015, 245,000 TEU - in 2016 (+15%)": of the periods in the
# figure's clause, one with no comma between it and the figure comes first.
BETWEEN_BREAK = re.compile(r"[,;]")


def _behind_comma(m: P.Mention, q: Quantity, sentence: str) -> bool:
    """Whether a comma or semicolon stands between the period phrase and the figure."""
    between = sentence[m.end:q.start] if m.end <= q.start else sentence[q.end:m.start]
    return bool(BETWEEN_BREAK.search(between))


def distance(m: P.Mention, q: Quantity) -> int:
    return m.start - q.end if m.start >= q.end else q.start - m.end


def is_future(span: P.Span | None, mention: P.Mention | None, ref: P.RefDate) -> bool:
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


CHANGE_ROLES = ("change", "multiple")
SPAN_END_NOTE = "a change up to the end of the article's span of years"


# How a figure is dated when no phrase of its own sentence says so, as named period rules.
# `period_rule` tells them apart by the note `period_for` leaves.
def _dating(name: str, note: str, doc: str, *example) -> tuple[str, Rule]:
    return note, register(Rule(f"period.{name}", None, period_for, doc, examples(*example)))


DATING_RULES: list[tuple[str, Rule]] = [
    _dating("carried", CARRIED, "No period in the sentence: the period of the headline or of an "
            "earlier sentence.",
            ("In 2024, the port handled 4 million tons. Containers reached 30,000 TEU.", "2024",
             "2025-03-01")),
    _dating("duration_when_written", DURATION_NOTE,
            "A duration ahead that is the sentence's only figure ('will be built within five "
            "years') is said at the time of writing: the publication month.",
            ("The railway will be built within five years.", "2024-09", "2024-09-26")),
    _dating("length_when_written", LENGTH_NOTE,
            "A length (of a line, a route, a berth) with no period of its own is a state at the "
            "time of writing: the publication month, not the period the article reports on.",
            ("In January-July, 13,610 TEU were carried. The 828-kilometer railway stretches "
             "from the Caspian Sea to Tbilisi.", "2021-08", "2021-08-03")),
    _dating("breakdown_of_previous", BREAKDOWN_NOTE,
            "A sentence that opens by breaking down the figure before it ('Of these, ...', 'Of "
            "this volume, ...', 'Some 22,126 tons of this volume ...') is of that figure's "
            "period, even when that was a look back the article's period did not move to.",
            ("In January-July 2023, the port handled 2.6 million tons. At the end of 2022, the "
             "turnover amounted to 3.8 million tons. Of these, 2.5 million tons accounted for "
             "oil.", "2022", "2023-10-27"),
            ("In January-June 2019, the port shipped 167,304 tons. As for 2018, the port shipped "
             "26,111 tons. As much as 22,126 tons of this volume was industrial oil.", "2018",
             "2019-07-26")),
    _dating("facilities_when_written", FACILITIES_NOTE,
            "Berths, terminals, cranes, warehouses and areas with no period of their own are a "
            "state at the time of writing: the publication month, as both real sets date them, "
            "not the statistics period the article carries.",
            ("In August 2013 the port handled 220,000 tons. The port has 11 berths.", "2013-09",
             "2013-09-20"),
            ("In January-June the terminal handled 2.2 million tons. Its area is 22.2 hectares.",
             "2023-07", "2023-07-25")),
    _dating("members_when_written", MEMBERS_NOTE,
            "A count of members or of the places a network reaches, with no period of its own, "
            "is a state at the time of writing: the publication month.",
            ("The association includes 20 companies from eight countries.", "2022-10",
             "2022-10-21")),
    _dating("cost_when_written", COST_NOTE,
            "A cost, an investment or a loan with no period of its own is stated as it stands "
            "at the time of writing: the publication month, as both real labelled sets date it.",
            ("The total investment in the project is $600 million.", "2026-01", "2026-01-12"),
            ("The cost of the line is estimated at $1.34 billion.", "2024-09", "2024-09-26")),
    _dating("capacity_when_written", "a capacity with no period of its own",
            "A capacity with no period of its own is a state at the time of writing: the "
            "publication month (the year when the date has no month; with no date, the year "
            "of the article's period), as both labelled real sets date it.",
            ("The terminal has a capacity of 500,000 TEU.", "2025-03", "2025-03-01"),
            ("The terminal has a capacity of 500,000 TEU.", "2025", "2025"),
            ("In January-November the route carried 4.1 million tons. Its capacity during this "
             "period increased to 6 million tons per year.", "2024-12", "2024-12-17")),
    _dating("year_after_compared", "read as the year after the compared",
            "A sentence that names only a compared year reports on the year after it ('22 "
            "percent more than in 2022' -> 2023), when that is the publication year or the "
            "one before.", ("Exports were 22 percent more than in 2022.", "2023", "2023-05-01")),
    _dating("event_month", "news of one event",
            "A detail of the one event a headline reports ('The train consists of 55 "
            "containers') is of the month of publication.",
            ("The train consists of 55 containers.", "2025-03", "2025-03-12",
             "First container train from China arrives in Baku")),
    _dating("same_period_to_date", "'the same period' with no period named",
            "'Up 28% on the same period of last year' with no period named: the year to the "
            "last full month before publication.",
            ("Volumes rose 28% on the same period of last year.", "2024-01/2024-09",
             "2024-10-15")),
    _dating("publication_year", "no period in the sentence; assumed the",
            "Nothing in the article dates the figure: the time of writing (the publication "
            "month, as the labelled real sets have it; the year for a plan or forecast), with "
            "low confidence.", ("The port handled 5 million tons.", "2025-03", "2025-03-01"),
            ("The port will handle 5 million tons.", "2025", "2025-03-01")),
    _dating("undated", "no period in the sentence and no publication date",
            "Nothing dates the figure and there is no publication date: no period.",
            ("The port handled 5 million tons.", "")),
    _dating("capacity_before_change", CAPACITY_BEFORE_NOTE,
            "The starting capacity of a change ahead ('to increase its capacity from 15 million "
            "tons to 25 million tons in the coming years') is the capacity at the time of "
            "writing: the publication month.",
            ("The port plans to increase its capacity from 15 million tons to 25 million tons "
             "by 2030.", "2025-02", "2025-02-22"),
            ("In January-October the port handled 6 million tons. The port is planning to "
             "increase its capacity from 15 to 25 million tons per year.", "2024-01",
             "2024-01-19")),
    _dating("before_change", "value before the change; dated with the reference year",
            "The starting value of a change ahead ('from 10 to 15 million tons by 2030') is of "
            "the year of writing.",
            ("Volumes will rise from 10 to 15 million tons by 2030.", "2025", "2025-03-01")),
    _dating("plan_when_written", "a forecast or plan with no period of its own",
            "A forecast or plan after a report on a past year, or on months of this year already "
            "over, with no period of its own, is for the year of writing ('The company also "
            "expects volumes to rise to 75 million tonnes').",
            ("In 2024 the port handled 60 million tonnes. The company expects "
             "volumes to rise to 75 million tonnes.", "2025", "2025-02-01"),
            ("In January-October the port handled 6 million tonnes. The company expects volumes "
             "to rise to 8 million tonnes.", "2024", "2024-11-20")),
    _dating("change_to_span_end", SPAN_END_NOTE,
            "A change reached 'by' the last year of a span of years the article stated a change "
            "over ('tripled over the past nine years' ... 'By 2024, ... an increase of about "
            "3.3 times') is over the same span, as the second real set labels it.",
            ("ASCO has tripled its cargo volume over the past nine years. In 2015, ASCO "
             "transported 183,139 tons. By 2024, the figure had risen to 609,742 tons, an "
             "increase of about 3.3 times.", "2015/2024", "2025-10-14")),
    _dating("compared_year_before", "a year before",
            "A comparison value with a year-on-year marker, or after a change verb with no "
            "period, is of the year before the figure's ('increased to 1,830 from 1,612').",
            ("The number of vessels increased to 1,830 from 1,612.", "2024-02", "2025-02-01")),
]


def _anchor_to_article(mentions: list[P.Mention], ctx: Context) -> list[P.Mention]:
    return [_span_between_named_years(m, ctx) for m in mentions]


def _span_between_named_years(m: P.Mention, ctx: Context) -> P.Mention:
    """ "ASCO has tripled its cargo volume over the past nine years", published in October
    2025, in an article that goes on "In 2015, ASCO transported 183,139 tons ... By 2024, this
    figure had risen to 609,742 tons": the span runs between the two years the article names,
    2015/2024, not to the year of writing. Only when the article names both ends, one year
    earlier than the reference year gives, and does not name the reference year itself."""
    if m.kind != "span" or m.future or m.span is None or ctx.ref.year is None \
            or m.span.y2 != ctx.ref.year or not years_apart(m.span):
        return m
    first, last = m.span.y1 - 1, m.span.y2 - 1
    named = ctx.years_named
    if first not in named or last not in named or m.span.y2 in named:
        return m
    span = P.Span(first, 1, last, 12)
    return replace(m, span=span, rule=SPAN_BETWEEN_NAMED.name,
                   note=f"'{m.text}' read as {span.text()}, between the years the article names")


SPAN_BETWEEN_NAMED = register(Rule(
    "period.span_between_named_years", None, _anchor_to_article,
    "A span of past years ('over the past nine years') whose two ends the article names as "
    "years a year before the time of writing runs between them (the second real set's "
    "convention); otherwise it ends at the reference year.",
    examples(("ASCO has tripled its cargo volume over the past nine years. In 2015, ASCO "
              "transported 183,139 tons of cargo. By 2024, the figure had risen to 609,742 "
              "tons.", "2015/2024", "2025-10-14"))))


def anchor_to_article(mentions: list[P.Mention], ctx: Context) -> list[P.Mention]:
    """The sentence's period phrases, with spans of years anchored to the years the article
    names (`period.span_between_named_years`)."""
    if not ctx.years_named:
        return mentions
    return _anchor_to_article(mentions, ctx)


DIGIT_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def years_named(title: str | None, sentences: list[str], ref: P.RefDate) -> frozenset[int]:
    """Past years the article names as the period of a figure's sentence: no comparison, no
    event, not ahead of the reference date ("by 2024, it had risen to ..." counts)."""
    years: set[int] = set()
    for text in [title or "", *sentences]:
        if not DIGIT_YEAR.search(text):
            continue  # only years written in digits anchor a span
        for m in P.find_periods(text, ref):
            if m.kind in ("explicit", "by") and m.span is not None and m.span.is_year \
                    and not m.comparison and not m.event and not is_future(m.span, m, ref):
                years.add(m.span.y1)
    return frozenset(years)


def over_span_of_change(q: Quantity, span: P.Span | None, mention: P.Mention | None,
                        notes: list[str], ctx: Context) -> tuple[P.Span | None, list[str]]:
    """ "Tripled over the past nine years" (2015/2024), then "By 2024, this figure had risen
    to 609,742 tons - an increase of about 3.3 times": a change reached by the end year of
    the article's span of years is over that span. Remembers such spans as it goes."""
    if q.role not in CHANGE_ROLES or span is None or mention is None:
        return span, notes
    if mention.kind == "span" and years_apart(span):
        ctx.change_span = span
        return span, notes
    held = ctx.change_span
    if held is not None and mention.kind == "by" and span.is_year and span.y1 == held.y2 \
            and not is_future(span, mention, ctx.ref):
        return held, [*notes, f"{SPAN_END_NOTE} ({held.text()})"]
    return span, notes


def period_rule(mention: P.Mention | None, notes: list[str]) -> str:
    """The name of the rule that dated a figure: the period phrase's, or the fallback's."""
    for written in reversed(notes):  # the last step taken decides
        for note, rule in DATING_RULES:
            if note in written:
                return f"{mention.rule}+{rule.name}" if mention is not None else rule.name
    return mention.rule if mention is not None else ""


# The ways of dating a figure that only guess, when its sentence names no period: a figure
# restated elsewhere in the article with a period of its own takes that period.
GUESSED_PERIOD_RULES = frozenset({"period.publication_year", "period.carried", "period.undated"})
RESTATED_NOTE = "the same figure is restated in the article with its period"
RESTATED_MIN_LEVEL = 1000  # a restated level must be this large to be the same figure by value


def date_restated(figures: list) -> None:
    """ "The volume of transit container transportations via Kazakhstan rose by 49%" (no
    period), then "In 10 months of 2018, ... 411,500 TEU that is 49% more": a figure that only
    a fallback dated takes the period of the same value, unit and role stated in another
    sentence of the article with a period phrase of its own (`period.restated`). Levels only
    when large enough not to coincide by chance."""
    dated = [g for g in figures if g.period and g.rules.get("period", "").split("+")[-1]
             not in GUESSED_PERIOD_RULES and not g.derivation]
    for f in figures:
        if f.rules.get("period", "").split("+")[-1] not in GUESSED_PERIOD_RULES or f.derivation:
            continue
        if f.role not in ("change", "multiple") and abs(f.value) < RESTATED_MIN_LEVEL:
            continue
        same = [g for g in dated if g.quote != f.quote and g.unit == f.unit
                and g.role == f.role and g.value == f.value and g.status == f.status]
        if len({g.period for g in same}) == 1:
            f.period = same[0].period
            f.note = "; ".join(n for n in (f.note, RESTATED_NOTE) if n)
            f.rules["period"] = RESTATED.name


RESTATED = register(Rule(
    "period.restated", None, date_restated,
    "A figure that only a fallback dated takes the period of the same value, unit and role "
    "restated elsewhere in the article with a period of its own: 'rose by 49%' in the lead, "
    "'In 10 months of 2018, ... 49% more' later.",
    examples(("The volume of transit containers via Kazakhstan rose by 49%, the minister said. "
              "In 10 months of 2018, the volume made 411,500 TEU, that is 49% more than a year "
              "earlier.", "2018-01/2018-10", "2018-11-19"))))
