"""Parsing the files of many roots on several cores, with one pool for the whole scan.

Parsing is CPU-bound pure Python, so threads would not help: worker processes parse the
single-file formats and send back their ParseResults (frozen dataclasses that pickle).
One pool serves every root of a scan: an organization of a thousand small repositories,
none of which would fill a pool alone, still keeps every core busy, and the pool's
start-up is paid once. A task carries its root and size cap, so a worker needs nothing
else. Results are taken in input order, root by root, so the output stays byte-for-byte
that of a serial scan, and each root is handed back as soon as its own files are in:
the caller resolves it and drops its parse results while the workers go on.

At most a few chunks of work are in flight (and at most one root's worth of results
waits in this process), and roots are walked only as the workers need more work, so
neither the parse results nor the discovered file lists of the whole organization are
ever held at once.

A root with parsers outside the registry (a worker finds its parser by name), a small
scan overall (a pool costs more than it saves) and a pool that breaks (a worker killed
by the OS) are parsed here instead, and nothing is lost. While the workers parse, this
process has work of its own: each root's cross-file formats (Maven POMs, which resolve
parents across the tree and so are parsed together), handed in as the root's `groups`.
"""

from __future__ import annotations

import os
from collections import deque
from itertools import chain
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from pickle import PicklingError
from typing import Generic, TypeVar

from ospo_scan.discovery import FoundFile
from ospo_scan.file_parsing import parse_file
from ospo_scan.model import ScanIssue
from ospo_scan.parsers import PARSERS
from ospo_scan.parsers.base import ParseResult
from ospo_scan.reading import SandboxReader

MIN_FILES_PER_WORKER = 16
"""Below this many files per worker, starting processes costs more than it saves."""

CHUNK_FILES = 32
"""Files per task sent to a worker: few enough that a root's results come back soon
after its files were sent, many enough that the per-task overhead stays small."""

CHUNKS_IN_FLIGHT_PER_WORKER = 4
"""Chunks sent ahead per worker: enough to keep it busy while this process parses
POMs or resolves, few enough that waiting results stay small."""

Outcome = tuple[ParseResult | None, list[ScanIssue]]
FileOutcome = tuple[FoundFile, ParseResult | None, list[ScanIssue]]
_Failures = (BrokenProcessPool, OSError, PicklingError)
_REGISTRY = {spec.name: spec for spec in PARSERS}

Tag = TypeVar("Tag")


def default_jobs() -> int:
    """One worker per core, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(slots=True, kw_only=True)
class RootWork(Generic[Tag]):
    """One root's files to parse: the single-file formats, and the cross-file groups."""

    tag: Tag
    """Whatever the caller needs back with this root's outcomes."""
    reader: SandboxReader
    single: Sequence[FoundFile]
    groups: Callable[[], list[FileOutcome]] = field(default=lambda: [])
    """Parses the root's cross-file formats in this process (run once, while workers parse)."""


