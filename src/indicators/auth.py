"""Editor access without Streamlit: where the token comes from, a constant-time check, backoff.

Writes need the editor token. It is $INDICATORS_EDITOR_TOKEN when set; otherwise a random
token is made once per server process and printed once to its console (as Jupyter does),
so whoever started the dashboard can edit and a visitor with only a link cannot.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

ENV_TOKEN = "INDICATORS_EDITOR_TOKEN"

_lock = threading.Lock()
_generated: str | None = None


def _announce(token: str) -> None:
    print(
        "\n  Editor token (valid until this server stops):\n"
        f"      {token}\n"
        "  Enter it on Upload, Update rates or Articles to change data.\n"
        f"  Set {ENV_TOKEN} to choose a fixed token instead.\n",
        file=sys.stderr, flush=True)


def editor_token(announce: Callable[[str], None] = _announce) -> str:
    """$INDICATORS_EDITOR_TOKEN, else this process's random token (announced on first use)."""
    env = os.environ.get(ENV_TOKEN, "").strip()
    if env:
        return env
    global _generated
    with _lock:
        if _generated is None:
            _generated = secrets.token_urlsafe(24)
            announce(_generated)
        return _generated


def token_source() -> str:
    """'environment' when the token was set by the operator, else 'console'."""
    return "environment" if os.environ.get(ENV_TOKEN, "").strip() else "console"


def check(guess: str, token: str) -> bool:
    """Constant-time comparison; hashing first hides the token's length as well."""
    a = hashlib.sha256(guess.encode("utf-8", "replace")).digest()
    b = hashlib.sha256(token.encode("utf-8", "replace")).digest()
    return hmac.compare_digest(a, b) and bool(token)


@dataclass
class Backoff:
    """Exponential delay after `free` wrong guesses; forgotten after `window` quiet seconds."""

    free: int
    base: float
    cap: float
    window: float
    failures: int = 0
    until: float = 0.0
    last: float = float("-inf")

    def wait(self, now: float) -> float:
        return max(0.0, self.until - now)

    def fail(self, now: float) -> None:
        if now - self.last > self.window:
            self.failures = 0
        self.failures += 1
        self.last = now
        excess = self.failures - self.free
        if excess > 0:
            self.until = now + min(self.cap, self.base * 2 ** (excess - 1))

    def reset(self) -> None:
        self.failures, self.until, self.last = 0, 0.0, float("-inf")


@dataclass(frozen=True)
class Attempt:
    ok: bool
    wait: float = 0.0  # seconds before the next guess is looked at
    refused: bool = False  # True when this guess was not even checked: too soon


class Guard:
    """Slows down repeated wrong guesses, per session and across all sessions.

    A guess made while a delay runs is refused unchecked. Per session: three free
    guesses, then 1, 2, 4 … s up to 5 minutes. Globally (many sessions, one guesser):
    twenty free guesses within ten minutes, then 1, 2, 4 … s up to a minute.
    """

    MAX_SESSIONS = 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Backoff] = OrderedDict()
        self._global = Backoff(free=20, base=1.0, cap=60.0, window=600.0)

    def _session(self, session: str) -> Backoff:
        b = self._sessions.pop(session, None) or Backoff(free=3, base=1.0, cap=300.0,
                                                         window=900.0)
        self._sessions[session] = b
        while len(self._sessions) > self.MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return b

    def wait(self, session: str) -> float:
        with self._lock:
            now = self._clock()
            return max(self._session(session).wait(now), self._global.wait(now))

    def attempt(self, session: str, guess: str, token: str) -> Attempt:
        with self._lock:
            now = self._clock()
            mine = self._session(session)
            wait = max(mine.wait(now), self._global.wait(now))
            if wait > 0:
                return Attempt(False, wait, refused=True)
            ok = check(guess, token)
            if ok:
                mine.reset()
                return Attempt(True)
            mine.fail(now)
            self._global.fail(now)
            return Attempt(False, max(mine.wait(now), self._global.wait(now)))


GUARD = Guard()
