"""Can a project under license A ship with a runtime dependency under license B?

A small table, on purpose: it answers the cases that come up in practice and that
the license stewards (the FSF's compatibility list, the Apache Software Foundation's
third-party policy) state plainly, and says nothing where it would be guessing. Only
runtime use is judged, since that is what is combined and shipped; build, test and
development tools are never "incompatible".

The project's license (outbound) decides which dependency licenses (inbound) conflict:

| project license                        | conflicting dependency licenses                 |
|----------------------------------------|-------------------------------------------------|
| permissive, public domain, proprietary | strong copyleft (GPL), network copyleft (AGPL)  |
| weak copyleft (LGPL, MPL, EPL, ...)    | strong copyleft, network copyleft               |
| GPL-2.0-only                           | Apache-2.0, GPL-3.0, LGPL-3.0, AGPL-3.0, EPL, CDDL, MPL-1.1, source-available, proprietary |
| GPL-2.0-or-later                       | AGPL-3.0, EPL, CDDL, MPL-1.1, source-available, proprietary |
| GPL-3.0, AGPL-3.0                      | GPL-2.0-only, EPL, CDDL, MPL-1.1, source-available, proprietary |

Weak copyleft (LGPL, MPL-2.0) is fine to link from anything. A linking exception
(`GPL-2.0-only WITH Classpath-exception-2.0`) makes a strong copyleft dependency weak
copyleft, as categories.py reads it. GPL-3.0 and AGPL-3.0 combine (their section 13).
Expressions: a dependency's `A OR B` conflicts only when every choice does, `A AND B`
when any part does; a project's `A OR B` conflicts only when no license it offers
works (a project may ship the combination under the compatible one). Unknown and
ambiguous licenses are not judged here: they are gaps of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ospo_scan.licenses import spdx
from ospo_scan.licenses.categories import Category, categorize, category_of_id

_NON_GPL = frozenset({"EPL-1.0", "EPL-2.0", "CDDL-1.0", "CDDL-1.1", "MPL-1.1"})
"""Weak copyleft licenses that the FSF lists as incompatible with every GPL version."""
_GPL2_ONLY_CONFLICTS = _NON_GPL | {
    "Apache-2.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
}
_GPL2_PLUS_CONFLICTS = _NON_GPL | {"AGPL-3.0-only", "AGPL-3.0-or-later"}
_GPL3_CONFLICTS = _NON_GPL | {"GPL-2.0-only"}
_GPL_OUTBOUND = {
    "GPL-2.0-only": _GPL2_ONLY_CONFLICTS,
    "GPL-2.0-or-later": _GPL2_PLUS_CONFLICTS,
    "GPL-3.0-only": _GPL3_CONFLICTS,
    "GPL-3.0-or-later": _GPL3_CONFLICTS,
    "AGPL-3.0-only": _GPL3_CONFLICTS,
    "AGPL-3.0-or-later": _GPL3_CONFLICTS,
}
Rule = Callable[[spdx.Node], bool]
"""True when a single dependency license (an id, or an id WITH an exception) conflicts."""
_RESTRICTED = frozenset({Category.SOURCE_AVAILABLE, Category.PROPRIETARY})
_COPYLEFT = frozenset({Category.STRONG_COPYLEFT, Category.NETWORK_COPYLEFT})
_NOT_COPYLEFT = frozenset({Category.PUBLIC_DOMAIN, Category.PERMISSIVE, Category.PROPRIETARY, Category.WEAK_COPYLEFT})


@lru_cache(maxsize=8192)
def incompatibility(project_license: str | None, dependency_license: str | None, project_category: str | None = None) -> str | None:
    """Why a dependency's license cannot ship in the project at runtime, or None.

    Both licenses are SPDX expressions; anything that is not one (None, unparsable) is
    not judged, and neither is an id of unknown category. A project with proprietary
    terms and no expression (npm's `UNLICENSED`) is judged by its `project_category`.
    """
    inbound = _tree(dependency_license)
    if inbound is None:
        return None
    outbound = _tree(project_license)
    if outbound is None:
        if project_category != Category.PROPRIETARY.value:
            return None
        found = _conflict(_copyleft_conflicts, inbound)
        return None if found is None else f"{found}, which cannot be combined with the project's proprietary terms"
    reasons = [_against_inbound(choice, inbound) for choice in _choices(outbound)]
    if not reasons or any(reason is None for reason in reasons):
        return None
    return reasons[0]


def _against_inbound(outbound: spdx.Node, inbound: spdx.Node) -> str | None:
    """One offered project license (maybe an AND of several) against the dependency."""
    parts = outbound.args if isinstance(outbound, spdx.Compound) else (outbound,)
    for part in parts:
        rule = _rule_for(part)
        if rule is None:
            continue
        found = _conflict(rule, inbound)
        if found is not None:
            return f"{found}, which cannot be combined with the project's {spdx.render(part)}"
    return None


def _conflict(rule: Rule, inbound: spdx.Node) -> str | None:
    if isinstance(inbound, spdx.Compound):
        reasons = [_conflict(rule, part) for part in inbound.args]
        if inbound.operator is spdx.Operator.OR:
            return None if any(r is None for r in reasons) else " or ".join(r for r in reasons if r)
        return next((r for r in reasons if r is not None), None)
    return f"{spdx.render(inbound)}" if rule(inbound) else None


def _rule_for(outbound: spdx.Node) -> Rule | None:
    """Which single dependency licenses conflict with this one project license."""
    if isinstance(outbound, spdx.WithException):
        outbound = outbound.license
    if not isinstance(outbound, spdx.LicenseId):
        return None
    gpl_conflicts = _GPL_OUTBOUND.get(outbound.key)
    if gpl_conflicts is not None:
        return lambda node: _id(node) in gpl_conflicts or _category(node) in _RESTRICTED
    category, _ = category_of_id(outbound.key)
    return _copyleft_conflicts if category in _NOT_COPYLEFT else None


def _copyleft_conflicts(node: spdx.Node) -> bool:
    return _category(node) in _COPYLEFT


def _choices(node: spdx.Node) -> tuple[spdx.Node, ...]:
    if isinstance(node, spdx.Compound) and node.operator is spdx.Operator.OR:
        return node.args
    return (node,)


def _id(node: spdx.Node) -> str | None:
    """The license id a single inbound node stands for; a WITH exception keeps its id
    only when the exception leaves the license's category (a linking exception does not)."""
    if isinstance(node, spdx.LicenseId):
        return node.key
    if isinstance(node, spdx.WithException):
        license_category, _ = category_of_id(node.license.key)
        return node.license.key if _category(node) == license_category else None
    return None


def _category(node: spdx.Node) -> Category:
    return _category_of(spdx.render(node))


@lru_cache(maxsize=4096)
def _category_of(expression: str) -> Category:
    return categorize(expression).category


def _tree(expression: str | None) -> spdx.Node | None:
    if not expression:
        return None
    try:
        return spdx.tree(expression)
    except spdx.SpdxError:
        return None
