"""The one wrapper around license-expression: SPDX parsing, validation, rendering.

license-expression knows every SPDX id (and ScanCode's `LicenseRef-scancode-*` ids),
rewrites deprecated ids (`GPL-2.0+` -> `GPL-2.0-or-later`, `GPL-2.0` -> `GPL-2.0-only`)
and tells licenses from exceptions. Its quirks stay here: its Licensing object is costly
to build, so it is built once, lazily; `Licensing.validate` itself raises on some inputs;
and unknown keys come back as symbols instead of errors. The rest of ospo-scan sees only
`SpdxExpression` strings (valid, canonical case, duplicates removed) and the small,
frozen expression tree below, never a license-expression object.

The ScanCode LicenseDB index that license-expression ships (one entry per license: its
SPDX id, ScanCode category, exception and deprecation flags) is read here as well, for
the categories.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, NewType

import license_expression as le  # type: ignore[import-untyped]  # no stubs; wrapped here only
from boolean.boolean import ParseError as BooleanParseError  # type: ignore[import-untyped]

SpdxExpression = NewType("SpdxExpression", str)
"""A valid SPDX expression: known ids (or LicenseRef-s), canonical case, deduplicated."""

OSPO_REF_PREFIX = "LicenseRef-ospo-"
"""Prefix of the references ospo-scan makes up itself (ambiguous license names)."""

# Deprecated SPDX ids that became a license WITH an exception: license-expression knows
# them only as exception symbols, which cannot stand alone, so they are rewritten first
# (replacements as the SPDX license list gives them for each deprecated id).
_DEPRECATED_WITH = {
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-only WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "wxWindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
}
_DEPRECATED_WITH_RE = re.compile(
    r"(?<![\w.+-])(" + "|".join(re.escape(k) for k in _DEPRECATED_WITH) + r")(?![\w.+-])",
    re.IGNORECASE,
)
_BY_LOWER = {k.lower(): v for k, v in _DEPRECATED_WITH.items()}

# SPDX *licenses* that ScanCode files as exceptions, so license-expression refuses them
# alone; they pass the parser under a stand-in reference and come back as themselves.
_LICENSES_FILED_AS_EXCEPTIONS = ("MPL-2.0-no-copyleft-exception", "SHL-2.0", "SHL-2.1")
_STAND_IN = "LicenseRef-ospo-standin-"
_FILED_AS_EXCEPTION_RE = re.compile(
    r"(?<![\w.+-])(" + "|".join(map(re.escape, _LICENSES_FILED_AS_EXCEPTIONS)) + r")(?![\w.+-])",
    re.IGNORECASE,
)
_STAND_IN_BACK = {f"{_STAND_IN}{i}".lower(): k for i, k in enumerate(_LICENSES_FILED_AS_EXCEPTIONS)}
_STAND_IN_FOR = {k.lower(): f"{_STAND_IN}{i}" for i, k in enumerate(_LICENSES_FILED_AS_EXCEPTIONS)}
_NOT_SPDX_ALIASES = frozenset({"GPL", "BSD-2", "Assembly-exception"})
_USER_REF = re.compile(r"^(?:documentref-[\w.-]+:)?licenseref-[\w.-]+$", re.IGNORECASE)


class SpdxError(ValueError):
    """The text is not a valid SPDX expression (the message says why)."""


class Operator(str, Enum):
    """The two SPDX operators that combine licenses."""

    AND = "AND"
    OR = "OR"


@dataclass(frozen=True, slots=True)
class LicenseId:
    """One license id, e.g. `MIT` or `LicenseRef-ospo-ambiguous-bsd`."""

    key: str


@dataclass(frozen=True, slots=True)
class WithException:
    """`<license> WITH <exception>`: a license plus the permissions an exception adds."""

    license: LicenseId
    exception: str


@dataclass(frozen=True, slots=True)
class Compound:
    """Two or more expressions joined by one operator (already flattened)."""

    operator: Operator
    args: tuple[Node, ...]


Node = LicenseId | WithException | Compound
"""An SPDX expression as a tree: what callers walk instead of license-expression objects."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseDbEntry:
    """One license of the ScanCode LicenseDB index shipped with license-expression."""

    key: str
    """ScanCode's own license key (e.g. `bsd-new`)."""
    spdx_id: str
    """The SPDX id (or `LicenseRef-scancode-*`) the entry is known by."""
    category: str
    """ScanCode category: Permissive, Copyleft Limited, Copyleft, Public Domain, ..."""
    is_exception: bool
    is_deprecated: bool


