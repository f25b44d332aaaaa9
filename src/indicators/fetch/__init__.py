"""Live exchange rates from the Central Asian central banks and Frankfurter, over HTTP."""

from indicators.fetch.errors import FetchError, ParseError
from indicators.fetch.http import make_session, user_agent
from indicators.fetch.memory import MemorySink
from indicators.fetch.model import HeldRate, MissingDate, Quote, RateRow, RateSink
from indicators.fetch.refresh import RefreshReport, SourceReport, default_range, refresh
from indicators.fetch.sources import SOURCE_IDS, SourceInfo, describe_sources

__all__ = [
    "SOURCE_IDS",
    "FetchError",
    "HeldRate",
    "MemorySink",
    "MissingDate",
    "ParseError",
    "Quote",
    "RateRow",
    "RateSink",
    "RefreshReport",
    "SourceInfo",
    "SourceReport",
    "default_range",
    "describe_sources",
    "make_session",
    "user_agent",
    "refresh",
]
