"""A repository's components do not depend on what else is scanned beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Inventory
from ospo_scan.scan import ScanOptions, scan

# Repositories that share package names (npm workspaces named like registry packages,
# Python projects that depend on each other) are the interesting ones; any will do.
CANDIDATES = ("vuejs__core", "pnpm__pnpm", "pallets__flask", "fastapi__typer", "pypa__packaging", "webpack__webpack")
OPTIONS = ScanOptions(licenses=None)


def _view(inventory: Inventory, prefix: str) -> set[tuple[object, ...]]:
    """(purl, first-party, usage...) for every usage of the repository's projects, paths unprefixed."""
    found = set()
    for component in inventory.components:
        for usage in component.usages:
            if prefix and not usage.location.path.startswith(prefix):
                continue
            found.add((
                component.purl,
                component.first_party,
                _unlabelled_project(usage.project, prefix),
                usage.lifecycle,
                usage.optional,
                usage.directness,
                usage.location.path.removeprefix(prefix),
                usage.location.line,
            ))
    return found


def _unlabelled_project(project: str, prefix: str) -> str:
    """`npm:<label>/web` -> `npm:web`, `npm:<label>` -> `npm:.`."""
    if not prefix:
        return project
    ecosystem, _, path = project.partition(":")
    path = "." if path == prefix.rstrip("/") else path.removeprefix(prefix)
    return f"{ecosystem}:{path}"


@pytest.mark.corpus
def test_each_repository_alone_equals_its_part_of_a_joint_scan(corpus: Path) -> None:
    repositories = [corpus / name for name in CANDIDATES if (corpus / name).is_dir()]
    assert len(repositories) >= 2
    together = scan(repositories, OPTIONS)
    for repository in repositories:
        alone = _view(scan([repository], OPTIONS), "")
        joint = _view(together, repository.as_posix() + "/")
        assert alone == joint, repository.name
