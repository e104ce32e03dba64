"""The three answers as plain data: the `analysis` key of the JSON report.

JSON, HTML and markdown all read this one document, so a number means the same in
every format. Lists keep the analysis's order (ranked, worst first); mappings are
sorted by the JSON writer.
"""

from __future__ import annotations

from typing import Any

from ospo_scan.reporters.json_stream import Members, Streamed, materialize
from ospo_scan.analysis import Analysis
from ospo_scan.analysis.criticality import CriticalityAnswer, CriticalProject
from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapsAnswer
from ospo_scan.analysis.usage import SliceUsage, UsageAnswer, UsageCounts


def analysis_document(analysis: Analysis) -> dict[str, Any]:
    """usage, critical and gaps, as the schema describes them."""
    document: dict[str, Any] = materialize(analysis_members(analysis))
    return document


def analysis_members(analysis: Analysis) -> Members:
    """The same document for json_stream: the ranking and the gaps (one per component and
    project at worst: the longest lists of the analysis) are built as they are written."""
    return Members({
        "usage": _usage(analysis.usage),
        "critical": Members(_critical(analysis.critical)),
        "gaps": Members(_gaps(analysis.gaps)),
    })


def _counts(counts: UsageCounts) -> dict[str, Any]:
    return {
        "components": counts.components,
        "direct": counts.direct,
        "transitive": counts.transitive,
        "runtime": counts.runtime,
        "development_only": counts.development_only,
        "known_license": counts.known_license,
        "known_license_share": counts.known_license_share,
    }


def _slices(slices: tuple[SliceUsage, ...], key: str) -> list[dict[str, Any]]:
    return [{key: s.key, **_counts(s.counts)} for s in slices]


def _usage(usage: UsageAnswer) -> dict[str, Any]:
    return {
        "totals": _counts(usage.totals),
        "first_party": usage.first_party,
        "projects": usage.projects,
        "repositories": usage.repositories,
        "by_ecosystem": _slices(usage.by_ecosystem, "ecosystem"),
        "by_lifecycle": dict(usage.by_lifecycle),
        "by_license_category": dict(usage.by_license_category),
        "by_project": _slices(usage.by_project, "project"),
        "by_repository": _slices(usage.by_repository, "repository"),
        "version_sprawl": [
            {"ecosystem": s.ecosystem, "name": s.name, "versions": list(s.versions), "projects": list(s.projects)}
            for s in usage.version_sprawl
        ],
    }


def _critical(answer: CriticalityAnswer) -> dict[str, Any]:
    return {
        "note": answer.note,
        "projects": answer.projects,
        "repositories": answer.repositories,
        "settings": {
            "top": answer.settings.top,
            "source": answer.settings.source,
            "signals": {s._value_: {"weight": v.weight, "threshold": v.threshold} for s, v in answer.settings.signals.items()},
        },
        "ranked": Streamed(map(_critical_project, answer.ranked)),
    }


def _critical_project(entry: CriticalProject) -> dict[str, Any]:
    return {
        "rank": entry.rank,
        "name": entry.name,
        "ecosystem": entry.ecosystem,
        "score": entry.score,
        "signals": {signal._value_: value for signal, value in entry.signals.items()},
        "packages": list(entry.packages),
        "reasons": list(entry.reasons),
    }


def _gaps(answer: GapsAnswer) -> dict[str, Any]:
    return {
        "counts": dict(answer.by_code),
        "kinds": {
            code: {"title": kind.title, "severity": kind.severity.value, "description": kind.description, "help": kind.help}
            for code, kind in GAP_KINDS.items()
        },
        "items": Streamed(map(_gap, answer.gaps)),
    }


def _gap(gap: Gap) -> dict[str, Any]:
    location = gap.location
    return {
        "code": gap.code,
        "severity": gap.severity._value_,
        "message": gap.message,
        "component": gap.component,
        "project": gap.project,
        "location": None if location is None else {"path": location.path, "line": location.line, "key_path": location.key_path},
    }
