"""The rule corpus: every example phrasing of every extraction rule must produce that rule's
result. One test case per example, named after its rule, so a failure says which rule broke."""

from __future__ import annotations

import pytest

from indicators.extract import rules
from indicators.extract.periods import RefDate, find_periods

CASES = [pytest.param(rule, example, id=f"{rule.name}:{example.text[:40]}")
         for rule in rules.all_rules() for example in rule.examples]


def produced_period(rule: rules.Rule, example: rules.Example) -> str | None:
    mentions = [m for m in find_periods(example.text, RefDate.parse(example.ref))
                if m.rule == rule.name]
    if not mentions:
        return None
    m = mentions[0]
    if example.want.startswith("kind:"):
        return f"kind:{m.kind}"
    return m.span.text() if m.span else None


PRODUCED = {"period": produced_period}


def test_every_rule_has_a_name_a_doc_and_examples():
    for rule in rules.all_rules():
        assert rule.doc.strip(), rule.name
        assert rule.examples, f"{rule.name} has no example phrasing"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule: rules.Rule, example: rules.Example):
    got = PRODUCED[rule.family](rule, example)
    assert got == example.want, (f"rule {rule.name}: {example.text!r} gave {got!r}, "
                                 f"expected {example.want!r}")
