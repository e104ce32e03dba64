"""Yarn v1 yarn.lock: its own indented text format -> locked packages and their edges.

An entry is a header listing every specifier that resolved to one package, then its
fields and sub-blocks, indented by two spaces:

    "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
      version "7.10.4"
      resolved "https://registry.npm.example/@babel/code-frame/-/code-frame-7.10.4.tgz#..."
      dependencies:
        "@babel/highlight" "^7.10.4"

Strings are quoted when yarn must (JSON escapes) and bare otherwise; some tools quote
the field names too (`"version" "1.2.3"`). The reader below is a small line-based state
machine (header, field, sub-block line) so that every problem has its line and one bad
line costs only that line. A dependency `child "range"` points at the entry whose header
lists `child@range`: that entry's version is the edge's child version.

The file states the whole graph (`states_graph`): every `dependencies` line is a REQUIRED
edge, every `optionalDependencies` line an OPTIONAL one, and `resolutions` maps each header
specifier (`name`, `range`) to the version its entry locks, which is how a package.json
declaration finds its locked package. What the format cannot say: which packages the
project itself depends on and in which section (there is no root or workspace entry), so
it states no roots, no directness and no workspace members; the package.json files give
them, and ospo_scan.graph walks from their declarations along these edges.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since Python 2, absent from typeshed

from ospo_scan.excerpt import excerpt
from ospo_scan.model import EdgeKind
from ospo_scan.parsers.base import DeclaredEdge, DeclaredPackage, ParseError, ParseResult, SourceFile, issue
from ospo_scan.parsers.npm.specifiers import SpecKind, Specifier, classify, split_name_and_range
from ospo_scan.parsers.npm.yarn_common import (
    PARSER_NAME,
    add_resolution,
    entry_key_path,
    merge_packages,
    unique_edges,
)

_V1_HEADER = "# yarn lockfile v1"
_EDGE_BLOCKS = (("dependencies", EdgeKind.REQUIRED), ("optionalDependencies", EdgeKind.OPTIONAL))
"""Sub-blocks that are edges, and their kind. A name in both is optional (npm's rule: an
`optionalDependencies` entry overrides the `dependencies` one)."""
_MAX_LISTED_PROBLEMS = 100
"""Unreadable lines reported one by one; past this many only counted (a hostile file may have millions)."""
_OUTSIDE_REGISTRY = frozenset({SpecKind.GIT, SpecKind.TARBALL, SpecKind.LOCAL, SpecKind.WORKSPACE, SpecKind.UNKNOWN})


@dataclass(slots=True)
class V1Entry:
    """One entry as written: its header's specifiers, its `name value` fields and sub-blocks."""

    line: int
    specifiers: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The header's specifiers as one key, in the spelling Berry keys use: `a@^1, a@^1.2`."""
        return ", ".join(self.specifiers)

    @property
    def key_path(self) -> str:
        return entry_key_path(self.key)


def parse_v1(source: SourceFile) -> ParseResult:
    """Read every entry, then name packages and link dependencies to entries; refuse non-lockfiles."""
    reader = V1Reader()
    for number, line in enumerate(source.text.split("\n"), 1):
        reader.feed(number, line)
    refusal = _not_a_lockfile(source.text, reader)
    if refusal is not None:
        raise ParseError(f"not a yarn lockfile: {refusal[1]}", refusal[0])
    result = ParseResult(issues=[issue(source, PARSER_NAME, message, line) for line, message in reader.problems])
    if reader.unlisted:
        result.issues.append(issue(source, PARSER_NAME, f"{reader.unlisted} more unreadable lines not listed"))
    built = [_package(source, entry, result) for entry in reader.entries]
    index = _specifier_index(source, reader.entries, built, result)
    result.packages = merge_packages(built)
    result.edges = unique_edges(_edges(reader.entries, built, index))
    result.resolutions = _resolutions(index)
    result.states_graph = True
    return result


def _not_a_lockfile(text: str, reader: V1Reader) -> tuple[int | None, str] | None:
    """(line, why) when the text is something else; None for a lockfile, even an empty one.

    A YAML or INI document can pass for v1 entries (`stages:` then `  - build`), so entries
    count as a lockfile only if one of them has a `version` or yarn's own header is there.
    """
    if not reader.entries and reader.problems:
        line, message = reader.problems[0]
        return line, f"no entry could be read ({message})"
    has_version = any("version" in entry.fields for entry in reader.entries)
    if reader.entries and not has_version and _V1_HEADER not in text:
        return reader.entries[0].line, f"no entry has a version and the {_V1_HEADER!r} header is missing"
    return None


# --- syntax: lines -> entries ---------------------------------------------------------


