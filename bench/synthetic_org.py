"""Benchmark: a synthetic organization of N repositories, scanned in one run.

Usage: python bench/synthetic_org.py [--repositories N] [--jobs J] [--corpus DIR] [--keep DIR]
                                     [--scan-only] [--src DIR ...] [--rounds R]

The repositories are built from the real-world corpus and the bundled examples: each
synthetic repository is one real project folder's manifests and lockfiles (every file
a parser reads in that folder and its parser-owned subfolders such as requirements/),
cycling through the corpus's project folders, so that N grows the organization the
way real ones grow: many small repositories, each of a real shape. Then `ospo-scan scan REPO1 ... REPON --jobs J --format json --output FILE` runs
in a fresh process; the script prints wall time, CPU time (the process and its
workers), peak RSS of that process, repositories/s and components/s. Issue 13's
target: 1,000 repositories in under two minutes with --jobs 2, peak memory under 300 MB.

--scan-only calls scan() itself in a fresh process and writes no report, so the peak
RSS is the scan's own (the report writer's memory is another matter). --src runs the
child on another source tree (e.g. a `git worktree` of an older revision); given
several times, the trees are run alternately, --rounds times each, on the same
organization, so that before and after are measured side by side under the same load.
--no-licenses (with --scan-only) leaves the license stage out, to time discovery,
parsing and resolution alone. --keep reuses an organization already built there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"

_CHILD = """
import json, os, resource, sys, time
from pathlib import Path
mode, jobs, report, listing = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
paths = Path(listing).read_text(encoding="utf-8").splitlines()
start, times = time.perf_counter(), os.times()
if mode.startswith("scan"):
    from ospo_scan.scan import ScanOptions, scan
    options = ScanOptions(jobs=jobs, licenses=None) if mode == "scan-no-licenses" else ScanOptions(jobs=jobs)
    components = len(scan([Path(p) for p in paths], options).components)
else:
    from ospo_scan.cli import main
    sys.argv = ["ospo-scan", "scan", *paths, "--jobs", str(jobs), "--format", "json", "--output", report]
    try:
        main()
    except SystemExit as stop:
        if stop.code not in (0, 1, None):
            raise
    components = -1
wall, after = time.perf_counter() - start, os.times()
cpu = sum(after[:4]) - sum(times[:4])
print(json.dumps({"wall": wall, "cpu": cpu, "components": components,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def main() -> int:
    arguments = _arguments()
    sources = _sources(arguments.corpus)
    if not sources:
        print(f"no source repositories found in {arguments.corpus} or examples/", file=sys.stderr)
        return 2
    workdir = Path(arguments.keep) if arguments.keep else Path(tempfile.mkdtemp(prefix="ospo-scan-org-"))
    try:
        repositories = _build(workdir, sources, arguments.repositories)
        listing = workdir / "repositories.txt"
        listing.write_text("".join(f"{path}\n" for path in repositories), encoding="utf-8")
        trees = arguments.src or [REPOSITORY / "src"]
        runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
        for _ in range(arguments.rounds):
            for tree in trees:
                runs[tree].append(_run(tree, _mode(arguments), arguments.jobs, workdir / "org.json", listing))
        what = {"cli": "scan ... --format json --output", "scan": "scan() only, no report",
                "scan-no-licenses": "scan() only, no report, no license stage"}[_mode(arguments)]
        print(f"{len(repositories)} repositories (project folders of {len(sources)} source repositories), --jobs {arguments.jobs}, {what}, median of {arguments.rounds}")
        for tree, measured in runs.items():
            print(f"  {tree}: {_summary(measured, len(repositories), workdir / 'org.json', _mode(arguments) != 'cli')}")
        return 0
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _mode(arguments: argparse.Namespace) -> str:
    if arguments.no_licenses:
        return "scan-no-licenses"  # implies --scan-only
    return "scan" if arguments.scan_only else "cli"


def _summary(measured: list[dict[str, float]], repositories: int, report: Path, scan_only: bool) -> str:
    wall = median(run["wall"] for run in measured)
    components = measured[-1]["components"] if scan_only else len(json.loads(report.read_text(encoding="utf-8"))["components"])
    return (f"wall {wall:.1f} s, CPU {median(run['cpu'] for run in measured):.1f} s, "
            f"peak RSS {median(run['rss'] for run in measured):.0f} MiB (largest worker {median(run['worker_rss'] for run in measured):.0f} MiB), "
            f"{repositories / wall:.1f} repositories/s, {components:.0f} components ({components / wall:.0f} components/s)")


def _sources(corpus: Path) -> list[Path]:
    """Every corpus repository (fixtures aside) and every bundled example."""
    found = [p for p in sorted(corpus.iterdir()) if p.is_dir() and p.name != "fixtures"] if corpus.is_dir() else []
    return found + sorted(p for p in (REPOSITORY / "examples").iterdir() if p.is_dir())


def _build(workdir: Path, sources: list[Path], count: int) -> list[Path]:
    """`count` repositories, the i-th a copy of project folder i mod (number of folders)."""
    folders = _project_folders(sources)
    repositories = []
    for index in range(count):
        folder, files = folders[index % len(folders)]
        target = workdir / f"repo-{index:05d}"
        for relative in files:
            destination = target / relative
            if destination.exists():
                continue  # built by an earlier run with --keep
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / relative, destination)
        target.mkdir(parents=True, exist_ok=True)
        repositories.append(target)
    return repositories


def _project_folders(sources: list[Path]) -> list[tuple[Path, list[str]]]:
    """(folder, its files relative to it) for every project folder the parsers assign files to."""
    from ospo_scan.discovery import discover
    from ospo_scan.parsers import PARSERS

    grouped: dict[Path, list[str]] = {}
    for source in sources:
        for found in discover(source, PARSERS, ()).files:
            folder = found.spec.project_folder(found.relative_path)
            base = source / folder if folder != "." else source
            grouped.setdefault(base, []).append(Path(source / found.relative_path).relative_to(base).as_posix())
    return sorted(grouped.items())


def _run(tree: Path, mode: str, jobs: int, report: Path, listing: Path) -> dict[str, float]:
    """One fresh process on source tree `tree`: its wall and CPU seconds and peak RSS (MiB)."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(jobs), str(report), str(listing)],
                          check=True, capture_output=True, text=True, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", help="build the organization in this folder (or reuse the one there) and keep it")
    parser.add_argument("--scan-only", action="store_true", help="time scan() itself, without writing a report")
    parser.add_argument("--no-licenses", action="store_true", help="with --scan-only: skip the license stage (LicenseOptions None)")
    parser.add_argument("--src", type=Path, action="append", help="source tree the scanning process imports (repeatable)")
    parser.add_argument("--rounds", type=int, default=1, help="runs per source tree, alternated")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
