"""One dependency of an effective POM: version, scope and optional flag, and why.

A dependency takes its version from its own element first and from the management table
(dependencyManagement of the POM and its parents, then imported BOMs) second, keyed as
Maven keys it: groupId, artifactId, type and classifier. What cannot be resolved is never
guessed: the dependency keeps the text as written and carries *causes*, sentences such as
`property ${foo.version} is not defined` that pom.py counts so each is reported once per
file, each with the issue code it becomes: `unresolved-property` for a placeholder without
a value, `unresolved-parent` for a version that only an unavailable parent or BOM could
manage, `invalid-entry` for a version Maven itself would refuse (none at all, or empty).
Causes name the parent or BOMs that were not available and might have helped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ospo_scan.parsers.base import INVALID_ENTRY
from ospo_scan.parsers.maven.pom_index import is_concrete
from ospo_scan.parsers.maven.pom_interpolation import MAX_EXPANDED_LENGTH, MAX_EXPANSION_WORK, MAX_NESTING, Interpolated, Interpolator
from ospo_scan.parsers.maven.pom_syntax import UNRESOLVED_PARENT, UNRESOLVED_PROPERTY, Dependency

ManagementKey = tuple[str, str, str, str]
"""groupId, artifactId, type (default jar), classifier (default '') as Maven keys management."""


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a value could not be resolved: a sentence, and the issue code it is reported with."""

    text: str
    code: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Managed:
    """A dependencyManagement entry, already expanded in the right context."""

    written: str | None
    version: Interpolated | None
    scope: str | None
    optional: str | None
    origin: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedDependency:
    """A dependency of the effective model, with why its version is what it is."""

    group_id: str
    artifact_id: str
    version: str | None
    """Concrete version, or None (unresolved, range, meta-version)."""
    requirement: str | None
    """The version specifier: expanded when fully resolved (`4.12.0`, `[3.0,4.0)`), else as
    written (`${micrometer.version}`), from the dependency's own element or its management."""
    scope: str
    optional: bool
    type: str | None
    classifier: str | None
    line: int | None
    path: str | None
    """Tree path of the declaring POM when it is not the POM being resolved."""
    key_path: str | None
    """Where the entry sits in the declaring POM (`project.dependencies.dependency[3]`);
    `project.parent` when that POM is outside the tree (the line is then the <parent> one)."""
    origin: tuple[str, int]
    """(key of the declaring POM, line of the entry there): the same entry seen from two POMs."""
    notes: tuple[str, ...] = ()
    causes: tuple[Cause, ...] = ()


MAX_NAMED = 3
"""How many unavailable parents/BOMs a cause names before it says 'and N more'."""


@dataclass(slots=True)
class Gaps:
    """What is missing from the context of one POM, to name in causes."""

    parent: str | None = None
    boms: list[str] = field(default_factory=list)

    def property_suffix(self) -> str:
        return f"; it may come from {self.parent}, which is not available" if self.parent else ""

    def version_suffix(self) -> str:
        sources = list(dict.fromkeys(self.all()))
        if not sources:
            return ""
        shown = " or ".join(sources[:MAX_NAMED])
        more = f" (and {len(sources) - MAX_NAMED} more)" if len(sources) > MAX_NAMED else ""
        return f"; it may be managed by {shown}{more}, not available"

    def all(self) -> list[str]:
        return [s for s in (self.parent, *self.boms) if s]


