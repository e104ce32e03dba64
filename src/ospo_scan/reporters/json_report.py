"""The JSON report: the machine contract (schema_version 2), documented in README.md.

The schema ships in the package (ospo_scan/schema/inventory.schema.json); version 2
adds `usages`, typed `relationships`, `repositories`, `provenance` and issue `code`s, and
keeps the derived `scopes`, `direct`, `requirement` and `locations` for readers of version 1.
`analysis` (the three answers) is an addition to version 2.

Keys and lists are sorted and nothing time-dependent is written, so the same input
gives the same bytes. Additive changes keep schema_version; anything else bumps it.

The document is written by orjson where it is installed, byte for byte as json.dump
would write it (json_stream: whatever orjson refuses or would spell differently, a lone
surrogate, an integer beyond 64 bits, a float written with an exponent, is written by
the json module instead), and in pieces: a report of a thousand repositories is over a
gigabyte, which as one dict and one byte string took four gigabytes of memory. The
components, relationships and gaps are built one at a time as they are written
(`lazy_document`); `to_document` is the same document as plain data.
"""

from __future__ import annotations

import io
from dataclasses import asdict, fields
from operator import attrgetter
from pathlib import Path
from collections.abc import Callable
from typing import IO, Any, TextIO, cast

from ospo_scan import __version__
from ospo_scan.collection import fewer_collections
from ospo_scan.analysis import Analysis, analyze
from ospo_scan.analysis.summary import summarize
from ospo_scan.licenses.versions import license_data_versions
from ospo_scan.model import Component, Dependency, Directness, Inventory, LicenseInfo, Project, Provenance, Repository, ScanIssue, scopes_of
from ospo_scan.provenance import SCHEMA_VERSION
from ospo_scan.reporters.analysis_document import analysis_members
from ospo_scan.reporters.json_stream import Members, Streamed, encode, materialize, spelled_otherwise, write_document
from ospo_scan.reporters.policy_document import policy_document
from ospo_scan.policy import PolicyOutcome
from ospo_scan.reporters.report import Report


def render(report: Report, stream: TextIO, is_terminal: bool = False, *, pretty: bool | None = None) -> None:
    """Write the inventory and its analysis as key-sorted JSON with a trailing newline:
    indented by two spaces when `pretty` (default: `report.pretty`), else compact (no
    space at all between tokens). Written in pieces of about a megabyte (json_stream), so
    the document is never held whole, neither as data nor as text; a lone surrogate is
    left in the text, as json.dumps leaves it (the CLI's printable_output writes it out)."""
    del is_terminal  # JSON is the same wherever it goes
    with fewer_collections():  # the inventory's millions of objects need no look while the pieces come and go
        write_document(
            lazy_document(report.inventory, report.analysis, report.policy),
            lambda chunk: stream.write(chunk.decode("utf-8", "surrogatepass")),
            pretty=report.pretty if pretty is None else pretty,
        )


def write_printable(report: Report, stream: IO[bytes] | TextIO, *, pretty: bool | None = None) -> None:
    """What `render` writes, with every lone surrogate written out as the CLI's
    printable_output does (so the text is valid UTF-8 piece by piece), to a binary file
    object of io's (UTF-8 bytes, never decoded) or anything else that writes text: for a
    caller that streams the report into its file instead of rendering it whole first."""
    write: Callable[[bytes], object]
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        write = stream.write
    else:
        text = cast(TextIO, stream)

        def write(chunk: bytes) -> object:
            return text.write(chunk.decode("utf-8"))
    with fewer_collections():
        write_document(lazy_document(report.inventory, report.analysis, report.policy), write, pretty=report.pretty if pretty is None else pretty, printable=True)


def write_report_file(report: Report, path: Path, *, pretty: bool | None = None) -> None:
    """Write the report (printable, see write_printable) to `path`, streamed."""
    with open(path, "wb") as stream:
        write_printable(report, stream, pretty=pretty)


def write_json(document: Any, stream: TextIO, *, pretty: bool = True) -> None:
    """Write plain data as key-sorted JSON and a newline, exactly as `json.dump(document,
    sort_keys=True, ensure_ascii=False)` with `indent=2` (pretty) or compact separators would."""
    stream.write(dumps(document, pretty=pretty))
    stream.write("\n")


def dumps(document: Any, *, pretty: bool = True) -> str:
    """`document` as write_json writes it, without the newline."""
    encoded = encode(document, pretty=pretty)
    return encoded.decode("utf-8") if isinstance(encoded, bytes) else encoded


_spelled_otherwise = spelled_otherwise
"""Kept under its old name for callers of this module."""


def to_document(inventory: Inventory, analysis: Analysis | None = None, policy: PolicyOutcome | None = None) -> dict[str, Any]:
    """The report as plain data (also used by tests and other reporters); the analysis
    is computed with default settings when not given. `policy` only when one was applied."""
    document: dict[str, Any] = materialize(lazy_document(inventory, analysis, policy))
    return document


