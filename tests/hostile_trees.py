"""Building blocks of the hostile-repository suite: the good files every hostile tree holds,
the hostile contents, and the child-process scan that guards against hangs.

Every hostile tree also holds a good `requirements.txt` and a good `package.json` +
`package-lock.json` with known packages: one bad file must never cost the files beside
it, so each case asserts that all of GOOD_PURLS are still found.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import multiprocessing.context
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import hostile_runner

WALL_CLOCK_LIMIT = 120.0
"""Seconds before a child scan is killed. A guard against hangs, not a timed assertion: every
case takes a few seconds at most, so only a hang (or a quadratic blow-up) ever reaches it."""

GOOD_REQUIREMENTS = "requests==2.32.3\nidna==3.7\n"
GOOD_PACKAGE_JSON = {"name": "good-js", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0", "is-number": "^7.0.0"}}
GOOD_PACKAGE_LOCK = {
    "name": "good-js",
    "version": "1.0.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {"name": "good-js", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0", "is-number": "^7.0.0"}},
        "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npm.example/left-pad/-/left-pad-1.3.0.tgz"},
        "node_modules/is-number": {"version": "7.0.0", "resolved": "https://registry.npm.example/is-number/-/is-number-7.0.0.tgz"},
    },
}
GOOD_PURLS = frozenset({"pkg:pypi/requests@2.32.3", "pkg:pypi/idna@3.7", "pkg:npm/left-pad@1.3.0", "pkg:npm/is-number@7.0.0"})
GOOD_FILES = ("good-py/requirements.txt", "good-js/package.json", "good-js/package-lock.json")


def write(root: Path, relative: str, data: bytes | str) -> Path:
    """Write `data` at root/relative, making the folders on the way."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def hostile_tree(tmp_path: Path) -> Path:
    """A fresh scan root holding the good files; the case adds its hostile ones."""
    root = tmp_path / "repo"
    write(root, "good-py/requirements.txt", GOOD_REQUIREMENTS)
    write(root, "good-js/package.json", json.dumps(GOOD_PACKAGE_JSON))
    write(root, "good-js/package-lock.json", json.dumps(GOOD_PACKAGE_LOCK))
    return root


@dataclass(frozen=True, slots=True)
class Issue:
    """One scan issue as the child reports it."""

    path: str
    line: int | None
    code: str
    parser: str
    message: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a child scan found."""

    components: frozenset[str]
    component_names: frozenset[str]
    issues: tuple[Issue, ...]
    locations: frozenset[str]
    """Every path a component is declared or locked at, as the scan reports it."""
    licenses: tuple[str, ...]
    """Each component's license conclusion, as its repr: the evidence, sources and files it rests on."""
    complete: bool
    files_scanned: int
    table: str | None

    def about(self, path: str) -> list[Issue]:
        """The issues that name `path` (root-relative, as the scan reports it)."""
        return [issue for issue in self.issues if issue.path == path]


def scan_in_child(root: Path, *, max_file_size: int | None = None, table: bool = False, as_user: str | None = None, home: Path | None = None) -> Outcome:
    """Scan `root` in a child process, killed (with its workers) after WALL_CLOCK_LIMIT.

    A hang, or a crash of the interpreter, fails the calling test with what happened
    instead of stalling or killing the test run. `as_user`: scan as that user, after a
    warm-up scan as root beside `root`; `home`: HOME for the child, when the test's own
    (root's tmp_path) would not do, as for `as_user`.
    """
    result_path = root.parent / f".{root.name}-scan.json"
    environment = dict(os.environ) if home is None else {**os.environ, "HOME": str(home)}
    switch = None
    if as_user is not None:
        warm_up = root.parent / "warm-up"
        write(warm_up, "requirements.txt", GOOD_REQUIREMENTS)
        switch = (as_user, str(warm_up))
    arguments = (str(root), str(result_path), environment, max_file_size, table, switch)
    child = _fork_server().Process(target=hostile_runner.run_case, args=arguments)
    child.start()
    child.join(WALL_CLOCK_LIMIT)
    if child.is_alive():
        _kill_session(child.pid)
        child.join()
        pytest.fail(f"the scan of {root} did not finish within {WALL_CLOCK_LIMIT:.0f} s and was killed (a hang)")
    _kill_session(child.pid)  # parsing workers it may have left behind
    if child.exitcode != 0 or not result_path.exists():
        pytest.fail(f"the scan of {root} ended with exit status {child.exitcode} (a crash of the interpreter)")
    document = json.loads(result_path.read_text(encoding="ascii"))
    if "error" in document:
        pytest.fail(f"an exception escaped the scan of {root}:\n{document['error']}")
    return Outcome(
        components=frozenset(document["components"]),
        component_names=frozenset(document["component_names"]),
        issues=tuple(Issue(**issue) for issue in document["issues"]),
        locations=frozenset(document["locations"]),
        licenses=tuple(document["licenses"]),
        complete=document["complete"],
        files_scanned=document["files_scanned"],
        table=document["table"],
    )


