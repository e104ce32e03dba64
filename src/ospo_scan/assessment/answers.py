"""The six answers of an OSPO assessment, and the maturity stage they support.

The usage answers (use, how, critical) are read off the analysis; the create and
policies answers off the repository profiles; the risks answer joins the analysis's
gaps and the policy's violations. Each answer is a summary sentence, its figures,
three to five facts (most telling first; a topic with nothing in it is said once, as
a fact) and, where the data supports one, a maturity stage (maturity.py has the rules).
Nothing here reads a clock or a file: the same inputs give the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.analysis import Analysis
from ospo_scan.assessment.answers_create import answer_create, answer_policies
from ospo_scan.assessment.answers_risks import answer_risks
from ospo_scan.assessment.answers_use import answer_critical, answer_how, answer_use
from ospo_scan.assessment.maturity import Criteria, overall_stage
from ospo_scan.assessment.model import Answer, MaturityStage, RepositoryProfile
from ospo_scan.model import Inventory
from ospo_scan.policy.violation import Violation


def answer_questions(
    analysis: Analysis,
    inventory: Inventory,
    profiles: Sequence[RepositoryProfile],
    violations: Sequence[Violation] | None,
) -> tuple[tuple[Answer, ...], MaturityStage]:
    """The six answers in Question order, and the overall maturity stage.

    `violations` are the evaluated policy's (None: no policy was evaluated, which the
    policies and risks answers say)."""
    ordered = sorted(profiles, key=lambda p: p.repository)
    criteria = Criteria.of(ordered)
    answers = (
        answer_use(analysis, inventory),
        answer_how(analysis, inventory),
        answer_critical(analysis),
        answer_create(ordered, criteria),
        answer_policies(ordered, criteria, violations),
        answer_risks(analysis, inventory, violations),
    )
    return answers, overall_stage(criteria, analysis.usage.totals.components)
