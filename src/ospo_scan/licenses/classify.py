"""The license stage: gather every finding for each component and project, and conclude.

Order (issue 6): an organization's curation overrides everything; else what the scanned
files declare; else what a local installation declares; else what its license text is
identified as. Every place is consulted whatever a stronger one said, so that the
conclusion lists all of them as its evidence and two files that disagree stand side by
side (issue 9); conclude.py holds the rules, findings.py turns each place into findings.
Whatever stays unknown says why, naming each place that was looked at. Nothing here
opens a network connection. What a source refused to read (a symlink leading out of the
scanned tree or of a cache) is a warning issue of the scan as well as a reason: the
inventory of manifests is whole, but the evidence from that place was left out on purpose.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ospo_scan.licenses.conclude import Finding, conclude
from ospo_scan.licenses.curations import Curations, no_curations
from ospo_scan.licenses.evidence import Boundary, EvidenceSource, LocalFinding, LocalSource, TextMatch, is_within, license_files_in, tree_boundary
from ospo_scan.licenses.findings import curation_finding, declared_findings, installed_finding, project_finding, text_finding
from ospo_scan.licenses.local_go import GoModuleCache
from ospo_scan.licenses.local_maven import LocalMavenRepository
from ospo_scan.licenses.local_node import NodeModules
from ospo_scan.licenses.local_python import PythonEnvironments
from ospo_scan.licenses.text_match import identify_license_file, identify_license_files
from ospo_scan.model import Component, Ecosystem, Inventory, LicenseInfo, Project, ScanIssue, Severity
from ospo_scan.reading import printable_path, real_name


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseOptions:
    """Where local evidence may be looked for; the CLI fills in the user's defaults."""

    python_envs: tuple[Path, ...] = ()
    """Environments outside the tree (--python-env); those inside it are found anyway."""
    go_module_cache: Path | None = None
    maven_repository: Path | None = None
    curations: Curations = field(default_factory=no_curations)


@dataclass(frozen=True, slots=True)
class ScannedRoot:
    """A scan root, and the folders discovery left unwalked in it (None: not walked)."""

    path: Path
    skipped: Sequence[Path] | None = None


def classify_licenses(inventory: Inventory, scanned: Sequence[ScannedRoot], options: LicenseOptions) -> Inventory:
    """Return the inventory with a LicenseInfo on every component and project."""
    sources = _sources(scanned, options)
    roots = [root.path for root in scanned]
    trees = [tree_boundary(root) for root in roots]
    own = {project.purl: project for project in inventory.projects if project.purl}
    consulted = {ecosystem: sources_for(sources, ecosystem) for ecosystem in Ecosystem}
    components = tuple(
        dataclasses.replace(c, license=component_license(c, consulted[c.ecosystem], options.curations, own.get(c.purl))) for c in inventory.components
    )
    projects = tuple(dataclasses.replace(p, license_info=project_license(p, *_project_folder(p, roots, trees))) for p in inventory.projects)
    refusals = refusal_issues([*(boundary for source in sources for boundary in source.boundaries), *trees], roots)
    issues = tuple(sorted({*inventory.issues, *refusals}, key=_issue_key)) if refusals else inventory.issues
    return dataclasses.replace(inventory, components=components, projects=projects, issues=issues)


def refusal_issues(boundaries: Sequence[Boundary], roots: Sequence[Path]) -> list[ScanIssue]:
    """One warning per path a source refused, each once (two sources may refuse one path).

    Inside a scanned tree the path is relative to it (prefixed with the root when several
    roots are scanned, as discovery's issues are); in a cache it is absolute.
    """
    labelled = len(roots) > 1
    issues: dict[str, ScanIssue] = {}
    for boundary in boundaries:
        prefix = _root_label(boundary, roots) if labelled and boundary.relative else ""
        for refusal in boundary.refused:
            path = posixpath.join(prefix, refusal.path) if prefix else refusal.path
            message = f"not read as license evidence: {refusal.reason}"
            issues.setdefault(path, ScanIssue(path=path, parser="licenses", code="symlink-outside-root", severity=Severity.WARNING, message=message))
    return list(issues.values())


