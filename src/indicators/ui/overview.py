"""Headline cards for the overview: latest rates and Middle Corridor figures, each with its
source, date, a sparkline, and a link into the detailed page with that view selected.

The cards are computed once per data version (and day) and cached; a run only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import (
    charts,
    codes,
    formatting,
    iso4217,
    markup,
    period_notation,
    queries,
    rate_points,
    scopes,
    seed,
    transforms,
)
from indicators.ui import caching, router, widgets

HEADLINE_INDICATORS = ("container_trains", "cargo_tonnage", "container_volume")
SPARK_POINTS = 120
# Beyond this, the previous observation is too old for a headline change.
MAX_DELTA_GAP_DAYS = 31
# A card's source needs a history to draw, not a few spot checks.
SPARK_MIN_POINTS = 12


@dataclass
class Card:
    key: str
    label: str
    value: str
    delta: str | None
    help: str
    lines: list[str]  # markdown lines under the number
    spark: go.Figure | None
    spark_caption: str
    page: str
    link_label: str
    link_params: dict[str, str] = field(default_factory=dict)
    as_of: date | None = None  # the latest value's date, to say when it is old


def _rate_cards() -> list[Card]:
    cov = caching.read(queries.rate_coverage)
    cov = cov[cov["currency"].isin(iso4217.CENTRAL_ASIA)]
    # One source per card: its latest rate is the headline, its history the sparkline and
    # its previous rate the change, so all three are one continuous series.
    head = transforms.pick_headline(cov, codes.SOURCE_KIND.rank, min_points=SPARK_MIN_POINTS)
    series = caching.read(queries.rate_series, currencies=sorted(head["currency"]),
                         sources=sorted(set(head["source"])), max_points=SPARK_POINTS * 5,
                         min_points_per_series=SPARK_POINTS) if not head.empty else None
    cards = []
    for cur in iso4217.CENTRAL_ASIA:
        rows = head[head["currency"] == cur] if not head.empty else head
        if rows.empty:
            continue
        r = rows.iloc[0]
        delta, since = None, ""
        meaning = rate_points.meaning(r["source"], r["last"])
        gap = (pd.Timestamp(r["last"]) - pd.Timestamp(r["previous_date"])).days \
            if pd.notna(r["previous_date"]) else None
        if gap is not None and gap <= MAX_DELTA_GAP_DAYS and r["previous_per_usd"]:
            delta = formatting.percent((r["last_per_usd"] / r["previous_per_usd"] - 1) * 100, 2)
            prev = pd.Timestamp(r["previous_date"])
            since = (f"; change since its {prev:%B %Y} rate" if meaning
                     else f"; change since its rate of {formatting.day(prev)}")
        elif gap is not None:
            # A change over a long gap is not "the latest change"; say why there is none.
            since = f"; previous rate from this source is from {formatting.day(r['previous_date'])}"
        label = formatting.source_label(r["source_title"], r["source_kind"],
                                        r["source_publisher"])
        when = (f"For **{pd.Timestamp(r['last']):%B %Y}**" if meaning
                else f"As of **{formatting.day(r['last'])}**")
        spark, caption = _rate_spark(r, series)
        cards.append(Card(
            cur, f"{cur} per USD", formatting.headline_rate(r["last_per_usd"]), delta,
            f"{iso4217.NAMES.get(cur, cur)}: units for one US dollar. The change is against "
            "the same source's previous rate." + (f" {meaning}." if meaning else ""),
            [f"{when} · {markup.md(label)}{since}"], spark, caption,
            router.CURRENCIES.file, f"{cur} in detail", {"ccy": cur},
            pd.Timestamp(r["last"]).date()))
    return cards


def _rate_spark(src: pd.Series, series: pd.DataFrame | None) -> tuple[go.Figure | None, str]:
    """The headline source's whole history: the same series as the number above it."""
    if series is None:
        return None, ""
    mine = series[(series["currency"] == src["currency"]) & (series["source"] == src["source"])]
    if len(mine) < 2:
        return None, "Too few rates from this source for a line."
    fig = charts.sparkline(mine, x="date", y="per_usd",
                           color=charts.CURRENCY_COLOURS.get(src["currency"], "#1f77b4"),
                           unit=f"{src['currency']} per USD")
    label = formatting.source_label(src["source_title"], src["source_kind"],
                                    src["source_publisher"])
    return fig, (f"Source: {markup.md(label)}, {formatting.day(src['first'])[:4]}–"
                 f"{formatting.day(src['last'])[:4]}")


