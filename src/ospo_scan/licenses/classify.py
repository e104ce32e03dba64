"""The license stage: put the evidence for each component in order and conclude.

Order (issue 6): an organization's curation overrides everything; else what the scanned
files declare; else what a local installation declares; else what its license text is
identified as. Whatever stays unknown says why, naming each place that was looked at.
Nothing here opens a network connection.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ospo_scan.licenses import categories, normalize as normalize_module
from ospo_scan.licenses.categories import Category
from ospo_scan.licenses.curations import Curations, no_curations
from ospo_scan.licenses.evidence import EvidenceSource, LicenseEvidence, is_within, license_files_in
from ospo_scan.licenses.local_go import GoModuleCache
from ospo_scan.licenses.local_maven import LocalMavenRepository
from ospo_scan.licenses.local_node import NodeModules
from ospo_scan.licenses.local_python import PythonEnvironments
from ospo_scan.licenses.normalize import NormalizedLicense
from ospo_scan.licenses.text_match import identify_license_file, identify_license_files
from ospo_scan.model import Component, Inventory, LicenseInfo, Project


# The same few hundred license strings recur across thousands of components: normalizing
# and categorizing are pure functions of their text, so each string is worked out once.
normalize = lru_cache(maxsize=4096)(normalize_module.normalize)
categorize_license = lru_cache(maxsize=4096)(categories.categorize_license)


@lru_cache(maxsize=4096)
def _normalize_many(values: tuple[str, ...]) -> NormalizedLicense:
    return normalize_module.normalize_many(values)


def normalize_many(values: Sequence[str]) -> NormalizedLicense:
    """normalize_many, remembered per tuple of declared strings."""
    return _normalize_many(tuple(values))


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
    components = tuple(dataclasses.replace(c, license=component_license(c, sources, options.curations)) for c in inventory.components)
    projects = tuple(dataclasses.replace(p, license_info=project_license(p, _project_folder(p, roots))) for p in inventory.projects)
    return dataclasses.replace(inventory, components=components, projects=projects)


def _sources(scanned: Sequence[ScannedRoot], options: LicenseOptions) -> list[EvidenceSource]:
    sources: list[EvidenceSource] = []
    for index, root in enumerate(scanned):
        extra = options.python_envs if index == 0 else ()
        sources.append(PythonEnvironments.discover(root.path, extra, skipped=root.skipped))
        sources.append(NodeModules.discover(root.path, skipped=root.skipped))
    if not scanned and options.python_envs:
        sources.append(PythonEnvironments(options.python_envs))
    sources.append(GoModuleCache(options.go_module_cache))
    sources.append(LocalMavenRepository(options.maven_repository))
    return sources


def component_license(component: Component, sources: Sequence[EvidenceSource], curations: Curations) -> LicenseInfo:
    """The license of one component, from the best evidence available."""
    curation = curations.find(component)
    if curation is not None:
        source = f"curation {curations.path} [curation {curation.index}]: {curation.reason}"
        return _info(normalize(curation.license), source, declared=(curation.license,))
    declared = normalize_many(component.declared_licenses) if component.declared_licenses else None
    if declared is not None and declared.resolved:
        return _info(declared, f"declared in {_declaring_files(component)}")
    looked: list[str] = ["the scanned files declare no license" if declared is None else f"declared {declared.declared!r}: {declared.reason}"]
    for place in sources:
        evidence = place.lookup(component)
        if evidence is None:
            reason = place.why_missing(component)
            if reason:
                looked.append(reason)
            continue
        found = _from_evidence(evidence, component)
        if found is not None:
            return found
        looked.append(f"{evidence.source}: nothing recognizable ({', '.join(evidence.declared) or 'no license field'})")
    if declared is not None and declared.proprietary:
        return _info(declared, f"declared in {_declaring_files(component)}")
    return LicenseInfo(
        expression=None,
        category=Category.UNKNOWN.value,
        declared=tuple(component.declared_licenses),
        reason="; ".join(looked) if len(looked) > 1 else f"{looked[0]}; no local installation found",
    )


def _from_evidence(evidence: LicenseEvidence, component: Component) -> LicenseInfo | None:
    """A local installation's declared fields, else its license text."""
    if evidence.declared:
        declared = normalize_many(evidence.declared)
        if declared.resolved:
            return _info(declared, evidence.source, declared=(*component.declared_licenses, *evidence.declared))
    match = evidence.text_match
    if match is not None and match.spdx_id:
        identified = normalize(match.spdx_id)
        if identified.resolved:
            source = f"license text {match.path or ', '.join(evidence.license_files)}"
            return _info(identified, source, declared=(*component.declared_licenses, *evidence.declared), confidence=match.confidence)
    return None


