"""The shared go.mod/go.work directive reader and the module path/version rules."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.golang.modfile_syntax import Directive, is_indirect, parse_replace, read_modfile
from ospo_scan.parsers.golang.modules import (
    Identity,
    Replacement,
    effective,
    find_replacement,
    is_directory_path,
    is_version,
    major_version_problem,
)

VERBS = frozenset({"module", "require", "replace"})


def directives(text: str) -> list[tuple[str, tuple[str, ...], int, str, int | None]]:
    return [(d.verb, d.args, d.line, d.comment, d.block_line) for d in read_modfile(text, VERBS).directives]


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in read_modfile(text, VERBS).problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("require a v1", [("require", ("a", "v1"), 1, "", None)]),
        ("require a v1 // indirect", [("require", ("a", "v1"), 1, "indirect", None)]),
        ("require a v1//x//y", [("require", ("a", "v1"), 1, "x//y", None)]),
        ("require a/b/c v1", [("require", ("a/b/c", "v1"), 1, "", None)]),  # single slashes are path text
        ('require "a b" `c d`', [("require", ("a b", "c d"), 1, "", None)]),  # strings keep their spaces
        ('require "a//b" v1 // c', [("require", ("a//b", "v1"), 1, "c", None)]),  # // inside a string
        ('require "\\t\\u00e9\\101" v1', [("require", ("\téA", "v1"), 1, "", None)]),
        ("require (\n\ta v1\n\n\t// c\n\tb v2 // d\n)", [("require", ("a", "v1"), 2, "", 1), ("require", ("b", "v2"), 5, "d", 1)]),
        ("require ( // opening comment\na v1\n) // closing comment", [("require", ("a", "v1"), 2, "", 1)]),
        ("require()\nrequire ( )", []),
        ("module\tm\r\n", [("module", ("m",), 1, "", None)]),
        ("require '(' x", []),  # a quote inside a word is text; the paren makes it an error
    ],
)
def test_directives(text: str, expected: list[tuple[str, tuple[str, ...], int, str, int | None]]) -> None:
    assert directives(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unknown x", [(1, "unknown directive: unknown")]),
        ("unknown (\nrequire a v1\n)", [(1, "unknown directive: unknown")]),  # its entries are skipped
        ('require "a v1', [(1, "unterminated quoted string")]),
        ("require `a v1", [(1, "unterminated quoted string")]),
        ('require "a\\z" v1', [(1, "bad quoting: unknown escape \\z")]),
        ('require "a\\U00110000" v1', [(1, "bad quoting: escape \\U00110000 is not a character")]),
        ("require (\na v1", [(1, "unterminated require block: no closing )")]),
        ("require ( a v1\n", [(1, "require: unexpected text after (")]),
        ("require (\na (\n)", [(2, "unexpected parenthesis inside the require block opened at line 1")]),
        ("require (\n) x", [(2, "unexpected text after )")]),
        (")", [(1, "unexpected ')' where a directive should start")]),
        ('"require" a v1', [(1, "unexpected 'require' where a directive should start")]),
        ("require a ) v1", [(1, "require: unexpected parenthesis")]),
        ("require '(' x", [(1, "require: unexpected parenthesis")]),
    ],
)
def test_problems(text: str, expected: list[tuple[int, str]]) -> None:
    assert problems(text) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("indirect", True),
        ("indirect; used by x", True),
        ("  indirect  ", True),
        ("indirectly", False),
        ("indirect // more", False),  # the go command reads only `indirect` or `indirect;` first
        ("not indirect", False),
        ("", False),
    ],
)
def test_is_indirect(comment: str, expected: bool) -> None:
    assert is_indirect(comment) is expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("a", "=>", "b", "v1.0.0"), ("a", None, "b", "v1.0.0")),
        (("a", "v0.1.0", "=>", "b", "v1.0.0"), ("a", "v0.1.0", "b", "v1.0.0")),
        (("a", "=>", "../b"), ("a", None, "../b", None)),
        (("a", "v0.1.0", "=>", "./b"), ("a", "v0.1.0", "./b", None)),
        (("a", "=>", "/abs/b"), ("a", None, "/abs/b", None)),
        (("a", "=>", "C:\\src\\b"), ("a", None, "C:\\src\\b", None)),
    ],
)
def test_parse_replace(args: tuple[str, ...], expected: tuple[str, str | None, str, str | None]) -> None:
    replacement = parse_replace(args, 7)
    assert (replacement.old_path, replacement.old_version, replacement.new_path, replacement.new_version) == expected
    assert replacement.line == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a", "b", "v1.0.0"), "expected `old [version] => new [version]`"),
        (("a", "=>"), "expected `old [version] => new [version]`"),
        (("a", "=>", "b", "v1.0.0", "x"), "expected `old [version] => new [version]`"),
        (("a", "x", "y", "=>", "b", "v1.0.0"), "expected `old [version] => new [version]`"),
        (("a", "latest", "=>", "b", "v1.0.0"), "'latest' is not a module version"),
        (("a", "=>", "b"), "replacement b needs a version, or a directory path starting with ./ or ../"),
        (("a", "=>", "b", "master"), "'master' is not a module version"),
        (("a", "=>", "./b", "v1.0.0"), "replacement directory ./b cannot have a version"),
    ],
)
def test_parse_replace_errors(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=r"^" + message.replace("[", r"\[").replace("]", r"\]") + "$"):
        parse_replace(args, 1)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1.2.3", True),
        ("v0.0.0-20200804184101-5ec99f83aff1", True),
        ("v1.2.4-0.20200701162849-18adb9c92b9b", True),
        ("v2.0.0+incompatible", True),
        ("v1.0.0-rc.1+build.5", True),
        ("v1", True),
        ("v1.2", True),
        ("1.2.3", False),
        ("v01.2.3", False),
        ("v1.2.3.4", False),
        ("latest", False),
        ("v1.2-pre", False),
        ("", False),
    ],
)
def test_is_version(version: str, expected: bool) -> None:
    assert is_version(version) is expected


@pytest.mark.parametrize(
    ("path", "version", "problem"),
    [
        ("example.com/m", "v1.0.0", None),
        ("example.com/m", "v0.1.0", None),
        ("example.com/m", "v2.0.0+incompatible", None),
        ("example.com/m", "v2.0.0", "version v2.0.0 needs a /v2 path suffix or +incompatible"),
        ("example.com/m/v2", "v2.3.0", None),
        ("example.com/m/v2", "v3.0.0", "version v3.0.0 does not match the path suffix /v2"),
        ("example.com/m/v10", "v10.0.0-20200101000000-abcdefabcdef", None),
        ("example.com/m/v1", "v1.0.0", None),  # /v1 is not a major suffix
        ("gopkg.in/yaml.v3", "v3.0.1", None),
        ("gopkg.in/yaml.v3", "v2.0.0", "version v2.0.0 does not match the path's major version v3"),
        ("gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405", None),
        ("gopkg.in/src-d/go-git.v4-unstable", "v4.0.0", None),
    ],
)
def test_major_version_problem(path: str, version: str, problem: str | None) -> None:
    assert major_version_problem(path, version) == problem


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("./x", True),
        ("../x", True),
        (".", True),
        ("..", True),
        ("/abs", True),
        (".\\x", True),
        ("C:\\x", True),
        ("C:/x", True),
        ("example.com/x", False),
        ("x", False),
        (".hidden/x", False),
    ],
)
def test_is_directory_path(path: str, expected: bool) -> None:
    assert is_directory_path(path) is expected


def test_a_versioned_replacement_wins_and_identities() -> None:
    every = Replacement(old_path="a", old_version=None, new_path="b", new_version="v2.0.0", line=1)
    exact = Replacement(old_path="a", old_version="v1.0.0", new_path="./a", new_version=None, line=2)
    table = {("a", None): every, ("a", "v1.0.0"): exact}
    assert find_replacement(table, "a", "v1.0.0") is exact
    assert find_replacement(table, "a", "v1.1.0") is every
    assert find_replacement(table, "c", "v1.0.0") is None
    assert effective("a", "v1.1.0", every) == Identity(name="b", version="v2.0.0", note="replaced a@v1.1.0")
    assert effective("a", "v1.0.0", exact) == Identity(
        name="a", version=None, first_party=True, source_url="./a", note="replaced a@v1.0.0 by local directory ./a"
    )
    assert effective("a", "v1.0.0", None) == Identity(name="a", version="v1.0.0")


def test_directive_record_is_frozen() -> None:
    directive = read_modfile("require a v1", VERBS).directives[0]
    assert directive == Directive(verb="require", args=("a", "v1"), line=1)
    with pytest.raises(AttributeError):
        directive.verb = "x"  # type: ignore[misc]
