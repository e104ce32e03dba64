"""The progress bar of `snapshot save`: repositories done, components found, time elapsed.

Like the scan's bar (cli.progress) it is drawn on stderr only when stderr is a
terminal, and erased when the save ends, so a CI log gets the summary lines only.
Failures are printed above the bar as they happen, not at the end: at a thousand
repositories the first failure should not wait an hour to be seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ospo_scan.cli import diagnostics
from ospo_scan.cli.progress import stderr_is_terminal


class OrganizationProgress:
    """Counts repositories and components; draws them when there is a terminal."""

    def __init__(self, console: Console, total: int, shown: bool) -> None:
        self.repositories = 0
        self.components = 0
        self.failed = 0
        self._progress: Progress | None = None
        if shown:
            self._progress = Progress(
                TextColumn("repositories"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[components]} components"), TimeElapsedColumn(),
                console=console, transient=True, redirect_stdout=False, redirect_stderr=False,
            )
            self._task = self._progress.add_task("save", total=total, components=0)
            self._progress.start()

    def repository_done(self, components: int, *, failed: bool = False) -> None:
        """One more repository is finished (saved, or failed)."""
        self.repositories += 1
        self.components += components
        self.failed += failed
        if self._progress is not None:
            self._progress.update(self._task, advance=1, components=f"{self.components:,}")

    def say(self, line: Text) -> None:
        """Print a line on stderr above the bar (or plainly when there is none)."""
        if self._progress is None:
            diagnostics.show(line)
        else:
            self._progress.console.print(line)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@contextmanager
def organization_progress(console: Console, total: int) -> Iterator[OrganizationProgress]:
    """A bar over `total` repositories on `console` (stderr), erased at the end."""
    progress = OrganizationProgress(console, total, shown=stderr_is_terminal())
    try:
        yield progress
    finally:
        progress.close()
