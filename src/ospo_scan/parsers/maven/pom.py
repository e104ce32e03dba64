"""pom.xml -> the dependencies Maven would see, resolved across the POMs of the scan.

`parse_pom_group` is what the scan calls: every pom.xml of a root is read first, so
parents, BOMs and sibling modules are found among them (then on demand in the tree and
in the local Maven repository of ScanContext). `parse_pom` handles one POM alone and
resolves only what that file defines (the scan falls back to it per file).

What a result holds:
- one DeclaredPackage per dependency, named `groupId:artifactId`, `direct=True`, `version`
  only when concrete; `requirement` is the version specifier from the dependency or its
  managed entry, expanded when it resolves (`[1.0,2.0)`, `4.12.0`) and as written when it
  does not (`${guava.version}`); scopes compile/runtime
  -> RUNTIME, test -> TEST, provided and system -> PROVIDED, plus OPTIONAL for
  `<optional>true</optional>`; `group` is the Maven scope as written (from the dependency
  or its managed entry; `compile` when neither says); `key_path` is where the entry sits
  (`project.dependencies.dependency[3]`, 0-based, in the POM that declares it:
  `path` names that POM when it is a parent; `project.parent` when the parent is outside
  the tree); `<type>`/`<classifier>` (other than jar) become purl qualifiers;
- the project (`groupId:artifactId`, version, licenses): several `<license>` entries are
  joined with " OR ", because Maven's POM reference says the user may choose any of them;
- `workspace_members`: the names of every POM of the scan (and of `<modules>` read on
  demand), so a module depending on a sibling module is first-party;
- one ScanIssue per cause per file, counting what it affects (`property ${foo.version}
  is not defined (3 dependencies)`), and one per entry that could not be kept, each with
  its code: `unresolved-parent` (a parent or BOM that is not available, and versions only
  it could manage), `unresolved-property` (a placeholder without a value), `invalid-entry`
  (an entry Maven would refuse: no groupId, no version at all). All stay errors: what they
  hide is not in the inventory. A file that is not XML or not a POM raises ParseError.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable, Sequence

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, ScanIssue, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    ParseError,
    ParseResult,
    ParserSpec,
    ScanContext,
    SourceFile,
)
from ospo_scan.parsers.maven.maven_config import with_user_properties
from ospo_scan.parsers.maven.pom_index import PomIndex
from ospo_scan.parsers.maven.pom_dependency import Cause
from ospo_scan.parsers.maven.pom_model import EffectiveModel, ModelBuilder, ResolvedDependency
from ospo_scan.parsers.maven.pom_syntax import PomDocument, Problem, read_pom

PARSER_NAME = "maven-pom"

_SCOPES = {
    "compile": Scope.RUNTIME,
    "runtime": Scope.RUNTIME,
    "test": Scope.TEST,
    "provided": Scope.PROVIDED,
    "system": Scope.PROVIDED,
}


def parse_pom(source: SourceFile, reader: FileReader) -> ParseResult:  # noqa: ARG001 - alone on purpose
    """One POM alone: only what the file itself defines is resolved."""
    document = read_pom(source)
    index = PomIndex({source.path: document})
    return _result(ModelBuilder(index).build(index.scanned(source.path)), _member_names(index, [document]))


def parse_pom_group(sources: Sequence[SourceFile], reader: FileReader, context: ScanContext) -> dict[str, ParseResult]:
    """Every POM of a scan root together. A file that fails is left out of the mapping, so
    the scan parses it alone and records its error."""
    documents: dict[str, PomDocument] = {}
    for source in sources:
        try:
            documents[source.path] = read_pom(source)
        except ParseError:
            continue  # left to parse_pom, which raises the same error for the scan to record
    documents = with_user_properties(documents, reader)
    index = PomIndex(documents, reader, context.maven_repository)
    builder = ModelBuilder(index)
    members = _member_names(index, documents.values())
    results: dict[str, ParseResult] = {}
    for path in documents:
        try:
            results[path] = _result(builder.build(index.scanned(path)), members)
        except Exception:  # noqa: BLE001 - a resolution bug must cost only this file: parse_pom retries it alone and the scan records the error
            continue
    return results


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.MAVEN,
    role=FileRole.MANIFEST,
    # Only `pom.xml`: repository `.pom` files are read on demand, never scanned.
    file_names=frozenset({"pom.xml"}),
    parse=parse_pom,
    parse_group=parse_pom_group,
)


def _member_names(index: PomIndex, documents: Iterable[PomDocument]) -> list[str]:
    """`groupId:artifactId` of every POM of the scan and of the modules they list."""
    names: set[str] = set()
    for document in documents:
        names.update(_name_of(document))
        directory = posixpath.dirname(document.path)
        for module in document.modules:
            found = index.at_path(posixpath.join(directory, module))
            if found is not None:
                names.update(_name_of(found.document))
    return sorted(names)


def _name_of(document: PomDocument) -> list[str]:
    group = document.group_id or (document.parent.group_id if document.parent else None)
    if not group or not document.artifact_id or "${" in group + document.artifact_id:
        return []
    return [f"{group}:{document.artifact_id}"]


def _result(model: EffectiveModel, members: list[str]) -> ParseResult:
    path = model.located.key
    member_set = set(members)
    packages = [_package(dependency, member_set) for dependency in model.dependencies]
    found = [*model.located.document.problems, *_cause_problems(model)]
    issues = [
        ScanIssue(path=path, line=problem.line, parser=PARSER_NAME, message=problem.message, code=problem.code, key_path=problem.key_path)
        for problem in found
    ]
    name = f"{model.group_id}:{model.artifact_id}" if model.group_id and model.artifact_id else None
    return ParseResult(
        packages=packages,
        project=DeclaredProject(name=name, version=model.version, license=_license(model)),
        issues=issues,
        workspace_members=list(members),
    )


def _package(dependency: ResolvedDependency, members: set[str]) -> DeclaredPackage:
    name = f"{dependency.group_id}:{dependency.artifact_id}"
    scopes = {_SCOPES.get(dependency.scope, Scope.RUNTIME)}
    if dependency.optional:
        scopes.add(Scope.OPTIONAL)
    notes = list(dependency.notes)
    if dependency.scope not in _SCOPES:
        notes.append(f"unknown scope {excerpt(dependency.scope)} (counted as runtime)")
    notes.extend(f"version unresolved: {cause.text}" for cause in dependency.causes)
    return DeclaredPackage(
        name=name,
        version=dependency.version,
        requirement=dependency.requirement,
        scopes=frozenset(scopes),
        direct=True,
        first_party=name in members,
        line=dependency.line,
        path=dependency.path,
        note="; ".join(notes) or None,
        qualifiers=_qualifiers(dependency.type, dependency.classifier),
        group=dependency.scope,
        key_path=dependency.key_path,
    )


def _qualifiers(kind: str | None, classifier: str | None) -> tuple[tuple[str, str], ...]:
    """The purl spec's Maven qualifiers: `classifier`, and `type` unless it is the default jar."""
    found = [("classifier", classifier), ("type", kind if kind != "jar" else None)]
    return tuple((key, value) for key, value in found if value)


def _cause_problems(model: EffectiveModel) -> list[Problem]:
    """One problem per cause: the POM's own problems first, then counted causes (at the
    line and key path of the first dependency affected in this file)."""
    counts: Counter[Cause] = Counter()
    first: dict[Cause, ResolvedDependency | None] = {}
    for dependency in model.dependencies:
        counts.update(dependency.causes)
        for cause in dependency.causes:
            first.setdefault(cause, dependency if dependency.path is None else None)
    problems: list[Problem] = list(dict.fromkeys(model.problems))
    for cause in dict.fromkeys([*model.coordinate_causes, *counts]):
        parts = [f"{counts[cause]} dependenc{'y' if counts[cause] == 1 else 'ies'}"] if counts[cause] else []
        if cause in model.coordinate_causes:
            parts.insert(0, "the project's own coordinates")
        where = first.get(cause)
        line, key_path = (where.line, where.key_path) if where is not None else (None, None)
        problems.append(Problem(line=line, message=f"{cause.text} ({', '.join(parts)})", code=cause.code, key_path=key_path))
    return problems


def _license(model: EffectiveModel) -> str | None:
    names = [item.name or item.url for item in model.licenses if item.name or item.url]
    return " OR ".join(dict.fromkeys(n for n in names if n)) or None
