"""go.mod, a Go module's manifest -> the modules it requires, after replacements.

Every `require` is a component: `// indirect` ones are transitive (direct=False), the
others direct; its group is the directive (`require`) and its key path its index in the
file's require list (`require[3]`, 0-based, as golang.org/x/mod/modfile numbers them).

The `go` directive says whether the require list is the whole build list. Since Go 1.17
(module graph pruning) go.mod lists every module that provides a package to the build,
at the version the build selects, so versions are concrete and `build_list_complete` is
set: a module that only go.sum names (a checksum of some module's go.mod, kept to compute
the graph) is then not in the build. Before 1.17, or without a `go` directive (which `go`
reads as an old module), or with a version `go` would refuse, the flag stays False and
go.sum's code checksums say what is built.

Directives that change what a requirement means:
- `replace old [v] => new v`: the build uses new@v, so new@v is the component, with a
  note `replaced old@v`. A versioned replace applies only to that exact version, and
  wins over an unversioned one, as in `go`.
- `replace old [v] => ./dir`: the code is the project's own directory: the component
  keeps old's path, has no version, is first-party and carries the directory.
- `exclude m v`: never a component. A requirement of exactly m@v is kept with a note
  (`go` skips an excluded version and selects the next higher one, which go.mod does not
  name); a requirement of another version of m is untouched.
- `tool pkg` (Go 1.24): a declaration of its own, of the module providing the tool (the
  longest required module path that is a prefix of the package path): a package with
  BUILD scope, direct, group `tool`, key path `tool[i]`, at the tool's line. The require
  of a tool module marked `// indirect` is imported by no package of the project, so it
  gets BUILD scope too, as far as go.mod can tell (it may still be a transitive runtime
  dependency: go.mod does not say); a direct require stays RUNTIME. A module that is both
  imported and a tool thus has a runtime usage and a build usage.
- `retract`, `toolchain`, `godebug`, `ignore`: nothing to record.

The module path becomes the project (no version: a module's version is its VCS tag).
Every error (unknown directive, bad quoting, unterminated block, invalid version) is a
ScanIssue with code `invalid-entry` on its line and the rest is read; a file in which no
directive at all can be read is not a go.mod, and raises ParseError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.golang.modfile_syntax import (
    Directive,
    Report,
    add_replacement,
    is_indirect,
    parse_replace,
    open_modfile,
)
from ospo_scan.parsers.golang.modules import (
    Identity,
    Replacements,
    effective,
    find_replacement,
    is_directory_path,
    COMPLETE_BUILD_LIST,
    go_language_version,
    is_version,
    join_notes,
    major_version_problem,
)

PARSER_NAME = "go-mod"
VERBS = frozenset(
    {"module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore"}
)
_ONCE = ("module", "go", "toolchain")
"""Directives that may appear only once."""
REQUIRE_GROUP = "require"
TOOL_GROUP = "tool"


def parse_go_mod(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read requires, replacements, excludes and tools; each error is an issue on its line."""
    modfile, result, report = open_modfile(source, VERBS, "go.mod", PARSER_NAME)
    declared = _declarations(modfile.directives, report)
    result.packages = _packages(declared, report)
    result.build_list_complete = declared.go_version is not None and declared.go_version >= COMPLETE_BUILD_LIST
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    if declared.module is not None:
        result.project = DeclaredProject(name=declared.module)
    result.issues.sort(key=lambda found: found.line or 0)
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class _Require:
    path: str
    version: str | None
    """None when the file's version is not a Go module version (kept as `written`)."""
    written: str
    indirect: bool
    line: int
    index: int
    """Position in the file's require list (0-based), for the key path."""


@dataclass(slots=True)
class _Declarations:
    """What the directives declare, before requirements are turned into components."""

    module: str | None = None
    go_version: tuple[int, int] | None = None
    """(major, minor) of the `go` directive; None when absent or unreadable."""
    requires: list[_Require] = field(default_factory=list)
    replacements: Replacements = field(default_factory=dict)
    excludes: dict[tuple[str, str], int] = field(default_factory=dict)
    tools: list[tuple[str, int]] = field(default_factory=list)
    first_lines: dict[str, int] = field(default_factory=dict)
    """Line of the first directive of each verb (to report repeats of the _ONCE ones)."""


def _declarations(directives: tuple[Directive, ...], report: Report) -> _Declarations:
    declared = _Declarations()
    for directive in directives:
        if directive.verb in _ONCE and directive.verb in declared.first_lines:
            first = declared.first_lines[directive.verb]
            report(f"repeated {directive.verb} directive (first at line {first}); the first is used", directive.line)
            continue
        declared.first_lines.setdefault(directive.verb, directive.line)
        _HANDLERS[directive.verb](directive, declared, report)
    return declared


