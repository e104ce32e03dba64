"""One JSON report in, one RepositoryScan per repository out.

A report may cover many repositories (`ospo-scan scan a b c`); the store keeps each
apart, so that a repository scanned alone and the same repository scanned beside
others give the same stored scan (and the same digest: saved once). So project ids
and paths written relative to a multi-root label (`pypi:/src/a/services/api`) are made
relative to their repository again (`pypi:services/api`). Every field kept is read
through Shape: a malformed document is a StoreError naming the source and key path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
from packageurl import PackageURL

from ospo_scan.provenance import SCHEMA_VERSION
from ospo_scan.store.errors import StoreError
from ospo_scan.store.model import RepositoryScan, StoredComponent, StoredGap, StoredProject, StoredUsage, StoredViolation
from ospo_scan.store.shape import Shape


Owner = Mapping[str, tuple[str, str]]
"""Project id as the report writes it -> (repository id, project id as stored)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Repository:
    id: str
    name: str
    commit: str | None
    branch: str | None


def read_scan_file(path: Path) -> Iterator[RepositoryScan]:
    """The scans of a JSON report file (`snapshot import`); errors name the file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise StoreError(f"{path}: not JSON: {error}") from None
    if not isinstance(document, Mapping) or "schema_version" not in document or "tool" not in document:
        raise StoreError(f"{path}: not an ospo-scan JSON report (no schema_version and tool); make one with `ospo-scan scan --format json`")
    return repository_scans(document, source=str(path))


def repository_scans(document: Mapping[str, Any], repository_name: str | None = None, source: str = "report") -> Iterator[RepositoryScan]:
    """One RepositoryScan per entry of the report's `repositories`, named `repository_name`
    (only for a report of one repository) or after the folder of the repository's root.
    The whole document is checked before the first scan is given, so a bad one stores nothing."""
    shape = Shape(source)
    root = shape.mapping(document, "")
    _check_identity(shape, root)
    repositories = _repositories(shape, root, repository_name)
    projects = _projects(shape, root, repositories)
    owners = _owners(shape, root)
    components = _components(shape, root, repositories, owners)
    gaps = _gaps(shape, root, repositories, owners, components)
    violations, has_policy = _violations(shape, root, repositories, owners, components)
    tool_version = shape.string(shape.mapping(root.get("tool"), "tool").get("version"), "tool.version")
    status = shape.string(root.get("status"), "status")
    scans = []
    for repository in repositories.values():
        scan = RepositoryScan(
            repository=repository.name,
            commit=repository.commit,
            branch=repository.branch,
            digest="",
            tool_version=tool_version,
            status=status,
            has_policy=has_policy,
            projects=tuple(sorted(projects[repository.id], key=lambda p: p.id)),
            components=tuple(sorted(components[repository.id].values(), key=lambda c: (c.purl, c.first_party))),
            gaps=tuple(sorted(gaps[repository.id], key=_gap_order)),
            violations=tuple(sorted(violations[repository.id], key=_violation_order)),
        )
        scans.append(dataclasses.replace(scan, digest=digest_of(scan)))
    return iter(scans)


def digest_of(scan: RepositoryScan) -> str:
    """sha256 over a canonical JSON of the scan without its digest: equal scans, equal digests."""
    content = dataclasses.asdict(dataclasses.replace(scan, digest="", profile=None))
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@lru_cache(maxsize=65536)
def purl_parts(purl: str) -> tuple[str | None, str]:
    """(namespace, name) of a purl, as the purl spells them (ValueError when it is none)."""
    parsed = PackageURL.from_string(purl)
    return parsed.namespace or None, parsed.name


def _check_identity(shape: Shape, root: Mapping[str, Any]) -> None:
    tool = shape.mapping(root.get("tool"), "tool")
    if tool.get("name") != "ospo-scan":
        raise shape.fail("tool.name", "not a JSON report of ospo-scan (tool.name is not \"ospo-scan\")")
    version = root.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise shape.fail("schema_version", f"this ospo-scan stores reports of schema version {SCHEMA_VERSION}, not {version!r}"[:200])


def _repositories(shape: Shape, root: Mapping[str, Any], repository_name: str | None) -> dict[str, _Repository]:
    entries = shape.array(root.get("repositories"), "repositories")
    if not entries:
        raise shape.fail("repositories", "the report names no repository: nothing to store")
    if repository_name is not None and len(entries) != 1:
        raise shape.fail("repositories", f"a repository name can only be given for a report of one repository; this one has {len(entries)}")
    found: dict[str, _Repository] = {}
    names: set[str] = set()
    for index, item in enumerate(entries):
        where = f"repositories[{index}]"
        entry = shape.mapping(item, where)
        repo_id = shape.string(entry.get("id"), f"{where}.id")
        root_folder = shape.string(entry.get("root"), f"{where}.root")
        name = repository_name or PurePosixPath(root_folder.replace("\\", "/")).name or PurePosixPath(repo_id).name or root_folder or repo_id
        if repo_id in found:
            raise shape.fail(f"{where}.id", f"repository id {repo_id!r} appears twice")
        if name in names:
            raise shape.fail(f"{where}.root", f"two repositories would both be named {name!r}; import them apart with a name each")
        names.add(name)
        found[repo_id] = _Repository(
            id=repo_id,
            name=name,
            commit=shape.optional_string(entry.get("commit"), f"{where}.commit"),
            branch=shape.optional_string(entry.get("branch"), f"{where}.branch"),
        )
    return found


def _relative(value: str, repo_id: str) -> str:
    """`value` with the multi-root label `repo_id` taken off its front (`.` when it is all of it)."""
    if repo_id == ".":
        return value
    if value == repo_id:
        return "."
    prefix = repo_id.rstrip("/") + "/"
    return value[len(prefix):] if value.startswith(prefix) else value


def _project_id(original: str, repo_id: str) -> str:
    ecosystem, colon, rest = original.partition(":")
    return f"{ecosystem}:{_relative(rest, repo_id)}" if colon else _relative(original, repo_id)


def _project_entries(shape: Shape, root: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(f"projects[{i}]", shape.mapping(item, f"projects[{i}]")) for i, item in enumerate(shape.array(root.get("projects"), "projects"))]


def _projects(shape: Shape, root: Mapping[str, Any], repositories: Mapping[str, _Repository]) -> dict[str, list[StoredProject]]:
    found: dict[str, list[StoredProject]] = {repo_id: [] for repo_id in repositories}
    seen: set[tuple[str, str]] = set()
    for where, entry in _project_entries(shape, root):
        repo_id = shape.string(entry.get("repository"), f"{where}.repository")
        if repo_id not in repositories:
            raise shape.fail(f"{where}.repository", f"{repo_id!r} is not the id of any entry of repositories"[:300])
        project_id = _project_id(shape.string(entry.get("id"), f"{where}.id"), repo_id)
        if (repo_id, project_id) in seen:
            raise shape.fail(f"{where}.id", f"project {project_id!r} appears twice in its repository"[:300])
        seen.add((repo_id, project_id))
        info = entry.get("license_info")
        expression = shape.optional_string(shape.mapping(info, f"{where}.license_info").get("expression"), f"{where}.license_info.expression") if info is not None else None
        path = shape.optional_string(entry.get("path"), f"{where}.path")
        found[repo_id].append(
            StoredProject(
                id=project_id,
                name=shape.optional_string(entry.get("name"), f"{where}.name"),
                ecosystem=shape.string(entry.get("ecosystem"), f"{where}.ecosystem"),
                path=_relative(path, repo_id) if path is not None else ".",
                license=expression,
            )
        )
    return found


def _components(
    shape: Shape, root: Mapping[str, Any], repositories: Mapping[str, _Repository], projects: Owner
) -> dict[str, dict[str, StoredComponent]]:
    """Repository id -> purl -> the component as that repository uses it."""
    found: dict[str, dict[str, StoredComponent]] = {repo_id: {} for repo_id in repositories}
    for index, item in enumerate(shape.array(root.get("components"), "components")):
        where = f"components[{index}]"
        entry = shape.mapping(item, where)
        purl = shape.string(entry.get("purl"), f"{where}.purl")
        try:
            namespace, _ = purl_parts(purl)
        except ValueError as error:
            raise shape.fail(f"{where}.purl", f"not a package URL ({error})"[:300]) from None
        license_ = entry.get("license")
        info = shape.mapping(license_, f"{where}.license") if license_ is not None else {}
        usages_by_repo: dict[str, list[StoredUsage]] = defaultdict(list)
        for u_index, raw in enumerate(shape.array(entry.get("usages", []), f"{where}.usages")):
            u_where = f"{where}.usages[{u_index}]"
            usage = shape.mapping(raw, u_where)
            original = shape.string(usage.get("project"), f"{u_where}.project")
            if original not in projects:
                raise shape.fail(f"{u_where}.project", f"{original!r} is not the id of any entry of projects"[:300])
            repo_id, project_id = projects[original]
            usages_by_repo[repo_id].append(
                StoredUsage(
                    project=project_id,
                    lifecycle=shape.string(usage.get("lifecycle"), f"{u_where}.lifecycle"),
                    directness=shape.string(usage.get("directness"), f"{u_where}.directness"),
                )
            )
        base = dict(
            purl=purl,
            ecosystem=shape.string(entry.get("ecosystem"), f"{where}.ecosystem"),
            namespace=namespace,
            name=shape.string(entry.get("name"), f"{where}.name"),
            version=shape.optional_string(entry.get("version"), f"{where}.version"),
            license=shape.optional_string(info.get("expression"), f"{where}.license.expression"),
            category=shape.optional_string(info.get("category"), f"{where}.license.category") or "unknown",
            first_party=shape.flag(entry.get("first_party"), f"{where}.first_party"),
        )
        # A component no usage claims still belongs somewhere (mark, don't drop): to every repository.
        for repo_id in usages_by_repo or repositories:
            usages = tuple(sorted(set(usages_by_repo.get(repo_id, [])), key=lambda u: (u.project, u.lifecycle, u.directness)))
            found[repo_id][purl] = StoredComponent(usages=usages, **base)  # type: ignore[arg-type]
    return found


def _owners(shape: Shape, root: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Each project id as the report writes it -> (repository id, project id as stored)."""
    found = {}
    for where, entry in _project_entries(shape, root):
        repo_id = shape.string(entry.get("repository"), f"{where}.repository")
        original = shape.string(entry.get("id"), f"{where}.id")
        found[original] = (repo_id, _project_id(original, repo_id))
    return found


