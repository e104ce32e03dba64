"""Benchmark: the CycloneDX report of one scan, rendered by two revisions of the reporter, side by side.

Usage: python bench/cyclonedx_cost.py [TARGET] [--before REV] [--rounds N] [--keep DIR]

TARGET (default: ../shared/corpus) is scanned once, in this process, and the analyzed
report is pickled, so both sides render the very same report: the scan itself may change
under other people's work in the tree, and the question here is only what the reporter
costs. BEFORE (default HEAD) is the working tree's `src` with the `cyclonedx_*` modules of
that revision; AFTER is the working tree. Each render runs in a fresh interpreter, BEFORE
and AFTER alternating for N rounds so that both see the same machine load, and prints the
best of each: wall and CPU time of the render, the peak RSS of the process (unpickling
the report included), and how far the render raised that peak above where unpickling
left it. Last, the two documents are compared byte for byte; the exit status is 1 when
they differ. Other work on the machine inflates wall time most: read CPU time beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_TARGET = REPOSITORY.parent / "shared" / "corpus"
REPORTERS = Path("src/ospo_scan/reporters")

_PROBE = """
import gc, io, json, pickle, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ospo_scan.reporters import cyclonedx_report
report = pickle.loads(Path(sys.argv[2]).read_bytes())
gc.collect()
held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
buffer = io.StringIO()
wall, cpu = time.perf_counter(), time.process_time()
cyclonedx_report.render(report, buffer)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
Path(sys.argv[3]).write_text(buffer.getvalue(), encoding="utf-8")
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak / 1024, "added_mib": (peak - held) / 1024}))
"""


@dataclass(frozen=True, slots=True)
class Side:
    """One revision of the reporter: where its sources are and where its document goes."""

    label: str
    source: Path
    """A `src` folder, first on the probe's path."""
    output: Path


def main() -> int:
    arguments = _arguments()
    if not arguments.target.exists():
        print(f"not found: {arguments.target}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ospo-cdx-bench-") as temporary:
        work = Path(temporary)
        pickled = _pickled_report(arguments.target, work)
        sides = [
            Side(f"before ({arguments.before})", _source_at(arguments.before, work / "before"), work / "before.cdx.json"),
            Side("after (working tree)", REPOSITORY / "src", work / "after.cdx.json"),
        ]
        runs: dict[str, list[dict[str, float]]] = {side.label: [] for side in sides}
        for _ in range(arguments.rounds):
            for side in sides:
                runs[side.label].append(_measure(side, pickled))
        _print_table(arguments, runs)
        identical = _print_comparison(sides)
        if arguments.keep:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            for side in sides:
                shutil.copy(side.output, arguments.keep / side.output.name)
    return 0 if identical else 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--before", default="HEAD", help="git revision whose cyclonedx_* modules are the baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="copy both documents into this folder")
    return parser.parse_args()


def _pickled_report(target: Path, work: Path) -> Path:
    """Scan and analyze once; the probes unpickle the report instead of scanning again."""
    sys.path.insert(0, str(REPOSITORY / "src"))
    from ospo_scan.reporters.report import Report
    from ospo_scan.scan import scan

    report = Report.of(scan([target]))
    path = work / "report.pickle"
    path.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    components, edges = len(report.inventory.components), len(report.inventory.relationships)
    print(f"{target}: {components} components, {edges} edges")
    return path


def _source_at(revision: str, destination: Path) -> Path:
    """The working tree's `src` with the reporter's `cyclonedx_*` modules as they are at
    `revision`: everything the reporter calls is the same on both sides."""
    source = destination / "src"
    shutil.copytree(REPOSITORY / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    for module in (source / REPORTERS.relative_to("src")).glob("cyclonedx_*.py"):
        module.unlink()
    listing = _git("ls-tree", "--name-only", f"{revision}:{REPORTERS}").splitlines()
    for name in (n for n in listing if n.startswith("cyclonedx_") and n.endswith(".py")):
        (source / REPORTERS.relative_to("src") / name).write_text(_git("show", f"{revision}:{REPORTERS / name}"), encoding="utf-8")
    return source


def _git(*arguments: str) -> str:
    return subprocess.run(["git", "-C", str(REPOSITORY), *arguments], capture_output=True, text=True, check=True).stdout


def _measure(side: Side, pickled: Path) -> dict[str, float]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, str(side.source), str(pickled), str(side.output)], capture_output=True, text=True, check=True, env=environment
    )
    measured: dict[str, float] = json.loads(completed.stdout.splitlines()[-1])
    return measured


def _print_table(arguments: argparse.Namespace, runs: dict[str, list[dict[str, float]]]) -> None:
    print(f"best of {arguments.rounds} rounds")
    print(f"{'':24} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'render raised it MiB':>21}")
    for label, measured in runs.items():
        best = {key: min(run[key] for run in measured) for key in ("wall", "cpu", "peak_mib", "added_mib")}
        print(f"{label:24} {best['wall']:8.2f} {best['cpu']:8.2f} {best['peak_mib']:13.0f} {best['added_mib']:21.0f}")


def _print_comparison(sides: list[Side]) -> bool:
    digests = {side.label: hashlib.sha256(side.output.read_bytes()).hexdigest() for side in sides}
    for side in sides:
        print(f"{side.label:24} {side.output.stat().st_size:>10} bytes  sha256 {digests[side.label]}")
    identical = sides[0].output.read_bytes() == sides[1].output.read_bytes()
    print("byte-identical: yes" if identical else "byte-identical: NO")
    return identical


if __name__ == "__main__":
    sys.exit(main())
