"""A local Maven repository built here: POM <licenses>, inherited through parent POMs,
with the depth cap, cycles and unreadable POMs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.licenses.local_maven import MAX_PARENT_DEPTH, LocalMavenRepository, artifact_folder, default_location
from ospo_scan.model import Component, Ecosystem


def _maven(name: str, version: str | None) -> Component:
    return Component(purl=f"pkg:maven/{name.replace(':', '/')}", ecosystem=Ecosystem.MAVEN, name=name, version=version)


def _pom(repository: Path, group: str, artifact: str, version: str, body: str) -> Path:
    folder = repository.joinpath(*group.split("."), artifact, version)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{artifact}-{version}.pom"
    path.write_text(f'<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n{body}\n</project>\n', encoding="utf-8")
    return path


def _parent(group: str, artifact: str, version: str) -> str:
    return f"<parent><groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version></parent>"


APACHE = """<licenses>
  <license>
    <name>The Apache Software License, Version 2.0</name>
    <url>http://www.apache.org/licenses/LICENSE-2.0.txt</url>
    <distribution>repo</distribution>
  </license>
</licenses>"""

DUAL = """<licenses>
  <license><name>Eclipse Public License - v 1.0</name><url>http://www.eclipse.org/legal/epl-v10.html</url></license>
  <license><name>GNU Lesser General Public License</name></license>
  <license><url>https://opensource.org/licenses/MIT</url></license>
