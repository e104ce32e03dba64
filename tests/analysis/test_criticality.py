"""Criticality: each signal, Pike's formula, ranking by upstream project, ties and the empty case."""

from __future__ import annotations

import math

import pytest

from ospo_scan.analysis.criticality import (
    DEFAULT_SIGNALS,
    CriticalitySettings,
    Signal,
    SignalSetting,
    answer_criticality,
    score,
)
from ospo_scan.model import Ecosystem, Lifecycle
from tests.analysis.builders import component, edge, inventory, project, use

ONLY_DEPENDENTS = CriticalitySettings(signals={Signal.DEPENDENTS: SignalSetting(weight=1, threshold=10)})


def test_score_is_pikes_formula() -> None:
    settings = {Signal.DIRECT_USES: SignalSetting(weight=1, threshold=10), Signal.DEPENDENTS: SignalSetting(weight=3, threshold=100)}
    signals = {Signal.DIRECT_USES: 4, Signal.DEPENDENTS: 250}
    expected = (1 * math.log(1 + 4) / math.log(1 + 10) + 3 * math.log(1 + 100) / math.log(1 + 100)) / (1 + 3)
    assert score(signals, settings) == pytest.approx(expected)


def test_a_signal_past_its_threshold_adds_nothing() -> None:
    settings = {Signal.VERSIONS: SignalSetting(weight=1, threshold=5)}
    assert score({Signal.VERSIONS: 5}, settings) == score({Signal.VERSIONS: 500}, settings) == pytest.approx(1.0)


def test_no_signal_scores_zero() -> None:
    assert score({}, DEFAULT_SIGNALS) == 0.0


def test_empty_inventory_has_no_score_and_says_so() -> None:
    answer = answer_criticality(inventory([project("app")], []))
    assert answer.ranked == ()
    assert answer.note is not None and "no third-party component" in answer.note


def test_all_weights_zero_has_no_score_and_says_so() -> None:
    app = project("app")
    settings = CriticalitySettings(signals={s: SignalSetting(weight=0, threshold=1) for s in Signal})
    answer = answer_criticality(inventory([app], [component("left-pad", "1.0.0", use(app.id))]), settings)
    assert answer.ranked == () and answer.note is not None and "weight" in answer.note


def test_first_party_components_are_not_ranked() -> None:
    app = project("app")
    answer = answer_criticality(inventory([app], [component("app-lib", "1.0.0", use(app.id), first_party=True)]))
    assert answer.ranked == ()


def test_one_project_reasons_use_singular_nouns() -> None:
    app = project("app")
    answer = answer_criticality(inventory([app], [component("left-pad", "1.0.0", use(app.id))]))
    (entry,) = answer.ranked
    assert entry.reasons[0] == "used at runtime by 1 of 1 project"
    assert "declared directly by 1 project" in entry.reasons
    assert entry.signals[Signal.RUNTIME_PROJECTS] == 1 and entry.signals[Signal.DIRECT_USES] == 1


def test_development_only_use_is_not_runtime() -> None:
    app = project("app")
    answer = answer_criticality(inventory([app], [component("eslint", "9.0.0", use(app.id, Lifecycle.DEVELOPMENT))]))
    (entry,) = answer.ranked
    assert entry.signals[Signal.RUNTIME_PROJECTS] == 0
    assert entry.reasons[0] == "not used at runtime"


def test_dependents_count_transitive_fan_in_in_our_graph() -> None:
    app = project("app")
    leaf = component("ms", "2.1.3", use(app.id, direct=False))
    middle = component("debug", "4.3.4", use(app.id, direct=False))
    top_a = component("express", "4.19.2", use(app.id))
    top_b = component("send", "0.18.0", use(app.id, direct=False))
    edges = [edge(app.id, app, top_a), edge(app.id, top_a, top_b), edge(app.id, top_a, middle), edge(app.id, top_b, middle), edge(app.id, middle, leaf)]
    answer = answer_criticality(inventory([app], [leaf, middle, top_a, top_b], edges), ONLY_DEPENDENTS)
    signals = {e.name: e.signals[Signal.DEPENDENTS] for e in answer.ranked}
    # ms <- debug <- (express, send <- express): three distinct dependents; the project root is not one.
    assert signals == {"ms": 3, "debug": 2, "send": 1, "express": 0}
    assert [e.name for e in answer.ranked] == ["ms", "debug", "send", "express"]
    assert "3 of our packages depend on it" in answer.ranked[0].reasons
    assert "1 of our packages depends on it" in answer.ranked[2].reasons


