"""Safe reading: decoding by BOM, binary refusal, size cap, non-regular files, sandbox."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from ospo_scan.parsers.base import FileReadError
from ospo_scan.reading import SandboxReader, decode, read_bounded


@pytest.mark.parametrize(
    ("case", "data", "expected"),
    [
        ("utf8_plain", "flask==2.0\n".encode(), "flask==2.0\n"),
        ("utf8_with_bom", codecs.BOM_UTF8 + "flask==2.0\n".encode(), "flask==2.0\n"),
        ("utf16_le_with_bom", codecs.BOM_UTF16_LE + "flask==2.0\n".encode("utf-16-le"), "flask==2.0\n"),
        ("utf16_be_with_bom", codecs.BOM_UTF16_BE + "flask==2.0\n".encode("utf-16-be"), "flask==2.0\n"),
        ("utf8_non_ascii", "# café\nflask\n".encode(), "# café\nflask\n"),
    ],
)
def test_decode_by_bom(case: str, data: bytes, expected: str) -> None:
    assert decode(data) == expected


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(FileReadError, match="binary"):
        decode(b"\x7fELF\x00\x00\x01")


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(FileReadError, match="line 2"):
        decode(b"ok\nbad \xff byte\n")


def test_size_cap_refuses_file_one_byte_over(tmp_path: Path) -> None:
    target = tmp_path / "requirements.txt"
    target.write_bytes(b"x" * 11)
    assert read_bounded(target, 11) == b"x" * 11
    with pytest.raises(FileReadError, match="size cap"):
        read_bounded(target, 10)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "package.json"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError, match="not a regular file"):
        read_bounded(fifo, 1000)


def test_sandbox_refuses_parent_paths_and_symlink_escape(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret==1\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.txt").symlink_to(outside)
    reader = SandboxReader(root)
    with pytest.raises(FileReadError, match="outside the scanned root"):
        reader.read("../outside.txt")
    with pytest.raises(FileReadError, match="outside the scanned root"):
        reader.read("link.txt")


def test_sandbox_reads_in_root_symlink_and_normalizes_path(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "real.txt").write_text("x==1\n")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "a" / "real.txt")
    reader = SandboxReader(tmp_path)
    assert reader.read("alias.txt").text == "x==1\n"
    assert reader.read("a/../a/real.txt").path == "a/real.txt"


def test_sandbox_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="no such file"):
        SandboxReader(tmp_path).read("nope.txt")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "requirements.txt"
    target.write_text("x==1\n")

    def refuse(*args: object, **kwargs: object) -> int:  # EACCES, even when the tests run as root
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(FileReadError, match="cannot open: Permission denied"):
        read_bounded(target, 100)
