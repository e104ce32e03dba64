"""Readiness for publication on fixture repositories scanned and analyzed for real: each
item with its reason, required first, then by id."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ospo_scan.analysis import analyze
from ospo_scan.assessment.checks import BUILT_IN_CHECKS
from ospo_scan.assessment.health import run_checks
from ospo_scan.assessment.model import CheckSeverity, CheckStatus, ReadinessItem
from ospo_scan.assessment.own_license import own_license
from ospo_scan.assessment.readiness import NAMED, readiness_items
from ospo_scan.scan import ScanOptions, scan
from tests.assessment.test_own_license import MIT_TEXT, apache_text, write

OPTIONS = ScanOptions(user_defaults=False, jobs=1)
SECURITY_TEXT = "Report a vulnerability to security@example.org.\n"


def npm_project(root: Path, own: str | None, dependencies: dict[str, tuple[str, str | None]], dev: dict[str, tuple[str, str | None]] | None = None) -> None:
    """package.json and package-lock.json: name -> (version, license as the lock says it)."""
    dev = dev or {}
    manifest: dict[str, object] = {"name": "app", "version": "1.0.0", "dependencies": {n: v for n, (v, _) in dependencies.items()}, "devDependencies": {n: v for n, (v, _) in dev.items()}}
    if own is not None:
        manifest["license"] = own
    packages: dict[str, object] = {"": dict(manifest)}
    for name, (version, license_) in {**dependencies, **dev}.items():
        entry: dict[str, object] = {"version": version, "resolved": f"https://example.invalid/{name}-{version}.tgz", "integrity": "sha512-x"}
        if license_ is not None:
            entry["license"] = license_
        if name in dev:
            entry["dev"] = True
        packages[f"node_modules/{name}"] = entry
    write(root, "package.json", json.dumps(manifest))
    write(root, "package-lock.json", json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}))


def readiness(root: Path, repository_id: str = ".") -> tuple[ReadinessItem, ...]:
    inventory = scan([root], OPTIONS)
    own = own_license(root, inventory, repository_id)
    results, _ = run_checks(root, BUILT_IN_CHECKS, own.expression)
    return readiness_items(own, results, analyze(inventory), inventory, repository_id)


def healthy(root: Path) -> None:
    """Every built-in health file, so that only what a test adds stands in the way."""
    for name in ("README.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "CODEOWNERS", "CHANGELOG.md", "NOTICE"):
        write(root, name, "text\n")
    write(root, "SECURITY.md", SECURITY_TEXT)


def test_a_healthy_mit_repository_with_permissive_dependencies_is_ready(tmp_path: Path) -> None:
    healthy(tmp_path)
    write(tmp_path, "LICENSE", MIT_TEXT)
    npm_project(tmp_path, "MIT", {"left-pad": ("1.3.0", "WTFPL"), "ms": ("2.1.3", "MIT")})
    assert readiness(tmp_path) == ()


def test_a_repository_with_several_gaps_lists_each_required_first_then_by_id(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE", apache_text())
    write(tmp_path, "README.md", "# app\n")
    deps = {
        "gpl-lib": ("1.0.0", "GPL-3.0-only"),
        "busl-db": ("2.0.0", "BUSL-1.1"),
        "mystery": ("0.1.0", None),
        "ms": ("2.1.3", "MIT"),
    }
    npm_project(tmp_path, "MIT", deps, dev={"dev-only-gpl": ("1.0.0", "GPL-3.0-only"), "dev-unknown": ("1.0.0", None)})
    items = readiness(tmp_path)
    by_id = {item.id: item for item in items}
    required = ["incompatible-dependencies", "license-file-disagrees", "notice", "restricted-dependencies", "security-policy"]
    recommended = ["changelog", "code-of-conduct", "codeowners-or-maintainers", "contributing", "unknown-dependency-licenses"]
    assert [item.id for item in items] == required + recommended
    assert {item.id for item in items if item.severity is CheckSeverity.REQUIRED} == set(required)
    assert by_id["license-file-disagrees"].reason == "package.json says MIT, but LICENSE is Apache-2.0"
    assert by_id["incompatible-dependencies"].reason.startswith("1 runtime dependency whose license cannot be combined with the repository's: gpl-lib 1.0.0 is licensed GPL-3.0-only")
    assert by_id["restricted-dependencies"].reason.endswith(": busl-db 2.0.0 (BUSL-1.1)")
    assert by_id["unknown-dependency-licenses"].reason.endswith(": mystery 0.1.0")
    assert "dev-" not in " ".join(item.reason for item in items)
    assert by_id["notice"].reason.startswith("missing: a NOTICE file")


def test_no_license_at_all_is_required_and_not_osi_approved_too(tmp_path: Path) -> None:
    healthy(tmp_path)
    npm_project(tmp_path, None, {})
    items = readiness(tmp_path)
    assert [(i.id, i.severity) for i in items] == [("license-file", CheckSeverity.REQUIRED), ("license-missing", CheckSeverity.REQUIRED)]
    write(tmp_path, "LICENSE", MIT_TEXT)
    npm_project(tmp_path, "SSPL-1.0", {})
    items = readiness(tmp_path)
    assert [i.id for i in items] == ["license-file-disagrees"]
    (tmp_path / "LICENSE").unlink()
    items = readiness(tmp_path)
    assert [i.id for i in items] == ["license-file", "license-not-osi-approved"]
    assert items[1].reason == "the license SSPL-1.0 is not OSI-approved (SSPL-1.0): it is not open source by the OSI's definition"


def test_a_license_text_not_recognized_is_required(tmp_path: Path) -> None:
    healthy(tmp_path)
    write(tmp_path, "LICENSE", "You may look at this code but not touch it.\n")
    npm_project(tmp_path, "MIT", {})
    items = readiness(tmp_path)
    assert [(i.id, i.severity) for i in items] == [("license-not-recognized", CheckSeverity.REQUIRED)]
    assert items[0].reason.startswith("LICENSE: ")


def test_optional_checks_are_never_items_and_recommended_keep_their_severity(tmp_path: Path) -> None:
    inventory = scan([tmp_path], OPTIONS)
    own = own_license(tmp_path, inventory, ".")
    results = list(run_checks(tmp_path, BUILT_IN_CHECKS, None)[0])
    demoted = [replace(r, check=replace(r.check, severity=CheckSeverity.OPTIONAL)) for r in results]
    items = readiness_items(own, demoted, analyze(inventory), inventory, ".")
    assert {i.id for i in items} == {"license-missing"}
    items = readiness_items(own, results, analyze(inventory), inventory, ".")
    missing = {r.check.id: r.check.severity for r in results if r.status is CheckStatus.MISSING}
    assert {i.id: i.severity for i in items if i.id in missing} == missing


def test_many_unknown_licenses_are_one_item_naming_five(tmp_path: Path) -> None:
    healthy(tmp_path)
    write(tmp_path, "LICENSE", MIT_TEXT)
    names = [f"unknown-{index}" for index in range(8)]
    npm_project(tmp_path, "MIT", {name: ("1.0.0", None) for name in names})
    [item] = readiness(tmp_path)
    assert item.id == "unknown-dependency-licenses" and item.severity is CheckSeverity.RECOMMENDED
    shown = [name for name in names if f"{name} 1.0.0" in item.reason]
    assert len(shown) == NAMED and shown == sorted(names)[:NAMED]
    assert item.reason.startswith(f"{len(names)} runtime dependencies") and item.reason.endswith(f"and {len(names) - NAMED} more")


def test_dependencies_of_another_repository_do_not_count(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    healthy(mine)
    write(mine, "LICENSE", MIT_TEXT)
    npm_project(mine, "MIT", {"ms": ("2.1.3", "MIT")})
    npm_project(theirs, "MIT", {"gpl-lib": ("1.0.0", "GPL-3.0-only")})
    inventory = scan([mine, theirs], OPTIONS)
    repository = next(p.repository for p in inventory.projects if p.repository.endswith("mine"))
    own = own_license(mine, inventory, repository)
    results, _ = run_checks(mine, BUILT_IN_CHECKS, own.expression)
    assert readiness_items(own, results, analyze(inventory), inventory, repository) == ()


def test_the_list_is_deterministic(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE", apache_text())
    npm_project(tmp_path, "MIT", {f"gpl-{i}": ("1.0.0", "GPL-2.0-only") for i in range(7)})
    assert readiness(tmp_path) == readiness(tmp_path)
