"""Scanning many repositories for the organization store, one repository per task.

Each repository is scanned on its own (as `ospo-scan scan REPO` would), judged against
the policy that applies to it, and boiled down to the store's RepositoryScan records in
the worker; only those small records come back. So the parent holds one repository's
answer at a time, however many repositories there are, and a repository that fails
(an unreadable root, a crash in a parser, a worker the OS killed) is reported as such
while the others go on. Repositories run in parallel in a process pool (`--jobs`); each
worker scans serially, since nesting pools would only oversubscribe the cores.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime, timezone
from multiprocessing.context import BaseContext
from pathlib import Path

from ospo_scan.analysis import Analysis, analyze
from ospo_scan.assessment.model import Check
from ospo_scan.config import ConfigError, find_settings_file, load_settings_file
from ospo_scan.policy import Policy, evaluate, has_policy, load_policy
from ospo_scan.reporters.json_report import to_document
from ospo_scan.model import Inventory
from ospo_scan.scan import ScanInputError, ScanOptions, scan
from ospo_scan.store.ingest import repository_scans
from ospo_scan.store.interface import StoreError
from ospo_scan.store.model import RepositoryScan

IN_FLIGHT_PER_WORKER = 2
"""Repositories handed to each worker ahead: enough to keep it busy, few enough that
finished results never pile up in the parent."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryRequest:
    """How every repository is scanned (the same for all of them)."""

    options: ScanOptions
    policy: Policy | None = None
    """`--policy FILE` for every repository; None: each repository's own policy, if it has one."""
    names: Mapping[Path, str] = dataclasses.field(default_factory=dict)
    """The store name of each repository (repository_names); one not named is called by its folder name."""
    checks: tuple[Check, ...] | None = None
    """The assessment checks for every repository's profile; None: each repository's own
    settings file's (built-in checks when it has none)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryOutcome:
    """What became of one repository: its records for the store, or why there are none."""

    path: Path
    scans: tuple[RepositoryScan, ...] = ()
    error: str | None = None
    """Why the repository could not be scanned (then `scans` is empty)."""
    warnings: tuple[str, ...] = ()
    """What went wrong without stopping it (a policy file that could not be read)."""
    components: int = 0
    """Third-party components found."""
    incomplete: bool = False
    """Some file of it could not be read (the stored status says so too)."""


def scan_repositories(paths: Iterable[Path], request: RepositoryRequest, jobs: int) -> Iterator[RepositoryOutcome]:
    """Each repository's outcome, as soon as it is done (in completion order)."""
    serial = dataclasses.replace(request, options=dataclasses.replace(request.options, jobs=1))
    queue = list(paths)
    if jobs <= 1 or len(queue) <= 1:
        yield from (scan_repository(path, serial) for path in queue)
        return
    yield from _in_pool(queue, serial, jobs)


def scan_repository(path: Path, request: RepositoryRequest) -> RepositoryOutcome:
    """Scan one repository and turn it into store records (runs in a worker)."""
    try:
        inventory = scan([path], request.options)
    except ScanInputError as error:
        return RepositoryOutcome(path=path, error=str(error))
    warnings: list[str] = []
    policy = request.policy if request.policy is not None else _own_policy(path, warnings)
    outcome = evaluate(inventory, policy, _today()) if policy is not None else None
    analysis = analyze(inventory)
    document = to_document(inventory, analysis, outcome)
    try:
        scans = tuple(repository_scans(document, request.names.get(path)))
    except StoreError as error:
        return RepositoryOutcome(path=path, error=str(error))
    scans = tuple(_with_profile(scan, path, inventory, analysis, request.checks, warnings) for scan in scans)
    third_party = sum(1 for component in inventory.components if not component.first_party)
    return RepositoryOutcome(path=path, scans=scans, warnings=tuple(warnings), components=third_party, incomplete=not inventory.complete)


def repository_names(paths: Sequence[Path], root: Path | None) -> dict[Path, str]:
    """Each repository's organization-wide name: its path below `--repos ROOT` (so that
    `team-a/api` and `team-b/api` stay two repositories), else its folder name. Two
    repositories that would share a name are a ValueError naming both, since a snapshot
    holds one scan per name."""
    names: dict[Path, str] = {}
    taken: dict[str, Path] = {}
    for path in paths:
        resolved = path.resolve()
        below = root is not None and resolved.is_relative_to(root.resolve()) and resolved != root.resolve()
        name = resolved.relative_to(root.resolve()).as_posix() if below and root is not None else (resolved.name or str(resolved))
        if name in taken and taken[name] != path:
            raise ValueError(f"{taken[name]} and {path} would both be saved as repository {name!r}: save them apart, or name one with --repository")
        taken[name] = path
        names[path] = name
    return names


