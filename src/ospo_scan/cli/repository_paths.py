"""`--repos ROOT`: the repositories below ROOT, as scan paths.

Shared by `scan`, `check` and `snapshot save`, so that the three commands agree on
what a repository is (repository_discovery). Folders that could not be looked into are
said on stderr: a repository that was not found must not pass unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ospo_scan.analysis.wording import count
from ospo_scan.cli import diagnostics
from ospo_scan.repository_discovery import RepositoryDiscoveryError, find_repositories


def scan_paths(paths: list[Path] | None, repos: Path | None) -> list[Path]:
    """The PATH arguments followed by the repositories below `--repos` ('.' when neither is given)."""
    given = list(paths or [])
    if repos is None:
        return given or [Path(".")]
    try:
        found = find_repositories(repos)
    except RepositoryDiscoveryError as error:
        raise typer.BadParameter(str(error), param_hint="--repos") from None
    for folder, why in found.unreadable:
        diagnostics.error(f"{folder}: cannot be looked into for repositories: {why}")
    if not found.paths:
        raise typer.BadParameter(f"{repos}: no repository below it (no folder with a .git, and no folder at all)", param_hint="--repos")
    how = "with a .git" if found.by_git else "top-level folders (no .git found below it)"
    diagnostics.note(f"{count(len(found.paths), 'repository')} below {repos}: {how}")
    return given + [path for path in found.paths if path not in given]
