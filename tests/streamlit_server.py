"""A Streamlit server on a free port of 127.0.0.1, and the Chromium that visits it.

Shared by the browser tests (through conftest.py) and the benchmarks (benchmarks/run_all.py,
browser_profile.py, visitor_isolation.py put tests/ on their path, as benchmarks/lake.py
does for pg_cluster.py): one way to start a server, wait for it and stop it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from indicators import settings

ROOT = Path(__file__).resolve().parents[1]

# Headless Chromium as CI runs it (see ../shared/design/lessons-from-peers.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


def chromium() -> str | None:
    """The browser to launch: INDICATORS_CHROMIUM, else Debian's, else Playwright's own."""
    exe = settings.CHROMIUM.get()
    if exe is None and Path("/usr/bin/chromium").exists():
        exe = "/usr/bin/chromium"
    return exe or None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` on a free port of 127.0.0.1, against a given store.

    `script` is relative to `cwd` (default: this project, serving app.py); a `cwd` other
    than this project is another tree (an A/B benchmark), whose src/ comes first on the path.
    """

    def __init__(self, db_path, env: dict[str, str] | None = None, log: Path | None = None,
                 *, script: str = "app.py", cwd: Path = ROOT, timeout: float = 90):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cwd = Path(cwd)
        full_env = {**os.environ, settings.DB.name: str(db_path),
                    **({"PYTHONPATH": str(cwd / "src")} if cwd != ROOT else {}), **(env or {})}
        self.log = log or Path(db_path).with_suffix(".server.log")
        self._log_file = open(self.log, "w")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script,
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=cwd, env=full_env, stdout=self._log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log_file.close()
