"""go.work, a Go workspace -> its member directories and the replacements it imposes.

`use ./dir` (single or block) names a directory whose go.mod is a workspace module:
the directories go in `workspace_paths`, relative to the go.work folder. Those modules
are the project's own code; their names come from their own go.mod files (each one's
`module` path becomes a project, which resolution counts as first-party), since a
parser does not open sibling files.

`replace` has go.mod's grammar and applies to every module of the workspace, overriding
their own replacements. go.work requires nothing, so each replacement is reported as the
module that would be built (same rules as go.mod: the new module@version, or the old
path as a first-party local directory) with direct=None, group `replace`, key path
`replace[i]` and a note that it matters only if a workspace module needs the replaced
module. Problems on a line are issues with code `invalid-entry`.

go.work declares no identity of its own, so `project` stays None: a go.mod in the same
folder names the project, or resolution falls back to the folder's name. (Naming it
"go.work" would compete with that go.mod's module path and add a meaningless name to
the first-party set.) `go`, `toolchain` and `godebug` are checked but not recorded.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ospo_scan.model import Ecosystem
from ospo_scan.parsers.base import (
    DeclaredPackage,
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
    parse_replace,
    open_modfile,
)
from ospo_scan.parsers.golang.modules import Replacement, Replacements, effective, join_notes

PARSER_NAME = "go-work"
VERBS = frozenset({"go", "toolchain", "godebug", "use", "replace"})
REPLACE_GROUP = "replace"
CONDITIONAL = "go.work replacement: applies only if a workspace module requires the replaced module"


def parse_go_work(source: SourceFile, reader: FileReader) -> ParseResult:
    """Workspace member directories and replaced modules; errors are issues on their lines."""
    modfile, result, report = open_modfile(source, VERBS, "go.work", PARSER_NAME)
    replacements: Replacements = {}
    replace_lines = [directive.line for directive in modfile.directives if directive.verb == "replace"]
    for directive in modfile.directives:
        if directive.verb == "use":
            _use(directive, result.workspace_paths, report)
        elif directive.verb == "replace":
            _replace(directive, replacements, report)
        elif len(directive.args) != 1:
            report(f"{directive.verb}: expected one argument, found {len(directive.args)}", directive.line)
    result.packages = _packages(replacements.values(), {line: index for index, line in enumerate(replace_lines)})
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    result.issues.sort(key=lambda found: found.line or 0)
    return result


def _use(directive: Directive, paths: list[str], report: Report) -> None:
    if len(directive.args) != 1:
        report("use: expected one directory", directive.line)
        return
    directory = posixpath.normpath(directive.args[0].replace("\\", "/"))
    if directory not in paths:
        paths.append(directory)


def _replace(directive: Directive, replacements: Replacements, report: Report) -> None:
    try:
        replacement = parse_replace(directive.args, directive.line)
    except ValueError as error:
        label = f"replace {directive.args[0]}" if directive.args else "replace"
        report(f"{label}: {error}", directive.line)
        return
    add_replacement(replacements, replacement, report)


def _packages(replacements: Iterable[Replacement], indexes: dict[int, int]) -> list[DeclaredPackage]:
    """One package per replacement target (name, version), at its replace line; key path
    `replace[i]`, i the 0-based position among the file's replace entries."""
    found: dict[tuple[str, str | None], DeclaredPackage] = {}
    for replacement in replacements:
        identity = effective(replacement.old_path, replacement.old_version, replacement)
        package = DeclaredPackage(
            name=identity.name,
            version=identity.version,
            direct=None,
            first_party=identity.first_party,
            line=replacement.line,
            source_url=identity.source_url,
            note=join_notes([identity.note, CONDITIONAL]),
            group=REPLACE_GROUP,
            key_path=f"replace[{indexes[replacement.line]}]",
        )
        found.setdefault((package.name, package.version), package)
    return list(found.values())


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.GOLANG,
    role=FileRole.MANIFEST,
    # The go command only reads a workspace file named exactly `go.work`.
    file_names=frozenset({"go.work"}),
    parse=parse_go_work,
)
