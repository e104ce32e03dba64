"""shell_words.split gives shlex.split's words, in linear time (issue 13, item 1)."""

from __future__ import annotations

import random
import shlex

import pytest

from ospo_scan.parsers.shell_words import split


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-r base.txt",
        "--hash=sha256:abc  --hash=sha256:def",
        "-r 'with space.txt'",
        '-r "double \\" quoted"',
        '"keeps \\n a backslash"',
        "outside\\ escape",
        "a'b c'd",
        "''",
        "'' x",
        '""',
        "tab\tand\nnewline",
        "\\\n",
        '"\\\\"',
    ],
)
def test_the_words_are_shlexs(text: str) -> None:
    assert split(text) == shlex.split(text)


@pytest.mark.parametrize("text", ["'open", '"open', '"open \\"', "ends with \\"])
def test_what_shlex_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        shlex.split(text)
    with pytest.raises(ValueError):
        split(text)


def test_random_texts_split_as_shlex_splits_them() -> None:
    """20,000 short texts over the characters that matter, with a fixed seed."""
    alphabet = ["a", "b", " ", "\t", '"', "'", "\\", "\n", "=", "-"]
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        try:
            expected: list[str] | None = shlex.split(text)
        except ValueError:
            expected = None
        try:
            found: list[str] | None = split(text)
        except ValueError:
            found = None
        assert found == expected, text


def test_a_megabyte_word_is_one_word() -> None:
    """shlex copies the word once per character (15 s for this); split takes it whole."""
    word = "--hash=sha256:" + "a" * 1_000_000

    assert split(f"{word} -r x.txt") == [word, "-r", "x.txt"]
