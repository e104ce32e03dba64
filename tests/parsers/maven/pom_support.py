"""Helpers shared by the POM tests: parse a folder of POMs the way the scan does."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.model import Scope
from ospo_scan.parsers.base import ParseResult, ScanContext
from ospo_scan.parsers.maven.pom import parse_pom, parse_pom_group
from ospo_scan.reading import SandboxReader

FIXTURES = Path(__file__).parent / "fixtures"
RUNTIME, TEST, PROVIDED, OPTIONAL = Scope.RUNTIME, Scope.TEST, Scope.PROVIDED, Scope.OPTIONAL


def pom_paths(root: Path) -> list[str]:
    """Every pom.xml under `root`, root-relative, sorted (what discovery would find)."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("pom.xml"))


def parse_tree(root: Path, *, repository: Path | None = None, only: list[str] | None = None) -> dict[str, ParseResult]:
    """parse_pom_group over the POMs of `root` (or `only` those), with an optional local repository."""
    reader = SandboxReader(root)
    context = ScanContext(maven_repository=SandboxReader(repository) if repository is not None else None)
    paths = only if only is not None else pom_paths(root)
    return parse_pom_group([reader.read(path) for path in paths], reader, context)


def parse_alone(root: Path, path: str = "pom.xml") -> ParseResult:
    """parse_pom on one file, as the scan's per-file fallback calls it."""
    reader = SandboxReader(root)
    return parse_pom(reader.read(path), reader)


def summary(result: ParseResult) -> list[tuple[str, str | None, str | None, frozenset[Scope], int | None]]:
    """(name, version, requirement, scopes, line) of every package, in file order."""
    return [(p.name, p.version, p.requirement, p.scopes, p.line) for p in result.packages]


def notes(result: ParseResult) -> dict[str, str | None]:
    return {p.name: p.note for p in result.packages}


def issues(result: ParseResult) -> list[tuple[int | None, str]]:
    return [(found.line, found.message) for found in result.issues]


def scopes(*members: Scope) -> frozenset[Scope]:
    return frozenset(members)
