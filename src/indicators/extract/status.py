"""Tell reported figures from forecasts, targets and capacities by the wording around them.

Each cue is a named status rule (`extract.rules`); `read_status` says which one decided."""

from __future__ import annotations

import re

from indicators.extract.rules import Rule, examples, register


def _status(name: str, pattern: str | None, doc: str, *example) -> Rule:
    return register(Rule(f"status.{name}", re.compile(pattern, re.IGNORECASE) if pattern else None,
                         None, doc, examples(*example)))


FORECAST_CUE = _status(
    "forecast",
    r"\b(?:expect(?:s|ed|ing|ation)?|anticipat\w*|forecast\w*|project(?:ed|ion|ions)\b|predict\w*"
    r"|outlook|likely|set\s+to|on\s+track\s+to|estimated\s+to|could\s+(?:reach|exceed|grow)"
    r"|may\s+(?:reach|exceed|grow)|(?:may|might)\s+be\s+(?:increas|rais|expand|doubl)\w*"
    r"|could|estimates?\s+that|projects?\s+that"
    # "can increase fivefold" (a change ahead); "waiting times can reach 10 days" is a state
    r"|can\s+(?:be\s+)?(?:increas\w*|gr[eo]w\w*|rise|rais\w*|doubl\w*|tripl\w*|expand\w*)"
    r"|(?:is|are)\s+estimated\s+at|should\s+(?:rise|reach|grow|increase|exceed|fall|drop"
    r"|decline|double|be))",
    "Expectation wording (expect, forecast, projected, likely, could, 'should rise', 'can "
    "increase'; 'can handle' is a capacity): a "
    "forecast. It wins over target wording.",
    ("Volumes are expected to reach 5 million tons.", "forecast"),
    ("Traffic could exceed 2 million tonnes.", "forecast"),
    ("Cargo transportation through the port can increase fivefold.", "forecast"),
    ("The volume of traffic along this corridor can be increased five times.", "forecast"),
    ("In the future, it may be increased to 20 million tons of cargo.", "forecast"),
    ("Traffic is estimated at 2 million tonnes next year.", "forecast"),
)
TARGET_CUE = _status(
    "target",
    r"\b(?:plan(?:s|ned|ning)?|aim(?:s|ed|ing)?|goal|target(?:s|ed|ing)?|intend\w*|seek(?:s|ing)?\s+to"
    r"|envisag\w*|strive\w*|ambition\w*|tasked|objective|will|would|shall|is\s+to\s+be"
    r"|are\s+to\s+be|to\s+be\s+(?:built|completed|launched|commissioned)|once\s+completed"
    r"|upon\s+completion|scheduled|pledg(?:e|es|ed|ing)\s+to|commit(?:s|ted)?\s+to|agree(?:s|d)?\s+to"
    r"|due\s+to\s+(?:open|be|start|begin|launch|complete)|slated"
    r"|(?:due|set)\s+for\s+(?:completion|launch|opening|commissioning)|want(?:s|ed)?\s+to)\b|'ll\b",
    "Intention wording (plan, aim, target, will, scheduled, 'pledged to'): a target.",
    ("The company plans to handle 10 million tons.", "target"),
    ("The port will handle 300,000 TEU.", "target"),
)
CAPACITY_CUE = _status(
    "capacity",
    # not "large-capacity vehicles", "high-capacity wagons": a kind of vehicle, not a capacity
    r"(?<!large-)(?<!high-)(?<!heavy-)\bcapacit(?:y|ies)\b|\bcan\s+(?:handle|carry|process"
    r"|accommodate)\b|\bcapable\s+of\s+(?:\w+ing\s+)?(?:up\s+to\s+|about\s+|over\s+)?$"
    r"|\b(?:designed|able)\s+to\s+(?:handle|carry|process|accommodate|receive|serve)\b"
    r"|\bcan\s+(?:lift|hold|store|take)\b"
    r"|\bfor\s+(?:the\s+)?(?:one-time\s+)?storage\s+of\s+(?:more\s+than\s+|up\s+to\s+|about\s+)?$",
    "Capacity wording before the figure in its clause, or closely after it ('a 6 Mt capacity "
    "terminal'): a capacity.",
    ("The terminal has a capacity of 500,000 TEU.", "capacity"),
    ("The new berth can handle 2 million tonnes.", "capacity"),
    ("two terminals capable of 1.5 million tons a year each", "capacity"),
    ("Each crane can lift cargo weighing up to 41 tons.", "capacity"),
    ("a platform for the one-time storage of 18 thousand containers", "capacity"),
)
CAPACITY_AHEAD = _status(
    "capacity_ahead", None,
    "Capacity with forecast or target wording, or in a period ahead, is a target ('capacity "
    "will grow to 10 million tons').",
    ("Its capacity will grow to 10 million tons.", "target"),
)
ESTIMATE = re.compile(r"\baccording\s+to\s+(?:\w+\s+){0,2}estimates?\b|\banalysts?\b"
                      r"|\bexpected\s+to\s+(?:reach|raise|grow|increase|rise|double|expand)\b",
                      re.IGNORECASE)
