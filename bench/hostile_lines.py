"""Benchmark: parse time of hostile lines and values as they grow (issue 13, item 1).

Usage: python bench/hostile_lines.py [--sizes 125000,250000,500000,1000000] [--only NAME]

Each case builds one file whose hostile part has the given size in characters and times
its parse (best of three). A linear parser doubles its time when the size doubles; the
last column is the ratio of the largest size's time to the smallest's, divided by the
ratio of the sizes: about 1 for linear work, growing with the sizes for quadratic work.
The tests assert only what these files parse to; the times live here.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from ospo_scan.parsers.base import ParseFunction
from ospo_scan.parsers.maven.maven_config import user_properties
from ospo_scan.parsers.python.poetry_constraints import to_specifiers
from ospo_scan.parsers.python.requirements import parse_requirements
from ospo_scan.parsers.shell_words import split
from ospo_scan.reading import SourceFile

Case = Callable[[int], Callable[[], object]]


def _file(parse: ParseFunction, name: str, text: Callable[[int], str]) -> Case:
    def case(size: int) -> Callable[[], object]:
        source = SourceFile(path=name, text=text(size))
        return lambda: parse(source, _NoIncludes())

    return case


class _NoIncludes:
    def read(self, path: str) -> SourceFile:
        raise AssertionError(f"no include expected: {path}")


def _call(function: Callable[[str], object], text: Callable[[int], str]) -> Case:
    def case(size: int) -> Callable[[], object]:
        value = text(size)
        return lambda: function(value)

    return case


def _requirements(text: Callable[[int], str]) -> Case:
    return _file(parse_requirements, "requirements.txt", text)


CASES: dict[str, Case] = {
    "requirements: spaces then a word": _requirements(lambda n: "requests==2.0" + " " * n + "x\nflask==1.0\n"),
    "requirements: trailing spaces": _requirements(lambda n: "requests==2.0" + " " * n + "\nflask==1.0\n"),
    "requirements: --hash= value": _requirements(lambda n: "requests==2.0 --hash=sha256:" + "a" * n + "\n"),
    "requirements: options-only --hash=": _requirements(lambda n: "--hash=sha256:" + "a" * n + "\n"),
    "requirements: brackets in a path": _requirements(lambda n: "./" + "[" * n + "\n"),
    "requirements: extras a,a,a,...": _requirements(lambda n: "requests[" + "a," * (n // 2) + "]==1\n"),
    "requirements: 1 MB of short lines": _requirements(lambda n: "flask==1.0\n" * (n // 11)),
    "shell words: one long word": _call(split, lambda n: "a" * n),
    "maven.config: one long value": _call(user_properties, lambda n: "-Drevision=" + "1" * n),
    "poetry constraint: comma then spaces": _call(to_specifiers, lambda n: "," + " " * n + "|"),
}


def main() -> int:
    arguments = _arguments()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    print(f"{'case':42} " + " ".join(f"{size:>10,}" for size in sizes) + "   growth")
    for name, case in CASES.items():
        if arguments.only and arguments.only not in name:
            continue
        seconds = [_best(case(size)) for size in sizes]
        growth = (seconds[-1] / max(seconds[0], 1e-9)) / (sizes[-1] / sizes[0])
        print(f"{name:42} " + " ".join(f"{value:>9.3f}s" for value in seconds) + f"   {growth:5.2f}")
    return 0


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="125000,250000,500000,1000000")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