def resolve_dependency(
    entry: Dependency,
    interpolator: Interpolator,
    managed: Mapping[ManagementKey, Managed],
    gaps: Gaps,
    *,
    origin: str,
    notes: tuple[str, ...] = (),
    path: str | None = None,
    line: int | None = None,
    key_path: str | None = None,
) -> ResolvedDependency:
    """One dependency: expand its coordinates, take what management adds, explain any gap."""
    group, artifact = interpolator.expand(entry.group_id), interpolator.expand(entry.artifact_id)
    kind = interpolator.expand(entry.type).text if entry.type else None
    classifier = interpolator.expand(entry.classifier).text if entry.classifier else None
    causes = [*property_causes(group, gaps), *property_causes(artifact, gaps)]
    found = managed.get((group.text, artifact.text, kind or "jar", classifier or ""))
    version_written, expanded, version_origin = _version_source(entry, interpolator, found)
    extra = list(notes)
    version_causes = _version_causes(expanded, gaps)
    causes.extend(version_causes)
    if expanded is not None:
        extra.extend(filter(None, (version_origin, _version_note(expanded))))
    scope = entry.scope or (found.scope if found else None) or "compile"
    optional = entry.optional or (found.optional if found else None) or "false"
    extra.extend(f"{label} {value}" for label, value in (("type", kind), ("classifier", classifier)) if value and value != "jar")
    version = expanded.text if expanded is not None and not version_causes and is_concrete(expanded.text) else None
    return ResolvedDependency(
        group_id=group.text,
        artifact_id=artifact.text,
        version=version,
        requirement=expanded.text if expanded is not None and expanded.resolved else version_written,
        scope=interpolator.expand(scope).text.strip(),
        optional=interpolator.expand(optional).text.strip().lower() == "true",
        type=kind,
        classifier=classifier,
        line=line if line is not None else entry.line,
        path=path,
        key_path=key_path if key_path is not None else entry.key_path,
        origin=(origin, entry.line),
        notes=tuple(dict.fromkeys(extra)),
        causes=tuple(dict.fromkeys(causes)),
    )


def _version_source(entry: Dependency, interpolator: Interpolator, found: Managed | None) -> tuple[str | None, Interpolated | None, str | None]:
    """(text as written, expansion, note on where it came from) of a dependency's version."""
    if entry.version:
        return entry.version, interpolator.expand(entry.version), None
    if found is not None and found.version is not None:
        return found.written, found.version, f"version from {found.origin}"
    return None, None, None


def _version_causes(expanded: Interpolated | None, gaps: Gaps) -> list[Cause]:
    if expanded is None:
        # with a parent or BOM missing, that is where the version most likely is managed
        code = UNRESOLVED_PARENT if gaps.all() else INVALID_ENTRY
        return [Cause("no version, and no dependencyManagement entry for it" + gaps.version_suffix(), code)]
    if expanded.resolved and not expanded.text.strip():
        return [Cause("version is empty once properties are expanded", INVALID_ENTRY)]
    return property_causes(expanded, gaps)


def _version_note(expanded: Interpolated) -> str | None:
    text = expanded.text
    if not expanded.resolved:
        return None
    if text[:1] in "[(" or "," in text:
        return "version range: Maven picks the version at build time"
    if text in ("LATEST", "RELEASE"):
        return f"meta-version {text}: Maven picks the version at build time"
    return None


def property_causes(value: Interpolated, gaps: Gaps) -> list[Cause]:
    """One cause (code unresolved-property) per name that kept `value` from being expanded."""
    texts = []
    for name in sorted(value.undefined):
        if name.startswith("env."):
            texts.append(f"property ${{{name}}} comes from the build environment, not from the POM")
        else:
            texts.append(f"property ${{{name}}} is not defined{gaps.property_suffix()}")
    texts.extend(f"property ${{{name}}} refers to itself (cycle or nesting deeper than {MAX_NESTING})" for name in sorted(value.cyclic))
    texts.extend(
        f"property ${{{name}}} not expanded: the value would pass {MAX_EXPANDED_LENGTH:,} characters"
        for name in sorted(value.oversized)
    )
    texts.extend(
        f"property ${{{name}}} not expanded: this POM's properties expand to more than {MAX_EXPANSION_WORK:,} characters in all"
        for name in sorted(value.unexpanded)
    )
    return [Cause(text, UNRESOLVED_PROPERTY) for text in texts]


def management_key(entry: Dependency, interpolator: Interpolator) -> ManagementKey:
    return (
        interpolator.expand(entry.group_id).text,
        interpolator.expand(entry.artifact_id).text,
        interpolator.expand(entry.type).text if entry.type else "jar",
        interpolator.expand(entry.classifier).text if entry.classifier else "",
    )


def managed_entry(entry: Dependency, interpolator: Interpolator, origin: str) -> Managed:
    return Managed(
        written=entry.version,
        version=interpolator.expand(entry.version) if entry.version else None,
        scope=entry.scope,
        optional=entry.optional,
        origin=origin,
    )
