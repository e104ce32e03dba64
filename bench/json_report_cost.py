"""Benchmark: the JSON report of one scan, written by two source trees, side by side.

Usage: python bench/json_report_cost.py [TARGET ...] [--listing FILE] [--before SRC] [--rounds N]
                                        [--pretty] [--keep DIR] [--no-analysis] [--reuse FILE]

TARGET (default: ../shared/corpus, fixtures excluded) is scanned once, in this process,
or every path listed in FILE one a line (a synthetic organization's repositories.txt,
bench/synthetic_org.py --keep), and the report is pickled: both sides write the very same
report, and the question is only what the writer costs. The analysis is pickled with it
unless --no-analysis, in which case each side also analyzes (the analysis' own cost);
--reuse keeps the pickle in FILE and reads it on the next run instead of scanning again.
BEFORE is a `src` folder of another revision (e.g. of `git worktree add /tmp/x HEAD`);
AFTER is this working tree. Each side runs in a fresh interpreter, alternating for N
rounds so both see the same machine load, and writes the report as the CLI does
(cli.output.write_report into a temporary file renamed over the target); when the side's
json_report offers `write_report_file` (the streaming writer) that is measured too, as
"stream". Printed: the best wall and CPU seconds, the peak RSS of the process and how far
writing raised it above where unpickling left it. Last, the documents are compared
byte for byte; the exit status is 1 when they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_TARGET = REPOSITORY.parent / "shared" / "corpus"

_PROBE = """
import dataclasses, functools, gc, json, pickle, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ospo_scan.reporters import json_report
from ospo_scan.cli.output import check_output_path, write_report
mode, pretty, analyze_too = sys.argv[4], sys.argv[5] == "1", sys.argv[6] == "1"
report = pickle.loads(Path(sys.argv[2]).read_bytes())
report = dataclasses.replace(report, pretty=pretty)
gc.collect()
held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), time.process_time()
if analyze_too:
    from ospo_scan.reporters.report import Report
    report = dataclasses.replace(report, analysis=Report.of(report.inventory).analysis)
target = check_output_path(Path(sys.argv[3]))
if mode == "stream":
    json_report.write_report_file(report, target.path)
else:
    write_report(functools.partial(json_report.render, report), target)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak / 1024, "added_mib": (peak - held) / 1024}))
"""


def main() -> int:
    arguments = _arguments()
    targets = [Path(p) for p in arguments.listing.read_text(encoding="utf-8").splitlines()] if arguments.listing else arguments.targets or [DEFAULT_TARGET]
    with tempfile.TemporaryDirectory(prefix="ospo-json-bench-") as temporary:
        work = Path(temporary)
        pickled = arguments.reuse if arguments.reuse and arguments.reuse.exists() else _pickled_report(targets, work, with_analysis=not arguments.no_analysis)
        if arguments.reuse and pickled != arguments.reuse:
            pickled = pickled.replace(arguments.reuse)
        sides = [("before", arguments.before, "cli")] if arguments.before else []
        sides += [("after", REPOSITORY / "src", "cli"), ("after", REPOSITORY / "src", "stream")]
        runs: dict[str, list[dict[str, float]]] = {}
        outputs: dict[str, Path] = {}
        for _ in range(arguments.rounds):
            for label, source, mode in sides:
                name = f"{label} {mode}"
                outputs[name] = work / f"{label}-{mode}.json"
                runs.setdefault(name, []).append(_measure(source, pickled, outputs[name], mode, arguments.pretty, arguments.no_analysis))
        print(f"best of {arguments.rounds} rounds, {'pretty' if arguments.pretty else 'compact'}{', analysis included' if arguments.no_analysis else ''}")
        print(f"{'':14} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'write raised it MiB':>20}")
        for name, measured in runs.items():
            best = {key: min(run[key] for run in measured) for key in ("wall", "cpu", "peak_mib", "added_mib")}
            print(f"{name:14} {best['wall']:8.2f} {best['cpu']:8.2f} {best['peak_mib']:13.0f} {best['added_mib']:20.0f}")
        digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in outputs.items()}
        for name, path in outputs.items():
            print(f"{name:14} {path.stat().st_size:>12} bytes  sha256 {digests[name]}")
        if arguments.keep:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            for name, path in outputs.items():
                path.replace(arguments.keep / path.name)
    identical = len(set(digests.values())) == 1
    print("byte-identical: yes" if identical else "byte-identical: NO")
    return 0 if identical else 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", type=Path)
    parser.add_argument("--listing", type=Path, help="a file of paths to scan together, one a line")
    parser.add_argument("--before", type=Path, help="the `src` folder of the baseline revision")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pretty", action="store_true", help="indented output (--pretty)")
    parser.add_argument("--no-analysis", action="store_true", help="pickle the inventory only: each side analyzes too")
    parser.add_argument("--keep", type=Path, help="move the documents into this folder")
    parser.add_argument("--reuse", type=Path, help="the pickled report: read when it exists, else written there after the scan")
    return parser.parse_args()


def _pickled_report(targets: list[Path], work: Path, *, with_analysis: bool) -> Path:
    """Scan (and analyze) once; the probes unpickle the report instead of scanning again."""
    sys.path.insert(0, str(REPOSITORY / "src"))
    from ospo_scan.reporters.report import Report
    from ospo_scan.scan import ScanOptions, scan

    excludes = ("fixtures",) if targets == [DEFAULT_TARGET] else ()  # the corpus' test fixtures are not a project
    report = Report.of(scan(targets, ScanOptions(excludes=excludes, jobs=2)))
    if not with_analysis:
        report = _without_analysis(report)
    path = work / "report.pickle"
    path.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    inventory = report.inventory
    print(f"{len(targets)} target(s): {len(inventory.components)} components, {sum(len(c.usages) for c in inventory.components)} usages, {len(inventory.relationships)} edges")
    return path


def _without_analysis(report: object) -> object:
    """The report with a placeholder analysis (the probe computes the real one)."""
    import dataclasses

    return dataclasses.replace(report, analysis=None)  # type: ignore[type-var]


def _measure(source: Path, pickled: Path, output: Path, mode: str, pretty: bool, analyze_too: bool) -> dict[str, float]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    arguments = [sys.executable, "-c", _PROBE, str(source), str(pickled), str(output), mode, "1" if pretty else "0", "1" if analyze_too else "0"]
    completed = subprocess.run(arguments, capture_output=True, text=True, check=True, env=environment)
    measured: dict[str, float] = json.loads(completed.stdout.splitlines()[-1])
    return measured


if __name__ == "__main__":
    sys.exit(main())
