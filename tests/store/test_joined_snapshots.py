"""Many writers building one snapshot (`--join`): on both backends, at once."""

from __future__ import annotations

import dataclasses
import multiprocessing
from typing import Any

import pytest

from ospo_scan.store.database import DatabaseStore
from ospo_scan.store.errors import StoreError
from ospo_scan.store.ingest import digest_of, repository_scans
from ospo_scan.store.interface import open_store
from ospo_scan.store.model import RepositoryScan
from tests.store.documents import component, small_report


def _scan(repository: str, commit: str = "abc123", components: list[dict[str, Any]] | None = None) -> RepositoryScan:
    scan = next(repository_scans(small_report(repository, components=components, commit=commit)))
    return dataclasses.replace(scan, digest=digest_of(scan))


def _join(url: str, scan: RepositoryScan, label: str = "nightly") -> None:
    with open_store(url) as store:
        with store.write_snapshot(label, "2026-12-01T00:00:00Z", join=True) as writer:
            writer.add(scan)


def _purls_of(store: DatabaseStore, snapshot_id: int, repository: str) -> set[str]:
    rows = store.rows(
        """SELECT c.purl FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id JOIN components c ON c.scan_id = r.id
           WHERE ss.snapshot_id = ? AND r.repository = ? AND c.first_party = 0""",
        (snapshot_id, repository),
    )
    return {row[0] for row in rows}


def test_joining_adds_to_the_newest_snapshot_with_the_label(store_url: str) -> None:
    _join(store_url, _scan("api"))
    _join(store_url, _scan("web"))
    with open_store(store_url) as store:
        records = store.snapshots()
        assert [(r.label, r.repositories) for r in records] == [("nightly", 2)]


def test_joining_a_label_nobody_used_starts_a_snapshot_and_other_labels_stay_apart(store_url: str) -> None:
    _join(store_url, _scan("api"), label="2026-12-01")
    _join(store_url, _scan("api"), label="2026-12-02")
    with open_store(store_url) as store:
        assert [(r.label, r.repositories) for r in store.snapshots()] == [("2026-12-01", 1), ("2026-12-02", 1)]


def test_a_repository_joined_again_replaces_its_earlier_scan(store_url: str) -> None:
    old = [component("pkg:npm/lodash@4.17.20", "lodash", "4.17.20", "npm:.")]
    new = [component("pkg:npm/lodash@4.17.21", "lodash", "4.17.21", "npm:.")]
    _join(store_url, _scan("api", commit="c1", components=old))
    _join(store_url, _scan("web"))
    _join(store_url, _scan("api", commit="c2", components=new))
    with open_store(store_url) as store:
        assert isinstance(store, DatabaseStore)
        [record] = store.snapshots()
        assert record.repositories == 2
        assert _purls_of(store, record.id, "api") == {"pkg:npm/lodash@4.17.21"}


def test_one_write_still_refuses_two_scans_of_one_repository(store_url: str) -> None:
    with open_store(store_url) as store:
        with pytest.raises(StoreError, match="one scan per repository"):
            with store.write_snapshot("nightly", "2026-12-01T00:00:00Z", join=True) as writer:
                writer.add(_scan("api", commit="c1"))
                writer.add(_scan("api", commit="c2"))
        assert store.snapshots() == []


def test_joining_needs_a_label(store_url: str) -> None:
    with open_store(store_url) as store:
        with pytest.raises(StoreError, match="needs its label"):
            with store.write_snapshot(None, "2026-12-01T00:00:00Z", join=True):
                pass


def _joining_writer(url: str, index: int, ready: Any) -> None:
    ready.wait()
    _join(url, _scan(f"svc-{index}"))


def test_eight_jobs_joining_one_label_at_once_all_land_in_one_snapshot(store_url: str) -> None:
    with open_store(store_url):
        pass  # migrated before the race: the race under test is the lookup of the snapshot
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    jobs = [context.Process(target=_joining_writer, args=(store_url, i, ready)) for i in range(8)]
    for job in jobs:
        job.start()
    ready.set()
    for job in jobs:
        job.join(timeout=120)
    assert [job.exitcode for job in jobs] == [0] * 8
    with open_store(store_url) as store:
        assert isinstance(store, DatabaseStore)
        [record] = store.snapshots()
        assert record.label == "nightly"
        assert record.repositories == 8
        names = {row[0] for row in store.rows("SELECT r.repository FROM snapshot_scans ss JOIN repository_scans r ON r.id = ss.scan_id")}
        assert names == {f"svc-{i}" for i in range(8)}