def parse(text: str) -> SpdxExpression:
    """Validate `text` as an SPDX expression and return it canonical, or raise SpdxError."""
    return render(tree(text))


def try_parse(text: str) -> SpdxExpression | None:
    """`parse`, but None instead of an error: for callers that try other readings next."""
    try:
        return parse(text)
    except SpdxError:
        return None


def tree(text: str) -> Node:
    """Parse `text` into the frozen tree (canonical ids, flattened, deduplicated)."""
    text = _DEPRECATED_WITH_RE.sub(lambda m: f"({_BY_LOWER[m.group(1).lower()]})", text.strip())
    text = _FILED_AS_EXCEPTION_RE.sub(lambda m: _STAND_IN_FOR[m.group(1).lower()], text)
    if not text:
        raise SpdxError("empty expression")
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False, strict=True)
    # On malformed input the library raises its own errors, and boolean.py (beneath it)
    # also IndexError ("()") and AssertionError ("( OR x"): all mean "not SPDX syntax".
    except (le.ExpressionError, BooleanParseError, IndexError, AssertionError) as error:
        raise SpdxError(f"not an SPDX expression: {error}") from error
    if parsed is None:
        raise SpdxError("empty expression")
    unknown = [k for k in licensing.unknown_license_keys(parsed) if not _USER_REF.match(k)]
    if unknown:
        raise SpdxError(f"unknown license id(s): {', '.join(unknown)}")
    return _simplify(_to_node(parsed))


def join(operator: Operator, parts: list[SpdxExpression]) -> SpdxExpression:
    """Combine expressions with one operator (flattened, duplicates removed, order kept)."""
    if not parts:
        raise SpdxError(f"{operator.value} of nothing")
    return render(_simplify(Compound(operator, tuple(tree(p) for p in parts))))


@lru_cache(maxsize=4096)
def meaning(expression: SpdxExpression) -> Hashable:
    """A key that two expressions share exactly when they say the same thing.

    `MIT OR Apache-2.0` and `Apache-2.0 OR MIT` are one choice: the order of an
    operator's parts carries no meaning, so parts are compared as sets.
    """
    return _meaning(tree(expression))


@lru_cache(maxsize=4096)
def license_keys(expression: SpdxExpression) -> frozenset[str]:
    """Every license id (and `<id> WITH <exception>`) the expression names."""
    return frozenset(_keys(tree(expression)))


def with_exception(license_text: SpdxExpression, exception: str) -> SpdxExpression:
    """`<license> WITH <exception>`; raise SpdxError unless both are known and fit.

    The license must be one id: `(MIT OR GPL-2.0) WITH x` is not SPDX, and writing it
    without the parentheses would silently attach the exception to the last id only.
    """
    if not isinstance(tree(license_text), LicenseId):
        raise SpdxError(f"an exception applies to one license, not to '{license_text}'")
    return parse(f"{license_text} WITH {exception}")


def exception_id(text: str) -> str | None:
    """The canonical id of a known SPDX exception (case-insensitive), else None."""
    symbol = _licensing().known_symbols_lowercase.get(text.strip().lower())
    return str(symbol.key) if symbol is not None and symbol.is_exception else None


def render(node: Node) -> SpdxExpression:
    """The canonical SPDX text of a tree; nested compounds are always parenthesized."""
    if isinstance(node, LicenseId):
        return SpdxExpression(node.key)
    if isinstance(node, WithException):
        return SpdxExpression(f"{node.license.key} WITH {node.exception}")
    inner = (f"({render(a)})" if isinstance(a, Compound) else render(a) for a in node.args)
    return SpdxExpression(f" {node.operator.value} ".join(inner))


def licensedb_entry(spdx_id: str) -> LicenseDbEntry | None:
    """The LicenseDB entry for an SPDX id or one of its aliases (case-insensitive)."""
    return _licensedb().get(spdx_id.lower())


def licensedb_version() -> str:
    """Which license data is in use, for reports: the library and SPDX list versions."""
    about = Path(le.vendored_scancode_licensedb_index_location).with_name(
        "license_key_index.json.ABOUT"
    )
    match = re.search(r"^spdx_license_list_version:\s*(\S+)", about.read_text(), re.MULTILINE)
    spdx_list = match.group(1) if match else "unknown"
    return f"license-expression {package_version('license-expression')}, SPDX list {spdx_list}"


@cache
def _licensing() -> le.Licensing:
    """Build license-expression's SPDX Licensing once: it indexes ~2,600 licenses."""
    return le.build_spdx_licensing(_license_index())


