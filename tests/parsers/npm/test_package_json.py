"""package.json: sections and npm's precedence, specifier kinds, lines, notes, identity, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.model import Scope
from ospo_scan.parsers.base import DeclaredPackage, DeclaredProject, ParseError, ParseResult, SourceFile
from ospo_scan.parsers.npm.package_json import SPEC, parse_package_json
from ospo_scan.reading import SandboxReader
from tests.parsing import issue_rows as issues, parse_file_with

FIXTURES = Path(__file__).parent / "fixtures" / "package_json"
RUNTIME, DEV, OPTIONAL = frozenset({Scope.RUNTIME}), frozenset({Scope.DEV}), frozenset({Scope.OPTIONAL})
TRIVY = "fixtures/aquasecurity__trivy/pkg/dependency/parser/nodejs/packagejson/testdata"
SCALIBR = "fixtures/google__osv-scalibr/extractor/filesystem/language/javascript/packagejson/testdata"
SYFT = "fixtures/anchore__syft/syft/pkg/cataloger/javascript/testdata"
SECTION_NAMES = {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"}


def parse_fixture(name: str, root: Path = FIXTURES) -> ParseResult:
    """Parse a file through the sandbox reader, as the scan would."""
    return parse_file_with(parse_package_json, root, name)


def summary(result: ParseResult) -> list[tuple[str, str | None, str | None, frozenset[Scope], int | None]]:
    """(name, version, requirement, scopes, line) of every package, in output order."""
    return [(p.name, p.version, p.requirement, p.scopes, p.line) for p in result.packages]


def by_name(result: ParseResult) -> dict[str, DeclaredPackage]:
    return {package.name: package for package in result.packages}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("package.json", True),
        ("apps/web/package.json", True),
        ("package-lock.json", False),
        ("package.json5", False),
        ("my-package.json", False),
        ("package.json/index.js", False),
        ("Package.json", False),
    ],
)
def test_matches_by_exact_basename(path: str, expected: bool) -> None:
    assert SPEC.accepts(path) is expected
    assert (SPEC.name, SPEC.ecosystem.value, SPEC.role.value) == ("package-json", "npm", "manifest")


def test_sections_take_npm_precedence_and_keep_peer_beside_the_winner() -> None:
    """npm loads peer, prod, optional, dev in that order and a later edge replaces an earlier one."""
    result = parse_fixture("sections-and-precedence.json")
    assert result.project == DeclaredProject(name="@acme/app", version="2.1.0", license="Apache-2.0")
    assert summary(result) == [
        ("react", None, "^18.2.0", frozenset({Scope.RUNTIME, Scope.PEER}), 9),
        ("react-dom", None, "^18.2.0", frozenset({Scope.DEV, Scope.PEER}), 14),
        ("typescript", None, ">=5", frozenset({Scope.OPTIONAL, Scope.PEER}), 23),
        ("express", None, "^4.18.2", RUNTIME, 6),
        ("left-pad", "1.3.0", "1.3.0", OPTIONAL, 18),
        ("chalk", None, "^5.3.0", DEV, 13),
        ("fsevents", None, "^2.3.3", OPTIONAL, 17),
        ("jest", None, "^29.0.0", DEV, 12),
    ]
    packages = by_name(result)
    assert packages["left-pad"].note == "also in dependencies; npm uses the optionalDependencies entry"
    assert packages["chalk"].note == "also in dependencies; npm uses the devDependencies entry"
    assert packages["react"].note == "also in peerDependencies; npm uses the dependencies entry"
    assert all(p.direct is True and not p.first_party for p in result.packages)
    assert result.issues == [] and result.edges == [] and result.workspace_members == []


def test_every_declaration_carries_its_section_as_group_and_its_key_path() -> None:
    """The group is the section npm uses (the last one), as written; the key path points at that entry."""
    result = parse_fixture("sections-and-precedence.json")
    assert [(p.name, p.group, p.key_path) for p in result.packages] == [
        ("react", "dependencies", 'dependencies["react"]'),
        ("react-dom", "devDependencies", 'devDependencies["react-dom"]'),
        ("typescript", "peerDependencies", 'peerDependencies["typescript"]'),
        ("express", "dependencies", 'dependencies["express"]'),
        ("left-pad", "optionalDependencies", 'optionalDependencies["left-pad"]'),
        ("chalk", "devDependencies", 'devDependencies["chalk"]'),
        ("fsevents", "optionalDependencies", 'optionalDependencies["fsevents"]'),
        ("jest", "devDependencies", 'devDependencies["jest"]'),
    ]


def test_an_alias_keeps_its_key_in_the_key_path_and_a_bundled_name_points_at_the_bundle_list() -> None:
    packages = by_name(parse_fixture("bundles-overrides-resolutions.json"))
    assert (packages["foo"].group, packages["foo"].key_path) == ("dependencies", 'dependencies["alias-of-foo"]')
    assert (packages["not-declared"].group, packages["not-declared"].key_path) == (
        "dependencies",
        "bundleDependencies[1]",
    )


def test_names_keep_the_spelling_of_the_manifest() -> None:
    """JSONStream stays JSONStream: the purl lowercases it later, the name shown to people does not."""
    result = parse_fixture("mixed-case-names.json")
    assert [(p.name, p.version, p.requirement, p.key_path) for p in result.packages] == [
        ("JSONStream", None, "^1.3.5", 'dependencies["JSONStream"]'),
        ("@Azure/MS-Rest-Js", None, "^2.0.0", 'dependencies["@Azure/MS-Rest-Js"]'),
        ("Buffer-Equal", "1.0.0", "npm:Buffer-Equal@1.0.0", 'devDependencies["ClickHouse-alias"]'),
    ]


@pytest.mark.parametrize(
    ("fixture", "patterns", "problems"),
    [
        ("workspaces-forms.json", ["packages/*", "apps/web"], []),
        ("workspaces-object-form.json", ["packages/*", "tools/**"], []),
        ("workspaces-nohoist-only.json", [], []),
        ("bundle-all-and-bad-pins.json", [], [(13, "workspaces: expected an array of globs or {packages: [...]}")]),
        ("sections-and-precedence.json", [], []),
    ],
)
def test_workspace_globs_become_workspace_patterns(
    fixture: str, patterns: list[str], problems: list[tuple[int, str]]
) -> None:
    result = parse_fixture(fixture)
    assert result.workspace_patterns == patterns
    assert [found for found in issues(result) if found[1].startswith("workspaces")] == problems


@pytest.mark.parametrize(
    ("name", "version", "requirement", "first_party", "source_url", "note"),
    [
        ("exact", "1.2.3", "1.2.3", False, None, None),
        ("exact-eq", "1.2.3", "=1.2.3", False, None, None),
        ("exact-v", "1.2.3-beta.1+build.5", "v1.2.3-beta.1+build.5", False, None, None),
        ("caret", None, "^1.2.3", False, None, None),
        ("hyphen", None, "1.0.0 - 2.0.0", False, None, None),
        ("union", None, "<2 || >=3", False, None, None),
        ("x-range", None, "1.x", False, None, None),
        ("star", None, "*", False, None, None),
        ("empty", None, "*", False, None, "empty specifier: any version"),
        ("tagged", None, "latest", False, None, "dist-tag 'latest': version chosen by the registry at install time"),
        ("prettier", None, "npm:prettier@^2", False, None, "installed under the alias 'prettier-2'"),
        ("@babel/core", "7.12.9", "npm:@babel/core@7.12.9", False, None, "installed under the alias 'old-core'"),
        (
            "git-ssh",
            None,
            "git+ssh://git@git.example:org/repo.git#v1.0.0",
            False,
            "git+ssh://git@git.example:org/repo.git#v1.0.0",
            "git dependency: version not in the manifest",
        ),
        (
            "git-plain",
            None,
            "git://git.example/org/repo.git",
            False,
            "git://git.example/org/repo.git",
            "git dependency: version not in the manifest",
        ),
        (
            "shortcut",
            None,
            "github:org/repo#semver:^1.0.0",
            False,
            "github:org/repo#semver:^1.0.0",
            "git dependency: version not in the manifest",
        ),
        (
            "shorthand",
            None,
            "org/repo#v1.28.1",
            False,
            "org/repo#v1.28.1",
            "git dependency: version not in the manifest",
        ),
        (
            "scp",
            None,
            "git.example:org/repo#main",
            False,
            "git.example:org/repo#main",
            "git dependency: version not in the manifest",
        ),
        (
            "https-git",
            None,
            "https://git.example/org/repo.git",
            False,
            "https://git.example/org/repo.git",
            "git dependency: version not in the manifest",
        ),
        (
            "tarball",
            None,
            "https://files.example/pkg/-/pkg-1.0.0.tgz",
            False,
            "https://files.example/pkg/-/pkg-1.0.0.tgz",
            "tarball URL: version not in the manifest",
        ),
        ("local-file", None, "file:../local-file", True, "file:../local-file", "local path: first-party code"),
        (
            "local-link",
            None,
            "link:./packages/local-link",
            True,
            "link:./packages/local-link",
            "local path: first-party code",
        ),
        (
            "local-relative",
            None,
            "./vendor/local-relative",
            True,
            "./vendor/local-relative",
            "local path: first-party code",
        ),
        ("ws", None, "workspace:^", True, None, "workspace package of this repository"),
        ("portal-pkg", None, "portal:../portal-pkg", True, "portal:../portal-pkg", "local path: first-party code"),
        ("from-catalog", None, "catalog:", False, None, "range taken from a pnpm catalog (pnpm-workspace.yaml)"),
        (
            "patched",
            "3.1.1",
            "patch:patched@npm%3A3.1.1#~/.yarn/patches/patched.patch",
            False,
            None,
            "patched locally (yarn patch: protocol)",
        ),
        ("weird", None, "other:foo/bar", False, "other:foo/bar", "unrecognized specifier 'other:foo/bar'"),
    ],
)
def test_every_specifier_kind(
    name: str, version: str | None, requirement: str, first_party: bool, source_url: str | None, note: str | None
) -> None:
    package = by_name(parse_fixture("specifier-kinds.json"))[name]
    assert (package.version, package.requirement, package.first_party) == (version, requirement, first_party)
    assert (package.source_url, package.note, package.scopes) == (source_url, note, RUNTIME)


def test_specifier_kinds_lines_and_first_party_members() -> None:
    result = parse_fixture("specifier-kinds.json")
    assert [p.line for p in result.packages] == list(range(4, 31))
    assert result.workspace_members == ["local-file", "local-link", "local-relative", "portal-pkg", "ws"]
    assert result.issues == []


def test_lines_come_from_the_top_level_section_not_look_alikes() -> None:
    """A `dependencies` nested under `jspm`, in an array or inside a string is not the manifest's."""
    result = parse_fixture("nested-look-alike-sections.json")
    assert summary(result) == [("lodash", None, "^4.17.21", RUNTIME, 13)]