def _module(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 1:
        report("module: expected one module path", directive.line)
        return
    declared.module = directive.args[0]


def _go(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 1:
        report(f"go: expected one argument, found {len(directive.args)}", directive.line)
        return
    declared.go_version = go_language_version(directive.args[0])
    if declared.go_version is None:
        report(f"go: {excerpt(directive.args[0])} is not a Go version (expected a form such as 1.23 or 1.23.0)", directive.line)


def _one_argument(directive: Directive, declared: _Declarations, report: Report) -> None:
    """toolchain, ignore: recorded nowhere, but a malformed one is still an error."""
    if len(directive.args) != 1:
        report(f"{directive.verb}: expected one argument, found {len(directive.args)}", directive.line)


def _godebug(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 1 or "=" not in directive.args[0]:
        report("godebug: expected key=value", directive.line)


def _require(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 2:
        report("require: expected a module path and a version", directive.line)
        return
    path, written = directive.args
    version = written if is_version(written) else None
    if version is None:
        report(f"require {path}: {excerpt(written)} is not a module version", directive.line)
    elif problem := major_version_problem(path, version):
        report(f"require {path}: {problem}", directive.line)
    indirect = is_indirect(directive.comment)
    required = _Require(
        path=path, version=version, written=written, indirect=indirect, line=directive.line, index=len(declared.requires)
    )
    declared.requires.append(required)


def _replace(directive: Directive, declared: _Declarations, report: Report) -> None:
    try:
        replacement = parse_replace(directive.args, directive.line)
    except ValueError as error:
        label = f"replace {directive.args[0]}" if directive.args else "replace"
        report(f"{label}: {error}", directive.line)
        return
    add_replacement(declared.replacements, replacement, report)


def _exclude(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 2 or not is_version(directive.args[1]):
        report("exclude: expected a module path and a module version", directive.line)
        return
    declared.excludes.setdefault((directive.args[0], directive.args[1]), directive.line)


def _retract(directive: Directive, declared: _Declarations, report: Report) -> None:
    """Retractions are about this module's own versions: nothing to record."""


def _tool(directive: Directive, declared: _Declarations, report: Report) -> None:
    if len(directive.args) != 1:
        report("tool: expected one package path", directive.line)
        return
    declared.tools.append((directive.args[0], directive.line))


_HANDLERS: dict[str, Callable[[Directive, _Declarations, Report], None]] = {
    "module": _module,
    "go": _go,
    "toolchain": _one_argument,
    "ignore": _one_argument,
    "godebug": _godebug,
    "require": _require,
    "replace": _replace,
    "exclude": _exclude,
    "retract": _retract,
    "tool": _tool,
}


def _packages(declared: _Declarations, report: Report) -> list[DeclaredPackage]:
    """One package per required (name, version), a module required twice keeping its first
    line; then one per tool, a declaration of its own (a BUILD usage of its module)."""
    tools = _tools(declared, report)
    provided: dict[str, list[str]] = {}
    for tool in tools:
        provided.setdefault(tool.provider.path, []).append(tool.package)
    merged: dict[tuple[str, str | None], DeclaredPackage] = {}
    for required in declared.requires:
        package = _package(required, declared, provided.get(required.path, []))
        key = (package.name, package.version)
        known = merged.get(key)
        merged[key] = package if known is None else _merge(known, package)
    return [*merged.values(), *(_tool_package(tool, declared) for tool in tools)]


def _merge(known: DeclaredPackage, other: DeclaredPackage) -> DeclaredPackage:
    return replace(known, scopes=known.scopes | other.scopes, direct=bool(known.direct or other.direct))


def _package(required: _Require, declared: _Declarations, tools: list[str]) -> DeclaredPackage:
    identity = _identity(required, declared)
    excluded_at = declared.excludes.get((required.path, required.version or ""))
    notes = [
        identity.note,
        None if required.version else f"not a Go module version: {required.written}",
        f"{required.path}@{required.version} is excluded (line {excluded_at}): go selects the next higher version"
        if excluded_at
        else None,
        f"provides tool {', '.join(tools)}" if tools else None,
    ]
    # an indirect require that provides a tool is imported by no package of the project
    only_build = bool(tools) and required.indirect
    return DeclaredPackage(
        name=identity.name,
        version=identity.version,
        requirement=None if required.version else required.written,
        scopes=frozenset({Scope.BUILD if only_build else Scope.RUNTIME}),
        direct=not required.indirect,
        first_party=identity.first_party,
        line=required.line,
        source_url=identity.source_url,
        note=join_notes(notes),
        group=REQUIRE_GROUP,
        key_path=f"require[{required.index}]",
    )


def _identity(required: _Require, declared: _Declarations) -> Identity:
    return effective(required.path, required.version, find_replacement(declared.replacements, required.path, required.version))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Tool:
    package: str
    line: int
    index: int
    """Position among the file's tool entries (0-based), for the key path."""
    provider: _Require


def _tools(declared: _Declarations, report: Report) -> list[_Tool]:
    """Each tool package once, with the require that provides it (tools of the module itself skipped)."""
    requires: dict[str, _Require] = {}
    for required in declared.requires:
        requires.setdefault(required.path, required)
    own = declared.module
    found: dict[str, _Tool] = {}
    for index, (tool, line) in enumerate(declared.tools):
        if tool in found or is_directory_path(tool) or (own and (tool == own or tool.startswith(own + "/"))):
            continue
        provider = _longest_prefix(tool, set(requires))
        if provider is None:
            report(f"tool {tool}: no required module provides this package", line)
        else:
            found[tool] = _Tool(package=tool, line=line, index=index, provider=requires[provider])
    return list(found.values())


def _tool_package(tool: _Tool, declared: _Declarations) -> DeclaredPackage:
    """A tool is the project's own declaration that it builds with its module: BUILD, direct."""
    identity = _identity(tool.provider, declared)
    return DeclaredPackage(
        name=identity.name,
        version=identity.version,
        requirement=None if tool.provider.version else tool.provider.written,
        scopes=frozenset({Scope.BUILD}),
        direct=True,
        first_party=identity.first_party,
        line=tool.line,
        source_url=identity.source_url,
        note=join_notes([identity.note, f"provides tool {tool.package}"]),
        group=TOOL_GROUP,
        key_path=f"tool[{tool.index}]",
    )


def _longest_prefix(package: str, modules: set[str]) -> str | None:
    """The longest module path that is `package` itself or a parent of it, path element-wise."""
    parts = package.split("/")
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.GOLANG,
    role=FileRole.MANIFEST,
    # The go command only ever reads a file named exactly `go.mod`.
    file_names=frozenset({"go.mod"}),
    parse=parse_go_mod,
)
