"""What a comparison of two JSON reports finds: frozen records, no serialization here.

The records hold what the reports said, as they said it (names, versions and messages
come from scanned files): the renderers escape them for their medium.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Direction(str, Enum):
    """How a package's version moved between the two reports."""

    UPGRADED = "upgraded"
    DOWNGRADED = "downgraded"
    CHANGED = "changed"
    """The ecosystem's ordering cannot tell: a version it cannot read (a branch name,
    no version at all), or two spellings of one version (`1.0` and `1.0.0` in PyPI)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportedComponent:
    """A third-party component as one report lists it."""

    purl: str
    package: str
    """The purl without its version (qualifiers kept): what stays the same across an upgrade."""
    ecosystem: str
    name: str
    """As the package spells it (the purl holds the normalized form)."""
    version: str | None
    """None when no file pins one (the purl then has no version either)."""
    license: str | None
    """The concluded SPDX expression; None when unknown."""
    category: str
    projects: tuple[str, ...] = ()
    """Ids of the projects that use it, sorted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentChange:
    """One package on both sides: a new version, a new license, or both."""

    old: ReportedComponent
    new: ReportedComponent
    direction: Direction | None = None
    """How the version moved; None when the version is the same (a license change only)."""

    @property
    def license_changed(self) -> bool:
        """The concluded expression or its category differs."""
        return (self.old.license, self.old.category) != (self.new.license, self.new.category)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportedViolation:
    """A policy violation as one report lists it (under `policy.violations`)."""

    fingerprint: str
    """Rule, package, project and file (never the line or the version): the match key."""
    rule: str
    severity: str
    message: str
    component: str | None = None
    package: str | None = None
    project: str | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportedGap:
    """A compliance gap as one report lists it (under `analysis.gaps.items`)."""

    code: str
    severity: str
    message: str
    component: str | None = None
    package: str | None = None
    """The component's purl without its version, so an upgrade does not renew its gaps."""
    project: str | None = None
    path: str | None = None
    line: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a gap across reports: like a violation's fingerprint, code,
        package, project and file, never the line, the version or the wording."""
        return self.code, self.package or "", self.project or "", self.path or ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSide:
    """What one of the two reports is, for the reader to judge whether they compare."""

    tool_version: str
    schema_version: int
    status: str
    """complete or incomplete: an incomplete scan may show removals that are unread files."""
    roots: tuple[str, ...]
    components: int
    """Third-party components (first-party ones are not compared)."""
    has_policy: bool
    policy_files: tuple[str, ...] = ()
    """sha256 of each policy file applied, in order: two reports judged by different
    policies can differ in violations without any dependency change."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportDiff:
    """Everything that changed from the old report to the new one; every tuple sorted."""

    old: ReportSide
    new: ReportSide
    added: tuple[ReportedComponent, ...] = ()
    removed: tuple[ReportedComponent, ...] = ()
    upgraded: tuple[ComponentChange, ...] = ()
    downgraded: tuple[ComponentChange, ...] = ()
    version_changed: tuple[ComponentChange, ...] = ()
    """New version, but no order between the two (see Direction.CHANGED)."""
    license_changed: tuple[ComponentChange, ...] = ()
    """Same purl, or a version change, with another concluded license or category."""
    violations_compared: bool = False
    """False when either report has no `policy` section: then no violation is new or fixed."""
    new_violations: tuple[ReportedViolation, ...] = ()
    fixed_violations: tuple[ReportedViolation, ...] = ()
    new_gaps: tuple[ReportedGap, ...] = ()
    fixed_gaps: tuple[ReportedGap, ...] = ()

    @property
    def new_error_violations(self) -> tuple[ReportedViolation, ...]:
        """The new violations that fail a gate (`--fail-on new-violations`)."""
        return tuple(v for v in self.new_violations if v.severity == "error")

    @property
    def policies_differ(self) -> bool:
        """Both reports were judged, but by different policy files."""
        return self.violations_compared and self.old.policy_files != self.new.policy_files

    @property
    def unchanged(self) -> bool:
        """Nothing to tell: no component, license, violation or gap changed."""
        return not any((
            self.added, self.removed, self.upgraded, self.downgraded, self.version_changed, self.license_changed,
            self.new_violations, self.fixed_violations, self.new_gaps, self.fixed_gaps,
        ))
