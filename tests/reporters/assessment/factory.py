"""Assessments built by hand, as the builders would give them.

The builders are not used: the renderers must work on any assessment, and this one
carries what a hostile organization could put in one (repository names are folder
names, paths are what a repository holds, a settings file may add checks with any
description): markup, `&`, table pipes, ANSI escapes, a bidi override, rich markup.
`assessment()` is realistic: two repositories (one ready to publish, one not), all six
answers, a maturity stage, built-in and custom checks, policy files and CI gates.
"""

from __future__ import annotations

from datetime import date

from ospo_scan.assessment.model import (
    QUESTION_TITLES,
    Answer,
    Assessment,
    Check,
    CheckResult,
    CheckSeverity,
    CheckStatus,
    CiGate,
    DeclaredLicense,
    Figure,
    MaturityStage,
    OwnLicense,
    PolicyFileFact,
    Question,
    ReadinessItem,
    RepositoryProfile,
    Table,
)

SCRIPT = "<script>window.__pwned = 'script'</script>"
ESC = "\x1b[31mred\x1b[0m"
RTL = "\u202e"
WEB = f"web{SCRIPT}|pipe"
"""The first repository: a script tag and a markdown table pipe."""
BILLING = f"billing-{ESC}-svc{RTL}gnp.exe [bold]rich[/] [/]"
"""The second: ANSI escapes, a right-to-left override and rich markup that would crash rich."""
REPOSITORIES = (WEB, BILLING)

LICENSE = Check(id="license", description="A license file", files=("LICENSE", "COPYING"), locations=(".",), severity=CheckSeverity.REQUIRED)
SECURITY = Check(id="security-policy", description="How to report a vulnerability", files=("SECURITY",), severity=CheckSeverity.REQUIRED)
CONTRIBUTING = Check(id="contributing", description="How to contribute", files=("CONTRIBUTING",))
NOTICE = Check(id="notice", description="A NOTICE file", files=("NOTICE",), locations=(".",), when_licenses=("Apache-2.0",))
README_LICENSE = Check(id="readme-license", description="The README names the license", files=("README",), contains="(?i)license", severity=CheckSeverity.OPTIONAL)
CUSTOM = Check(
    id="owners|<b>",
    description=f"Who owns it {SCRIPT}",
    files=("CODEOWNERS",),
    locations=(".github", "docs"),
    severity=CheckSeverity.RECOMMENDED,
    source="ospo-scan.toml",
)
"""A check added by a settings file, with a hostile id and description."""
CHECKS = (LICENSE, SECURITY, CONTRIBUTING, NOTICE, README_LICENSE, CUSTOM)

MATURITY = MaturityStage(
    stage=1,
    name="Engaged",
    evidence=("2 of 2 repositories have a license file", "1 repository has a policy file"),
    missing=("no repository runs ospo-scan in CI", "who approves a new dependency is not recorded"),
)


UNREAD = (f"web/package-lock.json: line 3: not JSON {SCRIPT}", f"billing/go.sum: not UTF-8 {RTL}")
"""Files the scan could not read (given out of order)."""


def assessment() -> Assessment:
    """Two repositories (given out of order), six answers, custom checks, hostile names."""
    return Assessment(
        source=f"/srv/repos ({SCRIPT})",
        assessed_on=date(2024, 5, 17),
        answers=tuple(reversed(ANSWERS)),
        profiles=(_billing(), _web()),
        checks=CHECKS,
        maturity=MATURITY,
        unread=UNREAD,
    )


def empty_assessment() -> Assessment:
    """Nothing assessed: no repository, no check, no answer table."""
    answers = tuple(Answer(question=q, title=QUESTION_TITLES[q], summary="No repository was assessed.", figures=(), facts=()) for q in Question)
    return Assessment(source="/empty", assessed_on=date(2024, 1, 2), answers=answers, profiles=(), checks=(), maturity=MaturityStage(stage=None, name="", evidence=(), missing=("no repository",)))


def _web() -> RepositoryProfile:
    own = OwnLicense(
        declared=(DeclaredLicense(expression="Apache-2.0", declared="Apache-2.0", manifest="package.json"),),
        file="LICENSE",
        file_expression="Apache-2.0",
        expression="Apache-2.0",
        agreement=True,
        osi_approved=True,
    )
    return RepositoryProfile(
        repository=WEB,
        own_license=own,
        checks=(
            CheckResult(check=CUSTOM, status=CheckStatus.FOUND, path=".github/CODEOWNERS"),
            CheckResult(check=LICENSE, status=CheckStatus.FOUND, path="LICENSE"),
            CheckResult(check=SECURITY, status=CheckStatus.FOUND, path=f"docs/SECURITY|{SCRIPT}.md"),
            CheckResult(check=CONTRIBUTING, status=CheckStatus.FOUND, path="CONTRIBUTING.md"),
            CheckResult(check=NOTICE, status=CheckStatus.FOUND, path="NOTICE"),
            CheckResult(check=README_LICENSE, status=CheckStatus.FOUND, path="README.md"),
        ),
        policy_files=(
            PolicyFileFact(path="ospo-scan.toml", rules=4, exceptions=2, expired_exceptions=1, next_expiry=date(2024, 9, 1)),
            PolicyFileFact(path=".fossa.yml", rules=0, exceptions=0, expired_exceptions=0, tool="fossa"),
        ),
        ci_gates=(CiGate(path=".github/workflows/scan.yml", tool="ospo-scan", line=12), CiGate(path=".github/dependabot.yml", tool="dependabot")),
    )


