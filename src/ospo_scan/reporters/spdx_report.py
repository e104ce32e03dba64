"""The SPDX report: the inventory as an SPDX 2.3 JSON document.

- One package per component and one per first-party project (described by the
  document); a project whose purl is a component's is that component's package (a
  workspace member another member depends on), so no purl names two packages.
- Ids are derived from the purl (spdx_ids.py); licenses are declared apart from
  concluded and every LicenseRef is defined (spdx_licenses.py); relationships come from
  the usages and the graph (spdx_relationships.py).
- Nothing is downloaded, nothing analyzed file by file (`filesAnalyzed: false`), and
  what ospo-scan does not know is NOASSERTION: supplier, copyright, download location
  (unless the package comes from a URL or VCS location, written without credentials).
- The same inventory gives the same bytes: keys and lists sorted, no time unless the
  report carries one (SPDX requires one, so the epoch stands in and the creation comment
  says so), and the namespace is a UUID of the document's own content.

Plain dicts and json: the SPDX library (spdx-tools) only validates the output in tests.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, TextIO

from ospo_scan import __version__
from ospo_scan.collection import fewer_collections
from ospo_scan.model import Component, Inventory, Project, Severity
from ospo_scan.reporters.identity import content_uuid
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.spdx_ids import download_location, element_ids, without_secrets
from ospo_scan.reporters.spdx_licenses import NOASSERTION, LicenseRefs
from ospo_scan.reporters.spdx_relationships import Relationships, relationships

NO_TIME = "1970-01-01T00:00:00Z"
"""The creation time written when the report carries none (SPDX requires one)."""

_NAMESPACE_PLACEHOLDER = "urn:uuid:00000000-0000-0000-0000-000000000000"
_NAMESPACE_LINE = '"documentNamespace": "{}"'


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the SPDX 2.3 JSON document: indented, key-sorted, with a trailing newline."""
    del is_terminal  # the document is the same wherever it goes
    stream.write(document_text(report))


