"""A throw-away PostgreSQL cluster for the lake tests: temp folder, 127.0.0.1 and a unix socket.

    python tests/pg_cluster.py start   prints `export INDICATORS_TEST_PG=…` and
                                       `export INDICATORS_TEST_PG_DIR=…` for a shell to eval
    python tests/pg_cluster.py stop DIR  stops the cluster in DIR and removes DIR

Trust authentication, so no password exists anywhere. As root (CI, containers) the
server runs as the `postgres` user through `su`, as Debian's package sets it up; as
another user it runs as that user. `scripts/test` starts one before pytest and stops it
on exit, whatever happened; the test fixtures start their own when none was started.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from indicators import settings  # noqa: E402 - after the standard library

ENV = settings.TEST_PG.name
ENV_DIR = settings.TEST_PG_DIR.name


def bindir() -> Path | None:
    """The folder of initdb/pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_shell_quote(a) for a in args)]


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def start() -> tuple[str, str]:
    """Start a cluster; returns (libpq connection string, its folder)."""
    bins = bindir()
    if bins is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="indicators-pg-")
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        os.chmod(folder, 0o700)
    data = os.path.join(folder, "data")
    port = _free_port()
    subprocess.run(_as_server_user([str(bins / "initdb"), "-D", data, "-A", "trust", "-U",
                                    "postgres", "-E", "UTF8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    options = f"-k {folder} -h 127.0.0.1 -p {port} -F -c max_connections=200"
    subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", data, "-o", options, "-l",
                                    os.path.join(folder, "log"), "-w", "-t", "60", "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    return f"host=127.0.0.1 port={port} user=postgres dbname=postgres", folder


def stop(folder: str) -> None:
    """Stop the cluster in `folder` (fast shutdown) and remove the folder."""
    bins = bindir()
    data = os.path.join(folder, "data")
    if bins is not None and os.path.exists(os.path.join(data, "postmaster.pid")):
        subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", data, "-m", "immediate",
                                        "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        info, where = start()
        print(f"export {ENV}={_shell_quote(info)}")
        print(f"export {ENV_DIR}={_shell_quote(where)}")
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        stop(sys.argv[2])
    else:
        sys.exit(__doc__)
