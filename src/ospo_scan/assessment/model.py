"""What an assessment is made of: per-repository facts about what the organization
creates and how it governs open source, and the six answers built from them.

Everything here is a frozen value so that every renderer (table, markdown, html, json)
shows the same numbers; the builders live beside this module, the renderers in
`reporters/assessment/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class CheckSeverity(str, Enum):
    """How much a failed check matters for publishing the repository."""

    REQUIRED = "required"
    """Missing it blocks publication (no license, no security policy)."""
    RECOMMENDED = "recommended"
    """Expected of a healthy project (CONTRIBUTING, a changelog)."""
    OPTIONAL = "optional"
    """Nice to have; reported, never a readiness item."""


class CheckStatus(str, Enum):
    """The outcome of one check in one repository."""

    FOUND = "found"
    MISSING = "missing"
    NOT_APPLICABLE = "not-applicable"
    """The check's condition does not hold (NOTICE when the license is not Apache-2.0)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One check, as data: the built-in table and the policy file's own use the same shape."""

    id: str
    description: str
    files: tuple[str, ...]
    """File names that satisfy it (case-insensitive, with or without .md/.rst/.txt)."""
    locations: tuple[str, ...] = (".", "docs", ".github")
    """Folders, relative to the repository root, where the files are looked for."""
    contains: str | None = None
    """A regular expression the found file must match (`README mentions the license`)."""
    when_licenses: tuple[str, ...] = ()
    """Applies only when the repository's own license is one of these SPDX ids; empty: always."""
    severity: CheckSeverity = CheckSeverity.RECOMMENDED
    source: str = "built-in"
    """`built-in`, or the settings file that added it."""

    @property
    def detection(self) -> str:
        """How the check is detected, in words (the `how` column of the checks table)."""
        where = ", ".join(self.locations)
        text = f"one of {', '.join(self.files)} in {where}"
        if self.contains:
            text += f", containing /{self.contains}/"
        if self.when_licenses:
            text += f"; only when the license is {' or '.join(self.when_licenses)}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    """One check in one repository."""

    check: Check
    status: CheckStatus
    path: str | None = None
    """The file found, relative to the repository root (posix separators)."""
    detail: str | None = None
    """Why it is missing when a file exists (`README.md does not match /license/`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredLicense:
    """A license the repository declares for itself in one of its manifests."""

    expression: str | None
    """The SPDX expression (None: the manifest names a license that is not SPDX)."""
    declared: str
    """As written."""
    manifest: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OwnLicense:
    """The repository's own license: what it declares, what its license file says."""

    declared: tuple[DeclaredLicense, ...] = ()
    file: str | None = None
    """The LICENSE/COPYING file, relative to the root (None: there is none)."""
    file_expression: str | None = None
    """What the file's text was identified as (None: not recognized or no file)."""
    expression: str | None = None
    """The repository's license: the file's if identified, else the declared one."""
    agreement: bool | None = None
    """Declared and file agree; None when one of them is absent."""
    osi_approved: bool | None = None
    """Every license of `expression` is OSI-approved; None when there is no license."""
    problem: str | None = None
    """What is wrong, in words (`no license file`, `package.json says MIT, LICENSE is Apache-2.0`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadinessItem:
    """One thing missing before the repository could be published as open source."""

    id: str
    reason: str
    severity: CheckSeverity


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyFileFact:
    """A policy (settings) file found in a repository, and what it says."""

    path: str
    rules: int
    exceptions: int
    expired_exceptions: int
    """Exceptions whose `expires` date is before the assessment date."""
    next_expiry: date | None = None
    """The earliest expiry still to come."""
    error: str | None = None
    """Why it could not be read (then the counts are 0)."""
    tool: str = "ospo-scan"
    """Whose file it is. Only ospo-scan's own file is read; another tool's (`fossa`,
    `reuse`, `cargo-deny`, ...) is found by name alone, so its counts are 0 and mean
    "not read", never "no rules"."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CiGate:
    """A CI definition that runs a scanner (ospo-scan or another)."""

    path: str
    """The workflow file, relative to the repository root."""
    tool: str
    """The scanner, by its usual name (`ospo-scan`, `syft`, `trivy`, `dependabot`, ...)."""
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryProfile:
    """What one repository creates and how it is governed."""

    repository: str
    """The repository's name (as in the inventory and the store)."""
    own_license: OwnLicense
    checks: tuple[CheckResult, ...] = ()
    readiness: tuple[ReadinessItem, ...] = ()
    """Empty: nothing known stands in the way of publishing it."""
    policy_files: tuple[PolicyFileFact, ...] = ()
    ci_gates: tuple[CiGate, ...] = ()
    errors: tuple[str, ...] = ()
    """Files that could not be read while profiling (each names the file)."""


class Question(str, Enum):
    """The first questions of an OSPO assessment, in the order they are asked."""

    USE = "use"
    HOW = "how"
    CRITICAL = "critical"
    CREATE = "create"
    POLICIES = "policies"
    RISKS = "risks"


QUESTION_TITLES: dict[Question, str] = {
    Question.USE: "How much open source do we use?",
    Question.HOW: "How do we use it?",
    Question.CRITICAL: "Which projects are critical to our operations?",
    Question.CREATE: "How much open source do we create?",
    Question.POLICIES: "Which policies and processes exist?",
    Question.RISKS: "Where are the legal and compliance risks?",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """One number of an answer, with its label (`components`, 312)."""

    label: str
    value: int | float | str


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """The rows behind an answer (per repository, per project, per risk)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MaturityStage:
    """A stage of the TODO Group's five-stage OSPO maturity model, where data supports one."""

    stage: int | None
    """0 (ad hoc) to 4 (leadership driven); None: the data cannot place it."""
    name: str
    evidence: tuple[str, ...]
    """The data the stage rests on."""
    missing: tuple[str, ...]
    """What the repositories cannot show (and would be needed to go further)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """One question, answered with numbers and the facts behind them."""

    question: Question
    title: str
    summary: str
    """The answer in one sentence."""
    figures: tuple[Figure, ...]
    facts: tuple[str, ...]
    """Three to five facts behind the answer, most telling first."""
    table: Table | None = None
    maturity: MaturityStage | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """The whole assessment: six answers, the profiles and the checks that were run."""

    source: str
    """What was assessed (the scanned paths, or the store and snapshot)."""
    assessed_on: date
    answers: tuple[Answer, ...]
    profiles: tuple[RepositoryProfile, ...]
    checks: tuple[Check, ...]
    maturity: MaturityStage
    """The overall stage (the lowest stage the answers support)."""
    unread: tuple[str, ...] = ()
    """Files the scan could not read (each message names the file): the numbers lack them."""
