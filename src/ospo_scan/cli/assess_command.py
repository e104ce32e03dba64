"""`ospo-scan assess PATH...`: the OSPO assessment of repositories on disk.

Scans the repositories as `scan PATH...` does (each path its own repository), reads
each one's own license, health files, policy files and CI definitions, and answers
the six first questions of an OSPO assessment (assessment/). Nothing is judged here:
the exit code is 0 whatever the findings (an assessment informs; `check` gates) and
2 for a usage error. Files that could not be read are said on stderr, as a scan says
them, and counted in the report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

from ospo_scan.cli import diagnostics
from ospo_scan.cli.application import (
    DEFAULT_MAX_SIZE, CurationsOption, DebugOption, ExcludeOption, JobsOption, MavenRepoOption, MaxSizeOption, PythonEnvOption,
    _criticality_settings, _fail_on, guarded, parse_size, scan_options,
)
from ospo_scan.cli.output import OutputPathError, OutputTarget, check_output_path, write_report
from ospo_scan.cli.policy_gate import find_policy
from ospo_scan.cli.progress import scan_progress
from ospo_scan.cli.repository_paths import scan_paths
from ospo_scan.config import ConfigError, find_settings_file, load_settings_file

if TYPE_CHECKING:
    from ospo_scan.assessment.model import Assessment, Check
    from ospo_scan.reporters.assessment import AssessmentFormat

ASSESS_EXIT_CODES_HELP = "Exit codes: 0 assessed (whatever the findings: `check` is the gate); 2 usage error (a bad option, path or settings file); 70 internal error; 130 interrupted."


def assess_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", show_default=False, help="Repositories to assess, each its own repository (default: .).")] = None,
    repos: Annotated[Optional[Path], typer.Option("--repos", metavar="ROOT", help="Also every git repository below ROOT (every top-level folder when none has a .git).")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, markdown, html or json.")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file (atomically) instead of stdout.")] = None,
    policy: Annotated[Optional[Path], typer.Option("--policy", metavar="FILE", help="The policy and custom checks ([[assessment.checks]]) to assess by (default: the first path's settings file).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Judge exception expiry as of this day, YYYY-MM-DD (default: today).")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON report.")] = False,
    db: Annotated[str, typer.Option("--db", metavar="DB", help="Assess a stored snapshot instead of paths: a SQLite file or a postgresql:// URL (profiles are stored by `snapshot save`).")] = "",
    snapshot: Annotated[str, typer.Option("--snapshot", metavar="REF", help="With --db: the snapshot (latest, an id or a label).")] = "latest",
    exclude: ExcludeOption = None,
    max_file_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    maven_repo: MavenRepoOption = None,
    python_env: PythonEnvOption = None,
    curations: CurationsOption = None,
    jobs: JobsOption = 0,
    debug: DebugOption = False,
) -> None:
    """Assess the organization: what open source it uses and how, what is critical, what it creates, its policies, its risks."""
    with guarded(debug):
        from ospo_scan.assessment.assess import AssessmentRequest, assess
        from ospo_scan.organization_scan import repository_names
        chosen = _format(output_format)
        target = _fail_on(OutputPathError, lambda: None if output is None or str(output) == "-" else check_output_path(output))
        today = _day(as_of)
        if db:
            if paths or repos is not None or policy is not None:
                raise typer.BadParameter("assesses the stored snapshot: give no PATH, --repos or --policy with it", param_hint="--db")
            _write(_stored_assessment(db, snapshot, today), chosen, pretty, target)
            return
        targets = scan_paths(paths, repos)
        request = AssessmentRequest(
            paths=tuple(targets),
            options=scan_options(exclude or [], parse_size(max_file_size), maven_repo, python_env or [], curations, jobs),
            checks=_fail_on(ConfigError, lambda: _checks(targets, policy)),
            policy=_fail_on(ConfigError, lambda: find_policy(targets, policy, required=False)),
            criticality=_fail_on(ConfigError, lambda: _criticality_settings(targets)),
            today=today,
            names=_fail_on(ValueError, lambda: repository_names(targets, repos)),
        )
        with scan_progress(diagnostics.stderr_console()) as progress:
            assessment = assess(request, progress)
        _write(assessment, chosen, pretty, target)


def _stored_assessment(db: str, snapshot: str, today: date) -> Assessment:
    from ospo_scan.assessment.stored import assess_snapshot
    from ospo_scan.cli.store_access import opened_store, store_call

    with opened_store(db) as store:
        return store_call(lambda: assess_snapshot(store, snapshot, today))


def _write(assessment: Assessment, chosen: AssessmentFormat, pretty: bool, target: OutputTarget | None) -> None:
    from ospo_scan.reporters.assessment import AssessmentFormat, render

    def draw(stream: TextIO, is_terminal: bool) -> None:
        stream.write(render(assessment, chosen, pretty, is_terminal=is_terminal))

    _fail_on(OutputPathError, lambda: write_report(draw, target, file_format=chosen is not AssessmentFormat.TABLE))
    _say_unread(assessment)


def _checks(paths: list[Path], policy: Path | None) -> tuple[Check, ...]:
    """The checks in force: built-in ones, with those of --policy FILE or the first path's settings."""
    from ospo_scan.assessment.check_settings import checks_in_force

    if policy is not None:
        if not policy.is_file():
            raise ConfigError(f"{policy}: no such policy file")
        return checks_in_force(load_settings_file(policy))
    folder = paths[0] if paths[0].is_dir() else paths[0].parent
    found = find_settings_file(folder)
    return checks_in_force(load_settings_file(found) if found is not None else None)


def _format(given: str) -> AssessmentFormat:
    from ospo_scan.reporters.assessment import AssessmentFormat

    try:
        return AssessmentFormat(given.lower())
    except ValueError:
        names = ", ".join(member.value for member in AssessmentFormat)
        raise typer.BadParameter(f"{given!r} is not one of {names}", param_hint="--format") from None


def _day(given: str | None) -> date:
    if not given:
        return date.today()
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise typer.BadParameter(f"{given!r} is not a date (YYYY-MM-DD)", param_hint="--as-of") from None


def _say_unread(assessment: Assessment) -> None:
    """Files the scan or the profiles could not read, as a scan says them (exit code unchanged)."""
    for error in (*assessment.unread, *(error for profile in assessment.profiles for error in profile.errors)):
        diagnostics.say("warning", error, style="yellow")
