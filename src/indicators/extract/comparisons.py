"""Comparisons: what a figure is to the figures around it, as named rules.

A quantity of a sentence is a level, a change ("up 12%", "48,000 tonnes more"), a multiple
("2.6 times", "twice as many as"), a share ("41% are transit cargo") or a baseline (the value
compared with: "compared with 131 in June 2024", "up from 33,600 TEU", the start of "from X to
Y"). Each way of telling is a rule of the `comparison` family (`extract.rules`), with the
example phrasings that must produce it; a quantity records the rule in `role_rule`, and a
figure in `Figure.rules["role"]`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from indicators.extract.periods import THAN_COMPARES
from indicators.extract.rules import Rule, examples, register
from indicators.extract.units import MEMBERS

if TYPE_CHECKING:
    from indicators.extract.quantities import Quantity

APPROX = re.compile(
    r"(?:\b(?P<q>more\s+than|over|above|exceed(?:ed|ing|s)?|at\s+least|nearly|almost|about"
    r"|around|approximately|approx\.|roughly|some|up\s+to|close\s+to|less\s+than|under"
    r"|just\s+over|just\s+under|an\s+estimated|estimated|a\s+record|record)\s*(?:of\s+)?)$",
    re.IGNORECASE,
)
UP = re.compile(
    r"\b(?:increas(?:e|ed|es|ing)|up(?!\s+(?:to|from)\b)|rose|ris(?:e|en|es|ing)|gr[eo]w(?:s|n|ing|th)?"
    r"|gain(?:s|ed)?|higher|more|jump(?:ed|s)?|surg(?:e|ed|es|ing)|climb(?:ed|s)?"
    r"|expan(?:ded|ds|sion|d)|boost(?:ed|s)?|added|soar(?:ed|s)?|improv(?:ed|ement)"
    r"|lea(?:pt|ped|ps?)|spik(?:e|ed|es)|advanc(?:e|ed|es)|accelerat(?:e|ed|es)|plus"
    r"|upsurge|went\s+up|exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|outpac(?:e|ed|es|ing))\b"
    r"|\+(?=\s*\d)",
    re.IGNORECASE,
)
DOWN = re.compile(
    r"\b(?:decreas(?:e|ed|es|ing)|down(?!\s+from\b)|fell(?!\s+on\b)|fall(?:s|en|ing)?|drop(?:s|ped|ping)?"
    r"|declin(?:e|ed|es|ing)|lower(?:ed|ing|s)?|less|fewer|shr[aiu]nk|shrinks|contract(?:ed|ion|s)?"
    r"|reduc(?:e|ed|tion|es|ing)|slump(?:ed|s)?|plung(?:e|ed|es)|cut(?:s|ting)?|lose|losing|lost"
    r"|loss|slid|cheaper"
    r"|slipped"
    r"|tumbl(?:e|ed|es)|dip(?:s|ped)?|sank|sink(?:s)?|plummet(?:ed|s)?|eased|retreat(?:ed|s)?"
    r"|shed|minus|went\s+down|shorten(?:s|ed|ing)?)\b"
    r"|[-−](?=\s*\d)",
    re.IGNORECASE,
)
CHANGE_NOUNS = frozenset({"growth", "increase", "rise", "decline", "drop", "decrease", "gain",
                          "reduction", "jump", "fall", "surge"})
LEVEL_BEFORE = frozenset({"to", "reached", "reaching", "reach", "reaches", "at", "totaled",
                          "totalled", "totaling", "totalling", "amounted", "stood", "accounted",
                          "represents", "represented", "constitute", "constituted", "hit", "of"})
# "which together account for roughly 35 per cent": a share, whatever change words came before
SHARE_BEFORE = re.compile(r"\b(?:accounts?\s+for|accounted\s+for|accounting\s+for|makes?\s+up"
                          r"|made\s+up|making\s+up|comprises?|comprised|comprising|constitutes?"
                          r"|constituted|constituting)\s*$", re.IGNORECASE)
# ", or 233%" after "3.3 times"
OR_AFTER_MULTIPLE = re.compile(r"\s*(?:times|-?fold)?\s*,?\s*or\s+(?:by\s+|about\s+|some\s+)?",
                               re.IGNORECASE)
YOY_AFTER = re.compile(r"\s*(?:y/y|y-o-y|yoy|year[- ]on[- ]year|year[- ]over[- ]year)\b",
                       re.IGNORECASE)
ABS_CHANGE_BEFORE = re.compile(
    r"\b(?:increas\w*|gr[eo]w\w*|rose|risen|up|decreas\w*|declin\w*|fell|fallen|dropped|down"
    r"|added|gained|lost|reduced|reduc(?:e|ing)|cut(?:s|ting)?|expanded|shrank|shorten\w*|lower\w*"
    r"|extend\w*)"
    r"(?:\s+(?!by\b)[\w-]+){0,8}?\s+by\s+(?:an\s+average\s+of\s+)?(?:about\s+|around\s+"
    r"|nearly\s+|up\s+to\s+|an\s+estimated\s+|approximately\s+|roughly\s+"
    r"|almost\s+|over\s+|more\s+than\s+|some\s+)?$"
    r"|\b(?:an?\s+)?(?:increase|growth|rise|decrease|decline|drop|reduction|gain)\s+of\s+"
    r"(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|more\s+than\s+|some\s+)?$",
    re.IGNORECASE,
)
ABS_CHANGE_AFTER = re.compile(
    r"^\s*(?:more|higher|less|fewer|lower|up|down)\b(?!\s+than\s+(?:doubled|tripled))"
    r"|^,?\s*or\s+[\d.,]+\s*(?:%|percent|per\s+cent)\s+(?:more|less|higher|lower|up|down)\b"
    # "the revenue is 32.7 million GEL (23%) higher": the difference, its percentage in brackets
    r"|^\s*\(\s*[\d.,]+\s*(?:%|percent|per\s+cent)\s*\)\s*(?:more|less|higher|lower|up|down)\b",
    re.IGNORECASE,
)
COMPARISON = re.compile(
    r"\b(?:compared(?:\s+(?:to|with))?|comparison|against|versus|vs\.?|relative\s+to|up\s+from|down\s+from"
    rf"|{THAN_COMPARES}"
    r"|previous\s+year|same\s+period"
    r"|year\s+earlier"
    r"|year\s+ago)\b",
    re.IGNORECASE,
)
# "2.6 times less": a multiple below one.
LESS_AFTER = re.compile(r"\s*(?:less|lower|fewer|smaller)\b")
# After a comparison cue, wording that goes on to another figure ("..., reaching 5 Mt").
CLAUSE_GOES_ON = re.compile(r",\s*(?:reaching|totall?ing|amounting|to\s+reach|at|while|and|but"
                            r"|including|of\s+which)\b|\bto(?:\s+(?:reach|hit|total|exceed|stand\s+at"
                            r"|amount\s+to))?\s*$|[;)]")
# "more than 5": a change word right before a figure is not the figure's direction.
BEFORE_A_FIGURE = re.compile(r"\s*(?:than\s+\d|\d)")


RANGE_DASH_END = re.compile(r"\d\s*[-−]$")  # "12-": the dash of a range, not a minus sign
FROM_END = re.compile(r"\bfrom\s*$", re.IGNORECASE)  # "... from" right before the figure
WORD = re.compile(r"[A-Za-z]+")
LIST_BETWEEN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)")


def _unqualified(before: str) -> str:
    """The wording before a figure without its qualifier ("more than", "about")."""
    return APPROX.sub("", before.rstrip()).rstrip()


def _joined(*names: str) -> str:
    return "+".join(n for n in names if n)


def with_role(sentence: str, q: Quantity, all_qs: list[Quantity]) -> Quantity:
    """The quantity with its role in the sentence (level, change, multiple, share, baseline)
    and the comparison rule that gave it (`Quantity.role_rule`; empty for a plain level)."""
    if q.kind == "multiple":
        after = sentence[q.end:q.end + 20].lower()
        if LESS_AFTER.match(after) and q.value > 1:
            return replace(q, role="multiple", value=1 / q.value, role_rule=MULTIPLE_LESS.name)
        return replace(q, role="multiple", role_rule=MULTIPLE.name)
    if q.unit in MEMBERS:
        return q  # "20 companies from eight countries": where members come from, no comparison
    if q.pair == "range-high":
        # "grew by 60-70%": the high end plays the role of the low end, with its sign.
        low = max((x for x in all_qs if x.end <= q.start and x.pair == "range-low"),
                  key=lambda x: x.end, default=None)
        if low is not None:
            low = with_role(sentence, low, all_qs)
            sign = -1 if low.value < 0 else 1
            return replace(q, role=low.role, value=sign * abs(q.value),
                           role_rule=_joined(low.role_rule, RANGE_END.name))
    prev_end = max([x.end for x in all_qs if x.end <= q.start], default=0)
    next_start = min([x.start for x in all_qs if x.start >= q.end], default=len(sentence))
    before = sentence[prev_end:q.start]
    after = sentence[q.end:next_start]
    if q.kind == "percent" and q.pair not in ("from", "to") and FROM_END.search(
            _unqualified(before)) \
            and any(x.kind == "percent" and x.end <= q.start for x in all_qs):
        # "rose to 27% from 19% a year earlier"
        return replace(q, role="baseline", role_rule=PERCENT_FROM.name)
    if q.kind == "percent" and q.pair in ("from", "to"):
        # "the share rose from 5% to 12%": two levels, the first one the baseline.
        return replace(q, role="baseline" if q.pair == "from" else "share",
                       role_rule=SHARE_FROM_TO.name)
    if q.kind == "percent":
        sign = _sign(before, after)
        last = _last_word(before, q)
        cue_after = _sign("", after[:25])
        rule = PERCENT_CHANGE.name
        if sign == 0 and YOY_AFTER.match(after):
            sign = cue_after = 1  # "12% y/y" with no word for the direction is a rise
            rule = YEAR_ON_YEAR.name
        if SHARE_BEFORE.search(_unqualified(before)):
            sign, rule = 0, SHARE_OF.name  # "which together account for roughly 35 per cent"
        elif sign and not cue_after and last in LEVEL_BEFORE \
                and not (last == "of" and _word_before_of(before)):
            sign, rule = 0, LEVEL_NOT_CHANGE.name  # "rose to 18%" is a level, "by 18%" a change
        if sign == 0 and _restates_multiple(sentence, q, all_qs):
            # "an increase of about 3.3 times, or 233%": the same rise as a percentage
            return replace(q, role="change", value=abs(q.value), role_rule=MULTIPLE_AS_PERCENT.name)
        if sign == 0:
            listed = _listed_after(sentence, q, all_qs)
            if listed is not None and listed.role == "change":
                # "fell by 11%, 6% and 15%, respectively": the list shares the first's sign
                sign = -1 if listed.value < 0 else 1
                return replace(q, role="change", value=sign * abs(q.value),
                               role_rule=LIST_SIGN.name)
            return replace(q, role="share",
                           role_rule=rule if rule != PERCENT_CHANGE.name else SHARE.name)
        return replace(q, role="change", value=sign * abs(q.value), role_rule=rule)
    if q.pair == "from":
        return replace(q, role="baseline", role_rule=FROM_VALUE.name)
    if ABS_CHANGE_BEFORE.search(before[-60:]) or ABS_CHANGE_AFTER.match(
        sentence[q.end:q.end + 60]
    ):
        sign = _sign(before[-60:], after[:40])
        return replace(q, role="change", value=(-1 if sign < 0 else 1) * abs(q.value),
                       role_rule=ABSOLUTE_CHANGE.name)
    if q.pair != "to" and _after_comparison(before):
        return replace(q, role="baseline", role_rule=COMPARED_VALUE.name)
    return q




def _restates_multiple(sentence: str, q: Quantity, all_qs: list[Quantity]) -> bool:
    """Whether `q` follows a multiple above one with only ", or" between them."""
    earlier = [x for x in all_qs if x.end <= q.start]
    return bool(earlier) and earlier[-1].kind == "multiple" and earlier[-1].value > 1 \
        and bool(OR_AFTER_MULTIPLE.fullmatch(sentence[earlier[-1].end:q.start]))


def _listed_after(sentence: str, q: Quantity, all_qs: list[Quantity]) -> Quantity | None:
    """The percentage just before `q` in a list ("11%, 6% and 15%"), with its role."""
    earlier = [x for x in all_qs if x.end <= q.start and x.kind == "percent"]
    if not earlier or not LIST_BETWEEN.fullmatch(sentence[earlier[-1].end:q.start]):
        return None
    return with_role(sentence, earlier[-1], all_qs)


def _after_comparison(before: str) -> bool:
    """Whether comparison wording since the previous figure makes this one the baseline:
    "against 2.8 million tons", "than the H1 2024 number, which was 19,370 TEU", "rose to
    6.1 million tonnes in 2023 from 5.5 million tonnes"."""
    region = _unqualified(before)
    if FROM_END.search(region):
        return True
    cues = list(COMPARISON.finditer(region))
    if not cues:
        return False
    rest = region[cues[-1].end():]
    return not CLAUSE_GOES_ON.search(rest)


