"""Rules as data: each phrase family the extractor reads is one named rule.

In the manner of duckling's `Rule {name, pattern, prod}`: a rule has a name, the regular
expression that finds its phrase, the production that turns a match into what the extractor
uses (a period mention, a unit, a status), a docstring, and the example phrasings that must
produce it. The examples are run by `tests/test_extract_rules.py`, one test case each, so a
failure names its rule; and every extracted figure records the rules that gave its value, unit,
period and status (`Figure.rules`).

The families are listed in `FAMILIES`; each module declares its own rules in the order they
are tried and registers them here, so that `all_rules()` is the whole corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FAMILIES = ("number", "unit", "period", "status", "comparison")


@dataclass(frozen=True)
class Example:
    """A phrasing that must produce the rule, and what it must produce (as text: a period in
    the notation, a unit, a status, a value), read against `ref` where a date matters."""

    text: str
    want: str
    ref: str | None = None
    title: str | None = None  # the headline, for rules that read the article's


@dataclass(frozen=True)
class Rule:
    name: str  # "family.what": "period.quarter", "unit.teu", "status.forecast"
    pattern: re.Pattern[str] | None
    production: Callable[..., Any] | None
    doc: str
    examples: tuple[Example, ...] = field(default=())

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]


_REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the corpus; names are unique."""
    if rule.name in _REGISTRY and _REGISTRY[rule.name] is not rule:
        raise ValueError(f"two rules named {rule.name!r}")
    if rule.family not in FAMILIES:
        raise ValueError(f"rule {rule.name!r}: family not one of {FAMILIES}")
    _REGISTRY[rule.name] = rule
    return rule


def examples(*pairs: tuple[str, ...]) -> tuple[Example, ...]:
    """`("in Q1 2026", "2026-Q1")`, `("last year", "2024", "2025-06-01")` or with a headline
    as a fourth item, as Examples."""
    return tuple(Example(*p) for p in pairs)


def all_rules() -> list[Rule]:
    """Every rule of every family, once the extractor's modules are imported."""
    import indicators.extract  # noqa: F401  (importing the package registers its rules)

    return list(_REGISTRY.values())


def get(name: str) -> Rule:
    all_rules()
    return _REGISTRY[name]
