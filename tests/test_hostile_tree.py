"""One tree full of bad input: every problem is named, nothing good is lost, nothing escapes."""

from __future__ import annotations

import os
from pathlib import Path

from ospo_scan.scan import ScanOptions, scan


def _write(root: Path, relative: str, data: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)
    return path


def test_bad_inputs_become_issues_and_good_files_still_count(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/requirements.txt", "secret-package==6.6.6\n")
    root = tmp_path / "repo"
    _write(root, "good/requirements.txt", "requests==2.32.3\n")
    _write(root, "binary/package.json", b"\x7fELF\x00\x00\x00binary")
    _write(root, "nested/package-lock.json", '{"lockfileVersion": 3, "packages": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _write(root, "truncated/yarn.lock", '# yarn lockfile v1\n\n"left-pad@^1.3.0":\n  version "1.3.0"\n  resolved "https://registry.npm.example/left-pad/-/left-pad-1.3.0.tgz#')
    _write(root, "huge/go.sum", "x" * 2048)
    _write(root, "entities/pom.xml", '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<project>&x;</project>\n')
    _write(root, "latin1/requirements.txt", "caf\xe9==1.0\n".encode("latin-1"))
    os.mkfifo(root / "go.mod")
    (root / "escape").mkdir()
    (root / "escape" / "requirements.txt").symlink_to(outside)
    (root / "loop").symlink_to(root)

    inventory = scan([root], ScanOptions(max_file_size=1024))

    assert [c.purl for c in inventory.components if c.ecosystem.value == "pypi"] == ["pkg:pypi/requests@2.32.3"]
    problems = {issue.path: issue.message for issue in inventory.issues}
    assert "binary" in problems["binary/package.json"]
    assert "size cap" in problems["huge/go.sum"] and "size cap" in problems["nested/package-lock.json"]
    assert "DOCTYPE" in problems["entities/pom.xml"] or "entit" in problems["entities/pom.xml"].lower()
    assert "UTF-8" in problems["latin1/requirements.txt"]
    assert "truncated/yarn.lock" in problems
    codes = {issue.path: issue.code for issue in inventory.issues}
    assert codes["binary/package.json"] == "binary-file"
    assert codes["huge/go.sum"] == codes["nested/package-lock.json"] == "too-large"
    assert codes["latin1/requirements.txt"] == "read-error"
    # Never opened nor followed, but named: a manifest left unread is never silent.
    assert (codes["escape/requirements.txt"], codes["go.mod"]) == ("symlink-outside-root", "read-error")
    assert "FIFO" in problems["go.mod"] and "outside the scanned root" in problems["escape/requirements.txt"]
    assert not any("secret" in c.name for c in inventory.components)
    assert not inventory.complete


def test_deeply_nested_json_under_the_cap_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    _write(tmp_path, "package-lock.json", '{"lockfileVersion": 3, "packages": ' + "[" * 200_000 + "]" * 200_000 + "}")
    _write(tmp_path, "web/package.json", '{"name": "web", "dependencies": {"lodash": "4.17.21"}}')
    inventory = scan([tmp_path])
    assert [c.purl for c in inventory.components] == ["pkg:npm/lodash@4.17.21"]
    assert [issue.path for issue in inventory.issues] == ["package-lock.json"]
