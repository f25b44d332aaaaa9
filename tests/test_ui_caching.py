"""The store's data version is read once per script run, and again on the next run."""

from __future__ import annotations

from indicators import db
from indicators.ui import caching


def test_data_version_is_read_once_per_run_and_afresh_on_the_next(monkeypatch, tmp_path):
    reads = []
    versions = iter(range(100))

    def counting(path):
        reads.append(path)
        return (next(versions),)

    monkeypatch.setattr(db, "data_version", counting)
    a, b = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    with caching.one_data_version_per_run():
        first = caching.data_version(a)
        assert caching.data_version(a) == first  # kept for the rest of this run
        caching.data_version(b)                  # each store read once
        caching.data_version(b)
    assert reads == [a, b]
    with caching.one_data_version_per_run():     # the next run sees a commit made since
        assert caching.data_version(a) != first
    # Outside a run (a CLI, a test), every call reads the store.
    caching.data_version(a)
    caching.data_version(a)
    assert reads == [a, b, a, a, a]