def _last_word(before: str, q: Quantity) -> str:
    words = WORD.findall(_unqualified(before)[-30:])
    return words[-1].lower() if words else ""


def _word_before_of(before: str) -> bool:
    words = WORD.findall(before[-40:].lower())
    return len(words) >= 2 and words[-1] == "of" and words[-2] in CHANGE_NOUNS


def _sign(before: str, after: str) -> int:
    """+1 or -1 from the change word nearest the figure, 0 when there is none."""
    if before.endswith("+"):
        return 1
    if before.endswith(("-", "−")) and not RANGE_DASH_END.search(before):
        return -1
    before = APPROX.sub("", before.rstrip())
    best, best_dist = 0, 10**9
    for rx, sign in ((UP, 1), (DOWN, -1)):
        for m in rx.finditer(before[-70:]):
            dist = len(before[-70:]) - m.end()
            if dist < best_dist:
                best, best_dist = sign, dist
        m = rx.search(after[:40])
        if m and m.start() < best_dist and not BEFORE_A_FIGURE.match(after[m.end():]):
            best, best_dist = sign, m.start()
    return best


# The comparison rules, in the order `with_role` tries them.
def _comparison(name: str, pattern: re.Pattern[str] | None, doc: str, *example) -> Rule:
    """A comparison rule; each example is (phrase, "role value") of the first quantity the
    rule gives a role."""
    return register(Rule(f"comparison.{name}", pattern, with_role, doc, examples(*example)))


