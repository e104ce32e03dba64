"""setup.cfg: setuptools' declarative configuration. setup.py is never read or run.

Read, as setuptools reads them:
- `[options] install_requires` RUNTIME, `setup_requires` BUILD, `tests_require` TEST,
  and each key of `[options.extras_require]` OPTIONAL (`extra: <name>` in the note).
  The dashed spellings (`install-requires`) that old setuptools accepted count too.
- A value on several lines holds one requirement per line (markers after `;` stay
  with it). A value on one line is split on `;`, as setuptools does: so
  `install_requires = foo; python_version<"3.8"` is `foo` plus an invalid requirement,
  which we report with the reason (setuptools itself warns or fails on it).
- Whole-line comments are gone (configparser drops them); inline ` #` comments are
  cut, as setuptools does before handing the strings to `packaging`.
- `file: a.txt, b.txt` is an include: the listed files are read through the
  FileReader (which keeps them inside the scanned root), one requirement per line,
  and their packages carry the included file's path and line.
- `[metadata]` gives name, version and license. An `attr:` or `file:` version is not
  evaluated (that would mean importing the package or trusting a second file), so
  the version is unknown (None).
"""

from __future__ import annotations

import configparser
import posixpath
from dataclasses import dataclass

from packaging.markers import InvalidMarker, Marker

from ospo_scan.excerpt import excerpt
from ospo_scan.model import Ecosystem, Scope
from ospo_scan.parsers.base import (
    DeclaredPackage,
    DeclaredProject,
    FileReader,
    FileReadError,
    FileRole,
    ParseResult,
    ParserSpec,
    SourceFile,
)
from ospo_scan.parsers.formats import load_ini
from ospo_scan.parsers.python.manifest_common import ManifestContext
from ospo_scan.parsers.lines.text import TextLines

PARSER_NAME = "setup-cfg"
_OPTION_KEYS: tuple[tuple[str, Scope], ...] = (
    ("install_requires", Scope.RUNTIME),
    ("setup_requires", Scope.BUILD),
    ("tests_require", Scope.TEST),
)


@dataclass(frozen=True, slots=True)
class _Item:
    """One requirement string and where it was written."""

    text: str
    line: int | None
    path: str | None = None
    """The included file it comes from; None for setup.cfg itself."""


def parse_setup_cfg(source: SourceFile, reader: FileReader) -> ParseResult:
    """Every dependency a setup.cfg declares, and the project's identity."""
    config = load_ini(source)
    ctx = ManifestContext.of(source, PARSER_NAME)
    packages: list[DeclaredPackage] = []
    for key, scope in _OPTION_KEYS:
        value = _option(config, "options", key)
        if value is not None:
            items = _items(ctx, reader, "options", key, value)
            packages.extend(_packages(ctx, items, f"options.{key}", frozenset({scope}), None))
    if config.has_section("options.extras_require"):
        for extra, value in config.items("options.extras_require"):
            items = _items(ctx, reader, "options.extras_require", extra, value)
            where = f"options.extras_require.{extra}"
            packages.extend(_packages(ctx, items, where, frozenset({Scope.OPTIONAL}), f"extra: {extra}", group=extra))
    return ParseResult(packages=packages, project=_declared_project(config), issues=ctx.issues)


def _option(config: configparser.ConfigParser, section: str, key: str) -> str | None:
    """The value of `key` (or its dashed spelling) in `section`, if set."""
    for spelling in (key, key.replace("_", "-")):
        if config.has_option(section, spelling):
            return config.get(section, spelling)
    return None


def _items(ctx: ManifestContext, reader: FileReader, section: str, key: str, value: str) -> list[_Item]:
    """The requirement strings of one value, from setup.cfg or from its `file:` includes."""
    stripped = value.strip()
    if stripped.startswith("file:"):
        return _included_items(ctx, reader, (section, key), stripped[len("file:") :])
    texts = _split(value)
    lines = ctx.ini.option_lines(section, key, texts)
    return [_Item(text=text, line=line) for text, line in zip(texts, lines)]


def _split(value: str) -> list[str]:
    """setuptools' list rule: one item per line, or `;`-separated on a single line."""
    chunks = value.splitlines() if "\n" in value else value.split(";")
    items = [_drop_comment(chunk).strip() for chunk in chunks]
    return [item for item in items if item and not item.startswith("#")]


def _drop_comment(text: str) -> str:
    """Cut an inline ` #` comment (a `#` right after a URL's name, as in `#egg=`, stays)."""
    at = text.find(" #")
    return text if at < 0 else text[:at]


def _included_items(ctx: ManifestContext, reader: FileReader, option: tuple[str, str], files: str) -> list[_Item]:
    """Requirement lines of the files a `file:` directive lists, relative to setup.cfg."""
    items: list[_Item] = []
    directory = posixpath.dirname(ctx.source.path)
    for name in (part.strip() for part in files.split(",")):
        if not name:
            continue
        try:
            included = reader.read(posixpath.normpath(posixpath.join(directory, name)))
        except FileReadError as error:
            line = ctx.ini.option_lines(*option, [name])[0]
            ctx.report(f"{'.'.join(option)}: cannot read the file it includes: {error}", line)
            continue
        texts = _split(included.text + "\n")
        lines = TextLines(included.text).value_lines(texts)
        items.extend(_Item(text=text, line=line, path=included.path) for text, line in zip(texts, lines))
    return items


def _packages(
    ctx: ManifestContext,
    items: list[_Item],
    where: str,
    scopes: frozenset[Scope],
    note: str | None,
    group: str | None = None,
) -> list[DeclaredPackage]:
    """Packages of one value's items; an invalid one is an issue that says why."""
    packages: list[DeclaredPackage] = []
    for index, item in enumerate(items):
        if _is_split_marker(item.text):
            ctx.report(
                f"{where}[{index}]: {excerpt(item.text)} is an environment marker cut off by ';': setuptools "
                "splits a one-line value on ';', so put each requirement on its own line",
                item.line,
            )
            continue
        item_where = f"{where}[{index}]"
        package = ctx.requirement(
            item.text, where=item_where, scopes=scopes, line=item.line, note=note, path=item.path, group=group
        )
        if package is not None:
            packages.append(package)
    return packages


def _is_split_marker(text: str) -> bool:
    """True when an item is the marker half of `name; marker` split by setuptools' rule."""
    try:
        Marker(text)
    except InvalidMarker:
        return False
    return True


def _declared_project(config: configparser.ConfigParser) -> DeclaredProject | None:
    """Name, version and license from `[metadata]`; an `attr:`/`file:` version is unknown."""
    if not config.has_section("metadata"):
        return None
    name = config.get("metadata", "name", fallback=None)
    version = config.get("metadata", "version", fallback=None)
    if version is not None and version.strip().startswith(("attr:", "file:")):
        version = None
    license_ = config.get("metadata", "license", fallback=None)
    if name is None and version is None and license_ is None:
        return None
    return DeclaredProject(
        name=name.strip() if name else None,
        version=version.strip() if version else None,
        license=license_.strip() if license_ else None,
    )


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.PYPI,
    role=FileRole.MANIFEST,
    file_names=frozenset({"setup.cfg"}),
    parse=parse_setup_cfg,
)
