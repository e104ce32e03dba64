"""The effective model of a POM: what Maven would see, computed from files only.

For one POM: find its parent chain (pom_index), merge the chain's properties (the child
wins) and expand `${...}` in the child's context, as Maven interpolates the merged model;
merge the chain's dependencyManagement (the child wins) and add the entries of imported
BOMs (`<type>pom</type><scope>import</scope>`), each BOM resolved as its own effective
model, after every declared entry as Maven does; then give every dependency its version,
scope and optional flag, from its own element first and the management table second.

Nothing unresolved is guessed (see pom_dependency for the causes a dependency carries).
The POM's own problems (its parent or an imported BOM is not available, a parent cycle:
code `unresolved-parent`; a BOM whose coordinates hold an undefined property:
`unresolved-property`) are reported by the POM that declares them, or by its scanned
descendant when the declaring POM has no result of its own (a local-repository parent).

A dependency declared in a parent is reported by that parent when the parent is a scanned
POM, and repeated here only when this POM's context gives it a concrete version the parent
could not (a version managed or a property defined here); parents that are not scanned
(local repository, read on demand) hand theirs down. Profiles' dependencies are included
with a note, since their activation (JDK, OS, properties) is not evaluated.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ospo_scan.parsers.maven.pom_dependency import (
    Cause,
    Gaps,
    Managed,
    ManagementKey,
    ResolvedDependency,
    managed_entry,
    management_key,
    property_causes,
    resolve_dependency,
)
from ospo_scan.parsers.maven.pom_index import Coordinates, Located, PomIndex, is_concrete, own_coordinates
from ospo_scan.parsers.maven.pom_interpolation import Interpolator, ModelValues
from ospo_scan.parsers.maven.pom_syntax import (
    INVALID_ENTRY,
    PARENT_KEY,
    UNRESOLVED_PARENT,
    UNRESOLVED_PROPERTY,
    Dependency,
    License,
    ParentRef,
    PomDocument,
    Problem,
)

MAX_PARENTS = 64
"""A longer parent chain is treated as broken (real ones have a handful of levels)."""
MAX_IMPORT_DEPTH = 16
"""BOMs importing BOMs deeper than this are not followed."""

@dataclass(frozen=True, slots=True, kw_only=True)
class Lineage:
    """A POM and its parents, nearest first; where and why the chain stops early, if it does."""

    members: tuple[Located, ...]
    missing: str | None = None
    """Cause, e.g. `parent org.x:y:1.0 not found in the scanned tree or local repository`."""
    missing_parent: str | None = None
    """`parent org.x:y:1.0`, to name it in the causes of what it might have defined."""
    declared_by: str | None = None
    """Key of the member whose parent is missing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EffectiveModel:
    """What resolution found for one POM."""

    located: Located
    lineage: Lineage
    group_id: str | None
    artifact_id: str | None
    version: str | None
    coordinate_causes: tuple[Cause, ...]
    licenses: tuple[License, ...]
    managed: Mapping[ManagementKey, Managed]
    dependencies: tuple[ResolvedDependency, ...]
    problems: tuple[Problem, ...]
    """About the POM itself: its parent or a BOM it imports is not available. The line and
    key path are the <parent> or import element's when this POM declares it."""
    unavailable: tuple[str, ...] = ()
    """Parents and BOMs (nested imports included) that might have defined what is missing."""


