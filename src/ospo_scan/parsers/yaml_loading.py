"""YAML documents as PyYAML's safe C loader builds them, faster where that is provably the same.

Lockfiles in YAML (pnpm, Yarn Berry) are the largest files a scan reads, and PyYAML's C
loader was the largest single cost of a corpus scan. yaml-rs (Rust) decodes them 7-33x
faster, but it speaks YAML 1.2 where PyYAML speaks 1.1: `yes`/`on`/`off` are booleans,
`0777` is octal and `1:20` is sexagesimal only in 1.1; tags, merge keys (`<<`), the `=`
value and a few line-break characters differ too; and yaml-rs returns several documents
as one list, indistinguishable from a single document that is a list. So yaml-rs is used
only on a text where none of that can occur (a conservative search of the text: a false
alarm costs speed, never a different result); everything else, and every text yaml-rs
rejects, goes to PyYAML's C loader, whose errors (message and line) the scan reports.
A test compares both loaders on every YAML file of the real-world corpus.

Aliases are bounded: a few hundred bytes of nested anchors (an alias bomb) must not grow
into billions of nodes in a parser walking the structure. A text with aliases (which real
lockfiles do not use) always goes to PyYAML, whose node graph is measured before it is built
into objects; yaml-rs, which copies what an alias names, is given a limit all the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ospo_scan.parsers.base import ParseError

MAX_ALIAS_EXPANSION = 100_000
"""Nodes that aliases may add to a file's documents; real lockfiles use aliases rarely if at all."""

MAX_FAST_LINE = 1_000
"""Longest line given to yaml-rs. It recurses once per nesting level and overflows the stack
(a crash, not an exception) some 10,000 levels deep; block nesting needs a column per level,
and flow nesting past 256 levels it refuses by itself, so short lines keep it far from that."""

_UNSAFE_CHARACTER = re.compile(r"[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\U00010000-\U0010FFFF]")
"""A character PyYAML refuses or reads as a line break (NEL, LS, PS), a control character, a BOM."""

_UNSAFE_LINE = re.compile(rf"^(?:%|\.\.\.(?:[ \t\r]|$)|[^\n]{{{MAX_FAST_LINE + 1}}})", re.MULTILINE)
"""A directive (%YAML 1.1 changes what follows), a document end marker (after which documents
could not be counted), or a line too long for yaml-rs."""

_YAML_11_WORDS = frozenset(("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "<<", "=", "?"))
"""Words that only YAML 1.1 reads as booleans, the merge key, the value key, the explicit key."""

_WORD_SEPARATORS = re.compile(r"[\s\[\]{},]+")
"""Whitespace and flow indicators: a plain scalar ends there, so words are split there."""

_NUMBER = re.compile(r"[-+]?(?:\.[0-9_]|[0-9])[0-9a-fA-FoOxX_.:eE+-]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
"""A word made only of what a number is made of in either YAML version (digits, `_`, `:`,
an exponent, a 0x/0o/0b prefix, hexadecimal digits, .inf/.nan)."""

_NUMBER_BOTH_READ_ALIKE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
"""Numbers that both versions read the same: decimal, no leading zero, no exponent, no `_`."""

_NOT_A_NUMBER = re.compile(r"[0-9]+\.[0-9]+\.[0-9A-Za-z._:+-]*|(?![-+]?0[xXoObB])[0-9][0-9A-Za-z.+-]*[A-DF-Za-df-z][0-9A-Za-z.+-]*")
"""Version-like words (1.2.3, 5.10.1_abc, 10c0) that neither version reads as a number: two
dots, or a letter other than `e` (not after a 0x/0o/0b prefix)."""

_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9][0-9]?-[0-9]")
"""The start of a timestamp: the loaders agree on simple dates only, so each goes to PyYAML."""

_ALIAS = re.compile(r"\*[^\s,\[\]{}]")
"""A `*` that may start an alias; `_has_alias` looks at what precedes it."""

_DOCUMENT_START = re.compile(r"^---(?:[ \t\r]|$)", re.MULTILINE)
_CONTENT_LINE = re.compile(r"^[ \t]*[^ \t\r\n#]", re.MULTILINE)


def load_documents(text: str) -> list[Any]:
    """Every document of the text, as PyYAML's safe loader (`load_all`) builds them."""
    fast = _fast_documents(text)
    return fast if fast is not None else _pyyaml_documents(text, single=False)


def load_document(text: str) -> Any:
    """The one document of the text, as PyYAML's safe loader (`load`) builds it."""
    fast = _fast_documents(text)
    if fast is None or len(fast) != 1:
        return _pyyaml_documents(text, single=True)[0]
    return fast[0]


def fast_loader_available() -> bool:
    """Whether yaml-rs is installed (the C loader alone is used without it)."""
    return _yaml_rs() is not None


def _fast_documents(text: str) -> list[Any] | None:
    """yaml-rs's documents when they are certainly PyYAML's, else None (the caller asks PyYAML)."""
    yaml_rs = _yaml_rs()
    if yaml_rs is None or not _fast_loader_agrees(text):
        return None
    try:
        loaded = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EXPANSION),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,  # as PyYAML: the last value wins
        )
    except yaml_rs.YAMLDecodeError as error:
        if "alias" in str(error).lower() and "limit" in str(error).lower():
            raise _alias_bomb() from None
        return None  # PyYAML reports the error in its own words, with its line
    except (ValueError, RecursionError, MemoryError):
        return None  # e.g. an integer too long to convert: PyYAML's path reports it
    return _as_documents(text, loaded)


