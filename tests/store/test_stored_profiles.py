"""Assessment profiles kept beside scans (`snapshot save`; read by `assess --db`), on both backends."""

from __future__ import annotations

import dataclasses

from ospo_scan.assessment.profile_document import profile_json
from ospo_scan.store.ingest import repository_scans
from ospo_scan.store.interface import open_store
from tests.reporters.assessment.factory import CHECKS, assessment
from tests.store.documents import small_report


def test_the_store_keeps_a_scans_profile_and_an_import_of_the_same_scan_adds_nothing(store_url: str) -> None:
    profile = assessment().profiles[0]
    text = profile_json(profile, CHECKS)
    scan = next(repository_scans(small_report("svc")))
    with open_store(store_url) as store:
        with store.write_snapshot("saved", "2026-12-01T00:00:00Z") as writer:
            assert writer.add(dataclasses.replace(scan, profile=text))
        with store.write_snapshot("imported", "2026-12-02T00:00:00Z") as writer:
            assert not writer.add(scan)  # the same scan without a profile: one scan, its profile kept
        for record in store.snapshots():
            assert store.profiles(record.id) == {"svc": text}
