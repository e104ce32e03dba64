"""Splitting reports into repository scans, digests, hostile documents and query parsing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.store.errors import StoreError
from ospo_scan.store.ingest import read_scan_file, repository_scans
from ospo_scan.store.interface import open_store
from ospo_scan.store.postgres import display_name
from ospo_scan.store.query import PackageQuery
from tests.store.documents import DELETE, mutated, repository_names, small_report, third_party_by_repository


def test_a_report_of_two_repositories_splits_in_two(org_report: dict[str, Any], organization: Any) -> None:
    scans = {s.repository: s for s in repository_scans(org_report)}
    assert set(scans) == set(repository_names(org_report).values())
    for name, purls in third_party_by_repository(org_report).items():
        assert {c.purl for c in scans[name].components if not c.first_party} == purls
    assert all(":/" not in p.id for s in scans.values() for p in s.projects)  # relative to their repository again
    alone = next(repository_scans(__import__("tests.store.conftest", fromlist=["scan_document"]).scan_document(organization.billing)))
    # scanned alone or beside others: the same projects, purls and usages (a multi-root scan
    # shares license evidence between roots and names a shared component's gap once, so
    # licenses, gaps and so the digest may differ: the scanner's doing, not the store's)
    def shape(scan: Any) -> Any:
        return scan.projects, [(c.purl, c.usages) for c in scan.components]
    assert shape(alone) == shape(scans["billing"])


def test_digest_is_stable_and_content_sensitive() -> None:
    document = small_report()
    first, again = next(repository_scans(document)), next(repository_scans(json.loads(json.dumps(document))))
    changed = next(repository_scans(mutated(document, "components[0].license.expression", "Apache-2.0")))
    assert first.digest == again.digest != changed.digest


def test_repository_name_only_for_one_repository(org_report: dict[str, Any]) -> None:
    assert next(repository_scans(small_report(), repository_name="renamed")).repository == "renamed"
    with pytest.raises(StoreError, match=r"^report: repositories: a repository name can only be given"):
        list(repository_scans(org_report, repository_name="renamed"))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("components[1].usages[0].project", 7, r"components\[1\]\.usages\[0\]\.project: expected a string"),
        ("components[0].usages[0].project", "npm:elsewhere", r"components\[0\]\.usages\[0\]\.project: 'npm:elsewhere' is not the id"),
        ("components[0].usages", None, r"components\[0\]\.usages: expected a list, found null"),
        ("components[0].usages", {}, r"components\[0\]\.usages: expected a list"),
        ("components[0]", [], r"components\[0\]: expected an object"),
        ("components[0].purl", "not a purl", r"components\[0\]\.purl: not a package URL"),
        ("components[0].purl", DELETE, r"components\[0\]\.purl: expected a string, found null"),
        ("components[0].license", [], r"components\[0\]\.license: expected an object"),
        ("components[0].first_party", "yes", r"components\[0\]\.first_party: expected true or false"),
        ("components", None, r"components: expected a list, found null"),
        ("repositories", [], r"repositories: the report names no repository"),
        ("repositories[0].root", None, r"repositories\[0\]\.root: expected a string"),
        ("projects[0].repository", "nowhere", r"projects\[0\]\.repository: 'nowhere' is not the id"),
        ("analysis.gaps.items[0].location.line", "3", r"analysis\.gaps\.items\[0\]\.location\.line: expected a whole number"),
        ("analysis.gaps.items[0].location.line", True, r"analysis\.gaps\.items\[0\]\.location\.line: expected a whole number or null, found a boolean"),
        ("analysis.gaps", [], r"analysis\.gaps: expected an object"),
        ("components[0].name", "nul\x00byte", r"components\[0\]\.name: contains a NUL character"),
        ("components[0].name", "\ud800", r"components\[0\]\.name: is not valid Unicode text"),
        ("policy", {"violations": None}, r"policy\.violations: expected a list"),
        ("tool", None, r"tool: expected an object"),
        ("schema_version", 1, r"schema_version: this ospo-scan stores reports of schema version"),
    ],
)
def test_hostile_documents_name_the_key_path(path: str, value: Any, message: str) -> None:
    document = mutated(small_report(), path, value)
    with pytest.raises(StoreError, match=rf"^scan\.json: {message}"):
        list(repository_scans(document, source="scan.json"))


@pytest.mark.parametrize("document", [None, [], "text", 3])
def test_not_an_object(document: Any) -> None:
    with pytest.raises(StoreError, match=r"^scan\.json: expected an object"):
        list(repository_scans(document, source="scan.json"))


def test_huge_strings_are_stored(store_url: str) -> None:
    document = mutated(small_report(), "components[0].name", "x" * 2_000_000)
    with open_store(store_url) as store:
        with store.write_snapshot(None, "2026-01-01T00:00:00Z") as writer:
            assert writer.add(next(repository_scans(document)))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not JSON"), (b'{"a": 1}', "not an ospo-scan JSON report"), (b"[]", "not an ospo-scan JSON report")],
)
def test_read_scan_file_names_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "scan.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=rf"^{path}: {message}"):
        list(read_scan_file(path))
    with pytest.raises(StoreError, match=r"cannot read"):
        list(read_scan_file(tmp_path / "absent.json"))


def test_sqlite_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"does not exist"):
        open_store(str(tmp_path / "absent" / "x.db"))
    not_db = tmp_path / "notes.db"
    not_db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=rf"^{not_db}: "):
        open_store(str(not_db))


def test_postgres_password_is_masked() -> None:
    assert display_name("postgresql://ops:s3cret@db/inventory") == "postgresql://ops:***@db/inventory"
    assert display_name("postgres://ops@db/inventory") == "postgres://ops@db/inventory"


@pytest.mark.parametrize(
    ("text", "ecosystem", "namespace", "name"),
    [
        ("lodash", None, None, "lodash"),
        ("pkg:npm/lodash", "npm", None, "lodash"),
        ("pkg:npm/@babel/*", "npm", "@babel", "%"),
        ("pkg:npm/%40babel/core", "npm", "@babel", "core"),
        ("pkg:maven/org.apache.logging.log4j/log4j-core", "maven", "org.apache.logging.log4j", "log4j-core"),
        ("pkg:maven/org.apache.*/*", "maven", "org.apache.%", "%"),
        ("pkg:pypi/Python_Dateutil", "pypi", None, "python-dateutil"),
        ("under_score", None, None, "under\\_score"),
    ],
)
def test_query_parsing(text: str, ecosystem: str | None, namespace: str | None, name: str) -> None:
    query = PackageQuery.parse(text)
    assert (query.ecosystem, query.namespace, query.name) == (ecosystem, namespace, name.lower())


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("pkg:npm/lodash <4.17.21", "4.17.20", "4.17.21"),
        ("pkg:npm/lodash ^4.17.0", "4.18.0", "5.0.0"),
        ("pkg:npm/lodash >=1.0.0 <2.0.0", "1.5.0", "2.0.0"),
        ("pkg:maven/org.apache.logging.log4j/log4j-core [2.0,2.17.1)", "2.14.1", "2.17.1"),
        ("pkg:maven/org.apache.logging.log4j/log4j-core <2.17.1", "2.14.1", "2.17.1"),
        ("pkg:pypi/django >=4,<5", "4.2.1", "5.0"),
        ("pkg:golang/golang.org/x/net <v0.23.0", "v0.22.0", "v0.23.0"),
        ("pkg:npm/lodash vers:npm/>=4.0.0|<5.0.0", "4.1.0", "5.0.0"),
        ("pkg:npm/lodash@4.17.21", "4.17.21", "4.17.20"),
    ],
)
def test_version_ranges(text: str, inside: str, outside: str) -> None:
    query = PackageQuery.parse(text)
    assert query.matches_version(inside) and not query.matches_version(outside)
    assert not query.matches_version(None)
    if query.ecosystem != "maven":  # Maven's ordering reads any text as a version
        assert not query.matches_version("a-branch-name")


@pytest.mark.parametrize(
    ("text", "message"),
    [("lodash <2", "needs an ecosystem"), ("pkg:cargo/serde <1", "not supported for ecosystem 'cargo'"), ("pkg:npm/lodash ~~~", "not a npm version range"), ("", "empty"), ("pkg:npm", "needs a type and a name")],
)
def test_bad_queries(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PackageQuery.parse(text)
