"""One repository's profile: its own license, health files, readiness, policies and CI gates.

The profile is read from the repository's files (never from the network, never by
running anything), beside the inventory its scan produced: the inventory says what the
repository declares in its manifests and which of its dependencies stand in the way of
publishing it; the files say the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ospo_scan.analysis import Analysis
from ospo_scan.assessment.ci_gates import ci_gates
from ospo_scan.assessment.health import run_checks
from ospo_scan.assessment.model import Check, RepositoryProfile
from ospo_scan.assessment.own_license import own_license
from ospo_scan.assessment.policy_files import policy_files
from ospo_scan.assessment.readiness import readiness_items
from ospo_scan.model import Inventory


def profile_repository(
    root: Path, *, name: str, repository_id: str, inventory: Inventory, analysis: Analysis, checks: Sequence[Check], today: date
) -> RepositoryProfile:
    """The profile of the repository at `root`, known in the inventory as `repository_id`."""
    license_ = own_license(root, inventory, repository_id)
    results, check_errors = run_checks(root, checks, license_.expression)
    gates, gate_errors = ci_gates(root)
    return RepositoryProfile(
        repository=name,
        own_license=license_,
        checks=results,
        readiness=readiness_items(license_, results, analysis, inventory, repository_id),
        policy_files=policy_files(root, today),
        ci_gates=gates,
        errors=(*check_errors, *gate_errors),
    )
