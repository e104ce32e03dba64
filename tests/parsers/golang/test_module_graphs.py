"""go.mod and go.sum of one module read together, through the public scan.

From Go 1.17 on (module graph pruning) go.mod's require list *is* the build list: every
module that provides a package to the build is listed, at the version the build selects.
go.sum then also holds checksums of modules outside the build (older versions, modules
only dependencies' tests need, go.mod files read to prune the graph): they are not
components. Before 1.17 go.mod lists only what the project itself needs, and go.sum's
code checksums say what is built. A replaced module appears in go.mod's results and in
go.sum under its replacement's path and version, so the two line up by name; a
local-directory replacement has no checksum and stays a first-party component of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ospo_scan.model import Component, Directness, Ecosystem, Inventory
from ospo_scan.scan import scan

FIXTURES = Path(__file__).parent / "fixtures" / "go_mod"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/golang/testdata"
OWN_PROJECT = "golang:."
"""The project of the scanned folder's own go.mod."""

Module = tuple[str, "str | None"]
"""(module path, version; None for a local-directory replacement)."""


def own_components(inventory: Inventory) -> dict[Module, Component]:
    """Go components that the scanned folder's own module uses (nested modules' are theirs)."""
    return {
        (c.name, c.version): c
        for c in inventory.components
        if c.ecosystem is Ecosystem.GOLANG and any(u.project == OWN_PROJECT for u in c.usages)
    }


def is_direct(component: Component) -> bool:
    return any(u.project == OWN_PROJECT and u.directness is Directness.DIRECT for u in component.usages)


# --- fixtures ------------------------------------------------------------------------


def test_go_1_22_sum_only_modules_are_not_components() -> None:
    """go.sum's v1.3.0 of a required module, a dependency's test-only module and a
    go.mod-only checksum are not in the build list: only the four requires are components."""
    components = own_components(scan([FIXTURES / "go-1.22-sum-only-modules"]))
    assert {module: is_direct(c) for module, c in components.items()} == {
        ("example.com/web", "v1.4.0"): True,
        ("example.com/fork/config", "v0.3.3"): True,  # replaces example.com/config v0.3.2
        ("example.com/log", "v0.9.1"): False,
        ("example.com/text", "v0.14.0"): False,
    }


def test_go_1_16_sum_modules_are_components() -> None:
    """Before 1.17 go.mod names only the project's own needs: go.sum's code checksums are the build."""
    components = own_components(scan([FIXTURES / "go-1.16-sum-modules"]))
    assert {module: is_direct(c) for module, c in components.items()} == {
        ("example.com/web", "v1.4.0"): True,
        ("example.com/log", "v0.9.1"): False,
    }


# --- the corpus: every go >= 1.17 module's components are its require list -------------


_GO_LINE = re.compile(r"^go\s+(\d+)\.(\d+)", re.MULTILINE)
_BLOCK = re.compile(r"^(require|replace|tool)\s*\(\s*$")
_SINGLE = re.compile(r"^(require|replace|tool)\s+([^\s(].*)$")


@dataclass(frozen=True, slots=True)
class _Written:
    """A go.mod as line patterns see it, without the parser."""

    requires: list[tuple[str, str, bool]]
    """(path, version, indirect) of every require entry."""
    replaces: dict[tuple[str, str | None], Module]
    """(old path, old version or None) -> (new path, new version or None for a directory)."""
    tools: list[str]
    """Package paths of the tool entries (Go 1.24): the project's own choice of its module."""


def read_go_mod(text: str) -> _Written:
    """Require and replace entries of single lines and of blocks, by regular expressions."""
    requires: list[tuple[str, str, bool]] = []
    replaces: dict[tuple[str, str | None], Module] = {}
    tools: list[str] = []
    block: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if block is None and (opened := _BLOCK.match(line)):
            block = opened.group(1)
            continue
        if block is not None and line.startswith(")"):
            block = None
            continue
        verb, entry = (block, line) if block else ((single.group(1), single.group(2)) if (single := _SINGLE.match(line)) else (None, ""))
        code, _, comment = entry.partition("//")
        fields = code.split()
        if verb == "require" and len(fields) == 2:
            requires.append((fields[0], fields[1], comment.strip().split(";")[0].strip() == "indirect"))
        elif verb == "replace" and "=>" in fields:
            old, new = fields[: fields.index("=>")], fields[fields.index("=>") + 1 :]
            local = new[0].startswith(("./", "../", "/"))
            replaces.setdefault((old[0], old[1] if len(old) > 1 else None), (new[0], None if local else new[1]))
        elif verb == "tool" and len(fields) == 1:
            tools.append(fields[0])
    return _Written(requires=requires, replaces=replaces, tools=tools)


