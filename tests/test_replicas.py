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
from datetime import date
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
import os, sys, time
from datetime import date
from indicators import store
target, stop, folder, size, writer = sys.argv[1:4] + [int(x) for x in sys.argv[4:6]]
n, end = 0, time.monotonic() + 300
while not os.path.exists(stop) and time.monotonic() < end:
    batch = 1 + 2 * n + writer  # writer 0 writes the odd batches, writer 1 the even ones
    path = os.path.join(folder, f"w{batch}.csv")
    with open(path, "w") as fh:
        fh.write("date,base,quote,rate,source\n")
        for k in range(size):
            day = date.fromordinal(700_000 + batch * size + k).isoformat()
            fh.write(f"{day},USD,KZT,{400 + batch},whole\n")
    result = store.load_path(target, path, actor="writer")  # one batch, one transaction
    assert result.ok and result.batch is not None, result.problems[:3]
    n += 1
print(n)
"""
WHOLE = re.compile(r"([\d,]+) rates? for")


def _shown_count(view) -> int:
    view.reload()
    wait_for_app(view, 90_000)
    text = view.get_by_text(WHOLE).first.inner_text(timeout=90_000)
    return int(WHOLE.search(text).group(1).replace(",", ""))


def test_replicas_read_during_multi_row_batches_and_show_only_whole_ones(
        replicas, browser, lake_path, tmp_path):
    """Three `streamlit run` replicas serve the Sources page of source `whole` ("N rates
    for KZT …", counted by the page's own cached query) while two other processes write
    batches of SIZE rows each, back to back, until every replica has been read twice
    during the writes. Every count any replica shows is a whole number of batches.
    """
    size = 1000
    first = tmp_path / "b0.csv"
    first.write_text("date,base,quote,rate,source\n" + "".join(
        f"{date.fromordinal(700_000 + k).isoformat()},USD,KZT,400,whole\n"
        for k in range(size)))
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
    stop = tmp_path / "stop"
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, lake_path, str(stop),
                                 str(tmp_path), str(size), str(w)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for w in range(2)]
    seen: list[tuple[int, int, bool]] = []  # (replica, count, read while writers ran)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and any(w.poll() is None for w in writers):
            for i, view in enumerate(views):
                count = _shown_count(view)
                seen.append((i, count, all(w.poll() is None for w in writers)))
            if all(sum(1 for r, _c, d in seen if r == i and d) >= 2 for i in range(3)):
                break
    finally:
        stop.touch()
        outs = [w.communicate(timeout=300) for w in writers]
    assert all(w.returncode == 0 for w in writers), [err[-2000:] for _out, err in outs]
    final = size * (1 + sum(int(out.split()[-1]) for out, _err in outs))
    for i, view in enumerate(views):
        seen.append((i, _shown_count(view), False))
    print("(replica, count shown, read while writing):", seen)  # shown with -s
    assert all(c % size == 0 and size <= c <= final for _i, c, _d in seen), seen
    assert [c for _i, c, _d in seen[-3:]] == [final] * 3, seen
    # Each replica was read at least twice while both writers were still writing.
    assert all(sum(1 for r, _c, d in seen if r == i and d) >= 2 for i in range(3)), seen
    for server in replicas:
        assert "Traceback" not in server.log.read_text()
