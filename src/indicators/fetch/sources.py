"""The rate sources: who publishes what, at which URL, and the requests a date range needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from indicators import codes, settings
from indicators.fetch import parsers
from indicators.fetch.model import BASE, Quote

FRANKFURTER_QUOTES = ("KZT", "KGS", "UZS", "TJS", "TMT")
TMT_PEG = 3.5  # TMT per USD, official since 2015-01-01
RANGE_WINDOW_DAYS = 366  # dates per request for sources that answer a date range
NBKR_USD_VALUTA_ID = 15


@dataclass(frozen=True)
class Request:
    """One GET and the dates whose rates it may answer.

    For a one-date request a quote for another date means "no rate that day"; a range
    request simply may not list some of its dates.
    """

    url: str
    expect: str  # "xml", "json" or "html"
    parse: Callable[[bytes], list[Quote]]
    dates: tuple[date, ...]
    one_date: bool = False
    not_found_means_no_rate: bool = False


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    quotes: tuple[str, ...]  # currencies it prices USD in
    setting: settings.Setting  # its base URL (INDICATORS_URL_*), declared in settings.py
    fetch_pattern: str
    note: str
    fallback: str | None = None  # source that covers for it when it cannot be reached
    kind: str = codes.SOURCE_KIND["official"].code

    @property
    def env_var(self) -> str:
        return self.setting.name

    @property
    def default_url(self) -> str:
        return self.setting.default

    def base_url(self) -> str:
        """The base URL, from the environment variable when set (read on every call)."""
        return self.setting.get().rstrip("/")

    def plan(self, wanted: Iterable[date], *, quotes: tuple[str, ...] | None = None,
             today: date | None = None) -> list[Request]:
        """The requests that fetch `wanted` dates, in date order."""
        days = sorted(set(wanted))
        if not days:
            return []
        return _PLANNERS[self.id](self, days, quotes or self.quotes, today or date.today())


def _per_date(url: Callable[[str, date], str], expect: str,
              parse: Callable[..., list[Quote]], *,
              not_found_means_no_rate: bool = False):
    def plan(source: Source, days: list[date], quotes: tuple[str, ...],
             today: date) -> list[Request]:
        base = source.base_url()
        return [
            Request(url(base, d), expect, lambda body: parse(body, only={BASE}), (d,),
                    one_date=True, not_found_means_no_rate=not_found_means_no_rate)
            for d in days
        ]
    return plan


def _windows(days: list[date]) -> list[tuple[date, ...]]:
    """Split sorted dates into groups spanning at most RANGE_WINDOW_DAYS calendar days."""
    groups: list[list[date]] = []
    for d in days:
        if groups and (d - groups[-1][0]).days < RANGE_WINDOW_DAYS:
            groups[-1].append(d)
        else:
            groups.append([d])
    return [tuple(g) for g in groups]


def _plan_frankfurter(source: Source, days: list[date], quotes: tuple[str, ...],
                      today: date) -> list[Request]:
    base = source.base_url()
    wanted = set(quotes)
    return [
        Request(
            f"{base}/v2/rates?base={BASE}&quotes={','.join(quotes)}"
            f"&from={window[0]:%Y-%m-%d}&to={window[-1]:%Y-%m-%d}",
            "json",
            lambda body: [q for q in parsers.parse_frankfurter(body, only=wanted)
                          if q.base == BASE],
            window,
        )
        for window in _windows(days)
    ]


def _plan_nbkr(source: Source, days: list[date], quotes: tuple[str, ...],
               today: date) -> list[Request]:
    # daily.xml carries only the latest rate (often tomorrow's); history comes from the
    # per-currency HTML page, one request per window.
    base = source.base_url()
    requests = []
    for window in _windows(days):
        first, last = window[0], window[-1]
        url = (f"{base}/index1.jsp?item=1562&lang=ENG&valuta_id={NBKR_USD_VALUTA_ID}"
               f"&beg_day={first:%d}&beg_month={first:%m}&beg_year={first:%Y}"
               f"&end_day={last:%d}&end_month={last:%m}&end_year={last:%Y}")
        requests.append(Request(url, "html", parsers.parse_nbkr_history, window))
    recent = tuple(d for d in days if d >= today - timedelta(days=1))
    if recent:
        requests.append(Request(f"{base}/XML/daily.xml", "xml",
                                lambda body: parsers.parse_nbkr_daily(body, only={BASE}),
                                recent))
    return requests


SOURCES: tuple[Source, ...] = (
    Source(
        id="nbk", name="National Bank of Kazakhstan", quotes=("KZT",),
        setting=settings.URL_NBK,
        fetch_pattern="/rss/get_rates.cfm?fdate=DD.MM.YYYY (one request per date)",
        note="Rates per `quant` units; a weekend answers the last rates or an empty <rates>.",
    ),
    Source(
        id="cbu", name="Central Bank of Uzbekistan", quotes=("UZS",),
        setting=settings.URL_CBU,
        fetch_pattern="/en/arkhiv-kursov-valyut/json/all/YYYY-MM-DD/ (one request per date)",
        note="JSON; Rate and Nominal are strings. Coverage from 1994-07-01.",
    ),
    Source(
        id="nbt", name="National Bank of Tajikistan", quotes=("TJS",),
        setting=settings.URL_NBT,
        fetch_pattern="/en/kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout "
                      "(one request per date)",
        note="A date it has no rates for is answered with today's; the Date attribute is "
             "checked. Attribution to www.nbt.tj required.",
    ),
    Source(
        id="nbkr", name="National Bank of the Kyrgyz Republic", quotes=("KGS",),
        setting=settings.URL_NBKR,
        fetch_pattern="/index1.jsp?item=1562&valuta_id=15&… (history, one request per year) "
                      "and /XML/daily.xml (latest only)",
        note="windows-1251 XML with decimal commas; history from an HTML page.",
    ),
    Source(
        id="cbt", name="Central Bank of Turkmenistan", quotes=("TMT",),
        setting=settings.URL_CBT,
        fetch_pattern="/kurs/YYYY/DDMMYYYY.xml (one request per date)",
        note=f"Often unreachable from abroad; then Frankfurter supplies TMT. Official peg "
             f"{TMT_PEG} TMT per USD since 2015. Archive from 2020-04-17; Sundays answer 404.",
        fallback="frankfurter",
    ),
    Source(
        id="frankfurter", name="Frankfurter v2 (blend of central-bank rates)",
        quotes=FRANKFURTER_QUOTES,
        setting=settings.URL_FRANKFURTER,
        fetch_pattern="/v2/rates?base=USD&quotes=KZT,KGS,UZS,TJS,TMT&from=…&to=… "
                      "(one request per year)",
        note="Open-source aggregate (MIT); fallback and fast backfill.",
        kind=codes.SOURCE_KIND["aggregate"].code,
    ),
)

_PLANNERS = {
    "nbk": _per_date(lambda base, d: f"{base}/rss/get_rates.cfm?fdate={d:%d.%m.%Y}",
                     "xml", parsers.parse_nbk),
    "cbu": _per_date(lambda base, d: f"{base}/en/arkhiv-kursov-valyut/json/all/{d:%Y-%m-%d}/",
                     "json", parsers.parse_cbu),
    "nbt": _per_date(
        lambda base, d: f"{base}/en/kurs/export_xml.php?date={d:%Y-%m-%d}&export=xmlout",
        "xml", parsers.parse_nbt),
    "cbt": _per_date(lambda base, d: f"{base}/kurs/{d:%Y}/{d:%d%m%Y}.xml",
                     "xml", parsers.parse_cbt, not_found_means_no_rate=True),
    "nbkr": _plan_nbkr,
    "frankfurter": _plan_frankfurter,
}

BY_ID = {s.id: s for s in SOURCES}
SOURCE_IDS: tuple[str, ...] = tuple(BY_ID)


@dataclass(frozen=True)
class SourceInfo:
    """What the docs and the dashboard show about a source."""

    id: str
    name: str
    currency: str
    base_url: str
    env_var: str
    default_url: str
    fetch_pattern: str
    note: str
    kind: str


def describe_sources() -> list[SourceInfo]:
    """One entry per source, with the base URL currently in effect."""
    return [
        SourceInfo(s.id, s.name, ", ".join(s.quotes), s.base_url(), s.env_var, s.default_url,
                   s.fetch_pattern, s.note, s.kind)
        for s in SOURCES
    ]