def document_text(report: Report) -> str:
    """The document as text, its namespace a UUID of the text written with a placeholder
    there (the namespace is the first value after creationInfo, before any scanned value)."""
    with fewer_collections():  # hundreds of thousands of acyclic dicts
        text = json.dumps(to_document(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    placeholder = _NAMESPACE_LINE.format(_NAMESPACE_PLACEHOLDER)
    namespace = _NAMESPACE_LINE.format(f"urn:uuid:{content_uuid(text)}")
    return text.replace(placeholder, namespace, 1)



def to_document(report: Report) -> dict[str, Any]:
    """The document as plain data, with a placeholder namespace (see `document_text`)."""
    inventory = report.inventory
    refs = LicenseRefs()
    packages = _packages(inventory, refs)
    project_keys = {project.id: _project_key(project) for project in inventory.projects}
    ids = element_ids(packages)
    described = sorted({ids[key] for key in project_keys.values()} or {ids[key] for key in packages if key.startswith("root:")})
    found = relationships(inventory, ids, project_keys, described)
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": without_secrets("ospo-scan inventory of " + ", ".join(inventory.roots)),
        "documentNamespace": _NAMESPACE_PLACEHOLDER,
        "comment": _document_comment(inventory, found),
        "creationInfo": _creation_info(report.created),
        "documentDescribes": described,
        "packages": sorted(({"SPDXID": ids[key], **package} for key, package in packages.items()), key=lambda p: p["SPDXID"]),
        "relationships": found.items,
        "hasExtractedLicensingInfos": refs.extracted_licensing_infos(),
    }


def _packages(inventory: Inventory, refs: LicenseRefs) -> dict[str, dict[str, Any]]:
    """Packages by element key: components, then projects (merged into the component of
    their purl, or into the first project of the same purl); the roots when there is no project.
    Both are taken in a fixed order, so that the document does not depend on the inventory's."""
    components = sorted(inventory.components, key=lambda component: component.purl)
    packages = {component.purl: _component_package(component, refs) for component in components}
    for project in sorted(inventory.projects, key=lambda project: (project.repository, project.path, project.ecosystem.value)):
        key = _project_key(project)
        if key in packages:
            packages[key]["comment"] = _join(packages[key].get("comment"), _project_note(project))
        else:
            packages[key] = _project_package(project, refs)
    if not inventory.projects:
        packages.update((f"root:{root}", _root_package(root)) for root in inventory.roots)
    return packages


def _project_key(project: Project) -> str:
    """The element key the graph uses for a project's root: its purl, else `project:<id>`."""
    return project.purl or f"project:{project.id}"


def _component_package(component: Component, refs: LicenseRefs) -> dict[str, Any]:
    licenses = refs.package(component.license, component.declared_licenses)
    package = _package(component.name or component.purl, component.version, component.purl)
    package.update(licenseConcluded=licenses.concluded, licenseDeclared=licenses.declared)
    location = download_location(component.source_url)
    if location:
        package["downloadLocation"] = location
    if component.source_url:
        package["sourceInfo"] = f"ospo-scan: the package comes from '{without_secrets(component.source_url)}', not from a package registry"
    _set_text(package, "licenseComments", licenses.comment)
    notes = (*(("first-party: one of the repository's own packages",) if component.first_party else ()), *component.notes)
    _set_text(package, "comment", "; ".join(notes) or None)
    return package


def _project_package(project: Project, refs: LicenseRefs) -> dict[str, Any]:
    licenses = refs.package(project.license_info, (project.license,) if project.license else ())
    package = _package(project.name or project.path, project.version, project.purl)
    package.update(licenseConcluded=licenses.concluded, licenseDeclared=licenses.declared)
    _set_text(package, "licenseComments", licenses.comment)
    _set_text(package, "comment", _project_note(project))
    return package


def _root_package(root: str) -> dict[str, Any]:
    """A scanned root without any project: what the document describes when nothing was found."""
    package = _package(root, None, None)
    package.update(licenseConcluded=NOASSERTION, licenseDeclared=NOASSERTION)
    _set_text(package, "comment", f"ospo-scan: the scanned folder '{root}'; no manifest or lockfile was found in it")
    return package


def _package(name: str, version: str | None, purl: str | None) -> dict[str, Any]:
    package: dict[str, Any] = {
        "name": without_secrets(name),
        "downloadLocation": NOASSERTION,
        "filesAnalyzed": False,
        "supplier": NOASSERTION,
        "copyrightText": NOASSERTION,
    }
    if version:
        package["versionInfo"] = without_secrets(version)
    if purl:
        package["externalRefs"] = [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}]
    return package


def _project_note(project: Project) -> str:
    where = f"'{project.path}'" + (f" of repository '{project.repository}'" if project.repository != "." else "")
    files = f" ({', '.join(project.manifests or project.files)})" if project.manifests or project.files else ""
    return f"ospo-scan: the repository's own {project.ecosystem.value} project at {where}{files}"


def _creation_info(created: datetime | None) -> dict[str, Any]:
    info: dict[str, Any] = {"creators": [f"Tool: ospo-scan-{__version__}"], "created": _timestamp(created) if created else NO_TIME}
    if created is None:
        info["comment"] = (
            f"No creation time was recorded: {NO_TIME} stands in, so that the same inventory gives the same "
            "document. Set SOURCE_DATE_EPOCH or --timestamp to record one."
        )
    return info


def _timestamp(created: datetime) -> str:
    """SPDX's form, `YYYY-MM-DDThh:mm:ssZ`, in UTC (a naive time is taken as UTC)."""
    moment = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _document_comment(inventory: Inventory, found: Relationships) -> str:
    projects, components = len(inventory.projects), len(inventory.components)
    parts = [f"ospo-scan found {components} component{'s' * (components != 1)} used by {projects} project{'s' * (projects != 1)}"]
    errors = sum(1 for issue in inventory.issues if issue.severity is Severity.ERROR)
    if errors:
        parts.append(f"the scan is incomplete: {errors} file{'s' * (errors != 1)} or part{'s' * (errors != 1)} of files could not be read (the JSON report lists them)")
    if found.left_out == 1:
        parts.append("1 usage or dependency edge names a package that is not in the inventory and is left out")
    elif found.left_out:
        parts.append(f"{found.left_out} usages or dependency edges name a package that is not in the inventory and are left out")
    return "; ".join(parts) + "."


def _set_text(package: dict[str, Any], key: str, text: str | None) -> None:
    if text:
        package[key] = without_secrets(text)


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second
