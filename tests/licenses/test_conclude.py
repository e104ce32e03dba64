"""The evidence order on findings built by hand: ranks, disagreement, silence."""

from __future__ import annotations

import pytest

from ospo_scan.licenses.categories import categorize_license
from ospo_scan.licenses.conclude import Finding, Rank, conclude
from ospo_scan.licenses.evidence import TextMatch
from ospo_scan.licenses.findings import text_finding
from ospo_scan.licenses.normalize import normalize
from ospo_scan.model import LicenseEvidence


def _finding(rank: Rank, value: str, source: str, confidence: float | None = None) -> Finding:
    return Finding(rank=rank, evidence=(LicenseEvidence(value=value, source=source),), reading=normalize(value), confidence=confidence)


def _texts(*files_and_ids: str) -> Finding:
    """License files naming different licenses, as findings.text_finding builds them."""
    pairs = list(zip(files_and_ids[::2], files_and_ids[1::2]))
    match = TextMatch(spdx_id=None, confidence=0.99, parts=tuple(TextMatch(spdx_id=spdx_id, confidence=0.99, path=path) for path, spdx_id in pairs))
    finding = text_finding(match)
    assert finding is not None and not finding.speaks
    return finding


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
            "ambiguous evidence differs: BSD (a: license)",
            id="an ambiguous name does not disagree with a precise one but is noted when it names none of its licenses",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "BSD", "a: license"), _finding(Rank.INSTALLED, "BSD-3-Clause", "b: license")],
            "BSD-3-Clause",
            "b: license",
            None,
            id="a precise value of a lower rank beats an ambiguous one it is a reading of",
        ),
        pytest.param(
            [_finding(Rank.INSTALLED, "LGPL", "a: license"), _finding(Rank.TEXT, "LGPL-2.1", "COPYING: license text", 0.99)],
            "LGPL-2.1-only",
            "COPYING: license text",
            None,
            id="a text that names a member of the ambiguous family concludes",
        ),
        pytest.param(
            [_finding(Rank.INSTALLED, "LGPL", "a: license"), _finding(Rank.INSTALLED, "GPL", "b: license")],
            None,
            None,
            "declarations disagree: LGPL (a: license) vs GPL (b: license)",
            id="two ambiguous names of different families disagree",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "MIT", "a: license"), _texts("LICENSE-APACHE", "Apache-2.0", "LICENSE-BSD", "BSD-2-Clause")],
            "MIT",
            "a: license",
            "lower-ranked evidence differs: Apache-2.0 (LICENSE-APACHE: license text), BSD-2-Clause (LICENSE-BSD: license text)",
            id="license files naming other licenses differ even when they do not speak",
        ),
        pytest.param(
            [_finding(Rank.DECLARED, "Apache-2.0 OR BSD-2-Clause", "a: license"), _texts("LICENSE-APACHE", "Apache-2.0", "LICENSE-BSD", "BSD-2-Clause")],
            "Apache-2.0 OR BSD-2-Clause",
            "a: license",
            "OR: chose Apache-2.0, the least restrictive of Apache-2.0 (permissive), BSD-2-Clause (permissive)",
            id="license files naming the declared choices agree",
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


@pytest.mark.parametrize(("value", "category"), [("LGPL", "weak-copyleft"), ("BSD", "permissive"), ("GPL", "strong-copyleft")])
def test_an_ambiguous_family_alone_concludes_with_its_category(value: str, category: str) -> None:
    reading = normalize(value)
    info = conclude([_finding(Rank.INSTALLED, value, "a: license")], ["not installed elsewhere"])
    assert (info.expression, info.category, info.source) == (reading.expression, category, "a: license")
    assert info.reason == f"expression stays ambiguous: {reading.reason}; {categorize_license(reading).reason}"


def test_an_ambiguous_name_of_unknown_category_does_not_conclude() -> None:
    info = conclude([_finding(Rank.INSTALLED, "MIT-style", "a: license")])
    assert (info.expression, info.category) == (None, "unknown")
    assert info.reason == f"MIT-style (a: license): {normalize('MIT-style').reason}"


def test_a_lower_ranked_ambiguous_name_of_another_family_differs() -> None:
    info = conclude([_finding(Rank.INSTALLED, "LGPL", "a: license"), _finding(Rank.TEXT, "LicenseRef-ospo-ambiguous-bsd", "b: license text")])
    assert info.expression == "LicenseRef-ospo-ambiguous-lgpl"
    assert info.reason is not None and info.reason.endswith("; lower-ranked evidence differs: LicenseRef-ospo-ambiguous-bsd (b: license text)")


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
