"""The normalized inventory: what every parser's output becomes.

All records are frozen, slotted, keyword-only dataclasses so that a value built by
one stage (a parser, the merge step) cannot be changed behind the back of another.
Serialization lives in the reporters, never here.

The heart of it is `Usage`: one record per (project, component, declaration or lock
path). Merging components across projects only appends usages, so "optional in
project A, required in project B" stays visible; everything a component says about
scope or directness (`scopes`, `direct`) is derived from its usages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Ecosystem(str, Enum):
    """Package ecosystems, spelled as the purl type so the two never drift apart."""

    PYPI = "pypi"
    NPM = "npm"
    MAVEN = "maven"
    GOLANG = "golang"


class Scope(str, Enum):
    """The version 1 summary of why a component is present (derived from its usages).

    It mixes lifecycles (runtime, dev, test, build, provided) with flags (optional,
    peer); new code reads `Usage.lifecycle`, `Usage.optional` and `Usage.peer` instead.
    """

    RUNTIME = "runtime"
    DEV = "dev"
    TEST = "test"
    OPTIONAL = "optional"
    BUILD = "build"
    PROVIDED = "provided"
    PEER = "peer"


class Lifecycle(str, Enum):
    """When a project needs a component: exactly one per usage.

    Members are listed strongest first: a package that several paths reach takes the
    strongest lifecycle among them (runtime beats everything, whatever else reaches it).
    """

    RUNTIME = "runtime"
    PROVIDED = "provided"
    """Needed at run time but supplied by the platform (Maven `provided`, `system`)."""
    BUILD = "build"
    TEST = "test"
    DEVELOPMENT = "development"


LIFECYCLE_STRENGTH: dict[Lifecycle, int] = {lifecycle: rank for rank, lifecycle in enumerate(Lifecycle)}
"""0 for the strongest (runtime); used to pick the lifecycle of a package many paths reach."""


def strongest(lifecycles: "frozenset[Lifecycle] | set[Lifecycle] | list[Lifecycle]") -> Lifecycle:
    """The lifecycle that wins when several reach one package."""
    return min(lifecycles, key=LIFECYCLE_STRENGTH.__getitem__)


class Directness(str, Enum):
    """Whether the project itself asks for a component."""

    DIRECT = "direct"
    """A manifest of the project (or the lockfile's entry for it) names it."""
    TRANSITIVE = "transitive"
    """Only other packages' dependencies bring it in."""
    UNKNOWN = "unknown"
    """The files cannot tell (a lockfile without its manifest, go.sum alone)."""


class EdgeKind(str, Enum):
    """How a package depends on another."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    PEER = "peer"
    OPTIONAL_PEER = "optional-peer"
    """A peer the dependent can do without (npm `peerDependenciesMeta.<name>.optional`)."""
    DEVELOPMENT = "development"
    """A project's development-only dependency (an edge from a project root)."""


class Severity(str, Enum):
    """How much an issue costs the scan."""

    ERROR = "error"
    """A file (or a part of it) could not be read: the scan is incomplete."""
    WARNING = "warning"
    """Read, but something in it could not be understood fully."""


_VALUES: dict[Enum, str] = {member: member._value_ for kind in (Lifecycle, Directness, EdgeKind) for member in kind}
"""Each member's value as a plain string: sort keys are built hundreds of thousands of times
per scan, and `member.value` (a descriptor call) costs several times this dict lookup."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Location:
    """Where a component was declared or locked."""

    path: str
    """Path relative to the scan root, with forward slashes."""
    line: int | None = None
    """1-based line number where the format has lines; None otherwise."""
    key_path: str | None = field(default=None, compare=False)
    """Where in the document, e.g. `packages["node_modules/a"]` or `[tool.poetry.dependencies].flask`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseEvidence:
    """One statement about a component's license, as found."""

    value: str
    """The raw value (a declared string, or the SPDX id a text matched)."""
    source: str
    """The file or installation and the field it came from (e.g. `package-lock.json: license`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseInfo:
    """License conclusion for a component (filled by the license classifier)."""

    expression: str | None
    """SPDX expression, or None when it could not be determined."""
    category: str
    """Risk category such as permissive or unknown."""
    declared: tuple[str, ...] = ()
    """The raw strings as the ecosystem declared them."""
    source: str | None = None
    """Which file or installation, and which field, the conclusion rests on."""
    confidence: float | None = None
    """Confidence of a text match, 0..1; None for declared values."""
    reason: str | None = None
    """Why the license is unknown, when it is (or how the category was decided)."""
    chosen: str | None = None
    """For a choice (OR): the licenses the category rests on (the least restrictive)."""
    evidence: tuple[LicenseEvidence, ...] = ()
    """Every statement found, side by side (two files that disagree are two entries, not an OR)."""
    license_files: tuple[str, ...] = ()
    """The license, copying and notice files of the local installations of this exact
    component (whatever rank concluded: the text ships with the package), as absolute
    paths with every symlink resolved, so a report made after the scan can open them
    wherever the scan root or cache lies (the notices report reads their text then, never
    the scan). Absolute paths depend on where a tree is checked out, so no report prints
    them as they are: the JSON report leaves them out, the notices report shows them
    relative to the scanned root."""
    license_files_reason: str | None = None
    """Why `license_files` is empty: no installation of this version was found (and why),
    or the one found ships no license file."""


LicenseConclusion = LicenseInfo
"""The name the usage model gives it: a conclusion together with its evidence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """One project's use of a component, as one declaration or one lock entry states it."""

    project: str
    """`Project.id` of the project that uses the component."""
    lifecycle: Lifecycle
    optional: bool = False
    """True when the project can do without it (optionalDependencies, extras, `<optional>`)."""
    peer: bool = False
    """True when it is the host's to provide (npm peerDependencies)."""
    directness: Directness = Directness.UNKNOWN
    group: str | None = None
    """The section as written: manifest section, PEP 735 group, extra, Gradle configuration, Maven scope."""
    requirement: str | None = None
    """The specifier as written in a declaration (e.g. '^1.2.3', '>=2,<3')."""
    location: Location = field(default_factory=lambda: Location(path=""))

    def sort_key(self) -> tuple[str, str, int, str, str, bool, bool, str, str]:
        """Usages sort by project, place, then the rest (None sorts first)."""
        return (
            self.project,
            self.location.path,
            self.location.line or 0,
            _VALUES[self.lifecycle],
            _VALUES[self.directness],
            self.optional,
            self.peer,
            self.group or "",
            self.requirement or "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One package, merged across every file and project of the scan that uses it."""

    purl: str
    """Package URL; built only by ospo_scan.purl."""
    ecosystem: Ecosystem
    name: str
    """Name as the package spells it (namespace included, e.g. @babel/core, JSONStream);
    the purl holds the normalized form."""
    version: str | None
    """Concrete version, or None when no file pins one."""
    usages: tuple[Usage, ...] = ()
    """Who uses it, how and where; sorted."""
    first_party: bool = False
    """True for the repository's own packages (workspace members, local paths, in-tree projects)."""
    license: LicenseInfo | None = None
    extras: tuple[str, ...] = ()
    """Requested extras/features, kept as data (they are not part of the identity)."""
    markers: tuple[str, ...] = ()
    """Environment markers under which the requirement applies."""
    source_url: str | None = None
    """URL, VCS reference or local path the package comes from, when not a registry."""
    declared_licenses: tuple[str, ...] = ()
    """License strings a lockfile or manifest states for this package (raw)."""
    license_declarations: tuple[tuple[str, Location], ...] = ()
    """Each of those strings with the entry that states it, so two files that disagree are
    told apart (sorted by string, then place)."""
    notes: tuple[str, ...] = ()
    """Why something is missing or odd (e.g. an unresolved version), never dropped."""

    @property
    def locations(self) -> tuple[Location, ...]:
        """Every distinct place that declares or locks it, sorted."""
        return tuple(sorted({usage.location for usage in self.usages}, key=_location_key))

    @property
    def requirement(self) -> str | None:
        """The first specifier a declaration wrote (version 1 readers show one)."""
        return next((usage.requirement for usage in self.usages if usage.requirement), None)

    @property
    def direct(self) -> bool:
        """True when some project's manifest names it."""
        return any(usage.directness is Directness.DIRECT for usage in self.usages)

    @property
    def lifecycles(self) -> frozenset[Lifecycle]:
        """Every lifecycle some usage has."""
        return frozenset(usage.lifecycle for usage in self.usages)

    @property
    def scopes(self) -> frozenset[Scope]:
        """The version 1 view: lifecycles as scopes; runtime shown as optional (or peer) when
        every runtime usage is optional (or peer)."""
        return scopes_of(self.usages)


def scopes_of(usages: "tuple[Usage, ...] | list[Usage]") -> frozenset[Scope]:
    """Version 1 scopes of a set of usages (runtime when there are none)."""
    scopes: set[Scope] = set()
    runtime = [u for u in usages if u.lifecycle is Lifecycle.RUNTIME]
    if runtime:
        if any(not u.optional and not u.peer for u in runtime):
            scopes.add(Scope.RUNTIME)
        else:
            if all(u.optional for u in runtime):
                scopes.add(Scope.OPTIONAL)
            if all(u.peer for u in runtime):
                scopes.add(Scope.PEER)
            if not scopes:
                scopes.update({Scope.OPTIONAL, Scope.PEER})
    scopes.update(_LIFECYCLE_SCOPES[u.lifecycle] for u in usages if u.lifecycle is not Lifecycle.RUNTIME)
    return frozenset(scopes or {Scope.RUNTIME})


_LIFECYCLE_SCOPES = {
    Lifecycle.RUNTIME: Scope.RUNTIME,
    Lifecycle.PROVIDED: Scope.PROVIDED,
    Lifecycle.BUILD: Scope.BUILD,
    Lifecycle.TEST: Scope.TEST,
    Lifecycle.DEVELOPMENT: Scope.DEV,
}


def _location_key(location: Location) -> tuple[str, int]:
    return location.path, location.line or 0


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Dependency:
    """A depends-on edge, in one project: from the project itself or from a package it locks."""

    project: str
    """`Project.id` of the project whose dependency graph holds the edge."""
    source: str
    """purl of the dependent (the project's own purl for its direct dependencies)."""
    target: str
    """purl of the dependency."""
    kind: EdgeKind = EdgeKind.REQUIRED
    lifecycle: Lifecycle = Lifecycle.RUNTIME
    """The lifecycle of the target in this project (as the graph walk concluded)."""

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Plain-string order (much faster than the generated comparison on large graphs)."""
        return self.project, self.source, self.target, _VALUES[self.kind], _VALUES[self.lifecycle]


Relationship = Dependency
"""The version 1 name."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class ScanIssue:
    """A file (or part of one) that could not be read or understood."""

    path: str
    line: int | None = None
    parser: str = ""
    """Parser name, or 'discovery' / 'reader' / 'resolve' for problems outside parsing."""
    message: str = ""
    code: str = "parse-error"
    """Stable identifier of the kind of problem (see ISSUE_CODES); SARIF rule ids and the
    policy's rules use it."""
    severity: Severity = Severity.ERROR
    key_path: str | None = None
    """Where in the document, when known (e.g. `packages[12].version`)."""


ISSUE_CODES: dict[str, str] = {
    "parse-error": "the file is not valid in its format",
    "read-error": "the file could not be read (permissions, I/O, encoding)",
    "binary-file": "the file is binary, not a text manifest",
    "too-large": "the file is larger than --max-file-size",
    "symlink-outside-root": "a symbolic link points outside the scanned root",
    "discovery-error": "a folder could not be walked",
    "invalid-entry": "one entry of a file could not be understood; the rest was read",
    "unresolved-parent": "a Maven parent POM or BOM is neither in the tree nor in the local repository",
    "unresolved-property": "a placeholder (e.g. ${version}) has no value",
    "edge-unresolved": "a lockfile names a dependency that it does not lock",
    "internal-error": "a bug in ospo-scan while reading this file (please report it)",
}
"""Every issue code, with what it means."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Repository:
    """One scanned root."""

    id: str
    """Stable identifier within the inventory: the path as given on the command line ('.' by default)."""
    root: str
    """The folder's name, for display."""
    commit: str | None = None
    """The commit checked out, read from .git/HEAD and refs (git is never run)."""
    branch: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """A manifest root: a directory with manifests of one ecosystem."""

    name: str
    version: str | None
    path: str
    """Directory relative to the scan root ('.' for the root itself)."""
    ecosystem: Ecosystem
    license: str | None = None
    """License as the project declares it (raw; classified by the license stage)."""
    license_info: LicenseInfo | None = None
    """The project's own license, identified like a component's (manifest, else LICENSE file)."""
    files: tuple[str, ...] = ()
    """The manifests and lockfiles that make up the project."""
    manifests: tuple[str, ...] = ()
    """Of `files`, those that declare what the project asks for (package.json, pyproject.toml...)."""
    lockfiles: tuple[str, ...] = ()
    """Of `files`, those that pin what it gets. No lockfile: versions may be unpinned.
    No manifest: direct and transitive cannot always be told apart."""
    repository: str = "."
    """`Repository.id` of the scanned root it lies in."""
    purl: str | None = None
    """The project's own package URL when it declares a name: the root node of its graph."""
    declared: bool = True
    """False when no manifest names the project (its name is the folder's)."""

    @property
    def id(self) -> str:
        """Unique within an inventory: ecosystem and path (paths carry the repository label)."""
        return f"{self.ecosystem.value}:{self.path}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """What produced the inventory, so two inventories can be compared fairly."""

    tool_version: str
    schema_version: int
    license_data: tuple[tuple[str, str], ...] = ()
    """(data set, version) for every license data source, the text matcher's included."""
    options_digest: str = ""
    """sha256 of the options that change results (excludes, size cap, curations, repositories)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """Everything a scan found: the single input of every reporter and analysis."""

    roots: tuple[str, ...]
    projects: tuple[Project, ...] = ()
    components: tuple[Component, ...] = ()
    relationships: tuple[Dependency, ...] = ()
    issues: tuple[ScanIssue, ...] = ()
    files_scanned: int = 0
    repositories: tuple[Repository, ...] = ()
    provenance: Provenance | None = None

    @property
    def complete(self) -> bool:
        """A scan is complete when no file failed to be read or parsed."""
        return not any(issue.severity is Severity.ERROR for issue in self.issues)