class ModelBuilder:
    """Builds (and caches) effective models over one PomIndex."""

    def __init__(self, index: PomIndex) -> None:
        self._index = index
        self._models: dict[str, EffectiveModel] = {}
        self._building: list[str] = []

    def build(self, located: Located) -> EffectiveModel:
        """The effective model of `located` (cached: a BOM or parent is resolved once)."""
        cached = self._models.get(located.key)
        if cached is not None:
            return cached
        self._building.append(located.key)
        try:
            model = self._build(located)
        finally:
            self._building.pop()
        self._models[located.key] = model
        return model

    def _build(self, located: Located) -> EffectiveModel:
        document = located.document
        lineage = self.lineage(located)
        model_values = _model_values(lineage)
        interpolator = Interpolator(model_values, _merged_properties(lineage))
        gaps = Gaps(parent=lineage.missing_parent)
        managed, problems = self._management(lineage, interpolator, gaps)
        if lineage.missing and _reports(lineage.declared_by, lineage, located):
            own = lineage.declared_by == located.key and document.parent is not None
            line, key_path = (document.parent.line, PARENT_KEY) if own and document.parent else (None, None)
            problems.insert(0, Problem(line=line, message=lineage.missing, code=UNRESOLVED_PARENT, key_path=key_path))
        group, artifact, version, coordinate_causes = _coordinates(model_values, interpolator, gaps)
        dependencies = tuple(self._dependencies(located, lineage, interpolator, managed, gaps)) if located.scanned else ()
        return EffectiveModel(
            located=located,
            lineage=lineage,
            group_id=group,
            artifact_id=artifact,
            version=version,
            coordinate_causes=coordinate_causes,
            licenses=next((m.document.licenses for m in lineage.members if m.document.licenses), ()),
            managed=managed,
            dependencies=dependencies,
            problems=tuple(problems),
            unavailable=tuple(dict.fromkeys(gaps.all())),
        )

    # -- parents ---------------------------------------------------------------------------

    def lineage(self, located: Located) -> Lineage:
        """Follow <parent> references up the chain, stopping at a gap, a cycle or MAX_PARENTS."""
        members = [located]
        current = located
        while (ref := current.document.parent) is not None:
            wanted = _wanted_parent(current.document, ref)
            label = f"parent {wanted}"
            if len(members) > MAX_PARENTS:
                return Lineage(members=tuple(members), missing=f"parent chain longer than {MAX_PARENTS} POMs; stopped at {label}", missing_parent=label, declared_by=current.key)
            parent = self._find_parent(current, ref, wanted)
            if parent is None:
                missing = self._not_found(label, wanted, _relative_target(current, ref))
                return Lineage(members=tuple(members), missing=missing, missing_parent=label, declared_by=current.key)
            if any(parent.key == m.key for m in members):
                # every POM of the cycle reports it: none of them can be said to be the one at fault
                return Lineage(members=tuple(members), missing=f"{label} is its own ancestor (parent cycle)", missing_parent=label)
            members.append(parent)
            current = parent
        return Lineage(members=tuple(members))

    def _find_parent(self, child: Located, ref: ParentRef, wanted: Coordinates) -> Located | None:
        """By relativePath in the tree (when the coordinates agree), then by coordinates."""
        path = _relative_target(child, ref)
        if path is not None:
            candidate = self._index.at_path(path)
            if candidate is not None and candidate.key != child.key and _is_parent(candidate.document, wanted):
                return candidate
        found = self._index.in_tree(wanted) or self._index.in_repository(wanted)
        return found if found is not None and found.key != child.key else None

    def _not_found(self, label: str, wanted: Coordinates, tree_path: str | None = None) -> str:
        failure = self._index.tree_failure(tree_path) if tree_path else None
        if failure:
            return f"{label} is in the tree but unusable: {failure}"
        failure = self._index.repository_failure(wanted)
        if failure:
            return f"{label} is in the local repository but unusable: {failure}"
        if wanted.version and not is_concrete(wanted.version):
            return f"{label} not found in the scanned tree (its version is not concrete, so the local repository cannot be searched)"
        return f"{label} not found in the scanned tree or local repository"

    # -- dependencyManagement ------------------------------------------------------------------

    def _management(self, lineage: Lineage, interpolator: Interpolator, gaps: Gaps) -> tuple[dict[ManagementKey, Managed], list[Problem]]:
        """Declared entries of the whole chain (nearest wins), then imported BOMs' entries."""
        table: dict[ManagementKey, Managed] = {}
        imports: list[tuple[Dependency, Located]] = []
        for member in lineage.members:
            origin = f"dependencyManagement of {_label(member)}"
            for entry in member.document.managed:
                key = management_key(entry, interpolator)
                if (entry.scope or "").strip() == "import" and key[2] == "pom":
                    imports.append((entry, member))
                elif key not in table:
                    table[key] = managed_entry(entry, interpolator, origin)
        problems: list[Problem] = []
        for entry, member in imports:
            found, label, problem = self._import(entry, interpolator)
            if found is None:
                gaps.boms.append(label)
                if problem and _reports(member.key, lineage, lineage.members[0]):
                    line, key_path = (entry.line, entry.key_path) if member is lineage.members[0] else (None, None)
                    problems.append(Problem(line=line, message=problem.text, code=problem.code, key_path=key_path))
                continue
            gaps.boms.extend(found.unavailable)
            for key, value in found.managed.items():
                if key not in table:
                    table[key] = replace(value, origin=label)
        return table, problems

    def _import(self, entry: Dependency, interpolator: Interpolator) -> tuple[EffectiveModel | None, str, Cause | None]:
        """(effective model of an imported BOM or None, its label, why it is not available)."""
        group, artifact = interpolator.expand(entry.group_id), interpolator.expand(entry.artifact_id)
        version = interpolator.expand(entry.version) if entry.version else None
        wanted = Coordinates(group.text, artifact.text, version.text if version else None)
        label = f"BOM {wanted}"
        unresolved = [value for value in (group, artifact, version) if value is not None and not value.resolved]
        if unresolved:
            reasons = "; ".join(cause.text for cause in property_causes(unresolved[0], Gaps()))
            return None, label, Cause(f"{label} has an unresolved coordinate ({reasons})", UNRESOLVED_PROPERTY)
        if version is None:
            return None, label, Cause(f"{label} has an unresolved coordinate (no version)", INVALID_ENTRY)
        found = self._index.in_tree(wanted) or self._index.in_repository(wanted)
        if found is None:
            return None, label, Cause(self._not_found(label, wanted), UNRESOLVED_PARENT)
        if found.key in self._building:
            return None, label, Cause(f"{label} imports itself (import cycle)", UNRESOLVED_PARENT)
        if len(self._building) > MAX_IMPORT_DEPTH:
            return None, label, Cause(f"{label} not followed: BOM imports nest more than {MAX_IMPORT_DEPTH} levels", UNRESOLVED_PARENT)
        return self.build(found), label, None

    # -- dependencies --------------------------------------------------------------------------

    def _dependencies(
        self, located: Located, lineage: Lineage, interpolator: Interpolator, managed: Mapping[ManagementKey, Managed], gaps: Gaps
    ) -> Iterator[ResolvedDependency]:
        own = located.document
        for entry in own.dependencies:
            yield resolve_dependency(entry, interpolator, managed, gaps, origin=located.key)
        yield from self._inherited(located, lineage, interpolator, managed, gaps)
        for profile in own.profiles:
            properties = {**_merged_properties(lineage), **dict(profile.properties)}
            context = Interpolator(_model_values(lineage), properties, interpolator.budget) if profile.properties else interpolator
            note = f'declared in profile "{profile.id}" (profile activation is not evaluated)'
            for entry in profile.dependencies:
                yield resolve_dependency(entry, context, managed, gaps, origin=located.key, notes=(note,))

    def _inherited(
        self, located: Located, lineage: Lineage, interpolator: Interpolator, managed: Mapping[ManagementKey, Managed], gaps: Gaps
    ) -> Iterator[ResolvedDependency]:
        """Dependencies of the parents, resolved in this POM's context.

        A scanned parent reports its dependencies itself, in its own context; one is repeated
        here only when this POM's context gives it a concrete version the parent could not
        (e.g. a version managed or a property defined by this POM).
        """
        declared = {(d.group_id, d.artifact_id) for d in located.document.dependencies}
        parent_line = located.document.parent.line if located.document.parent else None
        reported: dict[tuple[str, int], str | None] = {}
        for member in lineage.members[1:]:
            if member.scanned and member.key not in self._building:  # in a parent cycle, the other POM is mid-build
                for dependency in self.build(member).dependencies:
                    reported.setdefault(dependency.origin, dependency.version)
        for member in lineage.members[1:]:
            note = f"inherited from {_label(member)}"
            for entry in member.document.dependencies:
                if (entry.group_id, entry.artifact_id) in declared:
                    continue
                declared.add((entry.group_id, entry.artifact_id))
                path, line, key_path = (member.key, entry.line, entry.key_path) if member.in_tree else (None, parent_line, PARENT_KEY)
                found = resolve_dependency(
                    entry, interpolator, managed, gaps, origin=member.key, notes=(note,), path=path, line=line, key_path=key_path
                )
                if found.origin in reported and (found.version is None or reported[found.origin] == found.version):
                    continue
                yield found


