"""The organization JSON report: valid, deterministic, and saying what the overview says.

Every expected value is read from the overview objects (the factory's), never typed in,
so the tests hold for any overview the factory builds.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ospo_scan.reporters.organization import render_json
from ospo_scan.reporters.organization.document import SCHEMA, VERSION
from ospo_scan.store.model import OrganizationOverview, SnapshotRecord
from tests.reporters.organization.factory import empty_overview, overview

CASES = {"one-snapshot": lambda: overview(snapshots=1), "three-snapshots": lambda: overview(snapshots=3), "empty": empty_overview}


@pytest.fixture(params=sorted(CASES))
def given(request: pytest.FixtureRequest) -> OrganizationOverview:
    built: OrganizationOverview = CASES[request.param]()
    return built


def _snapshot(record: SnapshotRecord) -> dict[str, Any]:
    return {"id": record.id, "label": record.label, "taken_at": record.taken_at, "repositories": record.repositories, "components": record.components}


def test_the_document_parses_and_names_its_schema(given: OrganizationOverview) -> None:
    document = json.loads(render_json(given))
    assert (document["schema"], document["version"]) == (SCHEMA, VERSION) == ("ospo-scan-organization", 1)
    assert set(document) == {"schema", "version", "snapshot", "repositories", "licenses", "critical", "version_skew", "gaps_by_code", "trends"}


def test_rendering_twice_gives_the_same_bytes(given: OrganizationOverview) -> None:
    assert render_json(given) == render_json(given)
    assert render_json(given, pretty=True) == render_json(given, pretty=True)


def test_compact_and_pretty_hold_the_same_data(given: OrganizationOverview) -> None:
    compact, pretty = render_json(given), render_json(given, pretty=True)
    assert json.loads(compact) == json.loads(pretty)
    assert compact.count("\n") == 1 and compact.endswith("\n")
    assert "\n  " in pretty and compact == json.dumps(json.loads(compact), separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"
    assert pretty == json.dumps(json.loads(pretty), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_only_time_is_the_snapshots_own() -> None:
    given = overview(snapshots=3)
    text = render_json(given)
    times = {point.snapshot.taken_at for point in given.trends}
    found = set(re.findall(r"\d{4}-\d{2}-\d{2}T[\d:]+Z?", text))
    assert found == times


def test_the_snapshot_and_repositories_are_the_overviews(given: OrganizationOverview) -> None:
    document = json.loads(render_json(given))
    assert document["snapshot"] == _snapshot(given.snapshot)
    expected = sorted(
        (
            {
                "repository": r.repository,
                "commit": r.commit,
                "branch": r.branch,
                "status": r.status,
                "components": r.components,
                "direct": r.direct,
                "gaps": r.gaps,
                "violations": r.violations,
                "licenses": list(r.licenses),
            }
            for r in given.repositories
        ),
        key=lambda r: str(r["repository"]),
    )
    assert document["repositories"] == expected


def test_licenses_critical_and_gaps_are_the_overviews(given: OrganizationOverview) -> None:
    document = json.loads(render_json(given))
    assert sorted((u["license"], u["category"], u["components"], u["repositories"]) for u in document["licenses"]) == sorted(
        (u.license, u.category, u.components, u.repositories) for u in given.licenses
    )
    assert [u["repositories"] for u in document["licenses"]] == sorted((u.repositories for u in given.licenses), reverse=True)
    assert document["critical"] == [
        {
            "rank": c.rank,
            "ecosystem": c.ecosystem,
            "project": c.project,
            "score": c.score,
            "repositories": c.repositories,
            "direct_repositories": c.direct_repositories,
            "versions": c.versions,
            "reasons": list(c.reasons),
        }
        for c in sorted(given.critical, key=lambda c: c.rank)
    ]
    assert document["gaps_by_code"] == dict(given.gaps_by_code)


def test_version_skew_keeps_the_ecosystems_version_order(given: OrganizationOverview) -> None:
    document = json.loads(render_json(given))
    by_package = {s["package"]: s for s in document["version_skew"]}
    assert sorted(by_package) == sorted(s.package for s in given.skew)
    for skew in given.skew:
        entry = by_package[skew.package]
        assert entry["ecosystem"] == skew.ecosystem
        assert [v["version"] for v in entry["versions"]] == [version for version, _ in skew.versions]
        assert [v["repositories"] for v in entry["versions"]] == [sorted(repositories) for _, repositories in skew.versions]


def test_trends_are_every_snapshot_oldest_first(given: OrganizationOverview) -> None:
    document = json.loads(render_json(given))
    assert document["trends"] == [
        {
            "snapshot": _snapshot(p.snapshot),
            "components": p.components,
            "repositories": p.repositories,
            "gaps": p.gaps,
            "licenses": list(p.licenses),
            "new_licenses": list(p.new_licenses),
        }
        for p in given.trends
    ]
    assert document["trends"][-1]["snapshot"] == document["snapshot"]


def test_the_order_the_store_gives_does_not_change_the_bytes() -> None:
    """Two stores may return rows in different orders: the report must not show it."""
    given = overview(snapshots=3)
    shuffled = OrganizationOverview(
        snapshot=given.snapshot,
        repositories=given.repositories[::-1],
        licenses=given.licenses[::-1],
        critical=given.critical[::-1],
        skew=tuple((s.__class__(ecosystem=s.ecosystem, package=s.package, versions=tuple((v, r[::-1]) for v, r in s.versions)) for s in given.skew[::-1])),
        gaps_by_code=given.gaps_by_code[::-1],
        trends=given.trends[::-1],
    )
    assert render_json(shuffled) == render_json(given)
    assert render_json(shuffled, pretty=True) == render_json(given, pretty=True)


def test_hostile_names_are_kept_as_they_are() -> None:
    """JSON escapes what it must; the names themselves are data and stay exact."""
    given = overview(snapshots=1)
    document = json.loads(render_json(given))
    assert {r["repository"] for r in document["repositories"]} == {r.repository for r in given.repositories}
    assert "\x1b" not in render_json(given) and "\\u001b" in render_json(given)