def _root_label(boundary: Boundary, roots: Sequence[Path]) -> str:
    return next((printable_path(root.as_posix()) for root in roots if root.absolute() == boundary.folder), "")


def _issue_key(issue: ScanIssue) -> tuple[str, int, str, str]:
    """The order the scan gives its issues (path, line, parser, message)."""
    return issue.path, issue.line or 0, issue.parser, issue.message


def _sources(scanned: Sequence[ScannedRoot], options: LicenseOptions) -> list[LocalSource]:
    sources: list[LocalSource] = []
    for index, root in enumerate(scanned):
        extra = options.python_envs if index == 0 else ()
        sources.append(PythonEnvironments.discover(root.path, extra, skipped=root.skipped))
        sources.append(NodeModules.discover(root.path, skipped=root.skipped))
    if not scanned and options.python_envs:
        sources.append(PythonEnvironments(options.python_envs))
    sources.append(GoModuleCache(options.go_module_cache))
    sources.append(LocalMavenRepository(options.maven_repository))
    return sources


def sources_for(sources: Sequence[EvidenceSource], ecosystem: Ecosystem) -> list[EvidenceSource]:
    """The sources, in their order, that can say anything about a component of `ecosystem`:
    a LocalSource of another ecosystem neither finds it nor says why not, and a scan of a
    thousand roots has two thousand of them (each root's Python environments and node_modules)."""
    return [place for place in sources if not isinstance(place, LocalSource) or place.ecosystem is ecosystem]


def _consult(place: EvidenceSource, component: Component) -> LocalFinding | str | None:
    """`place.lookup`, else `place.why_missing` (None: nothing to say), asking a
    LocalSource once instead of twice (both methods answer from its one `_find`)."""
    if isinstance(place, LocalSource):
        return place._find(component) if component.ecosystem is place.ecosystem else None
    found = place.lookup(component)
    return found if found is not None else place.why_missing(component)


def component_license(component: Component, sources: Sequence[EvidenceSource], curations: Curations, project: Project | None = None) -> LicenseInfo:
    """The license of one component, with every finding consulted as its evidence.

    Every place is consulted, whatever a stronger one said, so that two files that
    disagree show up side by side; `conclude` applies the evidence order.
    """
    findings: list[Finding] = []
    curation = curations.find(component)
    if curation is not None:
        findings.append(curation_finding(curations, curation))
    findings.extend(declared_findings(component))
    own = project_finding(project) if project is not None else None
    if own is not None:
        findings.append(own)
    silent = [] if findings else ["the scanned files declare no license"]
    installed: list[LocalFinding] = []
    missing: list[str] = []
    for place in sources:
        found = _consult(place, component)
        if not isinstance(found, LocalFinding):
            if found:
                silent.append(found)
                missing.append(found)
            continue
        installed.append(found)
        findings.extend(_local_findings(found, silent))
    files, why = license_files_of(component, installed, missing)
    return printable_info(dataclasses.replace(conclude(findings, silent), license_files=files, license_files_reason=why))


def printable_info(info: LicenseInfo) -> LicenseInfo:
    """The conclusion with every text a report shows printable (reading.printable_path).

    Sources, reasons and notes quote paths of installations and caches, whose names need
    not be UTF-8; `license_files` stay as the file system names them, for the reader
    that opens them after the scan.
    """
    evidence = tuple(dataclasses.replace(item, value=printable_path(item.value), source=printable_path(item.source)) for item in info.evidence)
    return dataclasses.replace(
        info,
        source=printable_path(info.source) if info.source is not None else None,
        reason=printable_path(info.reason) if info.reason is not None else None,
        license_files_reason=printable_path(info.license_files_reason) if info.license_files_reason is not None else None,
        evidence=evidence,
    )


NO_LICENSE_FILES_KEPT = {
    Ecosystem.MAVEN: "the local Maven repository holds its POM ({file}), which names licenses but carries no text (the jar's own license file is not read)",
}
"""Why an installation of an ecosystem gives no license file, where the format never has one beside its metadata."""


