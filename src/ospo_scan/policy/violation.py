"""A rule broken by one component in one project, and what would silence it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ospo_scan.model import Lifecycle, Location
from ospo_scan.policy.model import PolicyException, RuleKind, RuleSeverity

FINGERPRINT_VERSION = "v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One rule broken: by a component in one project, or by a file that was not read."""

    rule: str
    kind: RuleKind
    severity: RuleSeverity
    message: str
    component: str | None = None
    """The component's purl (None for a file that could not be read)."""
    package: str | None = None
    """The purl without version: what an exception names, and part of the fingerprint."""
    project: str | None = None
    location: Location | None = None
    lifecycle: Lifecycle | None = None
    license: str | None = None
    """The component's concluded license (None when unknown)."""

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated changes: rule, package (not its version), project and
        file; never the line, the message or the version, which move for other reasons."""
        parts = (FINGERPRINT_VERSION, self.rule, self.package or "", self.project or "", self.location.path if self.location else "")
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[int, str, str, str, str, int]:
        location = self.location or Location(path="")
        return (_SEVERITY_ORDER[self.severity], self.rule, self.component or "", self.project or "", location.path, location.line or 0)

    def exception_snippet(self) -> str:
        """A ready-to-paste `[[exceptions]]` entry that would silence this violation only
        (this package, this rule, the license it has now); the reason is the reader's to write."""
        if self.package is None:
            return ""
        lines = ["[[exceptions]]", f"purl = {_toml(self.package)}"]
        if self.license:
            lines.append(f"license = {_toml(self.license)}")
        lines += [f"rules = [{_toml(self.rule)}]", 'reason = "TODO: why this is acceptable, and who approved it"', "# approved-by = \"\"", "# ticket = \"\"", "# expires = 2027-12-31"]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class SilencedViolation:
    """A violation an exception lets pass."""

    violation: Violation
    exception: PolicyException


_SEVERITY_ORDER = {RuleSeverity.ERROR: 0, RuleSeverity.WARNING: 1, RuleSeverity.REVIEW: 2}


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, \\uXXXX included)."""
    return json.dumps(text, ensure_ascii=False)
