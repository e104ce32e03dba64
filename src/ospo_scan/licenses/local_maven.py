"""License evidence from a local Maven repository: the artifact's POM `<licenses>`.

The POM of `group:artifact:version` sits at `group/path/artifact/version/
artifact-version.pom` (`~/.m2/repository` unless `--maven-repo` names another). When it
states no `<licenses>`, Maven inherits them from the parent POM, so the `<parent>` chain
is followed inside the repository (at most MAX_PARENT_DEPTH steps, never around a
cycle). POMs are parsed by the project's one hardened XML reader (no DOCTYPE, no
entities), and names and URLs are kept exactly as written. Nothing is read through a
symlink leading out of the repository (the reason says so).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.licenses.evidence import MAX_METADATA_SIZE, Boundary, LocalFinding, LocalSource, choose_installed, with_note
from ospo_scan.model import Component, Ecosystem
from ospo_scan.parsers.base import FileReadError, ParseError, SourceFile
from ospo_scan.parsers.maven.pom_index import is_concrete
from ospo_scan.parsers.maven.pom_syntax import PomDocument, read_pom

MAX_PARENT_DEPTH = 10
"""Parent POMs followed at most (real hierarchies are 2-4 deep)."""


@dataclass(frozen=True, slots=True)
class _Found:
    """The POM that declared the licenses (None when none did), and what happened on the way."""

    document: PomDocument | None
    path: Path | None
    notes: tuple[str, ...]


class LocalMavenRepository(LocalSource):
    """POMs of one local Maven repository (read only, never filled)."""

    ecosystem = Ecosystem.MAVEN

    def __init__(self, repository: Path | None, max_file_size: int = MAX_METADATA_SIZE) -> None:
        self.repository = repository.absolute() if repository is not None else None
        self.boundary = Boundary(self.repository, "the local Maven repository", relative=False) if self.repository is not None else None
        self.boundaries = (self.boundary,) if self.boundary is not None else ()
        self.max_file_size = max_file_size
        self._memo: dict[Path, LocalFinding | str] = {}
        self._unreadable: str | None = None
        """Why the repository (or, with none, the default one) cannot be read; computed once."""

    @classmethod
    def open(cls, given: Path | None = None, home: Path | None = None) -> LocalMavenRepository:
        """`--maven-repo` when given, else `~/.m2/repository`; a missing folder finds nothing."""
        location = given if given is not None else default_location(home)
        return cls(location if location is not None and _is_folder(location) else None)

    def _find(self, component: Component) -> LocalFinding | str:
        if component.ecosystem is not Ecosystem.MAVEN:
            return ""
        if self._unreadable is None:
            self._unreadable = self._why_unreadable()
        if self.repository is None:
            return self._unreadable or "no local Maven repository (~/.m2/repository or --maven-repo)"
        if self._unreadable:
            return self._unreadable
        group, _, artifact = component.name.partition(":")
        folder = artifact_folder(self.repository, group, artifact)
        if folder is None:
            return f"{component.name!r} is not a groupId:artifactId the repository can hold"
        assert self.boundary is not None
        if self.boundary.refuses(folder):
            return f"{folder.as_posix()}: not read ({self.boundary.reason})"
        installed = _versions_with_pom(folder, artifact)
        if not installed:
            return f"not in the local Maven repository ({self.repository})"
        choice = choose_installed(component.version, installed, _same, _equal)
        version, note = choice  # unpacked apart: mypy would infer T from the unpacking targets
        if version is None:
            return f"{note} ({folder})"
        pom = folder / version / f"{artifact}-{version}.pom"
        cached = self._memo.get(pom)
        if cached is None:
            cached = self._memo[pom] = self._evidence(pom)
        return with_note(cached, note) if isinstance(cached, LocalFinding) else cached

    def _why_unreadable(self) -> str:
        """Why the repository cannot be listed ('' when it can, or when it is simply absent).

        With no repository, the default ~/.m2/repository is looked at: one this user may
        not enter is why there is none (defaults.default_maven_repository left it out).
        """
        folder = self.repository if self.repository is not None else default_location()
        if folder is None:
            return ""
        try:
            os.scandir(folder).close()
        except (FileNotFoundError, NotADirectoryError):
            return ""
        except OSError as error:
            return f"the local Maven repository {folder.as_posix()} cannot be read ({error.strerror}): not searched"
        return ""

    def _evidence(self, pom: Path) -> LocalFinding | str:
        found = self._declaring_pom(pom)
        if found.document is None or found.path is None:
            return "; ".join(found.notes)
        licenses = found.document.licenses
        shown = found.path.as_posix()
        return LocalFinding(
            declared=tuple(item.name or item.url or "" for item in licenses),
            declared_urls=tuple(item.url for item in licenses),
            source=f"{shown}: <licenses>",
            declared_sources=tuple(f"{shown}: licenses.license[{index}].{'name' if item.name else 'url'}" for index, item in enumerate(licenses)),
            notes=found.notes,
        )

    def _declaring_pom(self, pom: Path) -> _Found:
        """Walk the parent chain from `pom` to the first POM with `<licenses>`."""
        seen: set[Path] = set()
        path = pom
        for depth in range(MAX_PARENT_DEPTH + 1):
            document, problem = self._read(path)
            if document is None:
                return _Found(None, None, (problem,))
            if document.licenses:
                inherited = f"licenses inherited from parent POM {_coordinates(document)} ({depth} level{'s' if depth > 1 else ''} up)"
                return _Found(document, path, (inherited,) if depth else ())
            seen.add(path)
            parent, problem = self._parent_pom(document)
            searched = f"{pom}: no <licenses> in it or the {depth} parent POM(s) followed" if depth else f"{pom}: no <licenses>"
            if parent is None:
                return _Found(None, None, (f"{searched}; {problem}",))
            if parent in seen:
                return _Found(None, None, (f"{searched}; the parent chain loops back to {parent}",))
            path = parent
        return _Found(None, None, (f"{pom}: no <licenses> within {MAX_PARENT_DEPTH} parent POMs (search stopped)",))

    def _parent_pom(self, document: PomDocument) -> tuple[Path | None, str]:
        """The parent's POM in the repository: (path, '') or (None, why not)."""
        assert self.repository is not None
        parent = document.parent
        if parent is None:
            return None, "the chain ends (no <parent>)"
        label = f"{parent.group_id}:{parent.artifact_id}:{parent.version}"
        if not parent.group_id or not parent.artifact_id or not is_concrete(parent.version):
            return None, f"parent {label} has no concrete coordinates"
        folder = artifact_folder(self.repository, parent.group_id, parent.artifact_id)
        version = parent.version or ""
        path = folder / version / f"{parent.artifact_id}-{version}.pom" if folder is not None and _safe_part(version) else None
        if path is None or not _is_file(path):
            return None, f"parent POM {label} is not in the local repository"
        return path, ""

    def _read(self, path: Path) -> tuple[PomDocument | None, str]:
        assert self.boundary is not None
        try:
            return read_pom(SourceFile(path=path.as_posix(), text=self.boundary.read_text(path, self.max_file_size))), ""
        except FileReadError as error:
            return None, f"{path}: unreadable ({error})"
        except ParseError as error:
            return None, f"{path}: cannot be parsed ({error.message}, line {error.line})"