MULTIPLE = _comparison(
    "multiple", None, "A multiple: '2.6 times', '2.1-fold', 'doubled', 'twice as many as'.",
    ("Traffic rose 2.6 times", "multiple 2.6"),
    ("twice as many trains as in 2023", "multiple 2"),
    ("The country's rail transit traffic is 3.6-time more than that in 2016", "multiple 3.6"))
MULTIPLE_LESS = _comparison(
    "multiple_less", LESS_AFTER, "'2.5 times less': a multiple below one.",
    ("Volumes were 2.5 times less than a year ago", "multiple 0.4"))
RANGE_END = _comparison(
    "range_end", None, "The high end of a range plays the role of the low end, with its "
    "sign: 'grew by 60-70%' is two rises; 'fell by 5-7%' two falls.",
    ("Traffic fell by 5-7% on the year", "change -7"))
PERCENT_FROM = _comparison(
    "percent_from", FROM_END, "A percentage after 'from' following another percentage is the "
    "value compared with: 'rose to 27% from 19% a year earlier'.",
    ("The share rose to 27% from 19% a year earlier", "baseline 19"))
SHARE_FROM_TO = _comparison(
    "share_from_to", None, "'The share rose from 5% to 12%': two levels, the first the "
    "baseline.", ("The share rose from 5% to 12%", "baseline 5"))
