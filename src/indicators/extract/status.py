"""Tell reported figures from forecasts, targets and capacities by the wording around them."""

from __future__ import annotations

import re

FORECAST = re.compile(
    r"\b(?:expect(?:s|ed|ing|ation)?|anticipat\w*|forecast\w*|project(?:ed|ion|ions)\b|predict\w*"
    r"|outlook|likely|set\s+to|on\s+track\s+to|estimated\s+to|could\s+(?:reach|exceed|grow)"
    r"|may\s+(?:reach|exceed|grow)|could|estimates?\s+that|projects?\s+that"
    r"|(?:is|are|was|were)\s+estimated\s+at|should\s+(?:rise|reach|grow|increase|exceed|fall|drop"
    r"|decline|double|be))",
    re.IGNORECASE,
)
TARGET = re.compile(
    r"\b(?:plan(?:s|ned|ning)?|aim(?:s|ed|ing)?|goal|target(?:s|ed|ing)?|intend\w*|seek(?:s|ing)?\s+to"
    r"|envisag\w*|strive\w*|ambition\w*|tasked|objective|will|would|shall|is\s+to\s+be"
    r"|are\s+to\s+be|to\s+be\s+(?:built|completed|launched|commissioned)|once\s+completed"
    r"|upon\s+completion|scheduled|pledg(?:e|es|ed|ing)\s+to|commit(?:s|ted)?\s+to|agree(?:s|d)?\s+to|due\s+to\s+(?:open|be|start|begin|launch|complete)|slated"
    r"|(?:due|set)\s+for\s+(?:completion|launch|opening|commissioning)|want(?:s|ed)?\s+to)\b|'ll\b",
    re.IGNORECASE,
)
CAPACITY = re.compile(r"\bcapacit(?:y|ies)\b|\bcan\s+(?:handle|carry|process|accommodate)\b"
                      r"|\b(?:designed|able)\s+to\s+(?:handle|carry|process|accommodate|receive"
                      r"|serve)\b",
                      re.IGNORECASE)
# Capacity wording after a figure belongs to it only when it follows closely ("a 6 Mt
# capacity terminal"); "handled 8 Mt against a combined capacity of 20 Mt" is reported.
CAPACITY_AFTER = 25
# A clause ends at a semicolon, or a comma that opens a new clause.
CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|which|whose|with)\s|\s(?:while|whereas)\s"
    r"|,\s+(?=(?:[a-z]+\s+)?(?:we|it|they|he|she|this|that)\s)"
)

STATUSES = ("reported", "forecast", "target", "capacity")


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of `text` that holds the span start..end."""
    a = 0
    for m in CLAUSE_BREAK.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return text[a:m.start()]
    return text[a:]


def capacity_wording(clause: str, start: int, end: int) -> bool:
    """Whether the clause calls the figure at start..end (offsets in the clause) a capacity:
    the wording comes before it, or closely after it."""
    after = CAPACITY.search(re.split(r"[,;]", clause[end:end + CAPACITY_AFTER])[0])
    # "70-75% of their capacity" is how much of the capacity is used, not a capacity.
    used = after is not None and re.fullmatch(
        r"(?:\s*[-–]\s*[\d.,]+\s*%?)?\s*of\s+(?:its|their|the|design|total|the\s+design)?\s*",
        clause[end:end + after.start()])
    return bool(CAPACITY.search(clause[:start]) or (after and not used))


def guess_status(clause: str, *, future_period: bool = False,
                 capacity: bool | None = None) -> str:
    """reported, forecast, target or capacity, from the clause that states a figure.

    `capacity` says whether the clause calls the figure a capacity (found in the clause
    when not given). Capacity in the future is a target ("capacity will grow to 10 million
    tons by 2027"); otherwise forecast wording wins over target wording, which wins over capacity.
    """
    forecast = bool(FORECAST.search(clause))
    target = bool(TARGET.search(clause)) or future_period
    if capacity if capacity is not None else CAPACITY.search(clause):
        return "target" if forecast or target else "capacity"
    if forecast:
        return "forecast"
    if target:
        return "target"
    return "reported"
