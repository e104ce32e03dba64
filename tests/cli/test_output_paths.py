"""--output: unusable places are usage errors before the scan; special files are written in place."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ospo_scan.cli.application as cli_app
import ospo_scan.cli.output as output_module
import ospo_scan.scan as scan_module
from ospo_scan.cli import app
from tests.core.fake_parsers import FAKE_PARSERS

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "PARSERS", FAKE_PARSERS)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "deps.lock").write_text("flask==3.0.0\n")
    return root


@pytest.fixture
def no_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan must not start: the output path is refused first."""

    def must_not_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan ran although the output path is unusable")

    monkeypatch.setattr(cli_app, "scan", must_not_scan)


def can_create_in(folder: Path) -> bool:
    """What the operating system really allows (root writes where the mode bits say no)."""
    try:
        handle, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True


def scan_to(repo: Path, target: Path | str) -> tuple[int, str]:
    result = runner.invoke(app, ["scan", str(repo), "-f", "json", "-o", str(target)])
    return result.exit_code, result.stderr


@pytest.mark.usefixtures("no_scan")
def test_missing_folder_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    code, stderr = scan_to(repo, tmp_path / "missing" / "r.json")
    assert code == 2 and "does not exist" in stderr


@pytest.mark.usefixtures("no_scan")
def test_directory_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    code, stderr = scan_to(repo, tmp_path)
    assert code == 2 and "is a directory" in stderr


@pytest.mark.usefixtures("no_scan")
def test_file_as_folder_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("")
    code, stderr = scan_to(repo, tmp_path / "plain" / "r.json")
    assert code == 2 and "is not a folder" in stderr


def test_read_only_folder_is_refused_exactly_when_nothing_can_be_created(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        writable = can_create_in(folder)  # True for root, whatever the mode says
        code, stderr = scan_to(repo, folder / "r.json")
        assert code == (0 if writable else 2), stderr
        if not writable:
            assert "is not writable" in stderr
    finally:
        folder.chmod(0o755)
    assert [p.name for p in folder.iterdir()] == (["r.json"] if writable else [])


@pytest.mark.usefixtures("no_scan")
def test_folder_not_even_root_can_write_is_refused_although_os_access_says_yes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path("/sys")
    if not folder.is_dir() or can_create_in(folder):
        pytest.skip("no folder here that refuses new files to everyone")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)  # what root is told
    code, stderr = scan_to(repo, folder / "r.json")
    assert code == 2 and "is not writable" in stderr


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """/dev/null itself, or, where this test may write /dev (root), a node of the same device
    in a temporary folder: a regression that renames over the path would otherwise replace
    the machine's /dev/null with a regular file, as the old code did."""
    if os.geteuid() != 0:
        return Path(os.devnull)
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.stat(os.devnull).st_rdev)
    except OSError as failure:
        pytest.skip(f"cannot make a device node here: {failure.strerror}")
    return node


def test_dev_null_is_written_in_place_and_stays_a_device(repo: Path, null_device: Path) -> None:
    code, stderr = scan_to(repo, null_device)
    assert code == 0, stderr
    assert stat.S_ISCHR(os.lstat(null_device).st_mode)
    assert [p.name for p in null_device.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_fifo_is_written_in_place(repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, stderr = scan_to(repo, fifo)
    reader.join(timeout=30)
    assert code == 0, stderr
    assert json.loads(received[0])["schema_version"] == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "report.fifo"]


def test_symlink_to_a_file_replaces_the_target_and_keeps_the_link(repo: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "latest.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, stderr = scan_to(repo, link)
    assert code == 0, stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["schema_version"] == 2
    assert [p.name for p in reports.iterdir()] == ["latest.json"]


def test_dangling_symlink_creates_its_target(repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    code, stderr = scan_to(repo, link)
    assert code == 0, stderr
    assert link.is_symlink() and json.loads((tmp_path / "new.json").read_text())["schema_version"] == 2


def test_replaced_file_keeps_its_permissions(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o640)
    assert scan_to(repo, target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_permissions_not_mkstemps(repo: Path, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert scan_to(repo, tmp_path / "r.json")[0] == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644


def test_write_failure_after_the_scan_is_a_usage_error_and_leaves_no_temporary(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output_module.os, "replace", disk_full)
    code, stderr = scan_to(repo, tmp_path / "r.json")
    assert code == 2
    assert "cannot write the report: No space left on device" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_unwritable_existing_file_is_refused(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("keep me")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == target and mode == os.W_OK else real_access(path, mode, **kw))
    code, stderr = scan_to(repo, target)
    assert code == 2 and "file is not writable" in stderr
    assert target.read_text() == "keep me"


def test_write_only_file_is_replaced(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The option's own checks must not ask for a report file to be readable."""
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o200)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == target and mode == os.R_OK else real_access(path, mode, **kw))
    code, stderr = scan_to(repo, target)
    assert code == 0, stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o200