def test_minified_manifest_puts_every_entry_on_line_one() -> None:
    assert summary(parse_fixture("minified.json")) == [
        ("a", "1.0.0", "1.0.0", RUNTIME, 1),
        ("b", None, "^2", RUNTIME, 1),
        ("c", None, "~3", DEV, 1),
    ]


def test_bundles_overrides_and_resolutions_are_notes_not_packages() -> None:
    result = parse_fixture("bundles-overrides-resolutions.json")
    assert [(p.name, p.requirement, p.note) for p in result.packages] == [
        (
            "semver",
            "^7.5.0",
            "bundled into this package's tarball (bundleDependencies); pinned by overrides: 'semver' -> 7.5.4",
        ),
        ("glob", "^10.0.0", "pinned by overrides: 'glob@10' -> 10.3.10 (and nested overrides)"),
        (
            "@scope/tool",
            "^1.0.0",
            "pinned by pnpm.overrides: '@scope/tool' -> 1.2.3; pinned by resolutions: '@scope/tool' -> 1.2.4",
        ),
        (
            "foo",
            "npm:foo@^1.0.0",
            "installed under the alias 'alias-of-foo'; pinned by overrides: 'foo' -> $alias-of-foo",
        ),
        ("minimatch", "^9.0.0", "pinned by resolutions: '**/minimatch' -> 9.0.1"),
        (
            "not-declared",
            "*",
            'not declared in dependencies: npm adds it as "*" because bundleDependencies names it; '
            "bundled into this package's tarball (bundleDependencies)",
        ),
    ]
    assert (by_name(result)["not-declared"].scopes, by_name(result)["not-declared"].line) == (RUNTIME, 12)
    assert result.issues == []


