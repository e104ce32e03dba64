"""go.sum: code checksums are components, go.mod-only ones are not; malformed lines; the corpus."""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.golang.go_sum import SEVERAL_VERSIONS, SPEC, parse_go_sum
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "go_sum"
TRIVY_SUM = "fixtures/aquasecurity__trivy/pkg/dependency/parser/golang/sum/testdata"
TRIVY_MOD = "fixtures/aquasecurity__trivy/pkg/dependency/parser/golang/mod/testdata"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/golang/gomod/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/golang/testdata"


def parse_fixture(case: str) -> ParseResult:
    return parse_file_with(parse_go_sum, FIXTURES, f"{case}/go.sum")


def parse_path(root: Path, relative: str) -> ParseResult:
    return parse_file_with(parse_go_sum, root, relative)


def summary(result: ParseResult) -> list[tuple[str, str | None, int | None]]:
    return [(p.name, p.version, p.line) for p in result.packages]


def h1(seed: str) -> str:
    return "h1:" + base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [("go.sum", True), ("a/b/go.sum", True), ("go.work.sum", False), ("go.sum.bak", False), ("go.sum/x", False)],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert SPEC.name == "go-sum"


def test_graph_only_entries_are_not_reported() -> None:
    result = parse_fixture("graph-only-entries")
    assert summary(result) == [
        # v1.0.0 has only a /go.mod hash (graph only); v1.2.0 is built; its repeated line is one package
        ("example.com/lib", "v1.2.0", 2),
        ("example.com/pseudo", "v0.0.0-20200804184101-5ec99f83aff1", 6),
        ("example.com/incompatible", "v2.7.1+incompatible", 8),
        ("Example.com/MixedCase", "v1.0.0", 11),  # case kept as written
    ]
    assert all(
        p == DeclaredPackage(name=p.name, version=p.version, direct=None, line=p.line, scopes=frozenset({Scope.RUNTIME}))
        for p in result.packages
    )
    assert result.issues == [] and result.project is None


def test_malformed_lines_are_issues_and_the_rest_is_read() -> None:
    result = parse_fixture("malformed-lines")
    assert summary(result) == [
        ("example.com/good", "v1.0.0", 1),
        ("example.com/truncated", "v1.1.0", 6),  # the module is known even if its digest is cut
        ("example.com/last", "v0.1.0", 8),
    ]
    assert issues(result) == [
        (2, "expected `module version hash`, found 2 field(s)"),
        (3, "expected `module version hash`, found 4 field(s)"),
        (4, "example.com/badversion: '1.0.0' is not a module version"),
        (5, "example.com/nohash v1.0.0: 'notahash' is not `algorithm:digest`"),
        (6, "example.com/truncated v1.1.0: the h1 digest is not a base64 SHA-256 (truncated?)"),
    ]
    # one line each, the rest read; the scan still counts as incomplete
    assert {(found.code, found.severity.value) for found in result.issues} == {("invalid-entry", "error")}


def test_several_versions_with_code_are_kept_with_a_note() -> None:
    result = parse_fixture("several-versions-with-code")
    assert [(p.name, p.version, p.note) for p in result.packages] == [
        ("example.com/lib", "v1.0.0", SEVERAL_VERSIONS),
        ("example.com/lib", "v1.1.0", SEVERAL_VERSIONS),
        ("example.com/other", "v0.2.0", None),
    ]


def test_other_hash_algorithms_are_skipped_silently() -> None:
    result = parse_fixture("other-hash-algorithm")
    assert summary(result) == [("example.com/lib", "v1.0.0", 2)]
    assert result.issues == []


def test_a_file_with_no_readable_line_raises_parse_error() -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("not-a-go-sum")
    assert (raised.value.message, raised.value.line) == ("not a go.sum file: expected `module version hash`, found 2 field(s)", 1)


@pytest.mark.parametrize("text", ["", "\n\n   \n"])
def test_empty_go_sum_has_nothing_and_no_issue(text: str) -> None:
    result = parse_go_sum(SourceFile(path="go.sum", text=text), SandboxReader(FIXTURES))
    assert result.packages == [] and result.issues == []


