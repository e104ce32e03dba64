"""Property tests over every registered parser: no input makes a file cost more than itself.

For each ParserSpec in the registry (parametrized over PARSERS, so a new parser is covered
the day it is registered), Hypothesis feeds arbitrary bytes, and real files of that format
from the corpus mutated the way files break in the wild: cut short, a byte flipped, a line
repeated or lost, a NUL inserted, a number of 5,000 digits, nesting 5,000 deep. Each input
goes through the entry point the scan itself uses (file_parsing.parse_file, or parse_group
for cross-file formats), from a file on disk through the SandboxReader, then through
resolution (which the scan does not contain per file), so failure containment is tested as
a user meets it. The properties:

- nothing escapes: no exception out of parsing or resolution;
- the file yields a result, or at least one issue naming it;
- every issue names that file and has a known code;
- no issue is `internal-error`: the scan's catch-all contains a parser bug, but it is a bug.

Profiles (CI: 50 derandomized examples per parser and strategy; nightly: thousands) are in
tests/parsers/hypothesis_profiles.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis.control import currently_in_test_context
from hypothesis import strategies as st

from ospo_scan.discovery import FoundFile, Matcher, discover
from ospo_scan.file_parsing import parse_file, parse_group
from ospo_scan.model import ISSUE_CODES, ScanIssue
from ospo_scan.parsers import PARSERS
from ospo_scan.parsers.base import ParseResult, ParserSpec, ScanContext
from ospo_scan.reading import SandboxReader
from ospo_scan.resolve import ParsedFile, resolve
from tests.parsers.hypothesis_profiles import PROFILE

FIXTURES = Path(__file__).resolve().parent
"""The parsers' own fixtures: seeds for a format the corpus has no file of."""
MAX_SEED_SIZE = 16 * 1024
"""Seeds above this are cut (at a line end): examples stay small enough to parse in milliseconds."""
SEEDS_PER_FORMAT = 6
_PATTERN_NAMES = ("requirements.txt", "pylock.toml", "vendor/modules.txt", "gradle.lockfile", "gradle/libs.versions.toml")
"""Names for the formats recognized by pattern (`matches`) rather than by fixed file names."""


def _file_name(spec: ParserSpec) -> str:
    """A root-relative path that discovery hands to `spec` (and to no spec before it)."""
    names = sorted(spec.file_names) or [name for name in _PATTERN_NAMES if spec.accepts(name)]
    matcher = Matcher(PARSERS)
    routed = [name for name in names if matcher.first_match(name) is spec]
    assert routed, f"parser {spec.name}: add a file name it reads to _PATTERN_NAMES in {__file__}"
    return routed[0]


def parse_as_the_scan_does(spec: ParserSpec, root: Path, relative: str, data: bytes) -> tuple[list[ParseResult], list[ScanIssue]]:
    """Write `data` at root/relative and parse it through the scan's own entry point, then resolve."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    found = FoundFile(root=root, relative_path=relative, spec=spec)
    reader = SandboxReader(root)
    if spec.parse_group is not None:
        outcomes = [(result, issues) for _, result, issues in parse_group([found], reader, ScanContext())]
    else:
        outcomes = [parse_file(found, reader)]
    results = [result for result, _ in outcomes if result is not None]
    issues = [found_issue for _, file_issues in outcomes for found_issue in file_issues]
    resolution = resolve([ParsedFile(path=relative, spec=spec, result=result) for result in results], root.name)
    return results, issues + list(resolution.issues)


def assert_contained(spec: ParserSpec, root: Path, data: bytes) -> None:
    """The properties every input must have (see the module docstring)."""
    relative = _file_name(spec)
    results, issues = parse_as_the_scan_does(spec, root, relative, data)
    if currently_in_test_context():  # --hypothesis-show-statistics: how often inputs got into a parser
        event("parsed" if results else "not parsed")
        for code in sorted({found.code for found in issues}):
            event(f"issue: {code}")
    assert results or [found for found in issues if found.path == relative], "neither a result nor an issue naming the file"
    for found in issues:
        assert found.path == relative, f"an issue names another file: {found}"
        assert found.code in ISSUE_CODES, f"unknown issue code: {found}"
        assert found.code != "internal-error", f"a parser bug, contained by the scan's catch-all: {found.message}"


# --- strategies ---------------------------------------------------------------------------

_TOKENS = (
    "{", "}", "[", "]", '"', "'", ":", ",", "=", "==", "\n", "\r\n", " ", "    ", "\t", "#", "//", "-", "- ", "-r ", "-c ", "-e ",
    "<", ">", "</", "/>", "<project>", "<dependency>", "<parent>", "<!DOCTYPE", "&", "&amp;", "*", "&a ", "!!", "|", ">=", "~=", "^",
    "@", ";", "\\", "${", "$", "%", "name", "version", "packages", "dependencies", "lockfileVersion", "[[package]]", "[project]",
    "require", "module", "replace", "=>", "go", "v1.2.3", "1.0.0", "0", "-1", "1e999", "true", "false", "null", "~", "\ufeff", "\u202e",
    "é", "\x1b[2J", "\x00",
)
"""Pieces of every supported syntax, so that random text often gets past the first token."""

arbitrary_input = st.one_of(
    st.binary(max_size=2_048),
    st.text(max_size=1_024).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(_TOKENS) | st.text(max_size=8), max_size=200).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)

Mutation = Callable[[st.DrawFn, bytes], bytes]
_DIGITS = re.compile(rb"\d+")
_NESTING = ((b"[", b"]"), (b'{"a":', b"}"), (b"{a = ", b"}"), (b"<a>", b"</a>"), (b"- ", b""), (b"a:\n ", b""))
"""Openers and closers of JSON, TOML inline tables, XML, YAML flow and block collections."""


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    index = draw(st.integers(0, len(data) - 1))
    return data[:index] + bytes([data[index] ^ (1 << draw(st.integers(0, 7)))]) + data[index + 1 :]


def _duplicate_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    return b"\n".join(lines[: index + 1] + lines[index:])


def _delete_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    return b"\n".join(lines[:index] + lines[index + 1 :])


def _insert_nul(draw: st.DrawFn, data: bytes) -> bytes:
    index = draw(st.integers(0, len(data)))
    return data[:index] + b"\x00" + data[index:]


def _huge_number(draw: st.DrawFn, data: bytes) -> bytes:
    """A number of 4,301 to 5,000 digits in place of one of the file's numbers (else anywhere)."""
    digits = b"9" * draw(st.sampled_from((4_301, 5_000)))
    numbers = list(_DIGITS.finditer(data))
    if not numbers:
        index = draw(st.integers(0, len(data)))
        return data[:index] + digits + data[index:]
    number = draw(st.sampled_from(numbers))
    return data[: number.start()] + digits + data[number.end() :]


