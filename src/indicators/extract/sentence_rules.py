"""Corrections that need all the figures of one sentence: rates shared between figures,
growth between two stated periods, the currency a place implies, the change indicator of a
level, and changes derived from "from X to Y"."""

from __future__ import annotations

import re

from indicators import period_notation
from indicators.extract.indicator_guess import related_indicator
from indicators.extract.model import Context, Figure
from indicators.extract.quantities import Quantity
from indicators.extract.rules import Rule, examples, register
from indicators.extract.status import capacity_wording, clause_around

RATE_UNITS = ("/yr", "/month", "/day")


TURKMEN = re.compile(r"Turkmen|Ashgabat|\bTM\b")
AZERBAIJAN = re.compile(r"Azerbaijan|Baku|Alat|\bAZ\b")
MANAT = re.compile(r"manat", re.IGNORECASE)


def turkmen_manat(sentence: str, figures: list[Figure], ctx: Context) -> None:
    """ "212 million manats" in news about Turkmenistan are Turkmen manats (TMT), not
    Azerbaijani ones (AZN)."""
    place = " ".join((sentence, ctx.geo, ctx.title_geo))
    if not TURKMEN.search(place) or AZERBAIJAN.search(sentence):
        return
    for f in figures:
        if f.unit.split("/")[0] == "AZN" and MANAT.search(f.quote):
            f.unit = "TMT" + f.unit[3:]
            _record(f, "unit", TURKMEN_RULE)


def growth_between(figures: list[Figure]) -> None:
    """ "more than fivefold, from 0.8 mln tons in 2020 to 4.5 mln tons in 2024": the multiple
    is the growth over 2020/2024. A change between neighbouring years keeps the later one."""
    start = next((f for f in figures if f.role == "baseline" and f.period), None)
    end = next((f for f in figures if start and f.span[0] > start.span[0] and f.period
                and f.role == "level" and f.unit == start.unit), None)
    if start is None or end is None:
        return
    try:
        a, b = period_notation.parse(start.period), period_notation.parse(end.period)
    except period_notation.PeriodError:
        return
    if b.start.year - a.end.year < 2:
        return
    for f in figures:
        if f.role in ("change", "multiple") and f.period == end.period and not f.derivation:
            f.period = _interval(start.period, end.period)
            _record(f, "period", GROWTH_BETWEEN_RULE)
            f.note = "; ".join(n for n in (f.note, "growth between the two stated periods") if n)


def share_rates(sentence: str, figures: list[Figure]) -> None:
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
            _record(f, "unit", PLAN_RATE_RULE)


def link_changes(figures: list[Figure], ctx: Context, catalogue: list) -> None:
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


def derived_changes(
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
            rules={"value": DERIVED_RULE.name, "unit": DERIVED_RULE.name,
                   "period": b.rules.get("period", ""), "status": b.rules.get("status", "")},
        ))
    return out


def _interval(a: str, b: str) -> str:
    if not a or not b:
        return b or a
    return f"{a.split('/')[0]}/{b.split('/')[-1]}"



def _record(f: Figure, part: str, rule: Rule) -> None:
    f.rules[part] = "+".join(r for r in (f.rules.get(part, ""), rule.name) if r)


# The corrections above, as named rules (with the production that applies them).
TURKMEN_RULE = register(Rule(
    "unit.turkmen_manat", TURKMEN, turkmen_manat, "Manats in news about Turkmenistan are Turkmen "
    "manats (TMT), not Azerbaijani ones.",
    examples(("Turkmenistan will spend 212 million manats on the port.", "TMT"))))
PLAN_RATE_RULE = register(Rule(
    "unit.capacity_plan_rate", None, share_rates, "A capacity and its plans share a rate: the "
    "planned 25 million tons of 'capacity stands at 15 million tons a year and is expected to "
    "expand to 25 million tons' is yearly too.",
    examples(("The capacity stands at 15 million tons a year and is expected to expand to 25 "
              "million tons.", "t/yr"))))
GROWTH_BETWEEN_RULE = register(Rule(
    "period.growth_between", None, growth_between, "A change stated with a starting and an "
    "end value years apart covers the span between them.",
    examples(("Freight grew more than fivefold, from 0.8 mln tons in 2020 to 4.5 mln tons in "
              "2024.", "2020/2024", "2025-01-10"))))
DERIVED_RULE = register(Rule(
    "number.derived_change", None, derived_changes, "'From X to Y' with no stated change: a "
    "derived percentage change, marked as derived.",
    examples(("Traffic rose from 12 to 60 trains per day in 2024.", "400", "2025-01-10"))))
