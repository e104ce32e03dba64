"""Poetry's constraint syntax as poetry.lock writes it, read into PEP 440 and tested on versions."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.python.poetry_constraints import allows, to_specifiers


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (None, [""]),
        ("*", [""]),
        ("^1.2.3", ["<2,>=1.2.3"]),
        ("^0.2.3", ["<0.3,>=0.2.3"]),  # the first non-zero part is bumped
        ("^0.0.3", ["<0.0.4,>=0.0.3"]),
        ("^0.0", ["<0.1,>=0.0"]),  # parts counted as written
        ("^0", ["<1,>=0"]),
        ("~1.2.3", ["<1.3,>=1.2.3"]),
        ("~1.2", ["<1.3,>=1.2"]),
        ("~1", ["<2,>=1"]),
        ("1.2.3", ["==1.2.3"]),  # a bare version is an exact pin
        ("=1.2", ["==1.2"]),
        ("1.2.*", ["==1.2.*"]),
        (">= 1.0, < 2.0", ["<2.0,>=1.0"]),  # spaces after operators and commas
        (">=1.0 <2.0", ["<2.0,>=1.0"]),  # clauses separated by a space
        (">=1.7.4,<1.8 || >1.8", ["<1.8,>=1.7.4", ">1.8"]),  # alternatives
        ("!=3.0.*,!=3.1.*,>=2.7", ["!=3.0.*,!=3.1.*,>=2.7"]),
        ("bogus thing", None),
        ("^x", None),
    ],
)
def test_constraints_as_pep440_specifier_sets(constraint: str | None, expected: list[str] | None) -> None:
    found = to_specifiers(constraint)
    assert (None if found is None else [str(specifier) for specifier in found]) == expected


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        ("^2.0", "2.2.3", True),
        ("^2.0", "1.26.20", False),
        (">=1.7.4,<1.8 || >1.8", "1.9", True),
        (">=1.7.4,<1.8 || >1.8", "1.8", False),
        (">=3.19.0,<5.0.0dev", "5.0.0rc1", False),
        ("~2024.8", "2024.8.30", True),
        ("bogus thing", "1.0", None),  # unreadable constraint: cannot tell
        ("^1.0", "not a version", None),
    ],
)
def test_allows_tests_a_locked_version(constraint: str, version: str, expected: bool | None) -> None:
    assert allows(constraint)(version) is expected


@pytest.mark.parametrize(
    "constraint",
    [
        pytest.param("," + " " * 1_000_000 + "|", id="comma-then-spaces"),
        pytest.param(">=" + " " * 1_000_000 + "|", id="operator-then-spaces"),
        pytest.param(", " * 500_000 + "!", id="commas-and-spaces"),
    ],
)
def test_a_megabyte_constraint_is_read_in_linear_time(constraint: str) -> None:
    """A failed clause used to split a run of spaces between two patterns every way (quadratic)."""
    assert to_specifiers(constraint) is None


def test_a_number_too_long_to_read_makes_the_constraint_unreadable() -> None:
    huge = "9" * 5_000

    assert to_specifiers(f"^{huge}.0") is None
    assert to_specifiers(f">={huge}") is None
    assert allows(">=1.0")(f"{huge}.0") is None
    assert allows(">=1.0")("2.0") is True
