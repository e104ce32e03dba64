"""The SARIF report: compliance gaps as code scanning alerts (SARIF 2.1.0, one run).

One rule per gap code (all of GAP_KINDS, in its order, so a rule's index never moves),
one result per gap at its manifest line, every scan issue as a tool execution
notification (`executionSuccessful` is false when a file could not be read). The
inventory itself is not here: SARIF carries findings; the SBOM formats carry components.

Fingerprints (`ospoScanGap/v1`) follow where a gap is fixed (see analysis/gaps.py), so
that the same gap on the next commit is the same alert and only new ones show up:
- a project's use of a component (copyleft at runtime, incompatible, unpinned) is the
  project and the package *without its version*: a patch release changes nothing a reviewer
  decided. The two license gaps add the concluded license, because a relicensed release
  is a new question;
- a component's own license data (unknown, ambiguous, conflicting) is the exact component
  *with its version*: license metadata is per release and a new release may fix or break
  it. The project and file are left out: they are only where the first user declares it,
  and move when another project starts using the package;
- a non-SPDX declaration is the component and the declaring file;
- version sprawl is the package (its versions are the finding); a project without a
  license is the project; an unread file is its path.
The line and the message wording are never part of it: a line moves with every edit above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timezone
from typing import Any, TextIO

from ospo_scan import __version__
from ospo_scan.collection import fewer_collections
from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapSeverity
from ospo_scan.model import ISSUE_CODES, Component, Ecosystem, Location, Project, ScanIssue, Severity
from ospo_scan.purl import build_purl
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.sarif_limits import cap_results, omission_notification
from ospo_scan.reporters.sarif_policy import policy_results, policy_rules
from ospo_scan.reporters.sarif_log import (
    SARIF_VERSION,
    SCHEMA_URI,
    SOURCE_ROOT,
    SarifResult,
    SarifRule,
    dumps,
    location_object,
    message,
    result_objects,
    rule_object,
)

TOOL_NAME = "ospo-scan"
GAP_FINGERPRINT = "ospoScanGap/v1"
"""Bump the version when the identity of a gap changes meaning (every alert would reopen)."""

LEVELS: dict[GapSeverity, str] = {GapSeverity.HIGH: "error", GapSeverity.MEDIUM: "warning", GapSeverity.LOW: "note"}

GAP_SCOPES: dict[str, tuple[str, ...]] = {
    "unparsed-file": ("path",),
    "incompatible-license": ("project", "package", "license"),
    "copyleft-at-runtime": ("project", "package", "license"),
    "unknown-license": ("component",),
    "conflicting-license-declarations": ("component",),
    "project-without-license": ("project",),
    "ambiguous-license": ("component",),
    "non-spdx-license": ("component", "path"),
    "unpinned-version": ("project", "package"),
    "multiple-versions": ("package",),
}
"""What identifies a gap of each code across commits (the module docstring says why)."""
DEFAULT_SCOPE = ("project", "component", "path")
"""For a code added to GAP_KINDS before it is given a scope here."""

_TAGS: dict[str, tuple[str, ...]] = {
    "unparsed-file": ("open-source", "scan-coverage"),
    "incompatible-license": ("open-source", "license", "compliance"),
    "copyleft-at-runtime": ("open-source", "license", "compliance"),
    "unknown-license": ("open-source", "license", "license-data"),
    "conflicting-license-declarations": ("open-source", "license", "license-data"),
    "project-without-license": ("open-source", "license"),
    "ambiguous-license": ("open-source", "license", "license-data"),
    "non-spdx-license": ("open-source", "license", "license-data"),
    "unpinned-version": ("open-source", "dependencies", "reproducibility"),
    "multiple-versions": ("open-source", "dependencies", "maintenance"),
}


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the SARIF log (ASCII JSON, so it is the same wherever it goes) with a trailing newline."""
    del is_terminal
    with fewer_collections():  # the log is acyclic dicts: collections would walk the whole inventory
        text = dumps(to_document(report))
    stream.write(text)
    stream.write("\n")



