"""Where a referenced POM comes from: the scanned tree, the tree on demand, the local repository.

Parents and BOMs are found in this order, as Maven would, but offline:
1. by `<relativePath>` (default `../pom.xml`) among the scanned POMs, or read on demand
   through the scan's sandboxed reader (a parent named `parent.xml`, or in a folder the
   scan skips);
2. by groupId:artifactId:version among the scanned POMs;
3. in the local Maven repository (`group/path/artifact/version/artifact-version.pom`),
   read through its own sandboxed reader. Nothing is ever downloaded.

Every document read on demand is parsed once and cached, failures included, so a POM
referenced by a hundred modules costs one read.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ospo_scan.parsers.base import FileReader, FileReadError, ParseError
from ospo_scan.reading import FileAccessError
from ospo_scan.parsers.maven.pom_interpolation import Interpolator, ModelValues
from ospo_scan.parsers.maven.pom_syntax import PomDocument, read_pom

META_VERSIONS = frozenset({"LATEST", "RELEASE"})
"""Versions Maven resolves against repository metadata at build time."""

REPOSITORY_PREFIX = "repository:"
"""Keys of local-repository POMs, so they never collide with tree paths."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """A POM and where it was found."""

    document: PomDocument
    key: str
    """Tree path, or `repository:<path in the repository>`."""
    scanned: bool
    """True for the POMs of this scan (they get results of their own)."""

    @property
    def in_tree(self) -> bool:
        return not self.key.startswith(REPOSITORY_PREFIX)


@dataclass(frozen=True, slots=True)
class Coordinates:
    """groupId:artifactId:version as far as a POM alone can tell (version may keep `${`)."""

    group_id: str | None
    artifact_id: str | None
    version: str | None

    def __str__(self) -> str:
        return f"{self.group_id or '?'}:{self.artifact_id or '?'}:{self.version or '?'}"


def own_coordinates(document: PomDocument) -> Coordinates:
    """Coordinates from the POM itself: inherited group/version from its <parent> element,
    `${...}` expanded with its own properties only (enough for `${revision}` roots)."""
    parent = document.parent
    group = document.group_id or (parent.group_id if parent else None)
    version = document.version or (parent.version if parent else None)
    if version and "${" in version:
        model = ModelValues(group_id=group, artifact_id=document.artifact_id, version=version)
        version = Interpolator(model, dict(document.properties)).expand(version).text
    return Coordinates(group, document.artifact_id, version)


def is_concrete(version: str | None) -> bool:
    """A version that names one artifact (no property, no range)."""
    if not version or version in META_VERSIONS:
        return False
    return "${" not in version and version[0] not in "[(" and "," not in version


class PomIndex:
    """Finds POMs for parents and BOM imports; the scanned ones are known up front."""

    def __init__(self, scanned: Mapping[str, PomDocument], reader: FileReader | None = None, repository: FileReader | None = None) -> None:
        self._reader = reader
        self._repository = repository
        self._cache: dict[str, Located | None] = {path: Located(document=doc, key=path, scanned=True) for path, doc in scanned.items()}
        self.failures: dict[str, str] = {}
        """Key -> why a POM that exists could not be used (e.g. refused XML)."""
        self._by_coordinates: dict[tuple[str | None, str | None], list[tuple[str | None, str]]] = defaultdict(list)
        for path, doc in scanned.items():
            found = own_coordinates(doc)
            self._by_coordinates[(found.group_id, found.artifact_id)].append((found.version, path))

    def scanned(self, path: str) -> Located:
        """A POM of this scan."""
        located = self._cache[path]
        assert located is not None
        return located

    def at_path(self, path: str) -> Located | None:
        """The tree POM at `path` (a file, or a folder holding pom.xml), scanned or read now."""
        path = posixpath.normpath(path)
        candidates = [path] if path.endswith((".xml", ".pom")) else [path, posixpath.normpath(posixpath.join(path, "pom.xml"))]
        for candidate in candidates:
            located = self._load(candidate, self._reader, candidate)
            if located is not None:
                return located
        return None

    def in_tree(self, wanted: Coordinates) -> Located | None:
        """A scanned POM with these coordinates; when the wanted or scanned version still has
        `${...}`, the only scanned POM with this groupId:artifactId."""
        entries = self._by_coordinates.get((wanted.group_id, wanted.artifact_id), [])
        exact = [path for version, path in entries if version == wanted.version and is_concrete(version)]
        if exact:
            return self.scanned(exact[0])
        vague = not is_concrete(wanted.version) or any(not is_concrete(version) for version, _ in entries)
        if vague and len(entries) == 1:
            return self.scanned(entries[0][1])
        return None

    def in_repository(self, wanted: Coordinates) -> Located | None:
        """The POM in the local repository, when one is given and the version is concrete."""
        relative = _repository_path(wanted)
        if self._repository is None or relative is None:
            return None
        return self._load(REPOSITORY_PREFIX + relative, self._repository, relative)

    def repository_failure(self, wanted: Coordinates) -> str | None:
        """Why the local repository's POM for `wanted` exists but could not be used, if so."""
        relative = _repository_path(wanted)
        return self.failures.get(REPOSITORY_PREFIX + relative) if relative else None

    def tree_failure(self, path: str) -> str | None:
        """Why the tree POM at `path` (file or folder) exists but could not be used, if so."""
        path = posixpath.normpath(path)
        return self.failures.get(path) or self.failures.get(posixpath.normpath(posixpath.join(path, "pom.xml")))

    def _load(self, key: str, reader: FileReader | None, relative: str) -> Located | None:
        if key in self._cache:
            return self._cache[key]
        located = None
        if reader is not None:
            try:
                document = read_pom(reader.read(relative))
                located = Located(document=_rekey(document, key), key=key, scanned=False)
            except FileAccessError as error:
                self.failures[key] = str(error)  # there, but not for this user: never "not found"
            except FileReadError:
                pass  # absent, or not a file: the caller reports the reference as not found
            except ParseError as error:
                self.failures[key] = f"{relative} cannot be parsed ({error.message}, line {error.line})"
        self._cache[key] = located
        return located


def _repository_path(wanted: Coordinates) -> str | None:
    """`group/path/artifact/version/artifact-version.pom`, or None for unusable coordinates."""
    group, artifact, version = wanted.group_id, wanted.artifact_id, wanted.version
    if not group or not artifact or not version or not is_concrete(version):
        return None
    parts = (*group.split("."), artifact, version)
    if any(part in ("", ".", "..") or "/" in part or "\\" in part for part in parts):
        return None
    return f"{group.replace('.', '/')}/{artifact}/{version}/{artifact}-{version}.pom"


def _rekey(document: PomDocument, key: str) -> PomDocument:
    return document if document.path == key else replace(document, path=key)
