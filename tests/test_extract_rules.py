"""The rule corpus: every example phrasing of every extraction rule must produce that rule's
result. One test case per example, named after its rule, so a failure says which rule broke.

Period phrases are checked on `find_periods`; number, unit and comparison rules on
`find_quantities` (a comparison example names the role and value it gives: "change -5");
the rest (status, the ways a figure is dated without a phrase of its own, the corrections that
need a whole sentence) on `extract_figures`, through the provenance each figure records."""

from __future__ import annotations

import pytest

from indicators.extract import extract_figures, rules
from indicators.extract.periods import PERIOD_RULES, RefDate, find_periods
from indicators.extract.quantities import find_quantities

CASES = [pytest.param(rule, example, id=f"{rule.name}:{example.text[:40]}")
         for rule in rules.all_rules() for example in rule.examples]
PHRASES = {rule.name for rule in PERIOD_RULES}


def number(value: float) -> str:
    return format(value, ".15g")


def made_by(provenance: str, rule: rules.Rule) -> bool:
    return rule.name in provenance.split("+")


def produced_period(rule: rules.Rule, example: rules.Example) -> str | None:
    mentions = [m for m in find_periods(example.text, RefDate.parse(example.ref))
                if m.rule == rule.name]
    if not mentions:
        return None
    m = mentions[0]
    if example.want.startswith("kind:"):
        return f"kind:{m.kind}"
    return m.span.text() if m.span else None


def produced_quantity(rule: rules.Rule, example: rules.Example) -> str | None:
    part = "value_rule" if rule.family == "number" else "unit_rule"
    found = [q for q in find_quantities(example.text, []) if made_by(getattr(q, part), rule)]
    if not found:
        return None
    return number(found[0].value) if rule.family == "number" else found[0].unit


def produced_role(rule: rules.Rule, example: rules.Example) -> str | None:
    found = [q for q in find_quantities(example.text, []) if made_by(q.role_rule, rule)]
    return f"{found[0].role} {number(found[0].value)}" if found else None


def produced_figure(rule: rules.Rule, example: rules.Example) -> str | None:
    result = extract_figures(example.text, catalogue=[], published=example.ref,
                             title=example.title, is_html=False)
    for f in result.figures:
        for part, provenance in f.rules.items():
            if made_by(provenance, rule):
                return {"value": number(f.value), "unit": f.unit, "period": f.period,
                        "status": f.status}[part]
    return None


def produced(rule: rules.Rule, example: rules.Example) -> str | None:
    if rule.name in PHRASES:
        return produced_period(rule, example)
    if rule.family == "comparison":
        return produced_role(rule, example)
    if rule.family in ("number", "unit"):
        got = produced_quantity(rule, example)
        if got is not None:
            return got
    return produced_figure(rule, example)


def test_every_rule_has_a_name_a_doc_and_examples():
    for rule in rules.all_rules():
        assert rule.doc.strip(), rule.name
        assert rule.examples, f"{rule.name} has no example phrasing"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule: rules.Rule, example: rules.Example):
    got = produced(rule, example)
    assert got == example.want, (f"rule {rule.name}: {example.text!r} gave {got!r}, "
                                 f"expected {example.want!r}")


def test_every_figure_says_which_rules_made_it():
    result = extract_figures("In Q1 2026, 125 container trains transited Kazakhstan, up 34.4% "
                             "on Q1 2025. The port plans to handle 10 million tonnes a year.",
                             catalogue=[], published="2026-05-02", is_html=False)
    rows = {(f.value, f.unit): f.rules for f in result.figures}
    assert rows[125, "trains"] == {"value": "number.digits", "unit": "unit.noun_trains",
                                   "period": "period.quarter_q", "status": "status.reported"}
    assert rows[34.4, "%"]["unit"] == "unit.percent"
    assert rows[10_000_000, "t/yr"] == {
        "value": "number.scaled", "unit": "unit.tonnes+unit.per_time",
        "period": "period.plan_when_written", "status": "status.target"}
    for f in result.figures:
        assert all(f.rules.values()), f
