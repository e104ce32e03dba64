"""Benchmark: what cross-file resolution (`resolve`) costs, one source tree beside another.

Usage: python bench/resolution_cost.py [CORPUS_DIR] [--before SRC_DIR] [--rounds N] [--repeat N]

Resolution is the biggest serial stage of a scan, and parsing dominates the rest; to
time it alone, each tree's process scans the corpus once (with --jobs 1, no licenses)
while recording the ParsedFiles handed to `resolve`, then times `resolve` over those
same files `--repeat` times. The first call is reported apart ("cold"): a real scan
pays it, with every memo empty; "warm" is the best of the others.

With --before (e.g. a `git worktree add /tmp/before HEAD` checkout's `src`), the two
trees run alternately `--rounds` times, so that a machine under load slows both alike;
medians of CPU seconds (process time: the stage is single-threaded, and CPU time moves
less than wall time on a loaded machine) are printed side by side, and the resolutions are compared for equality
(their repr) so a faster tree that resolves differently is caught.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HERE_SRC = Path(__file__).resolve().parents[1] / "src"


def main() -> int:
    arguments = _arguments()
    if arguments.worker:
        return _worker(arguments)
    if not arguments.corpus.is_dir():
        print(f"corpus not found: {arguments.corpus}", file=sys.stderr)
        return 2
    trees = [("after", HERE_SRC)]
    if arguments.before is not None:
        trees.insert(0, ("before", arguments.before.resolve()))
    results: dict[str, list[dict[str, float | str]]] = {name: [] for name, _ in trees}
    for _ in range(arguments.rounds):
        for name, src in trees:
            results[name].append(_run(src, arguments))
    print(f"corpus: {arguments.corpus}  rounds: {arguments.rounds}  resolve calls per round: {arguments.repeat}")
    for name, runs in results.items():
        cold = statistics.median(float(r["cold"]) for r in runs)
        warm = statistics.median(float(r["warm"]) for r in runs)
        print(f"{name:>7}: resolve cold {cold:6.3f} s  warm {warm:6.3f} s  (median of {len(runs)}; {runs[0]['summary']})")
    digests = {name: {str(r["digest"]) for r in runs} for name, runs in results.items()}
    if len({digest for found in digests.values() for digest in found}) != 1:
        print(f"RESOLUTIONS DIFFER: {digests}")
        return 1
    if len(digests) > 1:
        print("resolutions identical")
    return 0


def _run(src: Path, arguments: argparse.Namespace) -> dict[str, float | str]:
    environment = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, str(arguments.corpus), "--worker", "--repeat", str(arguments.repeat)]
    for pattern in arguments.exclude:
        command += ["--exclude", pattern]
    output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _worker(arguments: argparse.Namespace) -> int:
    import ospo_scan.scan as scan_module
    from ospo_scan.scan import ScanOptions

    captured: list[tuple[object, ...]] = []
    original = scan_module.resolve

    def recording(parsed, root_name, repository="."):  # type: ignore[no-untyped-def]
        captured.append((list(parsed), root_name, repository))
        return original(parsed, root_name, repository)

    scan_module.resolve = recording
    # The scan's own resolve fills the memos; clear what can be cleared so "cold" means cold.
    scan_module.scan([arguments.corpus], ScanOptions(excludes=tuple(arguments.exclude), jobs=1, licenses=None))
    scan_module.resolve = original
    _clear_memos()
    timings = []
    resolutions = []
    for _ in range(arguments.repeat):
        resolutions = []
        gc.collect()
        with _as_in_a_scan():
            start = time.process_time()
            resolutions = [original(*call) for call in captured]
            timings.append(time.process_time() - start)
    digest = hashlib.sha256(repr(resolutions).encode()).hexdigest()[:16]
    components = sum(len(r.components) for r in resolutions)
    edges = sum(len(r.relationships) for r in resolutions)
    summary = f"{sum(len(c[0]) for c in captured)} files, {components} components, {edges} edges"
    warm = min(timings[1:]) if len(timings) > 1 else timings[0]
    print(json.dumps({"cold": timings[0], "warm": warm, "digest": digest, "summary": summary}))
    return 0


def _as_in_a_scan() -> contextlib.AbstractContextManager[None]:
    """The garbage collector tuned as `scan` tunes it around resolve (when the tree does)."""
    try:
        from ospo_scan.collection import fewer_collections
    except ImportError:
        return contextlib.nullcontext()
    return fewer_collections()


def _clear_memos() -> None:
    """Empty every module-level memo resolution keeps (those a tree has; names differ by tree)."""
    import importlib

    for module_name in ("ospo_scan.purl", "ospo_scan.resolution.entries", "ospo_scan.resolution.lock_graph", "ospo_scan.resolve"):
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if hasattr(value, "cache_clear") and hasattr(value, "__wrapped__"):
                value.cache_clear()
            elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
                for inner in value.values():
                    inner.clear()
    for module_name in ("ospo_scan.resolution.entries",):
        module = importlib.import_module(module_name)
        purls = getattr(module, "_PURLS", None)
        if isinstance(purls, dict):
            purls.clear()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--before", type=Path, help="another tree's src folder, run alternately with this one")
    parser.add_argument("--exclude", action="append", default=None, help="as the scan's --exclude (default: fixtures)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.exclude is None:
        arguments.exclude = ["fixtures"]
    return arguments


if __name__ == "__main__":
    sys.exit(main())
