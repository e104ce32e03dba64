"""SPDX expression -> risk category, with the reason and, for choices, what was chosen.

Categories, least to most restrictive (`unknown` stands apart, it is not a rank):

    public-domain < permissive < weak-copyleft < strong-copyleft < network-copyleft
                  < source-available < proprietary

Each license id gets its category from the ScanCode LicenseDB category that ships with
license-expression (SCANCODE_CATEGORIES below), unless our small OVERRIDES table says
otherwise; both are versioned together by CATEGORY_TABLE_VERSION, which reports print
next to `spdx.licensedb_version()`.

Expressions:
- `A OR B`: the least restrictive choice with a known category; `chosen` names it. A
  choice whose category is unknown is skipped, and the reason says so.
- `A AND B`: the most restrictive part; one unknown part makes the whole unknown.
- `L WITH E`: as the exception says. ScanCode files each exception in a category too:
  - Permissive or Copyleft Limited exceptions are linking/runtime exceptions
    (Classpath-exception-2.0, GCC-exception-3.1, LLVM-exception, Autoconf-exception-*,
    Bison-exception-2.2, ...): on a strong or network copyleft license they give
    weak-copyleft (the covered code itself stays copyleft); on anything less restrictive
    they change nothing.
  - Copyleft exceptions grant a narrow permission (e.g. linking with OpenSSL): the
    license keeps its category. So do the exceptions of EXCEPTION_OVERRIDES, which
    ScanCode files as Copyleft Limited but which relax nothing for most users.
  - Source-available / proprietary "exceptions" add restrictions (Commons Clause): the
    more restrictive of the two.
  - An exception of unknown effect leaves the license's category, since an exception
    only ever adds permissions in SPDX's sense.
- `LicenseRef-ospo-ambiguous-*` (ambiguous names): the category every license the name
  may mean shares (the group's `members` in aliases.toml: every BSD variant is
  permissive, every LGPL version weak copyleft), else unknown. The expression stays the
  reference, so the version is still unknown; only the category is not.
- Other `LicenseRef-ospo-*` ids and ids missing from the LicenseDB: unknown.

Not overridden on purpose: SSPL-1.0 stays source-available (ScanCode's reading, and
OSI's: its service clause reaches the whole stack used to offer the program, well beyond
the AGPL's network clause).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ospo_scan.licenses import spdx
from ospo_scan.licenses.aliases import load_aliases
from ospo_scan.licenses.normalize import NormalizedLicense
from ospo_scan.licenses.spdx import Operator, SpdxExpression

CATEGORY_TABLE_VERSION = "2026.11.2"
"""Version of SCANCODE_CATEGORIES + OVERRIDES + EXCEPTION_OVERRIDES + the WITH and
ambiguous-name rules (YYYY.MM.N)."""


class Category(str, Enum):
    """Risk categories, in the words reports use."""

    PUBLIC_DOMAIN = "public-domain"
    PERMISSIVE = "permissive"
    WEAK_COPYLEFT = "weak-copyleft"
    STRONG_COPYLEFT = "strong-copyleft"
    NETWORK_COPYLEFT = "network-copyleft"
    SOURCE_AVAILABLE = "source-available"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


RESTRICTIVENESS: tuple[Category, ...] = tuple(c for c in Category if c is not Category.UNKNOWN)
"""Known categories, least restrictive first."""

SCANCODE_CATEGORIES: Mapping[str, Category] = {
    "Public Domain": Category.PUBLIC_DOMAIN,
    "Permissive": Category.PERMISSIVE,
    "Copyleft Limited": Category.WEAK_COPYLEFT,
    "Copyleft": Category.STRONG_COPYLEFT,
    "Source-available": Category.SOURCE_AVAILABLE,
    # Free to use, but with field-of-use restrictions (non-commercial, "no evil"): not
    # open source; the use restriction is what source-available means here.
    "Free Restricted": Category.SOURCE_AVAILABLE,
    # Free of charge but proprietary terms (freeware EULAs, vendor redistributables).
    "Proprietary Free": Category.PROPRIETARY,
    "Commercial": Category.PROPRIETARY,
    "Patent License": Category.UNKNOWN,
    "CLA": Category.UNKNOWN,
    "Unstated License": Category.UNKNOWN,
}
"""ScanCode LicenseDB category -> ours."""

_SCANCODE_UNKNOWN_WHY = {
    "Patent License": "a patent grant, not a license for the code itself",
    "CLA": "a contributor agreement, not a license for users of the code",
    "Unstated License": "a license is referenced but its terms are not stated",
}

_AGPL = "the AGPL's network clause: users interacting with it over a network get the source"
_EUPL = "EUPL 'communication' includes providing access to the work's functions online"
_OSL = "the OSL's 'External Deployment' clause: network use counts as distribution"
_RPL = "the RPL counts deployment, including to external users over a network"
_MPL = "file-level copyleft"
OVERRIDES: Mapping[str, tuple[Category, str]] = {
    **{i: (Category.NETWORK_COPYLEFT, _AGPL) for i in ("AGPL-1.0-only", "AGPL-1.0-or-later")},
    **{i: (Category.NETWORK_COPYLEFT, _AGPL) for i in ("AGPL-3.0-only", "AGPL-3.0-or-later")},
    **{i: (Category.NETWORK_COPYLEFT, _EUPL) for i in ("EUPL-1.1", "EUPL-1.2")},
    **{i: (Category.NETWORK_COPYLEFT, _OSL) for i in ("OSL-2.0", "OSL-2.1", "OSL-3.0")},
    **{i: (Category.NETWORK_COPYLEFT, _RPL) for i in ("RPL-1.1", "RPL-1.5")},
    "CPAL-1.0": (Category.NETWORK_COPYLEFT, "the CPAL's network use clause"),
    **{i: (Category.WEAK_COPYLEFT, _MPL) for i in ("MPL-1.0", "MPL-1.1", "MPL-2.0")},
    "MPL-2.0-no-copyleft-exception": (Category.WEAK_COPYLEFT, _MPL),
    "WTFPL": (Category.PERMISSIVE, "a license without conditions, not a public-domain dedication"),
}
"""Our corrections to ScanCode, each with its reason."""

EXCEPTION_OVERRIDES: Mapping[str, str] = {
    "Universal-FOSS-exception-1.0": (
        "it only permits combining the work with other FOSS (software distributed with its source"
        " under an OSI- or FSF-approved license) under that software's license; any other"
        " combination, proprietary linking included, stays under the license itself"
    ),
}
"""Exceptions that leave the license's category, against ScanCode's 'Copyleft Limited'."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseCategory:
    """The category of one expression and why."""

    category: Category
    reason: str
    chosen: SpdxExpression | None = None
    """When the expression offers a choice (OR): the licenses the category rests on."""


