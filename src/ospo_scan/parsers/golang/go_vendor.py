"""vendor/modules.txt, written by `go mod vendor` -> the modules whose code is vendored.

The file lists each module as a header, `# path version`, optionally followed by a
replacement (`=> new version`, or `=> ./dir` for a local directory), then annotation
lines (`## explicit; go 1.21`) and one line per vendored package. A header without a
version (`# path => new version`) records a replacement of every version of path.

As in the go command, a module is in the build (and is reported) only when at least one
package line follows its header: a header alone is a module that go.mod requires
without importing any of its packages, or a replacement go.mod declares but the build
does not use. Package lines themselves only serve that purpose. A module listed twice
is reported once, at its first header.

`## explicit` means go.mod requires the module, not that the project imports it: go.mod
may require a module `// indirect` (since Go 1.17 it requires every module of the build,
so every vendored module is explicit). An explicit module therefore has direct=None, and
the go.mod beside the vendor folder, whose `// indirect` marks say it, decides; a module
that is not explicit is one go.mod does not require at all: direct=False. Replaced modules follow the go.mod rules: a module
replacement reports the new module with the note `replaced old@version`; a directory
replacement keeps the old path, no version, and is first-party.

A line that cannot be read is an issue (code `invalid-entry`) on its line; the modules
of a header that cannot be read are not reported, since what they are is unknown. The
file has no sections, so packages carry no group; their line is the header's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem
from ospo_scan.parsers.base import (
    INVALID_ENTRY,
    DeclaredPackage,
    FileReader,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
    issue,
    folder_above,
)
from ospo_scan.parsers.golang.modules import (
    Replacement,
    effective,
    is_directory_path,
    is_version,
    major_version_problem,
)

PARSER_NAME = "go-vendor-modules"
VENDOR_LIST = "vendor/modules.txt"
_ARROW = "=>"


def matches(path: str) -> bool:
    """Only the modules.txt directly inside a folder named vendor is Go's vendor list."""
    return path == VENDOR_LIST or path.endswith("/" + VENDOR_LIST)


@dataclass(slots=True, kw_only=True)
class _Module:
    path: str
    version: str | None
    replacement: Replacement | None
    line: int
    explicit: bool = False
    has_packages: bool = False


def parse_go_vendor(source: SourceFile, reader: FileReader) -> ParseResult:
    """Vendored modules (those with package lines), in the order of their first header."""
    vendor_list = _VendorList()
    for number, raw in enumerate(source.text.split("\n"), 1):
        if raw.strip():
            vendor_list.feed(raw.strip(), number)
    result = ParseResult()
    result.issues = [issue(source, PARSER_NAME, message, line, code=INVALID_ENTRY) for message, line in vendor_list.problems]
    result.packages = [_package(module) for module in vendor_list.modules.values() if module.has_packages]
    result.workspace_members = sorted({package.name for package in result.packages if package.first_party})
    return result


@dataclass(slots=True)
class _VendorList:
    """Reading state: modules by (path, version), the one lines belong to, problems with lines."""

    modules: dict[tuple[str, str | None], _Module] = field(default_factory=dict)
    current: _Module | None = None
    problems: list[tuple[str, int]] = field(default_factory=list)

    def feed(self, line: str, number: int) -> None:
        try:
            if line.startswith("## "):
                self._annotation(line)
            elif line.startswith("# "):
                self.current = None  # until the header is read: its packages belong to no known module
                self._header(line[2:].split(), number)
            else:
                self._package_line(line)
        except ValueError as error:
            self.problems.append((str(error), number))

    def _annotation(self, line: str) -> None:
        if self.current is None:
            raise ValueError(f"annotation {excerpt(line)} with no module header above it")
        self.current.explicit = self.current.explicit or any(part.strip() == "explicit" for part in line[3:].split(";"))

    def _header(self, fields: list[str], number: int) -> None:
        """`path version [=> new [version]]` or `path => new [version]`."""
        if len(fields) >= 2 and is_version(fields[1]):
            path, version, rest = fields[0], fields[1], fields[2:]
        elif len(fields) >= 2 and fields[1] == _ARROW:
            path, version, rest = fields[0], None, fields[1:]
        else:
            raise ValueError(f"module header {excerpt(' '.join(fields))}: expected `# module version`")
        replacement = _replacement(path, version, rest, number)
        module = _Module(path=path, version=version, replacement=replacement, line=number)
        self.current = self.modules.setdefault((path, version), module)
        if self.current is module:
            self._check_majors(module, number)

    def _check_majors(self, module: _Module, number: int) -> None:
        """A version that cannot belong to its path is reported; the module is kept."""
        pairs = [(module.path, module.version)]
        if module.replacement is not None:
            pairs.append((module.replacement.new_path, module.replacement.new_version))
        for path, version in pairs:
            if version and (problem := major_version_problem(path, version)):
                self.problems.append((f"module {path}: {problem}", number))

    def _package_line(self, line: str) -> None:
        if line.startswith("#") or len(line.split()) != 1:
            raise ValueError(f"unexpected line {excerpt(line)}")
        if self.current is None:
            raise ValueError(f"package {line} has no module header above it")
        self.current.has_packages = True


def _replacement(path: str, version: str | None, rest: list[str], number: int) -> Replacement | None:
    if not rest:
        return None
    if rest[0] == _ARROW and len(rest) == 2 and is_directory_path(rest[1]):
        return Replacement(old_path=path, old_version=version, new_path=rest[1], new_version=None, line=number)
    if rest[0] == _ARROW and len(rest) == 3 and is_version(rest[2]):
        return Replacement(old_path=path, old_version=version, new_path=rest[1], new_version=rest[2], line=number)
    raise ValueError(f"module header for {path}: cannot read the replacement {excerpt(' '.join(rest))}")


def _package(module: _Module) -> DeclaredPackage:
    identity = effective(module.path, module.version, module.replacement)
    return DeclaredPackage(
        name=identity.name,
        version=identity.version,
        direct=None if module.explicit else False,
        first_party=identity.first_party,
        line=module.line,
        source_url=identity.source_url,
        note=identity.note,
    )


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.GOLANG,
    role=FileRole.LOCKFILE,
    project_folder=lambda path: folder_above(path, 2),  # vendor/modules.txt belongs to the module above
    matches=matches,
    parse=parse_go_vendor,
)
