"""SIGKILL a large import at random moments: the store is always exactly before or after it."""

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import export_all

from indicators import db

pytestmark = pytest.mark.slow
ROWS = 200_000
KILLS = int(os.environ.get("INDICATORS_KILLS", "12"))


def write_big(path, rows: int) -> None:
    start = 730_000  # ordinal day: 1999-08-…; dates stay unique per pair below
    with open(path, "w") as fh:
        fh.write("date,base,quote,rate,source\n")
        for i in range(rows):
            from datetime import date
            d = date.fromordinal(start + i // 4)
            q = ("KZT", "UZS", "KGS", "TJS")[i % 4]
            fh.write(f"{d.isoformat()},USD,{q},{100 + (i % 997) / 7:.4f},kill-test\n")


def snapshot(path) -> str:
    """The exports plus the batch list, hashed: what a user could observe of the store."""
    with db.connect(path) as conn:
        batches = conn.execute("SELECT id, kind, origin, rows_inserted FROM batches ORDER BY id"
                               ).fetchall()
    return hashlib.sha256((export_all(path) + repr(batches)).encode()).hexdigest()


def wait_for_writes(path, proc, timeout: float = 60) -> None:
    wal = path.with_name(path.name + ".wal")
    first = path.stat()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        st = path.stat()
        if wal.exists() or (st.st_size, st.st_mtime_ns) != (first.st_size, first.st_mtime_ns):
            return
        time.sleep(0.002)


def import_cmd(csv_path, db_path):
    return [sys.executable, "-m", "indicators.cli", "import", str(csv_path), "--db", str(db_path)]


def test_sigkill_during_import_leaves_store_before_or_after(tmp_path, seeded_db):
    big = tmp_path / "big.csv"
    write_big(big, ROWS)
    before = snapshot(seeded_db)
    done = tmp_path / "done.duckdb"
    shutil.copy(seeded_db, done)
    t0 = time.monotonic()
    full = subprocess.run(import_cmd(big, done), capture_output=True, text=True)
    duration = time.monotonic() - t0
    assert full.returncode == 0, full.stderr
    after = snapshot(done)
    assert after != before
    # How long the process keeps writing once its first write reaches the files.
    calib = tmp_path / "calib.duckdb"
    shutil.copy(seeded_db, calib)
    proc = subprocess.Popen(import_cmd(big, calib), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_writes(calib, proc)
    t1 = time.monotonic()
    proc.wait()
    writing = time.monotonic() - t1

    rng = random.Random(int(os.environ.get("INDICATORS_KILL_SEED", "20260527")))
    seen = []
    for n in range(KILLS):
        path = tmp_path / f"kill{n}.duckdb"
        shutil.copy(seeded_db, path)
        proc = subprocess.Popen(import_cmd(big, path), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if n % 2:
            # Half the kills are spread over the whole run, start-up included ...
            time.sleep(rng.uniform(0.05, 1.05) * duration)
        else:
            # ... and half land while the transaction writes: once the database file or
            # its write-ahead log starts to change, wait a random moment and kill.
            wait_for_writes(path, proc)
            time.sleep(rng.uniform(0, 1.1) * writing)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state = snapshot(path)
        assert state in (before, after), f"kill {n}: store is neither before nor after"
        seen.append("before" if state == before else "after")
    print(f"import {duration:.2f} s, writing {writing:.2f} s; states after {KILLS} kills: {seen}")
    assert "before" in seen