def test_bundle_true_covers_dependencies_and_bad_pin_tables_are_issues() -> None:
    result = parse_fixture("bundle-all-and-bad-pins.json")
    assert [(p.name, p.note) for p in result.packages] == [
        ("a", "bundled into this package's tarball (bundledDependencies)"),
        ("b", "bundled into this package's tarball (bundledDependencies)"),
        ("c", None),
    ]
    assert issues(result) == [
        (11, "overrides: expected an object, found an array"),
        (12, "resolutions: expected an object, found a string"),
        (13, "workspaces: expected an array of globs or {packages: [...]}"),
    ]


def test_workspace_globs_are_not_packages_and_workspace_protocol_is_first_party() -> None:
    result = parse_fixture("workspaces-forms.json")
    assert [(p.name, p.requirement, p.scopes, p.first_party) for p in result.packages] == [
        ("@monorepo/shared", "workspace:*", DEV, True),
        ("typescript", "^5.4.0", DEV, False),
    ]
    assert result.workspace_members == ["@monorepo/shared"]
    assert result.issues == []


def test_legacy_licenses_array_becomes_an_or_expression() -> None:
    result = parse_fixture("legacy-licenses-array.json")
    assert result.project == DeclaredProject(name="legacy-licenses", version="0.1.0", license="(MIT OR Apache-2.0)")


