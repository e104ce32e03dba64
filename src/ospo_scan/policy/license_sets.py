"""Judging an SPDX expression against a list of licenses, as a lawyer would read it.

A license id stands for the set of concrete licenses a licensee may choose from:
`GPL-2.0-only` is one, `GPL-2.0-or-later` (or `GPL-2.0+`) is GPL-2.0-only,
GPL-3.0-only and every later version the SPDX list knows. A rule's list covers the
concrete licenses of its entries the same way, so `GPL-2.0-or-later` in a deny list
denies GPL-3.0-only too, and `GPL-3.0-only` in an allow list admits a
`GPL-2.0-or-later` component (its licensee may take version 3).

Then:
- a single license is *allowed* when some concrete license it offers is allowed, and
  *denied* when every one it offers is denied;
- `A OR B` is allowed when any branch is, denied only when every branch is;
- `A AND B` is allowed only when every part is, denied when any part is;
- `L WITH E`: an exception only adds permissions, so an allowed L stays allowed. A
  denied L stays denied, unless E is a linking exception (ScanCode files it as
  permissive or weak copyleft, e.g. Classpath-exception-2.0): that changes what the
  license asks of the user, so a deny of the bare license does not reach it. Listing
  the combination itself (`GPL-2.0-only WITH Classpath-exception-2.0`) allows or
  denies exactly it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ospo_scan.licenses import spdx
from ospo_scan.licenses.categories import SCANCODE_CATEGORIES, Category

_OR_LATER = re.compile(r"^(?P<family>.+?)-(?P<version>\d+(?:\.\d+)*)(?P<variant>(?:-[a-z]+)*?)-or-later$")
_PLAIN = re.compile(r"^(?P<family>.+?)-(?P<version>\d+(?:\.\d+)*)(?P<variant>(?:-[a-z]+)*?)(?P<only>-only)?$")
_RELAXING = frozenset({Category.PERMISSIVE, Category.WEAK_COPYLEFT, Category.PUBLIC_DOMAIN})


class LicenseListError(ValueError):
    """An entry of a rule's license list is no SPDX license id (the message says why)."""


@dataclass(frozen=True, slots=True)
class LicenseSet:
    """The concrete licenses a rule's list covers, and the exact combinations it names."""

    concrete: frozenset[str]
    combinations: frozenset[str]
    """`L WITH E` entries, each concrete license of L joined with E."""

    def allows(self, expression: str) -> bool:
        """True when a licensee can comply with `expression` using only these licenses."""
        return _allowed(spdx.tree(expression), self)

    def denies(self, expression: str) -> bool:
        """True when every way to comply with `expression` uses one of these licenses."""
        return _denied(spdx.tree(expression), self)


def license_set(entries: Iterable[str]) -> LicenseSet:
    """The set a rule's list stands for (LicenseListError for an entry that is no id)."""
    concrete: set[str] = set()
    combinations: set[str] = set()
    for entry in entries:
        node = _entry_node(entry)
        if isinstance(node, spdx.Compound):
            raise LicenseListError(f"{entry!r} is an expression; list single licenses (one entry each)")
        if isinstance(node, spdx.WithException):
            combinations.update(f"{c} WITH {node.exception}" for c in offered(node.license.key))
        else:
            concrete.update(offered(node.key))
    return LicenseSet(concrete=frozenset(concrete), combinations=frozenset(combinations))


def canonical_entry(entry: str) -> str:
    """The entry as SPDX spells it (`gpl-2.0+` -> `GPL-2.0-or-later`); LicenseListError if none."""
    return spdx.render(_entry_node(entry))


def _entry_node(entry: str) -> spdx.Node:
    text = entry.strip()
    plus = text.endswith("+") and " " not in text
    try:
        node = spdx.tree(text)
    except spdx.SpdxError:
        if not plus:
            raise LicenseListError(f"{entry!r} is not an SPDX license id") from None
        try:
            node = spdx.tree(text[:-1])
        except spdx.SpdxError:
            raise LicenseListError(f"{entry!r} is not an SPDX license id") from None
        if isinstance(node, spdx.LicenseId):
            return spdx.LicenseId(node.key + "+")
    return node


@cache
def offered(license_id: str) -> frozenset[str]:
    """The concrete licenses `license_id` lets a licensee choose from."""
    if license_id.endswith("+"):
        return _this_or_later(license_id[:-1], suffix="")
    match = _OR_LATER.match(license_id)
    if match:
        return _this_or_later(f"{match['family']}-{match['version']}{match['variant']}", suffix="-only")
    return frozenset({license_id})


def _this_or_later(base: str, *, suffix: str) -> frozenset[str]:
    """`base` (family-version-variant) and every later version of it in the SPDX list."""
    target = _PLAIN.match(base)
    if target is None:
        return frozenset({base + suffix})
    found = {base + suffix}
    for license_id in _family(target["family"]):
        candidate = _PLAIN.match(license_id)
        if candidate and candidate["variant"] == target["variant"] and bool(candidate["only"]) == bool(suffix):
            if _version(candidate["version"]) >= _version(target["version"]):
                found.add(license_id)
    return frozenset(found)


@cache
def _family(family: str) -> tuple[str, ...]:
    return tuple(sorted(i for i in spdx.license_ids() if i.startswith(family + "-")))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _allowed(node: spdx.Node, listed: LicenseSet) -> bool:
    if isinstance(node, spdx.Compound):
        parts = (_allowed(arg, listed) for arg in node.args)
        return any(parts) if node.operator is spdx.Operator.OR else all(parts)
    if isinstance(node, spdx.WithException):
        if any(f"{c} WITH {node.exception}" in listed.combinations for c in offered(node.license.key)):
            return True
        node = node.license
    return not offered(node.key).isdisjoint(listed.concrete)


def _denied(node: spdx.Node, listed: LicenseSet) -> bool:
    if isinstance(node, spdx.Compound):
        parts = (_denied(arg, listed) for arg in node.args)
        return all(parts) if node.operator is spdx.Operator.OR else any(parts)
    if isinstance(node, spdx.WithException):
        choices = offered(node.license.key)
        if all(f"{c} WITH {node.exception}" in listed.combinations for c in choices):
            return True
        if _relaxing(node.exception):
            return False
        node = node.license
    return offered(node.key) <= listed.concrete


@cache
def _relaxing(exception: str) -> bool:
    """True for a linking or runtime exception (it lifts the copyleft from users' code)."""
    entry = spdx.licensedb_entry(exception)
    return entry is not None and SCANCODE_CATEGORIES.get(entry.category) in _RELAXING
