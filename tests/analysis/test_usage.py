"""Usage: third-party counts by ecosystem, directness, lifecycle, license, project, repository; version sprawl."""

from __future__ import annotations

from ospo_scan.analysis.usage import answer_usage
from ospo_scan.model import Ecosystem, Lifecycle
from tests.analysis.builders import component, inventory, project, use


def test_first_party_components_are_counted_apart() -> None:
    app = project("app")
    answer = answer_usage(inventory([app], [component("ours", "1.0.0", use(app.id), first_party=True), component("theirs", "1.0.0", use(app.id))]))
    assert answer.totals.components == 1 and answer.first_party == 1


def test_direct_in_one_project_and_transitive_in_another_is_direct_overall_but_not_per_project() -> None:
    web, api = project("web"), project("api")
    shared = component("debug", "4.3.4", use(web.id), use(api.id, direct=False))
    answer = answer_usage(inventory([web, api], [shared]))
    assert (answer.totals.direct, answer.totals.transitive) == (1, 0)
    per_project = {s.key: (s.counts.direct, s.counts.transitive) for s in answer.by_project}
    assert per_project == {web.id: (1, 0), api.id: (0, 1)}


def test_runtime_versus_development_only() -> None:
    app = project("app", Ecosystem.MAVEN, manifest="pom.xml")
    parts = [
        component("g:runtime", "1", use(app.id), ecosystem=Ecosystem.MAVEN),
        component("g:provided", "1", use(app.id, Lifecycle.PROVIDED), ecosystem=Ecosystem.MAVEN),
        component("g:test", "1", use(app.id, Lifecycle.TEST), ecosystem=Ecosystem.MAVEN),
        component("g:both", "1", use(app.id, Lifecycle.TEST), use(app.id, Lifecycle.RUNTIME, path="other"), ecosystem=Ecosystem.MAVEN),
    ]
    answer = answer_usage(inventory([app], parts))
    assert (answer.totals.runtime, answer.totals.development_only) == (3, 1)
    assert dict(answer.by_lifecycle) == {"runtime": 2, "provided": 1, "test": 1}


def test_license_categories_and_the_known_share() -> None:
    app = project("app")
    parts = [
        component("a", "1", use(app.id), license="MIT"),
        component("b", "1", use(app.id), license="LGPL-3.0-only", category="weak-copyleft"),
        component("c", "1", use(app.id), license=None, reason="nothing declared"),
        component("d", "1", use(app.id), license=None, reason="nothing declared"),
    ]
    answer = answer_usage(inventory([app], parts))
    assert dict(answer.by_license_category) == {"permissive": 1, "unknown": 2, "weak-copyleft": 1}
    assert answer.totals.known_license == 2 and answer.totals.known_license_share == 0.5


def test_empty_inventory_has_no_share() -> None:
    answer = answer_usage(inventory([], []))
    assert answer.totals.components == 0 and answer.totals.known_license_share is None


def test_per_ecosystem_and_per_repository() -> None:
    web = project("web", repository="shop")
    api = project("api", Ecosystem.PYPI, repository="billing", manifest="pyproject.toml")
    parts = [
        component("react", "18.2.0", use(web.id)),
        component("requests", "2.32.3", use(api.id), ecosystem=Ecosystem.PYPI),
        component("urllib3", "2.2.2", use(api.id, direct=False), ecosystem=Ecosystem.PYPI),
    ]
    answer = answer_usage(inventory([web, api], parts, repositories=["billing", "shop"]))
    assert {s.key: s.counts.components for s in answer.by_ecosystem} == {"npm": 1, "pypi": 2}
    assert {s.key: (s.counts.components, s.counts.direct) for s in answer.by_repository} == {"billing": (2, 1), "shop": (1, 1)}
    assert answer.repositories == 2


def test_a_project_without_third_party_components_is_listed_with_zeros() -> None:
    empty, app = project("empty"), project("app")
    answer = answer_usage(inventory([empty, app], [component("x", "1", use(app.id))]))
    assert {s.key: s.counts.components for s in answer.by_project} == {empty.id: 0, app.id: 1}


def test_version_sprawl_lists_packages_with_several_concrete_versions() -> None:
    web, admin = project("web"), project("admin")
    parts = [
        component("lodash", "4.17.21", use(web.id)),
        component("lodash", "4.17.20", use(admin.id)),
        component("lodash", None, use(admin.id, path="admin/package.json")),
        component("react", "18.2.0", use(web.id), use(admin.id)),
    ]
    (sprawl,) = answer_usage(inventory([web, admin], parts)).version_sprawl
    assert (sprawl.name, sprawl.versions, sprawl.projects) == ("lodash", ("4.17.20", "4.17.21"), tuple(sorted([web.id, admin.id])))
