"""The pipeline: failures stay with their file, manifests and lockfiles reconcile."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Location, Scope
from ospo_scan.scan import ScanInputError, ScanOptions, scan
from tests.core.fake_parsers import FAKE_PARSERS

OPTIONS = ScanOptions(parsers=FAKE_PARSERS)


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_parser_bug_on_one_file_keeps_the_rest(tmp_path: Path) -> None:
    _write(tmp_path, "a/deps.txt", "alpha==1\n")
    _write(tmp_path, "b/boom.txt", "anything\n")
    _write(tmp_path, "c/deep.txt", "anything\n")
    inventory = scan([tmp_path], OPTIONS)
    assert [c.purl for c in inventory.components] == ["pkg:pypi/alpha@1"]
    assert [(i.path, i.parser, i.message.split(":")[0]) for i in inventory.issues] == [
        ("b/boom.txt", "fake-boom", "internal parser error KeyError"),
        ("c/deep.txt", "fake-deep", "RecursionError"),
    ]
    assert not inventory.complete


def test_parse_error_names_line_and_entry_issues_keep_partial_results(tmp_path: Path) -> None:
    _write(tmp_path, "x/deps.txt", "ok==1\nFATAL\n")
    _write(tmp_path, "y/deps.txt", "good==2\nnot a line\n")
    inventory = scan([tmp_path], OPTIONS)
    assert [c.purl for c in inventory.components] == ["pkg:pypi/good@2"]
    assert [(i.path, i.line) for i in inventory.issues] == [("x/deps.txt", 2), ("y/deps.txt", 2)]


def test_binary_and_oversized_files_are_issues(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "deps.txt").write_bytes(b"\x00\x01binary")
    _write(tmp_path, "big/deps.txt", "x" * 100 + "==1\n")
    _write(tmp_path, "ok/deps.txt", "fine==1\n")
    inventory = scan([tmp_path], ScanOptions(parsers=FAKE_PARSERS, max_file_size=50))
    assert [c.name for c in inventory.components] == ["fine"]
    messages = {i.path: i.message for i in inventory.issues}
    assert "binary" in messages["bin/deps.txt"]
    assert "size cap" in messages["big/deps.txt"]
    assert inventory.files_scanned == 3


def test_lockfile_beside_manifest_pins_versions_and_manifest_decides_direct(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "project demo\nflask==\ndev-pytest==\n")
    _write(tmp_path, "deps.lock", "flask==3.0.0\nwerkzeug==3.0.1\ndev-pytest==8.0\nedge flask werkzeug\n")
    inventory = scan([tmp_path], OPTIONS)
    by_name = {c.name: c for c in inventory.components}
    assert set(by_name) == {"flask", "werkzeug", "dev-pytest"}
    flask = by_name["flask"]
    assert (flask.version, flask.direct, flask.scopes) == ("3.0.0", True, frozenset({Scope.RUNTIME}))
    assert flask.locations == (Location(path="deps.lock", line=1), Location(path="deps.txt", line=2))
    assert by_name["werkzeug"].direct is False
    assert by_name["dev-pytest"].scopes == frozenset({Scope.DEV})
    # The project is the root node of its graph: its direct dependencies are edges from its purl.
    assert [(r.source, r.target, r.kind.value, r.lifecycle.value) for r in inventory.relationships] == [
        ("pkg:pypi/demo@1.0", "pkg:pypi/dev-pytest@8.0", "development", "development"),
        ("pkg:pypi/demo@1.0", "pkg:pypi/flask@3.0.0", "required", "runtime"),
        ("pkg:pypi/flask@3.0.0", "pkg:pypi/werkzeug@3.0.1", "required", "runtime"),
    ]
    assert [(p.name, p.path, p.files) for p in inventory.projects] == [("demo", ".", ("deps.lock", "deps.txt"))]


def test_manifest_entry_absent_from_lockfile_is_kept_with_a_note(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "flask==\nextra-thing==\n")
    _write(tmp_path, "deps.lock", "flask==3.0.0\n")
    inventory = scan([tmp_path], OPTIONS)
    extra = next(c for c in inventory.components if c.name == "extra-thing")
    assert extra.version is None and extra.direct
    assert extra.notes == ("declared in the manifest but absent from the lockfile",)


def test_same_package_in_two_projects_merges_by_purl(tmp_path: Path) -> None:
    _write(tmp_path, "one/deps.txt", "requests==2.0\n")
    _write(tmp_path, "two/deps.txt", "Requests==2.0\n")
    inventory = scan([tmp_path], OPTIONS)
    assert [(c.purl, len(c.locations)) for c in inventory.components] == [("pkg:pypi/requests@2.0", 2)]
    assert [p.name for p in inventory.projects] == ["one", "two"]


def test_project_names_are_first_party_everywhere(tmp_path: Path) -> None:
    _write(tmp_path, "lib/deps.txt", "project shop-lib\n")
    _write(tmp_path, "app/deps.txt", "shop_lib==1.0\nrequests==2.0\n")
    inventory = scan([tmp_path], OPTIONS)
    assert {c.name: c.first_party for c in inventory.components} == {"shop-lib": True, "requests": False}


def test_several_roots_prefix_locations(tmp_path: Path) -> None:
    _write(tmp_path, "r1/deps.txt", "a==1\n")
    _write(tmp_path, "r2/deps.txt", "a==1\n")
    inventory = scan([tmp_path / "r1", tmp_path / "r2"], OPTIONS)
    assert [loc.path for loc in inventory.components[0].locations] == [
        (tmp_path / "r1" / "deps.txt").as_posix(),
        (tmp_path / "r2" / "deps.txt").as_posix(),
    ]


def test_single_file_path_is_scanned(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "a==1\n")
    assert [c.purl for c in scan([tmp_path / "deps.txt"], OPTIONS).components] == ["pkg:pypi/a@1"]


@pytest.mark.parametrize("name", ["missing", "unknown.bin"])
def test_unscannable_path_is_an_input_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "unknown.bin").write_text("x")
    with pytest.raises(ScanInputError):
        scan([tmp_path / name], OPTIONS)


def test_workspace_manifest_resolves_against_the_root_lockfile(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "project mono\nflask==\n")
    _write(tmp_path, "deps.lock", "workspace packages/web\nflask==3.0.0\nrequests==2.31.0\nidna==3.7\n")
    _write(tmp_path, "packages/web/deps.txt", "project web\nrequests==\n")
    inventory = scan([tmp_path], OPTIONS)
    assert {c.purl: c.direct for c in inventory.components} == {
        "pkg:pypi/flask@3.0.0": True,
        "pkg:pypi/idna@3.7": False,
        "pkg:pypi/requests@2.31.0": True,
    }
    assert [p.name for p in inventory.projects] == ["mono", "web"]


def test_cross_file_format_is_parsed_as_a_group(tmp_path: Path) -> None:
    from tests.core.fake_parsers import GROUP_PARSER

    _write(tmp_path, "inherit.txt", "g:base==1\n")
    _write(tmp_path, "child/inherit.txt", "parent inherit.txt\ng:own==2\n")
    inventory = scan([tmp_path], ScanOptions(parsers=(GROUP_PARSER,)))
    locations = {c.purl: sorted(loc.path for loc in c.locations) for c in inventory.components}
    assert locations == {"pkg:maven/g/base@1": ["child/inherit.txt", "inherit.txt"], "pkg:maven/g/own@2": ["child/inherit.txt"]}


def test_group_parser_crash_falls_back_to_single_file_parsing(tmp_path: Path) -> None:
    from tests.core.fake_parsers import GROUP_PARSER

    _write(tmp_path, "inherit.txt", "g:base==1\n")
    _write(tmp_path, "child/inherit.txt", "CRASH\n")
    inventory = scan([tmp_path], ScanOptions(parsers=(GROUP_PARSER,)))
    assert [c.purl for c in inventory.components] == ["pkg:maven/g/base@1"]
    assert any("cross-file resolution" in i.message for i in inventory.issues)


def test_manifest_speaks_only_for_locked_versions_the_lockfile_does_not_call_transitive(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "ms==\n")
    _write(tmp_path, "deps.lock", "direct ms==2.1.3\ntransitive ms==2.0.0\n")
    inventory = scan([tmp_path], OPTIONS)
    assert {c.purl: (c.direct, c.requirement) for c in inventory.components} == {
        "pkg:pypi/ms@2.1.3": (True, "==2.1.3"),
        "pkg:pypi/ms@2.0.0": (False, "==2.0.0"),
    }


def test_lockfile_alone_says_when_it_cannot_tell_direct(tmp_path: Path) -> None:
    _write(tmp_path, "deps.lock", "a==1\ntransitive b==2\n")
    notes = {c.name: c.notes for c in scan([tmp_path], OPTIONS).components}
    assert notes == {"a": ("lockfile without its manifest: cannot tell direct from transitive",), "b": ()}


def test_gradle_catalog_joins_the_lockfile_project_and_keeps_its_scopes(tmp_path: Path) -> None:
    _write(tmp_path, "gradle/libs.versions.toml", '[libraries]\njunit = "junit:junit:4.13.2"\nguava = "com.google.guava:guava:33.0.0-jre"\n')
    _write(tmp_path, "gradle.lockfile", "junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\nempty=\n")
    inventory = scan([tmp_path])
    assert {c.name: (sorted(s.value for s in c.scopes), c.direct) for c in inventory.components} == {
        "junit:junit": (["test"], True),
        "com.google.guava:guava": (["runtime"], True),
    }
    assert [p.path for p in inventory.projects] == ["."]


def test_unreadable_root_directory_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(path):  # type: ignore[no-untyped-def]  # EACCES, even for root
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refuse)
    with pytest.raises(ScanInputError, match="cannot read the directory: Permission denied"):
        scan([tmp_path], OPTIONS)


def test_maven_classifier_and_type_are_purl_qualifiers(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "pom.xml",
        "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><dependencies>"
        "<dependency><groupId>io.netty</groupId><artifactId>netty-tcnative</artifactId><version>2.0.61.Final</version></dependency>"
        "<dependency><groupId>io.netty</groupId><artifactId>netty-tcnative</artifactId><version>2.0.61.Final</version>"
        "<classifier>linux-x86_64</classifier></dependency>"
        "<dependency><groupId>x</groupId><artifactId>y</artifactId><version>1.0</version><type>test-jar</type></dependency>"
        "</dependencies></project>",
    )
    assert [c.purl for c in scan([tmp_path]).components] == [
        "pkg:maven/io.netty/netty-tcnative@2.0.61.Final",
        "pkg:maven/io.netty/netty-tcnative@2.0.61.Final?classifier=linux-x86_64",
        "pkg:maven/x/y@1.0?type=test-jar",
    ]


def test_unpinned_declaration_joins_the_one_version_another_manifest_pins(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[project]\nname = "svc"\ndependencies = ["celery[redis]>=5", "click"]\n')
    _write(tmp_path, "requirements.txt", "celery==5.2.7\n    # via -r requirements.in\nclick==8.1.3\nclick-repl==0.2.0\n")
    _write(tmp_path, "other/requirements.txt", "click==8.0.0\n")
    inventory = scan([tmp_path], ScanOptions(licenses=None))
    celery = next(c for c in inventory.components if c.name == "celery")
    assert (celery.purl, celery.requirement, celery.extras) == ("pkg:pypi/celery@5.2.7", ">=5", ("redis",))
    assert [loc.path for loc in celery.locations] == ["pyproject.toml", "requirements.txt"]
    assert sorted(c.purl for c in inventory.components if c.name == "click") == ["pkg:pypi/click@8.0.0", "pkg:pypi/click@8.1.3"]


def test_unpinned_declaration_stays_apart_when_several_versions_are_pinned(tmp_path: Path) -> None:
    _write(tmp_path, "deps.txt", "x==\nx==1\nx==2\ny==\ny==3\n")
    assert [c.purl for c in scan([tmp_path], OPTIONS).components] == ["pkg:pypi/x", "pkg:pypi/x@1", "pkg:pypi/x@2", "pkg:pypi/y@3"]