def _claimants(
    project: str | None, component: str | None, path: Any, where: str, shape: Shape, owners: Owner,
    repositories: Mapping[str, _Repository], components: Mapping[str, Mapping[str, StoredComponent]],
) -> list[tuple[str, str | None]]:
    """(repository id, stored project id) of each repository a gap or violation belongs to:
    its project's; else every repository using its component; else the one whose label
    its file is under (a multi-root report writes `<label>/<path>`); else every repository."""
    if project is not None:
        if project not in owners:
            raise shape.fail(f"{where}.project", f"{project!r} is not the id of any entry of projects"[:300])
        return [owners[project]]
    if component is None and len(repositories) > 1 and isinstance(path, str):
        under = [repo_id for repo_id in repositories if _relative(path, repo_id) != path]
        if len(under) == 1:
            return [(under[0], None)]
    using = [repo_id for repo_id, found in components.items() if component is not None and component in found]
    return [(repo_id, None) for repo_id in (using or list(repositories))]


def _raw_path(entry: Mapping[str, Any]) -> Any:
    """The location path as written (checked later, by _place), or None."""
    location = entry.get("location")
    return location.get("path") if isinstance(location, Mapping) else None


def _place(shape: Shape, raw: Any, where: str, repo_id: str) -> tuple[str | None, int | None]:
    if raw is None:
        return None, None
    location = shape.mapping(raw, where)
    path = shape.optional_string(location.get("path"), f"{where}.path")
    return (_relative(path, repo_id) if path is not None else None), shape.optional_line(location.get("line"), f"{where}.line")


