"""Compliance gaps: one test per gap code, plus where each is reported and in which order."""

from __future__ import annotations

from ospo_scan.analysis.gaps import GAP_KINDS, GapSeverity, answer_gaps
from ospo_scan.model import Ecosystem, Lifecycle, Location, ScanIssue, Severity
from tests.analysis.builders import component, inventory, project, use


def _codes(inv) -> list[str]:  # type: ignore[no-untyped-def]
    return [gap.code for gap in answer_gaps(inv).gaps]


def test_unknown_license_carries_the_recorded_reason_once_per_component() -> None:
    web, admin = project("web", license="MIT"), project("admin", license="MIT")
    mystery = component("mystery", "1.0.0", use(admin.id, path="admin/package.json", line=7), use(web.id, direct=False, path="web/package-lock.json"),
                        license=None, reason="the scanned files declare no license")
    (gap,) = answer_gaps(inventory([web, admin], [mystery])).gaps
    assert gap.code == "unknown-license" and gap.severity is GapSeverity.MEDIUM
    assert "the scanned files declare no license" in gap.message
    # reported at the project that declares it directly, at its manifest line
    assert gap.project == admin.id and gap.location == Location(path="admin/package.json", line=7)


def test_strong_copyleft_at_runtime_is_a_gap_per_project_and_not_in_development() -> None:
    web, tools = project("web"), project("tools")
    gpl = component("readline", "8.0.0", use(web.id), use(tools.id, Lifecycle.DEVELOPMENT), license="GPL-3.0-only", category="strong-copyleft")
    gaps = [g for g in answer_gaps(inventory([web, tools], [gpl])).gaps if g.component]
    assert [(g.code, g.project, g.severity) for g in gaps] == [("copyleft-at-runtime", web.id, GapSeverity.MEDIUM)]


def test_network_copyleft_at_runtime_is_high() -> None:
    app = project("app")
    agpl = component("ghost", "5.0.0", use(app.id), license="AGPL-3.0-only", category="network-copyleft")
    (gap,) = [g for g in answer_gaps(inventory([app], [agpl])).gaps if g.component]
    assert (gap.code, gap.severity) == ("copyleft-at-runtime", GapSeverity.HIGH)
    assert "network" in gap.message


def test_copyleft_in_a_copyleft_project_is_not_a_copyleft_gap() -> None:
    app = project("app", license="GPL-3.0-or-later", category="strong-copyleft")
    gpl = component("readline", "8.0.0", use(app.id), license="GPL-3.0-only", category="strong-copyleft")
    assert _codes(inventory([app], [gpl])) == []


def test_incompatible_license_with_the_projects_own() -> None:
    app = project("app", license="Apache-2.0")
    gpl = component("readline", "8.0.0", use(app.id), license="GPL-3.0-only", category="strong-copyleft")
    gaps = answer_gaps(inventory([app], [gpl])).gaps
    assert [g.code for g in gaps] == ["incompatible-license", "copyleft-at-runtime"]
    assert gaps[0].severity is GapSeverity.HIGH and "Apache-2.0" in gaps[0].message and "GPL-3.0-only" in gaps[0].message


def test_a_gpl2_project_with_an_apache_dependency() -> None:
    app = project("app", license="GPL-2.0-only", category="strong-copyleft")
    apache = component("commons", "1.0.0", use(app.id), license="Apache-2.0")
    assert _codes(inventory([app], [apache])) == ["incompatible-license"]


def test_lgpl_is_fine_to_link_from_a_permissive_project() -> None:
    app = project("app", license="MIT")
    lgpl = component("libfoo", "1.0.0", use(app.id), license="LGPL-2.1-only", category="weak-copyleft")
    assert _codes(inventory([app], [lgpl])) == []


def test_ambiguous_family_with_a_known_category() -> None:
    app = project("app", license="MIT")
    bsd = component("oldlib", "1.0.0", use(app.id), license="LicenseRef-ospo-ambiguous-bsd", reason="'BSD' names a family of licenses")
    (gap,) = answer_gaps(inventory([app], [bsd])).gaps
    assert gap.code == "ambiguous-license" and "'BSD' names a family" in gap.message and "permissive" in gap.message


def test_non_spdx_declaration_is_reported_where_it_is_declared() -> None:
    app = project("app", license="MIT")
    where = Location(path="package-lock.json", line=40)
    named = component("chainsaw", "0.1.0", use(app.id), license="MIT", declarations=(("MIT/X11", where),))
    (gap,) = answer_gaps(inventory([app], [named])).gaps
    assert gap.code == "non-spdx-license" and gap.location == where and "'MIT/X11'" in gap.message


