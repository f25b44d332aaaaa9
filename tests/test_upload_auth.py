"""The editor token: where it comes from, how it is compared, how guessing is slowed down."""

import hmac

import pytest

from indicators import auth, settings


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def fresh_token(monkeypatch):
    monkeypatch.delenv(settings.EDITOR_TOKEN.name, raising=False)
    monkeypatch.setattr(auth, "_generated", None)


def test_token_comes_from_the_environment_when_set(monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, "  chosen-token ")
    assert auth.editor_token(announce=lambda t: pytest.fail("announced")) == "chosen-token"
    assert auth.token_source() == "environment"


def test_generated_token_is_random_made_once_and_announced_once(fresh_token):
    said = []
    first = auth.editor_token(announce=said.append)
    second = auth.editor_token(announce=said.append)
    assert first == second and said == [first]
    assert len(first) >= 32 and auth.token_source() == "console"


def test_announcement_goes_to_the_console(fresh_token, capsys):
    token = auth.editor_token()
    err = capsys.readouterr().err
    assert token in err and settings.EDITOR_TOKEN.name in err


def test_check_is_constant_time_and_exact(monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert auth.check("abc", "abc")
    assert not auth.check("abd", "abc") and not auth.check("", "abc")
    assert not auth.check("abc ", "abc") and not auth.check("", "")
    assert len(calls) == 5


def test_per_session_backoff_after_three_wrong_guesses():
    clock = Clock()
    guard = auth.Guard(clock)
    for _ in range(3):
        assert guard.attempt("s1", "wrong", "tok") == auth.Attempt(False, 0.0)
    fourth = guard.attempt("s1", "wrong", "tok")
    assert not fourth.ok and fourth.wait == 1.0
    # Even the right token is refused unchecked while the delay runs.
    refused = guard.attempt("s1", "tok", "tok")
    assert refused.refused and not refused.ok
    clock.now += 1.0
    assert guard.attempt("s1", "wrong", "tok").wait == 2.0
    clock.now += 2.0
    assert guard.attempt("s1", "tok", "tok").ok
    # Another session is not slowed down by this one (below the global threshold).
    assert guard.attempt("s2", "tok", "tok").ok


def test_address_backoff_slows_a_guesser_using_many_sessions():
    clock = Clock()
    guard = auth.Guard(clock)
    for n in range(20):
        assert guard.attempt(f"s{n}", "wrong", "tok", address="203.0.113.9").wait == 0.0
    hit = guard.attempt("s20", "wrong", "tok", address="203.0.113.9")
    assert hit.wait == 1.0
    # A session that guessed wrong waits out its address's delay, unchecked.
    assert guard.attempt("s20", "tok", "tok", address="203.0.113.9").refused
    assert guard.attempt("s3", "tok", "tok", address="203.0.113.9").refused
    clock.now += 1.0
    assert guard.attempt("s20", "tok", "tok", address="203.0.113.9").ok


def test_a_strangers_wrong_guesses_never_lock_out_an_editor():
    clock = Clock()
    guard = auth.Guard(clock)
    # One wrong guess a minute for hours, from the editor's own address and from another.
    for minute in range(200):
        for address in ("198.51.100.7", None):
            guard.attempt(f"stranger-{address}", "wrong", "tok", address=address)
        clock.now += 60
        assert guard.attempt(f"editor-{minute}", "tok", "tok", address=None).ok
        assert guard.attempt(f"editor-b-{minute}", "tok", "tok", address="192.0.2.1").ok
    # Strangers opening a new session for every guess do not lock editors out either.
    for n in range(500):
        guard.attempt(f"cycling-{n}", "wrong", "tok", address=None)
    assert guard.attempt("editor-late", "tok", "tok", address=None).ok
    assert guard.wait("stranger-None", None) > 0


def test_backoff_is_capped_and_forgotten_after_a_quiet_spell():
    clock = Clock()
    b = auth.Backoff(free=0, base=1.0, cap=5.0, window=60.0)
    for _ in range(10):
        b.fail(clock.now)
    assert b.wait(clock.now) == 5.0
    clock.now += 61
    b.fail(clock.now)
    assert b.failures == 1 and b.wait(clock.now) == 1.0
