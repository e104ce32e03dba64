"""License evidence from local installations and license texts, before any normalization.

Every local source (Python environments, node_modules, the Go module cache, a local
Maven repository) answers the same question, "what does this installation say about the
component's license?", with a LocalFinding: the raw strings it declares, the file and
field each was read from, the license files beside them and what their text was
identified as. Turning the strings into an SPDX expression and a category is the
classifier's job, never a source's, so that raw strings and normalized ones never mix.

The file helpers at the bottom are shared by the sources so that every byte they read
goes through ospo_scan.reading (regular files only, size cap, BOM-aware decoding).
"""

from __future__ import annotations

import os
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, Protocol, TypeVar

from ospo_scan.model import Component, Ecosystem
from ospo_scan.reading import FileReadError, decode, printable_path, read_bounded

_T = TypeVar("_T")

MAX_METADATA_SIZE = 16 * 1024 * 1024
"""METADATA, package.json and POM files above this many bytes are refused."""

MAX_LICENSE_TEXT_SIZE = 1024 * 1024
"""License files above this many bytes are not read (the longest license texts are ~100 KB)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMatch:
    """What a license text was identified as."""

    spdx_id: str | None
    """License id as the matcher names it (bare GNU texts come as GPL-2.0, LGPL-2.1, ...:
    the text alone does not say "only" or "or later"); None when not recognized."""
    confidence: float
    """Share of the text's words that the recognized license covers, 0..1."""
    reason: str | None = None
    """Why spdx_id is None (e.g. `text not recognized (best: MIT at 0.42)`)."""
    ids: tuple[str, ...] = ()
    """Every license found in the text(s), in order of first appearance."""
    path: str | None = None
    """The file whose text was identified, when the text came from a file (for a text
    held in a metadata field: `<file>: <field>`)."""
    parts: tuple[TextMatch, ...] = field(default=(), compare=False)
    """For the answer about several files of one package: each file's own match."""

    @property
    def files(self) -> tuple[TextMatch, ...]:
        """One match per file identified: the parts, or this match itself."""
        return self.parts or (self,)


def text_source(match: TextMatch) -> str:
    """Where a text match comes from, as `<file>: license text` (the field, when a field held it)."""
    path = match.path or "license file"
    return f"{path} (license text)" if ": " in path else f"{path}: license text"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalFinding:
    """What one local installation says about a component's license, raw."""

    declared: tuple[str, ...]
    """Raw license strings in the order found (several: the source lists several and does
    not say how they combine, unless a note does)."""
    source: str
    """Which file and fields, e.g. `.venv/lib/python3.11/site-packages/x-1.0.dist-info/METADATA: License-Expression`."""
    declared_sources: tuple[str, ...] = ()
    """Aligned with `declared`: the file and field of each string (`METADATA: Classifier`,
    `package.json: licenses[1]`); `source` when a source gives no finer field."""
    license_files: tuple[str, ...] = ()
    """License, copying and notice files of the installation (root-relative or absolute)."""
    license_paths: tuple[str, ...] = field(default=(), compare=False)
    """The same files as absolute paths with every symlink resolved (see `real_paths`), for
    a reader that opens them after the scan: the notices report reads their text then."""
    text_match: TextMatch | None = None
    """What the license file(s) were identified as, when there were any."""
    declared_urls: tuple[str | None, ...] = ()
    """License URLs aligned with `declared` (Maven `<url>`, npm legacy `{url}`); empty when the format has none."""
    notes: tuple[str, ...] = ()
    """Anything odd on the way (a truncated free-text field, an unreadable file, a version fallback)."""


class EvidenceSource(Protocol):
    """A place where installed packages state their licenses (never the network)."""

    def lookup(self, component: Component) -> LocalFinding | None:
        """Evidence for this exact component, or None (then `why_missing` says why)."""
        ...

    def why_missing(self, component: Component) -> str | None:
        """Why `lookup` found nothing; None when the component is not of this source's ecosystem."""
        ...


class LocalSource(ABC):
    """The lookup/why_missing pair of every local source, answered by one `_find`.

    `_find` returns the evidence, or a string saying why there is none; it is only
    called for components of the source's own ecosystem.
    """

    ecosystem: ClassVar[Ecosystem]
    boundaries: tuple[Boundary, ...] = ()
    """The places this source reads from, each with what it refused (for the scan's issues)."""

    def lookup(self, component: Component) -> LocalFinding | None:
        """Evidence for this exact component, or None (then `why_missing` says why)."""
        if component.ecosystem is not self.ecosystem:
            return None
        found = self._find(component)
        return found if isinstance(found, LocalFinding) else None

    def why_missing(self, component: Component) -> str | None:
        """Why `lookup` found nothing; None when the component is not of this ecosystem."""
        if component.ecosystem is not self.ecosystem:
            return None
        found = self._find(component)
        return found if isinstance(found, str) else None

    @abstractmethod
    def _find(self, component: Component) -> LocalFinding | str:
        """Evidence, or the reason there is none."""