def test_spdx_declarations_are_not_gaps() -> None:
    app = project("app", license="MIT")
    declared = component("ok", "1.0.0", use(app.id), declarations=(("MIT", Location(path="package-lock.json", line=3)),))
    assert _codes(inventory([app], [declared])) == []


def test_declarations_that_disagree_between_files() -> None:
    app = project("app", license="MIT")
    a, b = Location(path="web/package-lock.json", line=10), Location(path="admin/yarn.lock", line=20)
    torn = component("torn", "1.0.0", use(app.id), license=None, reason="declarations disagree",
                     declarations=(("MIT", a), ("ISC", b)))
    codes = _codes(inventory([app], [torn]))
    assert sorted(codes) == ["conflicting-license-declarations", "unknown-license"]
    gap = next(g for g in answer_gaps(inventory([app], [torn])).gaps if g.code == "conflicting-license-declarations")
    assert "MIT (web/package-lock.json:10)" in gap.message and "ISC (admin/yarn.lock:20)" in gap.message
    assert gap.location == b  # the first place, by path


def test_the_same_license_spelled_two_ways_does_not_disagree() -> None:
    app = project("app", license="MIT")
    same = component("same", "1.0.0", use(app.id), license="MIT OR Apache-2.0",
                     declarations=(("MIT OR Apache-2.0", Location(path="a", line=1)), ("Apache-2.0 OR MIT", Location(path="b", line=1))))
    assert _codes(inventory([app], [same])) == []


def test_unpinned_version_is_reported_per_project_at_the_manifest_line() -> None:
    api = project("api", Ecosystem.PYPI, license="MIT", manifest="pyproject.toml")
    loose = component("requests", None, use(api.id, path="api/requirements.txt", line=3, requirement=">=2"), ecosystem=Ecosystem.PYPI)
    (gap,) = answer_gaps(inventory([api], [loose])).gaps
    assert gap.code == "unpinned-version" and ">=2" in gap.message and gap.location == Location(path="api/requirements.txt", line=3)


def test_several_versions_of_one_package() -> None:
    web, admin = project("web", license="MIT"), project("admin", license="MIT")
    parts = [component("lodash", "4.17.21", use(web.id, path="web/package-lock.json", line=9)),
             component("lodash", "4.17.20", use(admin.id, path="admin/package-lock.json", line=5))]
    (gap,) = answer_gaps(inventory([web, admin], parts)).gaps
    assert gap.code == "multiple-versions" and "2 versions in use (4.17.20 and 4.17.21) in 2 projects" in gap.message
    assert gap.location == Location(path="admin/package-lock.json", line=5)


def test_project_without_a_license_of_its_own() -> None:
    bare = project("bare")
    go = project("svc", Ecosystem.GOLANG, manifest="go.mod")
    gaps = answer_gaps(inventory([bare, go], [])).gaps
    assert [(g.code, g.project) for g in gaps] == [("project-without-license", bare.id)]
    assert "declares no license" in gaps[0].message and gaps[0].location is not None and gaps[0].location.path == "bare/package.json"


def test_files_that_could_not_be_parsed() -> None:
    issues = [ScanIssue(path="broken/requirements.txt", line=2, parser="requirements", message="invalid requirement"),
              ScanIssue(path="web/package-lock.json", line=None, parser="npm", message="unresolved", code="edge-unresolved", severity=Severity.WARNING)]
    gaps = answer_gaps(inventory([], [], issues=issues)).gaps
    assert [(g.code, g.location) for g in gaps] == [("unparsed-file", Location(path="broken/requirements.txt", line=2))]
    assert gaps[0].severity is GapSeverity.HIGH


def test_first_party_components_have_no_gaps() -> None:
    app = project("app", license="MIT")
    ours = component("ours", None, use(app.id), license=None, first_party=True)
    assert _codes(inventory([app], [ours])) == []


def test_gaps_are_worst_first_and_every_code_is_documented() -> None:
    app = project("app", license="Apache-2.0")
    parts = [component("unknown", "1", use(app.id), license=None), component("gpl", "1", use(app.id), license="GPL-3.0-only", category="strong-copyleft"),
             component("loose", None, use(app.id))]
    gaps = answer_gaps(inventory([app], parts)).gaps
    assert [g.severity.order for g in gaps] == sorted(g.severity.order for g in gaps)
    assert all(g.code in GAP_KINDS for g in gaps)
    assert list(GAP_KINDS) == sorted(GAP_KINDS, key=lambda code: GAP_KINDS[code].severity.order)


def test_a_component_no_project_uses_still_gets_its_license_gaps() -> None:
    from ospo_scan.analysis import analyze

    lonely = component("lonely", "1.0.0", license=None, reason="nothing declared")
    gaps = analyze(inventory([], [lonely])).gaps.gaps
    assert [(g.code, g.project, g.location) for g in gaps] == [("unknown-license", None, None)]
