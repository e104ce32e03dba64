"""Scanning many repositories for the store: attribution, parallel = serial, failures contained."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import ospo_scan.organization_scan as organization_scan
from ospo_scan.organization_scan import RepositoryOutcome, RepositoryRequest, scan_repositories
from ospo_scan.scan import ScanOptions

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "polyglot-shop"


def _python_repository(path: Path, *requirements: str) -> Path:
    path.mkdir(parents=True)
    (path / ".git").mkdir()
    (path / "requirements.txt").write_text("".join(f"{line}\n" for line in requirements))
    return path


def _npm_repository(path: Path, dependencies: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    (path / "package.json").write_text(json.dumps({"name": path.name, "version": "1.0.0", "dependencies": dependencies}))
    return path


@pytest.fixture
def organization(tmp_path: Path) -> list[Path]:
    """Four repositories sharing some packages at different versions, the example among them."""
    shutil.copytree(EXAMPLE, tmp_path / "polyglot-shop")
    return [
        _python_repository(tmp_path / "billing", "requests==2.31.0", "flask==3.0.0"),
        _python_repository(tmp_path / "reports", "requests==2.28.0", "jinja2==3.1.2"),
        _npm_repository(tmp_path / "site", {"left-pad": "1.3.0"}),
        tmp_path / "polyglot-shop",
    ]


def _request() -> RepositoryRequest:
    return RepositoryRequest(options=ScanOptions(licenses=None))


def _by_path(outcomes: list[RepositoryOutcome]) -> dict[Path, RepositoryOutcome]:
    return {outcome.path: outcome for outcome in outcomes}


def test_every_component_belongs_to_the_repositories_that_use_it(organization: list[Path]) -> None:
    outcomes = _by_path(list(scan_repositories(organization, _request(), jobs=1)))
    for path in organization:
        (stored,) = outcomes[path].scans
        assert stored.repository == path.name
        own = {project.id for project in stored.projects}
        for component in stored.components:
            assert component.usages, component.purl
            assert {usage.project for usage in component.usages} <= own
    names = {path.name: {c.name for c in outcomes[path].scans[0].components} for path in organization}
    assert "flask" in names["billing"] and "flask" not in names["reports"]
    assert "jinja2" in names["reports"] and "jinja2" not in names["billing"]
    versions = {path.name: {c.version for c in outcomes[path].scans[0].components if c.name == "requests"} for path in organization[:2]}
    assert versions == {"billing": {"2.31.0"}, "reports": {"2.28.0"}}


def test_parallel_gives_the_same_records_as_serial(organization: list[Path]) -> None:
    serial = _by_path(list(scan_repositories(organization, _request(), jobs=1)))
    parallel = _by_path(list(scan_repositories(organization, _request(), jobs=2)))
    assert serial.keys() == parallel.keys()
    for path in organization:
        assert parallel[path].scans == serial[path].scans
        assert parallel[path].components == serial[path].components


def test_a_missing_repository_fails_alone(organization: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    outcomes = _by_path(list(scan_repositories([*organization, missing], _request(), jobs=2)))
    assert outcomes[missing].error is not None and str(missing) in outcomes[missing].error
    assert outcomes[missing].scans == ()
    assert all(outcomes[path].scans for path in organization)


def test_a_worker_that_dies_fails_only_its_repository(organization: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-scan (out of memory, a signal) breaks the pool; the other
    repositories are still scanned, by a new pool."""
    real_scan = organization_scan.scan

    def dying_scan(paths: list[Path], options: ScanOptions) -> object:
        if paths[0].name == "reports":
            os._exit(9)  # what the OOM killer leaves: no exception, no result
        return real_scan(paths, options)

    monkeypatch.setattr(organization_scan, "scan", dying_scan)  # fork: workers inherit the patch
    outcomes = _by_path(list(scan_repositories(organization, _request(), jobs=2)))
    assert set(outcomes) == set(organization)
    dead = outcomes[organization[1]]
    assert dead.error is not None and "died" in dead.error and dead.scans == ()
    for path in (organization[0], organization[2], organization[3]):
        assert outcomes[path].error is None and outcomes[path].scans, path
