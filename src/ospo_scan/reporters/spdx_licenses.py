"""Licenses as an SPDX 2.3 document states them: declared apart from concluded, and
every `LicenseRef-` defined.

- `licenseConcluded` is ospo-scan's conclusion (`LicenseInfo.expression`), NOASSERTION
  when it has none.
- `licenseDeclared` is what the package's own metadata states, whatever ospo-scan made
  of it: the declared values of the evidence (curations are an organization's decision,
  not a declaration, and license texts are ospo-scan's identification of a file, so both
  stay out), read place by place (one file, e.g. one METADATA or one POM, whose values
  combine as the conclusion's do). A place whose values name no license becomes a
  `LicenseRef-` whose text is the declaration itself; places that disagree are all kept,
  joined with AND, and the package's license comment says they disagree. Nothing
  declared is NOASSERTION.
- Every reference an expression names gets an entry in `hasExtractedLicensingInfos`.
  ospo-scan's own (`LicenseRef-ospo-ambiguous-bsd`), ScanCode's (`LicenseRef-scancode-*`)
  and the packages' own ones carry no text in the inventory, so the entry says what is
  known and that the document has no text for it. A reference SPDX would refuse (an `_`,
  a non-ASCII letter, a `DocumentRef-` to a document this one does not include) is
  renamed to a valid one, and the entry names the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ospo_scan.licenses import normalize as normalize_module
from ospo_scan.licenses import spdx
from ospo_scan.licenses.aliases import load_aliases
from ospo_scan.licenses.normalize import NormalizedLicense
from ospo_scan.licenses.spdx import Operator, SpdxExpression
from ospo_scan.model import LicenseInfo
from ospo_scan.reporters.spdx_ids import is_idstring, readable_id, without_secrets

NOASSERTION = "NOASSERTION"
NO_TEXT = "This document carries no license text for it: none is part of ospo-scan's inventory."
_DECLARED_PREFIX = "LicenseRef-ospo-declared-"
_RENAMED_PREFIX = "LicenseRef-ospo-renamed-"
_MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class PackageLicenses:
    """The three license fields of one package."""

    concluded: str
    declared: str
    comment: str | None


@dataclass
class LicenseRefs:
    """Every license reference the document names, with its extracted-licensing entry."""

    _entries: dict[str, dict[str, str]] = field(default_factory=dict)

    def package(self, info: LicenseInfo | None, fallback: Sequence[str] = ()) -> PackageLicenses:
        """The license fields for a conclusion; `fallback` are raw declared strings to use
        when the conclusion carries no evidence (a component the classifier did not see)."""
        concluded = self.expression(info.expression if info else None)
        declared, disagreement = self._declared(_declared_places(info, fallback))
        return PackageLicenses(concluded=concluded, declared=declared, comment=_comment(info, disagreement))

    def expression(self, expression: str | None) -> str:
        """The expression with every reference valid and defined; NOASSERTION for None."""
        if expression is None:
            return NOASSERTION
        try:
            safe, references = _safe_expression(SpdxExpression(expression))
        except spdx.SpdxError as error:  # never from the classifier; a hand-made inventory may hold anything
            return self._own_words((expression,), f"not a valid SPDX expression ({error})")
        for license_id, original in references:
            if license_id not in self._entries:
                self._entries[license_id] = _reference_entry(license_id, original)
        return safe

    def extracted_licensing_infos(self) -> list[dict[str, str]]:
        """The entries, sorted by license id."""
        return [self._entries[key] for key in sorted(self._entries)]

    def _declared(self, places: list[tuple[str, tuple[str, ...]]]) -> tuple[str, str | None]:
        """(licenseDeclared, a note when the places disagree)."""
        readings: dict[Any, tuple[SpdxExpression, str]] = {}
        for place, values in places:
            expression = self._place_expression(values)
            readings.setdefault(spdx.meaning(expression), (expression, place))
        if not readings:
            return NOASSERTION, None
        if len(readings) == 1:
            return self.expression(next(iter(readings.values()))[0]), None
        parts = list(readings.values())
        note = "the declarations disagree (" + " vs ".join(f"{e} in {p}" for e, p in parts) + "): all are declared, joined with AND"
        return self.expression(spdx.join(Operator.AND, [e for e, _ in parts])), note

    def _place_expression(self, values: tuple[str, ...]) -> SpdxExpression:
        """What one place declares, or a reference to its own words when they name no license."""
        reading = _normalize_many(values)
        if reading.expression is not None:
            return reading.expression
        why = "it declares proprietary terms" if reading.proprietary else reading.reason or "no license could be identified"
        return SpdxExpression(self._own_words(values, why))

    def _own_words(self, values: tuple[str, ...], why: str) -> str:
        """A reference whose text is the values themselves, word for word."""
        text = "\n".join(values)
        license_id = _DECLARED_PREFIX + readable_id(text.strip())
        if license_id not in self._entries:
            comment = f"The license as written, word for word: ospo-scan could not read it as SPDX ({why})."
            self._entries[license_id] = _entry(license_id, text, _name(values[0]), comment)
        return license_id


def _declared_places(info: LicenseInfo | None, fallback: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(place, declared values) in evidence order; the place is the file before ': '."""
    places: dict[str, list[str]] = {}
    for entry in info.evidence if info else ():
        if _is_declaration(entry.source) and entry.value.strip():
            values = places.setdefault(entry.source.split(": ", 1)[0], [])
            if entry.value not in values:
                values.append(entry.value)
    if not places:
        values = [value for value in dict.fromkeys((*fallback, *(info.declared if info else ()))) if value.strip()]
        if values:
            places["the scanned files"] = values
    return [(place, tuple(values)) for place, values in places.items()]