CAPACITY_ESTIMATED = _status(
    "capacity_estimated", ESTIMATE.pattern,
    "Capacity ahead with estimate or expectation wording ('According to estimates, it will "
    "expand the corridor capacity by 8 to 10 million tons per year', 'analysts expect capacity "
    "to double') is a forecast; with plan wording it stays a target.",
    ("According to estimates, it will expand the corridor capacity by 8 to 10 million tons "
     "per year.", "forecast"),
)
BUILDING = re.compile(r"\b(?:build(?:s|ing)?|construct(?:s|ing|ion)?|under\s+construction"
                      r"|being\s+built)\b", re.IGNORECASE)
CAPACITY_BUILDING = _status(
    "capacity_building", BUILDING.pattern,
    "The capacity of something being built ('continues to build a new port with a design "
    "capacity of 1 million containers per year') is a target, as capacity ahead is.",
    ("Georgia continues to build a new port with a design capacity of more than 1 million "
     "containers per year.", "target"),
)
POWER_RATING = _status(
    "power_rating", None,
    "A power rating (MW, GW, kW) is the capacity of a plant: 'the 2 MW hydropower station'.",
    ("He spoke at the inauguration of the 2 MW hydropower station.", "capacity"),
)
FUTURE_PERIOD = _status(
    "future_period", None,
    "A period ahead of the reference date in the figure's own clause makes it a target.",
    ("Freight reaches 10 million tons in 2030.", "target", "2025-03-01"),
)
COMPARED_VALUE = _status(
    "compared_value", None,
    "A comparison value ('up from 33,600 TEU in 2022') is what was reported then (or a "
    "capacity), whatever the wording of the figure it is compared with.",
    ("Volumes will rise to 40,000 TEU, up from 33,600 TEU in 2023.", "reported", "2024-05-01"),
)
AIM = re.compile(r"\b(?:aim(?:s|ed|ing)?|goal|target(?:s|ed|ing)?|intend\w*|seek(?:s|ing)?\s+to"
                 r"|ambition\w*|objective)\b", re.IGNORECASE)
MONEY_STATED = _status(
    "money_stated", AIM.pattern,
    "A sum of money (a cost, an investment, a loan) is the amount stated: reported, even with "
    "'will', 'expected', 'estimated' or 'plan to allocate' wording, as both labelled real sets "
    "have it; only aim, goal or target wording makes it a target.",
    ("China will invest $1.187 billion in the railway.", "reported"),
    ("The cost of the line is expected to be $8bn.", "reported"),
)
DURATION_AHEAD_STATUS = _status(
    "duration_ahead", None,
    "A duration ahead that is the sentence's only figure ('will be built within five years', "
    "'self-sustaining within 15-20 years') is a forecast of how long it will take; with plan "
    "wording ('is planned to take five years') a target.",
    ("The railway will be built within five years.", "forecast"),
    ("Construction is planned to take five years.", "target"),
)
MONEY_SHARE = _status(
    "money_share", r"\b(?:contribut\w*|cover(?:s|ed|ing)?|financ\w*|fund(?:s|ed|ing)?"
    r"|invest\w*)\b",
    "A share of a sum of money ('China will contribute 51%, while Kyrgyzstan and Uzbekistan "
    "will each cover 24.5%') is stated as the sum is: reported, even with 'will'.",
    ("China will contribute 51%, while Kyrgyzstan and Uzbekistan will each cover 24.5%.",
     "reported"),
)
LENGTH_STATED = _status(
    "length_stated", r"\blength\b|\blong\b",
    "The length of a line or route ('The length of the route will be over 450 km') is its "
    "design length as stated: reported, even with 'will', as the second real set has it; aim "
    "or target wording still makes it a target. (The synthetic sets call it a target.)",
    ("The length of the route will be over 450 km.", "reported", "2024-09-26"),
)
LENGTH_UNITS = frozenset({"km", "m", "miles"})


def length_stated(q, clause: str) -> bool:
    """Whether `clause` states the length of a line as it stands (`status.length_stated`)."""
    return q.unit in LENGTH_UNITS and q.role == "level" \
        and bool(LENGTH_STATED.pattern.search(clause)) and not AIM.search(clause)


# A plan fulfilled, met or exceeded reports what was done: "the plan was fulfilled by 223.5%",
# "exceeding the target by 118%", "the production plan for August was exceeded by 46,000 tons".
PLAN_MET = re.compile(
    r"\b(?:plan|target)s?\b[^.;]{0,40}?\b(?:(?:over-?)?fulfill?ed|exceeded|met|surpassed"
    r"|achieved)\b"
    r"|\b(?:exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|(?:over-?)?fulfill?(?:ed|ing|s)?|met|beat)\s+"
    r"(?:its|the|their|our|this)\s+(?:\w+\s+){0,2}?(?:plan|target)s?\b"
    r"|\b(?:over|above)\s+the\s+(?:estimated\s+|planned\s+)?(?:plan|target)\b", re.IGNORECASE)