def test_unity_package_manager_manifest_yields_nothing() -> None:
    result = parse_fixture("unity-manifest.json")
    assert (result.packages, result.project, result.issues) == ([], None, [])


def test_wrong_types_are_issues_and_what_can_be_read_is_kept() -> None:
    result = parse_fixture("broken-sections.json")
    assert result.project == DeclaredProject(name=None, version=None, license=None)
    assert [(p.name, p.requirement, p.scopes, p.line, p.note) for p in result.packages] == [
        ("left-pad", "^1.3.0", RUNTIME, None, None),
        ("is-odd", "*", RUNTIME, None, None),
        ("numeric", None, OPTIONAL, 7, "specifier is a number, not a string"),
        ("nothing", None, OPTIONAL, 8, "specifier is null, not a string"),
    ]
    assert issues(result) == [
        (2, "name: expected a string, found a number"),
        (3, "version: expected a string, found an array"),
        (4, "dependencies: expected an object of name -> specifier, found an array"),
        (6, "optionalDependencies: a dependency with an empty name"),
        (5, "devDependencies: expected an object of name -> specifier, found a string"),
        (11, "peerDependenciesMeta: expected an object, found an array"),
    ]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("top-level-array.json", "expected a JSON object at the top level, found an array"),
        ("top-level-string.json", "expected a JSON object at the top level, found a string"),
    ],
)
def test_json_that_is_not_an_object_is_an_issue_not_a_crash(fixture: str, message: str) -> None:
    result = parse_fixture(fixture)
    assert (result.packages, result.project) == ([], None)
    assert issues(result) == [(1, message)]


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("broken-syntax.json", "invalid JSON: Expecting ',' delimiter", 5),
        ("truncated.json", "invalid JSON: Expecting property name enclosed in double quotes", 5),
    ],
)
def test_unreadable_json_raises_parse_error_with_line(fixture: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture(fixture)
    assert (raised.value.message, raised.value.line) == (message, line)


def test_deeply_nested_json_is_a_parse_error() -> None:
    hostile = SourceFile(path="package.json", text='{"a":' * 100_000)
    with pytest.raises(ParseError, match="invalid JSON"):
        parse_package_json(hostile, SandboxReader(FIXTURES))


# --- peers' fixtures -------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "project", "packages"),
    [
        # trivy parse_test.go "happy path": deps, optional, dev; we also keep the peer dependency
        (
            "package.json",
            DeclaredProject(name="bootstrap", version="5.0.2", license="MIT"),
            [
                ("@popperjs/core", Scope.PEER),
                ("js-tokens", Scope.RUNTIME),
                ("colors", Scope.OPTIONAL),
                ("@babel/cli", Scope.DEV),
                ("@babel/core", Scope.DEV),
            ],
        ),
        # "happy path - legacy license": {type: ISC} object
        (
            "legacy_package.json",
            DeclaredProject(name="angular", version="4.1.2", license="ISC"),
            [("@popperjs/core", Scope.PEER), ("@babel/cli", Scope.DEV), ("@babel/core", Scope.DEV)],
        ),
        ("without_version_package.json", DeclaredProject(name="angular"), []),
        ("without_name_and_version_package.json", DeclaredProject(name=None, license="MIT"), []),
        (
            "legacy_array_package.json",
            DeclaredProject(name="tv4", version="1.3.0", license="(Public Domain OR MIT)"),
            [],
        ),
        (
            "mixed_array_license_package.json",
            DeclaredProject(name="mixed-array-license", version="1.0.0", license="MIT"),
            [],
        ),
        ("empty_array_license_package.json", DeclaredProject(name="empty-array-license", version="1.0.0"), []),
        ("null_license_package.json", DeclaredProject(name="null-license", version="1.0.0"), []),
        ("workspace_as_map_package.json", DeclaredProject(name="example", version="1.0.0"), []),
        ("invalid_name.json", DeclaredProject(name="@invalid/packageName/", version="1.0.0", license="ISC"), []),
    ],
)
def test_trivy_fixtures(
    corpus: Path, fixture: str, project: DeclaredProject, packages: list[tuple[str, Scope]]
) -> None:
    result = parse_fixture(fixture, corpus / TRIVY)
    assert result.project == project
    assert [(p.name, next(iter(p.scopes))) for p in result.packages] == packages
    assert result.issues == []


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", ["invalid_license_package.json", "unknown_license_object_package.json"])
def test_trivy_invalid_license_forms_are_issues(corpus: Path, fixture: str) -> None:
    result = parse_fixture(fixture, corpus / TRIVY)
    assert result.project is not None and result.project.license is None
    assert [found.line for found in result.issues] == [4]
    assert result.issues[0].message.startswith("license: expected an SPDX string")


