"""Issue 13, item 3: a message never walks a YAML alias bomb it quotes.

Both fixtures are a few hundred bytes: nine lists of nine aliases of the list before,
387,420,489 strings once walked. The YAML loader shares the aliased lists, so loading is
quick; a message that quoted the value with repr() never returned (pnpm's
`lockfileVersion`, yarn berry's `resolution`). Should the loader refuse alias bombs
itself one day (ospo_scan.parsers.formats), the file is one short parse error instead;
either way the parse ends and says where.
"""

from __future__ import annotations

from pathlib import Path

from ospo_scan.parsers.base import ParseError, ParseFunction, ParseResult
from ospo_scan.parsers.npm.pnpm_lock import parse_pnpm_lock
from ospo_scan.parsers.npm.yarn_lock import parse_yarn_lock
from tests.parsing import parse_file_with

FIXTURES = Path(__file__).parent / "fixtures"
SHORT = 200
"""No message about these files is longer than this."""


def parse_or_refuse(parse: ParseFunction, relative: str) -> ParseResult | None:
    """The result, or None when the loader refused the file with a short parse error."""
    try:
        return parse_file_with(parse, FIXTURES, relative)
    except ParseError as error:  # a loader that bounds aliases refuses the whole file
        assert len(error.message) < SHORT
        return None


def test_a_pnpm_lockfile_version_that_is_an_alias_bomb_is_described_not_walked() -> None:
    result = parse_or_refuse(parse_pnpm_lock, "pnpm_lock/alias-bomb-in-lockfile-version.yaml")

    if result is not None:  # the loader let the aliases through: the message describes the value
        assert [(p.name, p.version) for p in result.packages] == [("fine", "4.0.0")]
        assert [(i.line, i.message) for i in result.issues] == [
            (12, "lockfileVersion: a list of 9 items is not a version number; keys read in both spellings"),
        ]


def test_a_berry_resolution_that_is_an_alias_bomb_is_described_not_walked() -> None:
    result = parse_or_refuse(parse_yarn_lock, "yarn_lock/berry-alias-bomb-in-resolution.lock")

    if result is not None:  # the loader let the aliases through: the message describes the value
        assert ("fine", "4.0.0") in [(p.name, p.version) for p in result.packages]
        bomb = [i.message for i in result.issues if i.message.startswith('["bomb@npm:^1.0.0"]')]
        assert bomb == ['["bomb@npm:^1.0.0"].resolution: not a locator (a list of 9 items); read from the key']
        assert all(len(i.message) < SHORT for i in result.issues)
