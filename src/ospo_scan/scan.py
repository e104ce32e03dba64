"""The scan pipeline: discovery -> parsing (failure contained per file) -> resolution.

Returns an Inventory and prints nothing; the CLI decides how to show it and which
exit code it means. A caller that wants to show progress passes a callback to scan():
it hears of each phase and file and can change nothing, so it is no ScanOption and
never enters the provenance digest.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ospo_scan.collection import fewer_collections
from ospo_scan.defaults import default_go_module_cache, default_maven_repository
from ospo_scan.discovery import Discovery, FoundFile, discover
from ospo_scan.licenses.classify import LicenseOptions, ScannedRoot, classify_licenses
from ospo_scan.model import Component, Dependency, Inventory, Location, Project, Repository, ScanIssue
from ospo_scan.provenance import build_provenance
from ospo_scan.redaction import scrub_components, scrub_issues
from ospo_scan.repository import describe_repository
from ospo_scan.resolution.entries import merge_components
from ospo_scan.file_parsing import parse_file, parse_group
from ospo_scan.parallel import RootWork, default_jobs, parse_roots
from ospo_scan.parsers import PARSERS
from ospo_scan.parsers.base import ParseResult, ParserSpec, ScanContext
from ospo_scan.reading import DEFAULT_MAX_FILE_SIZE, SandboxReader, printable_path
from ospo_scan.resolve import ParsedFile, Resolution, resolve


class ScanInputError(Exception):
    """A path given to the scan does not exist or cannot be scanned at all."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanOptions:
    """Knobs of a scan, as the CLI or an API caller sets them."""

    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    parsers: tuple[ParserSpec, ...] | None = None
    """Formats to recognize; None means the full registry."""
    maven_repository: Path | None = None
    """Local Maven repository to find parent POMs and BOMs in (never downloaded)."""
    jobs: int = 0
    """Worker processes for parsing; 0 means one per core."""
    licenses: LicenseOptions | None = field(default_factory=LicenseOptions)
    """Where license evidence may be looked for; None skips the license stage."""
    user_defaults: bool = True
    """Fill what is not given from the user's default locations (~/.m2/repository, the Go
    module cache), as the CLI does; False scans only what the options name."""


class ScanPhase(str, Enum):
    """The stages a progress callback hears of, in order (per root for the first three)."""

    DISCOVERING = "discovering"
    """Walking a root; done and total count roots."""
    PARSING = "parsing"
    """Reading files; done and total count files (the total grows as each root is walked)."""
    RESOLVING = "resolving"
    """Joining manifests and lockfiles of a root; done and total count roots."""
    LICENSES = "licenses"
    """Looking for license evidence; 0 of 1 when it starts."""


ProgressCallback = Callable[[ScanPhase, int, int], None]
"""(phase, done, total), called in the scanning thread as the scan moves on."""


def scan(paths: Sequence[Path], options: ScanOptions | None = None, progress: ProgressCallback | None = None) -> Inventory:
    """Scan each path (a directory, or a single manifest) and merge everything found.

    Each path is its own Repository, resolved on its own: what one repository's
    components are (first-party included) never depends on what else is scanned beside it.
    """
    with fewer_collections():
        return _scan(paths, options, progress)


def _scan(paths: Sequence[Path], options: ScanOptions | None, progress: ProgressCallback | None) -> Inventory:
    tell = progress or _silent
    options = _with_defaults(options or ScanOptions())
    labelled = len(paths) > 1
    context = _context(options)
    issues: list[ScanIssue] = []
    roots: list[str] = []
    root_folders: list[ScannedRoot] = []
    repositories: list[Repository] = []
    resolutions: list[Resolution] = []
    counts = _Counts()

    def walked() -> Iterator[RootWork[_Root]]:
        """Each root, walked only when the parsing asks for it (the pool keeps ahead)."""
        for index, path in enumerate(paths):
            tell(ScanPhase.DISCOVERING, index, len(paths))
            root, discovery = _files_to_scan(path, options)
            # A single file walks nothing: the license stage then looks beside it by itself.
            root_folders.append(ScannedRoot(path=root, skipped=discovery.skipped if path.is_dir() else None))
            label = printable_path(path.as_posix()) if labelled else ""
            roots.append(printable_path(path.as_posix()))
            repository = describe_repository(root, label or ".")
            repositories.append(repository)
            issues.extend(_relabel_issue(issue, label) for issue in discovery.issues)
            counts.attempted += len(discovery.files)
            tell(ScanPhase.PARSING, counts.parsed, counts.attempted)
            name = printable_path(Path(path).resolve().name if path.is_dir() else root.resolve().name)
            yield _root_work(_Root(index=index, label=label, name=name, repository=repository.id), discovery.files, SandboxReader(root, options.max_file_size), context)

    for root, outcomes in parse_roots(walked(), options.jobs or default_jobs()):
        parsed: list[ParsedFile] = []
        for item, result, file_issues in outcomes:
            counts.parsed += 1
            tell(ScanPhase.PARSING, counts.parsed, counts.attempted)
            issues.extend(_relabel_issue(issue, root.label) for issue in file_issues)
            if result is not None:
                parsed.append(ParsedFile(path=_join(root.label, item.relative_path), spec=item.spec, result=result))
        tell(ScanPhase.RESOLVING, root.index, len(paths))
        resolution = resolve(parsed, root.name, root.repository)
        del parsed  # the parse results of a resolved root are no longer needed: only its Resolution is kept
        resolutions.append(resolution)
        issues.extend(resolution.issues)
    inventory = Inventory(
        roots=tuple(roots),
        projects=tuple(sorted((p for r in resolutions for p in r.projects), key=lambda p: (p.path, p.ecosystem.value))),
        components=scrub_components(merge_components(r.components for r in resolutions)),
        relationships=_merged_edges(resolutions),
        issues=tuple(sorted(set(scrub_issues(issues)), key=_issue_key)),
        files_scanned=counts.attempted,
        repositories=tuple(repositories),
        provenance=build_provenance(_result_options(options)),
    )
    if options.licenses is None:
        return inventory
    tell(ScanPhase.LICENSES, 0, 1)
    return classify_licenses(inventory, root_folders, _with_maven_repository(options.licenses, options.maven_repository))