def parse_roots(roots: Iterable[RootWork[Tag]], jobs: int) -> Iterator[tuple[Tag, Iterator[FileOutcome]]]:
    """Each root's tag and its outcomes (single files in input order, then each group).

    Roots are taken from `roots` lazily; the caller must exhaust each root's outcomes
    before it asks for the next root. With jobs <= 1, or too few files for a pool, every
    root is parsed here, one after the other, as it is taken.
    """
    pending = iter(roots)
    if jobs <= 1:
        for work in pending:
            yield work.tag, _here(work)
        return
    ahead: list[RootWork[Tag]] = []
    files = 0
    for work in pending:  # walk roots until there is enough work to share, or none left
        ahead.append(work)
        files += len(work.single) if _registered(work) else 0
        if files >= jobs * MIN_FILES_PER_WORKER:
            break
    workers = min(jobs, files // MIN_FILES_PER_WORKER)
    pool = _start_pool(workers) if workers >= 2 else None
    if pool is None:
        for work in chain(ahead, pending):
            yield work.tag, _here(work)
        return
    pipeline = _Pipeline(pool, workers * CHUNKS_IN_FLIGHT_PER_WORKER, ahead, pending)
    try:
        yield from pipeline.run()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _here(work: RootWork[Tag]) -> Iterator[FileOutcome]:
    """A root parsed in this process: its groups first, then its files one by one."""
    grouped = work.groups()
    for item in work.single:
        yield (item, *parse_file(item, work.reader))
    yield from grouped


def _registered(work: RootWork[Tag]) -> bool:
    return all(_REGISTRY.get(item.spec.name) is item.spec for item in work.single)


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    try:
        return ProcessPoolExecutor(max_workers=workers)
    except (OSError, ImportError, NotImplementedError):
        return None  # no process support here (no semaphores, say): parsed serially


@dataclass(slots=True)
class _Chunk:
    """Some files of one root, sent to a worker as one task (or parsed here)."""

    reader: SandboxReader
    items: Sequence[FoundFile]
    future: Future[list[Outcome]] | None = None


@dataclass(slots=True)
class _Queued(Generic[Tag]):
    work: RootWork[Tag]
    chunks: list[_Chunk]


class _Pipeline(Generic[Tag]):
    """Keeps up to `window` chunks at the workers, walking more roots as they are needed."""

    def __init__(self, pool: ProcessPoolExecutor, window: int, ahead: list[RootWork[Tag]], pending: Iterator[RootWork[Tag]]) -> None:
        self._pool = pool
        self._window = window
        self._pending = pending
        self._queued: deque[_Queued[Tag]] = deque()
        self._unsent: deque[_Chunk] = deque()
        self._in_flight = 0
        self._broken = False
        for work in ahead:
            self._queue(work)

    def run(self) -> Iterator[tuple[Tag, Iterator[FileOutcome]]]:
        while True:
            self._top_up()
            if not self._queued:
                return
            head = self._queued.popleft()
            grouped = head.work.groups()  # this process's share, while the workers parse
            outcomes = [outcome for chunk in head.chunks for outcome in self._outcomes(chunk)]
            head.chunks.clear()
            self._top_up()  # keep the workers fed while the caller resolves this root
            yield head.work.tag, _chained(outcomes, grouped)

    def _queue(self, work: RootWork[Tag]) -> None:
        chunks = [_Chunk(work.reader, work.single[start:start + CHUNK_FILES]) for start in range(0, len(work.single), CHUNK_FILES)]
        if _registered(work):
            self._unsent.extend(chunks)
        self._queued.append(_Queued(work, chunks))

    def _top_up(self) -> None:
        """Send chunks (walking further roots when none is left to send) until the window is
        full; with the pool broken, walk one more root only when none is waiting."""
        while not self._broken and self._in_flight < self._window:
            if not self._unsent:
                work = next(self._pending, None)
                if work is None:
                    return
                self._queue(work)
                continue
            chunk = self._unsent.popleft()
            tasks = [(str(chunk.reader.root), chunk.reader.max_size, item.spec.name, item.relative_path) for item in chunk.items]
            try:
                chunk.future = self._pool.submit(_parse_tasks, tasks)
            except (*_Failures, RuntimeError):
                self._broken = True  # this chunk and every later one is parsed here
                break
            self._in_flight += 1
        if not self._queued:
            work = next(self._pending, None)
            if work is not None:
                self._queue(work)

    def _outcomes(self, chunk: _Chunk) -> Iterator[FileOutcome]:
        results: list[Outcome] | None = None
        if chunk.future is not None:
            self._in_flight -= 1
            try:
                results = chunk.future.result()
            except _Failures:
                self._broken = True  # every later chunk is parsed here
            chunk.future = None
        if results is None:
            results = [parse_file(item, chunk.reader) for item in chunk.items]
        for item, (result, issues) in zip(chunk.items, results):
            yield item, result, issues


def _chained(outcomes: list[FileOutcome], grouped: list[FileOutcome]) -> Iterator[FileOutcome]:
    """The outcomes, each let go of as soon as it was handed over."""
    outcomes.reverse()
    while outcomes:
        yield outcomes.pop()
    grouped.reverse()
    while grouped:
        yield grouped.pop()


def _parse_tasks(tasks: list[tuple[str, int, str, str]]) -> list[Outcome]:
    """Runs in a worker: some files of one root."""
    return [_parse_task(task) for task in tasks]


def _parse_task(task: tuple[str, int, str, str]) -> Outcome:
    """Runs in a worker: one file, read through a sandbox of the same root and cap."""
    root, max_size, parser_name, relative_path = task
    spec = _REGISTRY[parser_name]
    reader = SandboxReader(Path(root), max_size)
    return parse_file(FoundFile(root=Path(root), relative_path=relative_path, spec=spec), reader)
