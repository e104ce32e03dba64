"""The directive syntax that go.mod and go.work share, read line by line.

A file is a list of directives, one per line (`require example.com/m v1.2.3`), or a
block that repeats one verb (`require (` ... `)`), each entry on its own line. `//`
starts a comment anywhere, including after a directive, where it carries meaning
(`// indirect`). Tokens are separated by white space; `(` and `)` stand alone; a token
may be an interpreted string ("...", Go escapes) or a raw string (`...`). Strings
cannot span lines, so every problem is local to one line.

Reading never stops at a bad line: each problem (unknown directive, bad quoting, a
block that is never closed) is kept with its line, and the caller turns them into
ScanIssues while using every directive that could be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ospo_scan.excerpt import excerpt
from ospo_scan.parsers.base import INVALID_ENTRY, IssueCollector, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.golang.modules import (
    Replacement,
    Replacements,
    is_directory_path,
    is_version,
    major_version_problem,
)

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | //(?P<comment>.*)
      | (?P<paren>[()])
      | "(?P<interpreted>(?:[^"\\]|\\.)*)"
      | `(?P<raw>[^`]*)`
      | (?P<word>(?:[^\s()/"`]|/(?!/))(?:[^\s()/]|/(?!/))*)
      | (?P<bad>["`])
    """,
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(?:([abfnrtv\\\"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3})|(.?))")
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
ARROW = "=>"
# Every problem a go.mod-syntax file reports on a line is an INVALID_ENTRY: the other lines
# are still read. (A file with no readable directive at all raises ParseError instead.) The
# severity stays ERROR: what the bad line meant is lost, so the scan is incomplete.

Report = Callable[[str, int], None]
"""Records a problem (message, line) as the caller's ScanIssue."""


class _LineError(ValueError):
    """A line whose tokens cannot be read (bad quoting)."""


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    quoted: bool

    def is_punct(self, char: str) -> bool:
        return not self.quoted and self.text == char


@dataclass(frozen=True, slots=True, kw_only=True)
class Directive:
    """One directive, or one entry of a block (which then carries the block's verb)."""

    verb: str
    args: tuple[str, ...]
    line: int
    comment: str = ""
    """Text of the trailing `//` comment, without the slashes; '' when there is none."""
    block_line: int | None = None
    """Line of the `verb (` that opened the block this entry is in; None for a single line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntaxProblem:
    message: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ModFile:
    """Everything that could be read from a file, and what could not."""

    directives: tuple[Directive, ...]
    problems: tuple[SyntaxProblem, ...]


def read_modfile(text: str, verbs: frozenset[str]) -> ModFile:
    """Directives whose verb is in `verbs`, in file order; anything else is a problem."""
    reader = _Reader(verbs)
    for number, line in enumerate(text.split("\n"), 1):
        reader.feed(number, line)
    reader.finish()
    return ModFile(directives=tuple(reader.directives), problems=tuple(reader.problems))


def raise_if_not_a_modfile(modfile: ModFile, kind: str) -> None:
    """Nothing readable but something wrong: the file is not of this kind at all."""
    if not modfile.directives and modfile.problems:
        first = modfile.problems[0]
        raise ParseError(f"not a {kind} file: {first.message}", first.line)


def open_modfile(source: SourceFile, verbs: frozenset[str], kind: str, parser: str) -> tuple[ModFile, ParseResult, Report]:
    """Read a go.mod-syntax file for a parser: the directives, a result whose issues already
    hold the syntax problems, and the function that adds more issues (code invalid-entry) to it."""
    modfile = read_modfile(source.text, verbs)
    raise_if_not_a_modfile(modfile, kind)
    result = ParseResult()
    report = IssueCollector(source=source, parser=parser, issues=result.issues, code=INVALID_ENTRY).report
    for problem in modfile.problems:
        report(problem.message, problem.line)
    return modfile, result, report


def is_indirect(comment: str) -> bool:
    """`// indirect` (optionally `// indirect; more text`), exactly as the go command reads it."""
    words = comment.split()
    return (len(words) == 1 and words[0] == "indirect") or (len(words) > 1 and words[0] == "indirect;")


def parse_replace(args: tuple[str, ...], line: int) -> Replacement:
    """`old [version] => new [version]`, or ValueError with what is wrong."""
    if ARROW not in args or args.index(ARROW) not in (1, 2):
        raise ValueError("expected `old [version] => new [version]`")
    arrow = args.index(ARROW)
    old, old_version = args[0], (args[1] if arrow == 2 else None)
    new = args[arrow + 1 : arrow + 2]
    new_version = args[arrow + 2 : arrow + 3]
    if not new or len(args) > arrow + 3:
        raise ValueError("expected `old [version] => new [version]`")
    if old_version is not None and not is_version(old_version):
        raise ValueError(f"{excerpt(old_version)} is not a module version")
    if is_directory_path(new[0]):
        if new_version:
            raise ValueError(f"replacement directory {new[0]} cannot have a version")
        return Replacement(old_path=old, old_version=old_version, new_path=new[0], new_version=None, line=line)
    if not new_version:
        raise ValueError(f"replacement {new[0]} needs a version, or a directory path starting with ./ or ../")
    if not is_version(new_version[0]):
        raise ValueError(f"{excerpt(new_version[0])} is not a module version")
    return Replacement(old_path=old, old_version=old_version, new_path=new[0], new_version=new_version[0], line=line)


def add_replacement(replacements: Replacements, replacement: Replacement, report: Report) -> None:
    """Keep the first replacement of a module (version): `go` refuses a second one."""
    old = replacement.old_path + (f"@{replacement.old_version}" if replacement.old_version else "")
    if replacement.new_version and (problem := major_version_problem(replacement.new_path, replacement.new_version)):
        report(f"replace {old}: {problem}", replacement.line)
    key = (replacement.old_path, replacement.old_version)
    if key in replacements:
        report(f"replace {old}: repeated (first at line {replacements[key].line}); the first is used", replacement.line)
        return
    replacements[key] = replacement


@dataclass(slots=True)
class _Reader:
    """Line-by-line state: the block being read, what was found, what went wrong."""

    verbs: frozenset[str]
    directives: list[Directive] = field(default_factory=list)
    problems: list[SyntaxProblem] = field(default_factory=list)
    block: tuple[str, int] | None = None
    """(verb, line) of the open block; an unknown verb's block is skipped to its `)`."""

    def feed(self, number: int, line: str) -> None:
        try:
            tokens, comment = _tokenize(line)
        except _LineError as error:
            self._problem(str(error), number)
            return
        if tokens:
            (self._in_block if self.block else self._top_level)(number, tokens, comment)

    def finish(self) -> None:
        if self.block is not None:
            verb, opened = self.block
            what = f"{verb} block" if verb else "block"
            self._problem(f"unterminated {what}: no closing )", opened)

    def _problem(self, message: str, number: int) -> None:
        self.problems.append(SyntaxProblem(message=message, line=number))

    def _top_level(self, number: int, tokens: list[_Token], comment: str) -> None:
        head, rest = tokens[0], tokens[1:]
        if head.quoted or head.text in ("(", ")"):
            self._problem(f"unexpected {excerpt(head.text)} where a directive should start", number)
            return
        known = head.text in self.verbs
        if not known:
            self._problem(f"unknown directive: {head.text}", number)
        if rest and rest[0].is_punct("("):
            self._open_block(number, head.text, rest[1:], known=known)
        elif any(token.is_punct("(") or token.is_punct(")") for token in rest):
            self._problem(f"{head.text}: unexpected parenthesis", number)
        elif known:
            self.directives.append(Directive(verb=head.text, args=_texts(rest), line=number, comment=comment))

    def _open_block(self, number: int, verb: str, after: list[_Token], *, known: bool) -> None:
        if len(after) == 1 and after[0].is_punct(")"):
            return  # `verb ()`: an empty block
        if after:
            self._problem(f"{verb}: unexpected text after (", number)
            return
        self.block = (verb if known else "", number)

    def _in_block(self, number: int, tokens: list[_Token], comment: str) -> None:
        verb, opened = self.block or ("", 0)
        if tokens[0].is_punct(")"):
            if len(tokens) > 1:
                self._problem("unexpected text after )", number)
            self.block = None
        elif any(token.is_punct("(") or token.is_punct(")") for token in tokens):
            where = f"the {verb} block" if verb else "a block"
            self._problem(f"unexpected parenthesis inside {where} opened at line {opened}", number)
        elif verb:
            entry = Directive(verb=verb, args=_texts(tokens), line=number, comment=comment, block_line=opened)
            self.directives.append(entry)


def _texts(tokens: list[_Token]) -> tuple[str, ...]:
    return tuple(token.text for token in tokens)


def _tokenize(line: str) -> tuple[list[_Token], str]:
    """Tokens of one line and its trailing comment text ('' when none)."""
    code, slashes, comment = line.partition("//")
    if not any(char in code for char in '"`()'):  # the common case: plain words, no regex needed
        return [_Token(word, quoted=False) for word in code.split()], comment.strip() if slashes else ""
    tokens: list[_Token] = []
    position = 0
    while position < len(line):
        match = _TOKEN.match(line, position)
        if match is None or match.lastgroup == "bad":  # every character matches some group; None is defensive
            raise _LineError("unterminated quoted string")
        position = match.end()
        kind = match.lastgroup
        if kind == "comment":
            return tokens, match.group("comment").strip()
        if kind == "paren" or kind == "word":
            tokens.append(_Token(match.group(kind), quoted=False))
        elif kind == "raw":
            tokens.append(_Token(match.group("raw"), quoted=True))
        elif kind == "interpreted":
            tokens.append(_Token(_unquote(match.group("interpreted")), quoted=True))
    return tokens, ""


def _unquote(body: str) -> str:
    """Decode Go escapes of an interpreted string; an unknown escape is bad quoting."""

    def one(match: re.Match[str]) -> str:
        simple, hex2, hex4, hex8, octal, bad = match.groups()
        if simple:
            return _SIMPLE_ESCAPES[simple]
        if bad is not None:
            raise _LineError(f"bad quoting: unknown escape \\{bad}")
        code = hex2 or hex4 or hex8
        try:
            return chr(int(code, 16)) if code else chr(int(octal, 8))
        except ValueError:  # beyond U+10FFFF
            raise _LineError(f"bad quoting: escape {match.group(0)} is not a character") from None

    return _ESCAPE.sub(one, body)
