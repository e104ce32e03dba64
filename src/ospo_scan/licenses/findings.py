"""Findings, one per place that says something about a license, with file and field.

- A curation: `curation <file> [curation <n>]: <reason>`.
- Each license string the scanned files declare for a component. Only package-lock.json
  and npm-shrinkwrap.json state a package's license (`packages["node_modules/x"].license`);
  the component's usages in those files are the places that declared it. The merged
  component keeps the distinct strings but not which lock entry stated which: with one
  string, every lock entry of the component is taken as stating it (npm copies the
  field from the package into every lock entry of that version); with several, each
  string names all the entries it may come from ("a or b").
- A scanned project's own license field (pom.xml `<licenses>`, package.json `license`,
  ...): for the project, and for a component that is that project (a reactor module, a
  workspace member another member depends on).
- An installation's license fields, one finding per installation whose values combine
  as that format says (several POM `<license>` elements, npm's legacy `licenses` array
  and trove classifiers offer a choice: OR).
- An installation's license texts, one finding per installation. License files that
  name different licenses (LICENSE.APACHE beside LICENSE.BSD) are one finding that lists
  each file's license but does not speak: the files do not say whether the licenses are
  a choice or all apply (conclude.py compares the conclusion with them all the same).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from functools import lru_cache

from ospo_scan.licenses import normalize as normalize_module
from ospo_scan.licenses.conclude import Finding, Rank
from ospo_scan.licenses.curations import Curation, Curations
from ospo_scan.licenses.evidence import LocalFinding, TextMatch, sources_of, text_source
from ospo_scan.licenses.normalize import NormalizedLicense
from ospo_scan.model import Component, LicenseEvidence, Location, Project
from ospo_scan.parsers.npm import package_lock

# The same few hundred license strings recur across thousands of components: normalizing
# is a pure function of the text, so each string (or tuple of strings) is worked out once.
normalize = lru_cache(maxsize=4096)(normalize_module.normalize)


@lru_cache(maxsize=4096)
def _normalize_many(values: tuple[str, ...]) -> NormalizedLicense:
    return normalize_module.normalize_many(values)


LICENSE_FIELD_FILES = package_lock.SPEC.file_names
"""The scanned files whose entries state a package's license (the parser sets `declared_license`)."""

MANIFEST_LICENSE_FIELDS = {
    "pom.xml": "licenses",
    "package.json": "license",
    "pyproject.toml": "project.license or tool.poetry.license",
    "setup.cfg": "[metadata] license",
}
"""The field a project manifest declares its own license in, by file name."""


def curation_finding(curations: Curations, curation: Curation) -> Finding:
    """An organization's decision: rank 0, overriding every other finding."""
    source = f"curation {curations.path} [curation {curation.index}]: {curation.reason}"
    return Finding(rank=Rank.CURATION, evidence=(LicenseEvidence(value=curation.license, source=source),), reading=normalize(curation.license))


def declared_findings(component: Component) -> list[Finding]:
    """One finding per (string, declaring place) the scanned files state (see the module docstring)."""
    values = component.declared_licenses
    if not values:
        return []
    if component.license_declarations:
        return [_declared(value, _declaring_place(location)) for value, location in component.license_declarations]
    places = declaring_places(component)
    if len(values) == 1:
        return [_declared(values[0], place) for place in places]
    return [_declared(value, " or ".join(places)) for value in values]


def project_finding(project: Project) -> Finding | None:
    """The project's own license field, when its manifest declares one."""
    if not project.license:
        return None
    places = [f"{path}: {MANIFEST_LICENSE_FIELDS.get(posixpath.basename(path), 'license')}" for path in project.manifests]
    return _declared(project.license, " or ".join(places) or f"{project.path}: license")


def installed_finding(found: LocalFinding) -> Finding | None:
    """The license fields of one installation (None when it declares none)."""
    if not found.declared:
        return None
    evidence = tuple(LicenseEvidence(value=value, source=source) for value, source in zip(found.declared, sources_of(found)))
    return Finding(rank=Rank.INSTALLED, evidence=evidence, reading=_normalize_many(found.declared))


def text_finding(match: TextMatch | None) -> Finding | None:
    """What the license texts of one place were identified as (None when no file was recognized)."""
    if match is None:
        return None
    recognized = [part for part in match.files if part.spdx_id]
    evidence = tuple(LicenseEvidence(value=part.spdx_id, source=text_source(part)) for part in recognized if part.spdx_id)
    if match.spdx_id is not None:
        return Finding(rank=Rank.TEXT, evidence=evidence, reading=normalize(match.spdx_id), confidence=match.confidence)
    readings = [normalize(part.spdx_id) for part in recognized if part.spdx_id]
    parts = tuple(dict.fromkeys(reading.expression for reading in readings if reading.expression is not None))
    if not parts:
        return None
    reason = "the license files name different licenses and do not say whether they are a choice or all apply"
    return Finding(rank=Rank.TEXT, evidence=evidence, reading=NormalizedLicense(declared=" | ".join(parts), expression=None, reason=reason), confidence=match.confidence, parts=parts)


def declaring_places(component: Component) -> list[str]:
    """`file: key path.license` of each lock entry that can state the component's license.

    Entries of lockfileVersion 1 (`dependencies...`) carry no license field (npm 6 never
    wrote one), so they count only when no newer entry exists. Without any lock entry
    (another producer of components), the files that name the component are given.
    """
    locks = [usage.location for usage in component.usages if posixpath.basename(usage.location.path) in LICENSE_FIELD_FILES and usage.location.key_path]
    newer = [location for location in locks if (location.key_path or "").startswith("packages[")]
    chosen = _unique(newer or locks)
    if chosen:
        return [f"{location.path}: {location.key_path}.license" for location in chosen]
    return [", ".join(sorted({location.path for location in component.locations})) or "the scanned files"]


def _declaring_place(location: Location) -> str:
    """`file: key path.license` for lock entries with a license field, else `file:line`."""
    if location.key_path and posixpath.basename(location.path) in LICENSE_FIELD_FILES:
        return f"{location.path}: {location.key_path}.license"
    if location.key_path:
        return f"{location.path}: {location.key_path}"
    return f"{location.path}:{location.line}" if location.line else location.path


def _declared(value: str, source: str) -> Finding:
    return Finding(rank=Rank.DECLARED, evidence=(LicenseEvidence(value=value, source=source),), reading=normalize(value))


def _unique(locations: Sequence[Location]) -> list[Location]:
    seen: dict[tuple[str, str | None], Location] = {}
    for location in sorted(locations, key=lambda location: (location.path, location.line or 0, location.key_path or "")):
        seen.setdefault((location.path, location.key_path), location)
    return list(seen.values())
