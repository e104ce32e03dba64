"""Every pom.xml of the real-world corpus, parsed as the scan does (one group per repository).

The counts pinned here are the ones reported in issue 4's note: how many dependencies of
each large Maven build resolve to a concrete version without any parent or BOM from
outside the repository (no local repository is given).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from ospo_scan.parsers.base import ParseError, ParseResult
from ospo_scan.parsers.maven.pom import parse_pom
from ospo_scan.reading import SandboxReader
from tests.parsers.maven.pom_support import parse_tree, pom_paths

pytestmark = pytest.mark.corpus

DELIBERATELY_BROKEN = {"fixtures": {"anchore__syft/syft/pkg/cataloger/java/testdata/corrupt/pom.xml"}}
"""Corpus POMs whose owners test them as unreadable XML."""


def _roots(corpus: Path) -> list[Path]:
    return sorted(path for path in corpus.iterdir() if path.is_dir() and pom_paths(path))


def test_every_corpus_pom_parses_in_its_repository_group(corpus: Path) -> None:
    for root in _roots(corpus):
        results = parse_tree(root)
        broken = DELIBERATELY_BROKEN.get(root.name, set())
        assert sorted(results) == sorted(set(pom_paths(root)) - broken), root.name
        for path in broken:
            with pytest.raises(ParseError):
                reader = SandboxReader(root)
                parse_pom(reader.read(path), reader)
        versions = [p.version for result in results.values() for p in result.packages if p.version]
        assert not [v for v in versions if "${" in v], root.name


def test_own_dependencies_match_an_independent_count(corpus: Path) -> None:
    """Dependencies each POM declares itself (profiles included, plugins excluded), counted
    with a plain ElementTree walk, equal the packages it reports as its own."""
    for root in _roots(corpus):
        results = parse_tree(root)
        for path, result in results.items():
            assert _own_packages(result) == _declared_in(root / path), f"{root.name}/{path}"


def _own_packages(result: ParseResult) -> int:
    return sum(1 for p in result.packages if p.path is None and not (p.note or "").startswith("inherited from"))


def _declared_in(path: Path) -> int:
    project = fromstring(path.read_text(encoding="utf-8"))
    found = [*project.findall("{*}dependencies/{*}dependency"), *project.findall("{*}profiles/{*}profile/{*}dependencies/{*}dependency")]
    return sum(1 for d in found if (d.findtext("{*}groupId") or "").strip() and (d.findtext("{*}artifactId") or "").strip())


LARGE_PROJECTS = {
    # repository: (POM files, dependencies, resolved to a concrete version, first-party, issues)
    "apache__maven": (91, 606, 559, 316, 31),
    "apache__dubbo": (129, 1053, 970, 676, 51),
    "jenkinsci__jenkins": (9, 106, 85, 11, 12),
    "apache__commons-lang": (1, 7, 2, 0, 3),
}


@pytest.mark.parametrize("name", sorted(LARGE_PROJECTS))
def test_large_project_resolution_numbers(corpus: Path, name: str) -> None:
    results = parse_tree(corpus / name)
    packages = [p for result in results.values() for p in result.packages]
    found = (
        len(results),
        len(packages),
        sum(1 for p in packages if p.version is not None),
        sum(1 for p in packages if p.first_party),
        sum(len(result.issues) for result in results.values()),
    )
    assert found == LARGE_PROJECTS[name]


def test_commons_lang_names_its_missing_parent(corpus: Path) -> None:
    result = parse_tree(corpus / "apache__commons-lang")["pom.xml"]
    messages = [issue.message for issue in result.issues]
    assert messages[0] == "parent org.apache.commons:commons-parent:104 not found in the scanned tree or local repository"
    assert all("commons-parent:104" in message for message in messages)


def test_dubbo_revision_and_in_tree_bom_resolve(corpus: Path) -> None:
    results = parse_tree(corpus / "apache__dubbo")
    assert results["pom.xml"].project is not None and results["pom.xml"].project.version == "3.3.2-SNAPSHOT"
    versions = Counter(p.note.split(";")[0] for r in results.values() for p in r.packages if p.version and (p.note or "").startswith("version from BOM org.apache.dubbo"))
    assert versions["version from BOM org.apache.dubbo:dubbo-dependencies-bom:3.3.2-SNAPSHOT"] > 100
