"""What a report document must hold to be compared, and what a wrong one is told;
violations matched by fingerprint in hand-written policy sections."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ospo_scan.diffing import DocumentError, compare, read_report
from tests.diffing.builders import component, document, violation


def _valid() -> dict[str, Any]:
    return document([component("a", "1.0.0")], violations=[violation("f1", component="pkg:npm/a@1.0.0")],
                    gaps=[{"code": "unknown-license", "severity": "medium", "message": "m", "component": "pkg:npm/a@1.0.0", "project": "npm:.", "location": None}])


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets the key at a dotted path (list indexes as numbers)."""
    def change(target: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = target
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return change


_DELETE = object()

ERRORS = [
    (_set("tool.name", "other-tool"), "not a JSON report of ospo-scan"),
    (_set("tool", _DELETE), "not a JSON report of ospo-scan"),
    (_set("components", _DELETE), "not a JSON report of ospo-scan"),
    (_set("schema_version", "2"), "schema_version: must be a whole number"),
    (_set("schema_version", 1), "schema_version: 1 is not supported; this ospo-scan compares version 2"),
    (_set("schema_version", 99), "made by a newer ospo-scan"),
    (_set("components", {}), "components: must be a list"),
    (_set("components.0", "pkg:npm/a@1.0.0"), "components[0]: must be an object"),
    (_set("components.0.purl", 7), "components[0].purl: must be a string"),
    (_set("components.0.purl", "npm/a@1.0.0"), "components[0].purl: 'npm/a@1.0.0' is not a package URL"),
    (_set("components.0.version", 1.0), "components[0].version: must be a string or null"),
    (_set("components.0.license", "MIT"), "components[0].license: must be an object"),
    (_set("components.0.usages.0.project", None), "components[0].usages[0].project: must be a string"),
    (_set("policy", []), "policy: must be an object"),
    (_set("policy.violations", None), "policy.violations: must be a list"),
    (_set("policy.violations.0.fingerprint", _DELETE), "policy.violations[0].fingerprint: must be a string"),
    (_set("policy.violations.0.location", {"path": "p", "line": "3"}), "policy.violations[0].location.line: must be a whole number or null"),
    (_set("analysis.gaps.items.0.code", None), "analysis.gaps.items[0].code: must be a string"),
]


@pytest.mark.parametrize(("change", "message"), ERRORS, ids=[message for _, message in ERRORS])
def test_a_wrong_field_is_named_by_its_key_path(change: Callable[[dict[str, Any]], None], message: str) -> None:
    broken = _valid()
    change(broken)
    with pytest.raises(DocumentError) as raised:
        read_report(broken)
    assert message in str(raised.value)


def test_the_valid_document_reads_and_fields_it_does_not_need_may_be_absent() -> None:
    facts = read_report(_valid())
    assert [c.package for c in facts.components] == ["pkg:npm/a"] and facts.violations is not None
    bare = _valid()
    del bare["analysis"], bare["policy"], bare["components"][0]["usages"], bare["components"][0]["license"]
    facts = read_report(bare)
    assert facts.violations is None and facts.gaps == () and facts.components[0].category == "unknown"


def test_two_versions_sharing_a_fingerprint_are_one_new_violation() -> None:
    old = document([], violations=[])
    new = document([], violations=[violation("same", component="pkg:npm/a@1.0.0"), violation("same", component="pkg:npm/a@2.0.0")])
    assert [v.component for v in compare(old, new).new_violations] == ["pkg:npm/a@1.0.0"]


def test_a_message_or_line_that_changed_does_not_make_a_violation_new() -> None:
    old = document([], violations=[violation("f", message="a 1.0 is GPL", line=3)])
    new = document([], violations=[violation("f", message="a 2.0 is GPL", line=30)])
    diff = compare(old, new)
    assert diff.violations_compared and not diff.new_violations and not diff.fixed_violations


def test_new_violations_are_worst_first_and_only_errors_fail() -> None:
    old = document([], violations=[violation("kept")])
    new = document([], violations=[violation("kept"), violation("w", severity="warning", rule="b"), violation("r", severity="review", rule="a"), violation("e", rule="z")])
    diff = compare(old, new)
    assert [v.fingerprint for v in diff.new_violations] == ["e", "w", "r"]
    assert [v.fingerprint for v in diff.new_error_violations] == ["e"]


def test_baseline_known_violations_still_count_as_present() -> None:
    """check --baseline moves known violations to policy.baseline.known: they did not go away."""
    old = document([], violations=[violation("debt")])
    new = document([], violations=[])
    new["policy"]["baseline"] = {"path": "main.json", "known": [violation("debt")], "resolved": []}
    assert not compare(old, new).fixed_violations


def test_reports_judged_by_different_policies_say_so() -> None:
    old, new = document([], violations=[]), document([], violations=[])
    new["policy"]["files"] = [{"path": "policy.toml", "sha256": "1" * 64}]
    assert compare(old, new).policies_differ


def test_comparing_leaves_the_documents_as_they_were() -> None:
    old, new = _valid(), _valid()
    new["components"].append(component("b", "1.0.0"))
    before = copy.deepcopy((old, new))
    compare(old, new)
    assert (old, new) == before