# ... unless the clause still states an intention: "plans to exceed the target".
INTENT = re.compile(r"\b(?:will|would|shall|(?:plans?|aims?|intends?|hopes?)\s+to)\b",
                    re.IGNORECASE)
PLAN_FULFILLED = _status(
    "plan_fulfilled", None, "A plan or target fulfilled, met or exceeded: what was done, reported.",
    ("The plan for this indicator was fulfilled by 223.5%.", "reported"),
    ("Revenue reached 254 million manat, exceeding the target by 118%.", "reported"),
    ("The production plan for August was exceeded by 46,000 tons.", "reported"))
REPORTED = _status(
    "reported", None, "No forecast, target or capacity wording: a reported figure.",
    ("The port handled 5 million tons in 2024.", "reported"),
    ("Waiting times at Dostyk can reach 10 days.", "reported"),  # a state, not "can increase"
    ("Transshipment of large-capacity vehicles reached 6,543 units.", "reported"),
    # a clause opened by a possessive after a comma is a new clause: the capacity before it
    # is not this figure's
    ("The complex, with a capacity of 4 million tonnes, opened in December 2016 and in 9 "
     "months of 2017, its cargo transshipment amounted to 914 thousand tons.", "reported"),
)
FORECAST, TARGET, CAPACITY = FORECAST_CUE.pattern, TARGET_CUE.pattern, CAPACITY_CUE.pattern

# Capacity wording after a figure belongs to it only when it follows closely ("a 6 Mt
# capacity terminal"); "handled 8 Mt against a combined capacity of 20 Mt" is reported.
CAPACITY_AFTER = 25
# A clause ends at a semicolon, or a comma that opens a new clause.
CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|which|whose|with)\s|\s(?:while|whereas)\s"
    r"|,\s+(?=(?:[a-z]+\s+)?(?:we|it|they|he|she|this|that)\s)"
    # ", its cargo transshipment amounted to" (but ", increasing its capacity" goes on)
    r"|,\s+(?=(?:its|their|our)\s)"
)

def clause_around(text: str, start: int, end: int) -> str:
    """The clause of `text` that holds the span start..end."""
    a = 0
    for m in CLAUSE_BREAK.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return text[a:m.start()]
    return text[a:]


COMMA_OR_SEMICOLON = re.compile(r"[,;]")
# "70-75% of their capacity": how much of a capacity is used.
SHARE_OF_CAPACITY = re.compile(
    r"(?:\s*[-–]\s*[\d.,]+\s*%?)?\s*of\s+(?:its|their|the|design|total|the\s+design)?\s*")


def capacity_wording(clause: str, start: int, end: int) -> bool:
    """Whether the clause calls the figure at start..end (offsets in the clause) a capacity:
    the wording comes before it, or closely after it."""
    after = CAPACITY.search(COMMA_OR_SEMICOLON.split(clause[end:end + CAPACITY_AFTER])[0])
    # "70-75% of their capacity" is how much of the capacity is used, not a capacity.
    used = after is not None and SHARE_OF_CAPACITY.fullmatch(clause[end:end + after.start()])
    return bool(CAPACITY.search(clause[:start]) or (after and not used))


def read_status(clause: str, *, future_period: bool = False,
                capacity: bool | None = None, money: bool = False,
                estimated: bool | None = None) -> tuple[str, str]:
    """reported, forecast, target or capacity, from the clause that states a figure, and the
    name of the status rule that decided.

    `capacity` says whether the clause calls the figure a capacity (found in the clause
    when not given; `estimated`, whether the sentence up to the figure has estimate wording,
    likewise). Capacity in the future is a target ("capacity will grow to 10 million
    tons by 2027"); otherwise forecast wording wins over target wording, which wins over capacity.
    """
    forecast = bool(FORECAST.search(clause))
    target_word = bool(TARGET.search(clause))
    if money and not AIM.search(clause) and (forecast or target_word or future_period):
        return "reported", MONEY_STATED.name
    if capacity if capacity is not None else CAPACITY.search(clause):
        if (estimated if estimated is not None else ESTIMATE.search(clause)) \
                and not AIM.search(clause):
            return "forecast", CAPACITY_ESTIMATED.name
        if forecast or target_word or future_period:
            return "target", CAPACITY_AHEAD.name
        if BUILDING.search(clause):
            return "target", CAPACITY_BUILDING.name
        return "capacity", CAPACITY_CUE.name
    if forecast:
        return "forecast", FORECAST_CUE.name
    if target_word and PLAN_MET.search(clause) and not INTENT.search(clause):
        return "reported", PLAN_FULFILLED.name
    if target_word:
        return "target", TARGET_CUE.name
    if future_period:
        return "target", FUTURE_PERIOD.name
    return "reported", REPORTED.name


def guess_status(clause: str, *, future_period: bool = False,
                 capacity: bool | None = None) -> str:
    """The status alone (see `read_status`)."""
    return read_status(clause, future_period=future_period, capacity=capacity)[0]
