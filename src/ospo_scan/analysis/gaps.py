"""The third answer: where the compliance gaps are, each one a thing a person can act on.

A gap is a fact about the inventory, judged without any policy (the policy engine
decides later which of them fail a build). Each has a stable code from GAP_KINDS (a
SARIF rule id, a policy key), a severity, the component and project it concerns,
where to look (file and line) and a sentence that says what is wrong and why.

Where a gap is reported follows where it is fixed:
- what a project does with a component (uses copyleft at runtime, leaves it unpinned)
  is fixed in that project: one gap per project, at its own declaration (its manifest
  line when it names the component, else its lockfile entry);
- what is wrong with a component's license (unknown, ambiguous, declared by name,
  declared differently by two files) is fixed once, by a curation: one gap per
  component, at the first project's declaration, whoever else uses it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import PurePosixPath

from ospo_scan.analysis.compatibility import incompatibility
from ospo_scan.analysis.facts import ComponentFacts, InventoryFacts
from ospo_scan.analysis.usage import VersionSprawl, version_sprawl
from ospo_scan.analysis.wording import count, listing
from ospo_scan.licenses import spdx
from ospo_scan.licenses.normalize import normalize
from ospo_scan.model import Component, Directness, Inventory, Lifecycle, Location, Project, Severity, Usage


class GapSeverity(str, Enum):
    """How urgent a gap is; SARIF levels error, warning and note."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def order(self) -> int:
        """0 for the worst, so sorting puts it first."""
        return _SEVERITY_ORDER[self]


_SEVERITY_ORDER = {severity: position for position, severity in enumerate(GapSeverity)}


@dataclass(frozen=True, slots=True, kw_only=True)
class GapKind:
    """What one gap code means: its title, default severity and what to do about it."""

    code: str
    title: str
    severity: GapSeverity
    description: str
    help: str


GAP_KINDS: dict[str, GapKind] = {
    kind.code: kind
    for kind in (
        GapKind(
            code="unparsed-file",
            title="file not read",
            severity=GapSeverity.HIGH,
            description="A manifest or lockfile could not be read or parsed: what it declares is missing from the inventory.",
            help="Fix the file (the message gives the line), or exclude it with --exclude if it is not part of the build.",
        ),
        GapKind(
            code="incompatible-license",
            title="license incompatible with the project's",
            severity=GapSeverity.HIGH,
            description="A runtime dependency's license cannot be combined with the project's own license (the compatibility table in the README).",
            help="Replace the dependency, move it out of the runtime, or have legal review the combination and record the decision as a curation.",
        ),
        GapKind(
            code="copyleft-at-runtime",
            title="copyleft at runtime",
            severity=GapSeverity.MEDIUM,
            description="A strong or network copyleft license on a runtime dependency: distributing (or, for network copyleft, serving) the program brings source obligations.",
            help="Check the obligations with legal before shipping, or replace the dependency.",
        ),
        GapKind(
            code="unknown-license",
            title="unknown license",
            severity=GapSeverity.MEDIUM,
            description="No license could be identified for a component; the reason says what was looked at.",
            help="Point ospo-scan at the installed packages (--python-env, --maven-repo, a Go module cache) or record the license as a curation (--curations).",
        ),
        GapKind(
            code="conflicting-license-declarations",
            title="license declarations disagree",
            severity=GapSeverity.MEDIUM,
            description="Two scanned files declare different licenses for the same package version.",
            help="Find out which is right (the package's own license file decides) and record it as a curation.",
        ),
        GapKind(
            code="project-without-license",
            title="project without a license",
            severity=GapSeverity.MEDIUM,
            description="A project of ours declares no license of its own: nobody else may use, change or share it.",
            help="Add a license field to the manifest (an SPDX id) and a LICENSE file.",
        ),
        GapKind(
            code="ambiguous-license",
            title="ambiguous license",
            severity=GapSeverity.LOW,
            description="The declared license names a family (BSD, GPL, LGPL) but not which license of it; its category is known, its terms are not.",
            help="Look up the exact license in the package's license file and record it as a curation.",
        ),
        GapKind(
            code="non-spdx-license",
            title="license not declared as SPDX",
            severity=GapSeverity.LOW,
            description="A license is declared by name or URL instead of an SPDX expression; ospo-scan read it, other tools may not.",
            help="Nothing to do for a third-party package (tell its maintainers); for our own manifests, write the SPDX id.",
        ),
        GapKind(
            code="unpinned-version",
            title="unpinned version",
            severity=GapSeverity.LOW,
            description="No lockfile or exact pin fixes the version: two builds of the same commit may use different code.",
            help="Commit the lockfile of the ecosystem (uv.lock, poetry.lock, package-lock.json, ...) or pin exact versions.",
        ),
        GapKind(
            code="multiple-versions",
            title="several versions of one package",
            severity=GapSeverity.LOW,
            description="One package is in use in several versions: every fix and upgrade has to land several times.",
            help="Align the versions (a shared constraint file, a BOM, workspace-level resolutions).",
        ),
    )
}
"""Every gap code, worst first; reporters and SARIF rules read this table."""

