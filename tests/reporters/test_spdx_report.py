"""The SPDX report: valid SPDX 2.3 by the SPDX project's own tools (spdx-tools), licenses
declared apart from concluded, relationships per lifecycle, stable ids, no secrets.

Rewrite the golden file with `OSPO_SCAN_UPDATE_GOLDEN=1 python -m pytest tests/reporters`.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from ospo_scan.model import Component, EdgeKind, Ecosystem, Inventory, LicenseEvidence, LicenseInfo, Lifecycle, ScanIssue
from ospo_scan.reporters import spdx_report
from ospo_scan.reporters.report import Report
from ospo_scan.reporters.spdx_licenses import NO_TEXT
from ospo_scan.scan import scan
from tests.analysis.builders import component, edge, inventory, project, use

REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden" / "polyglot-shop.spdx"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = "examples/polyglot-shop"
WEB = "npm:web"
API = "npm:api"
_REF = re.compile(r"(?:DocumentRef-[^\s():]+:)?LicenseRef-[^\s()]+")


def _text(inv: Inventory, **report: Any) -> str:
    buffer = io.StringIO()
    spdx_report.render(Report.of(inv, **report), buffer, False)
    return buffer.getvalue()


def _document(inv: Inventory, **report: Any) -> dict[str, Any]:
    return json.loads(_text(inv, **report))


def _spdx_tools_messages(text: str) -> list[str]:
    """What spdx-tools says about the document: parsed from the JSON, then fully validated."""
    document = JsonLikeDictParser().parse(json.loads(text))
    return [message.validation_message for message in validate_full_spdx_document(document)]


def _package(document: dict[str, Any], purl: str) -> dict[str, Any]:
    found = [p for p in document["packages"] if any(ref["referenceLocator"] == purl for ref in p.get("externalRefs", ()))]
    assert len(found) == 1, f"{purl}: {len(found)} packages"
    return found[0]


def _named(document: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [p for p in document["packages"] if p["name"] == name]
    return found


def _triples(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    names = {p["SPDXID"]: p["name"] for p in document["packages"]} | {"SPDXRef-DOCUMENT": "DOCUMENT"}
    return {(names[r["spdxElementId"]], r["relationshipType"], names[r["relatedSpdxElement"]]) for r in document["relationships"]}


def _with_license(item: Component, info: LicenseInfo, **changes: Any) -> Component:
    return dataclasses.replace(item, license=info, **changes)


# --- edge cases, each a small inventory named after it ------------------------------


def _no_version() -> Inventory:
    return inventory([project("web")], [component("left-pad", None, use(WEB), license=None, reason="no lockfile pins a version")])


def _ambiguous_license() -> Inventory:
    return inventory([project("web")], [component("bsdish", "1.0.0", use(WEB), license="LicenseRef-ospo-ambiguous-bsd OR LicenseRef-ospo-ambiguous-apache")])


def _or_and_with() -> Inventory:
    expression = "(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0"
    return inventory([project("web")], [component("combo", "1.0.0", use(WEB), license=expression)])


def _unknown_license() -> Inventory:
    return inventory([project("web")], [component("mystery", "1.0.0", use(WEB), license=None, reason="the scanned files declare no license")])


def _raw_declared_string() -> Inventory:
    info = LicenseInfo(expression=None, category="unknown", reason="not a recognized license name: 'Foo Public License, v1 — see COPYING'",
                       evidence=(LicenseEvidence(value="Foo Public License, v1 — see COPYING", source='package-lock.json: packages["node_modules/foo"].license'),))
    return inventory([project("web")], [_with_license(component("foo", "1.0.0", use(WEB)), info)])


def _weird_names() -> Inventory:
    names = ["@acme/wéird name", "a b/c@d", "日本語", "x:y", "@scope/x@1"]
    return inventory([project("web")], [component(name, "1.0.0+build/7", use(WEB)) for name in names])


def _no_components() -> Inventory:
    return inventory([project("web")], [])


def _nothing_found() -> Inventory:
    return inventory([], [])


def _several_projects() -> Inventory:
    shared = component("lodash", "4.17.21", use(WEB), use(API, path="api/package.json"))
    return inventory([project("web"), project("api"), project("worker", Ecosystem.PYPI, manifest="pyproject.toml")], [shared])


def _dev_only_and_optional() -> Inventory:
    optional_dev = dataclasses.replace(use(WEB, Lifecycle.DEVELOPMENT), optional=True)
    optional = dataclasses.replace(use(WEB), optional=True)
    return inventory([project("web")], [
        component("eslint", "9.0.0", use(WEB, Lifecycle.DEVELOPMENT)),
        component("fsevents", "2.3.3", optional),
        component("both", "1.0.0", optional_dev),
        component("jest", "29.0.0", use(WEB, Lifecycle.TEST)),
    ])


def _invalid_reference_ids() -> Inventory:
    return inventory([project("web")], [
        component("underscored", "1.0.0", use(WEB), license="LicenseRef-my_license OR MIT"),
        component("elsewhere", "1.0.0", use(WEB), license="DocumentRef-other:LicenseRef-x"),
        component("scancode", "1.0.0", use(WEB), license="LicenseRef-scancode-public-domain"),
    ])


def _disagreeing_declarations() -> Inventory:
    info = LicenseInfo(expression=None, category="unknown", reason="declarations disagree", evidence=(
        LicenseEvidence(value="MIT", source='package-lock.json: packages["node_modules/two"].license'),
        LicenseEvidence(value="ISC", source="node_modules/two/package.json: license"),
    ))
    return inventory([project("web")], [_with_license(component("two", "1.0.0", use(WEB)), info)])


def _credentials_in_source_url() -> Inventory:
    secret = component("private", None, use(WEB), license=None)
    url = "git+https://deploy:s3cr3t-t0ken@code.example.com/acme/private.git@v1.0.0?private_token=s3cr3t-t0ken#egg=private"
    return inventory([project("web")], [dataclasses.replace(secret, source_url=url)])


def _graph_edges() -> Inventory:
    root = project("web")
    debug, ms, peer, opt = (component(n, "1.0.0", use(WEB, Lifecycle.DEVELOPMENT, direct=n == "debug")) for n in ("debug", "ms", "react", "fsevents"))
    edges = [
        edge(WEB, debug, ms, Lifecycle.DEVELOPMENT),
        dataclasses.replace(edge(WEB, debug, peer, Lifecycle.DEVELOPMENT), kind=EdgeKind.PEER),
        dataclasses.replace(edge(WEB, debug, opt, Lifecycle.DEVELOPMENT), kind=EdgeKind.OPTIONAL),
        dataclasses.replace(edge(WEB, root, debug, Lifecycle.DEVELOPMENT), kind=EdgeKind.DEVELOPMENT),
    ]
    return inventory([dataclasses.replace(root, purl="pkg:npm/web")], [debug, ms, peer, opt], edges)


def _projects_sharing_a_purl() -> Inventory:
    """A package copied into two folders: one purl, so one package that notes both places."""
    copies = [dataclasses.replace(project(path), name="app", purl="pkg:npm/app@1.0.0") for path in ("a", "b")]
    return inventory(copies, [component("lodash", "4.17.21", use("npm:a", path="a/package.json"), use("npm:b", path="b/package.json"))])


def _conclusion_that_is_not_spdx() -> Inventory:
    return inventory([project("web")], [component("odd", "1.0.0", use(WEB), license="MIT OR (Apache")])


def _project_that_is_a_component() -> Inventory:
    model = dataclasses.replace(project("model"), purl="pkg:npm/model@1.0.0")
    member = component("model", "1.0.0", use(WEB), first_party=True)
    return inventory([project("web"), model], [member])


CASES: dict[str, Callable[[], Inventory]] = {
    "no-version": _no_version,
    "ambiguous-license": _ambiguous_license,
    "or-and-with": _or_and_with,
    "unknown-license": _unknown_license,
    "raw-non-spdx-declared-string": _raw_declared_string,
    "weird-names": _weird_names,
    "no-components": _no_components,
    "nothing-found": _nothing_found,
    "several-projects": _several_projects,
    "dev-only-and-optional": _dev_only_and_optional,
    "invalid-reference-ids": _invalid_reference_ids,
    "disagreeing-declarations": _disagreeing_declarations,
    "credentials-in-source-url": _credentials_in_source_url,
    "graph-edges": _graph_edges,
    "project-that-is-a-component": _project_that_is_a_component,
    "conclusion-that-is-not-spdx": _conclusion_that_is_not_spdx,
    "projects-sharing-a-purl": _projects_sharing_a_purl,
}


def _example() -> Inventory:
    return scan([Path(EXAMPLE)])


@pytest.fixture
def at_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)


# --- validity --------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_every_edge_case_is_valid_spdx(case: str) -> None:
    assert _spdx_tools_messages(_text(CASES[case]())) == []


def test_the_example_is_valid_spdx(at_repository: None) -> None:
    text = _text(_example())
    assert _spdx_tools_messages(text) == []
    document = json.loads(text)
    inv = _example()
    assert len(document["packages"]) == len({c.purl for c in inv.components} | {p.purl or p.id for p in inv.projects})


def test_hostile_package_names_are_valid_spdx() -> None:
    text = _text(scan([FIXTURES / "hostile-package-names"]))
    assert _spdx_tools_messages(text) == []
    assert any(p["name"] == "<script>alert(2)</script>" for p in json.loads(text)["packages"])


def test_an_incomplete_scan_and_what_is_left_out_are_said_in_the_document_comment() -> None:
    stray = component("stray", "1.0.0", use("npm:gone"))
    issue = ScanIssue(path="web/package-lock.json", line=3, parser="package-lock", message="invalid JSON")
    text = _text(inventory([project("web")], [stray], issues=[issue]))
    comment = json.loads(text)["comment"]
    assert "the scan is incomplete: 1 file" in comment and "1 usage or dependency edge names a package" in comment
    assert _spdx_tools_messages(text) == []


def test_licenses_that_scancode_files_as_exceptions_stay_their_spdx_ids() -> None:
    """MPL-2.0-no-copyleft-exception is a license on the SPDX License List; the license
    data spdx-tools reads (ScanCode's) files it as an exception, so spdx-tools complains
    about that token and nothing else. The document keeps the correct id."""
    inv = inventory([project("web")], [component("mpl", "1.0.0", use(WEB), license="MPL-2.0-no-copyleft-exception")])
    text = _text(inv)
    assert _package(json.loads(text), "pkg:npm/mpl@1.0.0")["licenseConcluded"] == "MPL-2.0-no-copyleft-exception"
    messages = _spdx_tools_messages(text)
    assert messages and all('"MPL-2.0-no-copyleft-exception"' in message and "exception" in message for message in messages)


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_ids_are_valid_unique_and_every_one_referenced_is_defined(case: str) -> None:
    document = _document(CASES[case]())
    ids = [p["SPDXID"] for p in document["packages"]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"SPDXRef-[A-Za-z0-9.-]+", i) for i in ids)
    defined = set(ids) | {"SPDXRef-DOCUMENT"}
    referenced = {r[k] for r in document["relationships"] for k in ("spdxElementId", "relatedSpdxElement")}
    assert referenced <= defined and set(document["documentDescribes"]) <= defined


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_every_license_ref_used_is_defined_once_and_every_definition_is_used(case: str) -> None:
    document = _document(CASES[case]())
    used = {ref for p in document["packages"] for key in ("licenseConcluded", "licenseDeclared") for ref in _REF.findall(p[key])}
    entries = document["hasExtractedLicensingInfos"]
    defined = [e["licenseId"] for e in entries]
    assert sorted(used) == defined
    assert all(re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+", i) for i in defined)
    assert all(e["extractedText"].strip() and e["name"].strip() for e in entries)


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_no_relationship_is_written_twice(case: str) -> None:
    relationships = _document(CASES[case]())["relationships"]
    keys = [(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in relationships]
    assert len(keys) == len(set(keys)) and keys == sorted(keys)


# --- licenses --------------------------------------------------------------------


def test_declared_is_what_the_metadata_states_and_concluded_what_ospo_scan_concluded() -> None:
    """The idna case: a versionless BSD classifier in METADATA, a BSD-3-Clause LICENSE file."""
    info = LicenseInfo(expression="BSD-3-Clause", category="permissive", source="site-packages/idna-3.10.dist-info/LICENSE.md: license text", evidence=(
        LicenseEvidence(value="License :: OSI Approved :: BSD License", source="site-packages/idna-3.10.dist-info/METADATA: Classifier"),
        LicenseEvidence(value="BSD-3-Clause", source="site-packages/idna-3.10.dist-info/LICENSE.md: license text"),
    ))
    document = _document(inventory([project("web")], [_with_license(component("idna", "3.10", use(WEB)), info)]))
    package = _package(document, "pkg:npm/idna@3.10")
    assert package["licenseConcluded"] == "BSD-3-Clause"
    assert package["licenseDeclared"] == "LicenseRef-ospo-ambiguous-bsd"


def test_a_curation_concludes_but_is_not_a_declaration() -> None:
    info = LicenseInfo(expression="Apache-2.0", category="permissive", source="curation curations.toml [curation 1]: checked by legal", evidence=(
        LicenseEvidence(value="Apache-2.0", source="curation curations.toml [curation 1]: checked by legal"),
        LicenseEvidence(value="MIT", source='package-lock.json: packages["node_modules/x"].license'),
    ))
    package = _package(_document(inventory([project("web")], [_with_license(component("x", "1.0.0", use(WEB)), info)])), "pkg:npm/x@1.0.0")
    assert (package["licenseConcluded"], package["licenseDeclared"]) == ("Apache-2.0", "MIT")


def test_unknown_is_noassertion_with_the_reason() -> None:
    package = _package(_document(_unknown_license()), "pkg:npm/mystery@1.0.0")
    assert package["licenseConcluded"] == package["licenseDeclared"] == "NOASSERTION"
    assert "the scanned files declare no license" in package["licenseComments"]


def test_a_declaration_that_names_no_license_is_a_reference_holding_its_words() -> None:
    document = _document(_raw_declared_string())
    package = _package(document, "pkg:npm/foo@1.0.0")
    assert package["licenseConcluded"] == "NOASSERTION"
    (entry,) = document["hasExtractedLicensingInfos"]
    assert package["licenseDeclared"] == entry["licenseId"] and entry["licenseId"].startswith("LicenseRef-ospo-declared-")
    assert entry["extractedText"] == "Foo Public License, v1 — see COPYING"


def test_a_conclusion_that_is_not_spdx_is_kept_word_for_word() -> None:
    document = _document(_conclusion_that_is_not_spdx())
    (entry,) = document["hasExtractedLicensingInfos"]
    assert _package(document, "pkg:npm/odd@1.0.0")["licenseConcluded"] == entry["licenseId"] and entry["extractedText"] == "MIT OR (Apache"


def test_declarations_that_disagree_are_all_declared_and_the_comment_says_so() -> None:
    package = _package(_document(_disagreeing_declarations()), "pkg:npm/two@1.0.0")
    assert package["licenseDeclared"] == "MIT AND ISC"
    assert "the declarations disagree" in package["licenseComments"]


def test_license_references_spdx_refuses_are_renamed_and_the_entry_names_the_original() -> None:
    document = _document(_invalid_reference_ids())
    entries = {e["licenseId"]: e for e in document["hasExtractedLicensingInfos"]}
    underscored = _package(document, "pkg:npm/underscored@1.0.0")["licenseConcluded"]
    assert "my_license" not in underscored and underscored.endswith(" OR MIT")
    assert "LicenseRef-my_license" in entries[underscored.split(" ")[0]]["comment"]
    elsewhere = _package(document, "pkg:npm/elsewhere@1.0.0")["licenseConcluded"]
    assert ":" not in elsewhere and "DocumentRef-other:LicenseRef-x" in entries[elsewhere]["extractedText"]
    assert "public-domain" in entries["LicenseRef-scancode-public-domain"]["name"]


def test_ambiguous_references_say_what_they_may_mean_and_that_no_text_is_carried() -> None:
    entries = {e["licenseId"]: e for e in _document(_ambiguous_license())["hasExtractedLicensingInfos"]}
    bsd = entries["LicenseRef-ospo-ambiguous-bsd"]["extractedText"]
    assert "BSD-2-Clause, BSD-3-Clause" in bsd and NO_TEXT in bsd


# --- relationships ----------------------------------------------------------------


LIFECYCLE_CASES = [
    (Lifecycle.RUNTIME, False, {("web", "DEPENDS_ON", "x")}),
    (Lifecycle.RUNTIME, True, {("x", "OPTIONAL_DEPENDENCY_OF", "web")}),
    (Lifecycle.DEVELOPMENT, False, {("x", "DEV_DEPENDENCY_OF", "web")}),
    (Lifecycle.TEST, False, {("x", "DEV_DEPENDENCY_OF", "web")}),
    (Lifecycle.BUILD, False, {("x", "DEV_DEPENDENCY_OF", "web")}),
    (Lifecycle.DEVELOPMENT, True, {("x", "DEV_DEPENDENCY_OF", "web"), ("x", "OPTIONAL_DEPENDENCY_OF", "web")}),
    (Lifecycle.PROVIDED, False, {("x", "PROVIDED_DEPENDENCY_OF", "web")}),
]


@pytest.mark.parametrize(("lifecycle", "optional", "expected"), LIFECYCLE_CASES, ids=lambda v: getattr(v, "value", str(v)))
def test_a_usage_becomes_the_relationship_of_its_lifecycle(lifecycle: Lifecycle, optional: bool, expected: set[tuple[str, str, str]]) -> None:
    usage = dataclasses.replace(use(WEB, lifecycle), optional=optional)
    document = _document(inventory([project("web")], [component("x", "1.0.0", usage)]))
    assert _triples(document) == expected | {("DOCUMENT", "DESCRIBES", "web")}


def test_test_and_build_dependencies_say_so_in_the_comment() -> None:
    document = _document(_dev_only_and_optional())
    comments = {_named_id(document, r["spdxElementId"]): r.get("comment") for r in document["relationships"] if r["relationshipType"] == "DEV_DEPENDENCY_OF"}
    assert comments == {"eslint": None, "both": None, "jest": "test dependency"}


def _named_id(document: dict[str, Any], spdx_id: str) -> str:
    return next(p["name"] for p in document["packages"] if p["SPDXID"] == spdx_id)


def test_graph_edges_take_the_kind_of_the_edge_not_the_lifecycle_of_the_project() -> None:
    document = _document(_graph_edges())
    triples = _triples(document)
    peers = [r.get("comment") for r in document["relationships"] if _named_id(document, r["relatedSpdxElement"]) == "react"]
    assert peers == ["peer dependency (the host provides it)"]
    assert ("debug", "DEPENDS_ON", "ms") in triples  # ms is needed at run time by debug, whatever web needs debug for
    assert ("debug", "DEPENDS_ON", "react") in triples
    assert ("fsevents", "OPTIONAL_DEPENDENCY_OF", "debug") in triples
    assert ("debug", "DEV_DEPENDENCY_OF", "web") in triples and ("web", "DEPENDS_ON", "debug") not in triples


def test_the_projects_are_what_the_document_describes() -> None:
    document = _document(_several_projects())
    described = {_named_id(document, i) for i in document["documentDescribes"]}
    assert described == {"web", "api", "worker"}
    assert {t for t in _triples(document) if t[1] == "DESCRIBES"} == {("DOCUMENT", "DESCRIBES", name) for name in described}
    assert {("web", "DEPENDS_ON", "lodash"), ("api", "DEPENDS_ON", "lodash")} <= _triples(document)


def test_a_project_that_is_also_a_component_is_one_package() -> None:
    document = _document(_project_that_is_a_component())
    package = _package(document, "pkg:npm/model@1.0.0")
    assert package["SPDXID"] in document["documentDescribes"]
    assert ("web", "DEPENDS_ON", "model") in _triples(document)


def test_projects_sharing_a_purl_are_one_package_that_names_both_places() -> None:
    document = _document(_projects_sharing_a_purl())
    package = _package(document, "pkg:npm/app@1.0.0")
    assert document["documentDescribes"] == [package["SPDXID"]]
    assert "'a'" in package["comment"] and "'b'" in package["comment"]
    assert ("app", "DEPENDS_ON", "lodash") in _triples(document)


def test_nothing_found_describes_the_scanned_folder() -> None:
    document = _document(_nothing_found())
    (package,) = document["packages"]
    assert document["documentDescribes"] == [package["SPDXID"]] and "no manifest or lockfile" in package["comment"]


# --- identity, time, secrets, determinism ----------------------------------------


def test_an_id_depends_on_the_purl_alone() -> None:
    alone = _package(_document(_no_version()), "pkg:npm/left-pad")["SPDXID"]
    among_others = inventory([project("web")], [component("left-pad", None, use(WEB)), component("other", "1.0.0", use(WEB))])
    assert _package(_document(among_others), "pkg:npm/left-pad")["SPDXID"] == alone
    assert alone.startswith("SPDXRef-pkg-npm-left-pad-")


def test_purls_that_read_alike_get_different_ids() -> None:
    usage = use("golang:.", path="go.mod")
    parts = [component(name, "v1.0.0", usage, ecosystem=Ecosystem.GOLANG) for name in ("example.com/a-b/c", "example.com/a/b-c")]
    document = _document(inventory([project(".", Ecosystem.GOLANG, manifest="go.mod")], parts))
    ids = [_package(document, c.purl)["SPDXID"] for c in parts]
    assert ids[0] != ids[1]


def test_created_is_the_reports_time_when_it_has_one() -> None:
    moment = datetime(2026, 12, 3, 8, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    info = _document(_no_version(), created=moment)["creationInfo"]
    assert info["created"] == "2026-12-03T06:30:05Z" and "comment" not in info


def test_without_a_time_the_epoch_stands_in_and_the_comment_says_so() -> None:
    info = _document(_no_version())["creationInfo"]
    assert info["created"] == "1970-01-01T00:00:00Z"
    assert "No creation time was recorded" in info["comment"] and "SOURCE_DATE_EPOCH" in info["comment"]
    assert info["creators"][0].startswith("Tool: ospo-scan-")


def test_the_namespace_is_a_uuid_of_the_content() -> None:
    first, again, other = (_document(inv)["documentNamespace"] for inv in (_no_version(), _no_version(), _unknown_license()))
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first) and first == again != other
    later = _document(_no_version(), created=datetime(2026, 1, 1, tzinfo=timezone.utc))["documentNamespace"]
    assert later != first


def test_credentials_never_appear_and_the_location_keeps_the_rest() -> None:
    text = _text(_credentials_in_source_url())
    assert "s3cr3t" not in text and "deploy" not in text
    package = _package(json.loads(text), "pkg:npm/private")
    assert package["downloadLocation"] == "git+https://code.example.com/acme/private.git@v1.0.0#egg=private"


def test_local_and_workspace_sources_are_noassertion_with_the_source_said() -> None:
    local = dataclasses.replace(component("utils", None, use(WEB)), source_url="./libs/utils")
    package = _package(_document(inventory([project("web")], [local])), "pkg:npm/utils")
    assert package["downloadLocation"] == "NOASSERTION" and "./libs/utils" in package["sourceInfo"]


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_rendering_twice_gives_the_same_bytes(case: str) -> None:
    first, second = _text(CASES[case]()), _text(CASES[case]())
    assert first == second and first.endswith("}\n")


@pytest.mark.parametrize("case", ["several-projects", "project-that-is-a-component", "invalid-reference-ids", "projects-sharing-a-purl"])
def test_the_order_of_the_inventory_does_not_change_the_document(case: str) -> None:
    inv = CASES[case]()
    shuffled = dataclasses.replace(inv, components=tuple(reversed(inv.components)), projects=tuple(reversed(inv.projects)))
    assert _text(inv) == _text(shuffled)


# --- the example and the corpus --------------------------------------------------


def test_the_example_matches_its_golden_file(at_repository: None) -> None:
    rendered = _text(_example())
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    comparable = lambda text: [line for line in text.splitlines() if '"licensedb":' not in line]  # noqa: E731 - as test_golden_reports
    assert comparable(rendered) == comparable(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_the_corpus_is_valid_spdx(corpus_report: Report) -> None:
    started = time.perf_counter()
    buffer = io.StringIO()
    spdx_report.render(corpus_report, buffer, False)
    rendered = time.perf_counter() - started
    document = json.loads(buffer.getvalue())
    inv = corpus_report.inventory
    assert {p["externalRefs"][0]["referenceLocator"] for p in document["packages"] if "externalRefs" in p} == {c.purl for c in inv.components} | {p.purl for p in inv.projects if p.purl}
    started = time.perf_counter()
    with _indexed_lookups():
        messages = _spdx_tools_messages(buffer.getvalue())
    validated = time.perf_counter() - started
    print(f"\nSPDX of the corpus: {len(document['packages'])} packages, {len(document['relationships'])} relationships; rendered in {rendered:.1f} s, validated by spdx-tools in {validated:.1f} s")
    assert messages == []


@contextmanager
def _indexed_lookups() -> Iterator[None]:
    """spdx-tools' validation, with its linear lookups answered from an index built once.

    For every package it scans all relationships (CONTAINS / CONTAINED_BY), and for every
    relationship it lists every element of the document: on the corpus (~20k packages,
    ~160k relationships) that is billions of steps, about three hours. The stand-ins
    return exactly what the originals return (same lists, same order; a set for
    membership), so every check spdx-tools makes is still made, only faster.
    """
    from spdx_tools.spdx.validation import package_validator, spdx_id_validators

    by_origin: dict[int, dict[tuple[Any, str], list[Any]]] = {}
    by_target: dict[int, dict[tuple[Any, str], list[Any]]] = {}
    element_ids: dict[int, set[str]] = {}

    def indexed(cache: dict[int, dict[tuple[Any, str], list[Any]]], end: str) -> Callable[[list[Any], Any, str], list[Any]]:
        def lookup(relationships: list[Any], relationship_type: Any, element_id: str) -> list[Any]:
            index = cache.get(id(relationships))
            if index is None:
                index = cache[id(relationships)] = {}
                for relationship in relationships:
                    index.setdefault((relationship.relationship_type, getattr(relationship, end)), []).append(relationship)
            return list(index.get((relationship_type, element_id), ()))

        return lookup

    def present(spdx_id: str, document: Any) -> bool:
        if id(document) not in element_ids:
            element_ids[id(document)] = set(spdx_id_validators.get_list_of_all_spdx_ids(document))
        return spdx_id in element_ids[id(document)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(package_validator, "filter_by_type_and_origin", indexed(by_origin, "spdx_element_id"))
        patch.setattr(package_validator, "filter_by_type_and_target", indexed(by_target, "related_spdx_element_id"))
        patch.setattr(spdx_id_validators, "is_spdx_id_present_in_document", present)
        yield


def test_the_indexed_lookups_answer_as_spdx_tools_does(at_repository: None) -> None:
    """The stand-ins of the corpus test, checked against the originals on the example."""
    from spdx_tools.spdx.model import RelationshipType
    from spdx_tools.spdx.model.relationship_filters import filter_by_type_and_origin, filter_by_type_and_target
    from spdx_tools.spdx.validation import package_validator, spdx_id_validators

    document = JsonLikeDictParser().parse(json.loads(_text(_example())))
    probes = [(t, p.spdx_id) for t in RelationshipType for p in document.packages] + [(RelationshipType.DESCRIBES, "SPDXRef-DOCUMENT")]
    expected = [(filter_by_type_and_origin(document.relationships, t, i), filter_by_type_and_target(document.relationships, t, i)) for t, i in probes]
    ids = [p.spdx_id for p in document.packages] + ["SPDXRef-DOCUMENT", "SPDXRef-absent"]
    present = [spdx_id_validators.is_spdx_id_present_in_document(i, document) for i in ids]
    with _indexed_lookups():
        assert [(package_validator.filter_by_type_and_origin(document.relationships, t, i), package_validator.filter_by_type_and_target(document.relationships, t, i)) for t, i in probes] == expected
        assert [spdx_id_validators.is_spdx_id_present_in_document(i, document) for i in ids] == present
        assert validate_full_spdx_document(document) == []