@cache
def _license_index() -> list[dict[str, Any]]:
    """The vendored index with only SPDX ids as aliases (see `_is_spdx_alias`)."""
    return [
        {**raw, "other_spdx_license_keys": [a for a in _aliases_of(raw) if _is_spdx_alias(a)]}
        for raw in le.get_license_index()
    ]


def _aliases_of(raw: dict[str, Any]) -> list[str]:
    return list(raw.get("other_spdx_license_keys") or ())


def _is_spdx_alias(alias: str) -> bool:
    """Keep deprecated SPDX ids (`GPL-2.0+`, `Nunit`) as aliases; drop ScanCode's own.

    ScanCode also aliases a bare `GPL` to GPL-1.0-or-later, `BSD-2` to BSD-2-Clause and
    other tools' `LicenseRef-*` names to its licenses. Those are readings, not ids: a bare
    `GPL` is ambiguous for ospo-scan (aliases.toml), and a LicenseRef means only what the
    document that defines it says.
    """
    return not (" " in alias or alias.startswith("LicenseRef-") or alias in _NOT_SPDX_ALIASES)


@cache
def _licensedb() -> dict[str, LicenseDbEntry]:
    """The LicenseDB index keyed by lowercased SPDX id, then by alias ids."""
    by_id: dict[str, LicenseDbEntry] = {}
    aliases: dict[str, LicenseDbEntry] = {}
    for raw in _license_index():
        if not raw.get("spdx_license_key"):
            continue  # ScanCode-only keys that have no SPDX-style id cannot be referenced
        entry = LicenseDbEntry(
            key=raw["license_key"],
            spdx_id=raw["spdx_license_key"],
            category=raw["category"],
            is_exception=bool(raw["is_exception"]),
            is_deprecated=bool(raw["is_deprecated"]),
        )
        by_id.setdefault(entry.spdx_id.lower(), entry)
        for alias in raw.get("other_spdx_license_keys") or ():
            aliases.setdefault(alias.lower(), entry)
    return {**aliases, **by_id}


def _to_node(parsed: object) -> Node:
    """Translate license-expression's objects into the frozen tree."""
    if isinstance(parsed, le.LicenseWithExceptionSymbol):
        license_node = _to_node(parsed.license_symbol)
        assert isinstance(license_node, LicenseId)  # strict parsing guarantees it
        return WithException(license_node, str(parsed.exception_symbol.key))
    if isinstance(parsed, le.LicenseSymbol):
        return LicenseId(_canonical_key(str(parsed.key)))
    if isinstance(parsed, (le.AND, le.OR)):
        operator = Operator.AND if isinstance(parsed, le.AND) else Operator.OR
        return Compound(operator, tuple(_to_node(a) for a in parsed.args))
    raise SpdxError(f"unexpected expression part: {parsed!r}")


def _canonical_key(key: str) -> str:
    """Known ids come canonical from the library; fix the case of user-defined prefixes."""
    if key.lower() in _STAND_IN_BACK:
        return _STAND_IN_BACK[key.lower()]
    key = re.sub(r"^documentref-", "DocumentRef-", key, flags=re.IGNORECASE)
    return re.sub(r"(^|:)licenseref-", r"\1LicenseRef-", key, flags=re.IGNORECASE)


def _meaning(node: Node) -> Hashable:
    if isinstance(node, Compound):
        return (node.operator, frozenset(_meaning(arg) for arg in node.args))
    return node


def _keys(node: Node) -> Iterator[str]:
    if isinstance(node, Compound):
        for arg in node.args:
            yield from _keys(arg)
    elif isinstance(node, WithException):
        yield f"{node.license.key} WITH {node.exception}"
    else:
        yield node.key


def _simplify(node: Node) -> Node:
    """Flatten nested same-operator compounds and drop repeated parts (order kept)."""
    if not isinstance(node, Compound):
        return node
    args: list[Node] = []
    for arg in (_simplify(a) for a in node.args):
        nested = arg.args if isinstance(arg, Compound) and arg.operator is node.operator else (arg,)
        args.extend(a for a in nested if a not in args)
    return args[0] if len(args) == 1 else Compound(node.operator, tuple(args))


@cache
def license_ids() -> frozenset[str]:
    """Every SPDX license id of the list in use (exceptions and deprecated ids left out),
    for readers that need to know which versions of a license exist (`-or-later`)."""
    return frozenset(entry.spdx_id for entry in _licensedb().values() if not entry.is_exception and not entry.is_deprecated and not entry.spdx_id.startswith("LicenseRef-"))