LICENSE_CAPABLE_MANIFESTS = frozenset({"package.json", "pyproject.toml", "setup.cfg", "pom.xml"})
"""Manifests with a license field: a project with one of them can state its license.
(go.mod and requirement files cannot; their projects' LICENSE files are read by the
organization assessment, not here.)"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """One compliance gap."""

    code: str
    severity: GapSeverity
    message: str
    component: str | None = None
    """The component's purl (None for a file or project gap)."""
    project: str | None = None
    """The project id (None for a gap across projects)."""
    location: Location | None = None

    def sort_key(self) -> tuple[int, str, str, str, str, int]:
        """Worst first, then by code, component, project and place."""
        location = self.location or Location(path="")
        return (self.severity.order, self.code, self.component or "", self.project or "", location.path, location.line or 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class GapsAnswer:
    """Every gap, worst first, and the count of each code."""

    gaps: tuple[Gap, ...]

    @property
    def by_code(self) -> tuple[tuple[str, int], ...]:
        """(code, number of gaps) for codes that occur, in GAP_KINDS order."""
        counts: dict[str, int] = defaultdict(int)
        for gap in self.gaps:
            counts[gap.code] += 1
        return tuple((code, counts[code]) for code in GAP_KINDS if counts[code])


def answer_gaps(inventory: Inventory, facts: InventoryFacts | None = None, sprawl: tuple[VersionSprawl, ...] | None = None) -> GapsAnswer:
    """Find every gap of the inventory (`facts` and `sprawl` when already computed)."""
    facts = facts or InventoryFacts.of(inventory)
    if sprawl is None:
        sprawl = version_sprawl(e.component for e in facts.components)
    projects = {p.id: p for p in inventory.projects}
    found: list[Gap] = []
    found.extend(_file_gaps(inventory))
    found.extend(_project_gaps(inventory.projects))
    for entry in facts.components:
        found.extend(_component_gaps(entry, projects))
    found.extend(_sprawl_gaps(facts, sprawl))
    return GapsAnswer(gaps=tuple(sorted(found, key=Gap.sort_key)))


def _gap(
    code: str,
    message: str,
    *,
    component: str | None = None,
    project: str | None = None,
    location: Location | None = None,
    severity: GapSeverity | None = None,
) -> Gap:
    """A gap of a known code, at the code's default severity unless told otherwise."""
    return Gap(code=code, severity=severity or GAP_KINDS[code].severity, message=message, component=component, project=project, location=location)


@dataclass(frozen=True, slots=True)
class _Place:
    """One component in one project, at that project's declaration of it."""

    component: str
    project: str | None
    location: Location | None

    def gap(self, code: str, message: str, severity: GapSeverity | None = None) -> Gap:
        return _gap(code, message, component=self.component, project=self.project, location=self.location, severity=severity)


def _file_gaps(inventory: Inventory) -> Iterator[Gap]:
    for issue in inventory.issues:
        if issue.severity is Severity.ERROR:
            message = f"{issue.message} ({issue.code}): what the file declares is missing from the inventory"
            yield _gap("unparsed-file", message, location=Location(path=issue.path, line=issue.line, key_path=issue.key_path))


def _project_gaps(projects: tuple[Project, ...]) -> Iterator[Gap]:
    for project in projects:
        manifests = [m for m in project.manifests if PurePosixPath(m).name in LICENSE_CAPABLE_MANIFESTS]
        if not manifests:
            continue
        info = project.license_info
        if info is not None and info.category != "unknown":
            continue
        name = project.name or project.path
        if info is None or not project.license:
            message = f"project {name} declares no license in its manifest"
        else:
            message = f"project {name}: its license is unknown: {info.reason or 'no reason recorded'}"
        yield _gap("project-without-license", message, project=project.id, location=Location(path=manifests[0]))


def _component_gaps(entry: ComponentFacts, projects: dict[str, Project]) -> Iterator[Gap]:
    component = entry.component
    label = _label(component)
    info = component.license
    if entry.category == "unknown":
        reason = info.reason if info and info.reason else "no license evidence was found"
        yield _Place(component.purl, *_first_declaration(entry)).gap("unknown-license", f"{label}: license unknown: {reason}")
    elif info is not None and info.expression and spdx.OSPO_REF_PREFIX in info.expression:
        message = f"{label}: {info.reason or 'the license is ambiguous'} (category {info.category})"
        yield _Place(component.purl, *_first_declaration(entry)).gap("ambiguous-license", message)
    unpinned = component.version is None
    judged = entry.shipped_projects if info is not None else frozenset()
    for project_id in sorted(entry.by_project if unpinned else judged):
        usages = entry.by_project[project_id]
        if unpinned:
            requirement = next((u.requirement for u in usages if u.requirement), None)
            asked = f"asks for {requirement}" if requirement else "has no version"
            message = f"{label} {asked} and no lockfile fixes it: builds are not reproducible"
            yield _Place(component.purl, project_id, _where(usages)).gap("unpinned-version", message)
        if info is not None and project_id in judged:
            own = projects[project_id].license_info if project_id in projects else None
            verdict = _runtime_verdict(info.expression, info.category, own.expression if own else None, own.category if own else None)
            for code, text, severity in verdict:
                yield _Place(component.purl, project_id, _where(usages)).gap(code, f"{label} {text}", severity=severity)
    yield from _declaration_gaps(component, label)


@lru_cache(maxsize=8192)
def _runtime_verdict(expression: str | None, category: str, own_expression: str | None, own_category: str | None) -> tuple[tuple[str, str, GapSeverity | None], ...]:
    """The license gaps of shipping a dependency under `expression` in a project under
    `own_expression`: (code, sentence after the package's name, severity override).
    Cached: the corpus has 36,000 runtime uses and a few hundred license pairs."""
    found: list[tuple[str, str, GapSeverity | None]] = []
    copyleft = ("strong-copyleft", "network-copyleft")
    if category in copyleft and own_category not in copyleft:
        network = category == "network-copyleft"
        obligation = "serving it over a network obliges you to offer its source" if network else "distributing the program obliges you to offer its source"
        found.append(("copyleft-at-runtime", f"is {category} ({expression}) and used at runtime: {obligation}", GapSeverity.HIGH if network else None))
    if own_category is not None:
        conflict = incompatibility(own_expression, expression, own_category)
        if conflict is not None:
            found.append(("incompatible-license", f"is licensed {conflict}", None))
    return tuple(found)


def _declaration_gaps(component: Component, label: str) -> Iterator[Gap]:
    """Non-SPDX and disagreeing declarations: facts about the scanned files, once each."""
    project = component.usages[0].project if component.usages else None
    readings: dict[str, list[Location]] = defaultdict(list)
    for declared, location in component.license_declarations:
        reading = _read(declared)
        if reading is None:
            continue
        readings[reading].append(location)
        if not _is_spdx(declared):
            message = f"{label}: license declared as '{declared}', not an SPDX expression (read as {reading})"
            yield _gap("non-spdx-license", message, component=component.purl, project=project, location=location)
    if len({spdx.meaning(r) for r in readings}) > 1:
        sides = [f"{reading} ({_place(places[0])})" for reading, places in sorted(readings.items())]
        first = min((places[0] for places in readings.values()), key=lambda loc: (loc.path, loc.line or 0))
        message = f"{label}: the scanned files declare different licenses: {' vs '.join(sides)}"
        yield _gap("conflicting-license-declarations", message, component=component.purl, project=project, location=first)


def _sprawl_gaps(facts: InventoryFacts, sprawl: tuple[VersionSprawl, ...]) -> Iterator[Gap]:
    wanted = {(s.ecosystem, s.name) for s in sprawl}
    first_usage: dict[tuple[str, str], Location] = {}
    for entry in facts.components:
        component = entry.component
        key = (component.ecosystem._value_, component.name)
        if key in wanted and component.usages:
            location = component.usages[0].location
            known = first_usage.get(key)
            if known is None or (location.path, location.line or 0) < (known.path, known.line or 0):
                first_usage[key] = location
    for found in sprawl:
        versions = listing(list(found.versions), limit=5)
        message = f"{found.ecosystem}:{found.name}: {len(found.versions)} versions in use ({versions}) in {count(len(found.projects), 'project')}"
        yield _gap("multiple-versions", message, location=first_usage.get((found.ecosystem, found.name)))


@lru_cache(maxsize=8192)
def _is_spdx(declared: str) -> bool:
    return spdx.try_parse(declared) is not None


@lru_cache(maxsize=8192)
def _read(declared: str) -> str | None:
    reading = normalize(declared)
    return reading.expression if reading.resolved else None


def _first_declaration(entry: ComponentFacts) -> tuple[str | None, Location | None]:
    """The first project (by id) that declares the component directly, else the first that
    has it; (None, None) for a component no project uses (an API caller's inventory)."""
    projects = sorted(entry.direct_projects) or sorted(entry.by_project)
    if not projects:
        return None, None
    return projects[0], _where(entry.by_project[projects[0]])


def _where(usages: list[Usage]) -> Location:
    """The project's own declaration when it has one, else its first lockfile entry."""
    direct = [u for u in usages if u.directness is Directness.DIRECT]
    return (direct or usages)[0].location


def _place(location: Location) -> str:
    return f"{location.path}:{location.line}" if location.line else location.path


def _label(component: Component) -> str:
    return f"{component.name} {component.version}" if component.version else component.name
