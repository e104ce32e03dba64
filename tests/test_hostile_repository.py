"""The hostile-repository suite: a tree built to break the scanner, one attack per case.

tests/test_hostile_tree.py puts many bad files in one tree; here each attack gets its own
tree, built in tmp_path at test time, so a failure names the attack. Every tree also holds
good files with known packages (tests/hostile_trees.py): the scan must finish, name each
bad file in an issue, and keep every component of the good files. Each scan runs in a
child process killed after a generous wall-clock limit, so a hang fails its case instead
of hanging CI; nothing here asserts a duration.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from tests.hostile_trees import (
    GOOD_PACKAGE_LOCK,
    GOOD_PURLS,
    LFS_POINTER,
    Outcome,
    assert_good_files_kept,
    billion_laughs_xml,
    command_in_child,
    hostile_tree,
    nested_json,
    scan_in_child,
    write,
    yaml_alias_anchors,
)

Content = Callable[[], bytes | str]
"""Built when the case runs, not at collection: some contents are megabytes long."""


def _xfail(what: str) -> pytest.MarkDecorator:
    """A case that fails today; the fix flips it and the lead removes the marker."""
    return pytest.mark.xfail(strict=True, reason=f"{what} — being fixed (issue 13)")


def _lock_with(extra_entry: object, key: str = "node_modules/extra") -> str:
    """A package-lock v3 of two known packages plus one more entry under `key`."""
    lock = json.loads(json.dumps(GOOD_PACKAGE_LOCK))
    lock["packages"]["node_modules/kept-a"] = {"version": "1.0.0"}
    lock["packages"]["node_modules/kept-b"] = {"version": "2.0.0"}
    lock["packages"][key] = extra_entry
    return json.dumps(lock)


def _deep_toml(depth: int, prefix: str) -> str:
    return prefix + "deep = " + "{a = " * depth + "1" + "}" * depth + "\n"


def _conflicted(ours: str, theirs: str) -> str:
    return f"<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> feature-branch\n"


_POETRY_HEAD = '[[package]]\nname = "kept"\nversion = "1.0.0"\n\n[metadata]\nlock-version = "2.0"\npython-versions = "*"\ncontent-hash = "0"\n'
_PNPM_HEAD = "lockfileVersion: '9.0'\n"
_YARN_ENTRY = '"left-pad@^1.3.0":\n  version "1.3.0"\n  resolved "https://registry.npm.example/left-pad/-/left-pad-1.3.0.tgz"\n'
_GO_SUM_LINE = "example.com/kept v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
_HUGE = "9" * 5_000

ONE_ISSUE: list[object] = [
    # XML
    pytest.param("pom.xml", billion_laughs_xml, None, id="xml-entity-expansion"),
    pytest.param("pom.xml", lambda: '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY % ext SYSTEM "file:///etc/hostname"> %ext;]>\n<project/>\n', None, id="xml-external-parameter-entity"),
    pytest.param("pom.xml", lambda: '<?xml version="1.0"?>\n<!DOCTYPE project SYSTEM "http://dtd.example/evil.dtd">\n<project><modelVersion>4.0.0</modelVersion></project>\n', None, id="xml-external-dtd"),
    # nesting
    pytest.param("deep/package-lock.json", lambda: '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "x": ' + nested_json(5_000) + "}}}", "parse-error", id="json-lockfile-5000-deep"),
    pytest.param("deep/package-lock.json", lambda: '{"lockfileVersion": 3, "packages": ' + nested_json(100_000) + "}", "parse-error", id="json-lockfile-100000-deep"),
    pytest.param("deep/Pipfile.lock", lambda: '{"_meta": {}, "default": ' + nested_json(100_000, "[", "]") + "}", "parse-error", id="pipfile-lock-100000-deep"),
    pytest.param("deep/bun.lock", lambda: '{"lockfileVersion": 1, "packages": ' + nested_json(5_000) + "}", "parse-error", id="bun-lock-5000-deep"),
    pytest.param("deep/bun.lock", lambda: '{"lockfileVersion": 1, "packages": ' + nested_json(100_000, "[", "]") + "}", "parse-error", id="bun-lock-100000-deep"),
    pytest.param("deep/pyproject.toml", lambda: _deep_toml(10_000, '[project]\nname = "deep"\nversion = "1"\n[tool.x]\n'), "parse-error", id="toml-10000-deep-inline-tables"),
    pytest.param("deep/poetry.lock", lambda: _deep_toml(10_000, _POETRY_HEAD + "[extra]\n"), "parse-error", id="poetry-lock-10000-deep-inline-tables"),
    # encodings
    pytest.param("utf16/requirements.txt", lambda: "flask==3.0.0\n".encode("utf-16-le"), "binary-file", id="utf16-without-bom"),
    pytest.param("lying-bom/requirements.txt", lambda: b"\xef\xbb\xbfflask==3.0.0\n\xff\xfe\n", "read-error", id="utf8-bom-then-invalid-utf8"),
    pytest.param("nul/requirements.txt", lambda: b"flask==3.0.0\n\x00\nclick==8.1.7\n", "binary-file", id="nul-bytes"),
    pytest.param("nul/yarn.lock", lambda: _YARN_ENTRY.encode() + b"\x00", "binary-file", id="nul-byte-in-yarn-lock"),
    # merge conflicts
    pytest.param("conflict/package-lock.json", lambda: _conflicted('{"lockfileVersion": 3, "packages": {}}\n', '{"lockfileVersion": 2, "packages": {}}\n'), "parse-error", id="merge-conflict-package-lock"),
    # wrong shape
    pytest.param("shape/package-lock.json", lambda: "null", None, id="package-lock-null"),
    pytest.param("shape/package-lock.json", lambda: "[]", None, id="package-lock-empty-list"),
    pytest.param("shape/package-lock.json", lambda: '"lockfile"', None, id="package-lock-string"),
    pytest.param("shape/package.json", lambda: "null", None, id="package-json-null"),
    pytest.param("shape/package.json", lambda: "[]", None, id="package-json-empty-list"),
    pytest.param("shape/Pipfile.lock", lambda: "[]", None, id="pipfile-lock-empty-list"),
    pytest.param("shape/bun.lock", lambda: "null", None, id="bun-lock-null"),
    pytest.param("shape/pnpm-lock.yaml", lambda: "- a\n- b\n", None, id="pnpm-lock-list"),
    # YAML aliases
    pytest.param("yaml/pnpm-lock.yaml", lambda: _PNPM_HEAD + yaml_alias_anchors() + "importers:\n  .:\n    dependencies:\n      bomb: *a8\npackages:\n  bomb@1.0.0: *a8\n", "parse-error", id="yaml-alias-bomb"),
    pytest.param("yaml/pnpm-lock.yaml", lambda: _PNPM_HEAD + "packages: &p\n  self@1.0.0: *p\n", "parse-error", id="yaml-alias-cycle"),
    pytest.param("yaml/pnpm-lock.yaml", lambda: _PNPM_HEAD + "importers: &i\n  .:\n    dependencies: [*i, *i]\n", "parse-error", id="yaml-alias-cycle-in-a-list"),
    pytest.param("yaml/yarn.lock", lambda: "__metadata:\n  version: 8\n  cacheKey: 10\n\n" + yaml_alias_anchors() + '"bomb@npm:1.0.0":\n  version: 1.0.0\n  resolution: "bomb@npm:1.0.0"\n  dependencies: *a8\n', "parse-error", id="yaml-alias-bomb-yarn-berry"),
    # Git LFS pointers in place of lockfiles
    pytest.param("lfs/package-lock.json", lambda: LFS_POINTER, "parse-error", id="lfs-pointer-package-lock"),
    pytest.param("lfs/yarn.lock", lambda: LFS_POINTER, None, id="lfs-pointer-yarn-lock"),
    pytest.param("lfs/pnpm-lock.yaml", lambda: LFS_POINTER, None, id="lfs-pointer-pnpm-lock"),
    pytest.param("lfs/poetry.lock", lambda: LFS_POINTER, "parse-error", id="lfs-pointer-poetry-lock"),
    pytest.param("lfs/uv.lock", lambda: LFS_POINTER, "parse-error", id="lfs-pointer-uv-lock"),
    pytest.param("lfs/Pipfile.lock", lambda: LFS_POINTER, "parse-error", id="lfs-pointer-pipfile-lock"),
    pytest.param("lfs/go.sum", lambda: LFS_POINTER, None, id="lfs-pointer-go-sum"),
    # numbers
    pytest.param("numbers/package-lock.json", lambda: '{"lockfileVersion": ' + _HUGE + ', "packages": {}}', None, id="5000-digit-integer-json"),
    pytest.param("numbers/poetry.lock", lambda: _POETRY_HEAD + "[extra]\nhuge = " + _HUGE + "\n", None, id="5000-digit-integer-toml"),
    pytest.param("numbers/pnpm-lock.yaml", lambda: "lockfileVersion: " + _HUGE + "\n", None, id="5000-digit-integer-yaml"),
    # duplicate keys
    pytest.param("dup/pyproject.toml", lambda: '[project]\nname = "a"\nname = "b"\nversion = "1"\n', "parse-error", id="duplicate-keys-toml"),
]


@pytest.mark.parametrize(("relative", "content", "code"), ONE_ISSUE)
def test_a_bad_file_is_one_issue_and_costs_nothing_else(tmp_path: Path, relative: str, content: Content, code: str | None) -> None:
    """The bad file is named by exactly one issue (of `code`, when given); the good files all count."""
    root = hostile_tree(tmp_path)
    write(root, relative, content())
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    issues = outcome.about(relative)
    assert len(issues) == 1, f"expected one issue naming {relative}, got {issues}"
    if code is not None:
        assert issues[0].code == code, issues[0]


def _yarn_entry(name: str, version: str) -> str:
    return f'"{name}@^{version}":\n  version "{version}"\n  resolved "https://registry.npm.example/{name}/-/{name}-{version}.tgz"\n'


LINE_BY_LINE: list[object] = [
    pytest.param("conflict/yarn.lock", lambda: "# yarn lockfile v1\n\n" + _conflicted(_yarn_entry("ours", "1.0.0"), _yarn_entry("theirs", "2.0.0")) + "\n" + _yarn_entry("after", "3.0.0"), {"pkg:npm/ours@1.0.0", "pkg:npm/theirs@2.0.0", "pkg:npm/after@3.0.0"}, id="merge-conflict-yarn-lock"),
    pytest.param("conflict/go.sum", lambda: _conflicted(_GO_SUM_LINE.replace("kept", "ours"), _GO_SUM_LINE.replace("kept", "theirs")) + _GO_SUM_LINE, {"pkg:golang/example.com/ours@v1.0.0", "pkg:golang/example.com/theirs@v1.0.0", "pkg:golang/example.com/kept@v1.0.0"}, id="merge-conflict-go-sum"),
    pytest.param("conflict/requirements.txt", lambda: _conflicted("ours==1.0.0\n", "theirs==2.0.0\n") + "after==3.0.0\n", {"pkg:pypi/ours@1.0.0", "pkg:pypi/theirs@2.0.0", "pkg:pypi/after@3.0.0"}, id="merge-conflict-requirements"),
]


@pytest.mark.parametrize(("relative", "content", "expected"), LINE_BY_LINE)
def test_a_bad_line_of_a_line_format_is_an_issue_and_the_other_lines_count(tmp_path: Path, relative: str, content: Content, expected: set[str]) -> None:
    """Line formats read on past a line they cannot understand (a conflict marker): each such
    line is an issue with its line number, every other line still counts."""
    root = hostile_tree(tmp_path)
    write(root, relative, content())
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    issues = outcome.about(relative)
    assert issues and all(issue.line is not None for issue in issues), issues
    assert expected <= outcome.components, f"missing {sorted(expected - outcome.components)}; issues: {issues}"


# Two entries of one name, and "packages" twice (JSON parsers keep the last of each).
_DUPLICATE_JSON = '{"lockfileVersion": 3, "packages": {"node_modules/kept-a": {"version": "1.0.0"}, "node_modules/dup": {"version": "1.0.0"}, "node_modules/dup": {"version": "2.0.0"}}, "packages": {"node_modules/kept-a": {"version": "1.0.0"}}}'


def _pom(properties: str, dependencies: str) -> str:
    return f"<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>{properties}</properties><dependencies>{dependencies}</dependencies></project>"


def _maven_dependency(artifact: str, version: str) -> str:
    return f"<dependency><groupId>org.example</groupId><artifactId>{artifact}</artifactId><version>{version}</version></dependency>"


VALID_BUT_EXTREME: list[object] = [
    pytest.param("deep/pyproject.toml", lambda: '[project]\nname = "deep"\nversion = "1"\ndependencies = ["flask==3.0.0"]\n\n[tool]\n' + ".".join(["a"] * 10_000) + " = 1\n", {"pkg:pypi/flask@3.0.0"}, id="toml-10000-deep-dotted-key"),
    pytest.param("deep/poetry.lock", lambda: _POETRY_HEAD + "\n[" + ".".join(["a"] * 10_000) + "]\nx = 1\n", {"pkg:pypi/kept@1.0.0"}, id="toml-10000-deep-table-header"),
    pytest.param("dup/package-lock.json", lambda: _DUPLICATE_JSON, {"pkg:npm/kept-a@1.0.0"}, id="duplicate-keys-json"),
    pytest.param("dup/pnpm-lock.yaml", lambda: _PNPM_HEAD + "packages:\n  kept-a@1.0.0:\n    resolution: {integrity: sha512-a}\n  kept-a@1.0.0:\n    resolution: {integrity: sha512-b}\n", {"pkg:npm/kept-a@1.0.0"}, id="duplicate-keys-yaml"),
    pytest.param("maven/pom.xml", lambda: _pom("<a>${b}</a><b>${c}</b><c>${a}</c>", _maven_dependency("kept", "1.0") + _maven_dependency("cycle", "${a}")), {"pkg:maven/org.example/kept@1.0"}, id="maven-property-cycle"),
    pytest.param("maven/pom.xml", lambda: _pom("<self>x${self}</self>", _maven_dependency("kept", "1.0") + _maven_dependency("self", "${self}")), {"pkg:maven/org.example/kept@1.0"}, id="maven-property-refers-to-itself"),
    pytest.param("long/requirements.txt", lambda: "flask" + " " * 1_000_000 + "==3.0.0\n", {"pkg:pypi/flask@3.0.0"}, id="1mb-of-spaces-between-name-and-version"),
    pytest.param("long/requirements.txt", lambda: "flask==3.0.0; python_version" + " " * 1_000_000 + ">= '3'\n", {"pkg:pypi/flask@3.0.0"}, id="1mb-of-spaces-in-a-marker"),
    pytest.param("numbers/package.json", lambda: '{"name": "n", "version": "1.0.0", "size": ' + _HUGE + ', "dependencies": {"lodash": "4.17.21"}}', {"pkg:npm/lodash@4.17.21"}, id="5000-digit-integer-in-an-unused-field"),
]


@pytest.mark.parametrize(("relative", "content", "expected"), VALID_BUT_EXTREME)
def test_a_valid_but_extreme_file_is_read_or_refused_in_one_issue(tmp_path: Path, relative: str, content: Content, expected: set[str]) -> None:
    """Valid input taken to an extreme (10,000-deep keys, duplicate keys, cyclic properties,
    a megabyte of spaces inside one requirement): either what can be read is read (`expected`
    found), with at most one issue, or the file is refused in exactly one issue."""
    root = hostile_tree(tmp_path)
    write(root, relative, content())
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    issues = outcome.about(relative)
    if expected <= outcome.components:
        assert len(issues) <= 1, issues
    else:
        assert len(issues) == 1, f"{relative} lost {sorted(expected - outcome.components)} with {len(issues)} issues: {issues}"


def test_a_maven_property_expansion_bomb_is_refused(tmp_path: Path) -> None:
    """Seven levels of ten references each: `${p7}` is 3 * 10**7 characters of `lol`.

    Kept that small so that, should the bound on expansion go, the case costs seconds and a
    few hundred megabytes rather than the machine (unbounded, 10**9 characters take minutes
    and gigabytes; 10**11 end in MemoryError); any sane bound refuses it all the same. Each
    property refused may be its own issue.
    """
    bomb = "".join(f"<p{level}>" + f"${{p{level - 1}}}" * 10 + f"</p{level}>" for level in range(1, 8))
    root = hostile_tree(tmp_path)
    write(root, "maven/pom.xml", _pom("<p0>lol</p0>" + bomb, _maven_dependency("kept", "1.0") + _maven_dependency("bomb", "${p7}")))
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert "pkg:maven/org.example/kept@1.0" in outcome.components
    assert not [purl for purl in outcome.components if len(purl) > 10_000], "a version of millions of characters was kept"
    assert outcome.about("maven/pom.xml"), "the refused expansion is not reported"


READ_FULLY: list[object] = [
    pytest.param("bom/requirements.txt", lambda: "\ufeffflask==3.0.0\n".encode("utf-16-le"), {"pkg:pypi/flask@3.0.0"}, id="utf16-le-with-bom"),
    pytest.param("bom/requirements.txt", lambda: "\ufeffflask==3.0.0\n".encode("utf-16-be"), {"pkg:pypi/flask@3.0.0"}, id="utf16-be-with-bom"),
    pytest.param("bom/requirements.txt", lambda: "\ufeffflask==3.0.0\n".encode("utf-32-le"), {"pkg:pypi/flask@3.0.0"}, id="utf32-le-with-bom"),
    pytest.param("bom/package.json", lambda: "\ufeff" + json.dumps({"name": "b", "dependencies": {"lodash": "4.17.21"}}), {"pkg:npm/lodash@4.17.21"}, id="utf8-bom-package-json"),
    pytest.param("bom/package-lock.json", lambda: ("\ufeff" + _lock_with({"version": "3.0.0"})).encode("utf-16-be"), {"pkg:npm/kept-a@1.0.0", "pkg:npm/extra@3.0.0"}, id="utf16-be-package-lock"),
    pytest.param("bom/go.mod", lambda: "\ufeffmodule example.com/bom\n\ngo 1.21\n\nrequire example.com/dep v1.2.3\n", {"pkg:golang/example.com/dep@v1.2.3"}, id="utf8-bom-go-mod"),
    pytest.param("bom/pyproject.toml", lambda: '\ufeff[project]\nname = "bom"\nversion = "1"\ndependencies = ["flask==3.0.0"]\n', {"pkg:pypi/flask@3.0.0"}, id="utf8-bom-pyproject"),
    pytest.param("long/requirements.txt", lambda: "flask==3.0.0" + " " * 1_000_000 + "# a comment after a million spaces\n", {"pkg:pypi/flask@3.0.0"}, id="1mb-line-of-spaces-requirements"),
    pytest.param("long/requirements.txt", lambda: "flask==3.0.0" + " " * 1_000_000 + "\nclick==8.1.7\n", {"pkg:pypi/flask@3.0.0", "pkg:pypi/click@8.1.7"}, id="1mb-of-trailing-spaces-requirements"),
    pytest.param("long/requirements.txt", lambda: " " * 1_000_000 + "flask==3.0.0\nclick==8.1.7\n", {"pkg:pypi/flask@3.0.0", "pkg:pypi/click@8.1.7"}, id="1mb-of-leading-spaces-requirements"),
    pytest.param("long/requirements.txt", lambda: "flask==3.0.0 # " + "x" * 1_000_000 + "\nclick==8.1.7\n", {"pkg:pypi/flask@3.0.0", "pkg:pypi/click@8.1.7"}, id="1mb-comment-requirements"),
    pytest.param("long/package-lock.json", lambda: _lock_with({"version": "3.0.0", "description": "x" * 1_000_000}), {"pkg:npm/kept-a@1.0.0", "pkg:npm/extra@3.0.0"}, id="1mb-single-line-package-lock"),
    pytest.param("long/package.json", lambda: '{"name": "l", "dependencies":' + " " * 1_000_000 + '{"lodash": "4.17.21"}}', {"pkg:npm/lodash@4.17.21"}, id="1mb-of-spaces-package-json"),
    pytest.param("long/go.mod", lambda: "module example.com/long // " + "x" * 1_000_000 + "\n\ngo 1.21\n\nrequire example.com/dep v1.2.3\n", {"pkg:golang/example.com/dep@v1.2.3"}, id="1mb-comment-go-mod"),
    pytest.param("long/yarn.lock", lambda: "# yarn lockfile v1\n# " + "x" * 1_000_000 + "\n\n" + _YARN_ENTRY, {"pkg:npm/left-pad@1.3.0"}, id="1mb-comment-yarn-lock"),
    pytest.param("long/pom.xml", lambda: "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>long</artifactId><version>1</version><description>" + "x" * 1_000_000 + "</description><dependencies><dependency><groupId>org.example</groupId><artifactId>kept</artifactId><version>1.0</version></dependency></dependencies></project>", {"pkg:maven/org.example/kept@1.0"}, id="1mb-single-line-pom"),
    pytest.param("long/go.sum", lambda: _GO_SUM_LINE + "// " + " " * 1_000_000 + "\n", {"pkg:golang/example.com/kept@v1.0.0"}, id="1mb-line-go-sum"),
]


@pytest.mark.parametrize(("relative", "content", "expected"), READ_FULLY)
def test_an_odd_but_valid_file_is_read_fully(tmp_path: Path, relative: str, content: Content, expected: set[str]) -> None:
    """Byte order marks, UTF-16/32 and megabyte lines are valid input: everything in them counts."""
    root = hostile_tree(tmp_path)
    write(root, relative, content())
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert expected <= outcome.components, f"missing {sorted(expected - outcome.components)}; issues: {outcome.about(relative)}"


ONE_ENTRY: list[object] = [
    pytest.param("entry/package-lock.json", lambda: _lock_with({"version": False}), False, id="json-version-false"),
    pytest.param("entry/package-lock.json", lambda: _lock_with({"version": 1.5}), False, id="json-version-a-number"),
    pytest.param("entry/package-lock.json", lambda: _lock_with(["not", "an", "entry"]), False, id="json-entry-is-a-list"),
    pytest.param("entry/package-lock.json", lambda: _lock_with({"version": "1.0.0", "dependencies": False}), True, id="json-dependencies-false"),
    pytest.param("entry/package-lock.json", lambda: _lock_with({"version": "1." + _HUGE}), True, id="json-5000-digit-version"),
    pytest.param("entry/requirements.txt", lambda: "kept-a==1.0.0\nextra==1." + _HUGE + "\nkept-b==2.0.0\n", True, id="requirements-5000-digit-version"),
    pytest.param("entry/Pipfile.lock", lambda: json.dumps({"_meta": {}, "default": {"kept-a": {"version": "==1.0.0"}, "extra": {"version": False}, "kept-b": {"version": "==2.0.0"}}}), False, id="pipfile-lock-version-false"),
    pytest.param("entry/pnpm-lock.yaml", lambda: _PNPM_HEAD + "packages:\n  kept-a@1.0.0: {}\n  extra@: false\n  kept-b@2.0.0: {}\n", True, id="pnpm-lock-entry-false"),
]


@pytest.mark.parametrize(("relative", "content", "may_keep"), ONE_ENTRY)
def test_one_bad_entry_costs_that_entry_only(tmp_path: Path, relative: str, content: Content, may_keep: bool) -> None:
    """An entry of the wrong type costs one issue and nothing else: its siblings in the same
    file count, and it is dropped or kept without a version (marked, not made up).

    `may_keep`: the value may instead be kept as it is (a version of 5,000 digits is valid
    text), with at most one issue.
    """
    root = hostile_tree(tmp_path)
    write(root, relative, content())
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    ecosystem = "pypi" if relative.endswith((".txt", "Pipfile.lock")) else "npm"
    assert {f"pkg:{ecosystem}/kept-a@1.0.0", f"pkg:{ecosystem}/kept-b@2.0.0"} <= outcome.components, outcome.about(relative)
    kept = sorted(purl for purl in outcome.components if purl.startswith(f"pkg:{ecosystem}/extra"))
    issues = outcome.about(relative)
    if may_keep:
        assert len(issues) <= 1, issues
    else:
        assert kept in ([], [f"pkg:{ecosystem}/extra"]), f"the bad entry was given a version: {kept}"
        assert len(issues) == 1, f"expected one issue naming {relative}, got {issues}"


def test_a_200_mb_requirements_file_is_refused_by_the_default_size_cap(tmp_path: Path) -> None:
    """A sparse 200 MB file costs no disk and no time to make; the default cap refuses it unread."""
    root = hostile_tree(tmp_path)
    huge = write(root, "huge/requirements.txt", "flask==3.0.0\n")
    with huge.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert [issue.code for issue in outcome.about("huge/requirements.txt")] == ["too-large"]


# --- file-system attacks ----------------------------------------------------------------


def _outside(tmp_path: Path) -> Path:
    """A folder beside the root whose files must never be read: their packages are all `secret-*`."""
    outside = tmp_path / "outside"
    write(outside, "requirements.txt", "secret-package==6.6.6\n")
    write(outside, "package-lock.json", json.dumps({"lockfileVersion": 3, "packages": {"node_modules/secret-npm": {"version": "6.6.6"}}}))
    write(outside, "package.json", json.dumps({"name": "secret-root", "dependencies": {"secret-npm": "6.6.6"}}))
    write(outside, "pom.xml", "<project><modelVersion>4.0.0</modelVersion><groupId>secret</groupId><artifactId>secret-parent</artifactId><version>1</version><packaging>pom</packaging><dependencies><dependency><groupId>secret</groupId><artifactId>secret-dep</artifactId><version>6.6.6</version></dependency></dependencies></project>")
    return outside


def _assert_nothing_from_outside(outcome: Outcome) -> None:
    leaked = sorted(name for name in outcome.component_names if "secret" in name)
    assert not leaked, f"components read from outside the root: {leaked}"


def test_symlink_loops_end(tmp_path: Path) -> None:
    """A folder linking to the root, two folders linking to each other and a link to itself."""
    root = hostile_tree(tmp_path)
    (root / "loop").symlink_to(root)
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "a" / "to-b").symlink_to(root / "b")
    (root / "b" / "to-a").symlink_to(root / "a")
    (root / "self").mkdir()
    (root / "self" / "requirements.txt").symlink_to(root / "self" / "requirements.txt")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert len(outcome.about("self/requirements.txt")) <= 1


def test_license_evidence_behind_a_symlink_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    """node_modules and .venv linking out of the tree: their license files and metadata are
    another tree's, so no license conclusion may rest on them."""
    outside = tmp_path / "outside"
    write(outside, "node_modules/left-pad/package.json", json.dumps({"name": "left-pad", "version": "1.3.0", "license": "SECRET-NPM-LICENSE"}))
    write(outside, "node_modules/left-pad/LICENSE", "SECRET license text\n")
    write(outside, "venv/pyvenv.cfg", "home = /usr/bin\n")
    write(outside, "venv/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nLicense: SECRET-PY-LICENSE\n")
    root = hostile_tree(tmp_path)
    (root / "good-js" / "node_modules").symlink_to(outside / "node_modules", target_is_directory=True)
    (root / "good-py" / ".venv").symlink_to(outside / "venv", target_is_directory=True)
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert not [license for license in outcome.licenses if "SECRET" in license or str(outside) in license], outcome.licenses


