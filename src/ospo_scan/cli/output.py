"""Writing a report to stdout or to the --output file.

The --output path is checked before the scan starts: a typo or a read-only folder
is a usage error (exit 2) that should not cost a long scan, nor surface after it as
an internal error. The check does what the write will do: it creates (and removes) a
temporary file in the folder, because `os.access` says yes to root on a read-only
mount or an immutable folder.

A regular file, or a path that does not exist yet, is written to a temporary sibling
then renamed, so a reader never sees half a report; the new file keeps the old one's
permission bits, and its owner and group where the user may set them (root always; a
user, the group when a member of it), so that replacing a 0640 report readable by one
group does not hand it to another. A new file gets the umask's permissions, as if
written in place. Anything else that is not a folder (/dev/null, a FIFO, a terminal) is
opened and written in place: a rename would replace the device node itself. A symbolic
link is followed: the file it points to is replaced and the link stays a link, so a
link into a shared reports folder keeps working. What a rename cannot keep: hard links
to the old file (they keep the old report), ACLs and extended attributes.

A run stopped while writing leaves the old file or none, never part of a report:
SIGTERM, SIGHUP and SIGINT remove the temporary file, then the run ends as the signal
asks. SIGKILL cannot be caught: its temporary file stays, named
`.<target>.ospo-scan-<pid>-<random>.tmp` beside the target, and the next run writing
that target removes those whose process is gone.

The report is rendered whole before a byte is written, so a renderer that fails
leaves neither half a table on stdout nor a truncated file. A lone surrogate (a file
name that is not UTF-8 which no layer made printable) never fails the write nor makes
the bytes invalid UTF-8: see `printable_output`.
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

Draw = Callable[[TextIO, bool], None]
"""Writes the whole report to a stream; the flag says whether that stream is a terminal
(an OutputFormat's renderer with its report bound: this module never needs to know what
a report holds)."""


Pieces = Callable[[TextIO], object]
"""Writes a whole report, already printable, to a UTF-8 text stream as it is made
(the JSON report's write_printable)."""


_PIECE = 64 * 1024
"""Characters per write to stdout (a pipe's usual capacity)."""


class OutputPathError(Exception):
    """The --output path cannot be written (message starts with the path)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputTarget:
    """Where and how a checked --output path is written."""

    given: Path
    """The path as the user wrote it, for messages."""
    path: Path
    """Where the bytes go: the given path with symbolic links resolved."""
    in_place: bool
    """Opened and written (a device, a FIFO) rather than replaced through a rename."""
    mode: int | None
    """Permission bits of the regular file being replaced; None for a new file."""
    owner: tuple[int, int] | None = None
    """User and group ids of the regular file being replaced; None for a new file."""


def check_output_path(given: Path) -> OutputTarget:
    """The target for `given`, or OutputPathError when the report could not be written there."""
    path = Path(os.path.realpath(given))
    try:
        info: os.stat_result | None = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None  # a new file; whether its folder is usable is checked below
    except OSError as failure:
        raise OutputPathError(f"{given}: {failure.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputPathError(f"{given}: is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        if not os.access(path, os.W_OK):
            raise OutputPathError(f"{given}: is not writable")
        return OutputTarget(given=given, path=path, in_place=True, mode=None)
    _check_folder(given, path.parent)
    if info is not None and not os.access(path, os.W_OK):
        raise OutputPathError(f"{given}: file is not writable")
    if info is None:
        return OutputTarget(given=given, path=path, in_place=False, mode=None)
    return OutputTarget(given=given, path=path, in_place=False, mode=stat.S_IMODE(info.st_mode), owner=(info.st_uid, info.st_gid))


def _check_folder(given: Path, folder: Path) -> None:
    """The folder exists and a file can really be created in it."""
    if not folder.exists():
        raise OutputPathError(f"{given}: folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputPathError(f"{given}: {folder} is not a folder")
    try:
        handle, probe = tempfile.mkstemp(prefix=".ospo-scan-probe.", dir=folder)
    except OSError as failure:
        raise OutputPathError(f"{given}: folder {folder} is not writable ({failure.strerror})") from None
    os.close(handle)
    os.unlink(probe)


def write_report(draw: Draw, target: OutputTarget | None, *, file_format: bool = False, pieces: Pieces | None = None) -> int:
    """Render the report, then write it to stdout or to the checked target.

    `file_format`: the format is meant for files (not the table, which escapes what it
    shows itself); on a terminal, its invisible characters are spelled out
    (terminal_document). Returns how many were, 0 for a file or a pipe, which get the
    report's bytes as they are.

    `pieces`, when the format has them, writes the same report as printable UTF-8 piece
    by piece: a file target is then written as the report is made (a failure still
    leaves no half report: the temporary file is removed), never held whole in memory.

    A BrokenPipeError on stdout is left to the caller (it chooses the exit code); a
    failure to write the target is an OutputPathError.
    """
    if target is not None and pieces is not None:
        _write_target(target, pieces)
        return 0
    on_terminal = target is None and sys.stdout.isatty()
    text = printable_output(rendered(draw, is_terminal=on_terminal))
    if target is None:
        spelled = 0
        if on_terminal and file_format:
            from ospo_scan.cli.terminal_document import for_terminal  # only a terminal needs it

            text, spelled = for_terminal(text)
        _write_stdout(text)
        return spelled
    _write_target(target, lambda stream: stream.write(text))
    return 0


def _write_target(target: OutputTarget, write: Pieces) -> None:
    try:
        if target.in_place:
            with open(target.path, "w", encoding="utf-8", newline="\n") as stream:
                write(stream)
        else:
            _replace(target, write)
    except OSError as failure:
        raise OutputPathError(f"{target.given}: cannot write the report: {failure.strerror or failure}") from None


def _write_stdout(text: str) -> None:
    """Write in pieces: one large write to a pipe whose reader has gone is cut short
    without an error by Python's buffered io, and the run would look complete."""
    for start in range(0, len(text), _PIECE):
        sys.stdout.write(text[start : start + _PIECE])
        sys.stdout.flush()


def rendered(draw: Draw, *, is_terminal: bool) -> str:
    """The whole report as text (with terminal styling when `is_terminal`)."""
    buffer = io.StringIO()
    draw(buffer, is_terminal)
    return buffer.getvalue()


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_output(text: str) -> str:
    """`text` with any lone surrogate written out, so that it encodes as UTF-8.

    The scan makes the paths it reports printable (reading.printable_path); this is the
    last line of defence for one that slipped through (a scanned root named in bytes
    that are not UTF-8). A surrogate from such a name becomes `\\xNN`, as
    printable_path writes it; inside a JSON document (every JSON format here is an
    object, and no other format starts with `{`) the backslash is escaped, so that the
    document stays valid JSON and its string reads `\\xNN` all the same.
    """
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    backslash = "\\\\" if text.lstrip().startswith("{") else "\\"
    return _SURROGATE.sub(lambda found: _escaped(found.group(), backslash), text)


def _escaped(surrogate: str, backslash: str) -> str:
    code = ord(surrogate)
    return f"{backslash}x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"{backslash}u{code:04x}"


TEMPORARY_MARK = "ospo-scan"
"""In the name of every temporary report file, with the pid of the run that made it."""


def _replace(target: OutputTarget, write: Pieces) -> None:
    """Write a temporary sibling of the target and rename it over the target."""
    remove_stale_temporaries(target.path)
    with _StopGuard() as guard:
        handle, temporary = tempfile.mkstemp(prefix=f"{_temporary_prefix(target.path)}{os.getpid()}-", suffix=".tmp", dir=target.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())  # the rename must never publish a file the disk does not hold yet
                _copy_permissions(stream.fileno(), target)
            os.replace(temporary, target.path)
        except BaseException:
            guard.cleaning = True  # from here a signal is only remembered, so the removal runs
            Path(temporary).unlink(missing_ok=True)
            raise


def _copy_permissions(descriptor: int, target: OutputTarget) -> None:
    """The old file's owner, group and mode on the new one (mkstemp makes it 0600)."""
    if target.owner is not None:
        for uid, gid in (target.owner, (-1, target.owner[1])):
            try:
                os.fchown(descriptor, uid, gid)
                break
            except OSError:
                continue  # not root, not a member of the group: the user's own ids stay
    os.fchmod(descriptor, _umask_mode() if target.mode is None else target.mode)


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}.{TEMPORARY_MARK}-"


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files a killed run left for `path` (its process is gone).

    Only regular files of this user named like ours are removed; one whose process
    still runs belongs to a run writing the same report right now.
    """
    prefix = _temporary_prefix(path)
    removed: list[Path] = []
    try:
        names = [name for name in os.listdir(path.parent) if name.startswith(prefix) and name.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        candidate = path.parent / name
        pid = name[len(prefix) :].partition("-")[0]
        if pid.isdigit() and not _is_running(int(pid)) and _is_own_regular_file(candidate):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def _is_own_regular_file(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()


STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals whose default is to end the process at once, skipping every cleanup (SIGINT
already arrives as KeyboardInterrupt, which the cleanup sees)."""


class _Stopped(BaseException):
    """A stopping signal arrived while the temporary file existed."""


class _StopGuard:
    """While the temporary file exists, a stopping signal raises `_Stopped` (so the file
    is removed) instead of ending the process at once; once the handlers are back, the
    signal is sent again, and the run ends as it asked.

    Only the main thread may set handlers: in another one, a signal ends the run as it
    would anyway (its temporary file is then stale, and removed by the next run).
    """

    def __init__(self) -> None:
        self.cleaning = False
        """Set once the removal has started: a signal then waits for it to finish."""
        self.signum: int | None = None
        self._previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}

    def __enter__(self) -> _StopGuard:
        if threading.current_thread() is threading.main_thread():
            self._previous = {signum: signal.signal(signum, self._stop) for signum in STOPPING_SIGNALS}
        return self

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        first = self.signum is None
        self.signum = self.signum or signum
        if first and not self.cleaning:
            raise _Stopped(signum)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        if self.signum is not None:
            os.kill(os.getpid(), self.signum)  # the default action ends the run here
            raise KeyboardInterrupt from None  # a handler of the caller's let it go on: stop as interrupted


def _umask_mode() -> int:
    """The permissions `open()` would give a new file (mkstemp's are 0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