# --- helpers shared by the sources ----------------------------------------------


def sources_of(finding: LocalFinding) -> tuple[str, ...]:
    """The file and field of each declared string (the finding's `source` where not given)."""
    if len(finding.declared_sources) == len(finding.declared):
        return finding.declared_sources
    return tuple(finding.source for _ in finding.declared)


def has_content(evidence: LocalFinding) -> bool:
    """Evidence worth returning: something declared, a license file, or a license text
    that could not be read (its reason says why, e.g. a symlink leading out of the tree)."""
    return bool(evidence.declared or evidence.license_files or evidence.text_match is not None)


def with_note(evidence: LocalFinding, note: str) -> LocalFinding:
    """The same evidence with one more note (lookups share cached evidence)."""
    return replace(evidence, notes=(*evidence.notes, note)) if note else evidence


LICENSE_FILE_PREFIXES = ("license", "licence", "copying", "unlicense", "notice")
"""Base names (case-insensitive) of license-bearing files: LICENSE, LICENSE.txt, COPYING.LESSER, NOTICE..."""

TEXT_PREFIXES = ("license", "licence", "copying", "unlicense")
"""The subset whose text is a license (a NOTICE is attribution, not a license)."""

_CODE_SUFFIXES = frozenset(
    ".go .py .pyc .pyi .js .cjs .mjs .ts .d.ts .jsx .tsx .java .class .kt .c .h .cc .cpp .rs .rb .sh .json .map "
    ".yml .yaml .toml .xml .jar .zip .gz .exe .dll .so .dylib .png .svg .gif .jpg .css .scss .vue".split()
)
"""Suffixes of files named like license files that are code or data (license.go, license.js)."""


def is_license_file_name(name: str) -> bool:
    """LICENSE, LICENSE.md, LICENSE-MIT, COPYING.LESSER, NOTICE.txt; not license.go or licenses/."""
    lowered = name.lower()
    for prefix in LICENSE_FILE_PREFIXES:
        rest = lowered[len(prefix) :]
        if lowered.startswith(prefix) and (rest == "" or rest[0] in ".-_"):
            return not any(lowered.endswith(suffix) for suffix in _CODE_SUFFIXES)
    return False


def is_license_text_name(name: str) -> bool:
    """A license file whose text names a license (NOTICE files are left out)."""
    return is_license_file_name(name) and name.lower().startswith(TEXT_PREFIXES)


def license_files_in(folder: Path, boundary: Boundary) -> list[Path]:
    """Files directly in `folder` named like license files, sorted by name: regular files,
    and symlinks to one that stay inside `boundary` (one leading out is refused and kept)."""
    if boundary.refuses(folder):
        return []
    named = (path for path in _files_in(folder) if is_license_file_name(path.name))
    return sorted((path for path in named if is_regular_inside(path, boundary)), key=lambda path: path.name)


def files_under(folder: Path, boundary: Boundary, limit: int) -> list[Path]:
    """Regular files under `folder` and its subfolders, sorted, at most `limit`.

    Symlinks (to files or folders) are followed while they stay inside `boundary`; each
    real folder is listed once, so a symlink loop ends.
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending and len(found) < limit:
        current = pending.pop()
        if boundary.refuses(current):
            continue
        identity = _identity(current)
        if identity is None or identity in seen:
            continue
        seen.add(identity)
        for entry in _entries(current):
            path = Path(entry.path)
            if _is_directory(entry):
                pending.append(path)
            elif is_regular_inside(path, boundary):
                found.append(path)
    return sorted(found)[:limit]


def is_regular_inside(path: Path, boundary: Boundary) -> bool:
    """A regular file, or a symlink to one inside the boundary (FIFOs and devices never)."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return True
        if not os.path.islink(path) or boundary.refuses(path):
            return False
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # vanished between listing and stat, or a broken link


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []


def _files_in(folder: Path) -> Iterator[Path]:
    for entry in _entries(folder):
        try:
            if entry.is_symlink() or stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                yield Path(entry.path)
        except OSError:
            continue  # vanished between listing and stat


def real_paths(paths: Sequence[Path]) -> tuple[str, ...]:
    """Absolute paths with every symlink resolved: the file a later reader may open.

    Resolved now, while the source has just checked that the file is a regular file where
    it should be, so that the reader can refuse any path that resolves differently later
    (a symlink put in its way) instead of following it.
    """
    return tuple(os.path.realpath(path) for path in paths)


def read_text(path: Path, max_size: int) -> str:
    """The decoded text of a regular file; FileReadError when unreadable, too big or binary."""
    return decode(read_bounded(path, max_size))


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """A path a source did not read because a symlink on it leads out of its boundary."""

    path: str
    """As the source shows it (root-relative inside the scanned tree, else absolute)."""
    reason: str
    """`a symlink leading out of the scanned tree` (or of the named cache)."""


