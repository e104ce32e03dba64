"""Workspace monorepos end to end: each member is a project, resolved against the root lockfile."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.model import Directness, Lifecycle
from ospo_scan.scan import ScanOptions, scan

FIXTURES = Path(__file__).parent / "fixtures"


def test_yarn_v1_workspace_members_are_tied_to_the_root_lockfile() -> None:
    inventory = scan([FIXTURES / "yarn-v1-workspace-members-tied-to-root-lock"], ScanOptions(licenses=None))
    by_name = {c.name: c for c in inventory.components}
    # Every range a member declares is pinned by the root yarn.lock: no unpinned duplicates.
    assert {(c.name, c.version) for c in inventory.components if not c.first_party} == {
        ("commander", "12.1.0"),
        ("jest", "29.7.0"),
        ("lodash", "4.17.21"),
        ("pretty-format", "29.7.0"),
        ("typescript", "5.6.3"),
    }
    assert all("absent from the lockfile" not in " ".join(c.notes) for c in inventory.components)
    assert {p.id for p in inventory.projects} == {"npm:.", "npm:packages/cli", "npm:packages/web"}

    def usages(name: str) -> set[tuple[str, Lifecycle, Directness]]:
        return {(u.project, u.lifecycle, u.directness) for u in by_name[name].usages}

    assert usages("lodash") == {("npm:packages/web", Lifecycle.RUNTIME, Directness.DIRECT)}
    assert usages("pretty-format") == {("npm:packages/web", Lifecycle.DEVELOPMENT, Directness.TRANSITIVE)}
    assert usages("typescript") == {("npm:.", Lifecycle.DEVELOPMENT, Directness.DIRECT)}
    # The sibling workspace is first-party, and its runtime needs are runtime for its own project.
    assert by_name["@mono/cli"].first_party
    assert (("npm:packages/cli", Lifecycle.RUNTIME, Directness.DIRECT)) in usages("commander")