def default_location(home: Path | None = None) -> Path | None:
    """`~/.m2/repository` (None when there is no home directory)."""
    if home is None:
        try:
            home = Path.home()
        except RuntimeError:
            return None
    return home / ".m2" / "repository"


def artifact_folder(repository: Path, group: str, artifact: str) -> Path | None:
    """`group/path/artifact` inside the repository; None for coordinates that could escape it."""
    parts = [*group.split("."), artifact]
    if not group or not all(_safe_part(part) for part in parts):
        return None
    return repository.joinpath(*parts)


def _same(version: str) -> str:
    return version


def _equal(installed: str, wanted: str) -> bool:
    return installed == wanted


def _safe_part(part: str) -> bool:
    return part not in ("", ".", "..") and "/" not in part and "\\" not in part


def _versions_with_pom(folder: Path, artifact: str) -> list[str]:
    """Version folders of one artifact that hold its POM, sorted."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [name for name in names if _is_file(folder / name / f"{artifact}-{name}.pom")]


def _is_file(path: Path) -> bool:
    """Path.is_file, False where a folder on the way may not be entered (it raises there):
    the read that follows is what reports an unreadable POM."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _coordinates(document: PomDocument) -> str:
    parent = document.parent
    group = document.group_id or (parent.group_id if parent else None)
    version = document.version or (parent.version if parent else None)
    return f"{group}:{document.artifact_id}:{version}"