def _gaps(
    shape: Shape, root: Mapping[str, Any], repositories: Mapping[str, _Repository], owners: Owner,
    components: Mapping[str, Mapping[str, StoredComponent]],
) -> dict[str, list[StoredGap]]:
    found: dict[str, list[StoredGap]] = {repo_id: [] for repo_id in repositories}
    analysis = root.get("analysis")
    if analysis is None:
        return found
    gaps = shape.mapping(shape.mapping(analysis, "analysis").get("gaps", {}), "analysis.gaps")
    for index, item in enumerate(shape.array(gaps.get("items", []), "analysis.gaps.items")):
        where = f"analysis.gaps.items[{index}]"
        entry = shape.mapping(item, where)
        component = shape.optional_string(entry.get("component"), f"{where}.component")
        project = shape.optional_string(entry.get("project"), f"{where}.project")
        code = shape.string(entry.get("code"), f"{where}.code")
        severity = shape.string(entry.get("severity"), f"{where}.severity")
        message = shape.optional_string(entry.get("message"), f"{where}.message") or ""
        for repo_id, project_id in _claimants(project, component, _raw_path(entry), where, shape, owners, repositories, components):
            path, line = _place(shape, entry.get("location"), f"{where}.location", repo_id)
            found[repo_id].append(StoredGap(code=code, severity=severity, message=message, component=component, project=project_id, path=path, line=line))
    return found