def command_in_child(arguments: list[str], *, scratch: Path, as_user: str | None = None, home: Path | None = None) -> tuple[int, str]:
    """`ospo-scan ARGUMENTS` in a child (as `as_user` after a warm-up scan in `scratch`):
    its exit code and stderr."""
    result_path = scratch / ".command-result.json"
    environment = dict(os.environ) if home is None else {**os.environ, "HOME": str(home)}
    switch = None
    if as_user is not None:
        warm_up = scratch / "warm-up"
        write(warm_up, "requirements.txt", GOOD_REQUIREMENTS)
        switch = (as_user, str(warm_up))
    child = _fork_server().Process(target=hostile_runner.run_command, args=(arguments, str(result_path), environment, switch))
    child.start()
    child.join(WALL_CLOCK_LIMIT)
    _kill_session(child.pid)
    child.join()
    if child.exitcode != 0 or not result_path.exists():
        pytest.fail(f"ospo-scan {' '.join(arguments)} ended with exit status {child.exitcode} in its child (a hang or a crash)")
    document = json.loads(result_path.read_text(encoding="ascii"))
    if "error" in document:
        pytest.fail(f"an exception escaped ospo-scan {' '.join(arguments)}:\n{document['error']}")
    return document["exit_code"], document["stderr"]


@functools.cache
def _fork_server() -> multiprocessing.context.ForkServerContext:
    """A fork server that has imported the scanner once; each case is a fork of it."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload([hostile_runner.__name__])
    return context


def _kill_session(pid: int | None) -> None:
    """SIGKILL the child's session (it called setsid): the child and its parsing workers."""
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def assert_good_files_kept(outcome: Outcome) -> None:
    """Every good file's components are there, none of them is named by an issue, no parser bug."""
    missing = GOOD_PURLS - outcome.components
    assert not missing, f"components of the good files were lost: {sorted(missing)}; issues: {outcome.issues}"
    assert not [issue for issue in outcome.issues if issue.path in GOOD_FILES], outcome.issues
    assert not [issue for issue in outcome.issues if issue.code == "internal-error"], outcome.issues


def nested_json(depth: int, opener: str = '{"a":', closer: str = "}", leaf: str = "1") -> str:
    """`depth` levels of JSON nesting around `leaf`."""
    return opener * depth + leaf + closer * depth


def billion_laughs_xml(levels: int = 10, width: int = 10) -> str:
    """The classic entity-expansion bomb: `width ** levels` copies of a word, in a POM."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{level} "{f"&lol{level - 1};" * width}">' for level in range(1, levels)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE project [\n  ' + "\n  ".join(entities) + "\n]>\n"
        f"<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>&lol{levels - 1};</artifactId><version>1</version></project>\n"
    )


def yaml_alias_anchors(levels: int = 9, width: int = 9) -> str:
    """Anchors `a0`..`a<levels-1>`, each aliasing the one before `width` times: the last,
    `*a8` by default, is `width ** levels` nodes once expanded, from a few hundred bytes."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"


LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1048576\n"
"""What a checkout without git-lfs leaves in place of a file tracked by Git LFS."""
