"""Benchmark: start-up cost, the part of every run that does no scanning at all.

Usage: python bench/startup.py [--rounds N] [--src DIR]

Two measurements, each a fresh interpreter, alternated for N rounds (median reported):

- `ospo-scan --version`: wall time of the whole process, the floor of any invocation;
- a scan of the bundled example (`examples/`, table output to /dev/null): the wall time
  of the process, and of that the seconds spent importing modules before the first byte
  is scanned. The import share is read from `-X importtime` (the sum of the top-level
  imports' cumulative times), which is what lazy imports (rich, YAML, XML, the license
  matcher, loaded only where used) reduce.

Issue 13's target: both well under half a second of import. `--src` runs another source
tree (a worktree of an older revision) with this interpreter, for BEFORE numbers; run it
with and without `--src` in one shell session so both see the same machine. Numbers go into
issue notes; tests never assert on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def main() -> int:
    arguments = _arguments()
    sources = {"after": None} if arguments.src is None else {"before": arguments.src.resolve(), "after": None}
    with tempfile.TemporaryDirectory(prefix="ospo-startup-") as temporary:
        results: dict[str, dict[str, list[float]]] = {name: {"version": [], "example": [], "imports": []} for name in sources}
        for round_index in range(arguments.rounds + 1):  # round 0 warms the page and bytecode caches
            for name, src in sources.items():
                environment = _environment(Path(temporary), src)
                version = _wall([sys.executable, "-m", "ospo_scan", "--version"], environment)
                example, imports = _example(environment)
                if round_index:
                    results[name]["version"].append(version)
                    results[name]["example"].append(example)
                    results[name]["imports"].append(imports)
    print(f"median of {arguments.rounds} rounds, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name, measured in results.items():
        print(f"  {name:<7} --version {statistics.median(measured['version']):.3f} s   "
              f"example scan {statistics.median(measured['example']):.3f} s, "
              f"of which imports {statistics.median(measured['imports']):.3f} s   (target: well under 0.5 s of import)")
    return 0


def _environment(temporary: Path, src: Path | None) -> dict[str, str]:
    """An empty HOME (no user cache), bytecode cached apart per source tree."""
    home = temporary / "home"
    home.mkdir(exist_ok=True)
    environment = {**os.environ, "HOME": str(home), "PYTHONPYCACHEPREFIX": str(temporary / ("pycache-before" if src else "pycache"))}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    if src is not None:
        environment["PYTHONPATH"] = str(src)
    return environment


def _wall(command: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _example(environment: dict[str, str]) -> tuple[float, float]:
    """(wall seconds of a scan of examples/, seconds of it spent importing)."""
    command = [sys.executable, "-X", "importtime", "-m", "ospo_scan", "scan", str(REPOSITORY / "examples"), "--output", os.devnull]
    start = time.perf_counter()
    finished = subprocess.run(command, env=environment, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if finished.returncode not in (0, 1):
        raise SystemExit(f"example scan exited {finished.returncode}: {finished.stderr[-2000:]}")
    return wall, _top_level_import_seconds(finished.stderr)


def _top_level_import_seconds(importtime_log: str) -> float:
    """Sum of the cumulative times of imports at nesting level 0 (each counted once)."""
    total_us = 0
    for line in importtime_log.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line[len("import time:"):].split("|", 2)
        if cumulative.strip().isdigit() and not name[1:].startswith(" "):  # level 0: one space after the bar
            total_us += int(cumulative)
    return total_us / 1e6


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--src", type=Path, default=None, help="also measure this source folder (BEFORE), side by side")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(main())
