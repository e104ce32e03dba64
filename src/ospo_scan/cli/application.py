"""`ospo-scan` commands.

Every command body runs inside `guarded()`, which turns an interrupt into 130, a
closed stdout into 141 and any unexpected exception into 70 with a one-line message
(the traceback only with --debug): a bare traceback would exit 1, which CI reads as a
policy failure. `main()` does the same for what fails outside a command body.
Messages go through `diagnostics`, which never reads quoted text as markup.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer

from ospo_scan import __version__
from ospo_scan.cli import diagnostics
from ospo_scan.cli.exit_codes import EXIT_CODES_HELP, ExitCode
from ospo_scan.cli.help_format import ReadableHelpCommand
from ospo_scan.analysis.criticality import CriticalitySettings
from ospo_scan.analysis.wording import count
from ospo_scan.config import ConfigError, find_settings_file, load_settings_file
from ospo_scan.config.criticality import parse_criticality
from ospo_scan.cli.output import OutputPathError, write_report
from ospo_scan.cli.output_plan import creation_time, plan_outputs
from ospo_scan.cli.progress import scan_progress
from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.model import Severity
from ospo_scan.licenses.curations import CurationsError, load_curations, no_curations
from ospo_scan.reading import DEFAULT_MAX_FILE_SIZE
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanInputError, ScanOptions, scan

app = typer.Typer(
    name="ospo-scan",
    help="Inventory the open source a repository uses, offline. " + EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
T = TypeVar("T")
FORMAT_NAMES = " or ".join(member.value for member in OutputFormat)
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str) -> int:
    """'50MB', '512k', '1GiB' or a plain byte count -> bytes (binary units)."""
    found = _SIZE.match(text)
    if not found:
        raise typer.BadParameter(f"{text!r} is not a size such as 50MB, 512k or 1048576")
    unit = (found.group(2) or "")[:1].lower()
    return int(found.group(1)) * _UNITS[unit]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"ospo-scan {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Inventory the open source a repository uses, offline."""


@contextmanager
def guarded(debug: bool) -> Iterator[None]:
    """Map interrupts and unexpected errors to their exit codes."""
    try:
        yield
    except (typer.Exit, typer.BadParameter):
        raise  # already carries its exit code (usage errors exit 2)
    except KeyboardInterrupt:
        diagnostics.say("interrupted")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        _detach_stdout()
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None
    except Exception as error:  # noqa: BLE001 - last line of defence; reported, never swallowed
        _report_internal_error(error, debug)
        raise typer.Exit(ExitCode.INTERNAL) from None


