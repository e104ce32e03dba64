"""package.json, npm's manifest -> the dependencies a project declares, and its identity.

Sections and scopes follow npm (@npmcli/arborist): `dependencies` are RUNTIME,
`devDependencies` DEV, `optionalDependencies` OPTIONAL and `peerDependencies` PEER (also
OPTIONAL when `peerDependenciesMeta.<name>.optional` is true). npm loads the sections in
the order peer, prod, optional, dev and a later edge replaces an earlier one, so a name in
several sections gets the scope of the last one: in `dependencies` and
`optionalDependencies` it is OPTIONAL, in `dependencies` and `devDependencies` it is DEV
(an `npm install --package-lock-only` marks such a package `dev: true`). A peer
declaration is kept as PEER beside the winning scope, because it still says the package
is expected from the consumer. One DeclaredPackage per dependency key, with `group` = the
winning section as written and `key_path` = `section["name"]`; the others become a note.
Names keep the package's own spelling (JSONStream): the purl normalizes, not the parser.

Specifiers are classified by ospo_scan.parsers.npm.specifiers: an exact version gives
`version`, anything else only `requirement`; `npm:` aliases name the real package; local
paths and `workspace:` references are first-party and their names are workspace members.

Kept as data: `bundleDependencies` (a note on the bundled dependencies; a bundled name
that no section declares is added as a RUNTIME dependency on `*`, as npm's
normalize-package-data does), and never as packages: `overrides`, `pnpm.overrides` and
Yarn `resolutions` (a note on the declared package they pin; entries for packages the
manifest does not declare are ignored, because they change transitive versions that only
the lockfile records). `workspaces` globs (the array form and the `{packages: [...]}`
form) go to `workspace_patterns`: they name member folders, which the lockfile beside
this manifest covers, not packages.

The project record takes `name`, `version` and `license`. A license may be an SPDX
expression, a legacy `{type, url}` object, or a legacy array (in `license` or
`licenses`); an array of several becomes `(A OR B)`, the conversion npm's documentation
gives for the legacy form.

Unity Package Manager manifests are also named package.json but list Unity packages
(`com.unity.*`), not npm ones; they are recognized by their top-level `unity` field and
yield nothing (osv-scalibr skips them the same way).

Lines: the line of each dependency's key inside its section, found by the structural key
scan of ospo_scan.parsers.lines.json_keys (exact for nested look-alike sections).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    IssueCollector,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
)
from ospo_scan.parsers.formats import json_kind, load_json
from ospo_scan.parsers.lines import KeyPath
from ospo_scan.parsers.lines.json_keys import key_lines
from ospo_scan.parsers.npm.specifiers import classify, split_name_and_range

PARSER_NAME = "package-json"

SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("peerDependencies", Scope.PEER),
    ("dependencies", Scope.RUNTIME),
    ("optionalDependencies", Scope.OPTIONAL),
    ("devDependencies", Scope.DEV),
)
"""Dependency sections in the order npm loads them: a later one replaces an earlier one."""

_BUNDLE_KEYS = ("bundleDependencies", "bundledDependencies")


def parse_package_json(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read the project's identity and every declared dependency; odd entries become issues."""
    document = load_json(source)
    result = ParseResult()
    if not isinstance(document, dict):
        message = f"expected a JSON object at the top level, found {json_kind(document)}"
        result.issues.append(issue(source, PARSER_NAME, message, 1))
        return result
    if isinstance(document.get("unity"), str):
        return result  # a Unity Package Manager manifest: its dependencies are not npm packages
    lines = key_lines(source.text, lambda parent: len(parent) <= 1)
    context = _Context(source=source, parser=PARSER_NAME, issues=result.issues, lines=lines)
    result.project = _project(document, context)
    declared = _declarations(document, context)
    annotations = _Annotations()
    _bundles(document, declared, annotations, context)
    _pins(document, declared, annotations, context)
    result.workspace_patterns = _workspace_patterns(document.get("workspaces"), context)
    result.packages = [_package(key, entries, annotations.get(key)) for key, entries in declared.items()]
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


@dataclass(slots=True, kw_only=True)
class _Context(IssueCollector):
    """What every helper needs to report an issue at the right line."""

    lines: dict[KeyPath, int]

    def report_at(self, message: str, *path: str) -> None:
        """An issue on the line of the key at `path`."""
        self.report(message, self.lines.get(tuple(path)))


@dataclass(frozen=True, slots=True)
class _Entry:
    """One dependency key in one section."""

    section: str
    scope: Scope
    spec: Any
    line: int | None
    key_path: str
    """Where the declaration is: `devDependencies["jest"]`, `bundleDependencies[2]`."""


