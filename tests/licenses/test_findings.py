"""Which file and field each declared license string is attributed to."""

from __future__ import annotations

from ospo_scan.licenses.conclude import Rank
from ospo_scan.licenses.evidence import LocalFinding, TextMatch
from ospo_scan.licenses.findings import declared_findings, declaring_places, installed_finding, project_finding, text_finding
from ospo_scan.model import Component, Ecosystem, LicenseEvidence, Lifecycle, Location, Project, Usage


def _component(*locations: Location, declared: tuple[str, ...] = ("MIT",)) -> Component:
    usages = tuple(Usage(project=f"npm:{location.path}", lifecycle=Lifecycle.RUNTIME, location=location) for location in locations)
    return Component(purl="pkg:npm/x@1.0.0", ecosystem=Ecosystem.NPM, name="x", version="1.0.0", usages=usages, declared_licenses=declared)


LOCK = Location(path="web/package-lock.json", line=12, key_path='packages["node_modules/x"]')
SHRINKWRAP = Location(path="api/npm-shrinkwrap.json", line=30, key_path='packages["node_modules/x"]')
MANIFEST = Location(path="web/package.json", line=5, key_path="dependencies.x")
OLD_LOCK = Location(path="old/package-lock.json", line=8, key_path="dependencies.x")


def test_lock_entries_are_the_declaring_places_manifests_are_not() -> None:
    assert declaring_places(_component(MANIFEST, LOCK, SHRINKWRAP)) == [
        'api/npm-shrinkwrap.json: packages["node_modules/x"].license',
        'web/package-lock.json: packages["node_modules/x"].license',
    ]


def test_lockfile_v1_entries_count_only_without_newer_ones() -> None:
    assert declaring_places(_component(OLD_LOCK, LOCK)) == ['web/package-lock.json: packages["node_modules/x"].license']
    assert declaring_places(_component(OLD_LOCK)) == ["old/package-lock.json: dependencies.x.license"]


def test_without_a_lock_entry_the_files_naming_the_component_are_given() -> None:
    assert declaring_places(_component(MANIFEST)) == ["web/package.json"]
    assert declaring_places(_component()) == ["the scanned files"]


def test_one_string_is_one_finding_per_lock_entry() -> None:
    findings = declared_findings(_component(LOCK, SHRINKWRAP))
    assert [(f.rank, f.evidence) for f in findings] == [
        (Rank.DECLARED, (LicenseEvidence(value="MIT", source='api/npm-shrinkwrap.json: packages["node_modules/x"].license'),)),
        (Rank.DECLARED, (LicenseEvidence(value="MIT", source='web/package-lock.json: packages["node_modules/x"].license'),)),
    ]


def test_each_string_names_the_entry_that_states_it_when_resolution_recorded_it() -> None:
    component = _component(LOCK, SHRINKWRAP, declared=("ISC", "MIT"))
    component = Component(**{**{f: getattr(component, f) for f in ("purl", "ecosystem", "name", "version", "usages", "declared_licenses")}, "license_declarations": (("ISC", SHRINKWRAP), ("MIT", LOCK))})
    findings = declared_findings(component)
    assert [f.evidence for f in findings] == [
        (LicenseEvidence(value="ISC", source='api/npm-shrinkwrap.json: packages["node_modules/x"].license'),),
        (LicenseEvidence(value="MIT", source='web/package-lock.json: packages["node_modules/x"].license'),),
    ]


def test_several_strings_each_name_every_entry_they_may_come_from() -> None:
    """Components built without per-entry declarations (older producers) name every candidate."""
    findings = declared_findings(_component(LOCK, SHRINKWRAP, declared=("ISC", "MIT")))
    both = 'api/npm-shrinkwrap.json: packages["node_modules/x"].license or web/package-lock.json: packages["node_modules/x"].license'
    assert [f.evidence for f in findings] == [(LicenseEvidence(value="ISC", source=both),), (LicenseEvidence(value="MIT", source=both),)]


def test_a_project_license_names_its_manifest_field() -> None:
    project = Project(name="core", version="1.0", path="core", ecosystem=Ecosystem.MAVEN, license="Apache-2.0", manifests=("core/pom.xml",))
    finding = project_finding(project)
    assert finding is not None and finding.evidence == (LicenseEvidence(value="Apache-2.0", source="core/pom.xml: licenses"),)
    assert project_finding(Project(name="a", version=None, path=".", ecosystem=Ecosystem.NPM)) is None


def test_an_installation_gives_each_value_its_own_field_and_combines_them() -> None:
    found = LocalFinding(
        declared=("MIT", "License :: OSI Approved :: ISC License (ISCL)"),
        source="METADATA: License, Classifier",
        declared_sources=("METADATA: License", "METADATA: Classifier"),
    )
    finding = installed_finding(found)
    assert finding is not None and finding.rank is Rank.INSTALLED
    assert [(e.value, e.source) for e in finding.evidence] == [("MIT", "METADATA: License"), ("License :: OSI Approved :: ISC License (ISCL)", "METADATA: Classifier")]
    assert finding.reading.expression == "MIT OR ISC"
    assert installed_finding(LocalFinding(declared=(), source="package.json: no license field")) is None


def test_license_texts_are_one_finding_with_an_entry_per_file() -> None:
    parts = (TextMatch(spdx_id="MIT", confidence=0.99, path="x/LICENSE"), TextMatch(spdx_id="MIT", confidence=0.9, path="x/LICENSE.md"))
    finding = text_finding(TextMatch(spdx_id="MIT", confidence=0.99, path="x/LICENSE", parts=parts))
    assert finding is not None and finding.rank is Rank.TEXT and finding.confidence == 0.99
    assert [e.source for e in finding.evidence] == ["x/LICENSE: license text", "x/LICENSE.md: license text"]
    field_text = text_finding(TextMatch(spdx_id="MIT", confidence=0.9, path="METADATA: License"))
    assert field_text is not None and field_text.evidence == (LicenseEvidence(value="MIT", source="METADATA: License (license text)"),)
    assert text_finding(TextMatch(spdx_id=None, confidence=0.4, reason="not recognized")) is None