def _report_internal_error(error: Exception, debug: bool) -> None:
    if debug:
        diagnostics.show_traceback(traceback.format_exc())
    diagnostics.say("internal error", f"{type(error).__name__}: {error} (run with --debug for the traceback)")


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
        os.close(descriptor)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is no file descriptor (a test runner's buffer): nothing will flush it


@app.command("scan", epilog=EXIT_CODES_HELP, cls=ReadableHelpCommand)
def scan_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", show_default=False, help="Directories (or single manifests) to scan. Default: '.'.")] = None,
    output_formats: Annotated[Optional[list[OutputFormat]], typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, show_default=False, help=f"Report format: {FORMAT_NAMES} (any case). Repeatable, paired in order with --output. Default: table.")] = None,
    outputs: Annotated[Optional[list[Path]], typer.Option("--output", "-o", metavar="FILE", readable=False, help="Write the report to this file (atomically; a device or FIFO in place) instead of stdout; '-' is stdout. One per --format, in order.")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="GLOB", help="Glob of paths to skip (repeatable), matched against the relative path and the file name.")] = None,
    max_file_size: Annotated[str, typer.Option("--max-file-size", metavar="SIZE", help="Refuse files above this size (e.g. 50MB, 512k).")] = f"{DEFAULT_MAX_FILE_SIZE // 1024**2}MB",
    maven_repo: Annotated[Optional[Path], typer.Option("--maven-repo", metavar="DIR", help="Local Maven repository to find parent POMs and BOMs in (read only, never downloaded). Default: ~/.m2/repository when it exists.")] = None,
    python_env: Annotated[Optional[list[Path]], typer.Option("--python-env", metavar="DIR", help="A Python environment (or site-packages folder) to read installed licenses from (repeatable); those inside the scanned tree are found anyway.")] = None,
    curations: Annotated[Optional[Path], typer.Option("--curations", metavar="FILE", help="TOML file of the organization's license decisions (purl pattern, license, reason); they override every other evidence.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=0, help="Worker processes for parsing (0: one per core).")] = 0,
    details: Annotated[bool, typer.Option("--details", help="List every component in the table and markdown reports too.")] = False,
    include_dev: Annotated[bool, typer.Option("--include-dev", help="Notices: cover development, test and optional components too, not only what ships.")] = False,
    timestamp: Annotated[bool, typer.Option("--timestamp", help="Write the current time into SBOMs and SARIF (SOURCE_DATE_EPOCH, when set, is used instead). Default: no time, so the same input gives the same bytes.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when any file could not be read or parsed.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Scan manifests and lockfiles: how much open source, the critical projects, the compliance gaps."""
    with guarded(debug):
        size = parse_size(max_file_size)
        planned = _fail_on(OutputPathError, lambda: plan_outputs(output_formats or [], outputs or []))
        created = _fail_on(ValueError, lambda: creation_time(timestamp))
        repository = _maven_repository(maven_repo)
        licenses = LicenseOptions(
            python_envs=_existing_folders(python_env or [], "--python-env"),
            maven_repository=repository,
            curations=_fail_on(CurationsError, lambda: load_curations(curations)) if curations else no_curations(),
        )
        options = ScanOptions(excludes=tuple(exclude or ()), max_file_size=size, maven_repository=repository, licenses=licenses, jobs=jobs)
        criticality = _fail_on(ConfigError, lambda: _criticality_settings(paths or [Path(".")]))
        with scan_progress(diagnostics.stderr_console()) as progress:
            inventory = _fail_on(ScanInputError, lambda: scan(paths or [Path(".")], options, progress=progress))
        report = Report.of(inventory, criticality, show_components=details, created=created, include_dev=include_dev)
        for each in planned:
            _fail_on(OutputPathError, lambda: write_report(functools.partial(each.output_format.renderer, report), each.target))
        errors = sum(1 for issue in inventory.issues if issue.severity is Severity.ERROR)
        if errors:
            diagnostics.note(f"{count(errors, 'file or entry')} could not be read; the scan is incomplete")
        elif inventory.issues:
            diagnostics.note(f"{count(len(inventory.issues), 'warning')} (the scan is complete)")
        if strict and not inventory.complete:
            raise typer.Exit(ExitCode.INCOMPLETE)


def _criticality_settings(paths: list[Path]) -> CriticalitySettings | None:
    """[criticality] from the settings file of the first scanned folder (README: Settings)."""
    folder = paths[0] if paths[0].is_dir() else paths[0].parent
    found = find_settings_file(folder)
    if found is None:
        return None
    settings: CriticalitySettings | None = load_settings_file(found).section("criticality", parse_criticality)
    return settings


def _existing_folders(paths: list[Path], option: str) -> tuple[Path, ...]:
    for path in paths:
        if not path.is_dir():
            raise typer.BadParameter(f"{path} is not a directory", param_hint=option)
    return tuple(paths)


def _maven_repository(given: Path | None) -> Path | None:
    """The --maven-repo folder, which must exist (None: the library's default applies)."""
    if given is not None and not given.is_dir():
        raise typer.BadParameter(f"{given} is not a directory", param_hint="--maven-repo")
    return given


def _fail_on(error_type: type[Exception], action: Callable[[], T]) -> T:
    """Run `action`; an `error_type` error is a usage error (exit 2) with its message."""
    try:
        return action()
    except error_type as error:
        diagnostics.error(str(error))
        raise typer.Exit(ExitCode.USAGE) from None


def main() -> None:
    """Console-script entry point: an error outside any command body still exits 70."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - what typer lets through would be a traceback and exit 1
        _report_internal_error(error, debug="--debug" in sys.argv)
        sys.exit(ExitCode.INTERNAL)
