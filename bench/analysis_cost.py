"""Benchmark: what the analysis (usage, criticality, gaps) and each report cost next to the scan.

Usage: python bench/analysis_cost.py [CORPUS_DIR] [--repeat N]

Scans the corpus once, then times `analyze` and the rendering of every report format
(best of N each) in the same process, and prints each as a share of the scan time.
The issue's budget: the analysis costs at most 10% of a corpus scan.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ospo_scan.analysis import analyze
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> int:
    arguments = _arguments()
    if not arguments.corpus.is_dir():
        print(f"corpus not found: {arguments.corpus}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    inventory = scan([arguments.corpus])
    scan_seconds = time.perf_counter() - start
    analysis_seconds = _best(lambda: analyze(inventory), arguments.repeat)
    analysis = analyze(inventory)
    report = Report(inventory=inventory, analysis=analysis)
    print(f"corpus: {arguments.corpus}: {len(inventory.components)} components, {len(analysis.gaps.gaps)} gaps, "
          f"{len(analysis.critical.ranked)} upstream projects ranked")
    print(f"scan:      {scan_seconds:6.2f} s")
    print(f"analysis:  {analysis_seconds:6.2f} s  ({100 * analysis_seconds / scan_seconds:4.1f}% of the scan)")
    for output_format in OutputFormat:
        seconds = _best(lambda: output_format.renderer(report, io.StringIO(), False), arguments.repeat)
        print(f"{output_format.value + ':':<10} {seconds:6.2f} s  ({100 * seconds / scan_seconds:4.1f}% of the scan)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


def _best(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
