"""The OSPO maturity stage rules, one test per rule, over hand-built profiles.

The inventory is a real scan of one small repository; the stage depends only on the
profiles, which each test builds to hold or break exactly one criterion.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ospo_scan.analysis import Analysis, analyze
from ospo_scan.assessment.answers import answer_questions
from ospo_scan.assessment.maturity import NOT_IN_REPOSITORIES, STAGE_NAMES, Criteria, publishable
from ospo_scan.assessment.model import CiGate, MaturityStage, OwnLicense, PolicyFileFact, Question, RepositoryProfile
from ospo_scan.model import Inventory
from ospo_scan.scan import ScanOptions, scan
from tests.assessment.test_answers import CONTRIBUTING, LICENSE, NOTICE, SECURITY, gate, licensed, policy, profile, results


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inventory, Analysis]:
    root = tmp_path_factory.mktemp("repository")
    (root / "requirements.txt").write_text("flask==3.0.0\nrequests==2.32.3\n", encoding="utf-8")
    inventory = scan([root], ScanOptions(licenses=None, user_defaults=False))
    return inventory, analyze(inventory)


def _stages(scanned: tuple[Inventory, Analysis], profiles: Sequence[RepositoryProfile]) -> tuple[MaturityStage, MaturityStage | None, MaturityStage | None]:
    """(overall, the policies answer's, the create answer's)."""
    inventory, analysis = scanned
    answers, overall = answer_questions(analysis, inventory, profiles, None)
    by_question = {a.question: a for a in answers}
    for question in (Question.USE, Question.HOW, Question.CRITICAL, Question.RISKS):
        assert by_question[question].maturity is None, question
    return overall, by_question[Question.POLICIES].maturity, by_question[Question.CREATE].maturity


def _publishable(name: str, policies: Sequence[PolicyFileFact] = (), gates: Sequence[CiGate] = ()) -> RepositoryProfile:
    """OSI-licensed, both required health files found (a recommended one missing)."""
    return profile(name, licensed(), checks=results([LICENSE, SECURITY], [CONTRIBUTING]), policies=policies, gates=gates)


def _governed(name: str) -> RepositoryProfile:
    return profile(name, licensed(), checks=results([LICENSE], [SECURITY]), policies=[policy()], gates=[gate()])


def test_stage_0_without_policy_files_or_ci_gates(scanned: tuple[Inventory, Analysis]) -> None:
    overall, policies, create = _stages(scanned, [profile("a"), profile("b"), profile("c")])
    assert (overall.stage, overall.name) == (0, STAGE_NAMES[0])
    assert overall.evidence == ("an inventory of 2 third-party components (this scan)",)
    assert overall.missing[:3] == (
        "a readable policy file in at least 2 of 3 repositories (found in 0)",
        "a CI definition that runs a scanner (ospo-scan or another), in any repository",
        "a repository with an OSI-approved license of its own and every required health file (stage 2)",
    )
    assert overall.missing[3:] == NOT_IN_REPOSITORIES
    assert policies is not None and policies.stage == 0
    assert create is not None and create.stage is None


def test_stage_0_with_policy_files_in_half_but_no_ci_gate(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [profile("a", policies=[policy()]), profile("b", policies=[policy()]), profile("c")]
    overall, policies, _ = _stages(scanned, profiles)
    assert overall.stage == 0
    assert "a CI definition that runs a scanner (ospo-scan or another), in any repository" in overall.missing
    assert policies is not None and policies.evidence == ("a readable policy file in 2 of 3 repositories (stage 1 needs 2)",)


def test_stage_0_with_a_ci_gate_but_policy_files_in_fewer_than_half(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [profile("a", policies=[policy()], gates=[gate()]), profile("b"), profile("c")]
    overall, _, _ = _stages(scanned, profiles)
    assert overall.stage == 0
    assert overall.missing[0] == "a readable policy file in at least 2 of 3 repositories (found in 1)"


def test_an_unreadable_policy_file_does_not_count(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [profile("a", policies=[policy()], gates=[gate()]), profile("b", policies=[policy(error=".ospo-scan.toml: broken")])]
    assert Criteria.of(profiles).with_policy == ("a",)
    overall, _, _ = _stages(scanned, profiles)
    assert overall.stage == 1  # 1 of 2 is half
    profiles = [profile("a", policies=[policy(error="broken")], gates=[gate()])]
    assert _stages(scanned, profiles)[0].stage == 0


@pytest.mark.parametrize(("repositories", "needed"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_half_the_repositories_rounded_up(repositories: int, needed: int) -> None:
    with_policy = [profile(f"r{i}", policies=[policy()], gates=[gate()]) for i in range(needed)]
    without = [profile(f"s{i}") for i in range(repositories - needed)]
    assert Criteria.of(with_policy + without).legal
    assert not Criteria.of(with_policy[1:] + without + [profile("extra", gates=[gate()])]).legal


def test_stage_1_with_policy_files_and_a_ci_gate(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [_governed("a"), profile("b", policies=[policy("deny.toml", tool="cargo-deny")], gates=[gate("trivy")]), profile("c")]
    overall, policies, create = _stages(scanned, profiles)
    assert (overall.stage, overall.name) == (1, "legal driven")
    assert overall.evidence == (
        "an inventory of 2 third-party components (this scan)",
        "a readable policy file in 2 of 3 repositories (stage 1 needs 2)",
        "a scanner in CI in 2 of 3 repositories: ospo-scan in 1 repository and trivy in 1 repository",
    )
    assert overall.missing == ("a repository with an OSI-approved license of its own and every required health file (stage 2)", *NOT_IN_REPOSITORIES)
    assert policies is not None and (policies.stage, policies.evidence) == (1, overall.evidence[1:])
    assert create is not None and create.stage is None


def test_stage_2_with_stage_1_and_a_publishable_repository(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [_governed("a"), _publishable("b", policies=[policy()]), profile("c")]
    overall, policies, create = _stages(scanned, profiles)
    assert (overall.stage, overall.name) == (2, "community driven")
    assert overall.evidence[-1] == "1 of 3 repositories publishable (OSI-approved license, every required health file): b"
    assert overall.missing == NOT_IN_REPOSITORIES
    assert policies is not None and policies.stage == 1
    assert create is not None and (create.stage, create.evidence) == (2, (overall.evidence[-1],))


def test_a_publishable_repository_without_stage_1_stays_at_stage_0(scanned: tuple[Inventory, Analysis]) -> None:
    overall, policies, create = _stages(scanned, [_publishable("a"), _publishable("b")])
    assert create is not None and create.stage == 2
    assert policies is not None and policies.stage == 0
    assert overall.stage == 0
    assert "stage 2 builds on stage 1: a publishable repository without a license policy and a CI gate stays at stage 0" in overall.evidence


@pytest.mark.parametrize(
    ("case", "candidate", "expected"),
    [
        ("osi-license-and-required-files", _publishable("x"), True),
        ("license-not-osi-approved", profile("x", licensed("LicenseRef-proprietary", osi=False), checks=results([LICENSE, SECURITY])), False),
        ("license-unknown", profile("x", OwnLicense(file="LICENSE"), checks=results([LICENSE, SECURITY])), False),
        ("a-required-file-missing", profile("x", licensed(), checks=results([LICENSE], [SECURITY])), False),
        ("recommended-and-optional-missing-do-not-matter", profile("x", licensed(), checks=results([LICENSE, SECURITY], [CONTRIBUTING, NOTICE])), True),
        ("no-check-run", profile("x", licensed()), False),
    ],
)
def test_what_makes_a_repository_publishable(case: str, candidate: RepositoryProfile, expected: bool) -> None:
    assert publishable(candidate) is expected, case


def test_stages_3_and_4_are_never_claimed(scanned: tuple[Inventory, Analysis]) -> None:
    everything = [_publishable(name, policies=[policy()], gates=[gate(), gate("trivy")]) for name in ("a", "b", "c")]
    overall, policies, create = _stages(scanned, everything)
    assert overall.stage == 2
    assert policies is not None and policies.stage == 1
    assert create is not None and create.stage == 2
    for stage in (overall, policies, create):
        assert any("stage 3, engagement driven" in item for item in stage.missing)
        assert any("stage 4, leadership driven" in item for item in stage.missing)
        assert any("upstream contributions" in item for item in stage.missing)


def test_no_profile_places_no_stage(scanned: tuple[Inventory, Analysis]) -> None:
    overall, policies, create = _stages(scanned, [])
    assert overall.stage is None and overall.evidence == ()
    assert overall.missing[0] == "repository profiles: policy files, CI gates, licenses, health files"
    assert policies is None and create is None


def test_the_stage_does_not_depend_on_the_order_of_profiles(scanned: tuple[Inventory, Analysis]) -> None:
    profiles = [_governed("c"), _publishable("a", policies=[policy()]), profile("b", gates=[gate("syft")])]
    assert _stages(scanned, profiles) == _stages(scanned, list(reversed(profiles)))


def test_every_stage_of_the_model_is_named() -> None:
    assert STAGE_NAMES == ("ad hoc adoption", "legal driven", "community driven", "engagement driven", "leadership driven")
