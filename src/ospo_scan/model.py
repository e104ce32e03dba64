"""The normalized inventory: what every parser's output becomes.

All records are frozen, slotted, keyword-only dataclasses so that a value built by
one stage (a parser, the merge step) cannot be changed behind the back of another.
Serialization lives in the reporters, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Ecosystem(str, Enum):
    """Package ecosystems, spelled as the purl type so the two never drift apart."""

    PYPI = "pypi"
    NPM = "npm"
    MAVEN = "maven"
    GOLANG = "golang"


class Scope(str, Enum):
    """Why a component is present; a component may have several scopes."""

    RUNTIME = "runtime"
    DEV = "dev"
    TEST = "test"
    OPTIONAL = "optional"
    BUILD = "build"
    PROVIDED = "provided"
    PEER = "peer"


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Location:
    """Where a component was declared."""

    path: str
    """Path relative to the scan root, with forward slashes."""
    line: int | None = None
    """1-based line number where the format has lines; None otherwise."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseInfo:
    """License evidence for a component (filled by the license classifier)."""

    expression: str | None
    """SPDX expression, or None when it could not be determined."""
    category: str
    """Risk category such as permissive or unknown."""
    declared: tuple[str, ...] = ()
    """The raw strings as the ecosystem declared them."""
    source: str | None = None
    """Which file or installation, and which field, the evidence came from."""
    confidence: float | None = None
    """Confidence of a text match, 0..1; None for declared values."""
    reason: str | None = None
    """Why the license is unknown, when it is (or how the category was decided)."""
    chosen: str | None = None
    """For a choice (OR): the licenses the category rests on (the least restrictive)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One package, merged across every file of the scan that names it."""

    purl: str
    """Package URL; built only by ospo_scan.purl."""
    ecosystem: Ecosystem
    name: str
    """Normalized name as it appears in the purl (namespace included, e.g. @babel/core)."""
    version: str | None
    """Concrete version, or None when no file pins one."""
    requirement: str | None = None
    """The original specifier from the manifest (e.g. '>=2,<3'), when there was one."""
    scopes: frozenset[Scope] = frozenset({Scope.RUNTIME})
    direct: bool = True
    """True when a manifest of the project names it; False when only a lockfile does."""
    first_party: bool = False
    """True for the project's own packages (workspaces, local paths, modules)."""
    license: LicenseInfo | None = None
    locations: tuple[Location, ...] = ()
    extras: tuple[str, ...] = ()
    """Requested extras/features, kept as data (they are not part of the identity)."""
    markers: tuple[str, ...] = ()
    """Environment markers under which the requirement applies."""
    source_url: str | None = None
    """URL, VCS reference or local path the package comes from, when not a registry."""
    declared_licenses: tuple[str, ...] = ()
    """License strings a lockfile or manifest states for this package (raw)."""
    notes: tuple[str, ...] = ()
    """Why something is missing or odd (e.g. an unresolved version), never dropped."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Relationship:
    """A depends-on edge stated by a lockfile."""

    source: str
    """purl of the dependent."""
    target: str
    """purl of the dependency."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class ScanIssue:
    """A file (or part of one) that could not be read or understood."""

    path: str
    line: int | None = None
    parser: str = ""
    """Parser name, or 'discovery' / 'reader' for problems before parsing."""
    message: str = ""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """Everything a scan found: the single input of every reporter and analysis."""

    roots: tuple[str, ...]
    projects: tuple[Project, ...] = ()
    components: tuple[Component, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    issues: tuple[ScanIssue, ...] = ()
    files_scanned: int = 0

    @property
    def complete(self) -> bool:
        """A scan is complete when no file failed to be read or parsed."""
        return not self.issues