@dataclass(frozen=True, slots=True)
class _Eval:
    category: Category
    reason: str
    chosen: SpdxExpression
    choice_made: bool = False


def categorize(expression: str | None) -> LicenseCategory:
    """Categorize an SPDX expression (see the module docstring for the rules)."""
    if expression is None:
        return LicenseCategory(category=Category.UNKNOWN, reason="no license expression")
    try:
        node = spdx.tree(expression)
    except spdx.SpdxError as error:
        return LicenseCategory(category=Category.UNKNOWN, reason=f"'{expression}': {error}")
    result = _evaluate(node)
    chosen = result.chosen if result.choice_made else None
    return LicenseCategory(category=result.category, reason=result.reason, chosen=chosen)


def categorize_license(license: NormalizedLicense) -> LicenseCategory:
    """Categorize a normalized value, including the proprietary and no-license cases."""
    if license.expression is not None:
        return categorize(license.expression)
    if license.proprietary:
        return LicenseCategory(category=Category.PROPRIETARY, reason=license.reason or "proprietary")
    return LicenseCategory(category=Category.UNKNOWN, reason=license.reason or "no license expression")


def category_of_id(license_id: str) -> tuple[Category, str]:
    """One license id's category and the reason (override, ScanCode, or why unknown)."""
    if license_id.startswith(spdx.OSPO_REF_PREFIX):
        return _ambiguous(license_id)
    if license_id in OVERRIDES:
        category, why = OVERRIDES[license_id]
        return category, f"{license_id} is {category.value}: {why} (ospo-scan override)"
    entry = spdx.licensedb_entry(license_id)
    if entry is None:
        where = spdx.licensedb_version()
        return Category.UNKNOWN, f"{license_id} is not in the ScanCode LicenseDB ({where})"
    category = SCANCODE_CATEGORIES.get(entry.category, Category.UNKNOWN)
    if category is Category.UNKNOWN:
        why = _SCANCODE_UNKNOWN_WHY.get(entry.category, "a category ospo-scan does not map")
        return category, f"{license_id}: ScanCode category '{entry.category}': {why}"
    return category, f"{license_id} is {category.value} (ScanCode LicenseDB: '{entry.category}')"


