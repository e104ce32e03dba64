"""Key lines in JSON text: exact paths, escapes, arrays, skipped containers, hostile text."""

from __future__ import annotations

import json

import pytest

from ospo_scan.parsers.lines.json_keys import key_lines

MANIFEST = """{
  "name": "x",
  "scripts": {"deps": "echo \\"dependencies\\": {"},
  "jspm": {
    "dependencies": {"lodash": "^3"}
  },
  "files": [{"dependencies": {"lodash": "^2"}}, "dependencies"],
  "dependencies": {
    "lodash": "^4",
    "caf\\u00e9": "1.0.0",
    "@scope/pkg": "1.0.0"
  }
}
"""


def test_paths_tell_look_alike_keys_apart() -> None:
    lines = key_lines(MANIFEST, lambda parent: len(parent) <= 1)
    assert lines[("dependencies", "lodash")] == 9
    assert lines[("jspm", "dependencies")] == 5
    assert lines[("dependencies", "café")] == 10  # escapes are decoded as json.loads does
    assert lines[("dependencies", "@scope/pkg")] == 11
    assert ("files", "[]", "dependencies") not in lines  # inside an array: never a member of an object above


def test_every_key_with_a_permissive_filter() -> None:
    lines = key_lines(MANIFEST, lambda parent: True)
    assert lines[("jspm", "dependencies", "lodash")] == 5
    assert lines[("files", "[]", "dependencies", "lodash")] == 7
    assert lines[("scripts", "deps")] == 3


def test_containers_that_cannot_hold_wanted_keys_are_skipped() -> None:
    document = {"packages": {"": {"dependencies": {"node_modules/a": "^1"}}, "node_modules/a": {"version": "1"}}}
    text = json.dumps(document, indent=2)
    wanted = lambda parent: parent in ((), ("packages",))  # noqa: E731
    assert key_lines(text, wanted) == {("packages",): 2, ("packages", ""): 3, ("packages", "node_modules/a"): 8}


def test_first_occurrence_of_a_duplicate_key_wins() -> None:
    assert key_lines('{\n"a": 1,\n"a": 2\n}', lambda parent: True) == {("a",): 2}


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}' + " " * 1_000_000,
        '{"a": "' + "\\\\" * 200_000 + '", "b": 1}',
        '{"a": "' + "x" * 500_000,
        "[" + ",".join(['"x"'] * 100_000) + "]",
        '{"a": {"b": ' * 2_000,
        "}}]] not json",
    ],
)
def test_hostile_or_broken_text_returns_without_error(text: str) -> None:
    assert isinstance(key_lines(text, lambda parent: True), dict)
