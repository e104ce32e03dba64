"""Running health checks on one repository: which files exist, and what they say.

Each location folder is listed once (one os.scandir) for all checks together; an entry
is looked at (stat, read) only when its name matches a check. The rules:

- a name matches a check's file case-insensitively, with or without one documentation
  extension (checks.DOC_EXTENSIONS); an entry with `*` or `?` is a glob, which never
  matches a program or data file (`license.go`, `license.json` are code, not licenses);
- a symlink (file or folder) whose target lies outside the root does not count, and
  the result says so: a planted `SECURITY.md -> /etc/...` must not pass a check, nor
  be read;
- only regular files count. A folder with the name is skipped silently (towncrier's
  `changes/` is no changelog, and not an error); a FIFO, socket, device or broken link
  is an error naming it, and the search goes on with the next candidate;
- a file is read only when the check has `contains`, and then at most
  MAX_CONTAINS_READ bytes, decoded as UTF-8 with undecodable bytes replaced;
- when several files match, the first by location order, then by name, is taken, so
  two runs over one tree always name the same file.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from ospo_scan.assessment.checks import DOC_EXTENSIONS
from ospo_scan.assessment.model import Check, CheckResult, CheckStatus
from ospo_scan.licenses import spdx
from ospo_scan.licenses.evidence import is_within
from ospo_scan.reading import printable_path

MAX_CONTAINS_READ = 1024 * 1024
"""Bytes of a file read to match `contains` (a health file is a few KB; a prefix is enough)."""

PROGRAM_EXTENSIONS = frozenset({
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rs", ".java", ".kt", ".kts",
    ".scala", ".rb", ".php", ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".swift", ".sh", ".ps1",
    ".json", ".yml", ".yaml", ".toml", ".xml", ".lock", ".pyc", ".class", ".jar",
})
"""Extensions a glob never matches: files with them are programs or data, not health files."""

_DOC_EXTENSIONS = tuple(ext.casefold() for ext in DOC_EXTENSIONS)
_OUTSIDE = "a symbolic link leading out of the repository"


def run_checks(root: Path, checks: Sequence[Check], own_license: str | None) -> tuple[tuple[CheckResult, ...], tuple[str, ...]]:
    """Run every check on the repository at `root`: the results in check order, and the
    files (and folders) that could not be read, each message naming its path."""
    tree = RepositoryTree(root)
    results = tuple(_run(check, tree, own_license) for check in checks)
    return results, tuple(dict.fromkeys(tree.errors))


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One directory entry whose name matches: where it is and what it turned out to be."""

    path: str
    """Relative to the root, posix separators."""
    real: Path
    kind: str
    """`file`, `directory`, `outside`, or `unusable` (then `problem` says why)."""
    problem: str | None = None


class RepositoryTree:
    """The location folders of one repository, each listed once, and what went wrong.

    A working object (it fills its caches and `errors` as checks ask), not a value."""

    __slots__ = ("root", "real_root", "errors", "_listings", "_candidates")

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))
        self.errors: list[str] = []
        self._listings: dict[str, tuple[str, ...]] = {}
        self._candidates: dict[str, Candidate] = {}

    def find(self, files: Sequence[str], locations: Sequence[str]) -> list[Candidate]:
        """Every entry matching one of `files`, by location order then name."""
        found: list[Candidate] = []
        for location in locations:
            folder = _location(location)
            if folder is None:
                continue  # absolute or through `..`: the settings loader refuses such a location
            for name in self._listing(folder):
                if name_matches(name, files):
                    found.append(self._candidate(f"{folder}/{name}" if folder else name))
        return found

    def _listing(self, folder: str) -> tuple[str, ...]:
        if folder not in self._listings:
            self._listings[folder] = self._list(folder)
        return self._listings[folder]

    def _list(self, folder: str) -> tuple[str, ...]:
        shown = printable_path(folder or ".")
        if folder and not is_within(self.root / folder, self.real_root):
            if os.path.lexists(self.root / folder):
                self.errors.append(f"{shown}: {_OUTSIDE}; not looked in")
            return ()
        try:
            with os.scandir(self.root / folder) as entries:
                return tuple(sorted(entry.name for entry in entries))
        except (FileNotFoundError, NotADirectoryError):
            return ()
        except OSError as error:
            self.errors.append(f"{shown}: cannot be listed: {error.strerror or error}")
            return ()

    def _candidate(self, relative: str) -> Candidate:
        if relative not in self._candidates:
            self._candidates[relative] = _examine(self.root / relative, relative, self.real_root)
        return self._candidates[relative]


