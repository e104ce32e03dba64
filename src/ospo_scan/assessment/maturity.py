"""The OSPO maturity stage, as far as an organization's repositories can show it.

The TODO Group's OSPO maturity model has five stages: 0 ad hoc adoption (open source is
used, nobody governs it); 1 legal driven (compliance and security: an inventory, a
license policy, scanning in CI); 2 community driven (the organization releases and
maintains projects of its own, with their health files); 3 engagement driven
(contributing upstream, taking part in communities and foundations); 4 leadership
driven (open source in the organization's strategy). Repositories show part of this;
these rules say which part, and every number they use is in the stage's `evidence`:

- **Stage 1** needs both (a) a readable policy file (ospo-scan's or another tool's) in
  at least half of the profiled repositories, rounded up (2 of 3, 2 of 4), and (b) a CI
  definition that runs a scanner (ospo-scan or another) in at least one repository.
  The inventory stage 1 also asks for is this scan; it is not a criterion.
- **Stage 2** needs stage 1 and at least one *publishable* repository: its own license
  is OSI-approved, and every required check (a health file whose absence blocks
  publication, such as SECURITY) is found or does not apply, with at least one found.
- **Stages 3 and 4** are never claimed: contributions made in other projects'
  repositories, an OSPO charter, funding and membership in foundations, strategy set
  by leadership are not in the organization's repositories. `missing` says so.
- **Stage 0** otherwise, when at least one repository was profiled; with none, the
  data places no stage (`stage` None).

The policies answer carries the stage its criteria reach (1 when (a) and (b) hold,
else 0). The create answer carries stage 2 when a repository is publishable, and no
stage otherwise: what an organization creates cannot tell ad hoc adoption from legal
driven. The overall stage is the lowest stage the two support where both place one,
read cumulatively, since each stage includes the ones below: the policies answer's
stage, raised to 2 only when it is 1 and the create answer supports 2. A publishable
repository over no license policy is still stage 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ospo_scan.analysis.wording import count, listing
from ospo_scan.assessment.model import CheckSeverity, CheckStatus, MaturityStage, RepositoryProfile

STAGE_NAMES = ("ad hoc adoption", "legal driven", "community driven", "engagement driven", "leadership driven")
"""The model's stage names, by stage number."""

HIGHEST_CLAIMED = 2
"""Stages above this rest on what repositories cannot show."""