def _is_declaration(source: str) -> bool:
    """Neither a curation (`curation <file> ...`) nor a license text (`<file>: license text`,
    `<file>: <field> (license text)`): see licenses/findings.py and evidence.text_source."""
    return not (source.startswith("curation ") or source.endswith(": license text") or source.endswith(" (license text)"))


@lru_cache(maxsize=8192)
def _normalize_many(values: tuple[str, ...]) -> NormalizedLicense:
    """Normalizing is pure and the same few hundred values recur across thousands of packages."""
    return normalize_module.normalize_many(values)


def _comment(info: LicenseInfo | None, disagreement: str | None) -> str | None:
    """ospo-scan's category, what the conclusion rests on and why it is unknown, if it is."""
    if info is None:
        return disagreement and f"licenseDeclared: {disagreement}"
    parts = [f"ospo-scan category: {info.category}"]
    if info.source:
        parts.append(f"concluded from {info.source}")
    if info.reason:
        parts.append(info.reason)
    if disagreement:
        parts.append(f"licenseDeclared: {disagreement}")
    return without_secrets("; ".join(parts))


@lru_cache(maxsize=8192)
def _safe_expression(expression: SpdxExpression) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(the expression with valid reference ids, (id, original) of each reference)."""
    references: dict[str, str] = {}
    node = _rename(spdx.tree(expression), references)
    return spdx.render(node), tuple(references.items())


def _rename(node: spdx.Node, references: dict[str, str]) -> spdx.Node:
    if isinstance(node, spdx.Compound):
        return spdx.Compound(node.operator, tuple(_rename(arg, references) for arg in node.args))
    if isinstance(node, spdx.WithException):
        license_node = _rename(node.license, references)
        assert isinstance(license_node, spdx.LicenseId)  # a license id stays a license id
        return spdx.WithException(license_node, node.exception)
    if not node.key.startswith(("LicenseRef-", "DocumentRef-")):
        return node
    safe = _valid_reference(node.key)
    references[safe] = node.key
    return spdx.LicenseId(safe)


def _valid_reference(key: str) -> str:
    """The key when SPDX allows it in this document, else a valid id derived from it."""
    if key.startswith("LicenseRef-") and is_idstring(key.removeprefix("LicenseRef-")):
        return key
    return _RENAMED_PREFIX + readable_id(key)


def _reference_entry(license_id: str, original: str) -> dict[str, str]:
    """What is known about a reference no declaration's own words define."""
    reason = load_aliases().ambiguity_reason(original)
    if reason is not None:
        members = load_aliases().members_of(original)
        may_mean = f" It may mean {', '.join(members)}." if members else ""
        text = f"ospo-scan's reference for a license name that does not say which license it is: {reason}.{may_mean} {NO_TEXT}"
        return _entry(license_id, text, f"ambiguous license name ({original.removeprefix('LicenseRef-ospo-ambiguous-')})")
    entry = spdx.licensedb_entry(original) if original.startswith("LicenseRef-scancode-") else None
    if entry is not None:
        text = f"The license ScanCode's LicenseDB calls '{entry.key}' (category: {entry.category}); it has no id of its own on the SPDX License List. {NO_TEXT}"
        return _entry(license_id, text, f"ScanCode LicenseDB: {entry.key}")
    if original.startswith("DocumentRef-"):
        text = f"The package names the license '{original}', defined in another SPDX document that this document does not include. {NO_TEXT}"
        return _entry(license_id, text, original, f"renamed from {original}")
    renamed = f"renamed from {original}: SPDX allows only letters, digits, '.' and '-' in a reference" if license_id != original else None
    text = f"The package declares the license reference '{original}'; ospo-scan found no document defining it. {NO_TEXT}"
    return _entry(license_id, text, original.removeprefix("LicenseRef-"), renamed)


def _entry(license_id: str, text: str, name: str, comment: str | None = None) -> dict[str, str]:
    entry = {"licenseId": license_id, "extractedText": without_secrets(text), "name": without_secrets(name)}
    if comment:
        entry["comment"] = without_secrets(comment)
    return entry


def _name(value: str) -> str:
    first = value.strip().splitlines()[0] if value.strip() else value
    return first if len(first) <= _MAX_NAME else first[: _MAX_NAME - 3] + "..."