def name_matches(name: str, files: Sequence[str]) -> bool:
    """Whether a file name is one of `files` (see the module docstring for the rules)."""
    folded = name.casefold()
    stems = [folded, *(folded[: -len(ext)] for ext in _DOC_EXTENSIONS if folded.endswith(ext) and len(folded) > len(ext))]
    for wanted in files:
        pattern = wanted.casefold()
        if "*" in pattern or "?" in pattern:
            if os.path.splitext(folded)[1] in PROGRAM_EXTENSIONS:
                continue
            if any(fnmatchcase(stem, pattern) for stem in stems):
                return True
        elif pattern in stems:
            return True
    return False


def license_applies(expression: str | None, licenses: Sequence[str]) -> bool:
    """Whether the terms of `expression` that a recipient must accept include one of
    `licenses`: any part of an AND, every choice of an OR (`MIT OR Apache-2.0` can be
    taken under MIT alone, so Apache-2.0's NOTICE rule does not bind it)."""
    if not expression:
        return False
    try:
        node = spdx.tree(expression)
    except spdx.SpdxError:
        return False
    return _binds(node, frozenset(licenses))


def _binds(node: spdx.Node, licenses: frozenset[str]) -> bool:
    if isinstance(node, spdx.LicenseId):
        return node.key in licenses
    if isinstance(node, spdx.WithException):
        return node.license.key in licenses
    parts = [_binds(part, licenses) for part in node.args]
    return all(parts) if node.operator is spdx.Operator.OR else any(parts)


def _run(check: Check, tree: RepositoryTree, own_license: str | None) -> CheckResult:
    if check.when_licenses and not license_applies(own_license, check.when_licenses):
        wanted = " or ".join(check.when_licenses)
        detail = f"the license is {own_license}, not {wanted}" if own_license else f"the repository's license is not known to be {wanted}"
        return CheckResult(check=check, status=CheckStatus.NOT_APPLICABLE, detail=detail)
    pattern = _compiled(check, tree)
    notes: list[str] = []
    for candidate in tree.find(check.files, check.locations):
        if candidate.kind == "outside":
            notes.append(f"{candidate.path} is {_OUTSIDE}: not counted")
        elif candidate.kind == "unusable":
            tree.errors.append(f"{candidate.path}: {candidate.problem}; not counted")
        elif candidate.kind == "file":
            if pattern is None:
                return CheckResult(check=check, status=CheckStatus.FOUND, path=candidate.path)
            text = _prefix(candidate, tree)
            if text is not None and pattern.search(text):
                return CheckResult(check=check, status=CheckStatus.FOUND, path=candidate.path)
            if text is not None:
                notes.append(f"{candidate.path} does not match /{check.contains}/")
    return CheckResult(check=check, status=CheckStatus.MISSING, detail="; ".join(notes) or None)


def _compiled(check: Check, tree: RepositoryTree) -> re.Pattern[str] | None:
    """The `contains` pattern; the settings loader has validated it, an API caller may not have."""
    if check.contains is None:
        return None
    try:
        return re.compile(check.contains)
    except re.error as error:
        tree.errors.append(f"check {check.id}: contains /{check.contains}/ is not a regular expression ({error})")
        return re.compile(r"(?!)")  # matches nothing: the check fails, and says why above


def _prefix(candidate: Candidate, tree: RepositoryTree) -> str | None:
    """The first MAX_CONTAINS_READ bytes, decoded; None (and an error) when unreadable."""
    try:
        # O_NONBLOCK: a file swapped for a FIFO after it was examined must not hang the scan.
        fd = os.open(candidate.real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                tree.errors.append(f"{candidate.path}: not a regular file; not counted")
                return None
            data = handle.read(MAX_CONTAINS_READ)
    except OSError as error:
        tree.errors.append(f"{candidate.path}: cannot be read: {error.strerror or error}")
        return None
    return data.decode("utf-8", errors="replace")


def _examine(path: Path, relative: str, real_root: Path) -> Candidate:
    """What one matching entry is, every symlink resolved (and refused when it leaves)."""
    shown = printable_path(relative)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not is_within(path, real_root):
                return Candidate(path=shown, real=path, kind="outside")
            info = os.stat(path)
    except FileNotFoundError:
        return Candidate(path=shown, real=path, kind="unusable", problem="a broken symbolic link")
    except OSError as error:
        return Candidate(path=shown, real=path, kind="unusable", problem=f"cannot be examined: {error.strerror or error}")
    if stat.S_ISREG(info.st_mode):
        return Candidate(path=shown, real=path, kind="file")
    if stat.S_ISDIR(info.st_mode):
        return Candidate(path=shown, real=path, kind="directory")
    return Candidate(path=shown, real=path, kind="unusable", problem=f"not a regular file ({_kind(info.st_mode)})")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"


def _location(location: str) -> str | None:
    """A location as a root-relative posix folder ('' for the root); None when it would
    leave the root (absolute, or through `..`): such a location is never looked in."""
    parts = [part for part in location.replace("\\", "/").split("/") if part not in ("", ".")]
    if location.startswith("/") or ".." in parts:
        return None
    return "/".join(parts)
