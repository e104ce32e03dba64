"""pnpm dependency paths: keys of every lockfile version, peer suffixes, references."""

from __future__ import annotations

import pytest

from ospo_scan.parsers.npm.pnpm_paths import identity_of, key_candidates, split_key, strip_peers, suffix_peers


@pytest.mark.parametrize(
    ("key", "prefer_v5", "expected"),
    [
        # 5.x (trivy Test_parseDepPath, osv-scalibr exotic.yaml)
        ("/lodash/4.17.10", True, ("lodash", "4.17.10")),
        ("registry.npm.example/lodash/4.17.10", True, ("lodash", "4.17.10")),
        ("/@babel/generator/7.21.9", True, ("@babel/generator", "7.21.9")),
        ("registry.npm.example/@babel/generator/7.21.9", True, ("@babel/generator", "7.21.9")),
        ("/@babel/helper-compilation-targets/7.21.5_@babel+core@7.21.8", True, ("@babel/helper-compilation-targets", "7.21.5")),
        ("/lodash._baseclone/4.5.7_@babel+core@7.21.8", True, ("lodash._baseclone", "4.5.7")),
        ("/webpack-cli/4.10.0_fzn43tb6bdtdxy2s3aqevve2su", True, ("webpack-cli", "4.10.0")),
        ("/foo/1.4.0_@types+babel__core@7.1.14", True, ("foo", "1.4.0")),
        ("example.com/foo/1.3.0_bar@2.0.0", True, ("foo", "1.3.0")),
        ("/lodash/4-wrong", True, None),
        ("/foo/bar", True, None),
        ("github.com/kevva/is-positive", True, None),
        ("invalidpath", True, None),
        # 6.x
        ("/update-browserslist-db@1.0.11", False, ("update-browserslist-db", "1.0.11")),
        ("registry.npm.example/lodash@4.17.10", False, ("lodash", "4.17.10")),
        ("/@babel/helper-annotate-as-pure@7.18.6", False, ("@babel/helper-annotate-as-pure", "7.18.6")),
        ("registry.npm.example/@babel/helper-annotate-as-pure@7.18.6", False, ("@babel/helper-annotate-as-pure", "7.18.6")),
        ("/@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)", False, ("@babel/helper-compilation-targets", "7.21.5")),
        ("/react-dom@18.3.0-canary-ab31a9ed2-20230824(react@18.3.0-canary-ab31a9ed2-20230824)", False, ("react-dom", "18.3.0-canary-ab31a9ed2-20230824")),
        ("/lodash@4-wrong", False, None),
        # 9.0
        ("@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)", False, ("@babel/helper-compilation-targets", "7.21.5")),
        ("a@1.0.0(b@2.0.0(c@3.0.0))(d@4.0.0)", False, ("a", "1.0.0")),
        ("css.escape@1.5.1", False, ("css.escape", "1.5.1")),
        ("lodash@file:foo/bar/lodash.tgz", False, ("lodash", "file:foo/bar/lodash.tgz")),
        ("is-negative@https://git.example/zkochan/is-negative/tar.gz/2fa0531", False, ("is-negative", "https://git.example/zkochan/is-negative/tar.gz/2fa0531")),
        # a 5.x key read with the 6.0+ preference still comes out right, and the reverse
        ("/lodash._baseclone/4.5.7_react@18.2.0", False, ("lodash._baseclone", "4.5.7")),
        ("/lodash.merge/4.6.2_react@18.2.0", False, ("lodash.merge", "4.6.2")),
        ("/@babel/core@7.24.7", True, ("@babel/core", "7.24.7")),
    ],
)
def test_split_key(key: str, prefer_v5: bool, expected: tuple[str, str] | None) -> None:
    assert split_key(key, prefer_v5) == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("1.2.3(react@18.2.0)", "1.2.3"),
        ("1.2.3_react@18.2.0", "1.2.3"),
        ("1.2.3", "1.2.3"),
        ("link:../a_b", "link:../a_b"),
        ("file:../my_pkg(react@18.2.0)", "file:../my_pkg"),
    ],
)
def test_strip_peers(reference: str, expected: str) -> None:
    assert strip_peers(reference) == expected


def test_key_candidates_cover_every_spelling() -> None:
    assert key_candidates("react-dom", "18.2.0(react@18.2.0)") == (
        "18.2.0(react@18.2.0)",
        "/18.2.0(react@18.2.0)",
        "react-dom@18.2.0(react@18.2.0)",
        "/react-dom@18.2.0(react@18.2.0)",
        "/react-dom/18.2.0(react@18.2.0)",
    )


@pytest.mark.parametrize(
    ("name", "reference", "expected"),
    [
        ("debug", "4.3.4(supports-color@8.1.1)", ("debug", "4.3.4")),
        ("acorn-jsx", "5.3.2_acorn@8.7.0", ("acorn-jsx", "5.3.2")),
        ("string-width-cjs", "string-width@4.2.3", ("string-width", "4.2.3")),
        ("string-width-cjs", "/string-width@4.2.3", ("string-width", "4.2.3")),
        ("string-width-cjs", "/string-width/4.2.3", ("string-width", "4.2.3")),
        ("sqlite3", "@appthreat/sqlite3@7.0.2", ("@appthreat/sqlite3", "7.0.2")),
        ("x", "https://files.example/x-1.0.0.tgz", None),
        ("x", "link:../x", None),
    ],
)
def test_identity_of_a_reference(name: str, reference: str, expected: tuple[str, str] | None) -> None:
    assert identity_of(name, reference, prefer_v5=False) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("@testing-library/react@14.0.0(react-dom@18.2.0(react@18.2.0))(react@18.2.0)", {"react-dom", "react"}),
        ("/react-dom@18.2.0(react@18.2.0)", {"react"}),  # 6.x
        ("@vitejs/plugin-vue@6.0.8(vite@8.2.0)(vue@packages+vue)", {"vite", "vue"}),  # a workspace peer
        ("a@1.0.0(@types/node@24.0.7)", {"@types/node"}),
        ("/acorn-jsx/5.3.2_acorn@8.7.0", set()),  # 5.x suffixes are not read (peerDependencies is)
        ("chalk@5.3.0", set()),
        ("broken@1.0.0(unclosed@1.0.0", set()),
    ],
)
def test_suffix_peers(key: str, expected: set[str]) -> None:
    assert suffix_peers(key) == expected
