"""Benchmark two revisions side by side: corpus scan wall time and peak memory of each.

Usage: python bench/compare_revisions.py BEFORE [AFTER] [--corpus DIR] [--rounds N] [--report]

BEFORE and AFTER are git revisions (AFTER defaults to the working tree). Each is checked
out into a temporary worktree and scanned in a fresh interpreter with that worktree's
`src` first on the path, alternating BEFORE and AFTER for N rounds so that both see
the same machine load. Prints best wall time and peak RSS of each, and the corpus counts.
The interpreter is the one running this script (its installed dependencies are used).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"

_PROBE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from ospo_scan.scan import scan
from pathlib import Path
start = time.perf_counter()
inventory = scan([Path(sys.argv[2])])
seconds = time.perf_counter() - start
report_seconds = None
if sys.argv[3] == "report":
    # what `ospo-scan scan --format json` does after the scan: analysis (where the
    # revision has one) and the JSON document, written to nowhere
    import io
    from ospo_scan.reporters import json_report
    try:
        from ospo_scan.reporters.report import Report
    except ImportError:
        Report = None
    begin = time.perf_counter()
    json_report.render(Report.of(inventory) if Report else inventory, io.StringIO(), False)
    report_seconds = time.perf_counter() - begin
print(json.dumps({
    "seconds": seconds,
    "report_seconds": report_seconds,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "components": len(inventory.components),
    "relationships": len(inventory.relationships),
    "issues": len(inventory.issues),
    "usages": sum(len(getattr(c, "usages", ())) for c in inventory.components),
}))
"""


def main() -> int:
    arguments = _arguments()
    with tempfile.TemporaryDirectory(prefix="ospo-bench-") as temporary:
        sources = {"before": _checkout(arguments.before, Path(temporary) / "before")}
        sources["after"] = _checkout(arguments.after, Path(temporary) / "after") if arguments.after else REPOSITORY / "src"
        runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        for _ in range(arguments.rounds):
            for label in ("before", "after"):
                runs[label].append(_measure(sources[label], arguments.corpus, arguments.report))
        _report(arguments, runs)
        if arguments.before:
            subprocess.run(["git", "-C", str(REPOSITORY), "worktree", "prune"], check=False)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after", nargs="?", default=None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--report", action="store_true", help="also time the JSON report (and the analysis, where the revision has one) after the scan")
    return parser.parse_args()


def _checkout(revision: str, folder: Path) -> Path:
    subprocess.run(["git", "-C", str(REPOSITORY), "worktree", "add", "--detach", str(folder), revision], check=True, capture_output=True)
    return folder / "src"


def _measure(source: Path, corpus: Path, report: bool) -> dict[str, float]:
    mode = "report" if report else "scan"
    completed = subprocess.run([sys.executable, "-c", _PROBE, str(source), str(corpus), mode], check=True, capture_output=True, text=True)
    measured: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return measured


def _report(arguments: argparse.Namespace, runs: dict[str, list[dict[str, float]]]) -> None:
    print(f"corpus: {arguments.corpus}, {arguments.rounds} alternating rounds")
    for label, revision in (("before", arguments.before), ("after", arguments.after or "working tree")):
        results = runs[label]
        best = min(results, key=lambda r: r["seconds"])
        reported = [r["report_seconds"] for r in results if r.get("report_seconds") is not None]
        report = f", then JSON report best {min(reported):.2f}s" if reported else ""
        print(
            f"{label:>6} ({revision}): scan best {best['seconds']:.2f}s{report}, peak RSS {max(r['peak_mib'] for r in results):.0f} MiB; "
            f"components {best['components']:.0f}, relationships {best['relationships']:.0f}, usages {best['usages']:.0f}, issues {best['issues']:.0f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