PERCENT_CHANGE = _comparison(
    "percent_change", UP, "A percentage with change wording is a change, with the sign of the "
    "nearest word: 'up 34.4%', 'rose by 63 percent', '+13.1%', 'down 5%', 'a 5% decline', "
    "'minus 5%'.",
    ("Volumes were up 34.4% on Q1 2025", "change 34.4"),
    ("Transit fell by 5% on the year", "change -5"),
    ("a 5% decline in transit", "change -5"),
    ("an increase of 12% from 2023", "change 12"),
    ("reached 86,000 TEU, exceeding last year's figure by more than 38%", "change 38"))
YEAR_ON_YEAR = _comparison(
    "year_on_year", YOY_AFTER, "'12% y/y' with no word for the direction is a rise.",
    ("Container traffic, 12% y/y, reached a record", "change 12"))
LEVEL_NOT_CHANGE = _comparison(
    "level_not_change", None, "A percentage reached is a level, not a change: 'rose to 18%' "
    "(but 'rose by 18%' is a change).", ("Its share rose to 18% in 2024", "share 18"))
SHARE_OF = _comparison(
    "share_of", SHARE_BEFORE, "'Which together account for roughly 35 per cent': a share, "
    "whatever change words came before.",
    ("after the drop, rail and sea together account for roughly 35 per cent", "share 35"),
    ("Turnover in Poti port, accounting for 41.1% of total cargo handled, decreased 10.9%",
     "share 41.1"))
