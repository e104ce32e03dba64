"""Which repository a scanned root is, and which commit: read from .git, git never run.

A scan must not execute anything, so the commit comes from the files git keeps:
`.git/HEAD` names a ref (or holds a detached commit), the ref is a loose file under
`.git/refs/` or a line of `.git/packed-refs`. A `.git` *file* (worktrees, submodules)
points elsewhere; it is followed only when the target lies inside the scanned root, so
nothing outside the root is ever read. Anything unexpected just means "no commit known".
"""

from __future__ import annotations

import re
from pathlib import Path

from ospo_scan.model import Repository

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_MAX_GIT_FILE = 1 << 20
"""packed-refs of a large repository stays far below this; anything bigger is not read."""


def describe_repository(root: Path, repository_id: str) -> Repository:
    """The Repository record for a scanned folder (commit and branch when .git says so)."""
    resolved = root.resolve()
    git_dir = _git_dir(resolved)
    commit, branch = _head(git_dir) if git_dir is not None else (None, None)
    return Repository(id=repository_id, root=resolved.name or str(resolved), commit=commit, branch=branch)


def _git_dir(root: Path) -> Path | None:
    dot_git = root / ".git"
    if dot_git.is_symlink():
        return None
    if dot_git.is_dir():
        return dot_git
    text = _read(dot_git)
    if text is None or not text.startswith("gitdir:"):
        return None
    target = (root / text.removeprefix("gitdir:").strip()).resolve()
    return target if target.is_dir() and target.is_relative_to(root) else None


def _head(git_dir: Path) -> tuple[str | None, str | None]:
    head = _read(git_dir / "HEAD")
    if head is None:
        return None, None
    head = head.strip()
    if _SHA.match(head):
        return head, None
    if not head.startswith("ref:"):
        return None, None
    ref = head.removeprefix("ref:").strip()
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    return _ref_commit(git_dir, ref), branch


def _ref_commit(git_dir: Path, ref: str) -> str | None:
    if ".." in ref.split("/"):
        return None
    loose = _read(git_dir / ref)
    if loose is not None and _SHA.match(loose.strip()):
        return loose.strip()
    packed = _read(git_dir / "packed-refs") or ""
    for line in packed.splitlines():
        sha, _, name = line.partition(" ")
        if name.strip() == ref and _SHA.match(sha):
            return sha
    return None


def _read(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_GIT_FILE:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
