"""Baseline gating: fail only on the violations an earlier report did not have.

The baseline is an earlier JSON report of `check` (typically from the main branch).
Violations are matched by fingerprint (rule, package, project, file: not the line,
the version or the wording), so a line that moves or a package added elsewhere does
not turn old debt into a new failure.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.policy.evaluation import PolicyOutcome


class BaselineError(Exception):
    """The baseline file cannot be used (the message starts with its path)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineEntry:
    """A violation as the baseline recorded it."""

    fingerprint: str
    rule: str
    message: str
    component: str | None = None
    project: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    """The violations of an earlier report, by fingerprint."""

    path: str
    entries: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(entry.fingerprint for entry in self.entries)


def load_baseline(path: Path) -> Baseline:
    """Read the violations of an earlier JSON report (BaselineError when it has none)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: is not a JSON report of ospo-scan: {error}") from None
    policy = document.get("policy") if isinstance(document, dict) else None
    if not isinstance(policy, dict) or not isinstance(policy.get("violations"), list):
        raise BaselineError(f"{path}: has no policy results; make the baseline with `ospo-scan check --format json`")
    entries = []
    for index, raw in enumerate([*policy["violations"], *policy.get("silenced", [])]):
        entries.append(_entry(path, index, raw))
    return Baseline(path=str(path), entries=tuple(entries))


def _entry(path: Path, index: int, raw: Any) -> BaselineEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str) or not isinstance(raw.get("rule"), str):
        raise BaselineError(f"{path}: policy.violations[{index}]: no fingerprint and rule")
    return BaselineEntry(
        fingerprint=raw["fingerprint"],
        rule=raw["rule"],
        message=str(raw.get("message") or ""),
        component=raw.get("component") if isinstance(raw.get("component"), str) else None,
        project=raw.get("project") if isinstance(raw.get("project"), str) else None,
    )


def against_baseline(outcome: PolicyOutcome, baseline: Baseline) -> PolicyOutcome:
    """The outcome with the baseline's violations set apart: `violations` keeps only new
    ones, `baselined` the known ones, `resolved` the baseline's that no longer occur."""
    known = baseline.fingerprints
    current = {v.fingerprint for v in outcome.violations} | {s.violation.fingerprint for s in outcome.silenced}
    seen: set[str] = set()
    resolved = []
    for entry in baseline.entries:
        if entry.fingerprint not in current and entry.fingerprint not in seen:
            seen.add(entry.fingerprint)
            resolved.append(entry)
    return dataclasses.replace(
        outcome,
        violations=tuple(v for v in outcome.violations if v.fingerprint not in known),
        baselined=tuple(v for v in outcome.violations if v.fingerprint in known),
        resolved=tuple(resolved),
        baseline=baseline.path,
    )
