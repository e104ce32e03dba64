"""The CycloneDX report: valid CycloneDX 1.6 by the library's own strict validator, and a
faithful picture of the inventory (licenses, scopes, graph, evidence, completeness).

Expectations are computed from the inventory each case renders, never counted by hand.
Rewrite the golden file with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/reporters`.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.exception.model import UnknownComponentDependencyException
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType
from cyclonedx.schema import SchemaVersion
from cyclonedx.schema.schema import SCHEMA_VERSIONS
from cyclonedx.validation.json import JsonStrictValidator

from ospo_scan import __version__
from ospo_scan.model import Component, Dependency, Ecosystem, Inventory, Lifecycle, Location, Project, ScanIssue, Usage
from ospo_scan.reporters import cyclonedx_report
from ospo_scan.reporters.cyclonedx_output import check, library_order
from ospo_scan.reporters.identity import content_uuid
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan
from tests.analysis.builders import component, inventory, project, use

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden" / "polyglot-shop.cyclonedx"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = "examples/polyglot-shop"
VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)
SLICE = 250
"""Items per array in one validation (see `assert_valid`)."""


# ---------------------------------------------------------------- helpers


def render(report: Report) -> str:
    buffer = io.StringIO()
    cyclonedx_report.render(report, buffer, False)
    return buffer.getvalue()


def document_of(value: Inventory | Report) -> dict[str, Any]:
    report = value if isinstance(value, Report) else Report.of(value)
    parsed: dict[str, Any] = json.loads(render(report))
    return parsed


def assert_valid(text: str) -> None:
    """The library's strict 1.6 validator accepts the document. jsonschema checks
    `uniqueItems` by comparing every pair of items (ten minutes for the corpus's components),
    so long arrays are validated in slices of SLICE items, each slice a whole document, and
    uniqueness is asserted through the bom-refs instead (unique refs make unique items)."""
    document = json.loads(text)
    for part in _slices(document):
        errors = VALIDATOR.validate_str(json.dumps(part))
        assert errors is None, f"not valid CycloneDX 1.6: {errors}"
    refs = list(all_components(document))
    assert len({c["bom-ref"] for c in refs}) == len(refs), "bom-refs repeat"


def _slices(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    root = document.get("metadata", {}).get("component", {})
    longest = max(len(document.get("components", [])), len(document.get("dependencies", [])), len(root.get("components", [])), 1)
    for start in range(0, longest, SLICE):
        part = copy.copy(document)
        for key in ("components", "dependencies"):
            if key in document:
                part[key] = document[key][start : start + SLICE]
        if "components" in root:
            part["metadata"] = {**document["metadata"], "component": {**root, "components": root["components"][start : start + SLICE]}}
        yield part


def all_components(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The metadata component, the components, and everything nested in them."""
    stack = list(document.get("components", []))
    if "component" in document.get("metadata", {}):
        stack.append(document["metadata"]["component"])
    while stack:
        found = stack.pop()
        stack.extend(found.get("components", []))
        yield found


def graph(document: dict[str, Any]) -> dict[str, list[str]]:
    return {entry["ref"]: entry.get("dependsOn", []) for entry in document.get("dependencies", [])}


def properties(found: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in found.get("properties", []) if p["name"] == f"ospo-scan:{name}"]


def by_purl(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["purl"]: c for c in document.get("components", []) if "purl" in c}


def root_edge(owner: Project, target: Component, lifecycle: Lifecycle = Lifecycle.RUNTIME) -> Dependency:
    """An edge from a project to a component, spelled as the scan spells it."""
    return Dependency(project=owner.id, source=owner.purl or f"project:{owner.id}", target=target.purl, lifecycle=lifecycle)


def package_edge(owner: Project, source: Component, target: Component) -> Dependency:
    return Dependency(project=owner.id, source=source.purl, target=target.purl)


def declared(path: str, purl: str, ecosystem: Ecosystem = Ecosystem.NPM) -> Project:
    """A project that declares its own name, so it has a purl."""
    return dataclasses.replace(project(path, ecosystem, license="MIT"), purl=purl)


# ---------------------------------------------------------------- fixtures, one per case


@pytest.fixture
def example_report(monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(REPOSITORY)
    return Report.of(scan([Path(EXAMPLE)]))


def _no_version() -> Inventory:
    app = project(".")
    return inventory([app], [component("left-pad", None, use(app.id)), component("@scope/pkg", None, use(app.id))])


def _license_refs() -> Inventory:
    app = project(".")
    return inventory([app], [
        component("ambiguous", "1.0.0", use(app.id), license="LicenseRef-ospo-ambiguous-bsd", category="permissive"),
        component("public", "1.0.0", use(app.id), license="LicenseRef-scancode-public-domain", category="public-domain"),
        component("mixed", "1.0.0", use(app.id), license="LicenseRef-ospo-ambiguous-bsd OR MIT"),
    ])  # fmt: skip


def _expressions() -> Inventory:
    app = project(".")
    return inventory([app], [
        component("either", "1.0.0", use(app.id), license="MIT OR Apache-2.0"),
        component("both", "1.0.0", use(app.id), license="MIT AND BSD-3-Clause"),
        component("classpath", "1.0.0", use(app.id), license="GPL-2.0-only WITH Classpath-exception-2.0", category="copyleft"),
    ])  # fmt: skip


def _unknown_licenses() -> Inventory:
    app = project(".")
    return inventory([app], [
        component("nothing", "1.0.0", use(app.id), license=None, reason="no license field"),
        component("noassertion", "1.0.0", use(app.id), license="NOASSERTION", category="unknown"),
        component("none", "1.0.0", use(app.id), license="NONE", category="unknown"),
        component("free-text", "1.0.0", use(app.id), license="Acme Corp Proprietary License v2", category="unknown"),
        dataclasses.replace(component("unclassified", "1.0.0", use(app.id)), license=None),
    ])  # fmt: skip


def _incomplete_scan() -> Inventory:
    app = project(".")
    broken = ScanIssue(path="package-lock.json", line=3, parser="package-lock", message="Expecting value", code="parse-error")
    return inventory([app], [component("left-pad", "1.3.0", use(app.id))], issues=[broken])


def _no_components() -> Inventory:
    return inventory([], [])


def _several_projects() -> Inventory:
    web = declared("web", "pkg:npm/shop-web@2.1.0")
    api = declared("api", "pkg:npm/shop-api@1.0.0")
    own = component("shop-api", "1.0.0", use(web.id, path="web/package.json"), first_party=True)
    local = component("shop-utils", None, use(api.id, path="api/package.json"), first_party=True)
    chalk = component("chalk", "4.1.2", use(web.id, path="web/package-lock.json", line=40))
    colors = component("ansi-styles", "4.3.0", use(web.id, path="web/package-lock.json", line=20, direct=False))
    edges = [root_edge(web, chalk), root_edge(web, own), root_edge(api, local), package_edge(web, chalk, colors), package_edge(web, chalk, colors)]
    return inventory([web, api], [own, local, chalk, colors], edges, repositories=["."])


def _one_project() -> Inventory:
    app = declared(".", "pkg:npm/app@1.0.0")
    local = component("local-lib", None, use(app.id), first_party=True)
    dep = component("debug", "4.4.3", use(app.id, line=7))
    return inventory([app], [local, dep], [root_edge(app, local), root_edge(app, dep)])


def _weird_names() -> Inventory:
    app = project(".")
    names = ["evil<script>alert(1)</script>", 'quote"and\\backslash', "ünïcødé-名前", "space name", "emoji-🎉", "tab\tand\nnewline"]
    return inventory([app], [component(name, "1.0.0", use(app.id)) for name in names])


def _thousands_of_components(count: int = 2000) -> Inventory:
    """A chain of `count` packages, each depending on the next, all under one project."""
    app = declared(".", "pkg:npm/big@1.0.0")
    packages = [component(f"pkg-{i:05d}", f"1.0.{i}", use(app.id, path="package-lock.json", line=i + 1, direct=i == 0)) for i in range(count)]
    edges = [root_edge(app, packages[0])] + [package_edge(app, a, b) for a, b in zip(packages, packages[1:])]
    return inventory([app], packages, edges)


def _repeated_purl() -> Inventory:
    """Two components with one purl (a scan merges them; a hand-made inventory may not)."""
    app = project(".")
    twice = component("left-pad", "1.3.0", use(app.id, line=3))
    return inventory([app], [twice, dataclasses.replace(twice, usages=(use(app.id, line=9),))])


def _component_with_a_project_purl() -> Inventory:
    """A third-party lock entry that spells the project's own purl: both are kept."""
    app = declared(".", "pkg:npm/app@1.0.0")
    locked = component("app", "1.0.0", use(app.id))
    return inventory([app], [locked], [root_edge(app, locked)])


def _tricky_order() -> Inventory:
    """Components that tell apart every field the library orders by: a group or version
    missing, empty or present, names that differ in case or only by accent, one name in
    two ecosystems (group and name split differently), first-party packages beside them."""
    app = project(".")
    made = [
        component("pkg", None, use(app.id)), component("pkg", "", use(app.id)), component("pkg", "1.0.0", use(app.id)),
        component("Pkg", "1.0.0", use(app.id)), component("pkg-é", "1.0.0", use(app.id)), component("pkg-e", "1.0.0", use(app.id)),
        component("@scope/pkg", "1.0.0", use(app.id)), component("@scope/pkg", None, use(app.id)), component("@a/z", "2", use(app.id)),
        component("org.example:pkg", "1.0.0", use(app.id), ecosystem=Ecosystem.MAVEN),
        component("local-a", None, use(app.id), first_party=True), component("local-b", "0.1.0", use(app.id), first_party=True),
    ]  # fmt: skip
    return inventory([app], made)


CASES = {
    "no-version": _no_version,
    "license-refs": _license_refs,
    "or-and-with-expressions": _expressions,
    "unknown-licenses": _unknown_licenses,
    "incomplete-scan": _incomplete_scan,
    "no-components": _no_components,
    "several-projects": _several_projects,
    "one-project": _one_project,
    "weird-names": _weird_names,
    "repeated-purl": _repeated_purl,
    "component-with-a-project-purl": _component_with_a_project_purl,
    "tricky-order": _tricky_order,
}


# ---------------------------------------------------------------- validity


def test_the_example_is_valid_cyclonedx(example_report: Report) -> None:
    assert_valid(render(example_report))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_edge_case_is_valid_cyclonedx(case: str) -> None:
    assert_valid(render(Report.of(CASES[case]())))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.filterwarnings("ignore:The Component this BOM is describing")  # true: these projects have no edges
def test_the_library_own_bom_validation_agrees(case: str) -> None:
    """The outputter replaces the library's quadratic Bom.validate() by set-based checks;
    on small inventories the library's own check passes too."""
    bom, _ = cyclonedx_report.build_bom(Report.of(CASES[case]()))
    assert bom.validate()


WHOLE_BOM_CASES: dict[str, Callable[[], Inventory]] = {**CASES, "thousands-of-components": functools.partial(_thousands_of_components, 300)}


@pytest.mark.parametrize("case", sorted(WHOLE_BOM_CASES))
def test_the_document_is_what_the_library_writes_for_the_whole_bom(case: str) -> None:
    """The outputter serializes each component apart and sorts them by a cheap key; the
    library serializing the one Bom that holds them all, sorted by its rich comparisons,
    writes the same: every part in the same order, key by key (less what ospo-scan adds:
    the header, the serial number and the composition)."""
    report = Report.of(WHOLE_BOM_CASES[case]())
    assert_is_the_library_serialization(document_of(report), report)


def test_the_example_is_what_the_library_writes_for_the_whole_bom(example_report: Report) -> None:
    assert_is_the_library_serialization(document_of(example_report), example_report)


def assert_is_the_library_serialization(document: dict[str, Any], report: Report) -> None:
    bom, _ = cyclonedx_report.build_bom(report)
    library: dict[str, Any] = json.loads(bom.as_json(view_=SCHEMA_VERSIONS[SchemaVersion.V1_6]))  # type: ignore[attr-defined]
    ours = {key: value for key, value in document.items() if key not in {"$schema", "bomFormat", "specVersion", "serialNumber", "compositions"}}
    del library["serialNumber"]  # the library's is random
    for written in (ours, library):
        for found in all_components(written):
            found.get("evidence", {}).get("occurrences", []).sort(key=lambda o: (o["location"], o.get("line", 0), o.get("additionalContext", "")))
    first = ("serialNumber", "version", "metadata")  # written first by ospo-scan, the rest as the library orders them
    assert set(ours) == set(library) and [k for k in ours if k not in first] == [k for k in library if k not in first]
    for key in library:
        assert json.dumps(ours[key]) == json.dumps(library[key]), key


def test_the_cheap_key_orders_components_as_the_library_does() -> None:
    """`library_order` against the library's own sorted set, on models that differ in each
    field the library compares before the bom-ref, missing, empty or present."""
    make = functools.partial(CdxComponent, type=ComponentType.LIBRARY, name="n")
    models = [
        make(bom_ref="a", group=None), make(bom_ref="b", group=""), make(bom_ref="c", group="g"), make(bom_ref="d", group="G"),
        make(bom_ref="e", version=None), make(bom_ref="f", version=""), make(bom_ref="g", version="1"), make(bom_ref="h", version="10"),
        make(bom_ref="i", name="N"), make(bom_ref="j", name="é"), make(bom_ref="k", name="e"), make(bom_ref="l", name="n-1"),
        make(bom_ref="m", type=ComponentType.APPLICATION), make(bom_ref="n", type=ComponentType.FRAMEWORK),
        make(bom_ref="p", group="g", version="1"), make(bom_ref="o", group="g", version="1"), make(bom_ref="q", group="g", name="m", version=None),
    ]  # fmt: skip
    library = [c.bom_ref.value for c in Bom(components=reversed(models)).components]  # the Bom's own sorted set
    assert [c.bom_ref.value for c in sorted(models, key=library_order)] == library


def test_a_repeated_ref_or_an_edge_to_no_component_is_a_bug_raised() -> None:
    with pytest.raises(ValueError, match="unique"):
        check(["pkg:npm/a@1", "pkg:npm/a@1"], {})
    with pytest.raises(UnknownComponentDependencyException):
        check(["pkg:npm/a@1"], {"pkg:npm/a@1": ["pkg:npm/missing@1"]})
    assert check(["a", "b"], {"a": ["b"]}) == {"a": ["b"], "b": ()}


def test_the_text_is_what_json_dumps_writes() -> None:
    """The outputter joins the encoder's pieces a batch at a time; the text is still the
    one `json.dumps` writes, across batches (this document has several)."""
    text = render(Report.of(_thousands_of_components()))
    assert text == json.dumps(json.loads(text), indent=2) + "\n"


def test_hostile_package_names_are_valid_and_kept_as_written() -> None:
    report = Report.of(scan([FIXTURES / "hostile-package-names"]))
    text = render(report)
    assert_valid(text)
    names = {(c.get("group") or "") + ("/" if c.get("group") else "") + c["name"] for c in all_components(json.loads(text))}
    assert {c.name for c in report.inventory.components} <= names


def test_thousands_of_components_are_valid_and_all_there() -> None:
    big = _thousands_of_components()
    text = render(Report.of(big))
    assert_valid(text)
    document = json.loads(text)
    assert set(by_purl(document)) == {c.purl for c in big.components}
    assert sum(len(targets) for targets in graph(document).values()) == len(big.relationships)


@pytest.mark.corpus
def test_the_corpus_is_valid_cyclonedx_with_every_component_and_edge(corpus_report: Report) -> None:
    text = render(corpus_report)
    assert_valid(text)
    document = json.loads(text)
    third_party = {c.purl for c in corpus_report.inventory.components if not c.first_party}
    assert set(by_purl(document)) == third_party
    assert_graph_holds_every_edge(document, corpus_report.inventory)
    assert_every_ref_defined_once(document)


def test_a_repeated_purl_keeps_both_components_under_distinct_refs() -> None:
    document = document_of(_repeated_purl())
    refs = sorted(c["bom-ref"] for c in document["components"])
    assert refs == ["pkg:npm/left-pad@1.3.0", "pkg:npm/left-pad@1.3.0#2"]


def test_a_component_with_a_project_purl_is_a_component_the_project_depends_on() -> None:
    document = document_of(_component_with_a_project_purl())
    assert graph(document)["project:npm:."] == ["pkg:npm/app@1.0.0"]
    assert set(by_purl(document)) == {"pkg:npm/app@1.0.0"}


# ---------------------------------------------------------------- licenses


@pytest.mark.parametrize(
    ("expression", "written"),
    [
        ("MIT", {"license": {"id": "MIT"}}),
        ("Apache-2.0", {"license": {"id": "Apache-2.0"}}),
        ("MIT OR Apache-2.0", {"expression": "MIT OR Apache-2.0"}),
        ("MIT AND BSD-3-Clause", {"expression": "MIT AND BSD-3-Clause"}),
        ("GPL-2.0-only WITH Classpath-exception-2.0", {"expression": "GPL-2.0-only WITH Classpath-exception-2.0"}),
        ("LicenseRef-scancode-public-domain", {"expression": "LicenseRef-scancode-public-domain"}),
        ("LicenseRef-ospo-ambiguous-bsd", {"expression": "LicenseRef-ospo-ambiguous-bsd"}),
        ("LicenseRef-ospo-ambiguous-bsd OR MIT", {"expression": "LicenseRef-ospo-ambiguous-bsd OR MIT"}),
        ("Acme Corp Proprietary License v2", {"license": {"name": "Acme Corp Proprietary License v2"}}),
        ("NOASSERTION", None),
        ("NONE", None),
        (None, None),
    ],
)
def test_a_license_is_an_id_an_expression_a_name_or_nothing(expression: str | None, written: dict[str, Any] | None) -> None:
    app = project(".")
    found = component("pkg", "1.0.0", use(app.id), license=expression, category="permissive" if expression else None)
    entry = by_purl(document_of(inventory([app], [found])))[found.purl]
    assert entry.get("licenses") == ([written] if written else None)


def test_no_id_is_an_expression_a_license_ref_or_noassertion(example_report: Report) -> None:
    ids = [entry["license"]["id"] for c in all_components(document_of(example_report)) for entry in c.get("licenses", []) if "id" in entry.get("license", {})]
    assert ids and all(" " not in i and not i.startswith("LicenseRef-") and i not in {"NOASSERTION", "NONE"} for i in ids)


def test_the_license_category_and_reason_are_properties() -> None:
    app = project(".")
    unknown = component("mystery", "1.0.0", use(app.id), license=None, reason="no license field in package.json")
    known = component("lodash", "4.17.21", use(app.id), license="MIT", category="permissive")
    components = by_purl(document_of(inventory([app], [unknown, known])))
    assert properties(components[unknown.purl], "license-category") == ["unknown"]
    assert properties(components[unknown.purl], "license-reason") == ["no license field in package.json"]
    assert properties(components[known.purl], "license-category") == ["permissive"]


# ---------------------------------------------------------------- scope


RUNTIME = Usage(project="npm:.", lifecycle=Lifecycle.RUNTIME)


@pytest.mark.parametrize(
    ("usages", "scope"),
    [
        ([RUNTIME], "required"),
        ([dataclasses.replace(RUNTIME, lifecycle=Lifecycle.PROVIDED)], "required"),
        ([dataclasses.replace(RUNTIME, peer=True)], "required"),
        ([dataclasses.replace(RUNTIME, optional=True)], "optional"),
        ([dataclasses.replace(RUNTIME, optional=True, peer=True)], "optional"),
        ([dataclasses.replace(RUNTIME, optional=True), RUNTIME], "required"),
        ([dataclasses.replace(RUNTIME, optional=True), dataclasses.replace(RUNTIME, lifecycle=Lifecycle.DEVELOPMENT)], "optional"),
        ([dataclasses.replace(RUNTIME, lifecycle=Lifecycle.DEVELOPMENT)], "excluded"),
        ([dataclasses.replace(RUNTIME, lifecycle=Lifecycle.TEST), dataclasses.replace(RUNTIME, lifecycle=Lifecycle.BUILD)], "excluded"),
        ([dataclasses.replace(RUNTIME, lifecycle=Lifecycle.DEVELOPMENT), RUNTIME], "required"),
    ],
    ids=lambda value: None if isinstance(value, list) else str(value),
)
def test_scope_comes_from_the_usages(usages: list[Usage], scope: str | None) -> None:
    found = Component(purl="pkg:npm/x@1.0.0", ecosystem=Ecosystem.NPM, name="x", version="1.0.0", usages=tuple(usages))
    entry = by_purl(document_of(inventory([project(".")], [found])))[found.purl]
    assert entry.get("scope") == scope
    assert sorted(properties(entry, "lifecycle")) == sorted({u.lifecycle.value for u in usages})


def test_a_component_no_usage_explains_has_no_scope() -> None:
    """CycloneDX's default then applies; nothing is claimed."""
    assert cyclonedx_report.scope(()) is None


def test_every_example_component_has_the_scope_its_usages_give(example_report: Report) -> None:
    components = by_purl(document_of(example_report))
    for found in example_report.inventory.components:
        if not found.first_party:
            runtime = [u for u in found.usages if u.lifecycle in {Lifecycle.RUNTIME, Lifecycle.PROVIDED}]
            expected = "required" if any(not u.optional for u in runtime) else "optional" if runtime else "excluded"
            assert components[found.purl]["scope"] == expected, found.purl


# ---------------------------------------------------------------- dependencies


def assert_graph_holds_every_edge(document: dict[str, Any], scanned: Inventory) -> None:
    """Each inventory edge is in the graph, read back through the purls of its two ends
    (a project without a purl by its `project:<id>` ref, as the inventory names it)."""
    purl_of = {c["bom-ref"]: c.get("purl", c["bom-ref"]) for c in all_components(document)}
    written = {(purl_of[source], purl_of[target]) for source, targets in graph(document).items() for target in targets}
    expected = {(edge.source, edge.target) for edge in scanned.relationships if edge.source != edge.target}
    assert expected <= written, sorted(expected - written)[:5]


def assert_every_ref_defined_once(document: dict[str, Any]) -> None:
    refs = [c["bom-ref"] for c in all_components(document)]
    entries = document["dependencies"]
    assert len(set(refs)) == len(refs)
    assert sorted(entry["ref"] for entry in entries) == sorted(refs), "one graph entry per component"
    for entry in entries:
        targets = entry.get("dependsOn", [])
        assert len(set(targets)) == len(targets) and set(targets) <= set(refs), entry["ref"]


def test_the_example_graph_has_every_edge_once_and_only_defined_refs(example_report: Report) -> None:
    document = document_of(example_report)
    assert_graph_holds_every_edge(document, example_report.inventory)
    assert_every_ref_defined_once(document)
    assert not properties(document["metadata"], "dropped-edges")


def test_repeated_edges_are_written_once_and_projects_hang_off_the_scanned_root() -> None:
    several = _several_projects()
    document = document_of(several)
    written = graph(document)
    chalk, colors = (next(c.purl for c in several.components if c.name == name) for name in ("chalk", "ansi-styles"))
    assert sum(edge.target == colors for edge in several.relationships) == 2
    assert written[chalk] == [colors]
    assert sorted(written["scan-root"]) == sorted(f"project:{p.id}" for p in several.projects)


def test_an_edge_to_a_project_own_package_reaches_the_project() -> None:
    """web depends on shop-api, which is the api project's own package: the edge goes to the project."""
    several = _several_projects()
    written = graph(document_of(several))
    assert "project:npm:api" in written["project:npm:web"]


def test_edges_to_packages_the_document_does_not_define_are_counted_not_written() -> None:
    app = declared(".", "pkg:npm/app@1.0.0")
    dep = component("debug", "4.4.3", use(app.id))
    stray = Dependency(project=app.id, source=dep.purl, target="pkg:npm/missing@1.0.0")
    document = document_of(inventory([app], [dep], [root_edge(app, dep), stray]))
    assert_every_ref_defined_once(document)
    assert properties(document["metadata"], "dropped-edges") == ["1"]


# ---------------------------------------------------------------- metadata


def test_one_project_is_the_metadata_component_with_its_first_party_packages_nested() -> None:
    one = _one_project()
    document = document_of(one)
    root = document["metadata"]["component"]
    app = one.projects[0]
    assert (root["bom-ref"], root["purl"], root["type"]) == (f"project:{app.id}", app.purl, "application")
    first_party = {c.purl for c in one.components if c.first_party}
    assert {c["purl"] for c in root.get("components", [])} == first_party
    assert not first_party & set(by_purl(document))


def test_several_projects_are_nested_in_the_scanned_root() -> None:
    several = _several_projects()
    document = document_of(several)
    root = document["metadata"]["component"]
    nested = {c["bom-ref"] for c in root["components"]}
    assert root["bom-ref"] == "scan-root"
    assert {f"project:{p.id}" for p in several.projects} <= nested
    # shop-api is the api project's own package: the project stands for it; shop-utils is no project
    assert "pkg:npm/shop-utils" in nested and "pkg:npm/shop-api@1.0.0" not in nested
    assert not {c.purl for c in several.components if c.first_party} & set(by_purl(document))


def test_the_tool_is_ospo_scan_at_its_version(example_report: Report) -> None:
    tools = document_of(example_report)["metadata"]["tools"]["components"]
    assert [(t["name"], t["version"]) for t in tools] == [("ospo-scan", __version__)]


def test_criticality_of_the_upstream_project_is_a_property(example_report: Report) -> None:
    components = by_purl(document_of(example_report))
    ranked = {(p.ecosystem, p.name): p for p in example_report.analysis.critical.ranked}
    checked = 0
    for found in example_report.inventory.components:
        entry = components.get(found.purl)
        names = properties(entry, "criticality-project") if entry else []
        if names:
            upstream = ranked[(found.ecosystem.value, names[0])]
            assert properties(entry or {}, "criticality-rank") == [str(upstream.rank)]
            assert properties(entry or {}, "criticality-score") == [f"{upstream.score:.4f}"]
            checked += 1
    assert checked == len(components)


def test_properties_are_namespaced_and_sorted(example_report: Report) -> None:
    for found in all_components(document_of(example_report)):
        written = [(p["name"], p["value"]) for p in found.get("properties", [])]
        assert written == sorted(written) and all(name.startswith("ospo-scan:") for name, _ in written)


def test_directness_is_a_property() -> None:
    app = project(".")
    direct = component("direct", "1.0.0", use(app.id, direct=True))
    transitive = component("transitive", "1.0.0", use(app.id, direct=False))
    components = by_purl(document_of(inventory([app], [direct, transitive])))
    assert properties(components[direct.purl], "direct") == ["true"]
    assert properties(components[transitive.purl], "direct") == ["false"]


# ---------------------------------------------------------------- evidence and completeness


def test_occurrences_are_the_usages_files_and_lines(example_report: Report) -> None:
    components = by_purl(document_of(example_report))
    for found in example_report.inventory.components:
        if not found.first_party:
            occurrences = components[found.purl]["evidence"]["occurrences"]
            assert {(o["location"], o.get("line")) for o in occurrences} == {(u.location.path, u.location.line) for u in found.usages}
            assert occurrences == sorted(occurrences, key=lambda o: (o["location"], o.get("line", 0), o.get("additionalContext", "")))


def test_a_usage_without_a_line_is_an_occurrence_without_one() -> None:
    app = project(".")
    found = component("pkg", "1.0.0", Usage(project=app.id, lifecycle=Lifecycle.RUNTIME, location=Location(path="go.sum")))
    assert by_purl(document_of(inventory([app], [found])))[found.purl]["evidence"]["occurrences"] == [{"location": "go.sum"}]


def test_a_complete_scan_says_complete(example_report: Report) -> None:
    document = document_of(example_report)
    assert example_report.inventory.complete
    assert document["compositions"] == [{"aggregate": "complete", "assemblies": ["scan-root"], "dependencies": ["scan-root"]}]


def test_an_incomplete_scan_says_incomplete_and_why() -> None:
    document = document_of(_incomplete_scan())
    described = document["metadata"]["component"]["bom-ref"]
    assert document["compositions"] == [{"aggregate": "incomplete", "assemblies": [described], "dependencies": [described]}]
    assert properties(document["metadata"], "scan-error") == ["package-lock.json:3: parse-error: Expecting value"]


# ---------------------------------------------------------------- determinism and identity


def test_two_renders_give_the_same_bytes(example_report: Report) -> None:
    assert render(example_report) == render(example_report)


def test_other_processes_give_the_same_bytes(example_report: Report) -> None:
    """Hash seeds and object ids differ between processes; the document does not."""
    program = (
        "import sys; from pathlib import Path; from ospo_scan.scan import scan; from ospo_scan.reporters.report import Report; "
        f"from ospo_scan.reporters import cyclonedx_report; cyclonedx_report.render(Report.of(scan([Path({EXAMPLE!r})])), sys.stdout)"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", program], cwd=REPOSITORY, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2")
    }
    assert outputs == {render(example_report)}


def test_there_is_no_timestamp_unless_the_report_has_one(example_report: Report) -> None:
    assert "timestamp" not in document_of(example_report)["metadata"]
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    dated = document_of(dataclasses.replace(example_report, created=created))
    assert datetime.fromisoformat(dated["metadata"]["timestamp"]) == created


def test_the_serial_number_is_the_uuid_of_the_content_without_it(example_report: Report) -> None:
    document = document_of(example_report)
    unsigned = {key: value for key, value in document.items() if key != "serialNumber"}
    assert document["serialNumber"] == content_uuid(json.dumps(unsigned, separators=(",", ":"))).urn


def test_the_serial_number_changes_with_the_content() -> None:
    one = _one_project()
    more = dataclasses.replace(one, components=(*one.components, component("ms", "2.1.3", use(one.projects[0].id))))
    dated = Report.of(one, created=datetime(2026, 1, 2, tzinfo=timezone.utc))
    serials = {document_of(value)["serialNumber"] for value in (one, more, dated)}
    assert len(serials) == 3 and all(serial.startswith("urn:uuid:") for serial in serials)


def test_components_and_graph_are_sorted(example_report: Report) -> None:
    document = document_of(example_report)
    refs = [entry["ref"] for entry in document["dependencies"]]
    assert refs == sorted(refs)
    assert all(entry.get("dependsOn", []) == sorted(entry.get("dependsOn", [])) for entry in document["dependencies"])
    # the library's order: group, name, version, each missing one after every present one
    keys = [("group" not in c, c.get("group", ""), c["name"], "version" not in c, c.get("version", "")) for c in document["components"]]
    assert keys == sorted(keys)


def test_the_output_is_indented_json_with_a_trailing_newline(example_report: Report) -> None:
    text = render(example_report)
    assert text.startswith('{\n  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",\n') and text.endswith("}\n")


def test_the_example_matches_its_golden_file(example_report: Report) -> None:
    rendered = render(example_report)
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")

    def comparable(text: str) -> list[str]:
        return [line for line in text.splitlines() if '"licensedb":' not in line]

    assert comparable(rendered) == comparable(GOLDEN.read_text(encoding="utf-8"))
