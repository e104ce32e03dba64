"""Migrations, interrupted writes, a killed writer and eight writers at once, on both backends."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.store.database import DatabaseStore
from ospo_scan.store.ingest import digest_of, repository_scans
from ospo_scan.store.interface import open_store
from ospo_scan.store.model import RepositoryScan
from ospo_scan.store.schema import LATEST_VERSION, MIGRATIONS
from tests.store.documents import small_report

ROOT = Path(__file__).resolve().parents[2]


def _raw(url: str) -> DatabaseStore:
    """A store on `url` that has applied no migration (to build an old database)."""
    if url.startswith("postgresql://"):
        import psycopg

        from ospo_scan.store.postgres import DIALECT as PG, PostgresStore

        return PostgresStore(psycopg.connect(url, autocommit=True), PG, url)
    from ospo_scan.store.sqlite import DIALECT, SqliteStore

    return SqliteStore(sqlite3.connect(url, isolation_level=None), DIALECT, url)


def _counts(url: str) -> tuple[Any, ...]:
    with open_store(url) as store:
        assert isinstance(store, DatabaseStore)
        return tuple(store.rows(f"SELECT COUNT(*) FROM {table}")[0][0] for table in ("snapshots", "repository_scans", "components", "usages", "gaps"))


def test_migration_from_version_1_keeps_the_data(store_url: str) -> None:
    old = _raw(store_url)
    with old.transaction():
        for statement in MIGRATIONS[0].statements:
            old.execute(statement.replace("{id}", old.dialect.id_column))
        old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        old.execute("INSERT INTO schema_version (version) VALUES (1)")
        old.execute("INSERT INTO repository_scans (repository, commit_id, commit_key, digest, tool_version, status, has_policy) VALUES ('legacy', NULL, '', 'd1', '0.0.9', 'complete', 0)")
        old.execute("INSERT INTO snapshots (label, taken_at) VALUES ('old', '2025-01-01T00:00:00Z')")
        old.execute("INSERT INTO snapshot_scans (snapshot_id, scan_id) VALUES (1, 1)")
        old.execute("INSERT INTO projects (scan_id, project, ecosystem, path) VALUES (1, 'npm:.', 'npm', '.')")
        old.execute("""INSERT INTO components (scan_id, purl, ecosystem, namespace, purl_name, name, version, license, category, first_party, direct)
                       VALUES (1, 'pkg:npm/left-pad@1.3.0', 'npm', NULL, 'left-pad', 'left-pad', '1.3.0', 'WTFPL', 'permissive', 0, 1)""")
        old.execute("INSERT INTO usages (component_id, project, lifecycle, directness) VALUES (1, 'npm:.', 'runtime', 'direct')")
    assert old.schema_version() == 1
    old.close()
    with open_store(store_url) as store:
        assert isinstance(store, DatabaseStore) and store.schema_version() == LATEST_VERSION
        [record] = store.snapshots()
        assert (record.label, record.repositories, record.components) == ("old", 1, 1)
        assert [u.purl for u in store.repositories_with_license(record.id, "wtfpl")] == ["pkg:npm/left-pad@1.3.0"]
    with open_store(store_url) as again:  # opening a current database changes nothing
        assert isinstance(again, DatabaseStore) and again.schema_version() == LATEST_VERSION


@pytest.mark.parametrize("interruption", [RuntimeError("boom"), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_nothing(store_url: str, interruption: BaseException) -> None:
    with open_store(store_url) as store:
        with store.write_snapshot("kept", "2026-01-01T00:00:00Z") as writer:
            writer.add(next(repository_scans(small_report("kept"))))
    before = _counts(store_url)
    with open_store(store_url) as store:
        with pytest.raises(type(interruption)):
            with store.write_snapshot("lost", "2026-01-02T00:00:00Z") as writer:
                writer.add(next(repository_scans(small_report("lost"))))
                raise interruption
        assert [r.label for r in store.snapshots()] == ["kept"]
        with store.write_snapshot("after", "2026-01-03T00:00:00Z") as writer:  # the connection still writes
            writer.add(next(repository_scans(small_report("kept"))))
    assert _counts(store_url)[1:] == before[1:]


_KILLED_WRITER = """
import sys, time
from ospo_scan.store.ingest import repository_scans
from ospo_scan.store.interface import open_store
from tests.store.documents import small_report
with open_store(sys.argv[1]) as store:
    with store.write_snapshot("killed", "2026-01-02T00:00:00Z") as writer:
        writer.add(next(repository_scans(small_report("doomed"))))
        print("ready", flush=True)
        time.sleep(60)
"""


def test_a_writer_killed_mid_write_leaves_the_database_as_before(store_url: str) -> None:
    with open_store(store_url) as store:
        with store.write_snapshot("kept", "2026-01-01T00:00:00Z") as writer:
            writer.add(next(repository_scans(small_report("kept"))))
    before = _counts(store_url)
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, store_url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    time.sleep(0.2)  # PostgreSQL notices the closed socket and rolls back
    assert _counts(store_url) == before
    with open_store(store_url) as store:
        assert [r.label for r in store.snapshots()] == ["kept"]
        with store.write_snapshot("next", "2026-01-03T00:00:00Z") as writer:
            assert writer.add(next(repository_scans(small_report("doomed"))))


def _service(index: int) -> RepositoryScan:
    scan = next(repository_scans(small_report(f"svc-{index}")))
    return dataclasses.replace(scan, digest=digest_of(scan))


def _write(url: str, index: int, shared: list[RepositoryScan], ready: Any) -> None:
    ready.wait()
    with open_store(url) as store:
        with store.write_snapshot(f"writer-{index}", f"2026-01-01T00:00:{index:02d}Z") as writer:
            for scan in [*shared, _service(index)] if index % 2 else [_service(index), *reversed(shared)]:
                writer.add(scan)


def test_eight_concurrent_writers(store_url: str) -> None:
    shared = [next(repository_scans(small_report(name))) for name in ("shared-a", "shared-b")]
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    writers = [context.Process(target=_write, args=(store_url, i, shared, ready)) for i in range(8)]
    for process in writers:
        process.start()
    ready.set()  # all open the fresh database at once: the migration races too
    for process in writers:
        process.join(timeout=120)
    assert [p.exitcode for p in writers] == [0] * 8
    with open_store(store_url) as store:
        records = store.snapshots()
        assert sorted(r.label or "" for r in records) == [f"writer-{i}" for i in range(8)]
        assert all(r.repositories == 3 for r in records)
        assert isinstance(store, DatabaseStore)
        assert store.rows("SELECT COUNT(*) FROM repository_scans") == [(8 + len(shared),)]
        assert store.rows("SELECT COUNT(*) FROM schema_version") == [(1,)]
