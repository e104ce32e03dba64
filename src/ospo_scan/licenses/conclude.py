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
   or "or later".
4. A finding that does not speak (an unrecognized or ambiguous string, `SEE LICENSE IN`)
   neither concludes nor disagrees; when nothing speaks, the reason says why each place
   consulted gave nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from ospo_scan.licenses import categories, spdx
from ospo_scan.licenses.categories import Category
from ospo_scan.licenses.normalize import NormalizedLicense
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

    @property
    def speaks(self) -> bool:
        """True when the finding names a recognized license or proprietary terms."""
        return self.reading.resolved or self.reading.proprietary

    @property
    def label(self) -> str:
        """`value (source)` for each value, for reasons."""
        return ", ".join(f"{entry.value} ({entry.source})" for entry in self.evidence)


def conclude(findings: Sequence[Finding], silent: Sequence[str] = ()) -> LicenseInfo:
    """The conclusion the findings support (see the module docstring); `silent` says,
    for each place consulted that had nothing to offer, why."""
    ordered = sorted(findings, key=lambda finding: finding.rank)  # stable: a rank keeps the caller's order
    speaking = [finding for finding in ordered if finding.speaks]
    if not speaking:
        return _unknown(ordered, _silence(ordered, silent))
    rank = speaking[0].rank
    top = [finding for finding in speaking if finding.rank is rank]
    groups = _by_meaning(top) if len(top) > 1 else [top]
    if len(groups) > 1:
        return _unknown(ordered, f"{_DISAGREE[rank]}: {_disagreement(groups)}")
    differing = [finding for finding in speaking if finding.rank > rank and not _within(finding, top[0])]
    return _known(ordered, top, differing)


def _known(ordered: Sequence[Finding], top: Sequence[Finding], differing: Sequence[Finding]) -> LicenseInfo:
    reading = top[0].reading
    category = categorize_license(reading)
    reasons = [category.reason] if category.category is Category.UNKNOWN or category.chosen else []
    if differing:
        reasons.append("lower-ranked evidence differs: " + "; ".join(finding.label for finding in differing))
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
    said = [f"{finding.label}: {finding.reading.reason or 'not a recognized license'}" for finding in ordered]
    return "; ".join([*said, *silent]) or "no license evidence found"


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
    if reading.expression is not None and reading.resolved:
        return spdx.meaning(reading.expression)
    return "proprietary"


def _within(finding: Finding, concluded: Finding) -> bool:
    """Whether a lower-ranked finding names only licenses the conclusion names."""
    if finding.reading.expression is None or concluded.reading.expression is None:
        return finding.reading.proprietary and concluded.reading.proprietary
    mine = spdx.license_keys(finding.reading.expression)
    theirs = spdx.license_keys(concluded.reading.expression)
    if finding.rank is Rank.TEXT:
        mine, theirs = _families(mine), _families(theirs)
    return mine <= theirs


def _families(keys: frozenset[str]) -> frozenset[str]:
    """GNU ids without `-only` / `-or-later`: what a bare license text can tell."""
    return frozenset(key.replace("-only", "").replace("-or-later", "") for key in keys)
