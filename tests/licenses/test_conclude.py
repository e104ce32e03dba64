"""The evidence order on findings built by hand: ranks, disagreement, silence."""

from __future__ import annotations

import pytest

from ospo_scan.licenses.conclude import Finding, Rank, conclude
from ospo_scan.licenses.normalize import normalize
from ospo_scan.model import LicenseEvidence


def _finding(rank: Rank, value: str, source: str, confidence: float | None = None) -> Finding:
    return Finding(rank=rank, evidence=(LicenseEvidence(value=value, source=source),), reading=normalize(value), confidence=confidence)


@pytest.mark.parametrize(
    ("findings", "expression", "source", "reason"),
    [
        pytest.param(
            [_finding(Rank.TEXT, "ISC", "x/LICENSE: license text", 0.97), _finding(Rank.INSTALLED, "MIT", "x/package.json: license")],
            "MIT",
            "x/package.json: license",
            "lower-ranked evidence differs: ISC (x/LICENSE: license text)",
            id="the stronger rank decides whatever order the findings come in",
        ),
        pytest.param(
            [_finding(Rank.INSTALLED, "MIT", "a/x/package.json: license"), _finding(Rank.INSTALLED, "ISC", "b/x/package.json: license")],
            None,
            None,
            "declarations disagree: MIT (a/x/package.json: license) vs ISC (b/x/package.json: license)",
            id="two installations that disagree",
        ),
        pytest.param(
            [
                _finding(Rank.DECLARED, "MIT", "a: license"),
                _finding(Rank.DECLARED, "ISC", "b: license"),
                _finding(Rank.INSTALLED, "MIT", "c: license"),
            ],
            None,
            None,
            "declarations disagree: MIT (a: license) vs ISC (b: license)",
            id="a lower rank does not break a tie",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "UNLICENSED", "a: license"), _finding(Rank.DECLARED, "MIT", "b: license")],
            None,
            None,
            "declarations disagree: UNLICENSED (a: license) vs MIT (b: license)",
            id="proprietary terms disagree with an open license",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "MIT License", "a: license"), _finding(Rank.DECLARED, "MIT", "b: license")],
            "MIT",
            "a: license; b: license",
            None,
            id="two spellings of one license agree",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "BSD", "a: license"), _finding(Rank.DECLARED, "MIT", "b: license")],
            "MIT",
            "b: license",
            None,
            id="an ambiguous string neither concludes nor disagrees",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "GPL-2.0-or-later", "a: license"), _finding(Rank.TEXT, "GPL-2.0", "COPYING: license text", 0.99)],
            "GPL-2.0-or-later",
            "a: license",
            None,
            id="a bare GNU text agrees with either variant",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "MIT OR Apache-2.0", "a: license"), _finding(Rank.TEXT, "Apache-2.0", "LICENSE: license text", 0.99)],
            "MIT OR Apache-2.0",
            "a: license",
            "OR: chose MIT, the least restrictive of MIT (permissive), Apache-2.0 (permissive)",
            id="a text of one of the choices does not differ",
        ),
    ],
)
def test_rules(findings: list[Finding], expression: str | None, source: str | None, reason: str | None) -> None:
    info = conclude(findings)
    assert (info.expression, info.source, info.reason) == (expression, source, reason)


def test_evidence_follows_the_ranks_and_keeps_the_order_within_one() -> None:
    findings = [
        _finding(Rank.TEXT, "MIT", "t: license text", 0.9),
        _finding(Rank.DECLARED, "MIT", "b: license"),
        _finding(Rank.DECLARED, "MIT", "a: license"),
        _finding(Rank.CURATION, "MIT", "curation c [curation 0]: ok"),
    ]
    assert [entry.source for entry in conclude(findings).evidence] == ["curation c [curation 0]: ok", "b: license", "a: license", "t: license text"]


def test_a_text_conclusion_takes_the_weakest_confidence() -> None:
    info = conclude([_finding(Rank.TEXT, "MIT", "a: license text", 0.95), _finding(Rank.TEXT, "MIT", "b: license text", 0.85)])
    assert (info.expression, info.confidence) == ("MIT", 0.85)


def test_nothing_that_speaks_gives_the_reason_of_each_place() -> None:
    info = conclude([_finding(Rank.DECLARED, "Frobnicate Terms 9", "a: license")], ["not installed in any node_modules folder of the scanned tree"])
    assert (info.expression, info.category) == (None, "unknown")
    assert info.reason == (
        "Frobnicate Terms 9 (a: license): not a recognized license name: 'Frobnicate Terms 9'; "
        "not installed in any node_modules folder of the scanned tree"
    )
    assert info.evidence == (LicenseEvidence(value="Frobnicate Terms 9", source="a: license"),)


def test_no_finding_at_all() -> None:
    assert conclude([]).reason == "no license evidence found"


def test_the_source_names_a_few_places_and_counts_the_rest() -> None:
    info = conclude([_finding(Rank.DECLARED, "MIT", f"{name}: license") for name in "abcde"])
    assert info.source == "a: license; b: license; c: license (+2 more)"
    assert len(info.evidence) == 5
