"""`ospo-scan snapshot save | import | list | diff`: the organization inventory over time.

`save` scans repositories and writes what they use into the store as one snapshot,
repository by repository as each is done (organization_scan), so memory holds one
repository's records at a time however many there are. `import` loads JSON reports
that CI jobs made elsewhere (`scan . --format json`) the same way. Both are one
transaction: a failure or Ctrl-C leaves the store as it was, and saving the same scan
again stores nothing new (the snapshot points at the scan already there).

A repository that cannot be scanned (or a report that cannot be read) is said at once
and the others go on; the snapshot then lacks it, and the exit code is 3 so that a
nightly job notices. Nothing saved at all writes no snapshot.

`--join` lets many writers build one snapshot: each CI job of a matrix saves (or
imports) its own repository into the newest snapshot with the label, and a repository
saved again replaces its earlier scan there. `save --join` scans before it takes the
write lock, so the jobs wait for each other only while writing.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.text import Text

from ospo_scan.analysis.wording import count
from ospo_scan.cli import diagnostics
from ospo_scan.cli.application import (
    DEFAULT_MAX_SIZE, CurationsOption, DebugOption, ExcludeOption, JobsOption, MavenRepoOption, MaxSizeOption, PythonEnvOption,
    _fail_on, guarded, parse_size, scan_options,
)
from ospo_scan.cli.diff_command import DiffFormatOption, DiffOutputOption, STDOUT
from ospo_scan.cli.exit_codes import ExitCode
from ospo_scan.cli.help_format import ReadableHelpCommand
from ospo_scan.cli.organization_progress import OrganizationProgress, organization_progress
from ospo_scan.cli.output import OutputPathError, check_output_path, write_report
from ospo_scan.cli.repository_paths import scan_paths
from ospo_scan.cli.store_access import DbOption, opened_store, snapshot_time, store_call
from ospo_scan.config import ConfigError
from ospo_scan.diffing import DiffFormat
from ospo_scan.reporters.terminal_text import plain_text

if TYPE_CHECKING:
    from ospo_scan.assessment.model import Check
    from ospo_scan.organization_scan import RepositoryOutcome
    from ospo_scan.policy import Policy
    from ospo_scan.store.model import RepositoryScan
    from ospo_scan.store.interface import SnapshotWriter

SNAPSHOT_EXIT_CODES_HELP = (
    "Exit codes: 0 every repository (or report) saved; 2 usage error, or a store that cannot be opened; "
    "3 some repository could not be scanned or some report read (the others are saved); 70 internal error; 130 interrupted (nothing saved)."
)

snapshot_app = typer.Typer(name="snapshot", help="Save, import, list and compare snapshots of the organization inventory.", no_args_is_help=True, add_completion=False)

LabelOption = Annotated[Optional[str], typer.Option("--label", "-l", metavar="LABEL", help="A name for the snapshot (e.g. Q4-2026); snapshots can be referred to by it.")]
JoinOption = Annotated[
    bool,
    typer.Option(
        "--join",
        help="Add to the newest snapshot with --label (made if there is none) instead of a new one; a repository already in it has its scan replaced. For many CI jobs writing one snapshot.",
    ),
]


@snapshot_app.command("save", epilog=SNAPSHOT_EXIT_CODES_HELP, cls=ReadableHelpCommand)
def save_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", show_default=False, help="Repositories to scan, each its own repository.")] = None,
    db: DbOption = "",
    label: LabelOption = None,
    join: JoinOption = False,
    repos: Annotated[Optional[Path], typer.Option("--repos", metavar="ROOT", help="Also every git repository below ROOT (every top-level folder when none has a .git).")] = None,
    repository: Annotated[Optional[str], typer.Option("--repository", metavar="NAME", help="The repository's name in the store, when one PATH is saved (default: its folder name).")] = None,
    policy: Annotated[Optional[Path], typer.Option("--policy", metavar="FILE", help="Judge every repository against this policy file (default: each repository's own policy, if it has one).")] = None,
    exclude: ExcludeOption = None,
    max_file_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    maven_repo: MavenRepoOption = None,
    python_env: PythonEnvOption = None,
    curations: CurationsOption = None,
    jobs: JobsOption = 0,
    debug: DebugOption = False,
) -> None:
    """Scan repositories and save them into the store as one snapshot."""
    with guarded(debug):
        from ospo_scan.organization_scan import RepositoryRequest, repository_names, scan_repositories

        targets = scan_paths(paths, repos)
        if repository is not None and len(targets) != 1:
            raise typer.BadParameter(f"names one repository, and {len(targets)} are saved", param_hint="--repository")
        names = {targets[0]: repository} if repository is not None else _fail_on(ValueError, lambda: repository_names(targets, repos))
        options = scan_options(exclude or [], parse_size(max_file_size), maven_repo, python_env or [], curations, jobs=1)
        judged = _fail_on(ConfigError, lambda: _given_policy(policy))
        checks = _fail_on(ConfigError, lambda: _given_checks(policy))
        request = RepositoryRequest(options=options, policy=judged, names=names, checks=checks)
        _check_join(join, label)
        taken_at = _fail_on(ValueError, snapshot_time)
        with opened_store(_required_db(db)) as store, organization_progress(diagnostics.stderr_console(), len(targets)) as progress:
            outcomes = scan_repositories(targets, request, _jobs(jobs))
            if join:  # scan first, then write: the write lock is held for the write only, not while scanning
                scans = list(_scans_of(outcomes, progress))
                outcomes = iter(())
            else:
                scans = []
            with store_call(lambda: store.write_snapshot(label, taken_at, join=join)) as writer:
                for each in itertools.chain(scans, _scans_of(outcomes, progress)):  # streamed, never all held
                    store_call(lambda: writer.add(each))
                _give_up_if_empty(progress)
        _announce(writer, progress, "saved")


@snapshot_app.command("import", epilog=SNAPSHOT_EXIT_CODES_HELP, cls=ReadableHelpCommand)
def import_command(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", show_default=False, help="JSON reports of `ospo-scan scan --format json` (or check).")],
    db: DbOption = "",
    label: LabelOption = None,
    join: JoinOption = False,
    debug: DebugOption = False,
) -> None:
    """Load JSON reports made elsewhere (e.g. by CI jobs) into the store as one snapshot."""
    with guarded(debug):
        from ospo_scan.store.ingest import read_scan_file
        from ospo_scan.store.interface import StoreError

        _check_join(join, label)
        taken_at = _fail_on(ValueError, snapshot_time)
        with opened_store(_required_db(db)) as store, organization_progress(diagnostics.stderr_console(), len(files)) as progress:
            with store_call(lambda: store.write_snapshot(label, taken_at, join=join)) as writer:
                for file in files:
                    try:
                        scans = list(read_scan_file(file))
                    except StoreError as error:
                        progress.say(_line("error", str(error), "red"))
                        progress.repository_done(0, failed=True)
                        continue
                    for each in scans:
                        store_call(lambda: writer.add(each))
                    progress.repository_done(sum(1 for each in scans for component in each.components if not component.first_party))
                _give_up_if_empty(progress)
        _announce(writer, progress, "imported")


def _given_checks(policy: Path | None) -> tuple[Check, ...] | None:
    """The assessment checks of `--policy FILE` for every profile (None: each repository's own)."""
    if policy is None:
        return None
    from ospo_scan.assessment.check_settings import checks_in_force
    from ospo_scan.config import load_settings_file

    return checks_in_force(load_settings_file(policy))


def _check_join(join: bool, label: str | None) -> None:
    if join and not label:
        raise typer.BadParameter("needs --label: the snapshot to join is the newest with that label", param_hint="--join")


def _scans_of(outcomes: Iterable[RepositoryOutcome], progress: OrganizationProgress) -> Iterator[RepositoryScan]:
    """The store records of each scanned repository, saying on the way which failed."""
    for outcome in outcomes:
        for warning in outcome.warnings:
            progress.say(_line("warning", f"{outcome.path}: {warning}", "yellow"))
        if outcome.error is not None:
            progress.say(_line("error", outcome.error, "red"))
            progress.repository_done(0, failed=True)
            continue
        yield from outcome.scans
        progress.repository_done(outcome.components)


@snapshot_app.command("list", cls=ReadableHelpCommand)
def list_command(
    db: DbOption = "",
    output_format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")] = "table",
    debug: DebugOption = False,
) -> None:
    """The snapshots in the store, oldest first."""
    with guarded(debug):
        from ospo_scan.cli.query_output import QueryFormat, Row, write_rows

        chosen = _fail_on(ValueError, lambda: QueryFormat(output_format.lower()))
        with opened_store(_required_db(db)) as store:
            records = store_call(store.snapshots)
        rows: list[Row] = [{"id": r.id, "label": r.label or "", "taken_at": r.taken_at, "repositories": r.repositories, "components": r.components} for r in records]
        write_rows(rows, ("id", "label", "taken_at", "repositories", "components"), chosen, title="Snapshots", empty="no snapshot yet: ospo-scan snapshot save --db DB PATH...")


@snapshot_app.command("diff", cls=ReadableHelpCommand)
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", show_default=False, help="The earlier snapshot: its id, its label, or latest.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later snapshot.")] = "latest",
    db: DbOption = "",
    output_format: DiffFormatOption = DiffFormat.TABLE,
    output: DiffOutputOption = None,
    debug: DebugOption = False,
) -> None:
    """What changed between two stored snapshots: the same diff as `ospo-scan diff` between two reports."""
    with guarded(debug):
        from ospo_scan.diffing import compare

        target = _fail_on(OutputPathError, lambda: None if output is None or output == STDOUT else check_output_path(output))
        with opened_store(_required_db(db)) as store:
            before = store_call(lambda: store.snapshot_document(store.snapshot(old).id))
            after = store_call(lambda: store.snapshot_document(store.snapshot(new).id))
        result = compare(before, after)
        _fail_on(OutputPathError, lambda: write_report(functools.partial(output_format.renderer, result), target))


