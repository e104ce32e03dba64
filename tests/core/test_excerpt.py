"""excerpt: how messages quote scanned values, never walking more of them than they show (issue 13, item 3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ospo_scan.excerpt import EXCERPT_LIMIT, excerpt, shorten


def alias_bomb(levels: int = 9, width: int = 9) -> list[Any]:
    """9 ** 9 strings held by 81 references: repr() of it does not return in a lifetime."""
    level: list[Any] = ["lol"] * width
    for _ in range(levels - 1):
        level = [level] * width
    return level


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("requests", "'requests'"),
        ("it's", '"it\'s"'),
        ("", "''"),
        (b"raw", "b'raw'"),
        (3, "3"),
        (-7, "-7"),
        (2.5, "2.5"),
        (True, "True"),
        (None, "None"),
        (datetime.date(2024, 1, 2), "datetime.date(2024, 1, 2)"),
        (["a"], "a list of 1 item"),
        ([], "a list of 0 items"),
        ({"a": 1, "b": 2}, "a mapping of 2 keys"),
        ({"a": 1}, "a mapping of 1 key"),
        ((1, 2), "a tuple of 2 items"),
        ({1, 2, 3}, "a set of 3 items"),
        (frozenset(), "a set of 0 items"),
        (object(), "a object object"),
    ],
)
def test_short_values_are_quoted_and_containers_described(value: object, expected: str) -> None:
    assert excerpt(value) == expected


def test_a_long_text_is_cut_and_says_how_long_it_was() -> None:
    text = "x" * 1_000_000

    shown = excerpt(text)

    assert shown == "'" + "x" * EXCERPT_LIMIT + "...' (1,000,000 characters)"


def test_long_bytes_are_cut_too() -> None:
    assert excerpt(b"y" * 500, limit=3) == "b'yyy...' (500 bytes)"


def test_a_text_of_exactly_the_limit_is_whole() -> None:
    assert excerpt("z" * EXCERPT_LIMIT) == repr("z" * EXCERPT_LIMIT)


def test_a_container_with_shared_references_is_described_without_walking_it() -> None:
    assert excerpt(alias_bomb()) == "a list of 9 items"
    assert excerpt({"lockfileVersion": alias_bomb()}) == "a mapping of 1 key"


def test_a_container_that_holds_itself_is_described() -> None:
    loop: list[Any] = []
    loop.append(loop)

    assert excerpt(loop) == "a list of 1 item"


def test_a_huge_integer_is_named_by_its_width() -> None:
    huge = 10**5000  # repr() of it raises ValueError past 4,300 digits

    assert excerpt(huge) == f"an integer of {huge.bit_length():,} bits"
    assert excerpt(2**200) == repr(2**200)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("abc", 10, "abc"), ("abcdefghij", 10, "abcdefghij"), ("abcdefghijk", 10, "abcdefg..."), ("abcdef", 2, "a...")],
)
def test_shorten_cuts_without_quoting(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
