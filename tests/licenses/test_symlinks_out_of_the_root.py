"""Issue 13, item 1: the license stage reads nothing through a symlink leading out of the
scanned tree, nor out of a cache the user named (a --python-env environment, the Go module
cache, the local Maven repository); every refusal is a reason and a warning issue.

Each tree is built here. The files outside carry GPL-3.0 texts and declarations, so a
conclusion naming GPL would mean something outside was read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.model import Component, Inventory, ScanIssue, Severity
from ospo_scan.scan import ScanOptions, scan
from tests.licenses import texts

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")

GPL = "GPL-3.0-only"
MIT_TEXT = texts.MIT.format(holder=texts.HOLDERS[0])
REFUSED = "a symlink leading out of the scanned tree"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _package(folder: Path, name: str, version: str, license_: str) -> None:
    _write(folder / "package.json", json.dumps({"name": name, "version": version, "license": license_}))


def _dist(site: Path, name: str, version: str, *headers: str) -> Path:
    folder = site / f"{name}-{version}.dist-info"
    _write(folder / "METADATA", "\n".join(["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}", *headers]) + "\n\n")
    return folder


def _venv(folder: Path) -> Path:
    _write(folder / "pyvenv.cfg", "home = /usr/bin\n")
    site = folder / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    return site


def _by_name(inventory: Inventory) -> dict[str, Component]:
    return {component.name: component for component in inventory.components}


def _refusals(inventory: Inventory) -> dict[str, ScanIssue]:
    return {issue.path: issue for issue in inventory.issues if issue.code == "symlink-outside-root"}


def _nothing_from_outside(inventory: Inventory, outside: Path) -> None:
    """No conclusion rests on, and no license file lies in, the folder outside."""
    real_outside = os.path.realpath(outside)
    for component in inventory.components:
        info = component.license
        assert info is not None
        assert GPL not in (info.expression or ""), component.name
        assert all(GPL not in evidence.value for evidence in info.evidence), component.name
        assert not any(path.startswith(real_outside) for path in info.license_files), component.name


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the scanned tree, holding GPL packages and texts."""
    folder = tmp_path_factory.mktemp("outside")
    _package(folder / "nested" / "b", "b", "1.0.0", GPL)
    _package(folder / "modules" / "c", "c", "1.0.0", GPL)
    _write(folder / "licenses" / "LICENSE", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n")
    _write(folder / "secret.txt", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n")
    _dist(_venv(folder / "env"), "ghost", "2.0", f"License-Expression: {GPL}")
    return folder


def test_license_stage_follows_no_symlink_out_of_the_root(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "root"
    _write(root / "package.json", json.dumps({"name": "me", "version": "1.0.0", "dependencies": {"a": "1.0.0", "b": "1.0.0", "c": "1.0.0"}}))
    _package(root / "node_modules" / "a", "a", "1.0.0", "MIT")
    (root / "node_modules" / "a" / "LICENSE").symlink_to(outside / "secret.txt")
    (root / "node_modules" / "a" / "node_modules").symlink_to(outside / "nested", target_is_directory=True)
    (root / "web").mkdir()
    (root / "web" / "node_modules").symlink_to(outside / "modules", target_is_directory=True)
    _write(root / "requirements.txt", "own==1.0\nghost==2.0\n")
    own = _dist(_venv(root / ".venv"), "own", "1.0", "License: MIT", "License-File: LICENSE")
    (own / "licenses").symlink_to(outside / "licenses", target_is_directory=True)
    (root / "tools").mkdir()
    (root / "tools" / "venv").symlink_to(outside / "env", target_is_directory=True)

    inventory = scan([root], ScanOptions(user_defaults=False))

    _nothing_from_outside(inventory, outside)
    found = _by_name(inventory)
    assert found["a"].license is not None and found["a"].license.expression == "MIT"
    assert found["a"].license.license_files == ()
    for name, folder in (("b", "node_modules/a/node_modules"), ("c", "web/node_modules")):
        info = found[name].license
        assert info is not None and info.expression is None
        assert info.reason is not None and folder in info.reason and REFUSED in info.reason
    own_license = found["own"].license
    assert own_license is not None and own_license.expression == "MIT" and own_license.license_files == ()
    ghost = found["ghost"].license
    assert ghost is not None and ghost.expression is None and ghost.reason is not None and f"tools/venv not read ({REFUSED})" in ghost.reason
    refused = _refusals(inventory)
    assert set(refused) == {
        "node_modules/a/LICENSE",
        "node_modules/a/node_modules",
        "web/node_modules",
        ".venv/lib/python3.12/site-packages/own-1.0.dist-info/licenses",
        "tools/venv",
    }
    assert all(issue.severity is Severity.WARNING and issue.parser == "licenses" for issue in refused.values())
    assert inventory.complete  # every manifest was read: the refusals are warnings


def test_a_symlink_inside_the_tree_is_still_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    _write(root / "package.json", json.dumps({"name": "me", "version": "1.0.0", "dependencies": {"a": "1.0.0"}}))
    _write(root / "shared" / "LICENSE", MIT_TEXT)
    _package(root / "node_modules" / "a", "a", "1.0.0", "MIT")
    (root / "node_modules" / "a" / "LICENSE").symlink_to(root / "shared" / "LICENSE")
    inventory = scan([root], ScanOptions(user_defaults=False))
    info = _by_name(inventory)["a"].license
    assert info is not None and info.license_files == (os.path.realpath(root / "shared" / "LICENSE"),)
    assert not _refusals(inventory)


def test_caches_are_read_but_never_out_of_them(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "root"
    _write(root / "go.mod", "module example.com/me\n\ngo 1.21\n\nrequire (\n\tgithub.com/evil/mod v1.0.0\n\tgithub.com/good/mod v1.0.0\n\tgithub.com/fine/mod v1.0.0\n)\n")
    _write(root / "requirements.txt", "envpkg==1.0\n")
    dependency = "<dependency><groupId>com.evil</groupId><artifactId>lib</artifactId><version>1.0</version></dependency>"
    _write(root / "pom.xml", f"<project><groupId>me</groupId><artifactId>me</artifactId><version>1</version><dependencies>{dependency}</dependencies></project>")
    cache = tmp_path / "gocache"
    _write(outside / "go" / "mod@v1.0.0" / "LICENSE", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n")
    (cache / "github.com").mkdir(parents=True)
    (cache / "github.com" / "evil").symlink_to(outside / "go", target_is_directory=True)
    (cache / "github.com" / "good" / "mod@v1.0.0").mkdir(parents=True)
    (cache / "github.com" / "good" / "mod@v1.0.0" / "LICENSE").symlink_to(outside / "secret.txt")
    _write(cache / "shared" / "MIT.txt", MIT_TEXT)
    (cache / "github.com" / "fine" / "mod@v1.0.0").mkdir(parents=True)
    (cache / "github.com" / "fine" / "mod@v1.0.0" / "LICENSE").symlink_to(cache / "shared" / "MIT.txt")
    repository = tmp_path / "m2"
    (repository / "com" / "evil" / "lib" / "1.0").mkdir(parents=True)
    pom = _write(outside / "lib-1.0.pom", f"<project><artifactId>lib</artifactId><licenses><license><name>{GPL}</name></license></licenses></project>")
    (repository / "com" / "evil" / "lib" / "1.0" / "lib-1.0.pom").symlink_to(pom)
    environment = tmp_path / "userenv"
    dist = _dist(_venv(environment), "envpkg", "1.0", "License: MIT")
    (dist / "licenses").symlink_to(outside / "licenses", target_is_directory=True)

    options = LicenseOptions(python_envs=(environment,), go_module_cache=cache, maven_repository=repository)
    inventory = scan([root], ScanOptions(user_defaults=False, licenses=options))

    _nothing_from_outside(inventory, outside)
    found = _by_name(inventory)
    fine = found["github.com/fine/mod"].license
    assert fine is not None and fine.expression == "MIT"
    for name, why in (("github.com/evil/mod", "the Go module cache"), ("github.com/good/mod", "the Go module cache"), ("com.evil:lib", "the local Maven repository")):
        info = found[name].license
        assert info is not None and info.expression is None, name
        assert info.reason is not None and f"a symlink leading out of {why}" in info.reason, name
    envpkg = found["envpkg"].license
    assert envpkg is not None and envpkg.expression == "MIT" and envpkg.license_files == ()
    refused = _refusals(inventory)
    assert set(refused) == {
        (cache / "github.com" / "evil").as_posix(),
        (cache / "github.com" / "good" / "mod@v1.0.0" / "LICENSE").as_posix(),
        (repository / "com" / "evil" / "lib" / "1.0" / "lib-1.0.pom").as_posix(),
        (dist / "licenses").as_posix(),
    }
    assert refused[(dist / "licenses").as_posix()].message == f"not read as license evidence: a symlink leading out of the environment {environment}"