@dataclass(slots=True)
class _Annotations:
    """Notes attached to dependency keys by bundle and override declarations."""

    notes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, note: str) -> None:
        self.notes.setdefault(key, []).append(note)

    def get(self, key: str) -> list[str]:
        return self.notes.get(key, [])


# --- the project ---------------------------------------------------------------


def _project(document: dict[str, Any], context: _Context) -> DeclaredProject:
    """name, version and license; a value of the wrong type is reported and left out."""
    name = _string_field(document, "name", context)
    version = _string_field(document, "version", context)
    key = "license" if "license" in document else "licenses"
    license_, problem = license_expression(document.get(key))
    if problem:
        context.report_at(f"{key}: {problem}", key)
    return DeclaredProject(name=name or None, version=version or None, license=license_)


def _string_field(document: dict[str, Any], key: str, context: _Context) -> str | None:
    value = document.get(key)
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) else None
    context.report_at(f"{key}: expected a string, found {json_kind(value)}", key)
    return None


def license_expression(value: Any) -> tuple[str | None, str | None]:
    """(license as one string, problem) from an SPDX string, a `{type}` object or a legacy array.

    Shared with the lockfile parser, whose `license` field takes the same forms.
    """
    if value is None:
        return None, None
    if isinstance(value, str):
        return value.strip() or None, None
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("type") if isinstance(item, dict) else item
        if not isinstance(name, str):
            return (
                None,
                f"expected an SPDX string, a {{type, url}} object or an array of them, found {json_kind(value)}",
            )
        if name.strip():
            names.append(name.strip())
    if len(names) > 1:
        return f"({' OR '.join(names)})", None
    return (names[0] if names else None), None


# --- dependencies --------------------------------------------------------------


def _declarations(document: dict[str, Any], context: _Context) -> dict[str, list[_Entry]]:
    """Every dependency key with its entries, in npm's section order (the last one wins)."""
    declared: dict[str, list[_Entry]] = {}
    for section, scope in SECTIONS:
        for key, spec in _section_items(document.get(section), section, context):
            if not key.strip():
                context.report_at(f"{section}: a dependency with an empty name", section)
                continue
            line = context.lines.get((section, key))
            entry = _Entry(section=section, scope=scope, spec=spec, line=line, key_path=declaration_path(section, key))
            declared.setdefault(key, []).append(entry)
    meta = document.get("peerDependenciesMeta")
    if meta is not None and not isinstance(meta, dict):
        context.report_at(f"peerDependenciesMeta: expected an object, found {json_kind(meta)}", "peerDependenciesMeta")
    _mark_optional_peers(meta, declared)
    return declared


def _section_items(value: Any, section: str, context: _Context) -> list[tuple[str, Any]]:
    """(key, specifier) pairs of a section; a legacy array of names is read as `*` each."""
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.items())
    context.report_at(f"{section}: expected an object of name -> specifier, found {json_kind(value)}", section)
    if isinstance(value, list):
        named = (split_name_and_range(item) for item in value if isinstance(item, str) and item.strip())
        return [(name, range_) for name, range_ in named]
    return []


def _mark_optional_peers(meta: Any, declared: dict[str, list[_Entry]]) -> None:
    """`peerDependenciesMeta.<name>.optional: true` turns that peer entry OPTIONAL too."""
    if not isinstance(meta, dict):
        return
    for key, entries in declared.items():
        options = meta.get(key)
        if isinstance(options, dict) and options.get("optional") is True:
            declared[key] = [
                replace(e, scope=Scope.OPTIONAL)
                if e.section == "peerDependencies"
                else e
                for e in entries
            ]


def _package(key: str, entries: list[_Entry], extra_notes: list[str]) -> DeclaredPackage:
    """The winning (last) entry gives spec, scope and line; peer and the other sections become notes."""
    winner = entries[-1]
    scopes = _scopes(entries)
    notes: list[str] = []
    base = DeclaredPackage(
        name=key, scopes=scopes, direct=True, group=winner.section, key_path=winner.key_path, line=winner.line
    )
    if not isinstance(winner.spec, str):
        package = base
        notes.append(f"specifier is {json_kind(winner.spec)}, not a string")
    else:
        requirement = winner.spec.strip() or "*"
        spec = classify(key, requirement)
        package = replace(
            base,
            name=spec.name,
            version=spec.version,
            requirement=requirement,
            first_party=spec.first_party,
            source_url=spec.source_url,
        )
        notes.extend(filter(None, [spec.note, "empty specifier: any version" if not winner.spec.strip() else None]))
    others = [e.section for e in entries[:-1]]
    if others:
        notes.append(f"also in {', '.join(others)}; npm uses the {winner.section} entry")
    notes.extend(extra_notes)
    return _with_note(package, notes)


