"""The one HTTP session factory, and the checked GET every fetcher goes through."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3

from indicators import settings
from indicators.fetch.errors import FetchError


def user_agent() -> str:
    """Our User-Agent, with the operator's contact (INDICATORS_CONTACT) when one is set."""
    contact = settings.CONTACT.get()
    return ("indicators/0.1 (Central Asian connectivity dashboard; open-source rate fetcher"
            + (f"; contact {contact}" if contact else "") + ")")


CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
RETRIES = 3
BACKOFF = 1.0  # seconds; doubles on every retry
MAX_WAIT = 120.0  # a Retry-After longer than this is not waited for
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Sleep = Callable[[float], None]
E = TypeVar("E", bound=BaseException)

MEDIA_TYPES = {
    "xml": ("text/xml", "application/xml"),
    "json": ("application/json",),
    "html": ("text/html",),
}
# Types some servers use for anything; accepted when the body itself looks right.
VAGUE_MEDIA_TYPES = ("", "text/plain", "text/html", "application/octet-stream")
LABELS = {"xml": "XML", "json": "JSON", "html": "an HTML page"}

_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def pause(seconds: float) -> None:
    """time.sleep, looked up on every call so that tests patching time.sleep take effect."""
    time.sleep(seconds)


class RetryingSession(requests.Session):
    """A Session with a default timeout, a User-Agent, retries with backoff and raise_for_status.

    Retries cover connection errors, timeouts, truncated bodies and the statuses in
    RETRY_STATUSES; a Retry-After header sets the wait. Exceptions raised after the last
    attempt carry an `attempts` attribute.
    """

    def __init__(
        self,
        *,
        timeout: tuple[float, float],
        retries: int,
        backoff: float,
        max_wait: float,
        sleep: Sleep,
    ):
        super().__init__()
        self.headers["User-Agent"] = user_agent()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        attempt = 1
        while True:
            try:
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                if attempt > self.retries:
                    exc.attempts = attempt
                    raise
                delay = self.backoff * 2 ** (attempt - 1)
            else:
                delay = self._retry_delay(response, attempt)
                if delay is None:
                    try:
                        response.raise_for_status()
                    except requests.HTTPError as exc:
                        exc.attempts = attempt
                        raise
                    return response
                response.close()
            self.sleep(delay)
            attempt += 1

    def _retry_delay(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when this response is final."""
        if response.status_code not in RETRY_STATUSES or attempt > self.retries:
            return None
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            return self.backoff * 2 ** (attempt - 1)
        return wait if wait <= self.max_wait else None


def make_session(
    *,
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    retries: int = RETRIES,
    backoff: float = BACKOFF,
    max_wait: float = MAX_WAIT,
    sleep: Sleep = pause,
) -> RetryingSession:
    """The session every fetcher uses; every wait between attempts goes through `sleep`."""
    return RetryingSession(timeout=timeout, retries=retries, backoff=backoff,
                           max_wait=max_wait, sleep=sleep)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@dataclass(frozen=True)
class Fetched:
    """A checked response body and where and when it came from."""

    url: str
    body: bytes
    fetched_at: datetime


def get(session: requests.Session, url: str, *, source: str, expect: str) -> Fetched:
    """GET `url` and return its body, or raise FetchError saying what went wrong.

    `expect` is "xml", "json" or "html": the body must look like it and the Content-Type
    must fit it (an HTML error page served with status 200 is refused).
    """
    try:
        response = session.get(url)
    except requests.RequestException as exc:
        raise FetchError(source, url, describe_failure(exc, session),
                         status=_status(exc)) from exc
    fetched_at = datetime.now(UTC)
    body = response.content
    check_body(body, response.headers.get("Content-Type", ""), source=source, url=url,
               expect=expect)
    return Fetched(url=url, body=body, fetched_at=fetched_at)


def check_body(body: bytes, content_type: str, *, source: str, url: str, expect: str) -> None:
    """Refuse HTML pages where data was expected, and content types that cannot be it."""
    label = LABELS[expect]
    media_type = content_type.split(";", 1)[0].strip().lower()
    if expect != "html" and _HTML_START.match(body[:4096]):
        title = _TITLE.search(body[:8192])
        shown = f" titled {_clip(title.group(1))!r}" if title else ""
        raise FetchError(source, url, f"expected {label} but got an HTML page{shown} "
                                      "(an error or block page served with status 200?)")
    if media_type in MEDIA_TYPES[expect] or media_type.endswith(f"+{expect}"):
        return
    if media_type in VAGUE_MEDIA_TYPES and _looks_like(body, expect):
        return
    raise FetchError(source, url, f"expected {label} but the server sent content type "
                                  f"{content_type or '(none)'!r}")


def _looks_like(body: bytes, expect: str) -> bool:
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not start:
        return True  # an empty body is judged by the parser, not here
    return {"xml": start == b"<", "json": start in (b"[", b"{"), "html": start == b"<"}[expect]


def _clip(raw: bytes, limit: int = 80) -> str:
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status(exc: requests.RequestException) -> int | None:
    response = getattr(exc, "response", None)
    return response.status_code if response is not None else None


def describe_failure(exc: requests.RequestException, session: requests.Session) -> str:
    """A plain sentence for a failed request, including how often it was tried."""
    attempts = getattr(exc, "attempts", 1)
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    connect, read = getattr(session, "timeout", (None, None))
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        response = exc.response
        text = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            wait = retry_after_seconds(retry_after)
            max_wait = getattr(session, "max_wait", None)
            if wait is not None and max_wait is not None and wait > max_wait:
                text += (f" (the server asked to wait {wait:g} s, longer than the "
                         f"{max_wait:g} s this fetcher waits)")
            else:
                text += f" (Retry-After: {retry_after})"
        return text + tries
    if isinstance(exc, requests.ConnectTimeout):
        return f"no connection within {connect:g} s (connect timeout){tries}"
    if isinstance(exc, requests.ReadTimeout):
        return f"no answer within {read:g} s (read timeout){tries}"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        short = _find(exc, urllib3.exceptions.IncompleteRead)
        if short is not None and isinstance(short.partial, int) and short.expected:
            return (f"body truncated: the connection closed after {short.partial} of "
                    f"{short.partial + short.expected} bytes{tries}")
        return f"body truncated: the connection closed early ({_innermost(exc)}){tries}"
    if isinstance(exc, requests.ConnectionError):
        if _find(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
            return f"unreachable (connection refused){tries}"
        unresolved = _find(exc, urllib3.exceptions.NameResolutionError)
        if unresolved is not None:
            host = urlsplit(exc.request.url).hostname if exc.request else "the host"
            return f"unreachable (cannot resolve host name {host}){tries}"
        return f"unreachable ({_innermost(exc)}){tries}"
    return f"request failed ({_innermost(exc)}){tries}"


def _find(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of `kind` in exc's causes, contexts, args and reasons."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return current
        stack += [e for e in (current.__cause__, current.__context__) if e is not None]
        stack += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None


def _innermost(exc: BaseException) -> str:
    """The most specific message in an exception chain, without urllib3's object reprs."""
    current: BaseException = exc
    for _ in range(10):
        nested = next((a for a in getattr(current, "args", ()) if isinstance(a, BaseException)),
                      None) or getattr(current, "reason", None)
        if not isinstance(nested, BaseException):
            break
        current = nested
    text = str(current)
    text = re.sub(r"<urllib3\.[^>]*>:?\s*", "", text)
    return _clip(text.encode(), 160) or type(current).__name__
