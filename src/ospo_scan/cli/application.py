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
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional, TextIO, TypeVar

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
from ospo_scan.cli.github_actions import annotate
from ospo_scan.cli.policy_gate import announce_outcome, find_policy, gate_exit_code, judge
from ospo_scan.policy.baseline import Baseline, BaselineError, load_baseline
from ospo_scan.cli.progress import scan_progress
from ospo_scan.cli.repository_paths import scan_paths
from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.model import Severity
from ospo_scan.licenses.curations import Curations, CurationsError, load_curations, no_curations
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
FORMAT_NAMES = ", ".join(member.value for member in OutputFormat)
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


PathsArgument = Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", show_default=False, help="Directories (or single manifests) to scan. Default: '.'.")]
FormatOption = Annotated[Optional[list[OutputFormat]], typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, show_default=False, help=f"Report format: {FORMAT_NAMES} (any case). Repeatable, paired in order with --output. Default: table.")]
OutputOption = Annotated[Optional[list[Path]], typer.Option("--output", "-o", metavar="FILE", readable=False, help="Write the report to this file (atomically; a device or FIFO in place) instead of stdout; '-' is stdout. One per --format, in order.")]
ExcludeOption = Annotated[Optional[list[str]], typer.Option("--exclude", "-x", metavar="GLOB", help="Glob of paths to skip (repeatable), matched against the relative path and the file name.")]
MaxSizeOption = Annotated[str, typer.Option("--max-file-size", metavar="SIZE", help="Refuse files above this size (e.g. 50MB, 512k).")]
MavenRepoOption = Annotated[Optional[Path], typer.Option("--maven-repo", metavar="DIR", help="Local Maven repository to find parent POMs and BOMs in (read only, never downloaded). Default: ~/.m2/repository when it exists.")]
PythonEnvOption = Annotated[Optional[list[Path]], typer.Option("--python-env", metavar="DIR", help="A Python environment (or site-packages folder) to read installed licenses from (repeatable); those inside the scanned tree are found anyway.")]
CurationsOption = Annotated[Optional[Path], typer.Option("--curations", metavar="FILE", help="TOML file of the organization's license decisions (purl pattern, license, reason); they override every other evidence.")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=0, help="Worker processes for parsing (0: one per core).")]
DetailsOption = Annotated[bool, typer.Option("--details", help="List every component in the table and markdown reports too.")]
IncludeDevOption = Annotated[bool, typer.Option("--include-dev", help="Notices: cover development, test and optional components too, not only what ships.")]
PrettyOption = Annotated[bool, typer.Option("--pretty", help="Indent the JSON report (default: compact, one line).")]
TimestampOption = Annotated[bool, typer.Option("--timestamp", help="Write the current time into SBOMs and SARIF (SOURCE_DATE_EPOCH, when set, is used instead). Default: no time, so the same input gives the same bytes.")]
PolicyOption = Annotated[Optional[Path], typer.Option("--policy", metavar="FILE", help="Policy file (TOML). Default: the policy in .ospo-scan.toml, or in the tool.ospo-scan table of pyproject.toml, of the first scanned folder.")]
BaselineOption = Annotated[Optional[Path], typer.Option("--baseline", metavar="FILE", help="An earlier JSON report of check (e.g. from main): fail only on violations it does not have.")]
BaselineStrictOption = Annotated[bool, typer.Option("--baseline-strict", help="With --baseline: also fail when baseline violations no longer occur (the baseline is out of date).")]
AllowPartialOption = Annotated[bool, typer.Option("--allow-partial", help="Judge an incomplete scan anyway instead of exiting 3 (the report still says what could not be read).")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
ReposOption = Annotated[Optional[Path], typer.Option("--repos", metavar="ROOT", help="Also scan every git repository below ROOT (every top-level folder when none has a .git), each as its own repository.")]
DEFAULT_MAX_SIZE = f"{DEFAULT_MAX_FILE_SIZE // 1024**2}MB"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRequest:
    """What `scan` and `check` share: where to scan, how, and which reports to write."""

    paths: list[Path]
    output_formats: list[OutputFormat]
    outputs: list[Path]
    exclude: list[str]
    max_file_size: str
    maven_repo: Path | None
    python_env: list[Path]
    curations: Path | None
    jobs: int
    details: bool
    include_dev: bool
    timestamp: bool
    pretty: bool = False
    policy: Path | None = None
    require_policy: bool = False
    baseline: Path | None = None


@app.command("scan", epilog=EXIT_CODES_HELP, cls=ReadableHelpCommand)
def scan_command(
    paths: PathsArgument = None,
    output_formats: FormatOption = None,
    outputs: OutputOption = None,
    exclude: ExcludeOption = None,
    max_file_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    maven_repo: MavenRepoOption = None,
    python_env: PythonEnvOption = None,
    curations: CurationsOption = None,
    jobs: JobsOption = 0,
    details: DetailsOption = False,
    include_dev: IncludeDevOption = False,
    timestamp: TimestampOption = False,
    pretty: PrettyOption = False,
    policy: Annotated[Optional[Path], typer.Option("--policy", metavar="FILE", help="Judge the scan against this policy file, as check does (exit 1 on error-level violations).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when any file could not be read or parsed.")] = False,
    repos: ReposOption = None,
    debug: DebugOption = False,
) -> None:
    """Scan manifests and lockfiles: how much open source, the critical projects, the compliance gaps."""
    with guarded(debug):
        request = RunRequest(
            paths=scan_paths(paths, repos), output_formats=output_formats or [], outputs=outputs or [], exclude=exclude or [],
            max_file_size=max_file_size, maven_repo=maven_repo, python_env=python_env or [], curations=curations, jobs=jobs,
            details=details, include_dev=include_dev, timestamp=timestamp, pretty=pretty, policy=policy, require_policy=policy is not None,
        )
        report = _run(request)
        if policy is not None:
            raise typer.Exit(gate_exit_code(report, allow_partial=not strict, baseline_strict=False))
        if strict and not report.inventory.complete:
            raise typer.Exit(ExitCode.INCOMPLETE)


@app.command("check", epilog=EXIT_CODES_HELP, cls=ReadableHelpCommand)
def check_command(
    paths: PathsArgument = None,
    policy: PolicyOption = None,
    baseline: BaselineOption = None,
    baseline_strict: BaselineStrictOption = False,
    allow_partial: AllowPartialOption = False,
    output_formats: FormatOption = None,
    outputs: OutputOption = None,
    exclude: ExcludeOption = None,
    max_file_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    maven_repo: MavenRepoOption = None,
    python_env: PythonEnvOption = None,
    curations: CurationsOption = None,
    jobs: JobsOption = 0,
    details: DetailsOption = False,
    timestamp: TimestampOption = False,
    pretty: PrettyOption = False,
    repos: ReposOption = None,
    debug: DebugOption = False,
) -> None:
    """Gate a merge: scan, judge against the policy, exit 1 only for error-level violations (new ones, with --baseline)."""
    with guarded(debug):
        if baseline_strict and baseline is None:
            raise typer.BadParameter("needs --baseline", param_hint="--baseline-strict")
        request = RunRequest(
            paths=scan_paths(paths, repos), output_formats=output_formats or [], outputs=outputs or [], exclude=exclude or [],
            max_file_size=max_file_size, maven_repo=maven_repo, python_env=python_env or [], curations=curations, jobs=jobs,
            details=details, include_dev=False, timestamp=timestamp, pretty=pretty, policy=policy, require_policy=True, baseline=baseline,
        )
        report = _run(request)
        raise typer.Exit(gate_exit_code(report, allow_partial=allow_partial, baseline_strict=baseline_strict))


def _run(request: RunRequest) -> Report:
    """Check every argument, scan, judge, and write every report (usage errors exit 2 before the scan)."""
    size = parse_size(request.max_file_size)
    planned = _fail_on(OutputPathError, lambda: plan_outputs(request.output_formats, request.outputs))
    created = _fail_on(ValueError, lambda: creation_time(request.timestamp))
    options = scan_options(request.exclude, size, request.maven_repo, request.python_env, request.curations, request.jobs)
    criticality = _fail_on(ConfigError, lambda: _criticality_settings(request.paths))
    policy = _fail_on(ConfigError, lambda: find_policy(request.paths, request.policy, required=request.require_policy))
    baseline = _baseline(request.baseline)
    with scan_progress(diagnostics.stderr_console()) as progress:
        inventory = _fail_on(ScanInputError, lambda: scan(request.paths, options, progress=progress))
    outcome = judge(inventory, policy, baseline) if policy is not None else None
    report = Report.of(inventory, criticality, show_components=request.details, created=created, include_dev=request.include_dev, policy=outcome, pretty=request.pretty)
    for each in planned:
        file_format = each.output_format is not OutputFormat.TABLE
        pieces = functools.partial(_json_pieces, report) if each.output_format is OutputFormat.JSON else None
        spelled = _fail_on(OutputPathError, lambda: write_report(functools.partial(each.output_format.renderer, report), each.target, file_format=file_format, pieces=pieces))
        if spelled:
            _say_spelled_out(spelled, each.output_format)
    _say_how_it_went(report)
    annotate(report, stdout_taken=any(each.target is None for each in planned))
    return report


def scan_options(exclude: list[str], max_file_size: int, maven_repo: Path | None, python_env: list[Path], curations: Path | None, jobs: int) -> ScanOptions:
    """The scan options the shared flags ask for (usage errors exit 2): scan, check and snapshot save agree."""
    repository = _maven_repository(maven_repo)
    licenses = LicenseOptions(python_envs=_existing_folders(python_env, "--python-env"), maven_repository=repository, curations=_curations(curations))
    return ScanOptions(excludes=tuple(exclude), max_file_size=max_file_size, maven_repository=repository, licenses=licenses, jobs=jobs)


def _say_spelled_out(spelled: int, output_format: OutputFormat) -> None:
    """Why the report on the terminal is not byte for byte the report (cli.terminal_document)."""
    what = count(spelled, "control or bidi character")
    diagnostics.note(f"{what} from scanned files spelled out on this terminal (as \\x1b, \\u202e); --output FILE or a pipe gets the {output_format.value} report's exact bytes")


def _json_pieces(report: Report, stream: TextIO) -> None:
    """The JSON report streamed into its file (reporters.json_report.write_printable)."""
    from ospo_scan.reporters.json_report import write_printable

    write_printable(report, stream)


def _curations(path: Path | None) -> Curations:
    if path is None:
        return no_curations()
    return _fail_on(CurationsError, lambda: load_curations(path))


def _baseline(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    return _fail_on(BaselineError, lambda: load_baseline(path))


def _say_how_it_went(report: Report) -> None:
    inventory = report.inventory
    errors = sum(1 for issue in inventory.issues if issue.severity is Severity.ERROR)
    if errors:
        diagnostics.note(f"{count(errors, 'file or entry')} could not be read; the scan is incomplete")
    elif inventory.issues:
        diagnostics.note(f"{count(len(inventory.issues), 'warning')} (the scan is complete)")
    if report.policy is not None:
        announce_outcome(report.policy)


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
    if given is None:
        return None
    try:
        is_folder = given.is_dir()
    except OSError as failure:  # a parent folder this user may not enter: is_dir raises, it does not say no
        raise typer.BadParameter(f"{given} cannot be read: {failure.strerror or failure}", param_hint="--maven-repo") from None
    if not is_folder:
        raise typer.BadParameter(f"{given} is not a directory", param_hint="--maven-repo")
    return given


def _fail_on(error_type: type[Exception] | tuple[type[Exception], ...], action: Callable[[], T]) -> T:
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
