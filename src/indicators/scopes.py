"""Which scope a geo belongs to (whole TITR, via Kazakhstan, a port, other), for the corridor views.

The curated answer is `geos.csv` in the seed directory (geo, base_geo, qualifier,
scope_group). Geos added later by an upload are classified from their name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

WHOLE = "Whole TITR"
KAZAKHSTAN = "Via Kazakhstan"
PORTS = "Ports"
OTHER = "Other"
GROUPS = (WHOLE, KAZAKHSTAN, PORTS, OTHER)
QUALIFIER_SEP = " — "
# A geo named with this is the Middle Corridor itself (the whole route or its leg through
# Kazakhstan), not all of a country's or a border's traffic, most of which is not TITR.
CORRIDOR_MARK = "TITR"
# The groups whose TITR geos stand for the corridor as a whole in a headline.
HEADLINE_GROUPS = (WHOLE, KAZAKHSTAN)

_PORT_WORDS = re.compile(r"\b(port|ports|shipping|fleet|sea)\b", re.IGNORECASE)
_KZ_WORDS = re.compile(r"kazakhstan|khorgos|dostyk|alashankou|moyynty|aktau|kuryk", re.IGNORECASE)


@dataclass(frozen=True)
class Geo:
    geo: str
    base: str
    qualifier: str
    group: str


@dataclass(frozen=True)
class Scope:
    """One choice of the scope control: a slug for the URL, a label, and the geos it covers."""

    slug: str
    label: str
    geos: tuple[str, ...]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def guess(geo: str) -> Geo:
    """Classify a geo the curated list does not know, from words in its name."""
    base, _, qualifier = geo.partition(QUALIFIER_SEP)
    if _PORT_WORDS.search(base):
        group = PORTS
    elif CORRIDOR_MARK in base and "Kazakhstan" not in base:
        group = WHOLE
    elif _KZ_WORDS.search(base):
        group = KAZAKHSTAN
    else:
        group = OTHER
    return Geo(geo, base, qualifier, group)


def load(path: Path) -> dict[str, Geo]:
    """geos.csv as {geo: Geo}; an absent file gives {} (every geo is then guessed)."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        group = r.get("scope_group") or ""
        if group not in GROUPS:
            group = guess(r["geo"]).group
        out[r["geo"]] = Geo(r["geo"], r.get("base_geo") or r["geo"], r.get("qualifier") or "",
                            group)
    return out


def classify(geos: list[str], known: dict[str, Geo]) -> list[Geo]:
    return [known.get(g) or guess(g) for g in geos]


def headline_geos(geos: list[Geo]) -> set[str]:
    """Geos whose figures can stand as the Middle Corridor's headline: the whole TITR or TITR
    through Kazakhstan, named as TITR, without a qualifier (a sub-flow such as 'exports').

    'Kazakhstan–China rail' or 'Kazakhstan (all transit)' share the via-Kazakhstan group for
    browsing, but their tonnage is all of that traffic, not the corridor's: 29 Mt of
    Kazakhstan–China rail cargo under a 'Middle Corridor' heading would overstate it.
    """
    return {g.geo for g in geos
            if g.group in HEADLINE_GROUPS and not g.qualifier and CORRIDOR_MARK in g.base}


def scopes(geos: list[Geo]) -> list[Scope]:
    """The scope choices: the four groups, then each port, then everything."""
    by_group: dict[str, list[str]] = {g: [] for g in GROUPS}
    ports: dict[str, list[str]] = {}
    for g in geos:
        by_group[g.group].append(g.geo)
        if g.group == PORTS:
            ports.setdefault(g.base, []).append(g.geo)
    out = [Scope(slug(WHOLE), WHOLE, tuple(sorted(by_group[WHOLE]))),
           Scope(slug(KAZAKHSTAN), KAZAKHSTAN, tuple(sorted(by_group[KAZAKHSTAN]))),
           Scope("ports", "All ports and shipping", tuple(sorted(by_group[PORTS])))]
    for base in sorted(ports):
        out.append(Scope(slug(base), f"Port: {base}", tuple(sorted(ports[base]))))
    out.append(Scope(slug(OTHER), "Other routes and projects", tuple(sorted(by_group[OTHER]))))
    out.append(Scope("all", "All scopes", tuple(sorted(g.geo for g in geos))))
    return out
