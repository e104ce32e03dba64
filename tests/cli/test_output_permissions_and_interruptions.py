"""Issue 13, item 4: --output over an existing file keeps its mode (and owner and group),
whatever the umask; a run stopped while writing leaves the old file, never part of a
report, and a run killed outright leaves a temporary file named as ours, which the next
run writing that target removes.

The stopped runs are real `ospo-scan scan` processes. The window in which a temporary
file exists is short (the report is rendered before it is created), so the child wraps
`os.fdopen` to write half the report into the temporary file, say so on stdout, and
stall: the signal then arrives at a known moment, not by a race.
"""

from __future__ import annotations

import os
import pwd
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ospo_scan.cli.output import TEMPORARY_MARK, check_output_path, remove_stale_temporaries, write_report

OLD = "the old report\n"

STALLING_CHILD = textwrap.dedent(
    """
    import os, sys, time

    real_fdopen = os.fdopen

    class Stalling:
        '''The report's temporary file: half of it is written, then the run stalls.'''

        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *failure):
            return self.stream.__exit__(*failure)

        def write(self, text):
            self.stream.write(text[: len(text) // 2])
            self.stream.flush()
            print("half written", flush=True)
            time.sleep(120)

        def __getattr__(self, name):
            return getattr(self.stream, name)

    def fdopen(fd, mode="r", *args, **kwargs):
        stream = real_fdopen(fd, mode, *args, **kwargs)
        return Stalling(stream) if "w" in mode else stream

    os.fdopen = fdopen
    from ospo_scan.cli import main
    sys.argv = ["ospo-scan", *sys.argv[1:]]
    main()
    """
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "requirements.txt").write_text("".join(f"package-{index}==1.0.{index}\n" for index in range(300)))
    return root


@pytest.fixture
def umask_077() -> Iterator[None]:
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _temporaries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.{TEMPORARY_MARK}-*.tmp"))


def _write(target: Path, text: str = "new\n") -> None:
    write_report(lambda stream, is_terminal: stream.write(text), check_output_path(target))


# --- permissions -----------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640], ids=oct)
@pytest.mark.usefixtures("umask_077")
def test_output_over_an_existing_file_keeps_its_mode_under_umask_077(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "r.json"
    target.write_text(OLD)
    target.chmod(mode)
    _write(target)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.usefixtures("umask_077")
def test_output_as_a_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    _write(tmp_path / "r.json")
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_output_over_another_users_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    nobody = pwd.getpwnam("nobody")
    target = tmp_path / "r.json"
    target.write_text(OLD)
    os.chown(target, nobody.pw_uid, nobody.pw_gid)
    target.chmod(0o640)
    _write(target)
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (nobody.pw_uid, nobody.pw_gid, 0o640)


UNPRIVILEGED_CHILD = textwrap.dedent(
    """
    import os, pwd, stat, sys
    from pathlib import Path
    from ospo_scan.cli.output import check_output_path, write_report

    nobody = pwd.getpwnam("nobody")
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    os.umask(0o077)
    for mode in (0o644, 0o640):
        target = Path(sys.argv[1]) / f"r{mode:o}.json"
        target.write_text("old")
        target.chmod(mode)
        write_report(lambda stream, is_terminal: stream.write("new"), check_output_path(target))
        print(f"{mode:o} {stat.S_IMODE(target.stat().st_mode):o} {target.stat().st_uid} {target.read_text()}")
    """
)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="dropping privileges to nobody needs root")
def test_output_over_an_existing_file_keeps_its_mode_as_an_unprivileged_user() -> None:
    """Root may do anything: the same run as `nobody`, in a folder of its own."""
    nobody = pwd.getpwnam("nobody")
    with tempfile.TemporaryDirectory() as folder:
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        done = subprocess.run([sys.executable, "-c", UNPRIVILEGED_CHILD, folder], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"644 644 {nobody.pw_uid} new", f"640 640 {nobody.pw_uid} new"]


# --- interruptions ---------------------------------------------------------------


def _stalled_run(tree: Path, target: Path) -> subprocess.Popen[str]:
    """`ospo-scan scan` writing `target`, stalled with half the report in its temporary file."""
    child = subprocess.Popen(
        [sys.executable, "-c", STALLING_CHILD, "scan", str(tree), "--jobs", "1", "--format", "json", "--output", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line != "half written\n":
        child.kill()
        pytest.fail(f"the run did not reach the write: {line!r} {child.communicate()[1]}")
    return child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda signum: signal.Signals(signum).name)
def test_a_run_stopped_mid_write_leaves_the_old_file_and_no_temporary(tree: Path, tmp_path: Path, signum: int) -> None:
    target = tmp_path / "r.json"
    target.write_text(OLD)
    child = _stalled_run(tree, target)
    try:
        (partial,) = _temporaries(tmp_path, target.name)
        assert partial.name.startswith(f".r.json.{TEMPORARY_MARK}-{child.pid}-")
        assert 0 < partial.stat().st_size and target.read_text() == OLD
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    expected = 130 if signum == signal.SIGINT else -signum  # SIGINT: "interrupted"; the others end the run by the signal
    assert child.returncode == expected, stderr
    assert target.read_text() == OLD
    assert _temporaries(tmp_path, target.name) == []


def test_a_run_killed_mid_write_leaves_a_named_temporary_that_the_next_run_removes(tree: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text(OLD)
    child = _stalled_run(tree, target)
    child.kill()
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert target.read_text() == OLD
    (left,) = _temporaries(tmp_path, target.name)
    assert left.name.startswith(f".r.json.{TEMPORARY_MARK}-{child.pid}-")
    running = tmp_path / f".r.json.{TEMPORARY_MARK}-{os.getpid()}-busy.tmp"
    running.write_text("a run writing the same report right now")
    other = tmp_path / f".other.json.{TEMPORARY_MARK}-{child.pid}-x.tmp"
    other.write_text("another target's")
    done = subprocess.run([sys.executable, "-m", "ospo_scan", "scan", str(tree), "--jobs", "1", "--format", "json", "--output", str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("{")
    assert _temporaries(tmp_path, target.name) == [running]
    assert other.exists()


def test_stale_temporaries_of_other_users_or_not_files_are_left(tmp_path: Path) -> None:
    dead = _dead_pid()
    folder = tmp_path / f".r.json.{TEMPORARY_MARK}-{dead}-dir.tmp"
    folder.mkdir()
    link = tmp_path / f".r.json.{TEMPORARY_MARK}-{dead}-link.tmp"
    link.symlink_to(tmp_path / "elsewhere")
    stale = tmp_path / f".r.json.{TEMPORARY_MARK}-{dead}-file.tmp"
    stale.write_text("left by a killed run")
    assert remove_stale_temporaries(tmp_path / "r.json") == [stale]
    assert folder.is_dir() and link.is_symlink()


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)
