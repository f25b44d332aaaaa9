"""Heavy work for a visitor in a separate, lower-priority process with a hard deadline.

Extraction is pure Python: run in the dashboard's own process it holds the interpreter
lock and every other visitor's page waits. In a child process (forked from a clean
forkserver, never from the threaded server) it competes only for a CPU core, at a lower
priority, and a child that overruns its deadline is killed. At most MAX_CONCURRENT such
jobs run at once across the whole server; a further one waits for a slot, briefly.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_CONCURRENT = 2
NICENESS = 10
PRELOAD = ["indicators.articles"]  # imported once by the forkserver, so each job starts fast

_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
_context_lock = threading.Lock()
_context: Any = None


class Busy(Exception):
    """Every slot stayed taken while this job waited."""


class Overrun(Exception):
    """The job did not finish within its deadline and was stopped."""


class Crashed(Exception):
    """The worker process died without an answer (out of memory, killed)."""


def _mp_context():
    global _context
    with _context_lock:
        if _context is None:
            try:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(PRELOAD)
            except ValueError:  # no forkserver on this platform
                ctx = multiprocessing.get_context("spawn")
            _context = ctx
        return _context


def _child(conn, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    try:
        result = ("ok", func(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which re-raises it
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception as exc:  # noqa: BLE001 - an unpicklable exception: send its text
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def run(func: Callable[..., T], *args: Any, timeout: float, wait: float = 10.0,
        **kwargs: Any) -> T:
    """`func(*args, **kwargs)` in a worker process; its result, or its exception re-raised.

    Raises Busy when no slot frees up within `wait` seconds, Overrun when the job takes
    longer than `timeout` seconds (the process is killed), Crashed when it dies.
    `func` and its arguments must be picklable (a module-level function).
    """
    if not _slots.acquire(timeout=wait):
        raise Busy(f"{MAX_CONCURRENT} jobs were already running")
    try:
        ctx = _mp_context()
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, func, args, kwargs), daemon=True)
        proc.start()
        send.close()
        try:
            if not receive.poll(timeout):
                raise Overrun(f"stopped after {timeout:g} s")
            try:
                status, value = receive.recv()
            except EOFError:
                raise Crashed("the worker process ended without an answer") from None
        finally:
            receive.close()
            if proc.is_alive():
                proc.join(1)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if status == "error":
            raise value
        return value
    finally:
        _slots.release()
