"""Every store answer on both backends, checked against the documents it was fed."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from ospo_scan.analysis.criticality import DEFAULT_SIGNALS, Signal, score
from ospo_scan.analysis.upstream import upstream_project
from ospo_scan.diffing.compare import compare
from ospo_scan.diffing.document import read_report
from ospo_scan.model import Component, Ecosystem
from ospo_scan.store.ingest import read_scan_file, repository_scans
from ospo_scan.store.interface import InventoryStore, StoreError, open_store
from ospo_scan.store.query import PackageQuery
from tests.store.documents import expected_uses, repository_names, small_report, third_party_by_repository

T0, T1 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"


def save(store: InventoryStore, *documents: dict[str, Any], label: str | None = None, taken_at: str = T0) -> int:
    with store.write_snapshot(label, taken_at) as writer:
        for document in documents:
            for scan in repository_scans(document):
                writer.add(scan)
    return writer.record.id


def uses(found: list[Any]) -> set[tuple[str, str]]:
    return {(u.repository, u.purl) for u in found}


def test_round_trip_keeps_components_licenses_and_gaps(store_url: str, shop_report: dict[str, Any]) -> None:
    with open_store(store_url) as store:
        snapshot = save(store, shop_report)
        document = store.snapshot_document(snapshot)
    original, stored = read_report(shop_report), read_report(json.loads(json.dumps(document)))
    assert {(c.purl, c.license, c.category) for c in stored.components} == {(c.purl, c.license, c.category) for c in original.components}
    assert Counter((g.code, g.component, g.severity, g.message) for g in stored.gaps) == Counter((g.code, g.component, g.severity, g.message) for g in original.gaps)
    assert stored.violations is not None and original.violations is not None and len(stored.violations) == len(original.violations)
    diff = compare(shop_report, document)
    assert not (diff.added or diff.removed or diff.upgraded or diff.downgraded or diff.version_changed or diff.license_changed)


def test_snapshot_document_qualifies_projects_per_repository(store_url: str, org_report: dict[str, Any]) -> None:
    with open_store(store_url) as store:
        document = store.snapshot_document(save(store, org_report))
    names = set(repository_names(org_report).values())
    assert {r["id"] for r in document["repositories"]} == names
    assert all(p["id"].split("/", 1)[0] in names for p in document["projects"])
    project_ids = {p["id"] for p in document["projects"]}
    assert all(u["project"] in project_ids for c in document["components"] for u in c["usages"])
    assert "policy" not in document  # no scan of the snapshot was judged


def test_snapshot_diff_is_report_diff(store_url: str, org_report: dict[str, Any], billing_v2_report: dict[str, Any]) -> None:
    shop_only = [s for s in repository_scans(org_report) if s.repository == "shop"]
    with open_store(store_url) as store:
        first = save(store, org_report, label="before")
        with store.write_snapshot("after", T1) as writer:
            writer.add(shop_only[0])
            for scan in repository_scans(billing_v2_report):
                writer.add(scan)
        diff = compare(store.snapshot_document(first), store.snapshot_document(writer.record.id))
        assert store.snapshot("before").id == first and store.snapshot("latest").id == writer.record.id
    before = set().union(*third_party_by_repository(org_report).values())
    after = third_party_by_repository(org_report)["shop"] | set().union(*third_party_by_repository(billing_v2_report).values())
    moved = diff.upgraded + diff.downgraded + diff.version_changed
    assert {c.purl for c in diff.removed} | {c.old.purl for c in moved} == before - after
    assert {c.purl for c in diff.added} | {c.new.purl for c in moved} == after - before
    assert "pkg:pypi/redis@4.6.0" in before - after


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("redis", lambda c: c["name"] == "redis"),
        ("pkg:pypi/redis", lambda c: c["purl"].startswith("pkg:pypi/redis@")),
        ("pkg:maven/com.fasterxml.jackson.*/*", lambda c: c["purl"].startswith("pkg:maven/com.fasterxml.jackson.")),
        ("pkg:pypi/redis <5.0", lambda c: c["name"] == "redis" and Version(c["version"]) < Version("5.0")),
        ("pkg:pypi/redis >=5.0,<6", lambda c: c["name"] == "redis" and Version("5.0") <= Version(c["version"]) < Version("6")),
        ("pkg:pypi/redis >=5.2.1", lambda c: c["name"] == "redis" and Version(c["version"]) >= Version("5.2.1")),
        ("pkg:pypi/redis vers:pypi/>=9", lambda c: False),
    ],
)
def test_repositories_using(store_url: str, org_report: dict[str, Any], query: str, wanted: Any) -> None:
    expected = expected_uses(org_report, wanted)
    with open_store(store_url) as store:
        found = store.repositories_using(save(store, org_report), PackageQuery.parse(query))
    assert uses(found) == expected
    if "<5.0" in query:
        assert {u.repository for u in found} == {"billing"}


def test_repositories_using_npm_scope_and_native_range(store_url: str) -> None:
    document = small_report()
    with open_store(store_url) as store:
        snapshot = save(store, document)
        assert uses(store.repositories_using(snapshot, PackageQuery.parse("pkg:npm/@babel/*"))) == {("svc", "pkg:npm/%40babel/core@7.24.0")}
        assert uses(store.repositories_using(snapshot, PackageQuery.parse("pkg:npm/lodash ^4.17.0"))) == {("svc", "pkg:npm/lodash@4.17.21")}
        assert store.repositories_using(snapshot, PackageQuery.parse("pkg:npm/lodash <4.17.21")) == []
        [use] = store.repositories_using(snapshot, PackageQuery.parse("lodash"))
    assert use.projects == ("npm:.",) and use.lifecycles == ("runtime",) and use.direct and use.commit == "abc123"


def _symbols(expression: str | None) -> set[str]:
    import re

    return {t.lower() for t in re.split(r"[\s()]+", expression or "") if t and t.lower() not in ("and", "or", "with")}


@pytest.mark.parametrize(
    ("asked", "wanted"),
    [
        ("MIT", lambda c: "mit" in _symbols(c["license"]["expression"])),
        ("mpl-2.0", lambda c: "mpl-2.0" in _symbols(c["license"]["expression"])),
        ("weak-copyleft", lambda c: c["license"]["category"] == "weak-copyleft"),
        ("unknown", lambda c: c["license"]["category"] == "unknown"),
        ("copyleft", lambda c: c["license"]["category"].endswith("-copyleft")),
    ],
)
def test_repositories_with_license(store_url: str, org_report: dict[str, Any], asked: str, wanted: Any) -> None:
    expected = expected_uses(org_report, lambda c: not c["first_party"] and wanted(c))
    assert expected, "the example should use this license"
    with open_store(store_url) as store:
        assert uses(store.repositories_with_license(save(store, org_report), asked)) == expected


def _expected_ranking(document: dict[str, Any]) -> list[tuple[str, str, float]]:
    """The ranking worked out from the document: the scan's formula, signals over
    repositories (dependents are not stored, so 0)."""
    names = repository_names(document)
    runtime: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    direct: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    versions: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in document["components"]:
        if entry["first_party"]:
            continue
        key = (entry["ecosystem"], upstream_project(Component(purl="", ecosystem=Ecosystem(entry["ecosystem"]), name=entry["name"], version=None)))
        versions[key][entry["name"]].add(entry["version"])
        for usage in entry["usages"]:
            where = (names[usage["project"]], usage["project"])
            if usage["lifecycle"] in ("runtime", "provided"):
                runtime[key].add(where)
            if usage["directness"] == "direct":
                direct[key].add(where)
    ranking = []
    for key, by_name in versions.items():
        signals = {
            Signal.RUNTIME_REPOSITORIES: len({r for r, _ in runtime[key]}), Signal.RUNTIME_PROJECTS: len(runtime[key]),
            Signal.DIRECT_USES: len(direct[key]), Signal.DEPENDENTS: 0,
            Signal.VERSIONS: max(len({v for v in found if v is not None}) for found in by_name.values()),
        }
        ranking.append((key[0], key[1], round(score(signals, DEFAULT_SIGNALS), 4)))
    return sorted(ranking, key=lambda e: (-e[2], e[1], e[0]))


def test_critical_projects_match_the_documents(store_url: str, org_report: dict[str, Any]) -> None:
    expected = _expected_ranking(org_report)
    with open_store(store_url) as store:
        snapshot = save(store, org_report)
        ranked = store.critical_projects(snapshot, limit=None)
        top = store.critical_projects(snapshot)
    assert [(c.ecosystem, c.project, c.score) for c in ranked] == expected
    assert top == ranked[:10]
    assert ranked[0].rank == 1 and all(a.rank <= b.rank for a, b in zip(ranked, ranked[1:]))


def test_version_skew_across_repositories(store_url: str, org_report: dict[str, Any]) -> None:
    expected: dict[str, set[tuple[str, str]]] = defaultdict(set)
    names = repository_names(org_report)
    for entry in org_report["components"]:
        if entry["name"] == "redis":
            expected[entry["version"]] |= {(names[u["project"]], entry["version"]) for u in entry["usages"]}
    with open_store(store_url) as store:
        snapshot = save(store, org_report)
        [skew] = store.version_skew(snapshot, package="pkg:pypi/redis")
        everything = store.version_skew(snapshot)
        assert store.version_skew(snapshot, min_versions=len(expected) + 1, package="redis") == []
    assert skew.package == "pkg:pypi/redis"
    assert [v for v, _ in skew.versions] == sorted(expected, key=Version)
    assert {(r, v) for v, repositories in skew.versions for r in repositories} == set().union(*expected.values())
    assert skew in everything and all(len(s.versions) >= 2 for s in everything)


def test_overview_and_trends(store_url: str, org_report: dict[str, Any], billing_v2_report: dict[str, Any]) -> None:
    with open_store(store_url) as store:
        first = save(store, org_report, label="one")
        second = save(store, billing_v2_report, label="two", taken_at=T1)
        overview = store.overview(second)
        early = store.overview(first)
        records = store.snapshots()
    assert [r.id for r in records] == [first, second]
    assert [t.snapshot.id for t in overview.trends] == [first, second] and [t.snapshot.id for t in early.trends] == [first]
    assert [r.repository for r in overview.repositories] == ["billing"]
    assert {r.repository for r in early.repositories} == {"shop", "billing"}
    gaps = Counter(g["code"] for g in org_report["analysis"]["gaps"]["items"])
    assert dict(early.gaps_by_code) == dict(gaps)
    assert early.trends[0].gaps == sum(gaps.values())
    third_party = {c["purl"] for c in org_report["components"] if not c["first_party"]}
    assert records[0].components == len(third_party) == early.trends[0].components
    assert sum(u.components for u in early.licenses) == len(third_party)
    assert set(overview.trends[1].new_licenses) <= set(overview.trends[1].licenses)


def test_same_scan_twice_is_stored_once(store_url: str, shop_report: dict[str, Any], tmp_path: Path) -> None:
    report = tmp_path / "scan.json"
    report.write_text(json.dumps(shop_report))
    with open_store(store_url) as store:
        with store.write_snapshot("a", T0) as writer:
            assert [writer.add(s) for s in read_scan_file(report)] == [True]
        with store.write_snapshot("b", T1) as writer:
            assert [writer.add(s) for s in read_scan_file(report)] == [False]
            assert [writer.add(s) for s in repository_scans(shop_report)] == [False]  # twice in one snapshot: still one
        assert store.rows("SELECT COUNT(*) FROM repository_scans") == [(1,)]  # type: ignore[attr-defined]
        assert store.rows("SELECT COUNT(*) FROM snapshot_scans") == [(2,)]  # type: ignore[attr-defined]
        assert [r.repositories for r in store.snapshots()] == [1, 1]


def test_one_scan_per_repository_in_a_snapshot(store_url: str) -> None:
    with open_store(store_url) as store:
        with pytest.raises(StoreError, match="already in this snapshot"):
            with store.write_snapshot(None, T0) as writer:
                writer.add(next(repository_scans(small_report(commit="a"))))
                writer.add(next(repository_scans(small_report(commit="b"))))
        assert store.snapshots() == []


def test_unknown_snapshot_is_a_store_error(store_url: str) -> None:
    with open_store(store_url) as store:
        for ref in ("latest", "7", "release"):
            with pytest.raises(StoreError, match=r"no snapshot") as caught:
                store.snapshot(ref)
            assert str(caught.value).startswith(store.display_name)
        assert "***" not in store.display_name or "@" in store.display_name
