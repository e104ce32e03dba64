"""Lines in TOML and INI text: keys under dotted and quoted headers, array strings in order, INI options."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.lines.ini_keys import IniLines
from ospo_scan.parsers.lines.toml_keys import TomlLines


TOML = """\
[project]
dependencies = [
  "a",
  'b',
  "a",
]
[tool.poetry.group."my.group".dependencies]
"quoted-key" = "^1"
bare = { version = "1" }
[ tool . uv ]
dev-dependencies = ["c"]
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("project", "dependencies"), 2),
        (("tool", "poetry", "group", "my.group", "dependencies", "quoted-key"), 8),
        (("tool", "poetry", "group", "my.group", "dependencies", "bare"), 9),
        (("tool", "poetry", "group", "my.group", "dependencies", "version"), 9),
        (("tool", "uv", "dev-dependencies"), 11),
        (("tool", "poetry", "group", "my.group", "dependencies", "missing"), None),
    ],
)
def test_toml_key_line(path: tuple[str, ...], expected: int | None) -> None:
    assert TomlLines(TOML).key_line(path) == expected


def test_toml_string_lines_follow_the_list_order() -> None:
    lines = TomlLines(TOML).string_lines(("project", "dependencies"), ["a", "b", "a", "not-there"])
    assert lines == [3, 4, 5, None]


def test_ini_value_lines_start_at_the_key() -> None:
    text = "[options]\nsetup_requires = a\ninstall_requires =\n    a\n    b\n"
    assert IniLines(text).option_lines("options", "install_requires", ["a", "b"]) == [4, 5]
