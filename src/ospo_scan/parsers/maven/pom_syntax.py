"""One pom.xml (or repository .pom) as written -> a frozen PomDocument.

Nothing is resolved here: `${...}` stays as text, inherited values stay absent. The
effective model (pom_model) is built from these documents, so syntax and resolution
never mix. Only what the inventory needs is read: coordinates, the parent reference,
properties, dependencyManagement, dependencies, modules, licenses and profiles. Build
plugins and their dependencies are not the project's dependencies and are never read.

An entry the inventory cannot name (a dependency without groupId or artifactId) is not
kept; it becomes a `Problem` (code `invalid-entry`) with its key path from the root
element (0-based indexes, e.g. `project.dependencies.dependency[2].groupId`) and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.parsers.base import INVALID_ENTRY, ParseError, SourceFile
from ospo_scan.parsers.maven.xml_safe import XmlElement, parse_xml

DEFAULT_RELATIVE_PATH = "../pom.xml"
"""Where Maven looks for the parent POM when <relativePath> is absent."""
ROOT = "project"
"""The root element: key paths start with it (`project.dependencies.dependency[0]`)."""
PARENT_KEY = f"{ROOT}.parent"

UNRESOLVED_PARENT = "unresolved-parent"
UNRESOLVED_PROPERTY = "unresolved-property"
"""The issue codes (ospo_scan.model.ISSUE_CODES) a POM's problems carry, besides INVALID_ENTRY."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """Something a POM (or its resolution) could not use, as the scan will report it."""

    line: int | None
    message: str
    code: str
    key_path: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParentRef:
    """The <parent> element: coordinates as written, and where to look in the tree."""

    group_id: str | None
    artifact_id: str | None
    version: str | None
    relative_path: str
    """'' when the POM says `<relativePath/>`: look only by coordinates, never in the tree."""
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """A <dependency> (of dependencies, dependencyManagement or a profile), raw."""

    group_id: str
    artifact_id: str
    version: str | None = None
    scope: str | None = None
    type: str | None = None
    classifier: str | None = None
    optional: str | None = None
    line: int
    key_path: str
    """Where it sits in its POM: `project.dependencies.dependency[3]` (0-based)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class License:
    """A <license>: Maven gives a free-text name and a URL, either may be absent."""

    name: str | None
    url: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A <profile>: its own properties and dependencies (activation is not evaluated)."""

    id: str
    properties: tuple[tuple[str, str], ...] = ()
    dependencies: tuple[Dependency, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PomDocument:
    """Everything a POM states that resolution needs, exactly as written."""

    path: str
    """Root-relative path for tree POMs; `repository:<relative path>` for local-repository ones."""
    group_id: str | None = None
    artifact_id: str | None = None
    version: str | None = None
    packaging: str | None = None
    parent: ParentRef | None = None
    properties: tuple[tuple[str, str], ...] = ()
    managed: tuple[Dependency, ...] = ()
    """dependencyManagement entries, BOM imports included."""
    dependencies: tuple[Dependency, ...] = ()
    modules: tuple[str, ...] = ()
    licenses: tuple[License, ...] = ()
    profiles: tuple[Profile, ...] = ()
    problems: tuple[Problem, ...] = ()
    """Entries that could not be kept."""


def read_pom(source: SourceFile) -> PomDocument:
    """Parse a POM's XML and pick out its model; ParseError for unusable files."""
    root = parse_xml(source.text)
    if root.name != "project":
        raise ParseError(f"root element is <{root.name}>, not <project>: not a Maven POM", root.line)
    problems: list[Problem] = []
    managed_element = root.descend("dependencyManagement", "dependencies")
    return PomDocument(
        path=source.path,
        group_id=root.text_of("groupId"),
        artifact_id=root.text_of("artifactId"),
        version=root.text_of("version"),
        packaging=root.text_of("packaging"),
        parent=_parent(root.child("parent")),
        properties=_properties(root.child("properties")),
        managed=_dependencies(managed_element, f"{ROOT}.dependencyManagement.dependencies", problems),
        dependencies=_dependencies(root.child("dependencies"), f"{ROOT}.dependencies", problems),
        modules=_modules(root),
        licenses=_licenses(root.child("licenses")),
        profiles=_profiles(root.child("profiles"), problems),
        problems=tuple(problems),
    )


def _parent(element: XmlElement | None) -> ParentRef | None:
    if element is None:
        return None
    relative = element.child("relativePath")
    return ParentRef(
        group_id=element.text_of("groupId"),
        artifact_id=element.text_of("artifactId"),
        version=element.text_of("version"),
        relative_path=DEFAULT_RELATIVE_PATH if relative is None else relative.text,
        line=element.line,
    )


def _properties(element: XmlElement | None) -> tuple[tuple[str, str], ...]:
    """Properties in document order; a later duplicate wins when turned into a dict."""
    if element is None:
        return ()
    return tuple((child.name, child.text) for child in element.children)


def _dependencies(element: XmlElement | None, key_path: str, problems: list[Problem]) -> tuple[Dependency, ...]:
    if element is None:
        return ()
    found = []
    for index, child in enumerate(element.all("dependency")):
        where = f"{key_path}.dependency[{index}]"
        missing = [name for name in ("groupId", "artifactId") if not child.text_of(name)]
        if missing:
            problems.extend(
                Problem(line=child.line, message=f"{where}.{name}: missing, dependency skipped", code=INVALID_ENTRY, key_path=f"{where}.{name}")
                for name in missing
            )
            continue
        found.append(_dependency(child, where))
    return tuple(found)


def _dependency(element: XmlElement, key_path: str) -> Dependency:
    return Dependency(
        group_id=element.text_of("groupId") or "",
        artifact_id=element.text_of("artifactId") or "",
        version=element.text_of("version"),
        scope=element.text_of("scope"),
        type=element.text_of("type"),
        classifier=element.text_of("classifier"),
        optional=element.text_of("optional"),
        line=element.line,
        key_path=key_path,
    )


def _modules(root: XmlElement) -> tuple[str, ...]:
    """<modules><module> (POM 4.0.0) and <subprojects><subproject> (POM 4.1.0)."""
    entries: Iterable[XmlElement] = (
        *(root.child("modules") or _EMPTY).all("module"),
        *(root.child("subprojects") or _EMPTY).all("subproject"),
    )
    return tuple(entry.text for entry in entries if entry.text)


def _licenses(element: XmlElement | None) -> tuple[License, ...]:
    if element is None:
        return ()
    found = (License(name=child.text_of("name"), url=child.text_of("url")) for child in element.all("license"))
    return tuple(item for item in found if item.name or item.url)


def _profiles(element: XmlElement | None, problems: list[Problem]) -> tuple[Profile, ...]:
    if element is None:
        return ()
    profiles = []
    for index, child in enumerate(element.all("profile")):
        profile_id = child.text_of("id") or f"#{index}"
        where = f"{ROOT}.profiles.profile[{index}].dependencies"
        dependencies = _dependencies(child.child("dependencies"), where, problems)
        profiles.append(Profile(id=profile_id, properties=_properties(child.child("properties")), dependencies=dependencies))
    return tuple(profiles)


_EMPTY = XmlElement(name="", line=0)