def lazy_document(inventory: Inventory, analysis: Analysis | None = None, policy: PolicyOutcome | None = None) -> Members:
    """The report as json_stream writes it: the components, relationships and gaps are
    built one at a time as the writer asks for them (to_document is its plain data)."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ospo-scan", "version": __version__},
        "license_data": license_data_versions(),
        "status": "complete" if inventory.complete else "incomplete",
        "roots": list(inventory.roots),
        "projects": [_project(p) for p in inventory.projects],
        "components": Streamed(map(_component, sorted(inventory.components, key=_purl))),
        "relationships": Streamed(map(_relationship, sorted(inventory.relationships, key=Dependency.sort_key))),
        "issues": [_issue(i) for i in inventory.issues],
        "repositories": [_repository(r) for r in inventory.repositories],
        "provenance": _provenance(inventory.provenance),
        "summary": asdict(summarize(inventory)),
        "analysis": analysis_members(analysis if analysis is not None else analyze(inventory)),
    }
    if policy is not None:
        document["policy"] = policy_document(policy)
    return Members(document)


_purl = attrgetter("purl")


def _project(project: Project) -> dict[str, Any]:
    return {
        "name": project.name,
        "version": project.version,
        "path": project.path,
        "ecosystem": project.ecosystem._value_,
        "license": project.license,
        "license_info": _license(project.license_info),
        "files": list(project.files),
        "manifests": list(project.manifests),
        "lockfiles": list(project.lockfiles),
        "id": project.id,
        "repository": project.repository,
        "purl": project.purl,
        "declared": project.declared,
    }


def _component(component: Component) -> dict[str, Any]:
    """One component; the derived version 1 fields (`requirement`, `scopes`, `direct`,
    `locations`) are worked out here from the usages, as Component's properties do, in one
    pass each without their Enum `.value` and dataclass hashing (134,000 usages on the corpus).
    An enum member's `_value_` is its `.value` without the property call."""
    usages = component.usages
    places = {(usage.location.path, usage.location.line) for usage in usages}
    return {
        "purl": component.purl,
        "ecosystem": component.ecosystem._value_,
        "name": component.name,
        "version": component.version,
        "requirement": next((usage.requirement for usage in usages if usage.requirement), None),
        "scopes": sorted([scope._value_ for scope in scopes_of(usages)]),
        "direct": any(usage.directness is _DIRECT for usage in usages),
        "first_party": component.first_party,
        "license": _license(component.license),
        "declared_licenses": list(component.declared_licenses),
        "locations": [{"path": path, "line": line} for path, line in sorted(places, key=_place_key)],
        "usages": [
            {
                "project": usage.project,
                "lifecycle": usage.lifecycle._value_,
                "optional": usage.optional,
                "peer": usage.peer,
                "directness": usage.directness._value_,
                "group": usage.group,
                "requirement": usage.requirement,
                "location": {"path": (location := usage.location).path, "line": location.line, "key_path": location.key_path},
            }
            for usage in usages
        ],
        "extras": list(component.extras),
        "markers": list(component.markers),
        "source_url": component.source_url,
        "notes": list(component.notes),
    }


_DIRECT = Directness.DIRECT


def _place_key(place: tuple[str, int | None]) -> tuple[str, int]:
    """Component.locations' order: path, then line (none first)."""
    return place[0], place[1] or 0


_LICENSE_FIELDS = tuple(field.name for field in fields(LicenseInfo) if field.name not in ("license_files", "license_files_reason"))
"""Absolute paths (where the tree was checked out) would make the report depend on the
machine; the license files are for the notices report, which shows them relative."""

_license_values = attrgetter(*_LICENSE_FIELDS)


def _license(info: LicenseInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    data = dict(zip(_LICENSE_FIELDS, _license_values(info)))  # asdict's keys, without its deep copy
    data["declared"] = list(info.declared)
    data["evidence"] = [{"value": e.value, "source": e.source} for e in info.evidence]
    return data


def _relationship(edge: Dependency) -> dict[str, Any]:
    return {"project": edge.project, "from": edge.source, "to": edge.target, "kind": edge.kind._value_, "lifecycle": edge.lifecycle._value_}


def _repository(repository: Repository) -> dict[str, Any]:
    return {"id": repository.id, "root": repository.root, "commit": repository.commit, "branch": repository.branch}


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    if provenance is None:
        return None
    return {
        "tool_version": provenance.tool_version,
        "schema_version": provenance.schema_version,
        "license_data": dict(provenance.license_data),
        "options_digest": provenance.options_digest,
    }


def _issue(issue: ScanIssue) -> dict[str, Any]:
    return {
        "path": issue.path,
        "line": issue.line,
        "parser": issue.parser,
        "message": issue.message,
        "code": issue.code,
        "severity": issue.severity._value_,
        "key_path": issue.key_path,
    }
