"""What every parser takes and returns.

A parser is a pure function from one decoded file to a ParseResult. It never walks
the tree and never prints. The few formats whose grammar has includes (pip's `-r`)
get a FileReader that the scan hands in: it only reads inside the scanned root, with
the same size and type checks as discovery, so a parser cannot escape the sandbox.

Parsers report packages *as the file states them* (DeclaredPackage); turning those
into normalized Components with purls is the job of ospo_scan.resolve, so syntax and
normalization never mix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from ospo_scan.model import EdgeKind, Ecosystem, Scope, ScanIssue
from ospo_scan.reading import FileReadError, SourceFile


class FileRole(str, Enum):
    """A manifest says what the project asks for; a lockfile says what it gets."""

    MANIFEST = "manifest"
    LOCKFILE = "lockfile"


class FileReader(Protocol):
    """Reads another file of the scanned tree, for formats that have includes."""

    def read(self, path: str) -> SourceFile:
        """Return the decoded file at `path` (relative to the scan root) or raise FileReadError."""
        ...


class ParseError(Exception):
    """The file as a whole cannot be understood; the scan records it and goes on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredPackage:
    """One package as a file declares or locks it, before normalization."""

    name: str
    """Name as written (normalized later); Maven uses 'group:artifact'."""
    version: str | None = None
    """Concrete version when the file pins one (lockfile, `==`), else None."""
    requirement: str | None = None
    """The specifier as written (e.g. '>=2.0', '^1.2.3', a URL)."""
    scopes: frozenset[Scope] = frozenset({Scope.RUNTIME})
    """Empty when the file cannot tell (a Gradle version catalog): a lockfile's scopes are
    then kept, and without one the package counts as runtime."""
    direct: bool | None = None
    """True/False when the file knows; None when it cannot tell (most lockfiles)."""
    first_party: bool = False
    line: int | None = None
    path: str | None = None
    """File that declares it, when not the parsed file itself (pip includes)."""
    extras: tuple[str, ...] = ()
    markers: str | None = None
    source_url: str | None = None
    declared_license: str | None = None
    note: str | None = None
    """Anything a reader of the inventory should know (e.g. 'version from wheel name')."""
    qualifiers: tuple[tuple[str, str], ...] = ()
    """purl qualifiers that are part of the identity (Maven `type` other than jar, `classifier`)."""
    group: str | None = None
    """The section as written (`devDependencies`, a PEP 735 group, an extra, a Gradle
    configuration, a Maven scope); None when the file has no sections."""
    key_path: str | None = None
    """Where in the document (e.g. `packages["node_modules/a"]`), when the format has keys."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredEdge:
    """A depends-on edge as a lockfile states it: names and, where known, versions."""

    parent: str
    parent_version: str | None
    child: str
    child_version: str | None = None
    kind: EdgeKind = EdgeKind.REQUIRED
    """REQUIRED, OPTIONAL (optionalDependencies, an extra) or PEER (peerDependencies)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredRoot:
    """A direct dependency of one importer (workspace) as a lockfile records it.

    Lockfiles that list each workspace's sections (package-lock's workspace entries, pnpm
    importers, bun workspaces, uv's own packages) state the roots of the graph walk with
    the versions they resolved to. Lockfiles that do not (yarn, poetry, pdm) leave this
    empty and the manifests' declarations are the roots.
    """

    importer: str
    """Folder of the importer, relative to the lockfile's folder ('.' for the lockfile's own)."""
    name: str
    version: str | None
    """The locked version it resolves to (None: not locked, e.g. a missing optional)."""
    scopes: frozenset[Scope] = frozenset({Scope.RUNTIME})
    """The section's meaning, as for DeclaredPackage.scopes."""
    group: str | None = None
    """The section as written (`devDependencies`, `dev-dependencies.lint`)."""
    requirement: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredProject:
    """The project's own identity, from its manifest."""

    name: str | None
    version: str | None = None
    license: str | None = None