def _ambiguous(license_id: str) -> tuple[Category, str]:
    """An ambiguous name: the category all its members share, else unknown and why."""
    aliases = load_aliases()
    why = aliases.ambiguity_reason(license_id) or "a reference ospo-scan made up"
    members = aliases.members_of(license_id)
    found = {member: category_of_id(member)[0] for member in members}
    shared = set(found.values())
    if len(shared) == 1 and Category.UNKNOWN not in shared:
        category = shared.pop()
        return category, f"{license_id}: {category.value}, the category of every license it may mean ({', '.join(members)})"
    if found:
        listed = ", ".join(f"{member} ({category.value})" for member, category in found.items())
        return Category.UNKNOWN, f"{license_id}: ambiguous: {why}; the licenses it may mean differ in category: {listed}"
    return Category.UNKNOWN, f"{license_id}: ambiguous: {why}"


def _evaluate(node: spdx.Node) -> _Eval:
    if isinstance(node, spdx.LicenseId):
        category, reason = category_of_id(node.key)
        return _Eval(category, reason, spdx.render(node))
    if isinstance(node, spdx.WithException):
        return _with_exception(node)
    parts = [(_evaluate(arg), arg) for arg in node.args]
    return _either(parts) if node.operator is Operator.OR else _all_of(parts)


def _either(parts: list[tuple[_Eval, spdx.Node]]) -> _Eval:
    """OR: the least restrictive known choice; unknown choices are named and skipped."""
    known = [(e, n) for e, n in parts if e.category is not Category.UNKNOWN]
    skipped = "".join(f"; skipped {e.reason}" for e, n in parts if (e, n) not in known)
    if not known:
        return _Eval(Category.UNKNOWN, f"OR: no choice has a known category{skipped}", _or(parts))
    best, best_node = min(known, key=lambda pair: _rank(pair[0].category))
    listing = ", ".join(f"{spdx.render(n)} ({e.category.value})" for e, n in known)
    reason = f"OR: chose {spdx.render(best_node)}, the least restrictive of {listing}{skipped}"
    if best.choice_made:
        reason += f"; within it: {best.reason}"
    return _Eval(best.category, reason, best.chosen, choice_made=True)


def _all_of(parts: list[tuple[_Eval, spdx.Node]]) -> _Eval:
    """AND: the most restrictive part; any unknown part makes the whole unknown."""
    unknown = [(e, n) for e, n in parts if e.category is Category.UNKNOWN]
    chosen = spdx.join(Operator.AND, [e.chosen for e, _ in parts])
    choice_made = any(e.choice_made for e, _ in parts)
    if unknown:
        reasons = "; ".join(e.reason for e, _ in unknown)
        return _Eval(Category.UNKNOWN, f"AND: a part is unknown: {reasons}", chosen, choice_made)
    worst = max((e for e, _ in parts), key=lambda e: _rank(e.category))
    reason = f"AND: {worst.chosen} is the most restrictive part ({worst.category.value})"
    reason += "".join(f"; {e.reason}" for e, _ in parts if e.choice_made)
    return _Eval(worst.category, reason, chosen, choice_made)


def _with_exception(node: spdx.WithException) -> _Eval:
    """`L WITH E`: the exception's ScanCode category says how it changes L's."""
    base, base_reason = category_of_id(node.license.key)
    expression = spdx.render(node)
    if base is Category.UNKNOWN:
        return _Eval(base, base_reason, expression)
    if node.exception in EXCEPTION_OVERRIDES:
        why = f"{node.exception} does not change its category: {EXCEPTION_OVERRIDES[node.exception]} (ospo-scan override)"
        return _Eval(base, f"{base_reason}; {why}", expression)
    entry = spdx.licensedb_entry(node.exception)
    effect = SCANCODE_CATEGORIES.get(entry.category, Category.UNKNOWN) if entry else Category.UNKNOWN
    relaxing = effect in (Category.PERMISSIVE, Category.WEAK_COPYLEFT)
    if relaxing and _rank(base) > _rank(Category.WEAK_COPYLEFT):
        why = f"{node.exception} is a linking/runtime exception: {Category.WEAK_COPYLEFT.value}"
        return _Eval(Category.WEAK_COPYLEFT, f"{base_reason}; {why}", expression)
    if effect in (Category.SOURCE_AVAILABLE, Category.PROPRIETARY) and _rank(effect) > _rank(base):
        why = f"{node.exception} adds restrictions: {effect.value}"
        return _Eval(effect, f"{base_reason}; {why}", expression)
    return _Eval(base, f"{base_reason}; {node.exception} does not change its category", expression)


def _or(parts: list[tuple[_Eval, spdx.Node]]) -> SpdxExpression:
    return spdx.join(Operator.OR, [e.chosen for e, _ in parts])


def _rank(category: Category) -> int:
    return RESTRICTIVENESS.index(category)