def _deep_nesting(draw: st.DrawFn, data: bytes) -> bytes:
    opener, closer = draw(st.sampled_from(_NESTING))
    depth = draw(st.sampled_from((100, 1_000, 5_000)))
    index = draw(st.integers(0, len(data)))
    return data[:index] + opener * depth + b"1" + closer * depth + data[index:]


MUTATIONS: tuple[Mutation, ...] = (_truncate, _flip, _duplicate_line, _delete_line, _insert_nul, _huge_number, _deep_nesting)


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    """One of `seeds` with one to three mutations applied in turn."""
    data = draw(st.sampled_from(seeds))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        data = mutation(draw, data)
    return data


# --- seeds --------------------------------------------------------------------------------


@functools.cache
def _files_by_format(folder: Path) -> dict[str, tuple[Path, ...]]:
    """Every file of `folder` that discovery would parse, by parser name, smallest first."""
    found: dict[str, list[Path]] = {}
    for item in discover(folder, PARSERS).files:
        found.setdefault(item.spec.name, []).append(folder / item.relative_path)
    return {name: tuple(sorted(paths, key=lambda path: (path.stat().st_size, path))) for name, paths in found.items()}


def _seeds(spec: ParserSpec, corpus: Path) -> tuple[bytes, ...]:
    """A few real files of the format, spread over its sizes up to MAX_SEED_SIZE; the corpus
    first, the parser's own fixtures for a format the corpus lacks."""
    paths = _files_by_format(corpus).get(spec.name) or _files_by_format(FIXTURES).get(spec.name, ())
    paths = tuple(path for path in paths if path.stat().st_size > 0)
    if not paths:
        pytest.skip(f"no non-empty {spec.name} file in the corpus nor in the parser fixtures to mutate")
    small = [path for path in paths if path.stat().st_size <= MAX_SEED_SIZE] or [paths[0]]
    step = max(1, len(small) // SEEDS_PER_FORMAT)
    return tuple(_cut(path.read_bytes()) for path in small[::step][:SEEDS_PER_FORMAT])


def _cut(data: bytes) -> bytes:
    """At most MAX_SEED_SIZE bytes, cut at a line end."""
    if len(data) <= MAX_SEED_SIZE:
        return data
    end = data.rfind(b"\n", 0, MAX_SEED_SIZE)
    return data[: end + 1 if end > 0 else MAX_SEED_SIZE]


# --- the properties -----------------------------------------------------------------------


@pytest.mark.parametrize("spec", PARSERS, ids=lambda spec: spec.name)
@PROFILE
@given(data=arbitrary_input)
def test_arbitrary_bytes_are_contained(spec: ParserSpec, tmp_path: Path, data: bytes) -> None:
    """Random bytes, random text and random pieces of every syntax, under the format's file name."""
    assert_contained(spec, tmp_path, data)


@pytest.mark.corpus
@pytest.mark.parametrize("spec", PARSERS, ids=lambda spec: spec.name)
def test_mutated_real_files_are_contained(spec: ParserSpec, tmp_path: Path, corpus: Path) -> None:
    """Real files of the format, broken the way files break: cut, flipped, repeated, deep, huge."""
    seeds = _seeds(spec, corpus)

    @PROFILE
    @given(data=mutated(seeds))
    def check(data: bytes) -> None:
        assert_contained(spec, tmp_path, data)

    check()


@pytest.mark.corpus
@pytest.mark.parametrize("spec", PARSERS, ids=lambda spec: spec.name)
def test_the_seeds_themselves_parse_cleanly(spec: ParserSpec, tmp_path: Path, corpus: Path) -> None:
    """Unmutated, every seed is contained too: a failure above is the mutation's, not the seed's."""
    for seed in _seeds(spec, corpus):
        assert_contained(spec, tmp_path, seed)


def test_every_parser_has_a_file_name_discovery_routes_to_it() -> None:
    """A parser added with a new pattern fails here first, saying what to add."""
    assert {spec.name: Matcher(PARSERS).first_match(_file_name(spec)) for spec in PARSERS} == {spec.name: spec for spec in PARSERS}