</licenses>"""


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repository"
    _pom(repo, "org.apache", "apache", "29", f"<groupId>org.apache</groupId><artifactId>apache</artifactId><version>29</version>{APACHE}")
    _pom(repo, "org.apache.commons", "commons-parent", "64", _parent("org.apache", "apache", "29") + "<artifactId>commons-parent</artifactId>")
    _pom(repo, "org.apache.commons", "commons-lang3", "3.14.0", _parent("org.apache.commons", "commons-parent", "64") + "<artifactId>commons-lang3</artifactId>")
    _pom(repo, "org.apache.commons", "commons-lang3", "3.13.0", _parent("org.apache.commons", "commons-parent", "64") + "<artifactId>commons-lang3</artifactId>")
    _pom(repo, "ch.qos.logback", "logback-classic", "1.4.14", f"<groupId>ch.qos.logback</groupId><artifactId>logback-classic</artifactId><version>1.4.14</version>{DUAL}")
    _pom(repo, "com.example", "orphan", "1.0", _parent("com.example", "missing-parent", "7") + "<artifactId>orphan</artifactId>")
    _pom(repo, "com.example", "top", "1.0", "<groupId>com.example</groupId><artifactId>top</artifactId><version>1.0</version>")
    _pom(repo, "com.example", "loop-a", "1", _parent("com.example", "loop-b", "1") + "<artifactId>loop-a</artifactId>")
    _pom(repo, "com.example", "loop-b", "1", _parent("com.example", "loop-a", "1") + "<artifactId>loop-b</artifactId>")
    _pom(repo, "com.example", "vague-parent", "1", _parent("com.example", "p", "${revision}") + "<artifactId>vague-parent</artifactId>")
    hostile = '<!DOCTYPE project [<!ENTITY x "boom">]><project><artifactId>&x;</artifactId></project>'
    folder = repo / "com" / "example" / "hostile" / "1.0"
    folder.mkdir(parents=True)
    (folder / "hostile-1.0.pom").write_text(hostile)
    return repo


def test_licenses_of_the_artifact_itself_names_and_urls_raw(repository: Path) -> None:
    evidence = LocalMavenRepository(repository).lookup(_maven("ch.qos.logback:logback-classic", "1.4.14"))
    assert evidence is not None
    assert evidence.declared == ("Eclipse Public License - v 1.0", "GNU Lesser General Public License", "https://opensource.org/licenses/MIT")
    assert evidence.declared_urls == ("http://www.eclipse.org/legal/epl-v10.html", None, "https://opensource.org/licenses/MIT")
    pom = repository / "ch/qos/logback/logback-classic/1.4.14/logback-classic-1.4.14.pom"
    assert evidence.source == f"{pom.as_posix()}: <licenses>"
    assert evidence.declared_sources == (
        f"{pom.as_posix()}: licenses.license[0].name",
        f"{pom.as_posix()}: licenses.license[1].name",
        f"{pom.as_posix()}: licenses.license[2].url",
    )
    assert evidence.notes == ()


def test_licenses_inherited_through_two_parents(repository: Path) -> None:
    evidence = LocalMavenRepository(repository).lookup(_maven("org.apache.commons:commons-lang3", "3.14.0"))
    assert evidence is not None
    assert evidence.declared == ("The Apache Software License, Version 2.0",)
    assert evidence.declared_urls == ("http://www.apache.org/licenses/LICENSE-2.0.txt",)
    assert evidence.source == f"{(repository / 'org/apache/apache/29/apache-29.pom').as_posix()}: <licenses>"
    assert evidence.notes == ("licenses inherited from parent POM org.apache:apache:29 (2 levels up)",)


def test_only_the_same_version_is_evidence(repository: Path) -> None:
    maven = LocalMavenRepository(repository)
    assert maven.lookup(_maven("org.apache.commons:commons-lang3", "3.12.0")) is None
    folder = (repository / "org/apache/commons/commons-lang3").as_posix()
    assert maven.why_missing(_maven("org.apache.commons:commons-lang3", "3.12.0")) == f"installed versions 3.13.0, 3.14.0 differ from the scanned version 3.12.0 ({folder})"
    assert maven.lookup(_maven("org.apache.commons:commons-lang3", None)) is None
    single = maven.lookup(_maven("org.apache:apache", None))
    assert single is not None and single.notes == ("the component pins no version; the installed version 29 was used",)


@pytest.mark.parametrize(
    ("name", "version", "reason_end"),
    [
        ("com.example:orphan", "1.0", "no <licenses>; parent POM com.example:missing-parent:7 is not in the local repository"),
        ("com.example:top", "1.0", "no <licenses>; the chain ends (no <parent>)"),
        ("com.example:loop-a", "1", "no <licenses> in it or the 1 parent POM(s) followed; the parent chain loops back to {repo}/com/example/loop-a/1/loop-a-1.pom"),
        ("com.example:vague-parent", "1", "no <licenses>; parent com.example:p:${{revision}} has no concrete coordinates"),
    ],
    ids=["parent-missing", "no-parent", "cycle", "unresolved-parent-version"],
)
def test_reasons_when_no_pom_declares_licenses(repository: Path, name: str, version: str, reason_end: str) -> None:
    maven = LocalMavenRepository(repository)
    assert maven.lookup(_maven(name, version)) is None
    reason = maven.why_missing(_maven(name, version))
    assert reason is not None and reason.endswith(reason_end.format(repo=repository.as_posix())), reason


def test_the_parent_chain_has_a_depth_cap(repository: Path) -> None:
    for level in range(MAX_PARENT_DEPTH + 3):
        parent = _parent("com.deep", f"level{level + 1}", "1")
        _pom(repository, "com.deep", f"level{level}", "1", parent + f"<artifactId>level{level}</artifactId>")
    reason = LocalMavenRepository(repository).why_missing(_maven("com.deep:level0", "1"))
    assert reason is not None and reason.endswith(f"no <licenses> within {MAX_PARENT_DEPTH} parent POMs (search stopped)")


def test_a_hostile_pom_is_refused_with_the_reason(repository: Path) -> None:
    reason = LocalMavenRepository(repository).why_missing(_maven("com.example:hostile", "1.0"))
    assert reason is not None and "cannot be parsed (DOCTYPE declaration refused" in reason


def test_reasons_without_repository_or_artifact(repository: Path, tmp_path: Path) -> None:
    maven = LocalMavenRepository(repository)
    assert maven.why_missing(_maven("org.example:absent", "1.0")) == f"not in the local Maven repository ({repository.as_posix()})"
    assert maven.why_missing(_maven("..:etc", "1.0")) == "'..:etc' is not a groupId:artifactId the repository can hold"
    assert LocalMavenRepository.open(tmp_path / "none").why_missing(_maven("a:b", "1")) == "no local Maven repository (~/.m2/repository or --maven-repo)"
    assert maven.why_missing(Component(purl="pkg:npm/a", ecosystem=Ecosystem.NPM, name="a", version="1")) is None


def test_default_location_and_artifact_folder(tmp_path: Path) -> None:
    assert default_location(Path("/home/dev")) == Path("/home/dev/.m2/repository")
    assert LocalMavenRepository.open(home=tmp_path).repository is None
    (tmp_path / ".m2" / "repository").mkdir(parents=True)
    assert LocalMavenRepository.open(home=tmp_path).repository == tmp_path / ".m2" / "repository"
    assert artifact_folder(Path("/r"), "org.apache.commons", "commons-lang3") == Path("/r/org/apache/commons/commons-lang3")
    assert artifact_folder(Path("/r"), "org..x", "a") is None
    assert artifact_folder(Path("/r"), "org.x", "a/b") is None