def _reports(declared_by: str | None, lineage: Lineage, located: Located) -> bool:
    """A gap is reported by the POM that declares it, or by its scanned descendant when the
    declaring POM has no result of its own (local repository, read on demand)."""
    if declared_by is None or declared_by == located.key:
        return True
    member = next((m for m in lineage.members if m.key == declared_by), None)
    below = lineage.members[1 : lineage.members.index(member) + 1] if member is not None else []
    return not any(m.scanned for m in below)


def _coordinates(model: ModelValues, interpolator: Interpolator, gaps: Gaps) -> tuple[str | None, str | None, str | None, tuple[Cause, ...]]:
    """groupId, artifactId, version of the POM itself, each None unless fully resolved."""
    values: list[str | None] = []
    causes: list[Cause] = []
    for text in (model.group_id, model.artifact_id, model.version):
        expanded = interpolator.expand(text) if text else None
        causes.extend(property_causes(expanded, gaps) if expanded is not None else ())
        values.append(expanded.text if expanded is not None and expanded.resolved else None)
    return values[0], values[1], values[2], tuple(dict.fromkeys(causes))


def _model_values(lineage: Lineage) -> ModelValues:
    """The POM's model fields as Maven inherits them: groupId and version from the nearest
    POM of the chain that states them (raw, expanded later in this POM's context), else
    from the topmost <parent> reference when the chain stops early."""
    document = lineage.members[0].document
    parent = document.parent
    return ModelValues(
        group_id=_inherited_field(lineage, "group_id"),
        artifact_id=document.artifact_id,
        version=_inherited_field(lineage, "version"),
        packaging=document.packaging,
        parent_group_id=parent.group_id if parent else None,
        parent_artifact_id=parent.artifact_id if parent else None,
        parent_version=parent.version if parent else None,
    )


