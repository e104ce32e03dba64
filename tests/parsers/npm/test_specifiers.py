"""npm specifiers: one table of what each written form means (npm-package-arg's grammar)."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.npm.specifiers import SpecKind, classify, exact_version, split_name_and_range


@pytest.mark.parametrize(
    ("spec", "kind", "name", "version", "source_url"),
    [
        ("1.2.3", SpecKind.VERSION, "dep", "1.2.3", None),
        ("=1.2.3", SpecKind.VERSION, "dep", "1.2.3", None),
        ("v1.2.3", SpecKind.VERSION, "dep", "1.2.3", None),
        (" = v2.0.0-rc.1 ", SpecKind.VERSION, "dep", "2.0.0-rc.1", None),
        ("^1.2.3", SpecKind.RANGE, "dep", None, None),
        ("~1.2", SpecKind.RANGE, "dep", None, None),
        (">=1.0.0 <2.0.0", SpecKind.RANGE, "dep", None, None),
        ("1.x || 2.x", SpecKind.RANGE, "dep", None, None),
        ("x", SpecKind.RANGE, "dep", None, None),
        ("v1", SpecKind.RANGE, "dep", None, None),
        ("*", SpecKind.RANGE, "dep", None, None),
        ("1.2", SpecKind.RANGE, "dep", None, None),
        ("latest", SpecKind.TAG, "dep", None, None),
        ("next-11", SpecKind.TAG, "dep", None, None),
        ("vue", SpecKind.TAG, "dep", None, None),
        ("npm:real@^2", SpecKind.RANGE, "real", None, None),
        ("npm:@scope/real@2.0.1", SpecKind.VERSION, "@scope/real", "2.0.1", None),
        ("npm:real", SpecKind.RANGE, "real", None, None),
        ("npm:^1.0.0", SpecKind.RANGE, "dep", None, None),  # Yarn: a plain range from the registry
        ("npm:1.0.0", SpecKind.VERSION, "dep", "1.0.0", None),
        (
            "git+ssh://git@git.example/org/repo.git#v1",
            SpecKind.GIT,
            "dep",
            None,
            "git+ssh://git@git.example/org/repo.git#v1",
        ),
        ("git+https://git.example/org/repo.git", SpecKind.GIT, "dep", None, "git+https://git.example/org/repo.git"),
        ("git://git.example/org/repo", SpecKind.GIT, "dep", None, "git://git.example/org/repo"),
        ("github:org/repo", SpecKind.GIT, "dep", None, "github:org/repo"),
        ("gitlab:org/repo#main", SpecKind.GIT, "dep", None, "gitlab:org/repo#main"),
        ("org/repo", SpecKind.GIT, "dep", None, "org/repo"),
        ("org/repo#semver:^1.0", SpecKind.GIT, "dep", None, "org/repo#semver:^1.0"),
        ("git.example:org/repo.git", SpecKind.GIT, "dep", None, "git.example:org/repo.git"),
        ("user:secret@git.example:org/repo", SpecKind.GIT, "dep", None, "user:secret@git.example:org/repo"),
        ("https://git.example/org/repo.git#v2", SpecKind.GIT, "dep", None, "https://git.example/org/repo.git#v2"),
        ("https://github.com/org/repo", SpecKind.GIT, "dep", None, "https://github.com/org/repo"),
        (
            "https://gitlab.com/org/repo/archive.tar.gz",
            SpecKind.TARBALL,
            "dep",
            None,
            "https://gitlab.com/org/repo/archive.tar.gz",
        ),
        ("https://files.example/dep-1.0.0.tgz", SpecKind.TARBALL, "dep", None, "https://files.example/dep-1.0.0.tgz"),
        ("file:../dep", SpecKind.LOCAL, "dep", None, "file:../dep"),
        ("file:vendor/dep-1.0.0.tgz", SpecKind.LOCAL, "dep", None, "file:vendor/dep-1.0.0.tgz"),
        ("link:./dep", SpecKind.LOCAL, "dep", None, "link:./dep"),
        ("portal:../dep", SpecKind.LOCAL, "dep", None, "portal:../dep"),
        ("../dep", SpecKind.LOCAL, "dep", None, "../dep"),
        ("./dep", SpecKind.LOCAL, "dep", None, "./dep"),
        ("/abs/dep", SpecKind.LOCAL, "dep", None, "/abs/dep"),
        ("~/dep", SpecKind.LOCAL, "dep", None, "~/dep"),
        ("workspace:*", SpecKind.WORKSPACE, "dep", None, None),
        ("workspace:^1.2.0", SpecKind.WORKSPACE, "dep", None, None),
        ("catalog:", SpecKind.CATALOG, "dep", None, None),
        ("catalog:react18", SpecKind.CATALOG, "dep", None, None),
        ("patch:dep@npm%3A1.2.3#./dep.patch", SpecKind.VERSION, "dep", "1.2.3", None),
        ("patch:@s/dep@npm%3A^1.0.0#./dep.patch", SpecKind.RANGE, "@s/dep", None, None),
        ("jsr:@std/path", SpecKind.UNKNOWN, "dep", None, "jsr:@std/path"),
    ],
)
def test_classify(spec: str, kind: SpecKind, name: str, version: str | None, source_url: str | None) -> None:
    found = classify("dep", spec)
    assert (found.kind, found.name, found.version, found.source_url) == (kind, name, version, source_url)
    assert found.first_party is (kind in (SpecKind.LOCAL, SpecKind.WORKSPACE))


def test_alias_and_patch_notes() -> None:
    assert classify("old", "npm:new@1.0.0").note == "installed under the alias 'old'"
    assert classify("dep", "patch:dep@npm%3A1.2.3#./p.patch").note == "patched locally (yarn patch: protocol)"
    assert classify("dep", "latest").note == "dist-tag 'latest': version chosen by the registry at install time"
    assert classify("dep", "^1").note is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.2.3", "1.2.3"), ("v1.2.3+build.1", "1.2.3+build.1"), ("1.2", None), ("^1.2.3", None), ("1.2.3 - 2", None)],
)
def test_exact_version(text: str, expected: str | None) -> None:
    assert exact_version(text) == expected


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        ("pkg@^1", ("pkg", "^1")),
        ("@scope/pkg@1.0.0", ("@scope/pkg", "1.0.0")),
        ("@scope/pkg", ("@scope/pkg", "*")),
        ("pkg", ("pkg", "*")),
        ("pkg@", ("pkg", "*")),
    ],
)
def test_split_name_and_range(descriptor: str, expected: tuple[str, str]) -> None:
    assert split_name_and_range(descriptor) == expected