def test_symlinks_to_outside_the_root_are_not_followed(tmp_path: Path) -> None:
    """A file and a folder linking out of the root: nothing of the outside is read.

    The manifest link is one issue naming it (never read, never silent); a folder link
    names no manifest, so nothing under it is reported; the license stage warns about the
    node_modules link.
    """
    outside = _outside(tmp_path)
    root = hostile_tree(tmp_path)
    write(root, "escape-file/.keep", "")
    (root / "escape-file" / "requirements.txt").symlink_to(outside / "requirements.txt")
    (root / "escape-dir").symlink_to(outside, target_is_directory=True)
    (root / "node_modules").symlink_to(outside, target_is_directory=True)
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    _assert_nothing_from_outside(outcome)
    assert [issue.code for issue in outcome.about("escape-file/requirements.txt")] == ["symlink-outside-root"]
    assert not [issue for issue in outcome.issues if issue.path.startswith("escape-dir/")]
    assert not outcome.complete, "a manifest left unread leaves the scan incomplete, as any unread file does"


def test_a_fifo_named_package_json_is_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: the scan must not wait for one,
    and each FIFO named like a manifest is one issue saying what it is."""
    root = hostile_tree(tmp_path)
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "package.json")
    os.mkfifo(root / "package-lock.json")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    for path in ("fifo/package.json", "package-lock.json"):
        assert [(issue.code, issue.message) for issue in outcome.about(path)] == [("read-error", "a named pipe (FIFO), not a regular file: never opened")]
    assert not outcome.complete


def test_special_files_and_broken_links_named_like_manifests_are_reported_not_opened(tmp_path: Path) -> None:
    """A socket, an in-root link to a FIFO, a link to a device outside the root, a dangling
    link and a link loop, each named like a manifest: one issue each, nothing opened."""
    root = hostile_tree(tmp_path)
    special = root / "special"
    special.mkdir()
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(special / "go.mod"))
    os.mkfifo(special / "pipe")
    (special / "package.json").symlink_to(special / "pipe")
    (special / "Cargo.toml").symlink_to("/dev/zero")  # no parser wants it: not reported
    (special / "poetry.lock").symlink_to("/dev/zero")
    (special / "pom.xml").symlink_to(special / "gone.xml")
    (special / "yarn.lock").symlink_to(special / "yarn.lock")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    expected = {
        "special/go.mod": ("read-error", "a socket, not a regular file: never opened"),
        "special/package.json": ("read-error", "a named pipe (FIFO), not a regular file: never opened"),
        "special/poetry.lock": ("symlink-outside-root", "a symbolic link leading outside the scanned root: not followed, not read"),
        "special/pom.xml": ("read-error", "a broken symbolic link, or a loop of links: nothing to read"),
        "special/yarn.lock": ("read-error", "a broken symbolic link, or a loop of links: nothing to read"),
    }
    found = {issue.path: (issue.code, issue.message) for issue in outcome.issues if issue.path.startswith("special/")}
    assert found == expected
    assert all(len(outcome.about(path)) == 1 for path in expected)


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    """A folder a dropped-privilege child can enter (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="ospo-hostile-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _others_can_read_the_installation() -> bool:
    """True when every folder above the installed license data lets other users through."""
    import license_expression

    path = Path(license_expression.__file__).resolve().parent
    for folder in (path, *path.parents):
        if not folder.stat().st_mode & 0o001:
            return False
    return True


def _unprivileged_user() -> str | None:
    """The user a child scans as so that a file mode counts: `nobody` when running as root
    (root reads any file whatever its mode), else None; skips the test where impossible."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop privileges to")
    if not _others_can_read_the_installation():
        pytest.skip("running as root and the installed packages lie under a folder 'nobody' cannot enter (e.g. a checkout in a 0700 temp folder)")
    return "nobody"


def test_a_file_without_read_permission_is_one_read_error(world_readable_tmp: Path) -> None:
    """Root reads any file whatever its mode, so as root the child scans as `nobody`."""
    as_user = _unprivileged_user()
    root = hostile_tree(world_readable_tmp)
    (world_readable_tmp / "home").mkdir()
    for folder in (world_readable_tmp, root, *root.rglob("*")):
        folder.chmod(0o755 if folder.is_dir() else 0o644)
    write(root, "locked/requirements.txt", "flask==3.0.0\n").chmod(0)
    write(root, "sealed/requirements.txt", "flask==3.0.0\n")
    (root / "sealed").chmod(0)
    try:
        outcome = scan_in_child(root, as_user=as_user, home=world_readable_tmp / "home")
    finally:
        (root / "sealed").chmod(0o755)
    assert_good_files_kept(outcome)
    assert [issue.code for issue in outcome.about("locked/requirements.txt")] == ["read-error"]
    assert [issue.code for issue in outcome.about("sealed")] == ["discovery-error"]


_LIBRARY_POM = '<project><modelVersion>4.0.0</modelVersion><groupId>org.kept</groupId><artifactId>lib</artifactId><version>1.0</version><packaging>pom</packaging><licenses><license><name>MIT</name></license></licenses></project>\n'
_APP_POM = '<project><modelVersion>4.0.0</modelVersion><parent><groupId>org.kept</groupId><artifactId>lib</artifactId><version>1.0</version></parent><artifactId>app</artifactId><dependencies><dependency><groupId>org.kept</groupId><artifactId>lib</artifactId><version>1.0</version></dependency></dependencies></project>\n'


@pytest.mark.parametrize(
    ("locked", "parent_issue"),
    [
        (".m2", "not found in the scanned tree or local repository"),  # not entered at all: as if there were none
        (".m2/repository", "is in the local repository but unusable: org/kept/lib/1.0/lib-1.0.pom: cannot stat: Permission denied"),
        (".m2/repository/org/kept/lib/1.0/lib-1.0.pom", "is in the local repository but unusable: org/kept/lib/1.0/lib-1.0.pom: cannot open: Permission denied"),
    ],
    ids=["m2-not-enterable", "maven-repository-mode-000", "repository-pom-mode-000"],
)
def test_an_unreadable_local_maven_repository_is_a_reason_not_a_crash(world_readable_tmp: Path, locked: str, parent_issue: str) -> None:
    """~/.m2 that this user may not read (a shared CI home, a root-owned cache): the scan goes
    on, the POM's parent lookup is one issue saying why, and the library's license reason
    says the repository or its POM could not be read, never that it is simply absent."""
    as_user = _unprivileged_user()
    root = hostile_tree(world_readable_tmp)
    home = world_readable_tmp / "home"
    write(home, ".m2/repository/org/kept/lib/1.0/lib-1.0.pom", _LIBRARY_POM)
    write(root, "maven/pom.xml", _APP_POM)
    for path in (world_readable_tmp, *world_readable_tmp.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (home / locked).chmod(0)
    try:
        outcome = scan_in_child(root, as_user=as_user, home=home)
    finally:
        (home / locked).chmod(0o755)
    assert_good_files_kept(outcome)
    assert "pkg:maven/org.kept/lib@1.0" in outcome.components
    assert [issue.message for issue in outcome.about("maven/pom.xml")] == [f"parent org.kept:lib:1.0 {parent_issue}"]
    [library] = [license for license in outcome.licenses if "Permission denied" in license]
    assert "MIT" not in library, "a POM this user may not read was read"


def test_a_maven_repo_option_inside_a_folder_that_cannot_be_entered_is_a_usage_error(world_readable_tmp: Path) -> None:
    """`--maven-repo` below a folder this user may not enter: Path.is_dir raises there
    instead of saying no, which used to end the run as an internal error (exit 70)."""
    as_user = _unprivileged_user()
    root = write(world_readable_tmp, "repo/requirements.txt", "flask==3.0.0\n").parent
    repository = world_readable_tmp / "sealed" / "m2"
    repository.mkdir(parents=True)
    for path in (world_readable_tmp, *world_readable_tmp.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (world_readable_tmp / "sealed").chmod(0)
    try:
        exit_code, stderr = command_in_child(["scan", str(root), "--maven-repo", str(repository)], scratch=world_readable_tmp, as_user=as_user, home=world_readable_tmp)
    finally:
        (world_readable_tmp / "sealed").chmod(0o755)
    assert exit_code == 2, stderr
    assert "--maven-repo" in stderr
    assert "Permission denied" in stderr


def test_includes_that_leave_the_root_or_block_are_issues_on_the_including_line(tmp_path: Path) -> None:
    """`-r` outside the root, to an absolute path, to a FIFO, to itself: one issue each, pins kept."""
    outside = _outside(tmp_path)
    root = hostile_tree(tmp_path)
    os.mkfifo(root / "pipe.txt")
    lines = ["kept-a==1.0.0", "-r ../../outside/requirements.txt", f"-r {outside / 'requirements.txt'}", "-r ../pipe.txt", "-c ../../outside/requirements.txt", "-r requirements.txt", "kept-b==2.0.0"]
    write(root, "inc/requirements.txt", "\n".join(lines) + "\n")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    _assert_nothing_from_outside(outcome)
    assert {"pkg:pypi/kept-a@1.0.0", "pkg:pypi/kept-b@2.0.0"} <= outcome.components
    assert sorted(issue.line or 0 for issue in outcome.about("inc/requirements.txt")) == [2, 3, 4, 5, 6]


def test_workspace_globs_stay_inside_the_root(tmp_path: Path) -> None:
    """`**` names every folder of the tree and `../../*` folders outside it: neither escapes nor hangs."""
    _outside(tmp_path)
    root = hostile_tree(tmp_path)
    for depth in range(30):
        write(root, "/".join(f"d{level}" for level in range(depth + 1)) + "/.keep", "")
    write(root, "package.json", json.dumps({"name": "root", "private": True, "workspaces": ["**", "../../*", "../outside", "/"]}))
    write(root, "pnpm-workspace.yaml", "packages:\n  - '**'\n  - '../../*'\n")
    write(root, "go.work", "go 1.21\n\nuse (\n\t../outside\n\t/\n\t./**\n)\n")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    _assert_nothing_from_outside(outcome)


_POM_HEAD = "<project><modelVersion>4.0.0</modelVersion>"
_POM_DEPENDENCY = "<dependencies><dependency><groupId>org.example</groupId><artifactId>kept</artifactId><version>1.0</version></dependency></dependencies>"


def test_parent_poms_outside_the_root_or_circular_are_not_followed(tmp_path: Path) -> None:
    """relativePath out of the root, to the POM itself, and two POMs each other's parent."""
    _outside(tmp_path)
    root = hostile_tree(tmp_path)
    parent_outside = "<parent><groupId>secret</groupId><artifactId>secret-parent</artifactId><version>1</version><relativePath>../../../outside/pom.xml</relativePath></parent>"
    write(root, "out/pom.xml", f"{_POM_HEAD}{parent_outside}<artifactId>out</artifactId>{_POM_DEPENDENCY}</project>")
    itself = "<parent><groupId>g</groupId><artifactId>self</artifactId><version>1</version><relativePath>pom.xml</relativePath></parent>"
    write(root, "self/pom.xml", f"{_POM_HEAD}{itself}<groupId>g</groupId><artifactId>self</artifactId><version>1</version>{_POM_DEPENDENCY}</project>")
    for name, other in (("ping", "pong"), ("pong", "ping")):
        parent = f"<parent><groupId>g</groupId><artifactId>{other}</artifactId><version>1</version><relativePath>../{other}/pom.xml</relativePath></parent>"
        write(root, f"{name}/pom.xml", f"{_POM_HEAD}{parent}<artifactId>{name}</artifactId>{_POM_DEPENDENCY}</project>")
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    _assert_nothing_from_outside(outcome)
    assert "pkg:maven/org.example/kept@1.0" in outcome.components
    for pom in ("out/pom.xml", "self/pom.xml", "ping/pom.xml", "pong/pom.xml"):
        assert len(outcome.about(pom)) <= 1, outcome.about(pom)


_PLANTED = ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31mRED", "\u202e")
_RICH_STYLE = re.compile(r"\x1b\[[0-9;]*m")
"""The SGR sequences rich itself writes for bold and colour on a terminal."""


def test_escape_sequences_and_bidi_overrides_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    """Names of folders, files and packages holding ANSI escapes and U+202E, in good and bad files."""
    root = hostile_tree(tmp_path)
    folder = "evil\x1b[2J\u202efig"
    packages = {f"node_modules/{name}": {"version": "1.0.0"} for name in ("clear\x1b[2Jscreen", "title\x1b]0;pwned\x07", "\u202eexe.txt", "\x1b[31mRED")}
    write(root, f"{folder}/package-lock.json", json.dumps({"lockfileVersion": 3, "packages": packages}))
    write(root, f"{folder}/package.json", '{"name": "broken\x1b[2J", ')
    write(root, "requirements-\x1b]0;pwned\x07.txt", "ok-\u202epkg==1.0\nbad\x1b[2Jline ===\n")
    write(root, "pyproject.toml", '[project]\nname = "\x1b[31mRED"\nversion = "1\u202e"\ndependencies = ["flask==3.0.0"]\n')
    outcome = scan_in_child(root, table=True)
    assert_good_files_kept(outcome)
    table = outcome.table or ""
    assert "\\x1b" in table and "\\u202e" in table, "the hostile names should be in the report, spelled out"
    for planted in _PLANTED:
        assert planted not in table, f"{planted!r} reached the terminal report unescaped"
    unstyled = _RICH_STYLE.sub("", table)
    leftover = sorted({character for character in unstyled if (ord(character) < 0x20 and character != "\n") or character in "\x7f\u202e"})
    assert not leftover, f"control characters left in the terminal report: {leftover}"


def test_names_that_are_not_utf8_are_read_and_shown_printable(tmp_path: Path) -> None:
    """A folder and a file whose names are not UTF-8: read, and shown as `\\xNN` in the report."""
    root = hostile_tree(tmp_path)
    folder = os.fsencode(root) + b"/caf\xe9"
    os.mkdir(folder)
    with open(folder + b"/requirements.txt", "wb") as handle:
        handle.write(b"flask==3.0.0\n")
    with open(os.fsencode(root) + b"/requirements-\xff.txt", "wb") as handle:
        handle.write(b"click==8.1.7\n")
    outcome = scan_in_child(root, table=True)  # the table report renders them without failing
    assert_good_files_kept(outcome)
    assert {"pkg:pypi/flask@3.0.0", "pkg:pypi/click@8.1.7"} <= outcome.components, outcome.issues
    assert not outcome.issues
    assert {"caf\\xe9/requirements.txt", "requirements-\\xff.txt"} <= outcome.locations


@pytest.fixture
def memory_tmp(tmp_path: Path) -> Iterator[Path]:
    """A folder on tmpfs (/dev/shm) where there is one, else tmp_path.

    Making 50,000 files on this machine's disk takes longer than scanning them; on tmpfs it
    takes a second. What the scanner does with them does not depend on the file system.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="ospo-hostile-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _empty_files(folder: Path, names: Iterable[str]) -> None:
    """Create each name as an empty file in `folder` (made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        for name in names:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor))
    finally:
        os.close(descriptor)


