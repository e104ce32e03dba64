"""Assessing repositories on disk: scan them as one organization, profile each, answer.

The scan is the same as `ospo-scan scan PATH...` (each path its own repository), so the
usage, criticality and gap numbers of the assessment are those of the scan report. The
checks in force and the policy come from `--policy FILE`, else from the settings file
of the first path, as for a scan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ospo_scan.analysis import analyze
from ospo_scan.analysis.criticality import CriticalitySettings
from ospo_scan.assessment.answers import answer_questions
from ospo_scan.assessment.model import Assessment, Check, RepositoryProfile
from ospo_scan.assessment.profile import profile_repository
from ospo_scan.model import Inventory, Severity
from ospo_scan.policy import Policy, evaluate
from ospo_scan.reading import printable_path
from ospo_scan.scan import ProgressCallback, ScanOptions, scan


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentRequest:
    """What to assess and by which rules."""

    paths: tuple[Path, ...]
    options: ScanOptions
    checks: tuple[Check, ...]
    policy: Policy | None = None
    criticality: CriticalitySettings | None = None
    today: date
    names: Mapping[Path, str] = dataclasses.field(default_factory=dict)
    """Each path's repository name (organization_scan.repository_names); absent: its folder name."""


def assess(request: AssessmentRequest, progress: ProgressCallback | None = None) -> Assessment:
    """Scan the paths (telling `progress`, as a scan does), profile every repository and
    answer the six questions."""
    scanned = scan(list(request.paths), request.options, progress=progress)
    roots = _repositories(request.paths, scanned, request.names)
    inventory = _named(scanned, {repository_id: name for _, repository_id, name in roots})
    analysis = analyze(inventory, request.criticality)
    profiles = tuple(
        profile_repository(root, name=name, repository_id=name, inventory=inventory, analysis=analysis, checks=request.checks, today=request.today)
        for root, _, name in roots
    )
    violations = evaluate(inventory, request.policy, request.today).violations if request.policy is not None else None
    answers, maturity = answer_questions(analysis, inventory, profiles, violations)
    return Assessment(
        source=", ".join(printable_path(path.as_posix()) for path in request.paths),
        assessed_on=request.today,
        answers=answers,
        profiles=_sorted(profiles),
        checks=request.checks,
        maturity=maturity,
        unread=tuple(f"{issue.path}: {issue.message}" for issue in inventory.issues if issue.severity is Severity.ERROR),
    )


def _repositories(paths: Sequence[Path], inventory: Inventory, names: Mapping[Path, str]) -> list[tuple[Path, str, str]]:
    """(root folder, inventory id, repository name) of each scanned path, in scan order.

    The scan makes one Repository per path, in the order given (`.` for a single path,
    else the path as given); the assessment names each as the store does."""
    found = []
    for path, repository in zip(paths, inventory.repositories, strict=True):
        root = path if path.is_dir() else path.parent
        name = names.get(path) or root.resolve().name or str(root.resolve())
        found.append((root, repository.id, printable_path(name)))
    return found


def _named(inventory: Inventory, names: Mapping[str, str]) -> Inventory:
    """The inventory with each repository called by its name, so the answers, the
    profiles and the store agree on what a repository is called (`team-a/api`, not the
    path the scan was given)."""
    return dataclasses.replace(
        inventory,
        repositories=tuple(dataclasses.replace(r, id=names.get(r.id, r.id)) for r in inventory.repositories),
        projects=tuple(dataclasses.replace(p, repository=names.get(p.repository, p.repository)) for p in inventory.projects),
    )


def _sorted(profiles: Sequence[RepositoryProfile]) -> tuple[RepositoryProfile, ...]:
    return tuple(sorted(profiles, key=lambda profile: profile.repository))
