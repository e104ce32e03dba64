"""Conclusions and their evidence, one fixture folder per case (tests/licenses/fixtures/).

Each row scans a fixture and checks, for one component, the whole evidence tuple (value
and source of every statement consulted, in order) and the conclusion drawn from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.licenses.curations import load_curations
from ospo_scan.model import LicenseEvidence, LicenseInfo
from ospo_scan.scan import ScanOptions, scan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
M2 = FIXTURES / "pom-and-local-repository-disagree" / "m2"
CURATIONS = FIXTURES / "curation-overrides-evidence" / "curations.toml"


def _lock(path: str, name: str) -> str:
    return f'{path}: packages["node_modules/{name}"].license'


@dataclass(frozen=True)
class Case:
    fixture: str
    """Folder under fixtures/ (the scan root)."""
    component: str
    expression: str | None
    source: str | None
    reason: str | None
    evidence: tuple[tuple[str, str], ...]
    """(value, source) of each statement, in order."""
    options: LicenseOptions | None = None


CASES = [
    Case(
        "agreeing-declarations",
        "x",
        expression="MIT",
        source=f"{_lock('api/package-lock.json', 'x')}; {_lock('web/package-lock.json', 'x')}",
        reason=None,
        evidence=(
            ("MIT", _lock("api/package-lock.json", "x")),
            ("MIT", _lock("web/package-lock.json", "x")),
            ("MIT", "web/node_modules/x/package.json: license"),
        ),
    ),
    Case(
        # Two spellings of one choice agree; each lock entry is named with its own spelling.
        "agreeing-declarations",
        "y",
        expression="MIT OR Apache-2.0",
        source=f"{_lock('web/package-lock.json', 'y')}; {_lock('api/package-lock.json', 'y')}",
        reason="OR: chose MIT, the least restrictive of MIT (permissive), Apache-2.0 (permissive)",
        evidence=(
            ("(MIT OR Apache-2.0)", _lock("web/package-lock.json", "y")),
            ("Apache-2.0 OR MIT", _lock("api/package-lock.json", "y")),
        ),
    ),
    Case(
        "disagreeing-declarations",
        "x",
        expression=None,
        source=None,
        reason=f"declarations disagree: ISC ({_lock('api/package-lock.json', 'x')}) vs MIT ({_lock('web/package-lock.json', 'x')})",
        evidence=(
            ("ISC", _lock("api/package-lock.json", "x")),
            ("MIT", _lock("web/package-lock.json", "x")),
        ),
    ),
    Case(
        "lockfile-and-installation-disagree",
        "x",
        expression="MIT",
        source=_lock("package-lock.json", "x"),
        reason="lower-ranked evidence differs: ISC (node_modules/x/package.json: license)",
        evidence=(("MIT", _lock("package-lock.json", "x")), ("ISC", "node_modules/x/package.json: license")),
    ),
    Case(
        "pom-and-local-repository-disagree/tree",
        "org.example:core",
        expression="Apache-2.0",
        source="core/pom.xml: licenses",
        reason=f"lower-ranked evidence differs: MIT License ({M2.as_posix()}/org/example/core/1.0.0/core-1.0.0.pom: licenses.license[0].name)",
        evidence=(
            ("Apache License, Version 2.0", "core/pom.xml: licenses"),
            ("MIT License", f"{M2.as_posix()}/org/example/core/1.0.0/core-1.0.0.pom: licenses.license[0].name"),
        ),
        options=LicenseOptions(maven_repository=M2),
    ),
    Case(
        "declaration-plus-text-match",
        "x",
        expression="MIT",
        source=_lock("package-lock.json", "x"),
        reason=None,
        evidence=(("MIT", _lock("package-lock.json", "x")), ("MIT", "node_modules/x/LICENSE: license text")),
    ),
    Case(
        # The declaration only points at a file: the file's text decides.
        "declaration-plus-text-match",
        "y",
        expression="ISC",
        source="node_modules/y/LICENSE.txt: license text",
        reason=None,
        evidence=(
            ("SEE LICENSE IN LICENSE.txt", _lock("package-lock.json", "y")),
            ("SEE LICENSE IN LICENSE.txt", "node_modules/y/package.json: license"),
            ("ISC", "node_modules/y/LICENSE.txt: license text"),
        ),
    ),
    Case(
        "declaration-plus-text-match",
        "z",
        expression="MIT",
        source=_lock("package-lock.json", "z"),
        reason="lower-ranked evidence differs: ISC (node_modules/z/LICENSE: license text)",
        evidence=(
            ("MIT", _lock("package-lock.json", "z")),
            ("MIT", "node_modules/z/package.json: license"),
            ("ISC", "node_modules/z/LICENSE: license text"),
        ),
    ),
    Case(
        "curation-overrides-evidence/repo",
        "x",
        expression="Apache-2.0",
        source=f"curation {CURATIONS} [curation 0]: relicensed upstream before 1.0.0 was published (OSPO-7)",
        reason=(
            f"lower-ranked evidence differs: MIT ({_lock('package-lock.json', 'x')}); "
            "MIT (node_modules/x/package.json: license)"
        ),
        evidence=(
            ("Apache-2.0", f"curation {CURATIONS} [curation 0]: relicensed upstream before 1.0.0 was published (OSPO-7)"),
            ("MIT", _lock("package-lock.json", "x")),
            ("MIT", "node_modules/x/package.json: license"),
        ),
        options=LicenseOptions(curations=load_curations(CURATIONS)),
    ),
]


def _license(case: Case) -> LicenseInfo:
    inventory = scan([FIXTURES / case.fixture], ScanOptions(licenses=case.options or LicenseOptions()))
    found = [component.license for component in inventory.components if component.name == case.component]
    assert len(found) == 1 and found[0] is not None
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.fixture}:{case.component}")
def test_conclusion_lists_its_evidence(case: Case) -> None:
    info = _license(case)
    assert info.evidence == tuple(LicenseEvidence(value=value, source=source) for value, source in case.evidence)
    assert (info.expression, info.source, info.reason) == (case.expression, case.source, case.reason)
    assert info.category == ("unknown" if case.expression is None else "permissive")


def test_a_text_conclusion_carries_the_match_confidence() -> None:
    info = _license(next(case for case in CASES if case.component == "y" and case.fixture == "declaration-plus-text-match"))
    assert info.confidence is not None and info.confidence >= 0.8


def test_declared_keeps_every_raw_declaration_and_no_text() -> None:
    info = _license(next(case for case in CASES if case.component == "z"))
    assert info.declared == ("MIT",)


def test_evidence_is_the_same_on_every_run() -> None:
    case = CASES[0]
    assert _license(case) == _license(case)


def test_installation_paths_are_root_relative_when_the_root_is_given_relative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    inventory = scan([Path("lockfile-and-installation-disagree")], ScanOptions(licenses=LicenseOptions()))
    info = inventory.components[0].license
    assert info is not None and info.evidence[1] == LicenseEvidence(value="ISC", source="node_modules/x/package.json: license")
