"""go.mod and go.sum of one module read together, as resolution reconciles them.

go.sum says which modules are built (and at which version); go.mod says which of them
the project requires directly. A replaced module appears in both under its replacement's
path and version, so the two line up by name; a local-directory replacement has no
checksum and stays a first-party component of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ospo_scan.parsers.golang import go_mod, go_sum
from ospo_scan.reading import SandboxReader
from ospo_scan.resolve import ParsedFile, Resolution, resolve

SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/golang/testdata"


def resolve_module(root: Path, directory: str) -> Resolution:
    """Resolve the go.mod (and go.sum, when present) of one module directory."""
    reader = SandboxReader(root)
    manifest = go_mod.parse_go_mod(reader.read(f"{directory}/go.mod"), reader)
    parsed = [ParsedFile(path=f"{directory}/go.mod", spec=go_mod.SPEC, result=manifest)]
    if (root / directory / "go.sum").is_file():
        lockfile = go_sum.parse_go_sum(reader.read(f"{directory}/go.sum"), reader)
        parsed.append(ParsedFile(path=f"{directory}/go.sum", spec=go_sum.SPEC, result=lockfile))
    return resolve(parsed, directory)


def independent_counts(folder: Path) -> tuple[int, int, int]:
    """(direct, transitive, local) from line patterns only, without the parsers.

    direct: require lines without `// indirect`; local: replace lines whose target is a
    ./ or ../ directory and whose module is required; every module with a code checksum
    in go.sum plus every such local replacement is a component, and all that are not
    direct are transitive.
    """
    mod = [raw.strip() for raw in (folder / "go.mod").read_text(encoding="utf-8").splitlines()]
    required: list[tuple[str, bool]] = []
    in_require = False
    for line in mod:
        if re.match(r"^require\s*\($", line):
            in_require = True
        elif in_require and line.startswith(")"):
            in_require = False
        elif (in_require and line and not line.startswith("//")) or re.match(r"^require\s+[^\s(]", line):
            required.append((line.removeprefix("require").split()[0], "// indirect" not in line))
    direct = sum(1 for _, is_direct in required if is_direct)
    paths = {path for path, _ in required}
    local = sum(1 for line in mod if re.search(r"=>\s*\.\.?/", line) and line.removeprefix("replace").split()[0] in paths)
    sums = (folder / "go.sum").read_text(encoding="utf-8").splitlines()
    built = {tuple(line.split()[:2]) for line in sums if line.strip() and "/go.mod " not in line}
    return direct, len(built) + local - direct, local


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("directory", "direct", "transitive", "first_party"),
    [
        ("anchore__syft", 98, 265, 0),
        ("aquasecurity__trivy", 125, 454, 0),
        ("hashicorp__terraform", 80, 275, 10),
        ("prometheus__prometheus", 109, 190, 0),
        ("google__osv-scalibr", 77, 172, 0),
        ("google__osv-scanner", 30, 243, 0),
        ("etcd-io__etcd", 22, 74, 8),
        ("etcd-io__etcd/tools/mod", 17, 260, 0),
    ],
)
def test_large_module_graphs_direct_and_transitive(
    corpus: Path, directory: str, direct: int, transitive: int, first_party: int
) -> None:
    components = resolve_module(corpus, directory).components
    counted = (
        sum(c.direct for c in components),
        sum(not c.direct for c in components),
        sum(c.first_party for c in components),
    )
    assert counted == (direct, transitive, first_party)
    assert independent_counts(corpus / directory) == (direct, transitive, first_party)
    assert all(c.version for c in components if not c.first_party)


@pytest.mark.corpus
def test_replacements_line_up_with_go_sum(corpus: Path) -> None:
    """syft's go-source-replacements: go.mod replaces quote and sampler; go.sum has the replacements."""
    components = resolve_module(corpus, f"{SYFT}/go-source-replacements").components
    assert [(c.purl, c.direct) for c in components] == [
        ("pkg:golang/golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c", False),
        ("pkg:golang/rsc.io/quote@v1.5.2", True),
        ("pkg:golang/rsc.io/sampler@v1.3.1", False),
    ]


@pytest.mark.corpus
def test_cdxgen_replaced_tool_module_is_direct_build_and_runtime(corpus: Path) -> None:
    components = {c.purl: c for c in resolve_module(corpus, "CycloneDX__cdxgen/test/gomod").components}
    viper = components["pkg:golang/github.com/spf13/viper@v1.0.2"]
    assert viper.direct and {scope.value for scope in viper.scopes} == {"runtime", "build"}
    assert components["pkg:golang/google.golang.org/grpc@v1.21.0"].direct
    assert "pkg:golang/google.golang.org/grpc@v1.32.0" not in components  # the replaced version is not built
