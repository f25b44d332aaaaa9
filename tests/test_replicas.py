"""Three dashboard replicas on one lake, behind Debian's nginx: a CLI import shows on each.

nginx listens on 127.0.0.1 only, with sticky sessions (ip_hash) and WebSockets forwarded,
as docs/deploy.md sets it up; the browser loads every page through it. Each replica is
then reloaded directly after a CLI import in another process, and must show the new rate
without a restart (its caches are keyed by the lake's snapshot id).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import StreamlitServer, free_port, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                  else None)
PAGES = ("/", "/currencies", "/corridor", "/sources", "/refresh", "/upload", "/articles")


def nginx_conf(folder: Path, port: int, upstreams: list[int]) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in upstreams)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
  access_log {folder / 'access.log'};
{temp}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  upstream dashboard {{
    ip_hash;
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://dashboard;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 86400;
    }}
  }}
}}
"""


@pytest.fixture
def replicas(lake_path, tmp_path):
    servers = [StreamlitServer(lake_path, log=tmp_path / f"replica{i}.log") for i in range(3)]
    yield servers
    for s in servers:
        s.stop()


@pytest.fixture
def proxy(replicas, tmp_path):
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; scripts/test installs it (apt-get install nginx)")
        pytest.skip("nginx is not installed here (scripts/test installs it as root)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, port, [s.port for s in replicas]))
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"nginx did not start: {proc.stdout.read()!r}") from None
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", folder
    proc.terminate()
    proc.wait(10)


def kzt_card(page) -> str:
    return page.locator('[data-testid="stMetric"]', has_text="KZT per USD").first.inner_text()


def test_pages_load_through_nginx_and_a_cli_import_shows_on_every_replica(
        replicas, proxy, browser, lake_path, tmp_path):
    url, folder = proxy
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    for path in PAGES:
        page.goto(url + path)
        wait_for_app(page, 90_000)
        assert page.locator('[data-testid="stException"]').count() == 0, path
    screenshot(page, "replicas-through-nginx")
    access = (folder / "access.log").read_text()
    assert '"GET /_stcore/stream HTTP/1.1" 101' in access  # the WebSocket went through

    views = []
    for server in replicas:
        view = browser.new_page(viewport={"width": 1400, "height": 1600})
        view.goto(server.url + "/")
        wait_for_app(view, 90_000)
        assert "987" not in kzt_card(view)
        views.append(view)

    f = tmp_path / "new.csv"
    f.write_text("date,base,quote,rate,source\n2030-01-01,USD,KZT,987.65,nbk\n")
    done = subprocess.run([sys.executable, "-m", "indicators.cli", "import", str(f), "--db",
                           lake_path], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    for view in views:
        view.reload()
        wait_for_app(view, 90_000)
        assert "987" in kzt_card(view)
    page.goto(url + "/")
    wait_for_app(page, 90_000)
    assert "987" in kzt_card(page)
    for server in replicas:
        assert "Traceback" not in server.log.read_text()


_WRITER = r"""
import sys
from indicators import store
target, files = sys.argv[1], sys.argv[2:]
for f in files:  # one batch per file, each its own transaction
    result = store.load_path(target, f, actor="writer")
    assert result.ok and result.batch is not None, result.problems[:3]
"""
WHOLE = re.compile(r"([\d,]+) rates? for")


def _whole_batch(path: Path, batch: int, size: int) -> Path:
    """`size` new rates of source `whole`, all of one batch; batches never share a key."""
    from datetime import date

    lines = ["date,base,quote,rate,source"]
    lines += [f"{date.fromordinal(700_000 + batch * size + k).isoformat()},USD,KZT,"
              f"{400 + batch},whole" for k in range(size)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _shown_count(view) -> int:
    view.reload()
    wait_for_app(view, 90_000)
    text = view.get_by_text(WHOLE).first.inner_text(timeout=90_000)
    return int(WHOLE.search(text).group(1).replace(",", ""))


def test_replicas_read_during_multi_row_batches_and_show_only_whole_ones(
        replicas, browser, lake_path, tmp_path):
    """Three `streamlit run` replicas serve the Sources page of source `whole` ("N rates
    for KZT …", counted by the page's own cached query) while two other processes write
    batches of SIZE rows each. Every count any replica shows is a whole number of batches.
    """
    size, per_writer = 1000, 3
    first = _whole_batch(tmp_path / "b0.csv", 0, size)
    done = subprocess.run([sys.executable, "-m", "indicators.cli", "import", str(first),
                           "--db", lake_path], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    views = []
    for server in replicas:
        view = browser.new_page(viewport={"width": 1400, "height": 1600})
        view.goto(server.url + "/sources?source=whole")
        wait_for_app(view, 90_000)
        views.append(view)
        assert _shown_count(view) == size
    writers = [subprocess.Popen(
        [sys.executable, "-c", _WRITER, lake_path,
         *(str(_whole_batch(tmp_path / f"b{b}.csv", b, size))
           for b in range(1 + w * per_writer, 1 + (w + 1) * per_writer))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(2)]
    final = size * (1 + 2 * per_writer)
    seen: list[tuple[int, int, bool]] = []  # (replica, count, read while writers ran)
    deadline = time.monotonic() + 300
    try:
        while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
            for i, view in enumerate(views):
                count = _shown_count(view)
                seen.append((i, count, any(w.poll() is None for w in writers)))
    finally:
        outs = [w.communicate(timeout=300) for w in writers]
    assert all(w.returncode == 0 for w in writers), [err[-2000:] for _out, err in outs]
    for i, view in enumerate(views):
        seen.append((i, _shown_count(view), False))
    print("(replica, count shown, read while writing):", seen)  # shown with -s
    counts = sorted({c for _i, c, _during in seen})
    assert all(c % size == 0 and size <= c <= final for c in counts), seen
    assert [c for i, c, _d in seen[-3:]] == [final] * 3, seen
    # The replicas did read while the batches were being written, each of them.
    assert {i for i, _c, during in seen if during} == {0, 1, 2}, seen
    for server in replicas:
        assert "Traceback" not in server.log.read_text()