def _scopes(entries: list[_Entry]) -> frozenset[Scope]:
    """The last section's scope, plus PEER (and its OPTIONAL) when a peer entry was overridden."""
    scopes = {entries[-1].scope}
    if any(entry.section == "peerDependencies" for entry in entries):
        scopes.add(Scope.PEER)
    return frozenset(scopes)


def _with_note(package: DeclaredPackage, notes: list[str]) -> DeclaredPackage:
    return replace(package, note="; ".join(notes)) if notes else package


# --- data kept as notes --------------------------------------------------------


def _bundles(
    document: dict[str, Any], declared: dict[str, list[_Entry]], notes: _Annotations, context: _Context
) -> None:
    """`bundleDependencies` (array, or true for all `dependencies`) -> a note on each bundled key."""
    for key in _BUNDLE_KEYS:
        value = document.get(key)
        if value is None or value is False:
            continue
        if value is True:
            names = [k for k, entries in declared.items() if any(e.section == "dependencies" for e in entries)]
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            names = value
        else:
            context.report_at(f"{key}: expected an array of names or true, found {json_kind(value)}", key)
            continue
        for index, name in enumerate(names):
            if name not in declared:
                # npm (normalize-package-data) adds an undeclared bundled name to dependencies as "*"
                line = context.lines.get((key,))
                entry = _Entry(section="dependencies", scope=Scope.RUNTIME, spec="*", line=line, key_path=f"{key}[{index}]")
                declared[name] = [entry]
                notes.add(name, f'not declared in dependencies: npm adds it as "*" because {key} names it')
            notes.add(name, f"bundled into this package's tarball ({key})")


def _pins(document: dict[str, Any], declared: dict[str, list[_Entry]], notes: _Annotations, context: _Context) -> None:
    """`overrides`, `pnpm.overrides` and `resolutions` -> a note on the declared package they pin."""
    real_names = {key: _real_name(key, entries) for key, entries in declared.items()}
    pnpm = document.get("pnpm")
    sources = (
        ("overrides", document.get("overrides"), _override_target),
        ("pnpm.overrides", pnpm.get("overrides") if isinstance(pnpm, dict) else None, _override_target),
        ("resolutions", document.get("resolutions"), _resolution_target),
    )
    for label, table, target_of in sources:
        if table is None:
            continue
        if not isinstance(table, dict):
            context.report_at(f"{label}: expected an object, found {json_kind(table)}", label.split(".")[0])
            continue
        for selector, value in table.items():
            target = target_of(selector)
            for key, real in real_names.items():
                if target is not None and target in (key, real):
                    notes.add(key, f"pinned by {label}: {excerpt(selector)} -> {_describe_pin(value)}")


def _real_name(key: str, entries: list[_Entry]) -> str:
    spec = entries[-1].spec
    return classify(key, spec).name if isinstance(spec, str) else key


def _override_target(selector: str) -> str | None:
    """npm override keys are `name` or `name@range`."""
    return split_name_and_range(selector)[0] or None


def _resolution_target(selector: str) -> str | None:
    """Yarn keys `name`, `**/name` (and descriptors `name@range`) pin the top-level package; `a/b` does not."""
    path = selector[3:] if selector.startswith("**/") else selector
    name = split_name_and_range(path)[0]
    bare = name.split("/", 1)[1] if name.startswith("@") and "/" in name else name
    return None if "/" in bare else name


def _describe_pin(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("."), str):
        return f"{value['.']} (and nested overrides)"
    return "nested overrides"


def _workspace_patterns(value: Any, context: _Context) -> list[str]:
    """Workspace globs: an array, or `{packages: [...]}` (Yarn 1 also allows only `nohoist`).

    They name member folders, not packages: the lockfile beside this manifest covers the
    folders they match. A value of another shape is an issue; its string items are kept.
    """
    if value is None:
        return []
    globs = value.get("packages") if isinstance(value, dict) else value
    if isinstance(value, dict) and globs is None:
        return []
    if isinstance(globs, list) and all(isinstance(item, str) for item in globs):
        return list(globs)
    context.report_at("workspaces: expected an array of globs or {packages: [...]}", "workspaces")
    return [item for item in globs if isinstance(item, str)] if isinstance(globs, list) else []


def declaration_path(section: str, key: str) -> str:
    """The key path of a dependency key in its section: `devDependencies["@types/node"]`."""
    return f"{section}[{json.dumps(key, ensure_ascii=False)}]"


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.MANIFEST,
    # npm reads exactly `package.json`; installed copies live under node_modules, which discovery skips.
    file_names=frozenset({"package.json"}),
    parse=parse_package_json,
)
