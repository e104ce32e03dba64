"""too_long_number: the versions Python cannot read, found in linear time (issue 13, item 4)."""

from __future__ import annotations

import sys

import pytest

from ospo_scan.parsers.numbers import MAX_DIGITS, too_long_number


@pytest.mark.parametrize(
    "text",
    ["", "1.2.3", "9" * MAX_DIGITS, f"1.{'9' * MAX_DIGITS}.2", ("9" * MAX_DIGITS + ".") * 50, "v1.2.3-rc.1+build.5"],
)
def test_numbers_python_reads_are_fine(text: str) -> None:
    assert too_long_number(text) is None


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("9" * (MAX_DIGITS + 1), MAX_DIGITS + 1),
        (f"1.0.{'7' * 5_000}rc1", 5_000),
        (f">=1,<{'1' * 6_000}", 6_000),
        ("٣" * 5_000, 5_000),  # Arabic-Indic digits: int() reads them, and refuses as many
    ],
)
def test_a_run_of_digits_over_the_limit_is_named(text: str, digits: int) -> None:
    assert too_long_number(text) == f"a number of {digits:,} digits, more than the 4,300 a version may have"


def test_the_limit_is_pythons_default_whatever_this_interpreter_is_set_to() -> None:
    assert MAX_DIGITS == sys.int_info.default_max_str_digits == 4_300


def test_a_megabyte_of_short_runs_is_searched_once() -> None:
    """Runs just under the limit: a pattern without the look back retried each from every digit."""
    text = ("9" * MAX_DIGITS + ".") * 240  # about a megabyte

    assert too_long_number(text) is None
