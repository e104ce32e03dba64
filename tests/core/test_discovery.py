"""Discovery: which files are handed to parsers, and which never are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.discovery import discover
from ospo_scan.model import Severity
from ospo_scan.scan import ScanOptions, scan
from tests.core.fake_parsers import FAKE_PARSERS


def _found(root: Path, excludes: tuple[str, ...] = ()) -> list[str]:
    return [f.relative_path for f in discover(root, FAKE_PARSERS, excludes).files]


def _touch(path: Path, text: str = "a==1\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_skips_vendored_and_generated_directories(tmp_path: Path) -> None:
    for folder in ("app", ".git", "node_modules/x", ".venv", "venv", "__pycache__", ".tox", ".nox", "build", "dist"):
        _touch(tmp_path / folder / "deps.txt")
    assert _found(tmp_path) == ["app/deps.txt"]


def test_skips_any_folder_holding_pyvenv_cfg(tmp_path: Path) -> None:
    _touch(tmp_path / "my-env" / "pyvenv.cfg", "home = /usr\n")
    _touch(tmp_path / "my-env" / "lib" / "deps.txt")
    _touch(tmp_path / "deps.txt")
    assert _found(tmp_path) == ["deps.txt"]


def test_user_excludes_match_paths_and_names(tmp_path: Path) -> None:
    _touch(tmp_path / "tests" / "fixtures" / "deps.txt")
    _touch(tmp_path / "docs" / "deps.txt")
    _touch(tmp_path / "src" / "deps.txt")
    assert _found(tmp_path, ("tests/*", "docs")) == ["src/deps.txt"]


def test_symlink_loop_is_survived(tmp_path: Path) -> None:
    _touch(tmp_path / "a" / "deps.txt")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "self").symlink_to("self")
    assert _found(tmp_path) == ["a/deps.txt"]


def test_symlink_leaving_the_root_is_not_followed(tmp_path: Path) -> None:
    _touch(tmp_path / "outside" / "deps.txt")
    root = tmp_path / "root"
    _touch(root / "deps.txt")
    (root / "escape-dir").symlink_to(tmp_path / "outside")
    (root / "escape-file").mkdir()
    (root / "escape-file" / "deps.txt").symlink_to(tmp_path / "outside" / "deps.txt")
    assert _found(root) == ["deps.txt"]


def test_fifo_named_like_a_manifest_is_not_returned(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deps.txt")
    _touch(tmp_path / "sub" / "deps.txt")
    assert _found(tmp_path) == ["sub/deps.txt"]


def test_results_are_sorted(tmp_path: Path) -> None:
    for name in ("b", "a", "c/d"):
        _touch(tmp_path / name / "deps.txt")
    assert _found(tmp_path) == ["a/deps.txt", "b/deps.txt", "c/d/deps.txt"]


def test_unlistable_directory_is_an_issue(tmp_path: Path, monkeypatch) -> None:
    _touch(tmp_path / "ok" / "deps.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # simulates EACCES even when running as root
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = discover(tmp_path, FAKE_PARSERS)
    assert [f.relative_path for f in result.files] == ["ok/deps.txt"]
    assert [(i.path, i.parser, i.message) for i in result.issues] == [("locked", "discovery", "cannot list directory: Permission denied")]


def test_vendor_folder_yields_only_go_modules_txt(tmp_path: Path) -> None:
    _touch(tmp_path / "vendor" / "modules.txt")
    _touch(tmp_path / "vendor" / "github.com" / "x" / "deps.txt")
    _touch(tmp_path / "vendor" / "deps.txt")
    from ospo_scan.model import Ecosystem
    from ospo_scan.parsers.base import FileRole, ParserSpec

    modules = ParserSpec(name="modules", ecosystem=Ecosystem.GOLANG, role=FileRole.LOCKFILE, file_names=frozenset({"modules.txt"}), parse=lambda s, r: None)  # type: ignore[arg-type,return-value]
    assert [f.relative_path for f in discover(tmp_path, (*FAKE_PARSERS, modules)).files] == ["vendor/modules.txt"]


def test_names_that_are_not_utf8_are_found_with_printable_paths(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"pack\xffage")
    os.mkdir(folder)
    with open(os.path.join(folder, b"deps.txt"), "w") as handle:
        handle.write("a==1\n")
    assert _found(tmp_path) == ["pack\\xffage/deps.txt"]


def test_a_name_whose_escaped_form_is_a_siblings_name_is_an_issue_not_read_twice(tmp_path: Path) -> None:
    _touch(tmp_path / "a\\xffb" / "deps.txt")
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"a\xffb"))
    with open(os.path.join(os.fsencode(tmp_path), b"a\xffb", b"deps.txt"), "w") as handle:
        handle.write("a==1\n")
    found = discover(tmp_path, FAKE_PARSERS)
    assert [f.relative_path for f in found.files] == ["a\\xffb/deps.txt"]
    assert [(issue.path, issue.code) for issue in found.issues] == [("a\\xffb", "discovery-error")]


def _deeper_than_path_max(root: Path, manifest: str) -> None:
    """Folders nested until their path is longer than PATH_MAX, a manifest at the bottom:
    built through directory descriptors, as no path could reach there."""
    limit = os.pathconf(root, "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096
    name = "d" * 200
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for _ in range(limit // len(name) + 2):
            os.mkdir(name, dir_fd=descriptor)
            deeper = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = deeper
        handle = os.open(manifest, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(handle, b"a==1\n")
        os.close(handle)
    finally:
        os.close(descriptor)


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY") or os.name == "nt", reason="needs POSIX directory descriptors")
def test_a_subtree_deeper_than_path_max_is_a_discovery_error(tmp_path: Path) -> None:
    _touch(tmp_path / "deps.txt")
    _deeper_than_path_max(tmp_path, "deps.txt")
    found = discover(tmp_path, FAKE_PARSERS)
    assert [f.relative_path for f in found.files] == ["deps.txt"]
    (issue,) = found.issues
    assert issue.code == "discovery-error" and issue.severity is Severity.ERROR
    assert issue.path.startswith("d" * 200 + "/") and len(os.path.join(tmp_path, issue.path)) > 4000
    assert "longer than the system allows (PATH_MAX)" in issue.message


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY") or os.name == "nt", reason="needs POSIX directory descriptors")
def test_a_scan_that_skipped_a_subtree_deeper_than_path_max_is_incomplete(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n")
    _deeper_than_path_max(tmp_path, "requirements.txt")
    inventory = scan([tmp_path], ScanOptions(licenses=None, user_defaults=False, jobs=1))
    assert [component.name for component in inventory.components] == ["flask"]
    assert not inventory.complete
    assert [issue.code for issue in inventory.issues] == ["discovery-error"]
