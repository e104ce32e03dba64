"""Benchmark: scan the shared real-world corpus and time each parser on its largest file.

Usage: python bench/scan_corpus.py [CORPUS_DIR] [--repeat N]

Prints wall time (best of N), peak resident memory, and the corpus numbers (files,
components, issues). Numbers go into issue notes; tests never assert on time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from ospo_scan.discovery import discover
from ospo_scan.parsers import PARSERS
from ospo_scan.reading import SandboxReader
from ospo_scan.scan import parse_file, scan

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> int:
    arguments = _arguments()
    corpus = arguments.corpus
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    timings = []
    for _ in range(arguments.repeat):
        start = time.perf_counter()
        inventory = scan([corpus])
        timings.append(time.perf_counter() - start)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_parser = Counter(f.spec.name for f in discover(corpus, PARSERS).files)
    print(f"corpus: {corpus}")
    print(f"full scan: best {min(timings):.2f}s of {arguments.repeat} run(s), peak RSS {peak_mib:.0f} MiB")
    print(f"files: {inventory.files_scanned}, projects: {len(inventory.projects)}, components: {len(inventory.components)}, "
          f"relationships: {len(inventory.relationships)}, issues: {len(inventory.issues)}")
    print("files per parser: " + ", ".join(f"{name} {count}" for name, count in sorted(per_parser.items())))
    print("largest file per parser:")
    for name, path, size, seconds, packages in _largest_per_parser(corpus):
        print(f"  {name:<22} {seconds * 1000:8.1f} ms  {size / 1024:8.0f} KiB  {packages:6d} packages  {path}")
    return 0


def _largest_per_parser(corpus: Path) -> list[tuple[str, str, int, float, int]]:
    found = discover(corpus, PARSERS).files
    largest = {}
    for item in found:
        size = (corpus / item.relative_path).stat().st_size
        if size > largest.get(item.spec.name, (None, -1))[1]:
            largest[item.spec.name] = (item, size)
    reader = SandboxReader(corpus)
    rows = []
    for name, (item, size) in sorted(largest.items()):
        start = time.perf_counter()
        result, _ = parse_file(item, reader)
        seconds = time.perf_counter() - start
        rows.append((name, item.relative_path, size, seconds, len(result.packages) if result else 0))
    return rows


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(main())
