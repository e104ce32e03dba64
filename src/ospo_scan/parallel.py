"""Parsing many files on several cores.

Parsing is CPU-bound pure Python, so threads would not help: worker processes each
parse a share of the files and send back their ParseResults (frozen dataclasses that
pickle). Results come back in input order, so the output stays byte-for-byte the same
as a serial scan. A worker finds its parser by name in the registry; a scan with
parsers outside it, a small scan (a pool costs more than it saves), or a pool that
breaks (a worker killed by the OS) is parsed here instead, and nothing is lost.

While the workers parse, this process has work of its own to do (the cross-file formats,
Maven POMs, which resolve parents across the tree and so are parsed together): the caller
hands it in as `meanwhile`, which runs exactly once, during the workers' parse when there
are workers, before the serial parse when there are none.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from pickle import PicklingError

from ospo_scan.discovery import FoundFile
from ospo_scan.file_parsing import parse_file
from ospo_scan.model import ScanIssue
from ospo_scan.parsers import PARSERS
from ospo_scan.parsers.base import ParseResult
from ospo_scan.reading import SandboxReader

MIN_FILES_PER_WORKER = 16
"""Below this many files per worker, starting processes costs more than it saves."""

Outcome = tuple[ParseResult | None, list[ScanIssue]]
_REGISTRY = {spec.name: spec for spec in PARSERS}


def default_jobs() -> int:
    """One worker per core, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def parse_files(items: Sequence[FoundFile], reader: SandboxReader, jobs: int, meanwhile: Callable[[], None] = lambda: None) -> Iterator[tuple[FoundFile, ParseResult | None, list[ScanIssue]]]:
    """Parse single-file formats, on `jobs` processes when that pays off; `meanwhile` runs
    here once, while the workers parse (or first, when the files are parsed here)."""
    pending = _Once(meanwhile)
    outcomes = _in_workers(items, reader, jobs, pending) if _worth_workers(items, jobs) else None
    pending()
    if outcomes is None:
        outcomes = [_parse_here(item, reader) for item in items]
    for item, (result, issues) in zip(items, outcomes):
        yield item, result, issues


class _Once:
    """A callable that runs its function the first time it is called, and never again."""

    def __init__(self, function: Callable[[], None]) -> None:
        self._function: Callable[[], None] | None = function

    def __call__(self) -> None:
        function, self._function = self._function, None
        if function is not None:
            function()


def _worth_workers(items: Sequence[FoundFile], jobs: int) -> bool:
    registered = all(_REGISTRY.get(item.spec.name) is item.spec for item in items)
    return jobs > 1 and len(items) >= 2 * MIN_FILES_PER_WORKER and registered


def _in_workers(items: Sequence[FoundFile], reader: SandboxReader, jobs: int, meanwhile: Callable[[], None]) -> list[Outcome] | None:
    tasks = [(str(reader.root), reader.max_size, item.spec.name, item.relative_path) for item in items]
    workers = min(jobs, len(items) // MIN_FILES_PER_WORKER)
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_parse_task, tasks, chunksize=max(1, len(tasks) // (workers * 8)))  # all submitted now
            meanwhile()
            return list(results)
    except (BrokenProcessPool, OSError, PicklingError):
        return None  # parsed serially by the caller


def _parse_here(item: FoundFile, reader: SandboxReader) -> Outcome:
    return parse_file(item, reader)


def _parse_task(task: tuple[str, int, str, str]) -> Outcome:
    """Runs in a worker: one file, read through a sandbox of the same root and cap."""
    root, max_size, parser_name, relative_path = task
    spec = _REGISTRY[parser_name]
    reader = SandboxReader(Path(root), max_size)
    return _parse_here(FoundFile(root=Path(root), relative_path=relative_path, spec=spec), reader)
