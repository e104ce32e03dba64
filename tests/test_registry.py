"""The registry: every parser module is listed once, and names are unique."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import ospo_scan.parsers as parsers_package
from ospo_scan.parsers import PARSERS
from ospo_scan.parsers.base import ParserSpec


def _modules_with_spec() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(parsers_package.__path__, prefix="ospo_scan.parsers."):
        module = importlib.import_module(info.name)
        if isinstance(getattr(module, "SPEC", None), ParserSpec):
            found.add(module.SPEC.name)
    return found


def test_every_parser_module_is_registered() -> None:
    assert {spec.name for spec in PARSERS} == _modules_with_spec()


def test_parser_names_are_unique() -> None:
    names = [spec.name for spec in PARSERS]
    assert len(names) == len(set(names))


PATHS = [
    f"{folder}{name}"
    for folder in ("", "a/", "requirements/", "vendor/", "gradle/", "gradle/dependency-locks/", "node_modules/x/")
    for name in sorted({n for spec in PARSERS for n in spec.file_names} | {"requirements.txt", "modules.txt", "libs.versions.toml",
                        "pylock.dev.toml", "gradle.lockfile", "dev.in", "README.md", "pom.xml.bak", "package.json5"})
]


def test_each_spec_names_its_files_one_way() -> None:
    """Fixed names are looked up by discovery's dict; only pattern formats have `matches`."""
    for spec in PARSERS:
        assert (spec.matches is None) == bool(spec.file_names), spec.name
        for path in PATHS:
            if spec.matches is None:
                assert spec.accepts(path) == (path.rpartition("/")[2] in spec.file_names), (spec.name, path)
            else:
                assert spec.accepts(path) == spec.matches(path), (spec.name, path)


def test_a_spec_without_file_names_or_matches_is_refused() -> None:
    from ospo_scan.model import Ecosystem
    from ospo_scan.parsers.base import FileRole, ParseResult

    with pytest.raises(ValueError, match="give file_names or matches"):
        ParserSpec(name="x", ecosystem=Ecosystem.PYPI, role=FileRole.MANIFEST, parse=lambda s, r: ParseResult())


def test_matcher_gives_the_first_spec_that_matches_in_registry_order() -> None:
    from ospo_scan.discovery import Matcher

    matcher = Matcher(PARSERS)
    for path in PATHS:
        expected = next((spec for spec in PARSERS if spec.accepts(path)), None)
        assert matcher.first_match(path) is expected, path


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        ("requirements.txt", "."),
        ("svc/requirements/dev.txt", "svc"),
        ("requirements/base.in", "."),
        ("svc/package.json", "svc"),
        ("svc/vendor/modules.txt", "svc"),
        ("gradle/libs.versions.toml", "."),
        ("app/gradle/dependency-locks/compileClasspath.lockfile", "app"),
        ("app/gradle.lockfile", "app"),
        ("requirements/package.json", "requirements"),
    ],
)
def test_each_file_belongs_to_the_project_its_format_says(path: str, folder: str) -> None:
    from ospo_scan.discovery import Matcher

    spec = Matcher(PARSERS).first_match(path)
    assert spec is not None
    assert spec.project_folder(path) == folder