@pytest.mark.corpus
def test_trivy_invalid_json_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("invalid_package.json", corpus / TRIVY)
    assert raised.value.line == 2


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "name", "version"),
    [
        # osv-scalibr extractor_test.go reports the package a package.json describes
        ("package.json", "testdata", "10.46.8"),
        ("deps/accepts/package.json", "accepts", "1.3.8"),
        ("deps/with/deps/acorn/package.json", "acorn", "1.2.2"),
        ("undici-package.json", "undici", "5.28.3"),
        ("not-vscode.json", "jsonparse", "1.3.1"),
        # scalibr skips these as packages; as projects they simply lack a name or a version
        ("deps/acorn/package.json", None, "2.7.0"),
        ("deps/acorn-globals/package.json", "acorn-globals", None),
    ],
)
def test_scalibr_fixtures_give_the_project_identity(
    corpus: Path, fixture: str, name: str | None, version: str | None
) -> None:
    result = parse_fixture(fixture, corpus / SCALIBR)
    assert result.project is not None
    assert (result.project.name, result.project.version) == (name, version)


@pytest.mark.corpus
def test_scalibr_unity_package_and_invalid_file(corpus: Path) -> None:
    unity = parse_fixture("unity-package.json", corpus / SCALIBR)
    assert (unity.packages, unity.project) == ([], None)
    with pytest.raises(ParseError):
        parse_fixture("invalid", corpus / SCALIBR)


