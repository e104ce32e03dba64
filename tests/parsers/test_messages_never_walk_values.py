"""Issue 13, item 3: no parser builds a message by walking a value it has not read.

A YAML alias bomb is a few hundred bytes that load, with shared references, as one
value of 387 million strings; repr() of it never returns. The YAML loader may refuse
such files (ospo_scan.parsers.formats), but a parser must not depend on it: every
message quotes a scanned value through ospo_scan.excerpt, which never enters it.

So each parser is handed its own fixtures as loaded, with one node at a time (every
node, up to a cap per file) replaced by such a structure (or by a long string, which a
message may only quote cut), and must finish, with short messages and no exception but
a ParseError. The structures are built in Python, the loader is swapped for one returning
the changed document, and a parse that hangs fails the run rather than a timer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import ospo_scan.parsers.maven.gradle_catalog as gradle_catalog
import ospo_scan.parsers.npm.bun_lock as bun_lock
import ospo_scan.parsers.npm.package_json as package_json
import ospo_scan.parsers.npm.package_lock as package_lock
import ospo_scan.parsers.npm.pnpm_lock as pnpm_lock
import ospo_scan.parsers.npm.yarn_berry as yarn_berry
import ospo_scan.parsers.npm.yarn_lock as yarn_lock
import ospo_scan.parsers.python.pdm_lock as pdm_lock
import ospo_scan.parsers.python.pipfile as pipfile
import ospo_scan.parsers.python.pipfile_lock as pipfile_lock
import ospo_scan.parsers.python.poetry_lock as poetry_lock
import ospo_scan.parsers.python.pylock as pylock
import ospo_scan.parsers.python.pyproject as pyproject
import ospo_scan.parsers.python.uv_lock as uv_lock
from ospo_scan.parsers.base import ParseError, ParserSpec, SourceFile
from ospo_scan.reading import SandboxReader

TESTS = Path(__file__).parent
SHORT = 600
"""No message may be longer than this, whatever the value it names."""
MAX_NODES = 150
"""Nodes replaced per fixture: enough to reach every kind of field."""


def nested_bomb(levels: int = 9, width: int = 9) -> list[Any]:
    """`width ** levels` strings held by `levels * width` references: what a YAML alias bomb loads as."""
    level: list[Any] = ["lol"] * width
    for _ in range(levels - 1):
        level = [level] * width
    return level


def mapping_bomb(levels: int = 9, width: int = 9) -> dict[str, Any]:
    """The same with mappings, whose keys a walk would visit too."""
    level: dict[str, Any] = {f"k{index}": "lol" for index in range(width)}
    for _ in range(levels - 1):
        level = {f"k{index}": level for index in range(width)}
    return level


BOMBS: dict[str, Callable[[], Any]] = {"nested-lists": nested_bomb, "nested-mappings": mapping_bomb, "long-string": lambda: "x" * 20_000}


@dataclass(frozen=True)
class Format:
    """One parser, where its fixtures are, and which of its module's names loads a document."""

    module: ModuleType
    loader: str
    fixtures: str
    """Glob under tests/parsers."""
    file_name: str
    """The name the parser is handed the file under."""
    spec: ParserSpec
    documents: bool = False
    """The loader returns a list of documents (pnpm)."""


FORMATS = [
    Format(pnpm_lock, "_load_documents", "npm/fixtures/pnpm_lock/**/*.yaml", "pnpm-lock.yaml", pnpm_lock.SPEC, documents=True),
    Format(yarn_berry, "load_yaml", "npm/fixtures/yarn_lock/berry*", "yarn.lock", yarn_lock.SPEC),
    Format(package_lock, "load_json", "npm/fixtures/package_lock/**/package-lock.json", "package-lock.json", package_lock.SPEC),
    Format(package_json, "load_json", "npm/fixtures/package_json/*.json", "package.json", package_json.SPEC),
    Format(bun_lock, "load_json", "npm/fixtures/bun_lock/**/*.lock", "bun.lock", bun_lock.SPEC),
    Format(uv_lock, "load_toml", "python/fixtures/uv_lock/**/uv.lock", "uv.lock", uv_lock.SPEC),
    Format(poetry_lock, "load_toml", "python/fixtures/poetry_lock/*.lock", "poetry.lock", poetry_lock.SPEC),
    Format(pdm_lock, "load_toml", "python/fixtures/pdm_lock/*.lock", "pdm.lock", pdm_lock.SPEC),
    Format(pylock, "load_toml", "python/fixtures/pylock/*.toml", "pylock.toml", pylock.SPEC),
    Format(pipfile_lock, "load_json", "python/fixtures/pipfile_lock/*.json", "Pipfile.lock", pipfile_lock.SPEC),
    Format(pipfile, "load_toml", "python/fixtures/pipfile/*.Pipfile", "Pipfile", pipfile.SPEC),
    Format(pyproject, "load_toml", "python/fixtures/pyproject/*.toml", "pyproject.toml", pyproject.SPEC),
    Format(gradle_catalog, "load_toml", "maven/fixtures/gradle_catalog/**/*.toml", "libs.versions.toml", gradle_catalog.SPEC),
]


def cases() -> list[Any]:
    return [
        pytest.param(form, path, id=f"{form.spec.name}:{path.relative_to(TESTS)}")
        for form in FORMATS
        for path in sorted(TESTS.glob(form.fixtures))
        if path.is_file()
    ]


def node_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a loaded document (mapping keys and list indexes), parents first."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from node_paths(child, (*prefix, key))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return changed


@pytest.mark.parametrize(("form", "path"), cases())
def test_no_message_walks_a_value_with_shared_references(form: Format, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    source = SourceFile(path=form.file_name, text=text)
    original_loader = getattr(form.module, form.loader)
    try:
        loaded = original_loader(source if form.module is not bun_lock else _bun_source(source))
    except ParseError:
        pytest.skip("the fixture is broken on purpose: nothing is loaded to replace")
    document = loaded[0] if form.documents else loaded
    places = list(node_paths(document))[:MAX_NODES]
    if not places:
        pytest.skip("the fixture loads as an empty document")
    reader = SandboxReader(path.parent)
    for name, bomb in BOMBS.items():
        for place in places:
            changed = replaced(document, place, bomb())
            monkeypatch.setattr(form.module, form.loader, lambda _source, changed=changed: [changed] if form.documents else changed)
            try:
                result = form.spec.parse(source, reader)
            except ParseError as error:
                assert len(error.message) < SHORT, (name, place)
                continue
            long = [found.message[:120] for found in result.issues if len(found.message) >= SHORT]
            assert not long, (name, place, long)


def _bun_source(source: SourceFile) -> SourceFile:
    """bun.lock is JSONC: the parser strips comments and trailing commas before load_json."""
    from ospo_scan.parsers.npm.jsonc import strip_jsonc

    return SourceFile(path=source.path, text=strip_jsonc(source.text))
