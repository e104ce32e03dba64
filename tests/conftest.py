"""Shared fixtures: where the real-world corpus lives, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The shared real-world corpus (../shared/corpus beside the checkout)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (real-world corpus tests)")
    return CORPUS
