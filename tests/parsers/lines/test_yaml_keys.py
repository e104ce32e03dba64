"""Key lines of block YAML: nesting, quoting, plain keys with colons, several documents."""

from __future__ import annotations

from ospo_scan.parsers.lines.yaml_keys import key_lines

TEXT = """\
lockfileVersion: '9.0'
# a comment: not a key
importers:

  .:
    dependencies:
      '@scope/a':
        specifier: ^1.0.0
        version: 1.0.0(b@2.0.0)

packages:

  '@scope/a@1.0.0':
    resolution: {integrity: sha512-AAAA}
  file:projects/x.tgz:
    name: x
    deprecated: 'say: something'
  "double@1.0.0":
    transitivePeerDependencies:
      - supports-color
  'it''s@1.0.0': {}
---
lockfileVersion: '9.0'
packages:
  other@1.0.0: {}
"""


def test_key_lines_by_document_and_path() -> None:
    found = key_lines(TEXT, lambda path: len(path) <= 2 or path[0] == "importers")
    assert found[(0, ("lockfileVersion",))] == 1
    assert found[(0, ("importers", ".", "dependencies", "@scope/a"))] == 7
    assert found[(0, ("importers", ".", "dependencies", "@scope/a", "version"))] == 9
    assert found[(0, ("packages", "@scope/a@1.0.0"))] == 13
    assert found[(0, ("packages", "file:projects/x.tgz"))] == 15
    assert found[(0, ("packages", "double@1.0.0"))] == 18
    assert found[(0, ("packages", "it's@1.0.0"))] == 21
    assert found[(1, ("packages", "other@1.0.0"))] == 25
    assert (0, ("a comment",)) not in found and (0, ("packages", "file:projects/x.tgz", "deprecated")) not in found


def test_a_leading_marker_does_not_start_a_second_document() -> None:
    assert key_lines("---\na: 1\n---\nb: 2\n", lambda path: True) == {(0, ("a",)): 2, (1, ("b",)): 4}
