"""JSONC -> JSON: comments and trailing commas go, strings and line numbers stay."""

from __future__ import annotations

import json

import pytest

from ospo_scan.parsers.npm.jsonc import strip_jsonc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
        ('{"a": "x,]", "b": "y,}",}', {"a": "x,]", "b": "y,}"}),  # commas inside strings are data
        ('{"url": "https://registry.npm.example/x", }', {"url": "https://registry.npm.example/x"}),
        ('{"a": "q\\"", "b": ["x\\\\",],}', {"a": 'q"', "b": ["x\\"]}),  # escaped quote and backslash
        ('{"a": 1, // comment with "quote" and ,]\n "b": 2,}', {"a": 1, "b": 2}),
        ('{"a": /* inline */ 1, /* trailing */ }', {"a": 1}),
        ('{"a": [1, // last\n],}', {"a": [1]}),  # a trailing comma followed by a comment
        ('{"url": "http://x/*y*/", "n": 1,}', {"url": "http://x/*y*/", "n": 1}),
    ],
)
def test_strip_jsonc(text: str, expected: object) -> None:
    cleaned = strip_jsonc(text)
    assert json.loads(cleaned) == expected
    assert len(cleaned) == len(text) and cleaned.count("\n") == text.count("\n")


@pytest.mark.parametrize("text", ['{"a": 1} /* never closed', "[1, 2,,]", '{"a": "unterminated}'])
def test_what_is_not_jsonc_stays_invalid(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(strip_jsonc(text))


def test_many_unclosed_comments_stay_linear() -> None:
    text = ",/*" * 200_000
    assert strip_jsonc(text) == text
