"""Issue 13, item 1: no requirements line makes the parser work harder than linearly.

Each file here is generated at test time: a line of a megabyte in the shape that used to
make a pattern or shlex quadratic (40,000 spaces took 11 s, a 1 MB `--hash=` 15 s, a 1 MB
line of spaces never ended). The tests assert what the parse gives; that it gives it at
all, within the test run, is the point. bench/requirements_lines.py measures the times.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.base import ParseResult
from ospo_scan.parsers.python.pep508 import MAX_REQUIREMENT_LENGTH
from ospo_scan.parsers.python.requirements import parse_requirements
from tests.parsing import parse_file_with

MEGABYTE = 1_000_000
AFTER = "flask==3.0.0\n"
"""A good line after the hostile one: it must be kept."""


def parse_text(tmp_path: Path, text: str) -> ParseResult:
    (tmp_path / "requirements.txt").write_text(text, encoding="utf-8")
    return parse_file_with(parse_requirements, tmp_path, "requirements.txt")


def rows(result: ParseResult) -> list[tuple[str, str | None, int | None]]:
    return [(package.name, package.version, package.line) for package in result.packages]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("requests==2.0" + " " * MEGABYTE, id="trailing-spaces"),
        pytest.param("requests==2.0" + "\t" * MEGABYTE, id="trailing-tabs"),
        pytest.param("requests==2.0" + " " * MEGABYTE + "# a comment", id="spaces-before-a-comment"),
        pytest.param("requests==2.0 --hash=sha256:" + "a" * MEGABYTE, id="hash-after-the-requirement"),
        pytest.param("requests==2.0 \\\n    --hash=sha256:" + "a" * MEGABYTE, id="hash-on-a-continuation-line"),
        pytest.param("requests==2.0 --hash=sha256:" + "a " * (MEGABYTE // 2), id="hash-then-many-words"),
    ],
)
def test_a_megabyte_line_around_a_requirement_is_read_in_linear_time(tmp_path: Path, line: str) -> None:
    result = parse_text(tmp_path, f"{line}\n{AFTER}")

    assert rows(result)[0][:2] == ("requests", "2.0")
    assert rows(result)[1] == ("flask", "3.0.0", rows(result)[1][2])
    assert result.issues == []


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("--hash=sha256:" + "a" * MEGABYTE, id="options-only-hash"),
        pytest.param("-r '" + "a" * MEGABYTE, id="unclosed-quote"),
        pytest.param("-r" + " " * MEGABYTE, id="option-value-missing-after-spaces"),
        pytest.param("./" + "[" * MEGABYTE, id="brackets-in-a-path"),
        pytest.param("git+https://vcs.example/a#egg=" + "[" * MEGABYTE, id="brackets-in-an-egg"),
    ],
)
def test_a_megabyte_option_or_path_line_is_read_in_linear_time(tmp_path: Path, line: str) -> None:
    result = parse_text(tmp_path, f"{line}\n{AFTER}")

    assert ("flask", "3.0.0") in [row[:2] for row in rows(result)]
    assert all(len(found.message) < 400 for found in result.issues)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("requests==2.0" + " " * MEGABYTE + "x", id="spaces-then-a-word"),
        pytest.param("requests[" + "a," * (MEGABYTE // 2) + "]==1", id="a-megabyte-of-extras"),
        pytest.param("requests" + ">1," * (MEGABYTE // 3), id="a-megabyte-of-clauses"),
        pytest.param("requests==1.0 ; " + "(" * MEGABYTE, id="a-megabyte-of-parentheses"),
        pytest.param("requests==2.0 ;" + " " * MEGABYTE + "python_version > '3'", id="spaces-before-a-marker"),
    ],
)
def test_a_megabyte_requirement_is_one_issue_on_its_line(tmp_path: Path, line: str) -> None:
    result = parse_text(tmp_path, f"{AFTER}{line}\n{AFTER}")

    assert [row[:2] for row in rows(result)] == [("flask", "3.0.0"), ("flask", "3.0.0")]
    assert [(found.path, found.line) for found in result.issues] == [("requirements.txt", 2)]
    message = result.issues[0].message
    assert message.startswith("invalid requirement 'requests")
    assert len(message) < 400  # an excerpt of the line, never the line


def test_a_requirement_longer_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    long_marker = "requests==1.0 ; " + " or ".join(["python_version > '3'"] * (MAX_REQUIREMENT_LENGTH // 20))

    result = parse_text(tmp_path, f"{long_marker}\n{AFTER}")

    assert rows(result) == [("flask", "3.0.0", 2)]
    assert [found.line for found in result.issues] == [1]
    assert f"more than the {MAX_REQUIREMENT_LENGTH:,} a requirement may have" in result.issues[0].message


def test_a_requirement_just_under_the_limit_is_read(tmp_path: Path) -> None:
    clauses = " or ".join(["python_version > '3'"] * ((MAX_REQUIREMENT_LENGTH - 100) // 24))
    line = f"requests==1.0 ; {clauses}"
    assert len(line) <= MAX_REQUIREMENT_LENGTH

    result = parse_text(tmp_path, f"{line}\n")

    assert rows(result) == [("requests", "1.0", 1)]
    assert result.issues == []


def test_the_comment_rule_is_still_pips(tmp_path: Path) -> None:
    """`#` starts a comment at the start of a line or after whitespace, never inside a word."""
    text = "# only a comment\nrequests==2.0 # trailing\nalpha @ https://files.example/alpha-1.0-py3-none-any.whl#sha256=ab\n\t#indented\n"

    result = parse_text(tmp_path, text)

    assert rows(result) == [("requests", "2.0", 2), ("alpha", "1.0", 3)]
    assert result.packages[1].source_url == "https://files.example/alpha-1.0-py3-none-any.whl#sha256=ab"
