"""The CI gate: which policy applies, what it says, and which exit code that means.

The gate fails closed. A policy that cannot be read is exit 2, never a pass; a scan
that could not read a manifest is exit 3 (unless --allow-partial), since a lockfile
that silently dropped out would otherwise hide its violations; only then do
error-level violations make it exit 1. Precedence: 70 > 2 > 3 > 1 > 0 (internal and
usage errors end the run before this module is asked).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ospo_scan.analysis.wording import count
from ospo_scan.cli import diagnostics
from ospo_scan.cli.exit_codes import ExitCode
from ospo_scan.config import ConfigError, SettingsFile, find_settings_file, load_settings_file
from ospo_scan.model import Inventory
from ospo_scan.policy import Policy, PolicyOutcome, RuleSeverity, evaluate, has_policy, load_policy
from ospo_scan.policy.baseline import Baseline, against_baseline
from ospo_scan.reporters.report import Report

_SHOWN = 20
"""Violations spelled out on stderr; the reports have them all."""


def find_policy(paths: list[Path], given: Path | None, *, required: bool) -> Policy | None:
    """The policy of `--policy FILE`, else of the first scanned folder's settings file.

    `required` (check): no policy at all is a usage error, since a gate without rules
    would pass everything.
    """
    if given is not None:
        if not given.is_file():
            raise ConfigError(f"{given}: no such policy file")
        return _loaded(load_settings_file(given), required=required)
    folder = paths[0] if paths[0].is_dir() else paths[0].parent
    found = find_settings_file(folder)
    settings = load_settings_file(found) if found is not None else None
    if settings is None or not has_policy(settings):
        if required:
            raise ConfigError(f"{folder}: no policy found: add [[rules]] to .ospo-scan.toml (or [tool.ospo-scan] in pyproject.toml), or pass --policy FILE")
        return None
    return _loaded(settings, required=required)


def _loaded(settings: SettingsFile, *, required: bool) -> Policy:
    policy = load_policy(settings)
    if required and not policy.rules:
        raise ConfigError(f"{settings.path}: the policy has no [[rules]]: a gate without rules would pass everything")
    return policy


def judge(inventory: Inventory, policy: Policy, baseline: Baseline | None) -> PolicyOutcome:
    """The policy's outcome today (exception expiry is judged on today's UTC date)."""
    outcome = evaluate(inventory, policy, datetime.now(tz=timezone.utc).date())
    return against_baseline(outcome, baseline) if baseline is not None else outcome


def gate_exit_code(report: Report, *, allow_partial: bool, baseline_strict: bool) -> ExitCode:
    """3 incomplete (unless allowed), 1 error-level violations (or, strict, a stale baseline), else 0."""
    if not report.inventory.complete and not allow_partial:
        diagnostics.error("the scan is incomplete: a file could not be read, so the gate cannot pass (--allow-partial judges it anyway)")
        return ExitCode.INCOMPLETE
    outcome = report.policy
    if outcome is None:
        return ExitCode.OK
    if outcome.failed:
        return ExitCode.VIOLATIONS
    if baseline_strict and outcome.resolved:
        diagnostics.error(f"{count(len(outcome.resolved), 'baseline violation')} no longer occur: refresh the baseline ({outcome.baseline})")
        return ExitCode.VIOLATIONS
    return ExitCode.OK


def announce_outcome(outcome: PolicyOutcome) -> None:
    """The violations on stderr, worst first, each with the exception that would silence it."""
    files = ", ".join(f"{f.path} (sha256 {f.sha256[:12]})" for f in outcome.policy.files)
    diagnostics.note(f"policy: {files}")
    errors = [v for v in outcome.violations if v.severity is RuleSeverity.ERROR]
    for violation in outcome.violations[:_SHOWN]:
        place = f"{violation.location.path}:{violation.location.line}" if violation.location and violation.location.line else (violation.location.path if violation.location else "")
        diagnostics.say(violation.severity.value, f"{place}: {violation.message}" if place else violation.message, style="red" if violation in errors else "yellow")
    if len(outcome.violations) > _SHOWN:
        diagnostics.note(f"{count(len(outcome.violations) - _SHOWN, 'more violation')}: see the report")
    if errors and errors[0].exception_snippet():
        diagnostics.block("to accept the first one, add to the policy:", errors[0].exception_snippet().splitlines())
    for stale in outcome.stale_exceptions:
        diagnostics.note(f"exception for {stale.exception.purl} ({stale.exception.source}) no longer applies: {stale.why}")
    summary = f"{count(len(errors), 'error')}, {count(len(outcome.violations) - len(errors), 'warning or review item')}"
    if outcome.baseline is not None:
        summary += f"; {count(len(outcome.baselined), 'known violation')} in the baseline, {len(outcome.resolved)} fixed since"
    diagnostics.note(f"policy check: {summary}; {count(len(outcome.silenced), 'violation')} silenced by exceptions")
