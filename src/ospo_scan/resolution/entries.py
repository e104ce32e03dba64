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
from ospo_scan.purl import build_purl
from ospo_scan.resolution.lock_graph import names_of

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
    if type(scopes) is frozenset:  # what DeclaredPackage.scopes holds: a handful of distinct sets
        kind = _SECTION_KINDS.get(scopes)
        if kind is None:
            kind = _SECTION_KINDS[scopes] = _section_kind(scopes)
        return kind
    return _section_kind(scopes)


_SECTION_KINDS: dict[frozenset[Scope], SectionKind] = {}


def _section_kind(scopes: Iterable[Scope]) -> SectionKind:
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
    _key: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """The purl this entry belongs to (asked for by its root edge and by the merge: kept)."""
        found = self._key
        if found is None:
            found = self._key = purl_of(self.ecosystem, self.name, self.version, self.package.qualifiers)
        return found


_PURLS: dict[tuple[Ecosystem, str, str | None, tuple[tuple[str, str], ...]], str] = {}


def purl_of(ecosystem: Ecosystem, name: str, version: str | None, qualifiers: tuple[tuple[str, str], ...] = ()) -> str:
    """build_purl from a name as written, memoized on exactly what varies per entry."""
    key = (ecosystem, name, version, qualifiers)
    found = _PURLS.get(key)
    if found is None:
        found = _PURLS[key] = build_purl(ecosystem, names_of(ecosystem)[name], version, dict(qualifiers))
    return found


def merge_entries(entries: Iterable[Entry]) -> dict[str, Component]:
    """Components by purl; usages and details accumulate, the first spelling of the name is kept."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        key = entry.key
        found = groups.get(key)
        if found is None:
            groups[key] = [entry]
        else:
            found.append(entry)
    return {purl: _component(purl, found) for purl, found in groups.items()}


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
    return names_of(entry.ecosystem)[entry.name]


def _component(purl: str, entries: list[Entry]) -> Component:
    """One purl's entries, in the order resolution made them, as one Component.

    Usages are keyed by Usage.sort_key (plain values hash much faster than the enums inside
    a Usage); the first entry gives the name and version, the first source URL wins.
    """
    first = entries[0]
    usages: dict[tuple[object, ...], Usage] = {}
    first_party = False
    extras: set[str] = set()
    markers: set[str] = set()
    source_url: str | None = None
    declared_licenses: set[str] = set()
    license_declarations: set[tuple[str, Location]] = set()
    notes: set[str] = set()
    for entry in entries:
        package = entry.package
        usages.setdefault(entry.usage.sort_key(), entry.usage)
        for usage in entry.more:
            usages.setdefault(usage.sort_key(), usage)
        first_party = first_party or entry.first_party
        if package.extras:
            extras.update(package.extras)
        if package.markers:
            markers.add(package.markers)
        source_url = source_url or package.source_url
        if package.declared_license:
            declared_licenses.add(package.declared_license)
            license_declarations.add((package.declared_license, entry.usage.location))
        if package.note:
            notes.add(package.note)
        if entry.notes:
            notes.update(entry.notes)
    return Component(
        purl=purl,
        ecosystem=first.ecosystem,
        name=_display_name(first),
        version=first.version,
        usages=tuple(usages[key] for key in sorted(usages)),
        first_party=first_party,
        extras=tuple(sorted(extras)),
        markers=tuple(sorted(markers)),
        source_url=source_url,
        declared_licenses=tuple(sorted(declared_licenses)),
        license_declarations=_sorted_declarations(license_declarations),
        notes=tuple(sorted(notes)),
    )


def _sorted_declarations(found: Iterable[tuple[str, Location]]) -> tuple[tuple[str, Location], ...]:
    return tuple(sorted(found, key=lambda pair: (pair[0], pair[1].path, pair[1].line or 0, pair[1].key_path or "")))
