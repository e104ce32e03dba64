"""Which folders below an organization's checkout root are its repositories (`--repos ROOT`).

OSPO staff clone every repository of the organization under one folder, sometimes in
sub-folders per team or host (`github/team-a/service`). A repository is a folder with a
`.git` (a folder, or a file as worktrees and submodules have); below it nothing more is
looked for, since submodules and vendored checkouts belong to the repository that holds
them. When no folder has a `.git` (an export, a tarball of sources), every top-level
folder is one repository. Symbolic links are never followed (a link could lead out of
ROOT, or loop), hidden folders and dependency folders are not entered, and a folder that
cannot be read is reported, not fatal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 6
"""Levels below ROOT looked at for a `.git`: host/organization/team/repository fits with room."""

_NOT_ENTERED = frozenset({"node_modules", "vendor", "target", "build", "dist", "__pycache__", "site-packages"})
"""Folders that hold other people's code or build output, never the organization's repositories."""


class RepositoryDiscoveryError(Exception):
    """ROOT cannot be used (the message starts with it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FoundRepositories:
    """The repositories found below ROOT, and the folders that could not be looked into."""

    paths: tuple[Path, ...]
    """Sorted by path, so that the same tree gives the same order (and the same report)."""
    unreadable: tuple[tuple[Path, str], ...] = ()
    """(folder, why) for each folder that could not be listed."""
    by_git: bool = True
    """False when no `.git` was found and the top-level folders were taken instead."""


def find_repositories(root: Path) -> FoundRepositories:
    """The repositories below `root` (see the module docstring for what counts as one)."""
    if not root.is_dir():
        raise RepositoryDiscoveryError(f"{root}: not a directory")
    if _has_git(root):
        return FoundRepositories(paths=(root,))
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    _walk(root, 1, found, unreadable)
    if found:
        return FoundRepositories(paths=tuple(sorted(found)), unreadable=tuple(unreadable))
    top = [entry for entry in _folders(root, unreadable) if not _skipped(entry.name)]
    return FoundRepositories(paths=tuple(sorted(top)), unreadable=tuple(unreadable), by_git=False)


def _walk(folder: Path, depth: int, found: list[Path], unreadable: list[tuple[Path, str]]) -> None:
    for child in _folders(folder, unreadable):
        if _skipped(child.name):
            continue
        if _has_git(child):
            found.append(child)
        elif depth < MAX_DEPTH:
            _walk(child, depth + 1, found, unreadable)


def _folders(folder: Path, unreadable: list[tuple[Path, str]]) -> list[Path]:
    """The sub-folders of `folder` that are real folders (no symbolic link to one)."""
    try:
        with os.scandir(folder) as entries:
            return [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError as failure:
        unreadable.append((folder, failure.strerror or str(failure)))
        return []


def _has_git(folder: Path) -> bool:
    git = folder / ".git"
    try:
        return not git.is_symlink() and (git.is_dir() or git.is_file())
    except OSError:
        return False


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in _NOT_ENTERED