def _fast_loader_agrees(text: str) -> bool:
    """No construct in the text that yaml-rs reads differently from PyYAML.

    Words are cheap to collect (a set of the distinct whitespace-separated ones); only a word
    that could differ is then looked for where it stands, and counts only where it begins a
    node (a key, a value, an item), not inside a longer plain scalar such as a deprecation
    message. Quoted strings and comments are not told apart: a false alarm only sends the
    text to the slower loader.
    """
    if _UNSAFE_CHARACTER.search(text) or _UNSAFE_LINE.search(text) or _has_alias(text):
        return False  # aliases too: yaml-rs reads one inside its own anchor as null, PyYAML as a cycle
    suspects = _suspect_words(text)
    if not suspects:
        return True
    # Each word only where nothing but indentation or an indicator stands before it (checked
    # after the word, so that the search runs on the word's literal text).
    pattern = re.compile("|".join(f"{re.escape(word)}(?<![^\\s\\[{{,]{re.escape(word)})" for word in sorted(suspects, key=len, reverse=True)))
    for match in pattern.finditer(text):
        word = match.group()
        if _begins_a_node(text, match.start()) and (word[0] == "!" or _TIMESTAMP.match(word) or _ends_a_scalar(text, match.end())):
            return False
    return True


def _has_alias(text: str) -> bool:
    """Whether the text may hold an alias: `*name` at the start of a node (also right after
    a quoted key's colon, as JSON-like flow mappings write it); `npm:*` inside a scalar is none.
    The `*` is found by its literal (a search that looks behind at every character is slow)."""
    for match in _ALIAS.finditer(text):
        start = match.start()
        before = text[start - 1] if start else "\n"
        if before in " \t\r\n[{," or (before == ":" and start >= 2 and text[start - 2] in "\"'"):
            return True
    return False


def _suspect_words(text: str) -> set[str]:
    """Distinct words that would mean something else to yaml-rs if they stood alone."""
    words = set(_WORD_SEPARATORS.split(" ".join(set(text.split()))))
    words = {word[:-1] if word.endswith(":") else word for word in words}
    suspects = words & _YAML_11_WORDS
    for word in words:
        if word and (word[0] == "!" or (word[0] in "0123456789+-." and not _reads_alike(word))):
            suspects.add(word)
    return suspects


