"""Which scopes a PEP 751 package marker implies, from its dependency-group and extra tests.

A pylock.toml lists the packages of every group and extra in one array and says which
selection installs each through its marker, e.g. `'dev' in dependency_groups and
python_version >= '3.10'`. Such markers mix membership tests, which a scanner can decide
for a chosen selection, with environment tests, which it cannot (the target platform is
unknown). So the marker is evaluated in three-valued logic: a membership test is true or
false for the selection, every other comparison is unknown, and a selection may install
the package unless the marker is definitely false for it.

`packaging` only accepts `dependency_groups`/`extras` in markers from release 25 on and
keeps its parse tree private, hence this small parser of the PEP 508 marker grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Scope

__all__ = ["MarkerSyntaxError", "marker_scopes"]

_TOKEN = re.compile(
    r"""\s*(?:(?P<string>'[^']*'|"[^"]*")|(?P<op>===|==|!=|<=|>=|~=|<|>)|(?P<paren>[()])"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"""
)
_SET_VARIABLES = frozenset({"dependency_groups", "extras"})
_KEYWORDS = frozenset({"and", "or", "not", "in"})
_NOTHING: frozenset[str] = frozenset()


class MarkerSyntaxError(ValueError):
    """The marker does not follow the PEP 508 marker grammar."""


@dataclass(frozen=True, slots=True)
class _Member:
    """`'<name>' [not] in <variable>`, the only test a scanner can decide."""

    variable: str
    name: str
    negated: bool


@dataclass(frozen=True, slots=True)
class _Environment:
    """Any other comparison (python_version, sys_platform...): unknown to a scanner."""


@dataclass(frozen=True, slots=True)
class _Junction:
    """`and` (all_of=True) or `or` (all_of=False) over two or more sub-markers."""

    all_of: bool
    children: tuple[_Node, ...]


_Node = _Member | _Environment | _Junction
_Token = tuple[str, str]


def marker_scopes(marker: str, default_groups: frozenset[str]) -> frozenset[Scope]:
    """Scopes of a package installed under `marker`; empty when the marker can never hold.

    RUNTIME when the default groups without extras may install it, DEV when a
    non-default group named in the marker may install it on its own, OPTIONAL when an
    extra named in the marker may. A marker that needs a group and an extra together
    gets the scopes of what it names. Raises MarkerSyntaxError.
    """
    tree = _Parser(marker).parse()
    groups, extras = _mentioned(tree, "dependency_groups"), _mentioned(tree, "extras")
    default = frozenset(canonicalize_name(group) for group in default_groups)
    scopes: set[Scope] = set()
    if _may_hold(tree, default, _NOTHING):
        scopes.add(Scope.RUNTIME)
    if any(_may_hold(tree, frozenset({group}), _NOTHING) for group in groups - default):
        scopes.add(Scope.DEV)
    if any(_may_hold(tree, _NOTHING, frozenset({extra})) for extra in extras):
        scopes.add(Scope.OPTIONAL)
    if not scopes and _may_hold(tree, groups | default, extras):
        scopes.update(_named_scopes(groups - default, extras))
    return frozenset(scopes)


def _named_scopes(other_groups: frozenset[str], extras: frozenset[str]) -> set[Scope]:
    """Scopes for a marker that only holds under a combined selection."""
    scopes = {Scope.DEV} if other_groups else set()
    if extras:
        scopes.add(Scope.OPTIONAL)
    return scopes or {Scope.RUNTIME}


def _may_hold(tree: _Node, groups: frozenset[str], extras: frozenset[str]) -> bool:
    """True unless the marker is definitely false for this selection."""
    return _evaluate(tree, {"dependency_groups": groups, "extras": extras}) is not False


def _evaluate(node: _Node, selection: dict[str, frozenset[str]]) -> bool | None:
    """Three-valued evaluation: None stands for 'depends on the environment'."""
    if isinstance(node, _Member):
        return (node.name in selection[node.variable]) != node.negated
    if isinstance(node, _Environment):
        return None
    values = [_evaluate(child, selection) for child in node.children]
    decisive, other = (False, True) if node.all_of else (True, False)
    if decisive in values:
        return decisive
    return other if all(value is other for value in values) else None


def _mentioned(node: _Node, variable: str) -> frozenset[str]:
    """Names the marker tests for membership in `variable`."""
    if isinstance(node, _Member):
        return frozenset({node.name}) if node.variable == variable else _NOTHING
    if isinstance(node, _Environment):
        return _NOTHING
    return _NOTHING.union(*(_mentioned(child, variable) for child in node.children))


class _Parser:
    """Recursive descent over `or` > `and` > atom, the precedence PEP 508 gives them."""

    def __init__(self, marker: str) -> None:
        self._tokens = _tokenize(marker)
        self._position = 0

    def parse(self) -> _Node:
        node = self._disjunction()
        if self._position != len(self._tokens):
            raise MarkerSyntaxError(f"unexpected {excerpt(self._tokens[self._position][1])}")
        return node

    def _disjunction(self) -> _Node:
        children = [self._conjunction()]
        while self._accept("word", "or"):
            children.append(self._conjunction())
        return children[0] if len(children) == 1 else _Junction(False, tuple(children))

    def _conjunction(self) -> _Node:
        children = [self._atom()]
        while self._accept("word", "and"):
            children.append(self._atom())
        return children[0] if len(children) == 1 else _Junction(True, tuple(children))

    def _atom(self) -> _Node:
        if self._accept("paren", "("):
            node = self._disjunction()
            if not self._accept("paren", ")"):
                raise MarkerSyntaxError("missing ')'")
            return node
        left, operator, right = self._value(), self._operator(), self._value()
        if operator in ("in", "not in") and left[0] == "string" and right[1] in _SET_VARIABLES:
            name = canonicalize_name(left[1][1:-1])
            return _Member(right[1], name, negated=operator == "not in")
        return _Environment()

    def _value(self) -> _Token:
        token = self._next("a value")
        if token[0] == "string" or (token[0] == "word" and token[1] not in _KEYWORDS):
            return token
        raise MarkerSyntaxError(f"expected a value, found {excerpt(token[1])}")

    def _operator(self) -> str:
        token = self._next("an operator")
        if token[0] == "op" or token == ("word", "in"):
            return token[1]
        if token == ("word", "not") and self._accept("word", "in"):
            return "not in"
        raise MarkerSyntaxError(f"expected an operator, found {excerpt(token[1])}")

    def _accept(self, kind: str, text: str) -> bool:
        if self._position < len(self._tokens) and self._tokens[self._position] == (kind, text):
            self._position += 1
            return True
        return False

    def _next(self, expected: str) -> _Token:
        if self._position >= len(self._tokens):
            raise MarkerSyntaxError(f"expected {expected}, found the end of the marker")
        self._position += 1
        return self._tokens[self._position - 1]


def _tokenize(marker: str) -> list[_Token]:
    """Split a marker into (kind, text) tokens; anything unrecognised is a syntax error."""
    tokens: list[_Token] = []
    position, end = 0, len(marker.rstrip())
    while position < end:
        match = _TOKEN.match(marker, position)
        if match is None or match.lastgroup is None:
            raise MarkerSyntaxError(f"unexpected character at offset {position}: {marker[position:].strip()[:20]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens
