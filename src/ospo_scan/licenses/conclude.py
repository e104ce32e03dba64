"""From ranked findings to one license conclusion that lists all of them.

A Finding is what one place says: one curation, one license string a scanned file
declares, the license fields of one local installation, the license texts of one
installation. It keeps every raw value as a `LicenseEvidence` (the value as found, the
file and field it came from), so a conclusion can always show what it rests on and what
it set aside.

The rules (README, "Licenses"):

1. Ranks are taken in the evidence order: curation, declared by the scanned files,
   declared by a local installation, license texts. The first rank where some finding
   *speaks* (names a recognized license, or declares proprietary terms) concludes.
   Everything else that was consulted stays in the evidence, in rank order.
2. Findings of that rank that mean different licenses make the conclusion unknown,
   "declarations disagree: MIT (a) vs ISC (b)". They are not joined with OR: two files
   stating different licenses for one package are not offering a choice, one of them is
   wrong (a patched copy, a relicensed version, a mirror's metadata), and only a person
   can say which, with a curation. Lower ranks do not break the tie either: a weaker
   kind of evidence cannot tell which of two stronger ones is right.
3. A lower-ranked finding that names a license outside the conclusion does not change
   it (the order decides), but the reason says so: "lower-ranked evidence differs: ...".
   License texts are compared by license family: a bare GNU text does not say "only"
   or "or later". An ambiguous name is not outside a conclusion that names one of the
   licenses it may mean (`BSD` beside `BSD-3-Clause`); one that names none of them, at
   the conclusion's rank or above, is noted too: "ambiguous evidence differs: ...".
4. When nothing speaks, a finding that only *hints* concludes: an ambiguous name whose
   every possible license has one category (`LGPL`: weak-copyleft). The expression
   stays the `LicenseRef-ospo-ambiguous-*` reference and the reason starts with
   "expression stays ambiguous", but the category is known. Hints are weighed with
   rules 1-3 among themselves.
5. A finding that neither speaks nor hints (an unrecognized string, `SEE LICENSE IN`, an
   ambiguous name of unknown category, license files naming different licenses) does
   not conclude; when nothing concludes, the reason says why each place consulted gave
   nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from ospo_scan.licenses import categories, families, spdx
from ospo_scan.licenses.categories import Category
from ospo_scan.licenses.normalize import NormalizedLicense
from ospo_scan.licenses.spdx import SpdxExpression
from ospo_scan.model import LicenseEvidence, LicenseInfo

MAX_SOURCES_SHOWN = 3
"""A conclusion's `source` names at most this many places (the evidence lists them all)."""

categorize_license = lru_cache(maxsize=4096)(categories.categorize_license)


class Rank(IntEnum):
    """The evidence order, strongest first."""

    CURATION = 0
    DECLARED = 1
    """What the scanned files (lockfiles, manifests) declare."""
    INSTALLED = 2
    """What a local installation's metadata declares."""
    TEXT = 3
    """What a license text is identified as."""


_DISAGREE = {
    Rank.CURATION: "curations disagree",
    Rank.DECLARED: "declarations disagree",
    Rank.INSTALLED: "declarations disagree",
    Rank.TEXT: "license texts disagree",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What one place says: its raw values, and what they mean together."""

    rank: Rank
    evidence: tuple[LicenseEvidence, ...]
    """The values as found, one entry each."""
    reading: NormalizedLicense
    """The values normalized together (several values of one place combine as its format says)."""
    confidence: float | None = None
    """For a license text: the share of its words the license covers."""
    parts: tuple[SpdxExpression, ...] = ()
    """For license files that name different licenses: each file's license. The files do
    not say whether they are a choice or all apply, so the finding does not speak, but a
    conclusion that names other licenses differs from it."""

    @property
    def speaks(self) -> bool:
        """True when the finding names a recognized license or proprietary terms."""
        return self.reading.resolved or self.reading.proprietary

    @property
    def hints(self) -> bool:
        """True when the finding does not speak but its ambiguous names have a known category."""
        if self.speaks or self.reading.expression is None:
            return False
        return categorize_license(self.reading).category is not Category.UNKNOWN

    @property
    def keys(self) -> frozenset[str]:
        """Every license id the finding names (its reading's, else its parts')."""
        expressions = [self.reading.expression] if self.reading.expression is not None else list(self.parts)
        return frozenset(key for expression in expressions for key in spdx.license_keys(expression))

    @property
    def label(self) -> str:
        """`value (source)` for each value, for reasons."""
        return ", ".join(f"{entry.value} ({entry.source})" for entry in self.evidence)


def conclude(findings: Sequence[Finding], silent: Sequence[str] = ()) -> LicenseInfo:
    """The conclusion the findings support (see the module docstring); `silent` says,
    for each place consulted that had nothing to offer, why."""
    ordered = sorted(findings, key=lambda finding: finding.rank)  # stable: a rank keeps the caller's order
    concluding = [finding for finding in ordered if finding.speaks] or [finding for finding in ordered if finding.hints]
    if not concluding:
        return _unknown(ordered, _silence(ordered, silent))
    rank = concluding[0].rank
    top = [finding for finding in concluding if finding.rank is rank]
    groups = _by_meaning(top) if len(top) > 1 else [top]
    if len(groups) > 1:
        return _unknown(ordered, f"{_DISAGREE[rank]}: {_disagreement(groups)}")
    lower = [finding for finding in ordered if finding.rank > rank and _names(finding) and not _within(finding, top[0])]
    chosen = {id(finding) for finding in top}
    ambiguous = [finding for finding in ordered if finding.rank <= rank and finding.hints and id(finding) not in chosen and not _within(finding, top[0])]
    return _known(ordered, top, lower, ambiguous)


def _names(finding: Finding) -> bool:
    """Whether a finding says enough to differ from a conclusion."""
    return finding.speaks or finding.hints or bool(finding.parts)


def _known(ordered: Sequence[Finding], top: Sequence[Finding], lower: Sequence[Finding], ambiguous: Sequence[Finding]) -> LicenseInfo:
    reading = top[0].reading
    category = categorize_license(reading)
    reasons = [category.reason] if category.category is Category.UNKNOWN or category.chosen else []
    if not reading.resolved and not reading.proprietary:
        reasons = [f"expression stays ambiguous: {reading.reason or reading.expression}", category.reason]
    if ambiguous:
        reasons.append("ambiguous evidence differs: " + "; ".join(finding.label for finding in ambiguous))
    if lower:
        reasons.append("lower-ranked evidence differs: " + "; ".join(finding.label for finding in lower))
    confidences = [finding.confidence for finding in top if finding.confidence is not None]
    return LicenseInfo(
        expression=reading.expression,
        category=category.category.value,
        declared=_declared(ordered),
        source=_sources(top),
        confidence=min(confidences) if confidences else None,
        reason="; ".join(reasons) or None,
        chosen=category.chosen,
        evidence=_evidence(ordered),
    )


def _unknown(ordered: Sequence[Finding], reason: str) -> LicenseInfo:
    return LicenseInfo(
        expression=None,
        category=Category.UNKNOWN.value,
        declared=_declared(ordered),
        reason=reason,
        evidence=_evidence(ordered),
    )


def _evidence(ordered: Sequence[Finding]) -> tuple[LicenseEvidence, ...]:
    return tuple(entry for finding in ordered for entry in finding.evidence)


def _declared(ordered: Sequence[Finding]) -> tuple[str, ...]:
    """Every declared value (curations, scanned files, installations), texts aside."""
    values = (entry.value for finding in ordered if finding.rank is not Rank.TEXT for entry in finding.evidence)
    return tuple(dict.fromkeys(values))


def _sources(top: Sequence[Finding]) -> str:
    places = list(dict.fromkeys(entry.source for finding in top for entry in finding.evidence))
    shown = "; ".join(places[:MAX_SOURCES_SHOWN])
    return shown + (f" (+{len(places) - MAX_SOURCES_SHOWN} more)" if len(places) > MAX_SOURCES_SHOWN else "")


def _silence(ordered: Sequence[Finding], silent: Sequence[str]) -> str:
    """Each distinct sentence once: a scan of a thousand roots has a thousand Python
    environment sources, each saying it found no environment, and the reason (which every
    unknown-license gap quotes) must not carry the same sentence a thousand times."""
    said = [f"{finding.label}: {finding.reading.reason or 'not a recognized license'}" for finding in ordered]
    return "; ".join(dict.fromkeys([*said, *silent])) or "no license evidence found"


def _disagreement(groups: Sequence[Sequence[Finding]]) -> str:
    """`MIT (a) vs ISC (b)`; `MIT vs ISC (a or b)` when every value names the same places
    (one merged component whose lock entries cannot be told apart)."""
    entries = [entry for group in groups for finding in group for entry in finding.evidence]
    places = {entry.source for entry in entries}
    if len(places) == 1:
        values = " vs ".join(", ".join(entry.value for finding in group for entry in finding.evidence) for group in groups)
        return f"{values} ({places.pop()})"
    return " vs ".join(", ".join(finding.label for finding in group) for group in groups)


def _by_meaning(findings: Sequence[Finding]) -> list[list[Finding]]:
    """Findings grouped by what they mean, in order of first appearance."""
    groups: dict[object, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_meaning(finding.reading), []).append(finding)
    return list(groups.values())


def _meaning(reading: NormalizedLicense) -> object:
    """What a concluding reading means: its expression (resolved or a hint), else proprietary terms."""
    if reading.expression is not None:
        return spdx.meaning(reading.expression)
    return "proprietary"


def _within(finding: Finding, concluded: Finding) -> bool:
    """Whether a finding names only licenses the conclusion names (families.within:
    ambiguous names by their members, license texts by family)."""
    mine, theirs = finding.keys, concluded.keys
    if not mine or not theirs:
        return finding.reading.proprietary and concluded.reading.proprietary
    return families.within(mine, theirs, by_family=finding.rank is Rank.TEXT)