LIST_SIGN = _comparison(
    "list_sign", LIST_BETWEEN, "A list of percentages shares the sign of its first change: "
    "'fell by 11%, 6% and 15%, respectively' are three falls.",
    ("Exports fell by 11%, 6% and 15%, respectively", "change -6"))
MULTIPLE_AS_PERCENT = _comparison(
    "multiple_as_percent", None, "A percentage restating a multiple above one ('an increase "
    "of about 3.3 times, or 233%') is the same rise: a change.",
    ("By 2024 the figure had risen to 609,742 tons - an increase of about 3.3 times, or 233%.",
     "change 233"))
SHARE = _comparison(
    "share", None, "A percentage with no change wording is a share or a level: '41% are "
    "transit cargo', 'local content reached 85%'.", ("41% are transit cargo", "share 41"))
FROM_VALUE = _comparison(
    "from_value", None, "The first value of 'from X to Y' is the value compared with.",
    ("from 12 to 60 trains per day", "baseline 12"))
ABSOLUTE_CHANGE = _comparison(
    "absolute_change", ABS_CHANGE_BEFORE, "An amount of change keeps the unit of what changed "
    "and its sign: '48,000 tonnes more', 'increased by one million tons', 'shorten the route by "
    "around 900 km', '15 trains, or 0.8 percent more'.",
    ("Shipments were 48,000 tonnes more than in 2023", "change 48000"),
    ("Transit increased by one million tons", "change 1000000"),
    ("The line will shorten the route by around 900 km", "change -900"),
    ("Compared to the same period of the previous year, the revenue is 32.7 million GEL (23%) "
     "higher", "change 32700000"))
COMPARED_VALUE = _comparison(
    "compared_value", COMPARISON, "A level after comparison wording is the value compared "
    "with: 'against 2.8 million tons recorded in 2023', 'up from 33,600 TEU in 2022', "
    "'compared with 131 in June 2024', 'than the H1 2024 number, which was 19,370 TEU'.",
    ("The port handled 3 million tons, against 2.8 million tons recorded in 2023",
     "baseline 2800000"),
    ("It handled 40,000 TEU, up from 33,600 TEU in 2022", "baseline 33600"),
    ("118 vessels called at Aktau, compared with 131 in June 2024", "baseline 131"))
