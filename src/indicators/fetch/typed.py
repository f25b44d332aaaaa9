"""Fetching a URL that a person typed: public addresses only, pinned, capped and on a deadline.

A typed URL is untrusted: it may name the server itself, the office network or a cloud
metadata address, directly or through a redirect. So only http(s) is fetched; the host
is resolved and refused if any of its addresses is not public; every redirect is checked
again; the connection dials the very address that was checked (Host header and TLS name
stay the host's); the body is streamed up to a byte cap; and a watchdog closes the socket
when the total deadline passes, however slowly the server dribbles. Errors name the
problem in plain words and never echo internal addresses or library exception text.

Hosts listed in $INDICATORS_FETCH_ALLOW_HOSTS (`host` or `host:port`, comma-separated)
are exempt from the address check (a local mirror, the tests). The central banks'
sources are configured by the operator and do not come through here.
"""

from __future__ import annotations

import contextlib
import http
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from indicators import settings
from indicators.fetch.errors import FetchError
from indicators.fetch.http import make_session

MAX_BYTES = 5 * 1024 * 1024
DEADLINE = 20.0  # seconds for the whole fetch, redirects included
CONNECT_TIMEOUT = 5.0
MAX_REDIRECTS = 5
SOURCE = "article"

Resolver = Callable[[str, int], list[str]]
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def allowed_hosts() -> set[str]:
    """$INDICATORS_FETCH_ALLOW_HOSTS as lower-case `host` and `host:port` entries."""
    raw = settings.FETCH_ALLOW_HOSTS.get()
    return {entry.strip().lower() for entry in raw.split(",") if entry.strip()}


def _is_allowed(host: str, port: int, allowed: set[str]) -> bool:
    host = host.lower()
    shown = f"[{host}]" if ":" in host else host
    return bool({host, shown, f"{host}:{port}", f"{shown}:{port}"} & allowed)


def address_problem(address: str) -> str | None:
    """Why an address must not be fetched ("a loopback address"), or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return address_problem(str(mapped))
        if ip.teredo is not None:
            return address_problem(str(ip.teredo[1]))
        if ip in _NAT64:  # 64:ff9b::a.b.c.d reaches a.b.c.d through a NAT64 gateway
            return address_problem(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    for kind, flag in (("an unspecified", ip.is_unspecified), ("a loopback", ip.is_loopback),
                       ("a link-local", ip.is_link_local), ("a multicast", ip.is_multicast),
                       ("a private", ip.is_private), ("a reserved", ip.is_reserved)):
        if flag:
            return f"{kind} address"
    if not ip.is_global:
        return "a non-public address"
    return None


@dataclass(frozen=True)
class Page:
    """A fetched page: its body (at most the byte cap), its content type and final URL."""

    url: str
    body: bytes
    content_type: str


# ---------------------------------------------------------------- pinned, watched connections

_WATCH = threading.local()


class _Watchdog:
    """Shuts every socket of one fetch down when its deadline passes, unblocking any read."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        _WATCH.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _WATCH.current = None


def _watched(sock: socket.socket) -> socket.socket:
    watchdog = getattr(_WATCH, "current", None)
    if watchdog is not None:
        watchdog.track(sock)
    return sock


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """Dials the vetted address of each (host, port), keeping the Host header and TLS name.

    A request to a host that was not vetted is refused before any connection is made.
    """

    def __init__(self) -> None:
        self.pins: dict[tuple[str, int], str] = {}
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        host = (host_params["host"] or "").lower()
        port = host_params["port"] or (443 if host_params["scheme"] == "https" else 80)
        address = self.pins.get((host, port))
        if address is None:
            raise requests.exceptions.InvalidURL("host was not checked before connecting")
        host_params["host"] = address
        host_params["port"] = port
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = host
            pool_kwargs["assert_hostname"] = host
        return host_params, pool_kwargs

    def send(self, request, *args, **kwargs):
        parts = urlsplit(request.url)
        request.headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        return super().send(request, *args, **kwargs)


# ---------------------------------------------------------------- the fetch


