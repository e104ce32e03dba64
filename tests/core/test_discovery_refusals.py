"""Discovery: a file named like a manifest that is not handed over is named, with why, and never opened."""

from __future__ import annotations

import os
from pathlib import Path

from ospo_scan.discovery import discover
from tests.core.fake_parsers import FAKE_PARSERS


def _refusals(root: Path) -> dict[str, tuple[str, str]]:
    found = discover(root, FAKE_PARSERS)
    return {issue.path: (issue.code, issue.message) for issue in found.issues}


def _touch(path: Path, text: str = "a==1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_manifest_symlink_leading_out_of_the_root_is_a_symlink_outside_root_issue(tmp_path: Path) -> None:
    outside = _touch(tmp_path / "outside" / "deps.txt", "secret==6.6.6\n")
    root = tmp_path / "root"
    (root / "escape").mkdir(parents=True)
    (root / "escape" / "deps.txt").symlink_to(outside)
    (root / "escape" / "notes.md").symlink_to(outside)  # no parser wants it: nothing to say
    assert _refusals(root) == {"escape/deps.txt": ("symlink-outside-root", "a symbolic link leading outside the scanned root: not followed, not read")}
    assert discover(root, FAKE_PARSERS).files == []


def test_a_link_out_of_the_root_is_judged_without_looking_outside(tmp_path: Path) -> None:
    """Where the link leads is worked out from the links alone: a dangling target outside
    is reported as leaving the root, not as broken (nothing outside was looked at)."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "deps.txt").symlink_to(tmp_path / "outside" / "never-made.txt")
    assert _refusals(root) == {"deps.txt": ("symlink-outside-root", "a symbolic link leading outside the scanned root: not followed, not read")}


def test_a_fifo_named_like_a_manifest_is_a_read_error_issue(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deps.txt")
    os.mkfifo(tmp_path / "other.fifo")  # not a manifest name: nothing to say
    assert _refusals(tmp_path) == {"deps.txt": ("read-error", "a named pipe (FIFO), not a regular file: never opened")}


def test_an_in_root_link_to_a_fifo_is_a_read_error_issue(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deps.txt").symlink_to(tmp_path / "pipe")
    assert _refusals(tmp_path) == {"sub/deps.txt": ("read-error", "a named pipe (FIFO), not a regular file: never opened")}


def test_broken_links_and_loops_named_like_manifests_are_read_error_issues(tmp_path: Path) -> None:
    (tmp_path / "dangling").mkdir()
    (tmp_path / "dangling" / "deps.txt").symlink_to(tmp_path / "dangling" / "gone.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "deps.txt").symlink_to("deps.txt")
    broken = ("read-error", "a broken symbolic link, or a loop of links: nothing to read")
    assert _refusals(tmp_path) == {"dangling/deps.txt": broken, "loop/deps.txt": broken}


def test_in_root_links_to_manifests_are_still_read(tmp_path: Path) -> None:
    _touch(tmp_path / "real" / "deps.txt")
    (tmp_path / "alias").mkdir()
    (tmp_path / "alias" / "deps.txt").symlink_to(tmp_path / "real" / "deps.txt")
    found = discover(tmp_path, FAKE_PARSERS)
    assert (found.issues, [f.relative_path for f in found.files]) == ([], ["alias/deps.txt", "real/deps.txt"])