class V1LineError(Exception):
    """One line cannot be read; the reader records it and goes on with the next."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class V1Reader:
    """The state machine: at column 0 a header, at 2 a field or block opener, at 4 a block line.

    `skipping` is set after a header that cannot be read, so that its body is passed over
    quietly instead of adding one issue per line.
    """

    def __init__(self) -> None:
        self.entries: list[V1Entry] = []
        self.problems: list[tuple[int, str]] = []
        """(line, message) of the first unreadable lines."""
        self.unlisted = 0
        self._entry: V1Entry | None = None
        self._block: dict[str, str] | None = None
        self._skipping = False

    def feed(self, number: int, line: str) -> None:
        """Read one line (comments and blank lines carry nothing)."""
        text = line.rstrip()
        body = text.lstrip(" ")
        if not body or body.startswith("#"):
            return
        indent = len(text) - len(body)
        try:
            self._dispatch(number, indent, body)
        except V1LineError as error:
            if len(self.problems) < _MAX_LISTED_PROBLEMS:
                self.problems.append((number, error.message))
            else:
                self.unlisted += 1

    def _dispatch(self, number: int, indent: int, body: str) -> None:
        if body.startswith("\t"):
            raise V1LineError("tab in the indentation (yarn indents with two spaces per level)")
        if indent == 0:
            self._header(number, body)
        elif self._skipping:
            return
        elif indent == 2:
            self._field(body)
        elif indent == 4:
            self._block_line(body)
        else:
            raise V1LineError(f"unexpected indentation of {indent} spaces")

    def _header(self, number: int, body: str) -> None:
        self._entry, self._block, self._skipping = None, None, True
        self._entry = V1Entry(line=number, specifiers=header_specifiers(body))
        self.entries.append(self._entry)
        self._skipping = False

    def _field(self, body: str) -> None:
        if self._entry is None:
            raise V1LineError("indented line outside an entry")
        tokens, opens_block = line_tokens(body)
        self._block = None
        if opens_block and len(tokens) == 1:
            self._block = self._entry.blocks.setdefault(tokens[0], {})
        elif not opens_block and len(tokens) == 2:
            self._entry.fields.setdefault(tokens[0], tokens[1])
        else:
            raise V1LineError(f"{self._entry.key_path}: expected `name value` or `name:`, found {excerpt(body)}")

    def _block_line(self, body: str) -> None:
        if self._entry is None or self._block is None:
            raise V1LineError("line indented by 4 spaces outside a dependencies block")
        tokens, opens_block = line_tokens(body)
        if opens_block or len(tokens) != 2:
            raise V1LineError(f"{self._entry.key_path}: expected `name range`, found {excerpt(body)}")
        self._block[tokens[0]] = tokens[1]


def header_specifiers(body: str) -> tuple[str, ...]:
    """`"@a/b@^1", b@~1.0.1:` -> ('@a/b@^1', 'b@~1.0.1'): comma-separated, quoted or bare."""
    if not body.endswith(":"):
        raise V1LineError(f"entry header does not end with ':': {excerpt(body)}")
    text, specifiers, position = body[:-1], [], 0
    while True:
        position = _skip_spaces(text, position)
        if text.startswith('"', position):
            value, position = _quoted(text, position)
        else:
            end = text.find(",", position)
            end = len(text) if end == -1 else end
            value, position = text[position:end].strip(), end
        if not value:
            raise V1LineError(f"empty specifier in entry header {excerpt(body)}")
        specifiers.append(value)
        position = _skip_spaces(text, position)
        if position >= len(text):
            return tuple(specifiers)
        if text[position] != ",":
            raise V1LineError(f"expected ',' between the specifiers of {excerpt(body)}")
        position += 1


def line_tokens(body: str) -> tuple[list[str], bool]:
    """`version "1.2.3"` -> (['version', '1.2.3'], False); `dependencies:` -> (['dependencies'], True)."""
    tokens: list[str] = []
    position, opens_block = 0, False
    while (position := _skip_spaces(body, position)) < len(body):
        if opens_block:
            raise V1LineError(f"text after ':' in {excerpt(body)}")
        if body[position] == '"':
            token, position = _quoted(body, position)
            if body.startswith(":", position):
                opens_block, position = True, position + 1
        else:
            end = body.find(" ", position)
            end = len(body) if end == -1 else end
            token, position = body[position:end], end
            if token.endswith(":"):
                token, opens_block = token[:-1], True
        tokens.append(token)
    return tokens, opens_block


def _quoted(text: str, position: int) -> tuple[str, int]:
    """The JSON-style string starting at `text[position] == '"'`, and the index after it."""
    try:
        return scanstring(text, position + 1)
    except ValueError:  # json.JSONDecodeError: unterminated string or bad escape
        raise V1LineError(f"unterminated or invalid quoted string in {excerpt(text)}") from None


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


# --- meaning: entries -> packages and edges -------------------------------------------


def _package(source: SourceFile, entry: V1Entry, result: ParseResult) -> DeclaredPackage:
    """One entry -> DeclaredPackage, named after the package its specifiers really install."""
    written = [split_name_and_range(specifier) for specifier in entry.specifiers]
    specs = [classify(name, range_) for name, range_ in written]
    for specifier, spec in zip(entry.specifiers, specs):
        if spec.kind is SpecKind.UNKNOWN:
            unknown = f"specifier {excerpt(specifier)} has an unknown protocol; package read as written"
            message = f"{entry.key_path}: {unknown}"
            result.issues.append(issue(source, PARSER_NAME, message, entry.line))
    name = specs[0].name
    if len({spec.name for spec in specs}) > 1:
        message = f"{entry.key_path}: specifiers name different packages; read as {excerpt(name)}"
        result.issues.append(issue(source, PARSER_NAME, message, entry.line))
    version = entry.fields.get("version") or None
    notes = [_alias_note(written, specs)]
    if version is None:
        result.issues.append(issue(source, PARSER_NAME, f"{entry.key_path}.version: missing", entry.line))
        notes.append("no version in the lock")
    return DeclaredPackage(
        name=name,
        version=version,
        first_party=any(spec.first_party for spec in specs),
        line=entry.line,
        key_path=entry.key,
        source_url=_source_url(entry, specs),
        note="; ".join(note for note in notes if note) or None,
    )


def _source_url(entry: V1Entry, specs: list[Specifier]) -> str | None:
    """Where a package outside the registry comes from: `resolved`, else the specifier itself."""
    outside = [spec for spec in specs if spec.kind in _OUTSIDE_REGISTRY]
    if not outside:
        return None
    return entry.fields.get("resolved") or outside[0].source_url


def _alias_note(written: list[tuple[str, str]], specs: list[Specifier]) -> str | None:
    """`"cjs@npm:real@^5"` installs `real` under the name `cjs`: say so."""
    aliases = sorted({own for (own, _), spec in zip(written, specs) if own != spec.name})
    return f"installed under the alias {', '.join(aliases)}" if aliases else None


def _specifier_index(
    source: SourceFile, entries: list[V1Entry], built: list[DeclaredPackage], result: ParseResult
) -> dict[str, DeclaredPackage]:
    """`name@range` -> the package its entry locks; a specifier locked twice differently is an issue."""
    index: dict[str, DeclaredPackage] = {}
    for entry, package in zip(entries, built):
        for specifier in entry.specifiers:
            seen = index.setdefault(specifier, package)
            if (seen.name, seen.version) != (package.name, package.version):
                again = f"{excerpt(specifier)} is also locked to {seen.version} at line {seen.line}"
                message = f"{entry.key_path}: {again}"
                result.issues.append(issue(source, PARSER_NAME, message, entry.line))
    return index


def _edges(
    entries: list[V1Entry], built: list[DeclaredPackage], index: dict[str, DeclaredPackage]
) -> Iterator[DeclaredEdge]:
    """Each `dependencies`/`optionalDependencies` line, with its kind and the version its specifier locks.

    A child whose specifier no header lists is still an edge, with child_version None.
    """
    for entry, parent in zip(entries, built):
        optional = entry.blocks.get("optionalDependencies", {})
        for block, kind in _EDGE_BLOCKS:
            for child, range_ in entry.blocks.get(block, {}).items():
                if kind is EdgeKind.REQUIRED and child in optional:
                    continue
                target = index.get(f"{child}@{range_}")
                name = target.name if target else classify(child, range_).name
                version = target.version if target else None
                yield DeclaredEdge(
                    parent=parent.name, parent_version=parent.version, child=name, child_version=version, kind=kind
                )


def _resolutions(index: dict[str, DeclaredPackage]) -> dict[tuple[str, str], str]:
    """(name, range) of every header specifier -> the version its entry locks.

    A package.json writes `"a": "^1.0"` where the header says `a@^1.0`, and an alias
    `"cjs": "npm:real@^5"` where it says `cjs@npm:real@^5`; the alias is also filed under
    the real package's name, the name a manifest declaration of it carries.
    """
    resolutions: dict[tuple[str, str], str] = {}
    for specifier, package in index.items():
        if package.version is None:
            continue
        name, range_ = split_name_and_range(specifier)
        add_resolution(resolutions, name, range_, package.version)
        if package.name != name:
            add_resolution(resolutions, package.name, range_, package.version)
    return resolutions
