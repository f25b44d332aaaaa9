"""Typed URLs: public addresses only, redirects re-checked, the checked address dialled, byte cap
and total deadline, plain error messages. Every server here is a local 127.0.0.1 one."""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from conftest_fetch import closed_port_url, local_http_server
from werkzeug import Response

from indicators import settings
from indicators.fetch import typed
from indicators.fetch.errors import FetchError

PAGE = b"<html><body><p>125 container trains.</p></body></html>"


@pytest.fixture
def server():
    with local_http_server() as s:
        yield s


def allow(monkeypatch, *entries: str) -> None:
    monkeypatch.setenv(settings.FETCH_ALLOW_HOSTS.name, ",".join(entries))


def host_port(server) -> str:
    return f"127.0.0.1:{server.port}"


def refused(url: str, **kwargs) -> str:
    with pytest.raises(FetchError) as info:
        typed.fetch_page(url, **kwargs)
    return info.value.problem


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.5.6.7", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::1",
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
])
def test_non_public_addresses_are_named_and_refused(address):
    assert typed.address_problem(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert typed.address_problem(address) is None


def test_loopback_url_is_refused_and_no_request_is_made(server, monkeypatch):
    monkeypatch.delenv(settings.FETCH_ALLOW_HOSTS.name, raising=False)
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    problem = refused(server.url_for("/a"))
    assert "loopback address" in problem and "never fetched" in problem
    assert server.log == []


def test_a_host_with_any_private_address_is_refused_before_connecting():
    def resolver(host, port):
        return ["93.184.216.34", "10.0.0.7"]
    problem = refused("http://news.test/article", resolver=resolver)
    assert problem == "the host resolves to a private address, which is never fetched"
    assert "10.0.0.7" not in problem


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://h/",
                                 "javascript:alert(1)", "http:///nohost"])
def test_only_http_and_https_urls_with_a_host_are_fetched(url):
    problem = refused(url)
    assert "http or https" in problem or "without a host" in problem


def test_an_allow_listed_host_and_port_is_fetched(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    page = typed.fetch_page(server.url_for("/a"))
    assert page.body == PAGE and page.content_type.startswith("text/html")


def test_an_allow_list_entry_for_another_port_does_not_exempt(server, monkeypatch):
    allow(monkeypatch, "127.0.0.1:1")
    server.expect_request("/a").respond_with_data(PAGE)
    assert "loopback" in refused(server.url_for("/a"))
    assert server.log == []


def test_the_connection_goes_to_the_checked_address_with_the_host_header_kept(server,
                                                                               monkeypatch):
    # "article.test" does not resolve anywhere: only the pinned address can be reached.
    allow(monkeypatch, "article.test")
    seen = []
    server.expect_request("/a").respond_with_handler(
        lambda request: seen.append(request.headers["Host"]) or Response(PAGE))
    page = typed.fetch_page(f"http://article.test:{server.port}/a",
                            resolver=lambda host, port: ["127.0.0.1"])
    assert page.body == PAGE
    assert seen == [f"article.test:{server.port}"]


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/",
                                    "http://[::ffff:192.168.0.1]/", "file:///etc/passwd"])
def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch, target):
    allow(monkeypatch, host_port(server))
    server.expect_request("/start").respond_with_data("", status=302,
                                                      headers={"Location": target})
    problem = refused(server.url_for("/start"))
    assert problem.startswith("the page redirects to")
    assert urlsplit(target).hostname is None or urlsplit(target).hostname not in problem
    assert len(server.log) == 1  # the redirecting page only; the target was never requested