def _billing() -> RepositoryProfile:
    own = OwnLicense(
        declared=(DeclaredLicense(expression=None, declared="Proprietary | internal", manifest="pyproject.toml"),),
        problem="pyproject.toml names a license that is not SPDX; no license file",
    )
    return RepositoryProfile(
        repository=BILLING,
        own_license=own,
        checks=(
            CheckResult(check=LICENSE, status=CheckStatus.MISSING),
            CheckResult(check=SECURITY, status=CheckStatus.MISSING),
            CheckResult(check=CONTRIBUTING, status=CheckStatus.FOUND, path=f"docs/{ESC}CONTRIBUTING.md"),
            CheckResult(check=NOTICE, status=CheckStatus.NOT_APPLICABLE),
            CheckResult(check=README_LICENSE, status=CheckStatus.MISSING, path="README.md", detail="README.md does not match /(?i)license/"),
            CheckResult(check=CUSTOM, status=CheckStatus.MISSING),
        ),
        readiness=(
            ReadinessItem(id="security-policy", reason="no SECURITY file: reporters of a vulnerability do not know where to go", severity=CheckSeverity.REQUIRED),
            ReadinessItem(id="owners|<b>", reason=f"no CODEOWNERS {SCRIPT}", severity=CheckSeverity.RECOMMENDED),
            ReadinessItem(id="license", reason="no license file, and pyproject.toml names no SPDX license", severity=CheckSeverity.REQUIRED),
        ),
        policy_files=(PolicyFileFact(path="policy|broken.toml", rules=0, exceptions=0, expired_exceptions=0, error=f"policy|broken.toml: line 3: expected '=' {ESC}"),),
        errors=(f"setup.cfg: not UTF-8 {RTL}",),
    )


def _answer(question: Question, summary: str, figures: tuple[Figure, ...], facts: tuple[str, ...], table: Table | None = None, maturity: MaturityStage | None = None) -> Answer:
    return Answer(question=question, title=QUESTION_TITLES[question], summary=summary, figures=figures, facts=facts, table=table, maturity=maturity)


ANSWERS = (
    _answer(
        Question.USE,
        "312 open-source components across 2 repositories.",
        (Figure(label="components", value=312), Figure(label="direct", value=40), Figure(label="known license", value=97.4359)),
        ("npm holds 280 of the 312 components", f"{WEB} uses the most: 290", "8 components have no known license"),
        Table(columns=("repository", "components", "direct"), rows=((WEB, "290", "31"), (BILLING, "22", "9"))),
    ),
    _answer(
        Question.HOW,
        "Mostly as libraries at runtime; a tenth only in development.",
        (Figure(label="runtime", value=270), Figure(label="development only", value=42)),
        ("270 components ship at runtime", "42 are only used to build and test", "no component is vendored"),
    ),
    _answer(
        Question.CRITICAL,
        "react and lodash carry most of the runtime weight.",
        (Figure(label="ranked projects", value=25), Figure(label="top score", value=0.91)),
        ("react: runtime in 1 repository, 3 packages", "lodash: 2 versions in use", "pkg `a|b` <i>ranked</i> last"),
        Table(columns=("rank", "project", "score"), rows=(("1", "npm:react", "0.91"), ("2", "npm:lodash", "0.77"))),
    ),
    _answer(
        Question.CREATE,
        "1 of 2 repositories could be published today.",
        (Figure(label="repositories", value=2), Figure(label="ready to publish", value=1), Figure(label="licensed", value="1 of 2")),
        ("1 repository has no license file", "1 repository lacks a security policy", "CODEOWNERS is found in 1 of 2"),
        maturity=MaturityStage(stage=2, name="Contributing", evidence=("1 repository ready to publish",), missing=("no contribution statistics",)),
    ),
    _answer(
        Question.POLICIES,
        "One repository has a policy; one runs ospo-scan in CI.",
        (Figure(label="policy files", value=2), Figure(label="CI gates", value=2), Figure(label="expired exceptions", value=1)),
        ("1 policy file could not be read", "1 exception has expired", "dependabot runs in 1 repository"),
        maturity=MaturityStage(stage=None, name="the data cannot show who approves", evidence=(), missing=("an approval process",)),
    ),
    _answer(
        Question.RISKS,
        "8 components of unknown license and one unlicensed repository.",
        (Figure(label="unknown licenses", value=8), Figure(label="copyleft at runtime", value=0)),
        ("8 components have no known license", f"{BILLING} has no license file", "no copyleft license at runtime"),
        Table(columns=("risk", "where"), rows=(("no license file", BILLING), ("unknown license", "npm:left|pad"))),
    ),
)
"""In the order the questions are asked (the assessment gives them reversed)."""
