"""What a policy says, as data: rules, exceptions, the organization's own packages.

A policy is read from TOML (loading.py) and judged against an inventory
(evaluation.py); nothing here reads files or knows about reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ospo_scan.model import Lifecycle
from ospo_scan.policy.license_sets import LicenseSet


class RuleSeverity(str, Enum):
    """What a violation of the rule does to the gate."""

    ERROR = "error"
    """Fails the check (exit 1)."""
    WARNING = "warning"
    """Reported; the check passes."""
    REVIEW = "review"
    """Listed for a person to look at; the check passes."""


class RuleKind(str, Enum):
    """What a rule looks at: exactly one per rule, named by its key in the policy file."""

    ALLOW_LICENSES = "allow-licenses"
    """Every license must be one of these (an unknown license cannot be shown to be)."""
    DENY_LICENSES = "deny-licenses"
    DENY_CATEGORIES = "deny-categories"
    DENY_UNKNOWN_LICENSES = "deny-unknown-licenses"
    """No component may have a license ospo-scan could not determine."""
    DENY_UNPINNED_VERSIONS = "deny-unpinned-versions"
    """Every component must have a version a lockfile or an exact pin fixes."""
    DENY_UNPARSED_FILES = "deny-unparsed-files"
    """Every manifest and lockfile must be read (on top of exit 3 for an incomplete scan)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of the policy."""

    id: str
    kind: RuleKind
    severity: RuleSeverity = RuleSeverity.ERROR
    licenses: LicenseSet | None = None
    """For allow-licenses and deny-licenses."""
    license_entries: tuple[str, ...] = ()
    """The list as written (canonical spelling), for messages."""
    categories: frozenset[str] = frozenset()
    """For deny-categories."""
    scopes: frozenset[Lifecycle] | None = None
    """The lifecycles the rule applies to; None: every lifecycle."""
    include_optional: bool = True
    """False: usages a project can do without (optional, peer) are not judged."""
    description: str | None = None
    source: str = ""
    """The policy file the rule comes from."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyException:
    """An approved deviation: a component (pattern) the rules let pass."""

    purl: str
    """A purl pattern: without a version it covers every version; `*` and `?` glob."""
    reason: str
    versions: str | None = None
    """A version range in the ecosystem's own syntax (`^1.2`, `>=2,<3`, `[1.0,2.0)`)."""
    license: str | None = None
    """The license that was approved: the exception stops applying when it changes."""
    rules: tuple[str, ...] = ()
    """Rule ids it applies to; empty: every rule."""
    approved_by: str | None = None
    ticket: str | None = None
    expires: date | None = None
    """The last day the exception applies; after it, it no longer does (and reports say so)."""
    source: str = ""
    index: int = 0
    """Its position among the policy's exceptions, for messages (`exceptions[3]`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyFile:
    """One file a policy was read from."""

    path: str
    sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """The rules in force, merged across `extends`."""

    rules: tuple[Rule, ...] = ()
    exceptions: tuple[PolicyException, ...] = ()
    first_party: tuple[str, ...] = ()
    """purl-style globs of the organization's own packages (`@acme/*`, `com.acme:*`)."""
    files: tuple[PolicyFile, ...] = field(default=())
    """The files read, the repository's first, then each it extends."""