def _violations(
    shape: Shape, root: Mapping[str, Any], repositories: Mapping[str, _Repository], owners: Owner,
    components: Mapping[str, Mapping[str, StoredComponent]],
) -> tuple[dict[str, list[StoredViolation]], bool]:
    """Every violation in force (`violations` and a baseline's `known` ones, as diff reads
    them), and whether the report was judged by a policy at all."""
    found: dict[str, list[StoredViolation]] = {repo_id: [] for repo_id in repositories}
    policy = root.get("policy")
    if policy is None:
        return found, False
    section = shape.mapping(policy, "policy")
    items = [(f"policy.violations[{i}]", v) for i, v in enumerate(shape.array(section.get("violations"), "policy.violations"))]
    baseline = section.get("baseline")
    if baseline is not None:
        known = shape.array(shape.mapping(baseline, "policy.baseline").get("known", []), "policy.baseline.known")
        items += [(f"policy.baseline.known[{i}]", v) for i, v in enumerate(known)]
    for where, item in items:
        entry = shape.mapping(item, where)
        component = shape.optional_string(entry.get("component"), f"{where}.component")
        project = shape.optional_string(entry.get("project"), f"{where}.project")
        fields = dict(
            fingerprint=shape.string(entry.get("fingerprint"), f"{where}.fingerprint"),
            rule=shape.string(entry.get("rule"), f"{where}.rule"),
            severity=shape.string(entry.get("severity"), f"{where}.severity"),
            message=shape.optional_string(entry.get("message"), f"{where}.message") or "",
            component=component,
            package=shape.optional_string(entry.get("package"), f"{where}.package"),
        )
        for repo_id, project_id in _claimants(project, component, _raw_path(entry), where, shape, owners, repositories, components):
            path, line = _place(shape, entry.get("location"), f"{where}.location", repo_id)
            found[repo_id].append(StoredViolation(project=project_id, path=path, line=line, **fields))  # type: ignore[arg-type]
    return found, True


def _gap_order(gap: StoredGap) -> tuple[str, str, str, str, int, str]:
    return gap.code, gap.component or "", gap.project or "", gap.path or "", gap.line or 0, gap.message


def _violation_order(violation: StoredViolation) -> tuple[str, str, str, str, int, str]:
    return violation.rule, violation.fingerprint, violation.project or "", violation.path or "", violation.line or 0, violation.message