@dataclass(slots=True)
class _Counts:
    """Files found so far (the PARSING total, growing as roots are walked) and parsed so far."""

    attempted: int = 0
    parsed: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class _Root:
    """What resolving one root needs besides its parse results."""

    index: int
    label: str
    """The root's path as reports prefix its files' paths with (empty for a lone root)."""
    name: str
    repository: str


def _silent(phase: ScanPhase, done: int, total: int) -> None:
    """The progress callback of a caller that asked for none."""


def _merged_edges(resolutions: Sequence[Resolution]) -> tuple[Dependency, ...]:
    """Every repository's edges, once each, sorted (keyed by plain strings, which hash fast)."""
    edges = {edge.sort_key(): edge for resolution in resolutions for edge in resolution.relationships}
    return tuple(edges[key] for key in sorted(edges))


def _with_defaults(options: ScanOptions) -> ScanOptions:
    """The options with the user's default cache locations filled in where none is given."""
    if not options.user_defaults:
        return options
    maven = options.maven_repository or default_maven_repository()
    licenses = options.licenses
    if licenses is not None and licenses.go_module_cache is None:
        licenses = dataclasses.replace(licenses, go_module_cache=default_go_module_cache())
    return dataclasses.replace(options, maven_repository=maven, licenses=licenses, user_defaults=False)


def _result_options(options: ScanOptions) -> dict[str, object]:
    """The options that change what a scan finds (the provenance digest covers these)."""
    licenses = options.licenses
    return {
        "excludes": list(options.excludes),
        "max_file_size": options.max_file_size,
        "parsers": None if options.parsers is None else sorted(spec.name for spec in options.parsers),
        "maven_repository": str(options.maven_repository) if options.maven_repository else None,
        "licenses": None if licenses is None else {
            "python_envs": [str(env) for env in licenses.python_envs],
            "go_module_cache": str(licenses.go_module_cache) if licenses.go_module_cache else None,
            "maven_repository": str(licenses.maven_repository) if licenses.maven_repository else None,
            "curations": [(c.purl, str(c.license), c.reason) for c in licenses.curations.entries],
        },
    }


def _with_maven_repository(licenses: LicenseOptions, repository: Path | None) -> LicenseOptions:
    """The --maven-repo that resolves parent POMs also holds artifacts' license declarations."""
    if licenses.maven_repository is None and repository is not None:
        return dataclasses.replace(licenses, maven_repository=repository)
    return licenses


def _context(options: ScanOptions) -> ScanContext:
    repository = options.maven_repository
    if repository is None or not _enterable_folder(repository):
        return ScanContext()
    return ScanContext(maven_repository=SandboxReader(repository, options.max_file_size))


def _enterable_folder(path: Path) -> bool:
    """A folder whose parent this user may not enter makes is_dir raise instead of saying
    no: such a Maven repository is the same as none given (the license stage says why)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _root_work(root: _Root, found: Sequence[FoundFile], reader: SandboxReader, context: ScanContext) -> RootWork[_Root]:
    """Single-file formats go to the workers one by one; cross-file formats (POMs) are
    parsed here as a group, while the workers parse (after the single files in the output)."""
    grouped: dict[str, list[FoundFile]] = defaultdict(list)
    single = [item for item in found if item.spec.parse_group is None]
    for item in found:
        if item.spec.parse_group is not None:
            grouped[item.spec.name].append(item)

    def parse_groups() -> list[tuple[FoundFile, ParseResult | None, list[ScanIssue]]]:
        return [outcome for items in grouped.values() for outcome in parse_group(items, reader, context)]

    return RootWork(tag=root, reader=reader, single=single, groups=parse_groups)


def _files_to_scan(path: Path, options: ScanOptions) -> tuple[Path, Discovery]:
    """A directory is walked; a single file is parsed if some parser knows its name."""
    parsers = PARSERS if options.parsers is None else options.parsers
    if path.is_dir():
        try:
            os.scandir(path).close()
        except OSError as error:
            raise ScanInputError(f"{path}: cannot read the directory: {error.strerror}") from None
        return path, discover(path, parsers, options.excludes)
    if path.is_file():
        for spec in parsers:
            if spec.accepts(path.name):
                return path.parent, Discovery(files=[FoundFile(root=path.parent, relative_path=path.name, spec=spec)], issues=[])
        raise ScanInputError(f"{path}: not a manifest or lockfile that ospo-scan understands")
    if path.exists() or path.is_symlink():
        raise ScanInputError(f"{path}: not a directory or regular file")
    raise ScanInputError(f"{path}: no such file or directory")


def _join(label: str, relative: str) -> str:
    return posixpath.join(label, relative) if label else relative


def _relabel_issue(issue: ScanIssue, label: str) -> ScanIssue:
    if not label:
        return issue
    return dataclasses.replace(issue, path=_join(label, issue.path))


def _issue_key(issue: ScanIssue) -> tuple[str, int, str, str]:
    return issue.path, issue.line or 0, issue.parser, issue.message


__all__ = ["Component", "Inventory", "Location", "ProgressCallback", "Project", "ScanInputError", "ScanOptions", "ScanPhase", "parse_file", "scan"]
