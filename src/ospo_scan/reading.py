"""Reading one file safely: regular files only, inside the root, size-capped, decoded.

Both discovery and the include-following parsers read through here, so the rules
(no FIFOs, no symlink escapes, at most cap+1 bytes read, BOM-aware decoding, NUL
bytes mean binary) hold for every byte the scanner looks at.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import stat
from pathlib import Path

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """A decoded file, with its path relative to the scan root (forward slashes)."""

    path: str
    text: str


class FileReadError(Exception):
    """A file could not be read safely (missing, outside the root, too big, binary...).

    `code` is the ScanIssue code the scan records for it.
    """

    def __init__(self, message: str, code: str = "read-error") -> None:
        super().__init__(message)
        self.code = code


class FileAccessError(FileReadError):
    """The file is there but this user may not read it (EACCES, EPERM on a stat or an open).

    Apart from the other read errors so that a lookup that treats a missing file as "not
    there" (a parent POM in the local Maven repository) says "cannot be read" instead.
    """


def _read_failure(action: str, error: OSError) -> FileReadError:
    """`cannot <action>: <why>`, a FileAccessError when permission was refused."""
    kind = FileAccessError if isinstance(error, PermissionError) else FileReadError
    return kind(f"cannot {action}: {error.strerror}")

DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
"""Files above this many bytes are refused (a lockfile that big is an anomaly)."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> str:
    """Decode by BOM (UTF-8, UTF-16, UTF-32), else as UTF-8; NUL bytes mean binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            payload = data[len(bom) :]
            try:
                return payload.decode(encoding)
            except UnicodeDecodeError as error:
                raise FileReadError(f"not valid {encoding} despite its byte order mark ({error.reason})") from None
    if b"\x00" in data:
        raise FileReadError("binary file (contains NUL bytes), not a text manifest", "binary-file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileReadError(f"not valid UTF-8 at line {line} (byte offset {error.start})") from None


def read_bounded(path: Path, max_size: int) -> bytes:
    """Read a regular file, refusing anything that is not one or is over `max_size` bytes."""
    try:
        info = os.lstat(path)
    except OSError as error:
        raise _read_failure("stat", error) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError as error:
            raise FileReadError(f"broken symlink: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileReadError("not a regular file")
    if info.st_size > max_size:
        raise FileReadError(f"file is {info.st_size} bytes, above the {max_size}-byte size cap", "too-large")
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open() must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _read_failure("open", error) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise FileReadError("not a regular file")
        data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise FileReadError(f"file is larger than the {max_size}-byte size cap", "too-large")
    return data


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")
"""A byte that is not UTF-8, as `printable_path` writes it (always 0x80-0xff)."""


def printable_path(text: str) -> str:
    """A path name as valid Unicode: each byte that is not UTF-8 written `\\xNN`.

    POSIX names are bytes; Python hands names that are not UTF-8 over with lone
    surrogates (surrogateescape), which no UTF-8 writer accepts: a report naming such a
    file would fail, or be invalid UTF-8. Every path the scan reports goes through here,
    so `pack\\xffage/package.json` reads the same in every report; `SandboxReader`
    turns it back into the real name to read the file.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system decoding produces: escape it as is
        return text.encode("utf-8", "backslashreplace").decode("ascii")


def real_name(root: Path, relative: str) -> Path:
    """The file `relative` (as `printable_path` writes it) names under `root`.

    A part that exists as written is taken as written; only one that does not is read
    back as escaped bytes, so a real name holding a backslash still wins.
    """
    current = root
    for part in relative.split("/"):
        literal = current / part
        if "\\x" not in part or os.path.lexists(literal):
            current = literal
        else:
            current = current / _ESCAPED_BYTE.sub(lambda match: chr(0xDC00 + int(match[1], 16)), part)
    return current


def _may_exist(path: Path) -> bool:
    """False only when `path` is certainly absent: a folder on the way that may not be
    entered is a permission error for read_bounded to report, not a missing file."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


class SandboxReader:
    """A FileReader confined to one scan root (symlinks may not lead out of it)."""

    def __init__(self, root: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        self.root = root
        self._real_root = root.resolve()
        self.max_size = max_size

    def read(self, path: str) -> SourceFile:
        """Read `path` (relative to the root, forward slashes, as `printable_path` writes
        it or as the file system names it) if it stays inside the root; the SourceFile's
        path is printable."""
        normalized = posixpath.normpath(path)
        if normalized.startswith("../") or normalized == ".." or posixpath.isabs(normalized):
            raise FileReadError(f"{printable_path(path)}: outside the scanned root")
        normalized, shown = printable_path(normalized), printable_path(path)
        absolute = real_name(self.root, normalized) if normalized != "." else self.root
        if not self.is_inside_root(absolute):
            raise FileReadError(f"{shown}: resolves outside the scanned root (symlink)", "symlink-outside-root")
        if not _may_exist(absolute):
            raise FileReadError(f"{shown}: no such file")
        try:
            text = decode(read_bounded(absolute, self.max_size))
        except FileReadError as error:
            raise type(error)(f"{shown}: {error}", error.code) from None
        return SourceFile(path=normalized, text=text)

    def is_inside_root(self, absolute: Path) -> bool:
        """True when `absolute`, with every symlink resolved, is under the root."""
        try:
            real = absolute.resolve()
        except (OSError, RuntimeError):  # RuntimeError: symlink loop on older Pythons
            return False
        return real == self._real_root or self._real_root in real.parents
