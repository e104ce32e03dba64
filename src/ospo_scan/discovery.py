"""Walk the scan roots and pair each manifest/lockfile with the parser for its format.

Discovery decides *which* files are read, never what they mean. It skips vendored and
generated trees (an installed package's manifest is not a dependency of the project),
refuses to leave the root through a symlink, survives symlink loops, and records every
directory it cannot list or walk into (a path longer than PATH_MAX included) as a
ScanIssue instead of stopping or skipping it silently. A file named like a manifest that
it will not hand over is a ScanIssue too, naming the file and why, and is never opened:
a symlink leading out of the root (`symlink-outside-root`), a broken one or a loop, a FIFO,
socket or device (`read-error`: opening a FIFO would wait for a writer). These are errors,
as every other manifest left unread is: the scan is incomplete without them. Paths it
hands over are printable (reading.printable_path): a name that is not UTF-8 is shown with
its bytes escaped.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ospo_scan.model import ScanIssue
from ospo_scan.parsers.base import ParserSpec, basename
from ospo_scan.reading import printable_path

SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        "target",
        ".eggs",
        ".gradle",
        ".idea",
    }
)
"""Directory names never descended into: VCS data, installed packages, caches, build output."""


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file whose name one parser recognizes."""

    root: Path
    relative_path: str
    """Path relative to the root, forward slashes, printable: a byte of a name that is not
    UTF-8 is written `\\xNN` (see reading.printable_path), so every report can show it;
    the reader finds the real file from it."""
    spec: ParserSpec

    def __post_init__(self) -> None:
        # Whoever builds one (the walk, a single-file scan, a worker process) gets the same
        # printable path: a lone surrogate must never reach a report.
        object.__setattr__(self, "relative_path", printable_path(self.relative_path))


@dataclass(slots=True)
class Discovery:
    """What a walk of one root found: files to parse and problems met on the way."""

    files: list[FoundFile]
    issues: list[ScanIssue]
    skipped: list[Path] = field(default_factory=list)
    """Directories left unwalked (installed packages, environments, caches, build output):
    the license stage looks for installations there instead of walking the tree again.
    A symlink with one of those names that leads out of the root is listed too, never
    followed here: the license stage refuses it and says so, rather than a symlinked
    node_modules or .venv vanishing without a word."""


def discover(root: Path, parsers: Sequence[ParserSpec], excludes: Sequence[str] = ()) -> Discovery:
    """Walk `root` and return the files some parser wants, sorted by path."""
    result = Discovery(files=[], issues=[])
    real_root = root.resolve()
    matcher = Matcher(parsers)
    for relative, refused in _walk(root, real_root, excludes, result.issues, result.skipped):
        spec = matcher.first_match(relative)
        if spec is None:
            continue
        if refused is None:
            result.files.append(FoundFile(root=root, relative_path=relative, spec=spec))
        else:
            result.issues.append(ScanIssue(path=printable_path(relative), parser="discovery", code=refused.code, message=refused.why))
    result.files.sort(key=lambda found: found.relative_path)
    result.skipped.sort()
    return result


class Matcher:
    """The first spec (in registry order) that wants a path, found cheaply.

    Specs with fixed file names are looked up by base name; only the few pattern-based
    ones (requirements*.txt, pylock.*.toml, ...) are asked for every file.
    """

    def __init__(self, parsers: Sequence[ParserSpec]) -> None:
        self._by_name: dict[str, tuple[int, ParserSpec]] = {}
        for index, spec in enumerate(parsers):
            for name in spec.file_names:
                self._by_name.setdefault(name, (index, spec))
        self._patterns = [(index, spec) for index, spec in enumerate(parsers) if spec.matches is not None]

    def first_match(self, relative: str) -> ParserSpec | None:
        """The spec that parses `relative`, or None."""
        named_index, named = self._by_name.get(basename(relative), (sys.maxsize, None))
        for index, spec in self._patterns:
            if index > named_index:
                break
            if spec.accepts(relative):
                return spec
        return named


@dataclass(frozen=True, slots=True)
class _Refused:
    """A file that is not handed to a parser even if one wants its name, and why."""

    code: str
    why: str


_OUTSIDE = _Refused("symlink-outside-root", "a symbolic link leading outside the scanned root: not followed, not read")
_BROKEN = _Refused("read-error", "a broken symbolic link, or a loop of links: nothing to read")
_SPECIAL_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _special(mode: int) -> _Refused:
    """A FIFO, socket or device: opening a FIFO waits for a writer, a device is no manifest."""
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")
    return _Refused("read-error", f"{kind}, not a regular file: never opened")


