"""The committed fixture trees are exactly what fixture_trees.py writes (the tests read
their expectations from it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diffing.fixture_trees import FIXTURES, SIDES, write_side


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("side", sorted(SIDES))
def test_the_committed_tree_is_up_to_date(tmp_path: Path, side: str) -> None:
    write_side(tmp_path, SIDES[side])
    assert _files(FIXTURES / side) == _files(tmp_path), "run `python -m tests.diffing.fixture_trees` and review the change"