def test_a_redirect_to_another_local_port_is_refused(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    with local_http_server() as internal:
        internal.expect_request("/secret").respond_with_data("<title>Internal</title>")
        server.expect_request("/start").respond_with_data(
            "", status=301, headers={"Location": internal.url_for("/secret")})
        problem = refused(server.url_for("/start"))
        assert problem == ("the page redirects to a host at a loopback address, which is "
                           "never fetched")
        assert internal.log == []


def test_redirects_within_allowed_hosts_are_followed_and_counted(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/one").respond_with_data("", status=302, headers={"Location": "/two"})
    server.expect_request("/two").respond_with_data(PAGE, content_type="text/html")
    assert typed.fetch_page(server.url_for("/one")).body == PAGE
    server.clear()
    server.expect_request("/loop").respond_with_data("", status=302,
                                                     headers={"Location": "/loop"})
    assert "too many redirects" in refused(server.url_for("/loop"))


def _endless(chunk: bytes, pause: float = 0.0, total: int = 1 << 30):
    def handler(request):
        def body():
            sent = 0
            while sent < total:
                yield chunk
                sent += len(chunk)
                if pause:
                    time.sleep(pause)
        return Response(body(), content_type="text/html")
    return handler


def test_a_1_gb_response_is_cut_at_the_cap_with_bounded_memory(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/huge").respond_with_handler(_endless(b"x" * 65536))
    tracemalloc.start()
    started = time.monotonic()
    try:
        problem = refused(server.url_for("/huge"), max_bytes=5 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem == "the page is larger than the 5 MB limit"
    assert peak < 20 * 1024 * 1024, peak
    assert time.monotonic() - started < 10


def test_a_declared_length_over_the_cap_is_refused_before_reading(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/big").respond_with_data(b"x" * 2_000_000, content_type="text/html")
    assert refused(server.url_for("/big"), max_bytes=1024 * 1024) == \
        "the page is larger than the 1 MB limit"


def test_a_slowly_dribbling_body_is_cut_by_the_total_deadline(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/slow").respond_with_handler(_endless(b"<p>x</p>", pause=0.05))
    started = time.monotonic()
    problem = refused(server.url_for("/slow"), deadline=1.5)
    elapsed = time.monotonic() - started
    assert problem == "the server did not deliver the page within 1.5 s"
    assert elapsed < 3.0, elapsed


@contextmanager
def dribbling_headers_server():
    """A raw server that sends its status line and then one header byte every 0.1 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not stop.is_set():
                    conn.sendall(b"a")
                    time.sleep(0.1)
            except OSError:
                pass
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


def test_slowly_dribbled_headers_are_cut_by_the_total_deadline(monkeypatch):
    with dribbling_headers_server() as port:
        allow(monkeypatch, f"127.0.0.1:{port}")
        started = time.monotonic()
        problem = refused(f"http://127.0.0.1:{port}/", deadline=1.5)
        elapsed = time.monotonic() - started
    assert problem == "the server did not deliver the page within 1.5 s"
    assert elapsed < 3.0, elapsed


def test_fetch_errors_name_the_problem_without_addresses_or_library_text(monkeypatch):
    base = closed_port_url()
    port = urlsplit(base).port
    allow(monkeypatch, f"127.0.0.1:{port}")
    problem = refused(base + "/x")
    assert problem == "could not connect"
    with pytest.raises(FetchError) as info:
        typed.fetch_page(base + "/x")
    assert str(port) not in info.value.problem
    assert "Errno" not in str(info.value) and "refused" not in str(info.value).lower()


def test_an_http_error_names_the_status(server, monkeypatch):
    allow(monkeypatch, host_port(server))
    server.expect_request("/gone").respond_with_data("internal detail", status=404)
    assert refused(server.url_for("/gone")) == "the server answered HTTP 404 (Not Found)"


def test_an_unresolvable_host_is_named_as_such():
    def resolver(host, port):
        raise socket.gaierror("Name or service not known")
    assert refused("http://nowhere.test/", resolver=resolver) == \
        "the host name could not be resolved"


def test_a_slow_name_lookup_counts_against_the_deadline():
    def resolver(host, port):
        time.sleep(5)
        return ["93.184.216.34"]
    started = time.monotonic()
    assert refused("http://slow-dns.test/", resolver=resolver, deadline=0.5) == \
        "the host name could not be resolved"
    assert time.monotonic() - started < 2


def test_https_connections_dial_the_checked_address_and_verify_the_host_name():
    import requests

    adapter = typed.PinnedAdapter()
    adapter.pins[("news.test", 443)] = "93.184.216.34"
    request = requests.Request("GET", "https://news.test/a").prepare()
    host_params, pool_kwargs = adapter.build_connection_pool_key_attributes(request, True)
    assert (host_params["host"], host_params["port"]) == ("93.184.216.34", 443)
    assert pool_kwargs["server_hostname"] == pool_kwargs["assert_hostname"] == "news.test"
    unpinned = requests.Request("GET", "https://other.test/a").prepare()
    with pytest.raises(requests.exceptions.InvalidURL):
        adapter.build_connection_pool_key_attributes(unpinned, True)