def test_fifty_thousand_empty_files(memory_tmp: Path) -> None:
    """Empty requirements files are valid (no issue); each empty package.json is one issue."""
    root = hostile_tree(memory_tmp)
    for folder in range(49):
        _empty_files(root / f"r{folder}", (f"requirements-{index}.txt" for index in range(1_000)))
    for index in range(1_000):
        _empty_files(root / "p" / str(index), ["package.json"])
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert outcome.files_scanned >= 50_000
    bad = {issue.path for issue in outcome.issues}
    assert bad == {f"p/{index}/package.json" for index in range(1_000)}
    assert len(outcome.issues) == 1_000


def _deep_folders(root: Path, length: int) -> str:
    """Folders under `root` whose relative path (with a requirements.txt) is `length` characters.

    Made through directory descriptors, one level at a time, so it works past PATH_MAX too.
    """
    parts: list[str] = []
    remaining = length - len("/requirements.txt")  # folder names and the slashes between them
    while remaining > 0:
        size = remaining if remaining <= 200 else (199 if remaining == 201 else 200)
        parts.append("d" * size)
        remaining -= size + 1
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for part in parts:
            os.mkdir(part, dir_fd=descriptor)
            inner = os.open(part, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        file = os.open("requirements.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(file, b"flask==3.0.0\n")
        os.close(file)
    finally:
        os.close(descriptor)
    return "/".join(parts) + "/requirements.txt"


def test_a_4000_character_path_is_read(tmp_path: Path) -> None:
    """A path of 4,000 characters (the absolute one just under Linux's PATH_MAX of 4,096)."""
    root = hostile_tree(tmp_path)
    relative = _deep_folders(root, 4_000)
    assert len(relative) == 4_000
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    assert "pkg:pypi/flask@3.0.0" in outcome.components, outcome.about(relative)


def test_a_path_longer_than_path_max_is_read_or_its_folder_named(tmp_path: Path) -> None:
    """Past 4,096 characters the absolute path cannot be opened: the file is read (through
    directory descriptors), or the folder that cannot be walked into is named in one issue."""
    root = hostile_tree(tmp_path)
    relative = _deep_folders(root, 4_300)
    outcome = scan_in_child(root)
    assert_good_files_kept(outcome)
    if "pkg:pypi/flask@3.0.0" in outcome.components:
        return
    refusals = [issue for issue in outcome.issues if relative.startswith(issue.path + "/")]
    assert [issue.code for issue in refusals] == ["discovery-error"], outcome.issues
    assert not outcome.complete


def test_good_purls_are_what_the_good_files_hold(tmp_path: Path) -> None:
    """The baseline every case leans on: a tree of the good files alone gives GOOD_PURLS, no issue."""
    outcome = scan_in_child(hostile_tree(tmp_path))
    assert outcome.components == GOOD_PURLS
    assert outcome.issues == ()