@dataclass(slots=True, kw_only=True)
class ParseResult:
    """What one file yields. Partial results and issues may come together."""

    packages: list[DeclaredPackage] = field(default_factory=list)
    edges: list[DeclaredEdge] = field(default_factory=list)
    project: DeclaredProject | None = None
    issues: list[ScanIssue] = field(default_factory=list)
    workspace_members: list[str] = field(default_factory=list)
    """Names of the project's own packages (workspace members), which are first-party."""
    workspace_paths: list[str] = field(default_factory=list)
    """Directories (relative to this file's directory, forward slashes) of workspace members
    that this lockfile covers: their manifests are resolved against this lockfile."""
    workspace_patterns: list[str] = field(default_factory=list)
    """Globs (relative to this manifest's directory) naming workspace member folders, as a
    root manifest states them (package.json `workspaces`); the lockfile beside it covers them."""
    roots: list[DeclaredRoot] = field(default_factory=list)
    """Each importer's direct dependencies, where the lockfile records them (see DeclaredRoot)."""
    states_graph: bool = False
    """True for a lockfile whose edges are the whole dependency graph: lifecycles, optional
    and directness of its packages then follow from the roots and the edges alone (the
    packages' own `scopes` are ignored), computed once in ospo_scan.graph."""
    resolutions: dict[tuple[str, str], str] = field(default_factory=dict)
    """(name, requirement as a manifest writes it) -> locked version, for lockfiles keyed by
    descriptors (yarn's `name@^1.0`): how a declaration finds the version it resolves to."""
    build_list_complete: bool = False
    """For a manifest: its list is the complete build list (go.mod with go >= 1.17), so a
    lockfile entry it does not name is a checksum only, not a component."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanContext:
    """Settings of the scan that some formats need (e.g. where a local Maven repository is)."""

    maven_repository: FileReader | None = None
    """Reader over a local Maven repository (~/.m2/repository or --maven-repo), if any."""


ParseFunction = Callable[[SourceFile, FileReader], ParseResult]
GroupParseFunction = Callable[[Sequence[SourceFile], FileReader, ScanContext], "dict[str, ParseResult]"]
"""Parses every file of one format in a root together, for formats whose meaning spans files
(a POM inherits from its parent POM). Returns a result per path; a file missing from the
mapping falls back to the single-file `parse`."""
ProjectFolderFunction = Callable[[str], str]
"""Root-relative file path -> the folder of the project it belongs to ('.' for the root)."""
MatchFunction = Callable[[str], bool]
"""Takes the path relative to the root (forward slashes); must be cheap: no I/O, no regex."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ParserSpec:
    """A registry entry: one file format, and which files it reads (`file_names` or `matches`)."""

    name: str
    ecosystem: Ecosystem
    role: FileRole
    parse: ParseFunction
    file_names: frozenset[str] = frozenset()
    """For formats with fixed file names: the base names it reads. Discovery finds them with
    one dict lookup instead of asking every spec about every file."""
    matches: MatchFunction | None = None
    """For formats whose file names follow a pattern (requirements*.txt, pylock.<name>.toml):
    whether a root-relative path is one. None when `file_names` says everything."""
    parse_group: GroupParseFunction | None = None
    project_folder: ProjectFolderFunction = lambda path: folder_above(path, 1)
    """Which project a file belongs to: its folder, unless the format keeps its files in a
    subfolder of the project (requirements/dev.txt, vendor/modules.txt, gradle/libs.versions.toml)."""

    def __post_init__(self) -> None:
        if self.matches is None and not self.file_names:
            raise ValueError(f"parser {self.name}: give file_names or matches")
        if self.matches is not None and self.file_names:
            raise ValueError(f"parser {self.name}: give file_names or matches, not both")

    def accepts(self, path: str) -> bool:
        """Whether this format reads the file at root-relative `path` (forward slashes)."""
        if self.matches is not None:
            return self.matches(path)
        return basename(path) in self.file_names


def folder_above(path: str, levels: int) -> str:
    """The folder `levels` steps above a root-relative path ('.' at the root)."""
    for _ in range(levels):
        path = path.rpartition("/")[0]
    return path or "."


def basename(path: str) -> str:
    """Last component of a root-relative path."""
    return path.rpartition("/")[2]


PARSE_ERROR = "parse-error"
"""The file, or a part of it, is not valid in its format."""
INVALID_ENTRY = "invalid-entry"
"""One entry of an otherwise readable file is wrong."""


def issue(source: SourceFile, parser: str, message: str, line: int | None = None, *, code: str = PARSE_ERROR, key_path: str | None = None) -> ScanIssue:
    """A ScanIssue about `source`; the message should make sense without the path.

    `code` is one of model.ISSUE_CODES: `parse-error` when the file (or a part of it)
    is not valid in its format, `invalid-entry` for one bad entry of an otherwise read file.
    """
    return ScanIssue(path=source.path, line=line, parser=parser, message=message, code=code, key_path=key_path)


@dataclass(slots=True, kw_only=True)
class IssueCollector:
    """Where one parser puts the issues it finds in one file, so helpers need only this.

    Parsers whose helpers share more state (key lines, the result being filled) extend it
    with their own fields.
    """

    source: SourceFile
    parser: str
    issues: list[ScanIssue] = field(default_factory=list)
    """In the order found; usually the ParseResult's own list, so nothing is copied."""
    code: str = PARSE_ERROR
    """The code of an issue reported without one."""

    def report(self, message: str, line: int | None = None, *, code: str | None = None, key_path: str | None = None) -> None:
        """Record a problem with the file or one of its entries; reading goes on."""
        self.issues.append(issue(self.source, self.parser, message, line, code=code or self.code, key_path=key_path))