def to_document(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data (also what the tests validate)."""
    rules = (*policy_rules(report.policy), *gap_rules())
    results = [*policy_results(report.policy), *gap_results(report)]
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    kept, omitted = cap_results(result_objects(results, rule_index))
    invocation = _invocation(report)
    properties: dict[str, Any] = {}
    if omitted:
        invocation["toolExecutionNotifications"].append(omission_notification(omitted))
        properties["omittedResults"] = omitted
    run = {
        "tool": {"driver": _driver(rules)},
        "invocations": [invocation],
        "originalUriBaseIds": {SOURCE_ROOT: {"description": message(_source_root(report.inventory.roots))}},
        "columnKind": "unicodeCodePoints",
        "results": kept,
    }
    if report.policy is not None:
        properties["policyFiles"] = [{"path": f.path, "sha256": f.sha256} for f in report.policy.policy.files]
    if properties:
        run["properties"] = dict(sorted(properties.items()))
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def gap_rules() -> tuple[SarifRule, ...]:
    """One rule per gap code, in GAP_KINDS order."""
    return tuple(
        SarifRule(
            id=kind.code,
            name="".join(word.capitalize() for word in kind.code.split("-")),
            short_description=kind.title,
            full_description=kind.description,
            help=kind.help,
            level=LEVELS[kind.severity],
            tags=_TAGS.get(kind.code, ("open-source",)),
        )
        for kind in GAP_KINDS.values()
    )


def gap_results(report: Report) -> list[SarifResult]:
    """One result per compliance gap, worst first (the gap order, then the message)."""
    context = _Context.of(report)
    gaps = sorted(report.analysis.gaps.gaps, key=lambda gap: (gap.sort_key(), gap.message))
    return [context.result(gap) for gap in gaps]


@dataclass(frozen=True, slots=True)
class _Context:
    """What a gap's place and identity are looked up in: its project, its component, the sprawl."""

    projects: dict[str, Project]
    components: dict[str, Component]
    sprawling: dict[str, str]
    """`ecosystem:name` (how a multiple-versions gap names its package) -> unversioned purl."""

    @classmethod
    def of(cls, report: Report) -> _Context:
        sprawling = {f"{s.ecosystem}:{s.name}": build_purl(Ecosystem(s.ecosystem), s.name, None) for s in report.analysis.usage.version_sprawl}
        return cls(
            projects={p.id: p for p in report.inventory.projects},
            components={c.purl: c for c in report.inventory.components},
            sprawling=sprawling,
        )

    def result(self, gap: Gap) -> SarifResult:
        place = self.place(gap)
        properties = {key: value for key, value in (("component", gap.component), ("project", gap.project)) if value}
        return SarifResult(
            rule_id=gap.code,
            level=LEVELS[gap.severity],
            message=gap.message,
            location=place,
            fingerprint_key=GAP_FINGERPRINT,
            identity=(gap.code, *self.identity(gap, place)),
            properties=properties,
        )

    def place(self, gap: Gap) -> Location | None:
        """The gap's own place, else its project's first manifest (a project gap without a line)."""
        if gap.location is not None and gap.location.path:
            return gap.location
        project = self.projects.get(gap.project or "")
        files = (project.manifests or project.files) if project is not None else ()
        return Location(path=files[0]) if files else None

    def identity(self, gap: Gap, place: Location | None) -> Iterator[str]:
        for facet in GAP_SCOPES.get(gap.code, DEFAULT_SCOPE):
            yield f"{facet}={self.facet(facet, gap, place)}"

    def facet(self, facet: str, gap: Gap, place: Location | None) -> str:
        if facet == "path":
            return place.path if place is not None else ""
        if facet == "project":
            return gap.project or ""
        if facet == "component":
            return gap.component or ""
        if facet == "package":
            return self.package(gap)
        if facet == "license":
            component = self.components.get(gap.component or "")
            info = component.license if component is not None else None
            return (info.expression or "") if info is not None else ""
        raise ValueError(f"unknown fingerprint facet {facet!r} (GAP_SCOPES)")

    def package(self, gap: Gap) -> str:
        """The purl without its version; for version sprawl (a gap with no component) the
        package its message names, checked against the sprawl the analysis found."""
        if gap.component:
            return unversioned(gap.component)
        named = gap.message.partition(": ")[0]
        return self.sprawling.get(named, f"unmatched:{named}")


def unversioned(purl: str) -> str:
    """The purl without `@version` (qualifiers and subpath kept: they tell artifacts apart)."""
    cut = min((i for i in (purl.find("?"), purl.find("#")) if i >= 0), default=len(purl))
    head, tail = purl[:cut], purl[cut:]
    name, at, version = head.rpartition("@")
    return name + tail if at and "/" not in version else purl


def _driver(rules: tuple[SarifRule, ...]) -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "version": __version__,
        "rules": [rule_object(rule) for rule in rules],
        "notifications": [{"id": code, "shortDescription": {"text": text}} for code, text in ISSUE_CODES.items()],
    }


_ISSUE_INDEX = {code: index for index, code in enumerate(ISSUE_CODES)}


def _invocation(report: Report) -> dict[str, Any]:
    """Whether the scan read every file, and what it could not read or understand."""
    issues = sorted(report.inventory.issues, key=lambda i: (i.path, i.line or 0, i.code, i.message))
    invocation: dict[str, Any] = {
        "executionSuccessful": report.inventory.complete,
        "toolExecutionNotifications": [_notification(issue) for issue in issues],
    }
    if report.created is not None:
        created = report.created if report.created.tzinfo is not None else report.created.replace(tzinfo=timezone.utc)
        invocation["endTimeUtc"] = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return invocation


def _notification(issue: ScanIssue) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"id": issue.code}
    if issue.code in _ISSUE_INDEX:
        descriptor["index"] = _ISSUE_INDEX[issue.code]
    notification: dict[str, Any] = {
        "level": "error" if issue.severity is Severity.ERROR else "warning",
        "message": message(issue.message or ISSUE_CODES.get(issue.code, issue.code)),
        "descriptor": descriptor,
    }
    if issue.path:
        notification["locations"] = [location_object(Location(path=issue.path, line=issue.line))]
    properties = {key: value for key, value in (("parser", issue.parser), ("keyPath", issue.key_path)) if value}
    if properties:
        notification["properties"] = properties
    return notification


def _source_root(roots: tuple[str, ...]) -> str:
    """What `%SRCROOT%` stands for: the one scanned root, or, for several, the folder the scan
    ran in (their paths start with each root as given)."""
    if len(roots) == 1:
        return f"The scanned root ({roots[0]}): every relative URI is relative to it."
    return "The folder ospo-scan ran in: every relative URI starts with its root as given (" + ", ".join(roots) + ")."
