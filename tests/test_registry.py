"""The registry: every parser module is listed once, and names are unique."""

from __future__ import annotations

import importlib
import pkgutil

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