def _begins_a_node(text: str, start: int) -> bool:
    """Whether a word at `start` begins a node: only indentation, or an indicator and a space
    (`key: `, `- `, `? `) or a flow indicator (`[`, `{`, `,`) before it on its line."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    stripped = before.rstrip(" \t")
    if not stripped or stripped[-1] in "[{,":
        return True
    return stripped[-1] in ":-?" and len(stripped) < len(before)


def _ends_a_scalar(text: str, end: int) -> bool:
    """Whether a plain scalar ends at `end`: the line ends, a flow indicator, a comment, or `: `."""
    rest = text[end : end + 2].lstrip(" \t") if text[end : end + 1] in (" ", "\t") else text[end : end + 2]
    if not rest or rest[0] in "\r\n,]}#":
        return True
    return rest[0] == ":" and (len(rest) == 1 or rest[1] in " \t\r\n")


def _reads_alike(word: str) -> bool:
    """A word that begins like a number reads the same in both YAML versions."""
    if _TIMESTAMP.match(word):
        return False
    if not _NUMBER.fullmatch(word):
        return True  # has a character no number has (a version with a hash, a path)
    return bool(_NUMBER_BOTH_READ_ALIKE.fullmatch(word) or _NOT_A_NUMBER.fullmatch(word))


def _as_documents(text: str, loaded: Any) -> list[Any] | None:
    """yaml-rs returns one document as itself and several as a list: tell which it was."""
    if loaded is None:
        return None  # empty text, or a lone null document: cheap for PyYAML, and it tells which
    if not isinstance(loaded, list):
        return [loaded]
    markers = list(_DOCUMENT_START.finditer(text))
    before_first = text[: markers[0].start()] if markers else text
    count = len(markers) + (1 if not markers or _CONTENT_LINE.search(before_first) else 0)
    if count == 1:
        return [loaded]
    if len(loaded) == count and all(document is None or isinstance(document, dict) for document in loaded):
        return loaded
    return None


def _pyyaml_documents(text: str, single: bool) -> list[Any]:
    """PyYAML's safe C loader (or its Python twin), its errors turned into ParseErrors."""
    import yaml  # imported here: only the YAML lockfile formats need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    check = _alias_check if _has_alias(text) else None
    try:
        if single:
            return [_construct(loader, loader.get_single_node(), check)]
        documents = []
        while loader.check_node():
            documents.append(_construct(loader, loader.get_node(), check))
        return documents
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise ParseError(f"invalid YAML: {error.problem or error}", mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise ParseError("invalid YAML: nested too deeply") from None
    except ValueError as error:  # int() refuses integers of more than 4,300 digits
        raise ParseError(f"invalid YAML: a value cannot be read ({_short(error)})") from None
    finally:
        loader.dispose()


def _construct(loader: Any, node: Any, check: Callable[[Any], None] | None) -> Any:
    if node is None:
        return None
    if check is not None:
        check(node)
    return loader.construct_document(node)


def _alias_check(root: Any) -> None:
    """Refuse a document whose aliases would expand past the limit, or that contains itself.

    PyYAML shares an aliased node instead of copying it, so a bomb would go off in whoever
    walks the result. The expanded size is counted bottom-up, each shared node once.
    """
    expanded: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            continue
        if key in expanded:
            continue
        children = _children(node)
        if any(id(child) in open_nodes or child is node for child in children):
            raise ParseError("invalid YAML: an alias refers to a node that contains it; the file is refused")
        if not children:
            expanded[key] = 1
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in expanded)
    if expanded[id(root)] - len(expanded) > MAX_ALIAS_EXPANSION:
        raise _alias_bomb()


def _children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):
        return []  # a scalar
    if value and isinstance(value[0], tuple):
        return [part for pair in value for part in pair]  # a mapping's keys and values
    return value


def _alias_bomb() -> ParseError:
    return ParseError(f"invalid YAML: aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?); the file is refused")


def _short(error: Exception) -> str:
    return str(error).split(";")[0]


_FAST_MODULE: list[Any] = []


def _yaml_rs() -> Any:
    """The yaml-rs module, imported once on first use (None when it is not installed)."""
    if not _FAST_MODULE:
        try:
            import yaml_rs as module
        except ImportError:
            _FAST_MODULE.append(None)
        else:
            _FAST_MODULE.append(module)
    return _FAST_MODULE[0]
