"""The small rules the Python manifest parsers share."""

from __future__ import annotations

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.python.manifest_common import constraint_text, group_scope, is_archive, pinned_version


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("1.2.3", "1.2.3"),
        ("==1.2.3", "1.2.3"),
        ("== 1.2.3", "1.2.3"),
        ("=1.2.3", "1.2.3"),
        ("===1.2.3-custom", "1.2.3-custom"),
        ("  2.0  ", "2.0"),
        ("^1.2", None),
        ("~1.2", None),
        (">=1,<2", None),
        ("==1.*", None),
        ("3.*", None),
        ("*", None),
        ("", None),
        ("1.0.0-hotfix.1", None),
        ("latest", None),
    ],
)
def test_pinned_version(constraint: str, expected: str | None) -> None:
    assert pinned_version(constraint) == expected


@pytest.mark.parametrize(("constraint", "expected"), [("*", None), (" * ", None), ("", None), ("^1.0", "^1.0")])
def test_constraint_text(constraint: str, expected: str | None) -> None:
    assert constraint_text(constraint) == expected


@pytest.mark.parametrize(
    ("group", "expected"),
    [("test", Scope.TEST), ("Tests", Scope.TEST), ("pytest-plugins", Scope.TEST), ("dev", Scope.DEV), ("docs", Scope.DEV)],
)
def test_group_scope(group: str, expected: Scope) -> None:
    assert group_scope(group) is expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("../lib", False),
        (".", False),
        ("dist/pkg-1.0-py3-none-any.whl", True),
        ("https://files.pypi.example/pkg-1.0.tar.gz#sha256=abc", True),
        ("https://files.pypi.example/pkg-1.0.zip?x=1", True),
    ],
)
def test_is_archive(location: str, expected: bool) -> None:
    assert is_archive(location) is expected