def _inherited_field(lineage: Lineage, name: str) -> str | None:
    for member in lineage.members:
        value = getattr(member.document, name)
        if value:
            return value
    top = lineage.members[-1].document.parent
    return getattr(top, name) if top is not None else None


def _merged_properties(lineage: Lineage) -> dict[str, str]:
    """Properties of the chain, the nearest POM's value winning."""
    merged: dict[str, str] = {}
    for member in reversed(lineage.members):
        merged.update(member.document.properties)
    return merged


def _wanted_parent(document: PomDocument, ref: ParentRef) -> Coordinates:
    """The parent's coordinates, `${...}` in its version expanded with this POM's own properties."""
    version = ref.version
    if version and "${" in version:
        model = ModelValues(group_id=ref.group_id, artifact_id=document.artifact_id, version=version)
        version = Interpolator(model, dict(document.properties)).expand(version).text
    return Coordinates(ref.group_id, ref.artifact_id, version)


def _relative_target(child: Located, ref: ParentRef) -> str | None:
    """Where <relativePath> points, for tree POMs that have one (`<relativePath/>` means none)."""
    if not child.in_tree or not ref.relative_path:
        return None
    relative = ref.relative_path.replace("\\", "/")  # POMs written on Windows
    return posixpath.normpath(posixpath.join(posixpath.dirname(child.key), relative))


def _is_parent(document: PomDocument, wanted: Coordinates) -> bool:
    """Maven ignores a POM at relativePath whose coordinates are not the ones asked for."""
    found = own_coordinates(document)
    if found.artifact_id != wanted.artifact_id:
        return False
    if found.group_id and wanted.group_id and found.group_id != wanted.group_id:
        return False
    return not (is_concrete(found.version) and is_concrete(wanted.version) and found.version != wanted.version)


def _label(member: Located) -> str:
    if member.in_tree:
        return member.key
    found = own_coordinates(member.document)
    return f"parent {found} (local Maven repository)"