def _own_policy(path: Path, warnings: list[str]) -> Policy | None:
    """The policy in the repository's own settings file; a broken one is a warning, so the
    inventory is still saved (without policy results)."""
    folder = path if path.is_dir() else path.parent
    try:
        found = find_settings_file(folder)
        settings = load_settings_file(found) if found is not None else None
        return load_policy(settings) if settings is not None and has_policy(settings) else None
    except ConfigError as error:
        warnings.append(f"{error} (saved without policy results)")
        return None


def _with_profile(scan: RepositoryScan, path: Path, inventory: Inventory, analysis: Analysis, checks: tuple[Check, ...] | None, warnings: list[str]) -> RepositoryScan:
    """The scan with the repository's assessment profile, for `assess --db`. A profile
    that cannot be made (a broken [[assessment.checks]]) is a warning: the inventory is
    still saved."""
    from ospo_scan.assessment.check_settings import checks_in_force
    from ospo_scan.assessment.profile import profile_repository
    from ospo_scan.assessment.profile_document import profile_json

    root = path if path.is_dir() else path.parent
    try:
        if checks is None:
            found = find_settings_file(root)
            checks = checks_in_force(load_settings_file(found) if found is not None else None)
        profile = profile_repository(root, name=scan.repository, repository_id=".", inventory=inventory, analysis=analysis, checks=checks, today=_today())
    except ConfigError as error:
        warnings.append(f"{error} (saved without an assessment profile)")
        return scan
    return dataclasses.replace(scan, profile=profile_json(profile, checks))


def _today() -> date:
    """Exceptions in a policy expire on UTC dates, as the check command judges them."""
    return datetime.now(tz=timezone.utc).date()


def _in_pool(queue: list[Path], request: RepositoryRequest, jobs: int) -> Iterator[RepositoryOutcome]:
    """Keep `jobs` workers busy. A worker that dies (the OOM killer, a signal) breaks the
    whole pool and every repository it held; those are then retried one by one, each in
    a pool of its own, so only the repository that kills its worker again fails."""
    pending = list(reversed(queue))
    suspects: list[Path] = []
    while pending:
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=_context()) as pool:
            running: dict[Future[RepositoryOutcome], Path] = {}
            broken = False
            while (pending or running) and not broken:
                while pending and len(running) < jobs * IN_FLIGHT_PER_WORKER:
                    path = pending.pop()
                    running[pool.submit(scan_repository, path, request)] = path
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: str(running[f])):
                    outcome, broken_now = _collected(future, running[future])
                    if broken_now:
                        broken = True
                        continue  # retried alone below, with the others the pool held
                    running.pop(future)
                    yield outcome
            if broken:
                suspects.extend(sorted(running.values()))
                for future in running:
                    future.cancel()
    for path in suspects:
        yield _alone(path, request)


def _alone(path: Path, request: RepositoryRequest) -> RepositoryOutcome:
    """One repository in a worker of its own: if that dies too, it was this repository."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
        outcome, _ = _collected(pool.submit(scan_repository, path, request), path)
        return outcome


def _collected(future: Future[RepositoryOutcome], path: Path) -> tuple[RepositoryOutcome, bool]:
    """The worker's outcome, or the repository's failure (and whether the pool broke)."""
    try:
        return future.result(), False
    except BrokenProcessPool:
        return _lost(path), True
    except Exception as error:  # noqa: BLE001 - one repository's crash is its own failure, not the organization's
        return RepositoryOutcome(path=path, error=f"{path}: internal error: {type(error).__name__}: {error}"), False


def _lost(path: Path) -> RepositoryOutcome:
    return RepositoryOutcome(path=path, error=f"{path}: the worker process scanning it died (out of memory, or killed)")


def _context() -> BaseContext | None:
    """fork where the platform has it: workers start in milliseconds with the modules loaded."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix":
        return multiprocessing.get_context("fork")
    return None
