"""Safe reading: decoding by BOM, binary refusal, size cap, non-regular files, sandbox."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from ospo_scan.parsers.base import FileReadError
from ospo_scan.reading import SandboxReader, decode, printable_path, read_bounded, real_name


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


# --- names that are not UTF-8 (issue 13, item 2) -------------------------------------


@pytest.mark.parametrize(
    ("case", "name", "shown"),
    [
        ("utf8_unchanged", "café/package.json", "café/package.json"),
        ("byte_ff", os.fsdecode(b"pack\xffage/package.json"), "pack\\xffage/package.json"),
        ("latin1_e9", os.fsdecode(b"caf\xe9"), "caf\\xe9"),
        ("truncated_utf8", os.fsdecode(b"caf\xc3"), "caf\\xc3"),
        ("lone_high_surrogate", "a\ud800b", "a\\ud800b"),
    ],
)
def test_printable_path(case: str, name: str, shown: str) -> None:
    assert printable_path(name) == shown
    shown.encode("utf-8")  # never raises


def test_sandbox_reads_a_file_named_in_bytes_that_are_not_utf8_by_its_printable_path(tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"sub\xfe")
    os.mkdir(folder)
    with open(os.path.join(folder, b"req\xff.txt"), "w") as handle:
        handle.write("x==1\n")
    reader = SandboxReader(tmp_path)
    for given in ("sub\\xfe/req\\xff.txt", os.fsdecode(b"sub\xfe/req\xff.txt")):
        source = reader.read(given)
        assert (source.path, source.text) == ("sub\\xfe/req\\xff.txt", "x==1\n")


def test_a_real_name_holding_a_backslash_wins_over_the_escaped_reading(tmp_path: Path) -> None:
    (tmp_path / "a\\xffb.txt").write_text("literal\n")
    with open(os.path.join(os.fsencode(tmp_path), b"a\xffb.txt"), "w") as handle:
        handle.write("bytes\n")
    assert real_name(tmp_path, "a\\xffb.txt") == tmp_path / "a\\xffb.txt"
    assert SandboxReader(tmp_path).read("a\\xffb.txt").text == "literal\n"