@pytest.mark.corpus
def test_scalibr_duplicate_keys_follow_npm_precedence(corpus: Path) -> None:
    """my-dep is in dependencies and devDependencies: npm installs it as a dev dependency."""
    result = parse_fixture("duplicate-keys.json", corpus / SCALIBR)
    assert summary(result) == [("my-dep", "1.0.0", "1.0.0", DEV, 5)]
    assert result.packages[0].note == "also in dependencies; npm uses the devDependencies entry"


@pytest.mark.corpus
def test_scalibr_package_with_deps_keeps_ranges(corpus: Path) -> None:
    result = parse_fixture("package-with-deps.json", corpus / SCALIBR)
    assert [(p.name, p.version, p.requirement) for p in result.packages] == [
        ("dep1", "1.0.0", "1.0.0"),
        ("dep2", None, ">2.0.0"),
        ("dep3", None, "~3.1.0"),
        ("dep4", None, "^0.4.2"),
        ("dep5", None, "5.x"),
        ("dep6", None, "invalid"),
        ("dep7", None, ">=1.0.0 <2.0.0"),
    ]
    assert by_name(result)["dep6"].note == "dist-tag 'invalid': version chosen by the registry at install time"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("fixture", "license_"),
    [
        # syft parse_package_json_test.go: license object, licenses array, malformed licenses, none
        ("pkg-json/package-license-object.json", "ISC"),
        ("pkg-json/package-license-objects.json", "(MIT OR Apache-2.0)"),
        ("pkg-json/package-malformed-license.json", "MIT"),
        ("pkg-json/package-no-license.json", None),
        ("pkg-json/package.json", "Artistic-2.0"),
        ("pkg-json/package-private.json", "Artistic-2.0"),
    ],
)
def test_syft_license_forms(corpus: Path, fixture: str, license_: str | None) -> None:
    result = parse_fixture(fixture, corpus / SYFT)
    assert result.project == DeclaredProject(name="npm", version="6.14.6", license=license_)
    assert result.issues == []


@pytest.mark.corpus
def test_syft_npm_manifest_dependencies(corpus: Path) -> None:
    """npm 6's manifest: 115 dependencies, 13 devDependencies, and 8 names only in bundleDependencies."""
    result = parse_fixture("pkg-json/package.json", corpus / SYFT)
    scopes = [p.scopes for p in result.packages]
    assert (scopes.count(RUNTIME), scopes.count(DEV)) == (123, 13)
    assert by_name(result)["debuglog"].requirement == "*"
    assert by_name(result)["JSONStream"].requirement == "^1.3.5"


@pytest.mark.corpus
def test_syft_corrupt_manifest_is_a_parse_error(corpus: Path) -> None:
    with pytest.raises(ParseError) as raised:
        parse_fixture("corrupt/package.json", corpus / SYFT)
    assert raised.value.line == 3


# --- the real-world corpus -----------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_manifest_parses_and_counts_match_an_independent_count(corpus: Path) -> None:
    """Each manifest yields one package per distinct dependency key, counted here with json."""
    manifests = sorted(p for p in corpus.rglob("package.json") if "fixtures" not in p.relative_to(corpus).parts)
    assert len(manifests) >= 300
    reader = SandboxReader(corpus)
    for path in manifests:
        relative = path.relative_to(corpus).as_posix()
        result = parse_package_json(reader.read(relative), reader)
        document = json.loads(path.read_text(encoding="utf-8"))
        bundled = document.get("bundleDependencies") or document.get("bundledDependencies")
        keys = set(bundled) if isinstance(bundled, list) else set()
        for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
            keys |= set(document.get(section) or {})
        assert len(result.packages) == len(keys), relative
        assert result.issues == [], relative
        assert all(p.group in SECTION_NAMES and p.key_path for p in result.packages), relative
        workspaces = document.get("workspaces")
        globs = workspaces.get("packages") if isinstance(workspaces, dict) else workspaces
        assert result.workspace_patterns == (globs or []), relative