def _walk(root: Path, real_root: Path, excludes: Sequence[str], issues: list[ScanIssue], skipped: list[Path]) -> Iterator[tuple[str, _Refused | None]]:
    """Yield root-relative paths of regular files (or in-root symlinks to them), and of the
    other entries that are no folder to walk, each with why it is not read (reported when
    a parser wants its name)."""
    seen_directories: set[tuple[int, int]] = set()
    pending: list[tuple[Path, str]] = [(root, "")]
    while pending:
        directory, prefix = pending.pop()
        identity = _identity(directory)
        if isinstance(identity, OSError):
            issues.append(_unwalkable(prefix, identity))
            continue
        if identity is None or identity in seen_directories:
            continue  # vanished, or a symlink loop back to a directory already walked
        seen_directories.add(identity)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            issues.append(ScanIssue(path=printable_path(prefix.rstrip("/")) or ".", parser="discovery", code="discovery-error", message=f"cannot list directory: {error.strerror}"))
            continue
        clashes = _clashing_names(entries)
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if _is_excluded(relative, entry.name, excludes):
                continue
            if entry.name in clashes:
                message = f"the name is not valid UTF-8 and, escaped, is the name of its sibling {printable_path(entry.name)!r}: not read"
                issues.append(ScanIssue(path=printable_path(relative), parser="discovery", code="discovery-error", message=message))
                continue
            kind = _entry_kind(entry, real_root)
            if isinstance(kind, _Refused) and entry.name in SKIPPED_DIRECTORIES and _is_symlink(entry):
                skipped.append(Path(entry.path))  # out of the root, broken or a loop: the license stage refuses it
            elif isinstance(kind, _Refused):
                yield relative, kind
            elif kind == "dir" and entry.name == "vendor":
                yield from _vendor_manifest(entry, relative)
            elif kind == "dir" and _is_skipped_directory(entry):
                skipped.append(Path(entry.path))
            elif kind == "dir":
                pending.append((Path(entry.path), relative + "/"))
            elif kind == "file":
                yield relative, None


def _clashing_names(entries: Sequence[os.DirEntry[str]]) -> set[str]:
    """Names that are not UTF-8 whose printable form is a sibling's real name: the reader
    would read the sibling for them, so they are reported rather than read."""
    names = {entry.name for entry in entries}
    return {name for name in names if printable_path(name) != name and printable_path(name) in names}


def _vendor_manifest(entry: os.DirEntry[str], relative: str) -> Iterator[tuple[str, _Refused | None]]:
    """A vendor/ folder holds copies of dependencies' sources (and their manifests, which
    are not the project's); only Go's vendor/modules.txt describes the project itself."""
    candidate = Path(entry.path) / "modules.txt"
    try:
        mode = os.lstat(candidate).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode):
        yield f"{relative}/modules.txt", None
    elif not stat.S_ISDIR(mode) and not stat.S_ISLNK(mode):
        yield f"{relative}/modules.txt", _special(mode)


def _entry_kind(entry: os.DirEntry[str], real_root: Path) -> str | _Refused | None:
    """'dir', 'file', why the entry is not read, or None (vanished): symlinks count only
    when they resolve inside the root, and their target is never opened otherwise.

    The common case costs no system call: scandir already knows the entry type.
    """
    try:
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                return "dir"
            if entry.is_file(follow_symlinks=False):
                return "file"
            return _special(entry.stat(follow_symlinks=False).st_mode)  # FIFOs, sockets, devices: never opened
    except OSError:
        return None  # vanished since it was listed: nothing was lost
    try:
        # Not strict: where the link leads is worked out from the links alone, so that
        # nothing outside the root is ever looked at, not even to see whether it exists.
        target = Path(entry.path).resolve()
        if target != real_root and real_root not in target.parents:
            return _OUTSIDE
        mode = os.stat(target).st_mode
    except PermissionError as error:
        return _Refused("read-error", f"a symbolic link whose target cannot be reached: {error.strerror}")
    except (OSError, RuntimeError):
        return _BROKEN  # RuntimeError: a loop on older Pythons
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return _special(mode)


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _identity(directory: Path) -> tuple[int, int] | OSError | None:
    """(device, inode); None when the folder vanished since it was listed (nothing was
    lost); the error when it is there but cannot be walked into (a path longer than
    PATH_MAX, a permission), which the walk must report, not skip."""
    try:
        info = os.stat(directory)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return error
    return info.st_dev, info.st_ino


def _unwalkable(prefix: str, error: OSError) -> ScanIssue:
    """A folder left unwalked: an error, since the manifests it may hold are missing."""
    why = "its path is longer than the system allows (PATH_MAX)" if error.errno == errno.ENAMETOOLONG else error.strerror
    return ScanIssue(path=printable_path(prefix.rstrip("/")) or ".", parser="discovery", code="discovery-error", message=f"cannot walk into the folder: {why}; what it holds is not scanned")


def _is_skipped_directory(entry: os.DirEntry[str]) -> bool:
    if entry.name in SKIPPED_DIRECTORIES:
        return True
    # Any virtual environment, whatever its name, holds pyvenv.cfg.
    return os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))


def _is_excluded(relative: str, name: str, excludes: Sequence[str]) -> bool:
    """A glob matches the root-relative path, any of its leading parts, or the base name."""
    for pattern in excludes:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(relative, pattern):
            return True
    return False
