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


def test_file_names_agree_with_matches() -> None:
    """The dict lookup of discovery must give what asking `matches` would."""
    for spec in PARSERS:
        if spec.file_names:
            for path in PATHS:
                assert spec.matches(path) == (path.rpartition("/")[2] in spec.file_names), (spec.name, path)


def test_matcher_gives_the_first_spec_that_matches_in_registry_order() -> None:
    from ospo_scan.discovery import Matcher

    matcher = Matcher(PARSERS)
    for path in PATHS:
        expected = next((spec for spec in PARSERS if spec.matches(path)), None)
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