def license_files_of(component: Component, installed: Sequence[LocalFinding], missing: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """(the installations' license files, None), or ((), why there are none).

    Every installation of this exact version counts, not only the one the conclusion
    rests on: a license the lockfile declares is still written out in the installed
    package's LICENSE. Recorded as paths, never read here: only the notices report opens them.
    """
    files = tuple(dict.fromkeys(path for found in installed for path in found.license_paths))
    if files:
        return files, None
    if installed:
        template = NO_LICENSE_FILES_KEPT.get(component.ecosystem, "the installation found ships no license file beside {file}")
        return (), "; ".join(dict.fromkeys(template.format(file=_metadata_file(found)) for found in installed))
    return (), "; ".join(dict.fromkeys(missing)) or f"no local source of {component.ecosystem.value} packages was consulted"


def _local_findings(found: LocalFinding, silent: list[str]) -> list[Finding]:
    """An installation's fields and texts; what it holds that names nothing goes to `silent`."""
    fields, texts = installed_finding(found), text_finding(found.text_match)
    if fields is None:
        silent.append(found.source)  # e.g. `x/package.json: no license field`
    if found.text_match is not None and texts is None:
        silent.append(found.text_match.reason or "license text not recognized")
    return [finding for finding in (fields, texts) if finding is not None]


def _metadata_file(found: LocalFinding) -> str:
    """The metadata file a finding read (its source without the field: `x/METADATA`)."""
    return found.source.partition(": ")[0]


def project_license(project: Project, folder: Path | None, boundary: Boundary | None = None) -> LicenseInfo:
    """A project's own license: its manifest field, and the license text in its folder
    (the file `SEE LICENSE IN` names, else LICENSE/COPYING files), in the evidence order.
    `boundary` is the scanned tree the folder is in (the folder itself when not given)."""
    own = project_finding(project)
    findings = [own] if own is not None else []
    silent = [] if own is not None else ["the manifest declares no license"]
    inside = boundary if boundary is not None or folder is None else tree_boundary(folder)
    match = _project_text(project, folder, inside, own.reading.see_file if own is not None else None, silent)
    text = text_finding(match)
    if text is not None:
        findings.append(text)
    elif match is not None:
        silent.append(match.reason or "license text not recognized")
    elif folder is not None:
        silent.append("there is no LICENSE file")
    return printable_info(conclude(findings, silent))


def _project_text(project: Project, folder: Path | None, boundary: Boundary | None, see_file: str | None, silent: list[str]) -> TextMatch | None:
    """The text the manifest points at (`SEE LICENSE IN`), else the folder's license files."""
    if folder is None or boundary is None:
        return None
    if see_file is not None:
        target = folder / see_file
        display = _shown(project, see_file)
        if is_within(target, folder.resolve()) and target.is_file():
            return identify_license_file(target, display)
        silent.append(f"the manifest points at {display}, which is not a file inside the project folder")
    files = [path for path in license_files_in(folder, boundary) if not path.name.lower().startswith("notice")]
    return identify_license_files(files, lambda path: _shown(project, path.name)) if files else None


def _shown(project: Project, name: str) -> str:
    return f"{project.path}/{name}" if project.path != "." else name


def _project_folder(project: Project, roots: Sequence[Path], trees: Sequence[Boundary]) -> tuple[Path | None, Boundary | None]:
    """The project's folder, and the scanned tree it is in."""
    if len(roots) == 1:
        return roots[0] / project.path, trees[0]
    candidate = Path(project.path)
    if not candidate.is_dir():  # a root named in bytes that are not UTF-8 is labelled printable
        candidate = real_name(Path("/") if candidate.is_absolute() else Path(), project.path.lstrip("/"))
    if not candidate.is_dir():
        return None, None
    tree = next((tree for tree in trees if is_within(candidate, tree.real)), None)
    return (candidate, tree) if tree is not None else (None, None)