def _corridor_cards() -> list[Card]:
    geos = caching.read(queries.figure_geos)
    known = scopes.load(seed.seed_dir() / "geos.csv")
    classified = scopes.classify(list(geos["geo"]), known)
    groups = {g.geo: g for g in classified}
    eligible = scopes.headline_geos(classified)
    catalogue = caching.read(queries.indicator_catalogue).set_index("id")
    wanted = [i for i in HEADLINE_INDICATORS if i in catalogue.index]
    if not wanted or not eligible:
        return []
    growth_ids = [f"{i}_yoy" for i in wanted if f"{i}_yoy" in catalogue.index]
    frame = caching.read(queries.figures, indicators=wanted + growth_ids, geos=sorted(eligible))
    cards = []
    for ind in wanted:
        card = _corridor_card(ind, catalogue.loc[ind], frame, eligible, groups)
        if card:
            cards.append(card)
    return cards


def _corridor_card(ind: str, meta: pd.Series, frame: pd.DataFrame, eligible: set[str],
                   groups: dict[str, scopes.Geo]) -> Card | None:
    same = frame[frame["indicator"] == ind]
    head = transforms.headline_figure(same, eligible)
    if head is None:
        return None
    mine = same[same["geo"] == head["geo"]]
    growth = transforms.headline_growth(head, mine, frame[frame["indicator"] == f"{ind}_yoy"])
    published = formatting.day(head.get("source_published"))
    title = formatting.truncate(head["source_title"], 90)
    # A source known only by its site is titled "site, article of <date>": no second date.
    dated = published != "–" and published not in title
    lines = [f"**{markup.md(head['geo'])}**",
             f"**{markup.md(period_notation.label(head['period']))}** · "
             f"{markup.md(title)}" + (f", {published}" if dated else "")]
    length = pd.to_datetime(mine["period_end"]) - pd.to_datetime(mine["period_start"])
    head_len = pd.Timestamp(head["period_end"]) - pd.Timestamp(head["period_start"])
    series = mine[(mine["status"] == "reported")
                  & ((length - head_len).abs() <= pd.Timedelta(days=3))].sort_values(
                      "period_start")
    spark, caption = None, "Only one period of this length for this scope so far."
    if len(series) >= 2:
        spark = charts.sparkline(series, x="period_end", y="value",
                                 unit=formatting.unit_name(head["unit"]), derived="derived",
                                 value_format=lambda v: formatting.quantity(v, head["unit"]))
        titles = list(dict.fromkeys(markup.md(formatting.truncate(t, 60))
                                    for t in series["source_title"]))
        caption = f"Source: {'; '.join(titles)}. {len(series)} periods of the same length."
    scope = groups.get(head["geo"])
    params = {"ind": ind}
    if scope:
        params["scope"] = scopes.slug(scope.group)
    name = markup.md(meta["name"])
    return Card(ind, name, formatting.quantity(head["value"], head["unit"]),
                f"{formatting.percent(growth[0])} {growth[1]}" if growth else None,
                "Latest reported figure of the Middle Corridor itself (the whole TITR route or "
                "its leg through Kazakhstan). "
                + (f"“{markup.md(head['quote'])}”" if markup.md(head["quote"]) else ""),
                lines, spark, caption, router.CORRIDOR.file, f"{name} in detail", params,
                pd.Timestamp(head["period_end"]).date())


def _cards(kind: str) -> list[Card]:
    build = _rate_cards if kind == "rates" else _corridor_cards
    return caching.cached_view(f"overview_{kind}", date.today(), build)


# Cards of one row share a height (the text under the number varies); a longer one scrolls.
CARD_HEIGHT = {"rates": 660, "corridor": 580}


def _draw(cards: list[Card], icon: str, kind: str) -> None:
    cols = st.columns(len(cards))
    today = date.today()
    for col, card in zip(cols, cards, strict=True):
        with col, st.container(border=True, height=CARD_HEIGHT[kind]):
            flat = card.delta is not None and not card.delta.startswith(("+", "-"))
            st.metric(card.label, card.value, delta=card.delta, delta_color="off",
                      delta_arrow="off" if flat else "auto", help=card.help)
            old = formatting.age(card.as_of, today)
            if old:
                st.caption(f":orange[:material/schedule: Latest value {old} "
                           f"(today is {formatting.day(today)}).]")
            for line in card.lines:
                st.caption(line)
            if card.spark is not None:
                widgets.plotly(card.spark, key=f"spark_{card.key}", name=card.key,
                              config={"displayModeBar": False})  # no toolbar over a sparkline
            st.caption(card.spark_caption)
            st.page_link(card.page, label=card.link_label, icon=icon,
                         query_params=card.link_params)


def rate_cards() -> None:
    cards = _cards("rates")
    if not cards:
        st.info("No exchange rates in the store yet.")
        return
    _draw(cards, ":material/show_chart:", "rates")


def corridor_cards() -> None:
    cards = _cards("corridor")
    if not cards:
        st.info("No Middle Corridor figures in the store yet.")
        return
    _draw(cards, ":material/timeline:", "corridor")