def expected_build_list(written: _Written) -> dict[Module, bool]:
    """Each required module as the build uses it (a version's replacement wins over the
    path's, as in `go`; a directory keeps the old path without a version) -> direct: a
    require without `// indirect`, or the module of a tool (the longest required path
    that is the tool package or a parent folder of it)."""
    required = {path for path, _, _ in written.requires}
    tool_modules = {max((p for p in required if tool == p or tool.startswith(p + "/")), key=len, default=None) for tool in written.tools}
    expected: dict[Module, bool] = {}
    for path, version, indirect in written.requires:
        new_path, new_version = written.replaces.get((path, version)) or written.replaces.get((path, None)) or (path, version)
        module = (path, None) if new_version is None else (new_path, new_version)
        expected[module] = expected.get(module, False) or not indirect or path in tool_modules
    return expected


def pruned_modules(corpus: Path) -> list[Path]:
    """Folders whose go.mod says go >= 1.17 and has a go.sum beside it."""
    found = []
    for go_mod in sorted(corpus.rglob("go.mod")):
        version = _GO_LINE.search(go_mod.read_text(encoding="utf-8"))
        if version and (int(version.group(1)), int(version.group(2))) >= (1, 17) and (go_mod.parent / "go.sum").is_file():
            found.append(go_mod.parent)
    return found


@pytest.mark.corpus
def test_every_go_1_17_module_reports_exactly_its_require_list(corpus: Path) -> None:
    folders = pruned_modules(corpus)
    assert len(folders) >= 40, "the corpus holds dozens of go >= 1.17 modules; far fewer means the glob broke"
    mismatches = {}
    for folder in folders:
        expected = expected_build_list(read_go_mod((folder / "go.mod").read_text(encoding="utf-8")))
        components = own_components(scan([folder]))
        found = {module: is_direct(component) for module, component in components.items()}
        if found != expected:
            mismatches[folder.relative_to(corpus).as_posix()] = {
                "only reported": sorted(set(found) - set(expected), key=str)[:5],
                "not reported": sorted(set(expected) - set(found), key=str)[:5],
                "directness differs": sorted((m for m in set(found) & set(expected) if found[m] != expected[m]), key=str)[:5],
            }
    assert mismatches == {}


# --- peers' fixtures ---------------------------------------------------------------------


@pytest.mark.corpus
def test_replacements_line_up_with_go_sum(corpus: Path) -> None:
    """syft's go-source-replacements: go.mod replaces quote and sampler; go.sum has the replacements."""
    components = own_components(scan([corpus / SYFT / "go-source-replacements"]))
    assert {(c.purl, is_direct(c)) for c in components.values()} == {
        ("pkg:golang/golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c", False),
        ("pkg:golang/rsc.io/quote@v1.5.2", True),
        ("pkg:golang/rsc.io/sampler@v1.3.1", False),
    }


@pytest.mark.corpus
def test_cdxgen_replaced_tool_module_is_direct_build_and_runtime(corpus: Path) -> None:
    """No go directive: an old module, whose go.sum says what is built."""
    components = {c.purl: c for c in own_components(scan([corpus / "CycloneDX__cdxgen/test/gomod"])).values()}
    viper = components["pkg:golang/github.com/spf13/viper@v1.0.2"]
    assert is_direct(viper) and {scope.value for scope in viper.scopes} == {"runtime", "build"}
    assert is_direct(components["pkg:golang/google.golang.org/grpc@v1.21.0"])
    assert "pkg:golang/google.golang.org/grpc@v1.32.0" not in components  # the replaced version is not built