def test_dependency_cycles_do_not_loop_or_count_a_package_as_its_own_dependent() -> None:
    app = project("app")
    a = component("a", "1.0.0", use(app.id))
    b = component("b", "1.0.0", use(app.id, direct=False))
    answer = answer_criticality(inventory([app], [a, b], [edge(app.id, a, b), edge(app.id, b, a)]), ONLY_DEPENDENTS)
    assert {e.name: e.signals[Signal.DEPENDENTS] for e in answer.ranked} == {"a": 1, "b": 1}


def test_ties_share_a_rank_and_are_ordered_by_name() -> None:
    app = project("app")
    parts = [component(name, "1.0.0", use(app.id)) for name in ("zeta", "alpha", "mid")]
    hub = component("hub", "1.0.0", use(app.id, direct=False))
    edges = [edge(app.id, p, hub) for p in parts]
    answer = answer_criticality(inventory([app], [*parts, hub], edges))
    assert [(e.rank, e.name) for e in answer.ranked] == [(1, "hub"), (2, "alpha"), (2, "mid"), (2, "zeta")]


@pytest.mark.parametrize(
    ("ecosystem", "names", "upstream"),
    [
        (Ecosystem.MAVEN, ["com.fasterxml.jackson.core:jackson-core", "com.fasterxml.jackson.core:jackson-databind"], "com.fasterxml.jackson.core"),
        (Ecosystem.NPM, ["@babel/core", "@babel/parser"], "@babel"),
        (Ecosystem.GOLANG, ["golang.org/x/net", "golang.org/x/sys"], "golang.org/x"),
        (Ecosystem.GOLANG, ["github.com/prometheus/client_golang", "github.com/prometheus/common"], "github.com/prometheus"),
    ],
)
def test_packages_of_one_upstream_project_rank_together(ecosystem: Ecosystem, names: list[str], upstream: str) -> None:
    app = project("app", ecosystem)
    members = [component(name, "1.0.0", use(app.id), ecosystem=ecosystem) for name in names]
    (entry,) = answer_criticality(inventory([app], members)).ranked
    assert entry.name == upstream and entry.packages == tuple(sorted(names))


def test_unscoped_npm_packages_and_pypi_packages_are_their_own_projects() -> None:
    app = project("app")
    answer = answer_criticality(inventory([app], [component("react", "18.0.0", use(app.id)), component("react-dom", "18.0.0", use(app.id))]))
    assert sorted(e.name for e in answer.ranked) == ["react", "react-dom"]


def test_versions_is_the_most_versions_of_one_package() -> None:
    app, admin = project("app"), project("admin")
    members = [
        component("@babel/core", "7.1.0", use(app.id)),
        component("@babel/core", "7.2.0", use(admin.id)),
        component("@babel/parser", "7.2.0", use(app.id)),
    ]
    (entry,) = answer_criticality(inventory([app, admin], members)).ranked
    assert entry.signals[Signal.VERSIONS] == 2
    assert "up to 2 versions of one package in use" in entry.reasons


def test_repositories_are_counted_and_named_only_when_there_are_several() -> None:
    one, two, three = project("a", repository="repo-a"), project("b", repository="repo-b"), project("c", repository="repo-b")
    shared = component("lodash", "4.17.21", use(one.id), use(two.id), use(three.id, Lifecycle.TEST))
    answer = answer_criticality(inventory([one, two, three], [shared], repositories=["repo-a", "repo-b"]))
    (entry,) = answer.ranked
    assert entry.signals[Signal.RUNTIME_REPOSITORIES] == 2 and entry.signals[Signal.RUNTIME_PROJECTS] == 2
    assert entry.reasons[0] == "used at runtime by 2 of 3 projects in 2 of 2 repositories"


def test_scores_lie_between_zero_and_one_and_are_ranked_descending() -> None:
    app = project("app")
    parts = [component(f"p{i}", "1.0.0", use(app.id, direct=i % 2 == 0)) for i in range(6)]
    answer = answer_criticality(inventory([app], parts, [edge(app.id, parts[i], parts[i + 1]) for i in range(5)]))
    scores = [e.score for e in answer.ranked]
    assert all(0.0 <= s <= 1.0 for s in scores) and scores == sorted(scores, reverse=True)