def test_crlf_and_a_truncated_last_line() -> None:
    text = f"example.com/a v1.0.0 {h1('a')}\r\nexample.com/a v1.0.0/go.mod {h1('b')}\r\nexample.com/b v1.0"
    result = parse_go_sum(SourceFile(path="go.sum", text=text), SandboxReader(FIXTURES))
    assert summary(result) == [("example.com/a", "v1.0.0", 1)]
    assert issues(result) == [(3, "expected `module version hash`, found 2 field(s)")]


def test_a_20_mb_generated_go_sum_parses() -> None:
    lines = []
    for index in range(100_000):
        lines.append(f"example.com/generated/organisation/module-{index:06d} v1.{index}.0 {h1(str(index))}")
        lines.append(f"example.com/generated/organisation/module-{index:06d} v1.{index}.0/go.mod {h1(str(-index))}")
    text = "\n".join(lines) + "\n"
    assert len(text) > 20_000_000
    started = time.perf_counter()
    result = parse_go_sum(SourceFile(path="go.sum", text=text), SandboxReader(FIXTURES))
    elapsed = time.perf_counter() - started
    assert len(result.packages) == 100_000 and result.issues == []
    assert result.packages[-1].line == 199_999
    assert elapsed < 60  # generous: only guards against quadratic behaviour


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # trivy sum/parse_testcase.go lists `go list -m all` (graph-only modules included, highest
        # version per module); we report only modules with a code checksum
        ("gomod_normal.sum", [("golang.org/x/xerrors", "v0.0.0-20200804184101-5ec99f83aff1")]),
        ("gomod_emptyline.sum", [("github.com/karrick/godirwalk", "v1.12.0"), ("github.com/pkg/errors", "v0.8.1")]),
        (
            "gomod_many.sum",
            [
                ("github.com/BurntSushi/toml", "v0.3.1"),
                ("github.com/cpuguy83/go-md2man/v2", "v2.0.0-20190314233015-f79a8a8ca69d"),
                ("github.com/davecgh/go-spew", "v1.1.0"),
                ("github.com/pmezard/go-difflib", "v1.0.0"),
                ("github.com/russross/blackfriday/v2", "v2.0.1"),
                ("github.com/shurcooL/sanitized_anchor_name", "v1.0.0"),
                ("github.com/stretchr/objx", "v0.1.0"),
                ("github.com/stretchr/testify", "v1.7.0"),
                ("github.com/urfave/cli", "v1.22.5"),
                ("golang.org/x/xerrors", "v0.0.0-20200804184101-5ec99f83aff1"),
                # trivy also lists gopkg.in/check.v1 and gopkg.in/yaml.v2: /go.mod hashes only here
                ("gopkg.in/yaml.v3", "v3.0.0-20200313102051-9f266ea9e77c"),
            ],
        ),
        # `go get` of trivy in an empty module: 868 graph-only lines, one module built
        ("gomod_trivy.sum", [("github.com/aquasecurity/trivy", "v0.16.0")]),
    ],
)
def test_trivy_sum_fixtures(corpus: Path, fixture: str, expected: list[tuple[str, str]]) -> None:
    result = parse_path(corpus, f"{TRIVY_SUM}/{fixture}")
    assert [(p.name, p.version) for p in result.packages] == expected
    assert result.issues == []


@pytest.mark.corpus
def test_trivy_go_sum_line_numbers(corpus: Path) -> None:
    result = parse_path(corpus, f"{TRIVY_SUM}/gomod_emptyline.sum")
    assert summary(result) == [("github.com/karrick/godirwalk", "v1.12.0", 1), ("github.com/pkg/errors", "v0.8.1", 3)]