def _given_policy(path: Path | None) -> Policy | None:
    """--policy FILE, loaded once for every repository (None: each repository's own)."""
    from ospo_scan.cli.policy_gate import find_policy

    return None if path is None else find_policy([path.parent], path, required=True)


def _jobs(jobs: int) -> int:
    """--jobs 0: one worker per core."""
    import os

    return jobs or os.cpu_count() or 1


def _required_db(db: str) -> str:
    """--db (or $OSPO_SCAN_DB) is required: there is no inventory the store could guess."""
    if not db:
        raise typer.BadParameter("is needed (or OSPO_SCAN_DB): a SQLite file or a postgresql:// URL", param_hint="--db")
    return db


def _line(label: str, message: str, style: str) -> Text:
    """`label: message` as diagnostics prints it, for the progress bar's console."""
    line = Text(label, style=style)
    line.append(": " + plain_text(message))
    return line


def _give_up_if_empty(progress: OrganizationProgress) -> None:
    """Every input failed: exit 3 inside the transaction, so no empty snapshot is written."""
    if progress.repositories and progress.failed == progress.repositories:
        diagnostics.error(f"none of the {count(progress.repositories, 'input')} could be saved; no snapshot written")
        raise typer.Exit(ExitCode.INCOMPLETE)


def _announce(writer: SnapshotWriter, progress: OrganizationProgress, verb: str) -> None:
    """Say what landed; exit 3 when some input did not (it was said as it failed)."""
    record = writer.record
    name = f"snapshot {record.id}" + (f" ({record.label})" if record.label else "")
    saved = progress.repositories - progress.failed
    message = f"{name} {verb}: {count(saved, 'repository')}, {count(record.components, 'third-party component')}"
    if progress.failed:
        message += f"; {progress.failed} failed (said above)"
    diagnostics.note(message)
    if progress.failed:
        raise typer.Exit(ExitCode.INCOMPLETE)
