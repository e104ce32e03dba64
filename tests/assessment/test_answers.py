"""The six answers of an assessment, over real scans and hand-built profiles.

The inventories come from the scanner run on small repositories written in tmp_path
and on examples/polyglot-shop; expected numbers are read from `analyze(...)` and from
the profiles the test builds, never from the code under test.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from ospo_scan.analysis import Analysis, analyze
from ospo_scan.analysis.gaps import GAP_KINDS, Gap, GapSeverity
from ospo_scan.assessment.answers import answer_questions
from ospo_scan.assessment.model import (
    QUESTION_TITLES,
    Answer,
    Check,
    CheckResult,
    CheckSeverity,
    CheckStatus,
    CiGate,
    OwnLicense,
    PolicyFileFact,
    Question,
    ReadinessItem,
    RepositoryProfile,
)
from ospo_scan.model import Inventory, Location
from ospo_scan.policy.model import RuleKind, RuleSeverity
from ospo_scan.policy.violation import Violation
from ospo_scan.scan import ScanOptions, scan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "polyglot-shop"
OPTIONS = ScanOptions(user_defaults=False)

LICENSE = Check(id="license", description="a license file", files=("LICENSE",), severity=CheckSeverity.REQUIRED)
SECURITY = Check(id="security-policy", description="how to report a vulnerability", files=("SECURITY",), severity=CheckSeverity.REQUIRED)
CONTRIBUTING = Check(id="contributing", description="how to contribute", files=("CONTRIBUTING",))
NOTICE = Check(id="notice", description="a NOTICE file", files=("NOTICE",), when_licenses=("Apache-2.0",), severity=CheckSeverity.OPTIONAL)


# Builders (test_maturity.py uses them too) -------------------------------------------


def results(found: Sequence[Check] = (), missing: Sequence[Check] = (), not_applicable: Sequence[Check] = ()) -> tuple[CheckResult, ...]:
    """Check results: the found ones with a file, the missing, the ones that do not apply."""
    return (
        *(CheckResult(check=c, status=CheckStatus.FOUND, path=c.files[0]) for c in found),
        *(CheckResult(check=c, status=CheckStatus.MISSING) for c in missing),
        *(CheckResult(check=c, status=CheckStatus.NOT_APPLICABLE) for c in not_applicable),
    )


def licensed(expression: str = "MIT", osi: bool = True) -> OwnLicense:
    return OwnLicense(file="LICENSE", file_expression=expression, expression=expression, osi_approved=osi)


def policy(path: str = ".ospo-scan.toml", *, rules: int = 2, exceptions: int = 0, expired: int = 0, next_expiry: date | None = None,
           tool: str = "ospo-scan", error: str | None = None) -> PolicyFileFact:
    return PolicyFileFact(path=path, rules=rules, exceptions=exceptions, expired_exceptions=expired, next_expiry=next_expiry, tool=tool, error=error)


def gate(tool: str = "ospo-scan", path: str = ".github/workflows/ci.yml") -> CiGate:
    return CiGate(path=path, tool=tool, line=12)


def profile(name: str, own: OwnLicense | None = None, *, checks: tuple[CheckResult, ...] = (), readiness: Sequence[ReadinessItem] = (),
            policies: Sequence[PolicyFileFact] = (), gates: Sequence[CiGate] = (), errors: Sequence[str] = ()) -> RepositoryProfile:
    return RepositoryProfile(repository=name, own_license=own or OwnLicense(), checks=checks, readiness=tuple(readiness),
                             policy_files=tuple(policies), ci_gates=tuple(gates), errors=tuple(errors))


def blocking(item: str) -> ReadinessItem:
    return ReadinessItem(id=item, reason=f"no {item}", severity=CheckSeverity.REQUIRED)


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def three_repositories(tmp_path: Path) -> tuple[Inventory, Analysis]:
    """An npm service and two Python ones; redis in two versions, one unpinned requirement."""
    _write(tmp_path, "api/package.json", '{"name": "api", "version": "1.0.0", "license": "MIT",\n'
           ' "dependencies": {"left-pad": "1.3.0", "express": "4.18.2"},\n "devDependencies": {"jest": "29.0.0"}}\n')
    _write(tmp_path, "worker/requirements.txt", "flask==3.0.0\nrequests>=2\nredis==5.2.0\n")
    _write(tmp_path, "web/requirements.txt", "redis==5.2.1\nflask==3.0.0\n")
    inventory = scan([tmp_path / "api", tmp_path / "worker", tmp_path / "web"], OPTIONS)
    return inventory, analyze(inventory)


@pytest.fixture(scope="module")
def example() -> tuple[Inventory, Analysis]:
    inventory = scan([EXAMPLE], OPTIONS)
    return inventory, analyze(inventory)


def _answers(inventory: Inventory, analysis: Analysis, profiles: Sequence[RepositoryProfile] = (),
             violations: Sequence[Violation] | None = None) -> dict[Question, Answer]:
    answers, _ = answer_questions(analysis, inventory, profiles, violations)
    return {a.question: a for a in answers}


def _figures(answer: Answer) -> dict[str, int | float | str]:
    return {f.label: f.value for f in answer.figures}


def _names(inventory: Inventory) -> list[str]:
    return [r.id for r in inventory.repositories]


# Every answer ------------------------------------------------------------------------


def test_six_answers_in_question_order_with_their_titles(example: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = example
    answers, _ = answer_questions(analysis, inventory, [profile("polyglot-shop", licensed())], None)
    assert [a.question for a in answers] == list(Question)
    assert [a.title for a in answers] == [QUESTION_TITLES[q] for q in Question]
    assert all(a.summary.endswith(".") for a in answers)


@pytest.mark.parametrize("case", ["example", "three-repositories", "no-component"])
def test_every_answer_has_three_to_five_facts(case: str, example: tuple[Inventory, Analysis], three_repositories: tuple[Inventory, Analysis],
                                              tmp_path: Path) -> None:
    if case == "no-component":
        _write(tmp_path, "empty/requirements.txt", "# nothing yet\n")
        inventory = scan([tmp_path / "empty"], OPTIONS)
        analysis = analyze(inventory)
    else:
        inventory, analysis = example if case == "example" else three_repositories
    profiles = [profile(name, licensed(), checks=results([LICENSE])) for name in _names(inventory)]
    for answer in _answers(inventory, analysis, profiles).values():
        assert 3 <= len(answer.facts) <= 5, (answer.question, answer.facts)
        assert all(fact.endswith(".") for fact in answer.facts), answer.facts


def test_answers_are_the_same_whatever_the_order_of_profiles(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    profiles = [
        profile(name, licensed(), checks=results([LICENSE], [SECURITY]), policies=[policy(next_expiry=date(2027, 1, i + 1))], gates=[gate()])
        for i, name in enumerate(_names(inventory))
    ]
    first = answer_questions(analysis, inventory, profiles, None)
    assert answer_questions(analysis, inventory, list(reversed(profiles)), None) == first
    assert answer_questions(analyze(inventory), inventory, profiles, None) == first


# USE and HOW -------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["example", "three-repositories"])
def test_use_figures_and_rows_are_the_usage_totals(case: str, example: tuple[Inventory, Analysis], three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = example if case == "example" else three_repositories
    totals = analysis.usage.totals
    use = _answers(inventory, analysis)[Question.USE]
    figures = _figures(use)
    assert (figures["components"], figures["direct"], figures["transitive"]) == (totals.components, totals.direct, totals.transitive)
    assert figures["ecosystems"] == len(analysis.usage.by_ecosystem)
    assert figures["repositories"] == analysis.usage.repositories
    assert str(totals.components) in use.summary
    assert use.table is not None and use.table.columns == ("repository", "components", "direct", "transitive")
    shown = {".": EXAMPLE.name}  # a single scanned folder is named after itself, as its profile is
    assert use.table.rows == tuple(
        (shown.get(s.key, s.key), str(s.counts.components), str(s.counts.direct), str(s.counts.transitive)) for s in analysis.usage.by_repository
    )


def test_use_says_where_most_components_are(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    by_repository = sorted(((s.counts.components, s.key) for s in analysis.usage.by_repository), key=lambda p: (-p[0], p[1]))
    use = _answers(inventory, analysis)[Question.USE]
    assert any(f"the most components: {by_repository[0][1]} ({by_repository[0][0]})" in fact for fact in use.facts)


def test_how_splits_runtime_and_development_and_names_the_sprawl(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    totals = analysis.usage.totals
    how = _answers(inventory, analysis)[Question.HOW]
    figures = _figures(how)
    assert (figures["runtime"], figures["development only"]) == (totals.runtime, totals.development_only)
    assert totals.development_only == 1  # jest
    assert figures["packages in several versions"] == len(analysis.usage.version_sprawl) == 1
    assert any("redis (pypi, 2 versions: 5.2.0 and 5.2.1)" in fact for fact in how.facts)
    assert how.table is not None
    assert [row[0] for row in how.table.rows] == [s.key for s in analysis.usage.by_ecosystem]


def test_nothing_found_when_no_component(tmp_path: Path) -> None:
    _write(tmp_path, "requirements.txt", "# nothing yet\n")
    inventory = scan([tmp_path], OPTIONS)
    answers = _answers(inventory, analyze(inventory))
    assert answers[Question.USE].facts[0] == "No third-party open source component was found in 1 repository."
    assert "No package is in use in more than one version." in answers[Question.HOW].facts
    assert answers[Question.CRITICAL].facts[0].startswith("No upstream project could be ranked: no third-party component was found")
    assert answers[Question.CRITICAL].table is None
    assert answers[Question.RISKS].facts[0] == "No gap was found; no policy was evaluated."


# CRITICAL ----------------------------------------------------------------------------


def test_critical_table_is_the_top_ten_of_the_ranking_with_reasons(example: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = example
    critical = _answers(inventory, analysis)[Question.CRITICAL]
    ranked = analysis.critical.ranked
    assert len(ranked) > 10
    assert critical.table is not None and critical.table.columns == ("rank", "project", "ecosystem", "score", "reasons")
    assert [(r[0], r[1], r[2], r[4]) for r in critical.table.rows] == [(str(p.rank), p.name, p.ecosystem, "; ".join(p.reasons)) for p in ranked[:10]]
    assert _figures(critical)["upstream projects"] == len(ranked)
    assert ranked[0].name in critical.summary and ranked[0].reasons[0] in critical.summary
    assert critical.facts[0].startswith(f"{ranked[0].name} ({ranked[0].ecosystem}) ranks first")


# CREATE ------------------------------------------------------------------------------


def _create_profiles() -> list[RepositoryProfile]:
    """api: MIT, every health file; worker: no license at all; web: Apache-2.0 declared as MIT, NOTICE missing."""
    disagreeing = OwnLicense(file="LICENSE", file_expression="Apache-2.0", expression="Apache-2.0", agreement=False, osi_approved=True,
                             problem="package.json says MIT, LICENSE is Apache-2.0")
    return [
        profile("api", licensed(), checks=results([LICENSE, SECURITY, CONTRIBUTING], not_applicable=[NOTICE])),
        profile("worker", checks=results([CONTRIBUTING], [LICENSE, SECURITY], not_applicable=[NOTICE]),
                readiness=[blocking("license"), blocking("security-policy")], errors=["worker/SECURITY.md: permission denied"]),
        profile("web", disagreeing, checks=results([LICENSE], [SECURITY, CONTRIBUTING, NOTICE]),
                readiness=[blocking("security-policy"), ReadinessItem(id="contributing", reason="no CONTRIBUTING", severity=CheckSeverity.RECOMMENDED)]),
    ]


def test_create_counts_licenses_coverage_and_readiness_from_the_profiles(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    profiles = _create_profiles()
    create = _answers(inventory, analysis, profiles)[Question.CREATE]
    figures = _figures(create)
    osi = sum(1 for p in profiles if p.own_license.osi_approved)
    assert (figures["repositories"], figures["OSI-approved license"], figures["no license"], figures["license disagreements"]) == (3, osi, 1, 1)
    for check in (LICENSE, SECURITY, CONTRIBUTING, NOTICE):
        found = sum(1 for p in profiles for r in p.checks if r.check.id == check.id and r.status is CheckStatus.FOUND)
        assert figures[f"{check.id} found"] == found
    assert figures["ready to publish"] == 1  # web's contributing item is recommended, not blocking
    assert create.summary == "2 of 3 repositories have an OSI-approved license of its own; 1 of 3 has nothing blocking publication."
    assert create.facts[0] == "2 of 3 repositories have an OSI-approved license of its own; 1 has none (no license file, no declaration): worker."
    assert create.facts[1] == "In 1 repository the license file and the manifests' declarations disagree: web (package.json says MIT, LICENSE is Apache-2.0)."
    # NOTICE applies only to web (Apache-2.0): 0 of 1, not 0 of 3.
    assert create.facts[2] == ("Health files across the 3 repositories, found where each applies: license in 2 of 3 (required), "
                               "security-policy in 1 of 3 (required), contributing in 2 of 3, notice in 0 of 1.")
    assert create.facts[3] == "1 of 3 repositories has nothing blocking publication; the most common blocking items: security-policy (2) and license (1)."
    assert create.facts[4] == "1 file could not be read while profiling: worker/SECURITY.md: permission denied."
    assert create.table is not None
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in create.table.rows] == [
        ("api", "MIT", "yes", "3 of 3", "none"),
        ("web", "Apache-2.0", "yes", "1 of 4", "security-policy"),
        ("worker", "none", "-", "1 of 3", "license, security-policy"),
    ]


def test_create_and_policies_without_any_profile_say_so_once(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    answers = _answers(inventory, analysis, [])
    assert answers[Question.CREATE].facts == ("No repository was profiled: what the organization creates is not known.",)
    assert answers[Question.POLICIES].facts[0] == "No repository was profiled: policy files and CI gates are not known."
    assert answers[Question.CREATE].maturity is None and answers[Question.POLICIES].maturity is None


# POLICIES ----------------------------------------------------------------------------


def test_policies_count_rules_exceptions_expired_and_the_next_expiry(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    profiles = [
        profile("api", policies=[policy(rules=3, exceptions=4, expired=2, next_expiry=date(2026, 9, 1))], gates=[gate(), gate("trivy", ".gitlab-ci.yml")]),
        profile("web", policies=[policy(rules=1, exceptions=1, expired=1, next_expiry=date(2026, 5, 2)), policy("deny.toml", rules=0, tool="cargo-deny")],
                gates=[gate()]),
        profile("worker", policies=[policy(rules=0, error=".ospo-scan.toml: line 3: expected a table")]),
    ]
    policies = _answers(inventory, analysis, profiles)[Question.POLICIES]
    figures = _figures(policies)
    assert (figures["with a policy file"], figures["policy files"], figures["ospo-scan policy files"], figures["other tools' policy files"]) == (3, 4, 3, 1)
    assert (figures["rules"], figures["exceptions"], figures["expired exceptions"], figures["next expiry"]) == (4, 5, 3, "2026-05-02")
    assert (figures["with a CI gate"], figures["CI gate: ospo-scan"], figures["CI gate: trivy"]) == (2, 2, 1)
    assert policies.facts == (
        "3 of 3 repositories have a policy file (4 files: 3 ospo-scan's, 1 other tools': cargo-deny).",
        "ospo-scan's policy files hold 4 rules and 5 exceptions; 3 have expired and silence nothing; the next expires on 2026-05-02.",
        "1 policy file could not be read: worker: .ospo-scan.toml (.ospo-scan.toml: line 3: expected a table).",
        "2 of 3 repositories run a scanner in CI: ospo-scan in 2 repositories and trivy in 1 repository.",
        "No policy was evaluated with this assessment: its violations are not among the risks.",
    )
    assert policies.table is not None
    assert policies.table.rows[0] == ("api", ".ospo-scan.toml", "3", "4", "2", "2026-09-01", "ospo-scan, trivy")


def test_policies_nothing_found(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    policies = _answers(inventory, analysis, [profile(name) for name in ("a", "b", "c")], violations=())[Question.POLICIES]
    assert policies.facts == (
        "No policy file was found in any of the 3 repositories.",
        "No CI definition in the 3 repositories runs a scanner (ospo-scan or another).",
        "The evaluated policy reports 0 violations, 0 failing the gate (see the risks).",
    )
    assert _figures(policies)["next expiry"] == "none"


# RISKS -------------------------------------------------------------------------------


def _violation(rule: str, severity: RuleSeverity, project: str, path: str) -> Violation:
    return Violation(rule=rule, kind=RuleKind.DENY_CATEGORIES, severity=severity, message=f"broken {rule} in {project}", project=project,
                     location=Location(path=path, line=1))


def test_risks_worst_first_by_severity_then_count(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    projects = {p.repository: p.id for p in inventory.projects}
    api, worker = (r.id for r in inventory.repositories[:2])
    violations = [
        _violation("no-gpl", RuleSeverity.ERROR, projects[api], f"{api}/package.json"),
        _violation("review-weak", RuleSeverity.REVIEW, projects[worker], f"{worker}/requirements.txt"),
        _violation("review-weak", RuleSeverity.REVIEW, projects[api], f"{api}/package.json"),
    ]
    risks = _answers(inventory, analysis, violations=violations)[Question.RISKS]
    assert risks.table is not None
    rows = risks.table.rows
    order = {s.value: s.order for s in GapSeverity}
    keys = [(order[r[0]], -int(r[2])) for r in rows]
    assert keys == sorted(keys)
    assert rows[0][:3] == ("high", "policy rule no-gpl (deny-categories)", "1")
    gaps = analysis.gaps.by_code
    unknown = dict(gaps)["unknown-license"]
    assert ("medium", GAP_KINDS["unknown-license"].title, str(unknown)) in [r[:3] for r in rows]
    assert ("low", "policy rule review-weak (deny-categories)", "2") in [r[:3] for r in rows]
    assert next(r for r in rows if r[1].startswith("policy rule review-weak"))[3] == f"{api} (1) and {worker} (1)"
    figures = _figures(risks)
    assert (figures["risks"], figures["gaps"], figures["policy violations"], figures["failing the gate"]) == (len(analysis.gaps.gaps) + 3, len(analysis.gaps.gaps), 3, 1)
    assert risks.facts[0].startswith("The worst: policy rule no-gpl (deny-categories), high, 1 time in ")
    assert risks.facts[-1] == "The evaluated policy reports 3 violations; 1 fails the gate."


def test_risks_table_shows_the_worst_ten(three_repositories: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = three_repositories
    project = inventory.projects[0]
    violations = [_violation(f"rule-{i:02}", RuleSeverity.WARNING, project.id, f"{project.repository}/x") for i in range(12)]
    risks = _answers(inventory, analysis, violations=violations)[Question.RISKS]
    assert risks.table is not None and len(risks.table.rows) == 10
    kinds = len(analysis.gaps.by_code) + 12  # each gap code here has one severity
    assert f"{kinds} kinds of risk" in risks.facts[1]


def test_risks_of_a_single_repository_say_the_first_place(example: tuple[Inventory, Analysis]) -> None:
    inventory, analysis = example
    risks = _answers(inventory, analysis)[Question.RISKS]
    groups: dict[tuple[str, GapSeverity], list[Gap]] = {}
    for gap in analysis.gaps.gaps:
        groups.setdefault((gap.code, gap.severity), []).append(gap)
    (code, severity), members = min(groups.items(), key=lambda g: (g[0][1].order, -len(g[1]), GAP_KINDS[g[0][0]].title))
    first = min((g.location for g in members if g.location), key=lambda loc: (loc.path, loc.line or 0))
    place = f"{first.path}:{first.line}" if first.line else first.path
    assert risks.table is not None
    assert risks.table.rows[0][:4] == (severity.value, GAP_KINDS[code].title, str(len(members)), place)
    assert risks.facts[-1] == "No policy was evaluated: these are gaps, judged without a policy."
