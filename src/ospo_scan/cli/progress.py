"""A progress bar on stderr for a scan that takes more than a moment.

Shown only when stderr is a terminal (a CI log or a redirected stderr gets nothing:
no bar, no escape codes), and only once the scan has run for `DELAY` seconds, so a
quick scan never flickers. It is transient: erased when the scan ends, before the
report is written, so the terminal keeps the report and the diagnostics only.

A timer thread starts the bar, because a phase can run long without calling back
(license evidence is one call); rich redraws it from its own thread meanwhile. The
callback only records numbers under rich's lock, so it costs the scan next to nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from ospo_scan.scan import ProgressCallback, ScanPhase

DELAY = 0.5
"""Seconds a scan runs before the bar appears."""

_LABELS = {
    ScanPhase.DISCOVERING: "finding manifests and lockfiles",
    ScanPhase.PARSING: "reading files",
    ScanPhase.RESOLVING: "resolving dependencies",
    ScanPhase.LICENSES: "looking for license evidence",
}


@contextmanager
def scan_progress(console: Console, *, delay: float | None = None) -> Iterator[ProgressCallback | None]:
    """A callback for scan() drawing on `console`, or None when stderr is no terminal."""
    if not stderr_is_terminal():
        yield None
        return
    bar = DelayedBar(console, DELAY if delay is None else delay)
    try:
        yield bar
    finally:
        bar.close()


def stderr_is_terminal() -> bool:
    """A real terminal that can redraw a line (not a pipe, a file, nor TERM=dumb)."""
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


class DelayedBar:
    """A transient rich Progress that starts `delay` seconds after it is made."""

    def __init__(self, console: Console, delay: float) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=console, transient=True,
            redirect_stdout=False, redirect_stderr=False,  # the report on stdout must never land on stderr
        )
        self._task: TaskID = self._progress.add_task(_LABELS[ScanPhase.DISCOVERING], total=None)
        self._lock = threading.Lock()
        self._shown = False
        self._closed = False
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def __call__(self, phase: ScanPhase, done: int, total: int) -> None:
        """Record where the scan is; files get a bar and a count, other phases a pulse."""
        if phase is ScanPhase.PARSING:
            self._progress.update(self._task, description=f"{_LABELS[phase]} {done}/{total}", completed=done, total=total or None)
        else:
            self._progress.update(self._task, description=_LABELS[phase], completed=0, total=None)

    @property
    def shown(self) -> bool:
        """Whether the bar has been drawn (the scan outlasted the delay)."""
        return self._shown

    def close(self) -> None:
        """Erase the bar (if it was ever shown); later timer ticks do nothing."""
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._shown:
                self._progress.stop()

    def _show(self) -> None:
        with self._lock:
            if not self._closed:
                self._progress.start()
                self._shown = True
