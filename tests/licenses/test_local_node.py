"""node_modules trees built here: scoped, nested, pnpm-stored and symlinked packages,
the license field in each of its shapes, and license files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ospo_scan.licenses.local_node import NodeModules, license_strings
from ospo_scan.model import Component, Ecosystem
from tests.licenses import texts

MIT = texts.MIT.format(holder="Copyright (c) 2018 Sindre Example")
ISC = texts.ISC.format(holder="Copyright (c) Isaac Example and Contributors")


def _npm(name: str, version: str | None) -> Component:
    return Component(purl=f"pkg:npm/{name}", ecosystem=Ecosystem.NPM, name=name, version=version)


def _package(folder: Path, manifest: dict[str, object] | str, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (folder / "package.json").write_text(text, encoding="utf-8")
    for name, content in (files or {}).items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    modules = tmp_path / "node_modules"
    _package(modules / "left-pad", {"name": "left-pad", "version": "1.3.0", "license": "WTFPL"}, {"LICENSE": "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE\n"})
    _package(modules / "@babel" / "core", {"name": "@babel/core", "version": "7.24.0", "license": "MIT"}, {"LICENSE": MIT})
    _package(modules / "legacy-object", {"name": "legacy-object", "version": "0.1.0", "license": {"type": "BSD-3-Clause", "url": "https://example.org/bsd"}})
    _package(
        modules / "legacy-array",
        {"name": "legacy-array", "version": "2.0.0", "licenses": [{"type": "MIT", "url": "https://example.org/mit"}, {"type": "Apache-2.0"}]},
    )
    _package(modules / "eula-pkg", {"name": "eula-pkg", "version": "1.0.0", "license": "SEE LICENSE IN EULA.txt"}, {"EULA.txt": texts.EULA})
    _package(modules / "private-pkg", {"name": "private-pkg", "version": "1.0.0", "license": "UNLICENSED"})
    _package(modules / "unlicensed-file", {"name": "unlicensed-file", "version": "1.0.0"}, {"license.md": ISC, "license.js": "module.exports = 1\n"})
    _package(modules / "nothing", {"name": "nothing", "version": "1.0.0"}, {"README.md": "# nothing\n"})
    _package(modules / "odd-shape", {"name": "odd-shape", "version": "1.0.0", "license": {"name": "MIT"}})
    _package(modules / "broken", "{ not json")
    _package(modules / "a", {"name": "a", "version": "1.0.0", "license": "ISC"})
    _package(modules / "a" / "node_modules" / "b", {"name": "b", "version": "2.0.0", "license": "MIT"}, {"LICENSE": MIT})
    _package(modules / "b", {"name": "b", "version": "1.0.0", "license": "ISC"}, {"LICENCE": ISC})
    (modules / ".bin").mkdir()
    (modules / ".package-lock.json").write_text("{}")
    _package(tmp_path / "packages" / "web" / "node_modules" / "react", {"name": "react", "version": "18.2.0", "license": "MIT"}, {"LICENSE": MIT})
    return tmp_path


def test_every_package_of_the_tree_is_indexed(tree: Path) -> None:
    found = NodeModules.discover(tree)
    assert sorted((package.name, package.version) for package in found.packages) == [
        ("@babel/core", "7.24.0"),
        ("a", "1.0.0"),
        ("b", "1.0.0"),
        ("b", "2.0.0"),
        ("eula-pkg", "1.0.0"),
        ("left-pad", "1.3.0"),
        ("legacy-array", "2.0.0"),
        ("legacy-object", "0.1.0"),
        ("nothing", "1.0.0"),
        ("odd-shape", "1.0.0"),
        ("private-pkg", "1.0.0"),
        ("react", "18.2.0"),
        ("unlicensed-file", "1.0.0"),
    ]
    assert len(found.notes) == 1 and found.notes[0].startswith("node_modules/broken/package.json: skipped (")


def test_a_string_license_and_its_file(tree: Path) -> None:
    evidence = NodeModules.discover(tree).lookup(_npm("@babel/core", "7.24.0"))
    assert evidence is not None
    assert evidence.declared == ("MIT",)
    assert evidence.source == "node_modules/@babel/core/package.json: license"
    assert evidence.license_files == ("node_modules/@babel/core/LICENSE",)
    assert evidence.text_match is not None and evidence.text_match.spdx_id == "MIT"


def test_scoped_names_are_compared_as_the_purl_normalizes_them(tree: Path) -> None:
    assert NodeModules.discover(tree).lookup(_npm("@Babel/Core", "7.24.0")) is not None


def test_nested_copies_are_told_apart_by_version(tree: Path) -> None:
    modules = NodeModules.discover(tree)
    nested = modules.lookup(_npm("b", "2.0.0"))
    top = modules.lookup(_npm("b", "1.0.0"))
    assert nested is not None and nested.source == "node_modules/a/node_modules/b/package.json: license"
    assert top is not None and top.declared == ("ISC",) and top.license_files == ("node_modules/b/LICENCE",)
    assert modules.why_missing(_npm("b", "3.0.0")) == "installed versions 2.0.0, 1.0.0 differ from the scanned version 3.0.0 (node_modules/a/node_modules/b)"


def test_legacy_object_and_array_keep_raw_strings_and_urls(tree: Path) -> None:
    modules = NodeModules.discover(tree)
    single = modules.lookup(_npm("legacy-object", "0.1.0"))
    assert single is not None and (single.declared, single.declared_urls) == (("BSD-3-Clause",), ("https://example.org/bsd",))
    several = modules.lookup(_npm("legacy-array", "2.0.0"))
    assert several is not None
    assert several.declared == ("MIT", "Apache-2.0")
    assert several.declared_urls == ("https://example.org/mit", None)
    assert several.source.endswith("package.json: licenses")
    assert several.declared_sources == tuple(f"node_modules/legacy-array/package.json: licenses[{i}].type" for i in (0, 1))
    assert single.declared_sources == ("node_modules/legacy-object/package.json: license.type",)
    assert "legacy `licenses` array: npm reads several entries as alternatives (OR)" in several.notes


def test_see_license_in_reads_the_named_file(tree: Path) -> None:
    evidence = NodeModules.discover(tree).lookup(_npm("eula-pkg", "1.0.0"))
    assert evidence is not None
    assert evidence.declared == ("SEE LICENSE IN EULA.txt",)
    assert evidence.license_files == ("node_modules/eula-pkg/EULA.txt",)
    assert evidence.text_match is not None and evidence.text_match.spdx_id is None
    assert evidence.text_match.reason is not None and "text not recognized" in evidence.text_match.reason


def test_unlicensed_is_kept_raw_and_license_named_code_is_not_a_license_file(tree: Path) -> None:
    modules = NodeModules.discover(tree)
    private = modules.lookup(_npm("private-pkg", "1.0.0"))
    assert private is not None and private.declared == ("UNLICENSED",) and private.text_match is None
    only_file = modules.lookup(_npm("unlicensed-file", "1.0.0"))
    assert only_file is not None
    assert only_file.declared == () and only_file.source.endswith("package.json: no license field")
    assert only_file.license_files == ("node_modules/unlicensed-file/license.md",)
    assert only_file.text_match is not None and only_file.text_match.spdx_id == "ISC"


def test_reasons_when_nothing_is_found(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    modules = NodeModules.discover(tree)
    assert modules.lookup(_npm("nothing", "1.0.0")) is None
    assert modules.why_missing(_npm("nothing", "1.0.0")) == "node_modules/nothing: package.json declares no license and the package ships no license file"
    assert modules.why_missing(_npm("express", "4.0.0")) == "not installed in any node_modules folder of the scanned tree"
    assert modules.why_missing(Component(purl="pkg:pypi/a", ecosystem=Ecosystem.PYPI, name="a", version="1.0.0")) is None
    empty = NodeModules.discover(tmp_path_factory.mktemp("no-node"))
    assert empty.why_missing(_npm("express", "4.0.0")) == "no installed package found in a node_modules folder of the scanned tree"


def test_an_odd_license_shape_is_reported_not_guessed(tree: Path) -> None:
    modules = NodeModules.discover(tree)
    assert modules.lookup(_npm("odd-shape", "1.0.0")) is None
    odd = [package for package in modules.packages if package.name == "odd-shape"][0]
    assert odd.problems == ("license: expected a string or a {type, url} object, found dict",)


@pytest.mark.parametrize(
    ("value", "declared", "urls"),
    [
        ("MIT OR Apache-2.0", ("MIT OR Apache-2.0",), (None,)),
        ("  ", (), ()),
        ({"type": "MIT"}, ("MIT",), (None,)),
        ({"url": "https://example.org/l"}, ("https://example.org/l",), ("https://example.org/l",)),
        (["MIT", {"type": "GPL-2.0"}], ("MIT", "GPL-2.0"), (None, None)),
        (None, (), ()),
    ],
)
def test_license_field_shapes(value: object, declared: tuple[str, ...], urls: tuple[str | None, ...]) -> None:
    assert license_strings(value, "license")[:2] == (declared, urls)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_pnpm_store_and_symlinks_inside_the_root_are_read_once(tmp_path: Path) -> None:
    store = tmp_path / "node_modules" / ".pnpm" / "chalk@5.3.0" / "node_modules" / "chalk"
    _package(store, {"name": "chalk", "version": "5.3.0", "license": "MIT"})
    _package(tmp_path / "node_modules" / ".pnpm" / "chalk@5.3.0" / "node_modules" / "ansi-styles", {"name": "ansi-styles", "version": "6.2.1", "license": "MIT"})
    (tmp_path / "node_modules" / "chalk").symlink_to(store, target_is_directory=True)
    _package(tmp_path / "libs" / "shared", {"name": "@me/shared", "version": "0.0.0", "license": "Apache-2.0"})
    (tmp_path / "node_modules" / "@me").mkdir()
    (tmp_path / "node_modules" / "@me" / "shared").symlink_to(tmp_path / "libs" / "shared", target_is_directory=True)
    modules = NodeModules.discover(tmp_path)
    assert sorted((package.name, package.version) for package in modules.packages) == [("@me/shared", "0.0.0"), ("ansi-styles", "6.2.1"), ("chalk", "5.3.0")]
    chalk = modules.lookup(_npm("chalk", "5.3.0"))
    assert chalk is not None and chalk.source == "node_modules/chalk/package.json: license"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_root_are_never_followed(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    _package(outside / "evil", {"name": "evil", "version": "1.0.0", "license": "MIT"}, {"LICENSE": MIT})
    modules_dir = tmp_path / "node_modules"
    modules_dir.mkdir()
    (modules_dir / "evil").symlink_to(outside / "evil", target_is_directory=True)
    (modules_dir / "loop").symlink_to(modules_dir, target_is_directory=True)
    _package(modules_dir / "good", {"name": "good", "version": "1.0.0", "license": "SEE LICENSE IN ../../../etc/passwd"})
    (modules_dir / "sneaky").mkdir()
    (modules_dir / "sneaky" / "package.json").symlink_to(outside / "evil" / "package.json")
    modules = NodeModules.discover(tmp_path)
    assert [package.name for package in modules.packages] == ["good"]
    assert modules.notes == (
        "node_modules/evil: not read (a symlink leading out of the scanned tree)",
        "node_modules/sneaky/package.json: skipped (a symlink leading out of the scanned tree)",
    )
    assert modules.lookup(_npm("evil", "1.0.0")) is None
    assert modules.why_missing(_npm("evil", "1.0.0")) == (
        "not installed in any node_modules folder of the scanned tree; node_modules/evil not read (a symlink leading out of the scanned tree)"
    )
    good = modules.lookup(_npm("good", "1.0.0"))
    assert good is not None and good.license_files == ()
    assert "'SEE LICENSE IN ../../../etc/passwd': no such file in the package" in good.notes
