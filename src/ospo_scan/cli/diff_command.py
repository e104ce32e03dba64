"""`ospo-scan diff OLD.json NEW.json`: what changed between two JSON reports.

Reads two reports (of `scan --format json` or `check --format json`), compares them
(ospo_scan.diffing, a pure function) and writes the result as a table, markdown for a
pull-request comment, or JSON. It exits 2 when a file is not a report it can compare
(the message names the file), and with `--fail-on new-violations` exits 1 when the
new report has error-level policy violations the old one did not. That gate fails
closed: a report without policy results cannot say there are none, so asking for it
with such a report is a usage error (2), never a pass.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer

from ospo_scan.analysis.wording import count, listing
from ospo_scan.cli import diagnostics
from ospo_scan.cli.application import guarded
from ospo_scan.cli.exit_codes import ExitCode
from ospo_scan.cli.output import OutputPathError, OutputTarget, check_output_path, write_report
from ospo_scan.diffing import DiffFormat, ReportDiff, ReportLoadError, compare, load_report

T = TypeVar("T")
STDOUT = Path("-")
"""The --output value that means standard output (as for scan)."""

DIFF_EXIT_CODES_HELP = (
    "Exit codes: 0 compared (whatever changed); 1 --fail-on new-violations and the new report has error-level "
    "policy violations the old one has not; 2 usage error, or a file that is not an ospo-scan JSON report this version "
    "can compare (or has no policy results, with --fail-on new-violations); 70 internal error; 130 interrupted; 141 stdout closed by its reader."
)


class FailOn(str, Enum):
    """What makes `diff` exit 1 (an enum, so that more conditions can join)."""

    NEW_VIOLATIONS = "new-violations"
    """An error-level policy violation whose fingerprint the old report does not have."""


OldArgument = Annotated[Path, typer.Argument(metavar="OLD", show_default=False, help="The earlier JSON report (e.g. of the main branch).")]
NewArgument = Annotated[Path, typer.Argument(metavar="NEW", show_default=False, help="The later JSON report (e.g. of the pull request).")]
DiffFormatOption = Annotated[DiffFormat, typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="table, markdown (for a pull-request comment) or json (any case).")]
DiffOutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the diff to this file (atomically) instead of stdout; '-' is stdout.")]
FailOnOption = Annotated[Optional[list[FailOn]], typer.Option("--fail-on", metavar="CONDITION", case_sensitive=False, help="Exit 1 when it happens: new-violations (new error-level policy violations; both reports need policy results). Repeatable.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


def diff_command(
    old: OldArgument,
    new: NewArgument,
    output_format: DiffFormatOption = DiffFormat.TABLE,
    output: DiffOutputOption = None,
    fail_on: FailOnOption = None,
    debug: DebugOption = False,
) -> None:
    """Compare two JSON reports: components added, removed, upgraded, downgraded, licenses changed, new and fixed violations."""
    with guarded(debug):
        conditions = frozenset(fail_on or ())
        target = _usable(lambda: None if output is None or output == STDOUT else check_output_path(output))
        before, after = _usable(lambda: load_report(old)), _usable(lambda: load_report(new))
        diff = compare(before, after)
        if FailOn.NEW_VIOLATIONS in conditions:
            _require_policy_results(diff, old, new)
        _write(diff, output_format, target)
        raise typer.Exit(_exit_code(diff, conditions))


def _usable(action: Callable[[], T]) -> T:
    """Run `action`; an unreadable report or an unusable --output is a usage error (exit 2)."""
    try:
        return action()
    except (ReportLoadError, OutputPathError) as error:
        diagnostics.error(str(error))
        raise typer.Exit(ExitCode.USAGE) from None


def _require_policy_results(diff: ReportDiff, old: Path, new: Path) -> None:
    """--fail-on new-violations with a report that was never judged: exit 2, not a pass."""
    for path, side in ((old, diff.old), (new, diff.new)):
        if not side.has_policy:
            diagnostics.error(f"{path}: has no policy results, so --fail-on new-violations cannot judge it; make it with `ospo-scan check --format json` (or scan --policy)")
            raise typer.Exit(ExitCode.USAGE)


def _write(diff: ReportDiff, output_format: DiffFormat, target: OutputTarget | None) -> None:
    _usable(lambda: write_report(functools.partial(output_format.renderer, diff), target))


def _exit_code(diff: ReportDiff, conditions: frozenset[FailOn]) -> ExitCode:
    """1 when a --fail-on condition holds (said on stderr), else 0."""
    errors = diff.new_error_violations
    if FailOn.NEW_VIOLATIONS not in conditions or not errors:
        return ExitCode.OK
    named = [f"{v.rule} ({v.component or v.path or 'no component'})" for v in errors]
    diagnostics.error(f"{count(len(errors), 'new error-level policy violation')}: {listing(named)}")
    return ExitCode.VIOLATIONS
