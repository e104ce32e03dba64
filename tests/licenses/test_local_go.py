"""The Go module cache: where it is, its case encoding, and the license files of modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.licenses.local_go import GoModuleCache, decode_path, encode_path, module_cache_path
from ospo_scan.model import Component, Ecosystem
from tests.licenses import texts


def _go(name: str, version: str | None) -> Component:
    return Component(purl=f"pkg:golang/{name}", ecosystem=Ecosystem.GOLANG, name=name, version=version)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    root = tmp_path / "pkg" / "mod"
    toml = root / "github.com" / "!burnt!sushi" / "toml@v1.3.2"
    toml.mkdir(parents=True)
    (toml / "COPYING").write_text(texts.MIT.format(holder="Copyright (c) 2013 TOML authors"))
    (toml / "license.go").write_text("package toml\n")
    text = root / "golang.org" / "x" / "text@v0.14.0"
    text.mkdir(parents=True)
    (text / "LICENSE").write_text(texts.BSD_3_CLAUSE.format(holder="Copyright 2009 The Go Authors."))
    (text / "PATENTS").write_text("Additional IP Rights Grant (Patents)\n")
    (root / "golang.org" / "x" / "text@v0.13.0").mkdir()
    bare = root / "example.com" / "nolicense@v0.1.0"
    bare.mkdir(parents=True)
    (bare / "main.go").write_text("package main\n")
    major = root / "github.com" / "!example" / "lib" / "v2@v2.1.0-!r!c1"
    major.mkdir(parents=True)
    (major / "LICENSE.md").write_text(texts.ISC.format(holder="Copyright (c) 2020 Example"))
    (root / "cache" / "download" / "github.com").mkdir(parents=True)
    return root


def test_case_encoded_module_and_its_license_text(cache: Path) -> None:
    evidence = GoModuleCache(cache).lookup(_go("github.com/BurntSushi/toml", "v1.3.2"))
    assert evidence is not None
    assert evidence.declared == ()
    folder = (cache / "github.com" / "!burnt!sushi" / "toml@v1.3.2").as_posix()
    assert evidence.source == f"{folder}/COPYING: license text"
    assert evidence.license_files == (f"{folder}/COPYING",)
    assert evidence.text_match is not None and evidence.text_match.spdx_id == "MIT"


def test_major_version_paths_and_encoded_versions(cache: Path) -> None:
    evidence = GoModuleCache(cache).lookup(_go("github.com/Example/lib/v2", "v2.1.0-RC1"))
    assert evidence is not None and evidence.text_match is not None and evidence.text_match.spdx_id == "ISC"


def test_only_the_same_version_is_evidence(cache: Path) -> None:
    modules = GoModuleCache(cache)
    found = modules.lookup(_go("golang.org/x/text", "v0.14.0"))
    assert found is not None and found.text_match is not None and found.text_match.spdx_id == "BSD-3-Clause"
    assert modules.lookup(_go("golang.org/x/text", "v0.15.0")) is None
    assert modules.why_missing(_go("golang.org/x/text", "v0.15.0")) == f"installed versions v0.13.0, v0.14.0 differ from the scanned version v0.15.0 ({cache.as_posix()})"
    assert modules.why_missing(_go("golang.org/x/text", None)) == f"the component pins no version and several are installed (v0.13.0, v0.14.0) ({cache.as_posix()})"
    only = modules.lookup(_go("github.com/BurntSushi/toml", None))
    assert only is not None and only.notes == ("the component pins no version; the installed version v1.3.2 was used",)


def test_reasons_when_nothing_is_found(cache: Path) -> None:
    modules = GoModuleCache(cache)
    assert modules.why_missing(_go("golang.org/x/text", "v0.13.0")) == f"{(cache / 'golang.org/x/text@v0.13.0').as_posix()}: the module has no LICENSE or COPYING file at its root"
    assert modules.lookup(_go("example.com/nolicense", "v0.1.0")) is None
    assert modules.why_missing(_go("example.com/missing", "v1.0.0")) == f"not in the Go module cache ({cache.as_posix()})"
    assert modules.why_missing(_go("../../etc", "v1.0.0")) == "'../../etc' is not a module path the cache can hold"
    assert GoModuleCache(None).why_missing(_go("golang.org/x/text", "v0.14.0")) == "no Go module cache found ($GOMODCACHE, $GOPATH/pkg/mod, ~/go/pkg/mod)"
    assert modules.why_missing(Component(purl="pkg:npm/a", ecosystem=Ecosystem.NPM, name="a", version="1")) is None


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GOMODCACHE": "/cache/mod", "GOPATH": "/gopath"}, "/cache/mod"),
        ({"GOPATH": f"/first{os.pathsep}/second"}, "/first/pkg/mod"),
        ({"GOMODCACHE": "", "GOPATH": f"{os.pathsep}/second"}, "/second/pkg/mod"),
        ({}, "/home/dev/go/pkg/mod"),
    ],
    ids=["gomodcache", "first-gopath", "empty-entries-skipped", "home-default"],
)
def test_where_the_cache_is(environ: dict[str, str], expected: str) -> None:
    assert module_cache_path(environ, home=Path("/home/dev")) == Path(expected)


def test_locate_uses_the_environment_and_tolerates_a_missing_cache(cache: Path, tmp_path: Path) -> None:
    assert GoModuleCache.locate({"GOPATH": tmp_path.as_posix()}).cache == cache
    assert GoModuleCache.locate({"GOMODCACHE": (tmp_path / "absent").as_posix()}).cache is None


@pytest.mark.parametrize(
    ("path", "encoded"),
    [
        ("github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"),
        ("github.com/Azure/azure-sdk-for-go", "github.com/!azure/azure-sdk-for-go"),
        ("golang.org/x/text", "golang.org/x/text"),
        ("v1.0.0-RC1", "v1.0.0-!r!c1"),
    ],
)
def test_case_encoding_round_trips(path: str, encoded: str) -> None:
    assert encode_path(path) == encoded
    assert decode_path(encoded) == path


@pytest.mark.parametrize("unsafe", ["", "/abs/path", "a/../b", "a//b", "a\\b", "has!bang"])
def test_unsafe_paths_are_refused(unsafe: str) -> None:
    assert encode_path(unsafe) is None
