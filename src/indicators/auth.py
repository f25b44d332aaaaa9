"""Editor access without Streamlit: where the token comes from, a constant-time check, backoff.

Writes need the editor token. It is $INDICATORS_EDITOR_TOKEN when set; otherwise a random
token is made once per server process and printed once to its console (as Jupyter does),
so whoever started the dashboard can edit and a visitor with only a link cannot.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from indicators import settings

_lock = threading.Lock()
_generated: str | None = None


def _announce(token: str) -> None:
    print(
        "\n  Editor token (valid until this server stops):\n"
        f"      {token}\n"
        "  Enter it on Upload, Update rates or Articles to change data.\n"
        f"  Set {settings.EDITOR_TOKEN.name} to choose a fixed token instead.\n",
        file=sys.stderr, flush=True)


def editor_token(announce: Callable[[str], None] = _announce) -> str:
    """$INDICATORS_EDITOR_TOKEN, else this process's random token (announced on first use)."""
    env = settings.EDITOR_TOKEN.get()
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
    if settings.EDITOR_TOKEN_PRINTED.get() == "1":
        return "console"
    return "environment" if settings.EDITOR_TOKEN.is_set() else "console"


def main() -> None:
    """`python -m indicators.auth`: a new token, announced on stderr, alone on stdout.

    scripts/run calls this before the server starts, so that the token is on the console
    before the first visit, and hands it to the server in $INDICATORS_EDITOR_TOKEN with
    $INDICATORS_EDITOR_TOKEN_PRINTED=1 (the token came from the console, not the operator).
    """
    token = secrets.token_urlsafe(24)
    _announce(token)
    print(token)


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
    """Slows down repeated wrong guesses per client: per browser session and per address.

    A guess made while a delay runs is refused unchecked. Per session: three free
    guesses, then 1, 2, 4 … s up to 5 minutes. Per address (one guesser opening many
    sessions): twenty free guesses within ten minutes, then 1, 2, 4 … s up to a minute;
    this delay holds only sessions that have themselves guessed wrong, so a session's
    first guess is always checked and strangers' guesses, even from the same address (a
    proxy, an office), never lock out an editor who types the token.
    """

    MAX_CLIENTS = 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Backoff] = OrderedDict()
        self._addresses: OrderedDict[str, Backoff] = OrderedDict()

    @classmethod
    def _get(cls, table: OrderedDict[str, Backoff], key: str, **limits: float) -> Backoff:
        b = table.pop(key, None) or Backoff(**limits)
        table[key] = b
        while len(table) > cls.MAX_CLIENTS:
            table.popitem(last=False)
        return b

    def _pair(self, session: str, address: str | None) -> tuple[Backoff, Backoff]:
        mine = self._get(self._sessions, session, free=3, base=1.0, cap=300.0, window=900.0)
        place = self._get(self._addresses, address or "local", free=20, base=1.0, cap=60.0,
                          window=600.0)
        return mine, place

    @staticmethod
    def _wait(mine: Backoff, place: Backoff, now: float) -> float:
        failed_lately = now - mine.last <= mine.window
        return max(mine.wait(now), place.wait(now) if failed_lately else 0.0)

    def wait(self, session: str, address: str | None = None) -> float:
        with self._lock:
            now = self._clock()
            return self._wait(*self._pair(session, address), now)

    def attempt(self, session: str, guess: str, token: str, *,
                address: str | None = None) -> Attempt:
        with self._lock:
            now = self._clock()
            mine, place = self._pair(session, address)
            wait = self._wait(mine, place, now)
            if wait > 0:
                return Attempt(False, wait, refused=True)
            ok = check(guess, token)
            if ok:
                mine.reset()
                return Attempt(True)
            mine.fail(now)
            place.fail(now)
            return Attempt(False, self._wait(mine, place, now))


GUARD = Guard()


if __name__ == "__main__":
    main()
