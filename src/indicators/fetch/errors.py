"""The two errors a fetch raises: the source could not be read, or its payload not understood."""

from __future__ import annotations


class ParseError(ValueError):
    """A payload did not have the shape a parser expects; the message says what was expected."""


class FetchError(Exception):
    """A request to a source failed; names the source, the URL and what went wrong."""

    def __init__(self, source: str, url: str, problem: str, *, status: int | None = None):
        super().__init__(f"{source}: {problem} ({url})")
        self.source = source
        self.url = url
        self.problem = problem
        self.status = status