class Boundary:
    """A folder local evidence is read from, and never out of through a symlink.

    The scanned tree is one; so is each place the user named or defaulted to (a
    --python-env environment, the Go module cache, the local Maven repository): those are
    read, but a symlink inside one must not lead out of it either, or a planted link
    (`node_modules/x -> /etc`, a dist-info `licenses/ -> ~/.ssh`) would be read and
    reported as evidence found in that place. Every folder a source lists and every file
    it reads is checked with every symlink resolved. Each refusal is kept, so that the
    scan reports what it did not read instead of dropping it silently.
    """

    def __init__(self, folder: Path, label: str, *, relative: bool) -> None:
        self.folder = folder.absolute()
        self.real = Path(os.path.realpath(self.folder))
        self.label = printable_path(label)
        """`the scanned tree`, `the Go module cache`, ... (printable: it goes into reports)."""
        self.relative = relative
        """Whether paths are shown relative to the folder (the scanned tree) or absolute (caches)."""
        self._refused: dict[str, Refusal] = {}

    @property
    def reason(self) -> str:
        """Why a path was refused, for notes and reasons: `a symlink leading out of ...`."""
        return f"a symlink leading out of {self.label}"

    @property
    def refused(self) -> tuple[Refusal, ...]:
        """Every path refused so far, in the order met, each once."""
        return tuple(self._refused.values())

    def show(self, path: Path) -> str:
        """How this boundary names a path under it."""
        return display_path(path, self.folder if self.relative else None)

    def refuses(self, path: Path) -> bool:
        """True, and the refusal kept, when `path` (every symlink resolved) leads out."""
        if is_within(path, self.real):
            return False
        shown = self.show(self._first_link_out(path))
        self._refused.setdefault(shown, Refusal(path=shown, reason=self.reason))
        return True

    def _first_link_out(self, path: Path) -> Path:
        """The shortest leading part of `path` that leads out: the symlink to name (a
        refused `licenses/LICENSE` is the `licenses` folder's link)."""
        try:
            parts = path.absolute().relative_to(self.folder).parts
        except ValueError:
            return path
        for depth in range(1, len(parts) + 1):
            leading = self.folder.joinpath(*parts[:depth])
            if not is_within(leading, self.real):
                return leading
        return path

    def read_text(self, path: Path, max_size: int) -> str:
        """`read_text` for a file that stays inside; FileReadError (code symlink-outside-root) else."""
        if self.refuses(path):
            raise FileReadError(self.reason, "symlink-outside-root")
        return read_text(path, max_size)


def refused_places(refusals: Sequence[Refusal]) -> str:
    """`; a, b not read (a symlink leading out of ...)`, to end a reason; "" without refusals."""
    by_reason: dict[str, list[str]] = {}
    for refusal in refusals:
        by_reason.setdefault(refusal.reason, []).append(refusal.path)
    return "".join(f"; {', '.join(paths)} not read ({reason})" for reason, paths in by_reason.items())


def tree_boundary(root: Path) -> Boundary:
    """The scanned tree as a boundary (paths shown relative to it)."""
    return Boundary(root, "the scanned tree", relative=True)


def is_within(path: Path, real_root: Path) -> bool:
    """True when `path`, every symlink resolved, is `real_root` or under it."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return False
    return real == real_root or real_root in real.parents


def display_path(path: Path, root: Path | None) -> str:
    """Root-relative with forward slashes when `path` lies under `root`, else absolute.

    Both are made absolute first: discovery hands back folders as relative as the scan
    root it was given, and a root given as `sub/dir` must still show `node_modules/x`.
    Printable (a byte of a name that is not UTF-8 as `\\xNN`): the path goes into reports.
    """
    if root is not None:
        try:
            return printable_path(path.absolute().relative_to(root.absolute()).as_posix())
        except ValueError:
            pass
    return printable_path(path.as_posix())


def choose_installed(wanted: str | None, installed: Sequence[_T], version_of: Callable[[_T], str], same: Callable[[str, str], bool]) -> tuple[_T | None, str]:
    """Pick the installation of the component's version: (choice, note) or (None, reason).

    Only the same version is evidence: another version may carry another license (projects
    do relicense). A component without a version takes the one installed version, noted.
    """
    versions = list(dict.fromkeys(version_of(item) for item in installed))
    if wanted is not None:
        exact = [item for item in installed if same(version_of(item), wanted)]
        if exact:
            return exact[0], ""
        if len(versions) == 1:
            return None, f"installed version {versions[0]} differs from the scanned version {wanted}"
        return None, f"installed versions {', '.join(versions)} differ from the scanned version {wanted}"
    if len(versions) == 1:
        return installed[0], f"the component pins no version; the installed version {versions[0]} was used"
    return None, f"the component pins no version and several are installed ({', '.join(versions)})"
