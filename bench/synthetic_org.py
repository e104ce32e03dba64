"""Benchmark: a synthetic organization of N repositories, scanned in one run.

Usage: python bench/synthetic_org.py [--repositories N] [--jobs J] [--corpus DIR] [--keep DIR]

The repositories are built from the real-world corpus and the bundled examples: each
synthetic repository is one real project folder's manifests and lockfiles (every file
a parser reads in that folder and its parser-owned subfolders such as requirements/),
cycling through the corpus's project folders, so that N grows the organization the
way real ones grow: many small repositories, each of a real shape. Then `ospo-scan scan REPO1 ... REPON --jobs J --format json --output FILE` runs
in a fresh process; the script prints wall time, peak RSS of that process,
repositories/s and components/s. Issue 13's target: 1,000 repositories in under two
minutes with --jobs 2, peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"


def main() -> int:
    arguments = _arguments()
    sources = _sources(arguments.corpus)
    if not sources:
        print(f"no source repositories found in {arguments.corpus} or examples/", file=sys.stderr)
        return 2
    workdir = Path(arguments.keep) if arguments.keep else Path(tempfile.mkdtemp(prefix="ospo-scan-org-"))
    try:
        repositories = _build(workdir, sources, arguments.repositories)
        report = workdir / "org.json"
        seconds, peak = _scan(repositories, arguments.jobs, report)
        components = len(json.loads(report.read_text(encoding="utf-8"))["components"])
        print(f"{len(repositories)} repositories (project folders of {len(sources)} source repositories), --jobs {arguments.jobs}")
        print(f"wall {seconds:.1f} s, peak RSS {peak:.0f} MiB, {len(repositories) / seconds:.1f} repositories/s, "
              f"{components} components ({components / seconds:.0f} components/s)")
        return 0
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)


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


def _scan(repositories: list[Path], jobs: int, report: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `ospo-scan scan` process over them all."""
    command = [sys.executable, "-m", "ospo_scan", "scan", *map(str, repositories), "--jobs", str(jobs), "--format", "json", "--output", str(report)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", help="build the organization in this folder and keep it")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
