"""Backfill or update rates from the sources into a sink, and report what happened."""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests

from indicators.fetch import http
from indicators.fetch.checks import hold_reason
from indicators.fetch.errors import FetchError, ParseError
from indicators.fetch.model import BASE, HeldRate, MissingDate, Quote, RateRow, RateSink
from indicators.fetch.sources import BY_ID, SOURCE_IDS, Request, Source

Progress = Callable[[str, int, int], None]

PACE = 0.5  # seconds between two requests to the same source
CHUNK_DATES = 31  # one-date requests saved together; a failure loses at most this many
DEFAULT_DAYS = 30
MAX_LISTED = 6  # missing dates spelled out in a summary line


def default_range(today: date | None = None, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The range a plain refresh covers: the last `days` days up to today."""
    end = today or date.today()
    return end - timedelta(days=days), end


@dataclass
class SourceReport:
    """What one source's refresh added, held, missed, and whether it failed."""

    source: str
    quotes: tuple[str, ...]
    rows_added: int = 0
    already_stored: int = 0  # (date, currency) pairs skipped because they were stored
    requests: int = 0
    held: list[HeldRate] = field(default_factory=list)
    missing: list[MissingDate] = field(default_factory=list)
    error: FetchError | None = None
    fallback: SourceReport | None = None  # the run of another source on this one's behalf

    @property
    def failures(self) -> list[MissingDate]:
        return [m for m in self.missing if m.is_failure]

    @property
    def status(self) -> str:
        """"ok": all asked for was stored; "failed": nothing could be fetched; else "partial"."""
        if self.error is None:
            return "ok" if not self.held and not self.failures else "partial"
        rescued = self.fallback is not None and bool(self.fallback.rows_added
                                                     or self.fallback.held)
        return "partial" if self.rows_added or self.held or rescued else "failed"

    def summary_line(self) -> str:
        if self.error is None:
            return f"{self.source}: {self._counts()}{self._details()}"
        line = f"{self.source}: {self.error.problem} at {self.error.url}"
        if self.rows_added or self.held:
            line += f"; before that {self._counts()}"
        else:
            line += "; nothing written"
        if self.fallback is not None:
            fb = self.fallback
            line += f" — fell back to {fb.source} for {', '.join(self.quotes)}: "
            if fb.error is None:
                line += fb._counts()
            else:
                line += f"that failed too: {fb.error.problem} at {fb.error.url}"
        return line + self._details()

    def _counts(self) -> str:
        text = f"{self.rows_added} rows added, {len(self.held)} held"
        if self.already_stored:
            text += f", {self.already_stored} already stored"
        return text

    def _details(self) -> str:
        parts = [f"held {h.date:%Y-%m-%d} {h.quote} {h.rate:g}: {h.reason}" for h in self.held]
        parts += _missing_phrases(self.missing, self.quotes)
        if self.fallback is not None and self.fallback.error is None:
            parts += [f"{self.fallback.source} held {h.date:%Y-%m-%d} {h.quote} {h.rate:g}: "
                      f"{h.reason}" for h in self.fallback.held]
        if len(parts) > MAX_LISTED:
            parts = parts[:MAX_LISTED] + [f"… and {len(parts) - MAX_LISTED} more"]
        return "; " + ", ".join(parts) if parts else ""


@dataclass
class RefreshReport:
    """The outcome of refresh(): one SourceReport per source asked for."""

    start: date
    end: date
    sources: dict[str, SourceReport] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all stored; 1 nothing could be fetched; 3 anything in between."""
        statuses = {s.status for s in self.sources.values()}
        if statuses <= {"ok"}:
            return 0
        if statuses == {"failed"}:
            return 1
        return 3

    @property
    def rows_added(self) -> int:
        return sum(s.rows_added + (s.fallback.rows_added if s.fallback else 0)
                   for s in self.sources.values())

    @property
    def held(self) -> list[HeldRate]:
        return [h for s in self.sources.values()
                for h in s.held + (s.fallback.held if s.fallback else [])]

    def summary_lines(self) -> list[str]:
        return [s.summary_line() for s in self.sources.values()]


def refresh(
    source_ids: Iterable[str],
    start: date,
    end: date,
    *,
    sink: RateSink,
    progress: Progress | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = http.pause,
    pace: float = PACE,
    today: date | None = None,
) -> RefreshReport:
    """Fetch every date from `start` to `end` for each source into `sink`.

    Dates already stored are skipped. Each source is saved in chunks, each chunk
    all-or-nothing; a failing source stops at the failing chunk and the others go on. A
    source with a fallback (CBT) that fails hands its remaining dates to the fallback.
    `sleep` paces the requests and, when no `session` is given, the retries.
    """
    ids = list(dict.fromkeys(source_ids))
    unknown = [s for s in ids if s not in BY_ID]
    if unknown:
        raise ValueError(f"unknown source ids {unknown}; known: {', '.join(SOURCE_IDS)}")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    report = RefreshReport(start, end)
    with contextlib.ExitStack() as stack:
        if session is None:
            session = stack.enter_context(http.make_session(sleep=sleep))
        run = _Run(sink=sink, session=session, sleep=sleep, pace=pace,
                   progress=progress or (lambda *_: None), today=today or date.today())
        for sid in ids:
            source = BY_ID[sid]
            result, covered = run.source(source, start, end, source.quotes)
            if result.error is not None and source.fallback:
                remaining = set(_days(start, end)) - covered
                result.fallback, _ = run.source(BY_ID[source.fallback], start, end,
                                                source.quotes, only=remaining)
            report.sources[sid] = result
    return report


@dataclass
class _Run:
    sink: RateSink
    session: requests.Session
    sleep: Callable[[float], None]
    pace: float
    progress: Progress
    today: date

    def source(self, source: Source, start: date, end: date, quotes: tuple[str, ...], *,
               only: set[date] | None = None) -> tuple[SourceReport, set[date]]:
        """Refresh one source; also return the dates now stored for all its currencies."""
        report = SourceReport(source.id, quotes)
        days = [d for d in _days(start, end) if only is None or d in only]
        stored = {q: sorted(self.sink.stored_dates(source.id, q, start, end) & set(days))
                  for q in quotes}
        wanted = {q: set(days) - set(stored[q]) for q in quotes}
        report.already_stored = sum(len(v) for v in stored.values())
        todo = sorted(set().union(*wanted.values()))
        self.progress(source.id, 0, len(todo))
        if todo:
            fetcher = _SourceFetch(self, source, quotes, wanted, stored, report, len(todo))
            try:
                fetcher.run(source.plan(todo, quotes=quotes, today=self.today))
            except FetchError as exc:
                report.error = exc
        return report, {d for d in days if all(d not in wanted[q] for q in quotes)}


@dataclass
class _SourceFetch:
    run_: _Run
    source: Source
    quotes: tuple[str, ...]
    wanted: dict[str, set[date]]
    stored: dict[str, list[date]]
    report: SourceReport
    total: int
    done: set[date] = field(default_factory=set)
    last_seen: dict[str, tuple[date, float]] = field(default_factory=dict)
    not_found: int = 0

    def run(self, plan: list[Request]) -> None:
        chunks = _chunks(plan)
        for i, chunk in enumerate(chunks):
            later = {d for c in chunks[i + 1:] for r in c for d in r.dates}
            self._chunk(chunk, later)
        if self.not_found and self.not_found == self.report.requests and any(
                d.weekday() != 6 for r in plan for d in r.dates):
            raise FetchError(self.source.id, plan[0].url,
                             f"every request answered HTTP 404 Not Found ({self.not_found} "
                             "of them, not only Sundays): has the archive moved?", status=404)

    def _chunk(self, chunk: list[Request], later: set[date]) -> None:
        found: dict[tuple[date, str], tuple[Quote, http.Fetched]] = {}
        notes: dict[date, str] = {}
        for request in chunk:
            answer = self._get(request, notes)
            if answer is not None:
                fetched, quotes = answer
                for q in quotes:
                    if (q.base == BASE and q.quote in self.wanted and q.date in request.dates
                            and q.date in self.wanted[q.quote]):
                        found.setdefault((q.date, q.quote), (q, fetched))
            self.done.update(request.dates)
            self.run_.progress(self.source.id, min(len(self.done), self.total), self.total)
        self._commit(chunk, later, found, notes)

    def _get(self, request: Request, notes: dict[date, str]
             ) -> tuple[http.Fetched, list[Quote]] | None:
        if self.report.requests and self.run_.pace > 0:
            self.run_.sleep(self.run_.pace)
        self.report.requests += 1
        try:
            fetched = http.get(self.run_.session, request.url, source=self.source.id,
                               expect=request.expect)
        except FetchError as exc:
            if request.not_found_means_no_rate and exc.status == 404:
                self.not_found += 1
                for d in request.dates:
                    notes[d] = "HTTP 404"
                return None
            raise
        try:
            quotes = request.parse(fetched.body)
        except ParseError as exc:
            raise FetchError(self.source.id, request.url, str(exc)) from exc
        if request.one_date:
            asked = request.dates[0]
            others = sorted({q.date for q in quotes} - {asked})
            if not quotes:
                notes[asked] = "empty answer"
            elif others:
                notes[asked] = (f"{self.source.id.upper()} answered with rates for "
                                f"{others[0]:%Y-%m-%d}, not {asked:%Y-%m-%d}")
        return fetched, quotes

    def _commit(self, chunk: list[Request], later: set[date],
                found: dict[tuple[date, str], tuple[Quote, http.Fetched]],
                notes: dict[date, str]) -> None:
        rows: list[RateRow] = []
        held: list[HeldRate] = []
        missing: list[MissingDate] = []
        for d in sorted({d for r in chunk for d in r.dates}):
            for quote in self.quotes:
                if d not in self.wanted[quote]:
                    continue
                if (d, quote) not in found:
                    if d not in later:
                        missing.append(self._missing(d, quote, notes.get(d)))
                    continue
                q, fetched = found[(d, quote)]
                row = RateRow(d, BASE, quote, q.rate, self.source.id, fetched.fetched_at,
                              fetched.url)
                reason = hold_reason(row.rate, *self._previous(quote, d))
                if reason:
                    held.append(HeldRate.of(row, reason))
                else:
                    rows.append(row)
                    self.last_seen[quote] = (d, row.rate)
        if rows:
            urls = list(dict.fromkeys(r.request_url for r in rows))
            origin = urls[0] if len(urls) == 1 else f"{urls[0]} .. {urls[-1]} ({len(urls)} URLs)"
            self.report.rows_added += self.run_.sink.save(self.source.id, rows, origin=origin)
        if held:
            self.run_.sink.hold(held)
            self.report.held += held
        self.report.missing += missing
        for row in rows:
            self.wanted[row.quote].discard(row.date)

    def _previous(self, quote: str, day: date) -> tuple[float | None, date | None]:
        """The rate a new one is compared with: the latest stored or accepted before `day`."""
        seen = self.last_seen.get(quote)
        if seen is not None:
            stored = self.stored[quote]
            i = bisect.bisect_right(stored, seen[0])
            if i == len(stored) or stored[i] >= day:
                return seen[1], seen[0]
        return self.run_.sink.last_rate(self.source.id, BASE, quote, before=day), None

    def _missing(self, day: date, quote: str, note: str | None) -> MissingDate:
        weekend = day.weekday() >= 5
        not_yet = day >= self.run_.today
        parts = ["weekend" if weekend else "not yet" if not_yet else None, note]
        detail = "; ".join(p for p in parts if p)
        reason = f"no rate published ({detail})" if detail else "no rate published that day"
        return MissingDate(day, quote, reason, is_failure=not (weekend or not_yet))


def _chunks(plan: Sequence[Request]) -> list[list[Request]]:
    """One-date requests in groups of CHUNK_DATES; every range request on its own."""
    chunks: list[list[Request]] = []
    for request in plan:
        if (request.one_date and chunks and chunks[-1][-1].one_date
                and len(chunks[-1]) < CHUNK_DATES):
            chunks[-1].append(request)
        else:
            chunks.append([request])
    return chunks


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _missing_phrases(missing: list[MissingDate], quotes: tuple[str, ...]) -> list[str]:
    by_date: dict[tuple[date, str], list[str]] = {}
    for m in missing:
        by_date.setdefault((m.date, m.reason), []).append(m.quote)
    phrases = []
    for (day, reason), qs in sorted(by_date.items()):
        which = "" if len(qs) == len(quotes) else " " + ",".join(qs)
        phrases.append(f"{day:%Y-%m-%d}{which} {reason}")
    return phrases
