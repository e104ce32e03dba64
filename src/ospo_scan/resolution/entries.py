"""Entries: one usage of one package, before packages are merged into Components.

Resolution turns each declaration and each lock entry into an `Entry` (the package's
identity and details plus one `Usage`); `merge_entries` then folds entries of one purl
into one Component. Keeping the two apart is what lets "optional in project A,
required in project B" survive the merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ospo_scan.model import Component, Ecosystem, Lifecycle, Location, Scope, Usage, strongest
from ospo_scan.parsers.base import DeclaredPackage
from ospo_scan.purl import build_purl, normalize_name

_SCOPE_LIFECYCLES = {
    Scope.RUNTIME: Lifecycle.RUNTIME,
    Scope.DEV: Lifecycle.DEVELOPMENT,
    Scope.TEST: Lifecycle.TEST,
    Scope.BUILD: Lifecycle.BUILD,
    Scope.PROVIDED: Lifecycle.PROVIDED,
}


@dataclass(frozen=True, slots=True)
class SectionKind:
    """What a manifest section (a set of parser scopes) means for a usage."""

    lifecycle: Lifecycle
    optional: bool
    peer: bool


def section_kind(scopes: Iterable[Scope]) -> SectionKind:
    """Parser scopes -> one lifecycle plus the optional and peer flags.

    A section names at most one lifecycle; should a declaration carry several (the same
    package in `dependencies` and `devDependencies` folded by a parser), the strongest wins.
    No lifecycle at all (`{OPTIONAL}`, `{PEER}`, or empty: the file cannot tell) is runtime.
    """
    found = set(scopes)
    lifecycles = [_SCOPE_LIFECYCLES[scope] for scope in found if scope in _SCOPE_LIFECYCLES]
    return SectionKind(
        lifecycle=strongest(lifecycles) if lifecycles else Lifecycle.RUNTIME,
        optional=Scope.OPTIONAL in found,
        peer=Scope.PEER in found,
    )


@dataclass(slots=True)
class Entry:
    """A package as one declaration or lock entry states it, with the usage it gives."""

    ecosystem: Ecosystem
    name: str
    """As the file spells it."""
    version: str | None
    usage: Usage
    package: DeclaredPackage
    first_party: bool = False
    notes: frozenset[str] = frozenset()
    """Replaced, never mutated: most entries have none and share the one empty set."""
    more: list[Usage] = field(default_factory=list)
    """Further usages of the same lock entry (other projects reaching it): the package's
    details are then merged once, however many projects of a monorepo use it."""

    @property
    def key(self) -> str:
        """The purl this entry belongs to."""
        return purl_of(self.ecosystem, self.name, self.version, self.package.qualifiers)


_PURLS: dict[tuple[Ecosystem, str, str | None, tuple[tuple[str, str], ...]], str] = {}


def purl_of(ecosystem: Ecosystem, name: str, version: str | None, qualifiers: tuple[tuple[str, str], ...] = ()) -> str:
    """build_purl from a name as written, memoized on exactly what varies per entry."""
    key = (ecosystem, name, version, qualifiers)
    found = _PURLS.get(key)
    if found is None:
        found = _PURLS[key] = build_purl(ecosystem, normalize_name(ecosystem, name), version, dict(qualifiers))
    return found


@dataclass(slots=True)
class _Draft:
    ecosystem: Ecosystem
    name: str
    version: str | None
    usages: dict[tuple[object, ...], Usage] = field(default_factory=dict)
    """Keyed by Usage.sort_key (plain values hash much faster than the enums inside a Usage)."""
    first_party: bool = False
    extras: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)
    source_url: str | None = None
    declared_licenses: set[str] = field(default_factory=set)
    license_declarations: set[tuple[str, Location]] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)


def merge_entries(entries: Iterable[Entry]) -> dict[str, Component]:
    """Components by purl; usages and details accumulate, the first spelling of the name is kept."""
    drafts: dict[str, _Draft] = {}
    for entry in entries:
        key = entry.key
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = _Draft(ecosystem=entry.ecosystem, name=_display_name(entry), version=entry.version)
        _add(draft, entry)
    return {purl: _freeze(purl, draft) for purl, draft in drafts.items()}


def merge_components(groups: Iterable[Iterable[Component]]) -> tuple[Component, ...]:
    """Components of several repositories, merged by purl (usages appended)."""
    merged: dict[str, Component] = {}
    for components in groups:
        for component in components:
            existing = merged.get(component.purl)
            merged[component.purl] = component if existing is None else _combine(existing, component)
    return tuple(merged[purl] for purl in sorted(merged))


def _combine(a: Component, b: Component) -> Component:
    from dataclasses import replace

    return replace(
        a,
        usages=_merged_usages(a.usages, b.usages),
        first_party=a.first_party or b.first_party,
        extras=tuple(sorted({*a.extras, *b.extras})),
        markers=tuple(sorted({*a.markers, *b.markers})),
        source_url=a.source_url or b.source_url,
        declared_licenses=tuple(sorted({*a.declared_licenses, *b.declared_licenses})),
        license_declarations=_sorted_declarations({*a.license_declarations, *b.license_declarations}),
        notes=tuple(sorted({*a.notes, *b.notes})),
    )


def _merged_usages(*groups: tuple[Usage, ...]) -> tuple[Usage, ...]:
    found = {usage.sort_key(): usage for usages in groups for usage in usages}
    return tuple(found[key] for key in sorted(found))


def _display_name(entry: Entry) -> str:
    """npm names keep the package's own spelling (JSONStream); the purl lowercases them.

    Other ecosystems show the normalized name, which is how their tools print them.
    """
    if entry.ecosystem is Ecosystem.NPM:
        return entry.name
    return normalize_name(entry.ecosystem, entry.name)


def _add(draft: _Draft, entry: Entry) -> None:
    package = entry.package
    draft.usages.setdefault(entry.usage.sort_key(), entry.usage)
    for usage in entry.more:
        draft.usages.setdefault(usage.sort_key(), usage)
    draft.first_party = draft.first_party or entry.first_party
    draft.extras.update(package.extras)
    if package.markers:
        draft.markers.add(package.markers)
    draft.source_url = draft.source_url or package.source_url
    if package.declared_license:
        draft.declared_licenses.add(package.declared_license)
        draft.license_declarations.add((package.declared_license, entry.usage.location))
    if package.note:
        draft.notes.add(package.note)
    draft.notes.update(entry.notes)


def _freeze(purl: str, draft: _Draft) -> Component:
    return Component(
        purl=purl,
        ecosystem=draft.ecosystem,
        name=draft.name,
        version=draft.version,
        usages=tuple(draft.usages[key] for key in sorted(draft.usages)),
        first_party=draft.first_party,
        extras=tuple(sorted(draft.extras)),
        markers=tuple(sorted(draft.markers)),
        source_url=draft.source_url,
        declared_licenses=tuple(sorted(draft.declared_licenses)),
        license_declarations=_sorted_declarations(draft.license_declarations),
        notes=tuple(sorted(draft.notes)),
    )


def _sorted_declarations(found: Iterable[tuple[str, Location]]) -> tuple[tuple[str, Location], ...]:
    return tuple(sorted(found, key=lambda pair: (pair[0], pair[1].path, pair[1].line or 0, pair[1].key_path or "")))
