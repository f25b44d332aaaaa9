"""scripts/run: the token is printed before the first visit, the server listens on 127.0.0.1
unless INDICATORS_ADDRESS says otherwise; .streamlit/config.toml hides developer chrome and
error details from visitors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

from indicators import auth, settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The project's files linked into a folder whose pyproject.toml and constraints.txt are
    older than the test venv's install stamp, so scripts/run serves from this venv as it
    is instead of installing into it."""
    if not (Path(sys.prefix) / ".installed").exists():
        if os.environ.get("CI"):
            pytest.fail("CI runs the tests through scripts/test, whose venv has the stamp")
        pytest.skip("the test venv was not made by scripts/test (no install stamp)")
    root = tmp_path / "project"
    root.mkdir()
    for name in ("app.py", "pages", "src", "scripts", "static", ".streamlit", "data"):
        if (ROOT / name).exists():
            (root / name).symlink_to(ROOT / name)
    for name in ("pyproject.toml", "constraints.txt"):
        (root / name).write_bytes((ROOT / name).read_bytes())
        os.utime(root / name, (0, 0))
    return root


@pytest.fixture
def run_script(store_path, tmp_path, project_copy):
    procs = []

    def start(**env: str) -> tuple[subprocess.Popen, Path, int]:
        port = free_port()
        log = tmp_path / f"run-{port}.log"
        full = {k: v for k, v in os.environ.items()
                if k not in (settings.EDITOR_TOKEN.name, settings.EDITOR_TOKEN_PRINTED.name,
                             settings.ADDRESS.name)}
        full.update({settings.VENV.name: sys.prefix, "PORT": str(port),
                     settings.DB.name: str(store_path), **env})
        with open(log, "w") as out:
            proc = subprocess.Popen(["bash", str(project_copy / "scripts" / "run"),
                                     "--server.fileWatcherType", "none"],
                                    cwd=project_copy, env=full, stdout=out,
                                    stderr=subprocess.STDOUT)
        procs.append(proc)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=1) as r:
                    if r.status == 200:
                        return proc, log, port
            except OSError:
                time.sleep(0.3)
        raise AssertionError(log.read_text()[-2000:])

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def cmdline(proc: subprocess.Popen) -> list[str]:
    return Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode().split("\0")


def test_run_prints_the_token_once_before_any_visit_and_binds_loopback(run_script):
    proc, log, _ = run_script()
    text = log.read_text()
    assert text.count("Editor token (valid until this server stops)") == 1, text
    assert "Installing" not in text
    token = text.split("Editor token (valid until this server stops):", 1)[1].split()[0]
    assert len(token) >= 30
    args = cmdline(proc)
    assert args[args.index("--server.address") + 1] == "127.0.0.1"
    environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
    assert f"{settings.EDITOR_TOKEN.name}={token}".encode() in environ
    assert f"{settings.EDITOR_TOKEN_PRINTED.name}=1".encode() in environ


def test_an_operator_token_is_not_printed_and_the_address_setting_is_honoured(run_script):
    proc, log, _ = run_script(INDICATORS_EDITOR_TOKEN="operator-secret-token",
                              INDICATORS_ADDRESS="127.0.0.1")
    assert "operator-secret-token" not in log.read_text()
    assert "Editor token" not in log.read_text()
    args = cmdline(proc)
    assert args[args.index("--server.address") + 1] == "127.0.0.1"


def test_a_printed_token_counts_as_a_console_token(monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, "printed-at-start")
    monkeypatch.setenv(settings.EDITOR_TOKEN_PRINTED.name, "1")
    assert auth.token_source() == "console" and auth.editor_token() == "printed-at-start"
    monkeypatch.delenv(settings.EDITOR_TOKEN_PRINTED.name)
    assert auth.token_source() == "environment"


def test_the_auth_module_prints_a_new_token_alone_on_stdout():
    result = subprocess.run([sys.executable, "-m", "indicators.auth"], capture_output=True,
                            text=True, check=True)
    token = result.stdout.strip()
    assert len(token) >= 30 and "\n" not in token
    assert token in result.stderr and "Editor token" in result.stderr


def test_streamlit_config_hides_developer_chrome_and_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1"
    from streamlit import config as st_config

    # The installed Streamlit knows these options and these values.
    assert st_config.get_option("client.toolbarMode") == "viewer"
    assert st_config.get_option("client.showErrorDetails") == "none"


def test_scripts_install_test_tools_only_for_scripts_test():
    env = (ROOT / "scripts" / "_env.sh").read_text()
    assert '-e ".${extras:+[$extras]}"' in env
    assert "setup_venv test" in (ROOT / "scripts" / "test").read_text()
    run = (ROOT / "scripts" / "run").read_text()
    assert "setup_venv\n" in run and "setup_venv test" not in run
