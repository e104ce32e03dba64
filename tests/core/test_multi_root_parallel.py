"""Many small repositories in one scan share one worker pool, and give what a serial scan gives.

Each repository here holds too few files to start a pool on its own; together they cross
the threshold, so the pool really starts (it is watched), once for the whole scan.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import ospo_scan.parallel as parallel
from ospo_scan.parallel import CHUNKS_IN_FLIGHT_PER_WORKER, MIN_FILES_PER_WORKER
from ospo_scan.reporters.json_report import dumps, to_document
from ospo_scan.scan import ScanOptions, ScanPhase, scan

REPOSITORIES = 3 * MIN_FILES_PER_WORKER
"""Two single-file manifests each: a few roots' worth would not start a pool, all of them do."""

BROKEN = 7
"""The repository whose package.json is not JSON."""

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId><artifactId>service{index}</artifactId><version>1.0</version>
  <dependencies>
    <dependency><groupId>org.example.libs</groupId><artifactId>shared-lib</artifactId><version>3.{index}</version></dependency>
  </dependencies>
</project>
"""


def _organization(root: Path) -> list[Path]:
    """REPOSITORIES small repositories: a requirements.txt, a package.json and, in every
    third one, a pom.xml (parsed in the scanning process while the workers parse)."""
    repositories = []
    for index in range(REPOSITORIES):
        repository = root / f"repo{index:03d}"
        repository.mkdir(parents=True)
        (repository / "requirements.txt").write_text(f"requests==2.31.0\nonly-in-{index}==1.{index}\n")
        package = "{not json" if index == BROKEN else '{"name": "web%d", "dependencies": {"left-pad": "1.%d.0"}}' % (index, index)
        (repository / "package.json").write_text(package)
        if index % 3 == 0:
            (repository / "pom.xml").write_text(_POM.format(index=index))
        repositories.append(repository)
    return repositories


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker count of every pool the scan starts."""
    started: list[int] = []

    def start(workers: int) -> ProcessPoolExecutor | None:
        started.append(workers)
        return ProcessPoolExecutor(max_workers=workers)

    monkeypatch.setattr(parallel, "_start_pool", start)
    return started


def _options(jobs: int) -> ScanOptions:
    return ScanOptions(jobs=jobs, user_defaults=False)


def test_one_pool_for_all_roots_gives_the_serial_report_byte_for_byte(tmp_path: Path, pools: list[int]) -> None:
    repositories = _organization(tmp_path)
    serial = scan(repositories, _options(1))
    assert pools == []
    parallel_inventory = scan(repositories, _options(2))
    assert pools == [2]  # one pool, whole scan, though no repository alone would start one
    assert parallel_inventory == serial
    assert dumps(to_document(parallel_inventory)) == dumps(to_document(serial))


def test_a_file_that_fails_to_parse_costs_only_itself(tmp_path: Path, pools: list[int]) -> None:
    repositories = _organization(tmp_path)
    inventory = scan(repositories, _options(2))
    assert pools == [2]
    purls = {component.purl for component in inventory.components}
    assert len(inventory.repositories) == REPOSITORIES
    assert {f"pkg:pypi/only-in-{index}@1.{index}" for index in range(REPOSITORIES)} <= purls
    npm = {f"pkg:npm/left-pad@1.{index}.0" for index in range(REPOSITORIES)}
    assert purls & npm == npm - {f"pkg:npm/left-pad@1.{BROKEN}.0"}
    assert {f"pkg:maven/org.example.libs/shared-lib@3.{index}" for index in range(0, REPOSITORIES, 3)} <= purls
    broken = [issue for issue in inventory.issues if issue.path == f"{repositories[BROKEN].as_posix()}/package.json"]
    assert len(broken) == 1


def _worker_dies(tasks: list[tuple[str, int, str, str]]) -> list[object]:
    """Stands in for a worker killed by the OS."""
    os._exit(1)


def test_a_broken_pool_falls_back_to_parsing_here_and_loses_nothing(tmp_path: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    repositories = _organization(tmp_path)
    serial = scan(repositories, _options(1))
    monkeypatch.setattr(parallel, "_parse_tasks", _worker_dies)
    assert scan(repositories, _options(2)) == serial
    assert pools == [2]


def test_progress_arrives_in_order_with_one_pool(tmp_path: Path, pools: list[int]) -> None:
    repositories = _organization(tmp_path)
    calls: list[tuple[ScanPhase, int, int]] = []
    inventory = scan(repositories, _options(2), progress=lambda phase, done, total: calls.append((phase, done, total)))
    assert pools == [2]
    count = len(repositories)
    discovering = [index for index, call in enumerate(calls) if call[0] is ScanPhase.DISCOVERING]
    resolving = [index for index, call in enumerate(calls) if call[0] is ScanPhase.RESOLVING]
    assert [calls[i][1:] for i in discovering] == [(root, count) for root in range(count)]
    assert [calls[i][1:] for i in resolving] == [(root, count) for root in range(count)]
    assert all(walked < resolved for walked, resolved in zip(discovering, resolving))
    # Roots are walked as the workers need work, not all before the first is resolved.
    assert count > 2 * CHUNKS_IN_FLIGHT_PER_WORKER and resolving[0] < discovering[-1]
    parsing = [(done, total) for phase, done, total in calls if phase is ScanPhase.PARSING]
    assert all(0 <= done <= total for done, total in parsing)
    assert [done for done, _ in parsing] == sorted(done for done, _ in parsing)
    assert [total for _, total in parsing] == sorted(total for _, total in parsing)
    assert parsing[-1] == (inventory.files_scanned, inventory.files_scanned)
    assert inventory.files_scanned == 2 * count + len(range(0, count, 3))
    assert calls[-1] == (ScanPhase.LICENSES, 0, 1)


def test_too_few_files_overall_start_no_pool(tmp_path: Path, pools: list[int]) -> None:
    repositories = _organization(tmp_path)[: MIN_FILES_PER_WORKER - 1]  # 2 files each: under 2 x 16
    inventory = scan(repositories, _options(2))
    assert pools == []
    assert inventory == scan(repositories, _options(1))
