"""Which report goes where: `--format` and `--output` pairs, and the documents' time.

`--format cyclonedx --output bom.cdx.json --format sarif --output gaps.sarif` writes
two reports from one scan: formats and outputs pair in the order given. `-` names
stdout, which at most one report may take. Every path is checked before the scan
starts (output.check_output_path), so a typo costs no scan.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ospo_scan.cli.output import OutputPathError, OutputTarget, check_output_path
from ospo_scan.reporters import OutputFormat

STDOUT = Path("-")
"""The --output value that means standard output."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedOutput:
    """One report to write."""

    output_format: OutputFormat
    target: OutputTarget | None
    """None: standard output."""


def plan_outputs(formats: Sequence[OutputFormat], outputs: Sequence[Path]) -> list[PlannedOutput]:
    """Pair formats with outputs in order (OutputPathError when they do not pair up).

    One format and no output is stdout; no format is the table. Otherwise each format
    needs its own output, so that no report is silently dropped or written twice.
    """
    formats = list(formats) or [OutputFormat.TABLE]
    if len(outputs) > len(formats) or (len(outputs) < len(formats) and len(formats) > 1):
        raise OutputPathError(f"{len(formats)} --format and {len(outputs)} --output: give one --output per --format, in the same order ('-' for stdout)")
    if outputs.count(STDOUT) > 1:
        raise OutputPathError("only one report can go to stdout ('--output -')")
    targets = [None if path == STDOUT else check_output_path(path) for path in outputs] or [None]
    _refuse_the_same_file_twice(targets)
    return [PlannedOutput(output_format=f, target=t) for f, t in zip(formats, targets)]


def _refuse_the_same_file_twice(targets: Sequence[OutputTarget | None]) -> None:
    seen: dict[Path, Path] = {}
    for target in targets:
        if target is None:
            continue
        if target.path in seen:
            raise OutputPathError(f"{target.given}: the same file as --output {seen[target.path]}; each report needs its own file")
        seen[target.path] = target.given


def creation_time(asked: bool, environment: Mapping[str, str] = os.environ) -> datetime | None:
    """When the documents say they were made: SOURCE_DATE_EPOCH when set (reproducible
    builds), else now when `--timestamp` asks for it, else None (no time is written)."""
    epoch = environment.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01")
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    if asked:
        return datetime.now(tz=timezone.utc).replace(microsecond=0)
    return None
