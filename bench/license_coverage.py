"""Benchmark: share of components with a known license in a scanned folder.

Usage: python bench/license_coverage.py FOLDER [--python-env DIR ...]

Point it at a checkout that has its installed dependencies beside it (a `.venv`, a
`node_modules`) to measure how much local evidence adds; the numbers go into notes.
Building such a folder needs a package manager, which this script never runs.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.scan import ScanOptions, scan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--python-env", type=Path, action="append", default=[])
    arguments = parser.parse_args()
    runs = (
        ("lockfiles only (installations removed)", lambda: _without_local(arguments.folder)),
        ("with local evidence", lambda: scan([arguments.folder], ScanOptions(licenses=LicenseOptions(python_envs=tuple(arguments.python_env))))),
    )
    for label, run in runs:
        start = time.perf_counter()
        inventory = run()
        seconds = time.perf_counter() - start
        third_party = [c for c in inventory.components if not c.first_party]
        known = [c for c in third_party if c.license and c.license.expression]
        sources = Counter(_source_kind(c.license.source) for c in known if c.license)
        share = len(known) / len(third_party) if third_party else 0.0
        print(f"{label}: {len(known)}/{len(third_party)} components with a known license ({share:.0%}) in {seconds:.2f}s; by source: {dict(sorted(sources.items()))}")
    return 0


def _without_local(folder: Path):  # type: ignore[no-untyped-def]
    """A scan that cannot see installations: what a lockfile-only checkout gives."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("node_modules", ".venv", "venv"), symlinks=True)
        return scan([copy], ScanOptions())


def _source_kind(source: str | None) -> str:
    """Which rank a conclusion's source belongs to (see ospo_scan.licenses.conclude)."""
    if not source:
        return "none"
    if source.startswith("curation"):
        return "curation"
    if "license text" in source:
        return "license text"
    if any(marker in source for marker in ("node_modules/", "site-packages/", ".pom: ", "/pkg/mod/")):
        return "local installation"
    return "declared in scanned files"


if __name__ == "__main__":
    raise SystemExit(main())