def fetch_page(url: str, *, max_bytes: int = MAX_BYTES, deadline: float = DEADLINE,
               resolver: Resolver = resolve, accept: Callable[[str], str | None] | None = None,
               ) -> Page:
    """GET a typed URL under the rules above, or raise FetchError with a plain problem.

    `accept(content_type)` may refuse a response by returning a problem before its body is
    read.
    """
    url = url.strip()
    session = make_session(retries=0, timeout=(CONNECT_TIMEOUT, deadline))
    session.trust_env = False  # a proxy from the environment would bypass the pinning
    adapter = PinnedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    allowed = allowed_hosts()
    current = url
    try:
        with _Watchdog(deadline) as watchdog:
            for hop in range(MAX_REDIRECTS + 1):
                host, port = _vet(current, url, allowed, resolver, adapter,
                                  redirected=hop > 0, remaining=watchdog.remaining())
                remaining = watchdog.remaining()
                if remaining <= 0:
                    raise FetchError(SOURCE, url, _too_slow(deadline))
                try:
                    response = session.get(
                        current, allow_redirects=False, stream=True,
                        timeout=(min(CONNECT_TIMEOUT, remaining), remaining))
                except requests.RequestException as exc:
                    raise FetchError(SOURCE, url, _describe(exc, watchdog, deadline),
                                     status=_status(exc)) from None
                with response:
                    if response.is_redirect:
                        location = response.headers.get("Location", "")
                        current = urljoin(current, location)
                        continue
                    content_type = response.headers.get("Content-Type", "")
                    problem = accept(content_type) if accept else None
                    if problem:
                        raise FetchError(SOURCE, url, problem)
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(SOURCE, url, _too_large(max_bytes))
                    body = _read_capped(response, url, max_bytes, watchdog, deadline)
                    return Page(url=current, body=body, content_type=content_type)
            raise FetchError(SOURCE, url, f"too many redirects (more than {MAX_REDIRECTS})")
    finally:
        session.close()


def _resolve_within(resolver: Resolver, host: str, port: int, seconds: float) -> list[str]:
    """The resolver's answer, or [] when it fails or takes longer than `seconds`."""
    answer: list[list[str]] = []

    def ask() -> None:
        with contextlib.suppress(OSError, UnicodeError, ValueError):
            answer.append(resolver(host, port))

    worker = threading.Thread(target=ask, daemon=True)  # getaddrinfo cannot be interrupted
    worker.start()
    worker.join(max(0.0, seconds))
    return answer[0] if answer else []


def _vet(current: str, typed: str, allowed: set[str], resolver: Resolver,
         adapter: PinnedAdapter, *, redirected: bool, remaining: float) -> tuple[str, int]:
    """Check one URL of the chain and pin its host to a checked address."""
    what = "the page redirects to" if redirected else "the address is"
    try:
        parts = urlsplit(current)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(SOURCE, typed, f"{what} not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(SOURCE, typed, f"{what} not an http or https URL; only those "
                                        "are fetched")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError(SOURCE, typed, f"{what} a URL without a host name")
    addresses = _resolve_within(resolver, host, port, remaining)
    if not addresses:
        raise FetchError(SOURCE, typed, "the host name could not be resolved"
                         + (" (after a redirect)" if redirected else ""))
    if not _is_allowed(host, port, allowed):
        for address in addresses:
            problem = address_problem(address)
            if problem:
                where = "the page redirects to a host at" if redirected else \
                    "the host resolves to"
                raise FetchError(SOURCE, typed, f"{where} {problem}, which is never fetched")
    adapter.pins[(host, port)] = addresses[0]
    return host, port


def _read_capped(response: requests.Response, typed: str, max_bytes: int,
                 watchdog: _Watchdog, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(SOURCE, typed, _too_large(max_bytes))
            chunks.append(chunk)
            if watchdog.fired:
                raise FetchError(SOURCE, typed, _too_slow(deadline))
    except requests.RequestException as exc:
        raise FetchError(SOURCE, typed, _describe(exc, watchdog, deadline)) from None
    if watchdog.fired:
        raise FetchError(SOURCE, typed, _too_slow(deadline))
    return b"".join(chunks)


def _too_large(max_bytes: int) -> str:
    return f"the page is larger than the {max_bytes / 1024 / 1024:g} MB limit"


def _too_slow(deadline: float) -> str:
    return f"the server did not deliver the page within {deadline:g} s"


def _status(exc: requests.RequestException) -> int | None:
    response = getattr(exc, "response", None)
    return response.status_code if response is not None else None


def _describe(exc: requests.RequestException, watchdog: _Watchdog, deadline: float) -> str:
    """A plain problem for a failed request; never the address or the library's text."""
    if watchdog.fired:
        return _too_slow(deadline)
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        code = exc.response.status_code
        try:
            phrase = http.HTTPStatus(code).phrase
        except ValueError:
            phrase = ""
        return f"the server answered HTTP {code}" + (f" ({phrase})" if phrase else "")
    if isinstance(exc, requests.exceptions.SSLError):
        return "could not make a secure connection (the certificate was not accepted)"
    if isinstance(exc, requests.ConnectTimeout):
        return "could not connect (no answer in time)"
    if isinstance(exc, requests.ReadTimeout):
        return "the server stopped answering"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection closed before the page was complete"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect"
    if isinstance(exc, requests.exceptions.InvalidURL):
        return "the address is not a valid URL"
    return "the request failed"
