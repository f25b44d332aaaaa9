"""Worker processes: results and exceptions come back, overruns are killed, slots are bounded."""

from __future__ import annotations

import os
import time

import pytest

from indicators import workers


def _pid_and_nice(x: int) -> tuple[int, int, int]:
    return os.getpid(), os.nice(0), x * 2


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def _fail() -> None:
    raise ValueError("bad input on line 3")


def _die() -> None:
    os._exit(3)


def test_the_job_runs_in_another_lower_priority_process():
    pid, nice, value = workers.run(_pid_and_nice, 21, timeout=60)
    assert value == 42 and pid != os.getpid()
    assert nice >= os.nice(0) + min(workers.NICENESS, 19 - os.nice(0))


def test_an_exception_in_the_job_is_raised_in_the_caller():
    with pytest.raises(ValueError, match="bad input on line 3"):
        workers.run(_fail, timeout=60)


def test_a_job_over_its_deadline_is_killed():
    workers.run(_sleep, 0, timeout=60)  # start the forkserver outside the timed part
    started = time.monotonic()
    with pytest.raises(workers.Overrun):
        workers.run(_sleep, 30, timeout=1)
    assert time.monotonic() - started < 10


def test_a_dying_worker_is_reported():
    with pytest.raises(workers.Crashed):
        workers.run(_die, timeout=60)


def test_no_slot_within_the_wait_is_busy(monkeypatch):
    monkeypatch.setattr(workers, "_slots", workers.threading.BoundedSemaphore(1))
    workers._slots.acquire()
    try:
        with pytest.raises(workers.Busy):
            workers.run(_sleep, 0, timeout=5, wait=0.1)
    finally:
        workers._slots.release()