def project_license(project: Project, folder: Path | None) -> LicenseInfo:
    """A project's own license: its manifest field, else a LICENSE file in its folder."""
    declared = normalize(project.license) if project.license else None
    if declared is not None and declared.resolved:
        return _info(declared, f"declared in {', '.join(project.manifests) or project.path}")
    if folder is not None and declared is not None and declared.see_file:
        found = _see_file(project, folder, declared.see_file)
        if found is not None:
            return found
    if folder is not None:
        files = [f for f in license_files_in(folder) if not f.name.lower().startswith("notice")]
        match = identify_license_files(files, lambda p: f"{project.path}/{p.name}" if project.path != "." else p.name) if files else None
        if match is not None and match.spdx_id:
            identified = normalize(match.spdx_id)
            if identified.resolved:
                raw = (project.license,) if project.license else ()
                return _info(identified, f"license text {match.path}", confidence=match.confidence, declared=raw)
        if match is not None and declared is None:
            return LicenseInfo(expression=None, category=Category.UNKNOWN.value, reason=match.reason or "license text not recognized")
    reason = declared.reason if declared is not None else "the manifest declares no license and there is no LICENSE file"
    return LicenseInfo(expression=None, category=Category.UNKNOWN.value, declared=(project.license,) if project.license else (), reason=reason)


def _see_file(project: Project, folder: Path, name: str) -> LicenseInfo | None:
    """npm's `SEE LICENSE IN <file>`: identify that file, if it is inside the project folder."""
    target = folder / name
    if not is_within(target, folder.resolve()) or not target.is_file():
        return None
    display = f"{project.path}/{name}" if project.path != "." else name
    match = identify_license_file(target, display)
    if match.spdx_id:
        identified = normalize(match.spdx_id)
        if identified.resolved:
            return _info(identified, f"license text {display} (SEE LICENSE IN)", confidence=match.confidence, declared=(project.license or "",))
    reason = f"the manifest points at {display}, whose text is not a recognized license ({match.reason})"
    return LicenseInfo(expression=None, category=Category.UNKNOWN.value, declared=(project.license or "",), reason=reason)


def _info(normalized: NormalizedLicense, source: str, *, declared: tuple[str, ...] = (), confidence: float | None = None) -> LicenseInfo:
    category = categorize_license(normalized)
    return LicenseInfo(
        expression=normalized.expression,
        category=category.category.value,
        declared=declared or tuple(part for part in normalized.declared.split(" | ") if part),
        source=source,
        confidence=confidence,
        reason=category.reason if category.category is Category.UNKNOWN or category.chosen else None,
        chosen=category.chosen,
    )


def _declaring_files(component: Component) -> str:
    paths = sorted({location.path for location in component.locations})
    return ", ".join(paths[:3]) + (f" (+{len(paths) - 3})" if len(paths) > 3 else "")


def _project_folder(project: Project, roots: Sequence[Path]) -> Path | None:
    if len(roots) == 1:
        return roots[0] / project.path
    candidate = Path(project.path)
    return candidate if candidate.is_dir() else None