@pytest.mark.corpus
def test_scalibr_sum_fixtures(corpus: Path) -> None:
    result = parse_path(corpus, f"{SCALIBR}/indirect-1.16.sum")
    assert [(p.name, p.version) for p in result.packages] == [
        ("github.com/davecgh/go-spew", "v1.1.1"),  # v1.1.0 is graph-only
        ("github.com/pmezard/go-difflib", "v1.0.0"),
        ("github.com/sirupsen/logrus", "v1.9.3"),
        ("github.com/stretchr/testify", "v1.7.0"),
        ("golang.org/x/sys", "v0.0.0-20220715151400-c0bba94af5f8"),
        ("gopkg.in/yaml.v3", "v3.0.0-20200313102051-9f266ea9e77c"),
    ]
    with pytest.raises(ParseError) as raised:  # "Wrongly formatted, this file should not be used!!!"
        parse_path(corpus, f"{SCALIBR}/indirect-1.23.sum")
    assert raised.value.line == 1


@pytest.mark.corpus
def test_syft_sum_fixtures(corpus: Path) -> None:
    hashes = parse_path(corpus, f"{SYFT}/go-sum-hashes/go.sum")
    assert summary(hashes) == [
        ("github.com/CycloneDX/cyclonedx-go", "v0.7.0", 2),
        ("github.com/acarl005/stripansi", "v0.0.0-20180116102854-5a71ef0e047d", 4),
        ("github.com/mgutz/ansi", "v0.0.0-20200706080929-d51e80ef957d", 10),
    ]
    assert parse_path(corpus, f"{SYFT}/go-mod-fixtures/one-package/go.sum").packages == []  # graph-only
    corrupt = parse_path(corpus, f"{SYFT}/corrupt/go.sum")
    assert summary(corrupt) == [("github.com/Cycpansi", "v0.0.0-20180116102854-5a71ef0e047d", 2)]
    assert issues(corrupt) == [
        (3, "expected `module version hash`, found 1 field(s)"),
        (4, "expected `module version hash`, found 1 field(s)"),
    ]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "count"),
    [
        ("normal/go.sum", 6),
        ("replaced/go.sum", 6),
        ("replaced-with-version/go.sum", 6),
        ("replaced-with-local-path/go.sum", 5),
        ("go116/go.sum", 6),
    ],
)
def test_trivy_mod_fixture_sums(corpus: Path, fixture: str, count: int) -> None:
    result = parse_path(corpus, f"{TRIVY_MOD}/{fixture}")
    assert len(result.packages) == count == independent_count(corpus / TRIVY_MOD / fixture)


# --- real-world corpus -----------------------------------------------------------


def independent_count(path: Path) -> int:
    """Distinct module@version on lines whose version has no /go.mod suffix (grep -v '/go.mod ')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return len({tuple(line.split()[:2]) for line in lines if line.strip() and "/go.mod " not in line})


@pytest.mark.corpus
def test_every_corpus_go_sum_parses_with_the_independent_count(corpus: Path) -> None:
    files = sorted(path for path in corpus.rglob("go.sum") if not path.relative_to(corpus).as_posix().startswith("fixtures/"))
    assert len(files) >= 30, "the corpus holds dozens of go.sum; far fewer means the glob broke"
    for path in files:
        result = parse_path(corpus, path.relative_to(corpus).as_posix())
        assert len(result.packages) == independent_count(path), path
        assert result.issues == [], path
        assert all(p.direct is None and p.line is not None and p.note is None for p in result.packages), path


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("relative", "built", "lines"),
    [
        ("anchore__syft/go.sum", 363, 1549),
        ("aquasecurity__trivy/go.sum", 579, 1366),
        ("hashicorp__terraform/go.sum", 345, 962),
        ("prometheus__prometheus/go.sum", 299, 780),
        ("google__osv-scalibr/go.sum", 249, 703),
        ("google__osv-scanner/go.sum", 273, 670),
        ("etcd-io__etcd/go.sum", 88, 208),
        ("etcd-io__etcd/tools/mod/go.sum", 277, 735),
    ],
)
def test_large_module_graphs(corpus: Path, relative: str, built: int, lines: int) -> None:
    result = parse_path(corpus, relative)
    assert len(result.packages) == built == independent_count(corpus / relative)
    assert len((corpus / relative).read_text(encoding="utf-8").splitlines()) == lines