NOT_IN_REPOSITORIES = (
    "upstream contributions by the organization's people (they are in other projects' repositories)",
    "an OSPO charter, its mandate and its staff",
    "funding of upstream projects and foundations",
    "membership and roles in communities and foundations (stage 3, engagement driven)",
    "open source in the organization's strategy, set by its leadership (stage 4, leadership driven)",
)
"""What stages 3 and 4 rest on, and no repository shows: every stage's `missing` ends with it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Criteria:
    """What the stage rules count, over the profiled repositories."""

    repositories: int
    with_policy: tuple[str, ...]
    """Repositories with a readable policy file."""
    gate_tools: tuple[tuple[str, int], ...]
    """(scanner, repositories running it in CI), most repositories first."""
    with_gate: int
    publishable: tuple[str, ...]
    """Repositories with an OSI-approved license and every required check found or not applicable."""

    @classmethod
    def of(cls, profiles: Sequence[RepositoryProfile]) -> Criteria:
        tools = Counter(tool for p in profiles for tool in sorted({g.tool for g in p.ci_gates}))
        return cls(
            repositories=len(profiles),
            with_policy=tuple(sorted(p.repository for p in profiles if any(f.error is None for f in p.policy_files))),
            gate_tools=tuple(sorted(tools.items(), key=lambda pair: (-pair[1], pair[0]))),
            with_gate=sum(1 for p in profiles if p.ci_gates),
            publishable=tuple(sorted(p.repository for p in profiles if publishable(p))),
        )

    @property
    def policy_needed(self) -> int:
        """Half the repositories, rounded up."""
        return (self.repositories + 1) // 2

    @property
    def legal(self) -> bool:
        return self.repositories > 0 and len(self.with_policy) >= self.policy_needed and self.with_gate > 0

    @property
    def community(self) -> bool:
        return bool(self.publishable)


def publishable(profile: RepositoryProfile) -> bool:
    """OSI-approved own license, every required check found or not applicable, one found."""
    required = [r for r in profile.checks if r.check.severity is CheckSeverity.REQUIRED]
    return (
        profile.own_license.osi_approved is True
        and all(r.status is not CheckStatus.MISSING for r in required)
        and any(r.status is CheckStatus.FOUND for r in required)
    )


def policies_stage(criteria: Criteria) -> MaturityStage | None:
    """Stage 1 when the policy files and a CI gate are there, else 0 (None: no repository)."""
    if not criteria.repositories:
        return None
    stage = 1 if criteria.legal else 0
    missing = () if criteria.legal else _legal_missing(criteria)
    return _stage(stage, _legal_evidence(criteria), missing + ("a legal review behind the policy (only its files are visible)",))


def create_stage(criteria: Criteria) -> MaturityStage | None:
    """Stage 2 when a repository is publishable; no stage otherwise (None: no repository)."""
    if not criteria.repositories:
        return None
    if criteria.community:
        return _stage(2, (_community_evidence(criteria),), ())
    return MaturityStage(stage=None, name="no repository is publishable", evidence=(), missing=(_community_missing(),) + NOT_IN_REPOSITORIES)


def overall_stage(criteria: Criteria, components: int) -> MaturityStage:
    """The stage whose criteria hold with every lower stage's (module docstring)."""
    if not criteria.repositories:
        return MaturityStage(stage=None, name="no repository was profiled", evidence=(), missing=("repository profiles: policy files, CI gates, licenses, health files",) + NOT_IN_REPOSITORIES)
    evidence = [f"an inventory of {count(components, 'third-party component')} (this scan)"]
    missing: list[str] = []
    if criteria.legal:
        evidence.extend(_legal_evidence(criteria))
    else:
        missing.extend(_legal_missing(criteria))
    if criteria.community:
        evidence.append(_community_evidence(criteria))
        if not criteria.legal:
            evidence.append("stage 2 builds on stage 1: a publishable repository without a license policy and a CI gate stays at stage 0")
    else:
        missing.append(_community_missing())
    stage = (2 if criteria.community else 1) if criteria.legal else 0
    return _stage(stage, tuple(evidence), tuple(missing))


def _stage(stage: int, evidence: tuple[str, ...], missing: tuple[str, ...]) -> MaturityStage:
    return MaturityStage(stage=stage, name=STAGE_NAMES[stage], evidence=evidence, missing=missing + NOT_IN_REPOSITORIES)


def _legal_evidence(criteria: Criteria) -> tuple[str, ...]:
    found = []
    if criteria.with_policy:
        found.append(f"a readable policy file in {len(criteria.with_policy)} of {count(criteria.repositories, 'repository')} (stage 1 needs {criteria.policy_needed})")
    if criteria.gate_tools:
        tools = listing([f"{tool} in {count(n, 'repository')}" for tool, n in criteria.gate_tools], limit=5)
        found.append(f"a scanner in CI in {criteria.with_gate} of {count(criteria.repositories, 'repository')}: {tools}")
    return tuple(found)


def _legal_missing(criteria: Criteria) -> tuple[str, ...]:
    found = []
    if len(criteria.with_policy) < criteria.policy_needed:
        found.append(f"a readable policy file in at least {criteria.policy_needed} of {count(criteria.repositories, 'repository')} (found in {len(criteria.with_policy)})")
    if not criteria.with_gate:
        found.append("a CI definition that runs a scanner (ospo-scan or another), in any repository")
    return tuple(found)


def _community_evidence(criteria: Criteria) -> str:
    names = listing(list(criteria.publishable), limit=3)
    return f"{len(criteria.publishable)} of {count(criteria.repositories, 'repository')} publishable (OSI-approved license, every required health file): {names}"


def _community_missing() -> str:
    return "a repository with an OSI-approved license of its own and every required health file (stage 2)"
