"""Report documents for the diff tests: scanned from the fixture trees, or written by hand.

`scanned` is a real scan of fixtures/before or fixtures/after turned into its JSON
document; with a policy, the real evaluation goes into the document's policy section. The hand-built
documents hold only what a comparison reads, for the edge cases no tree shows cheaply.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from ospo_scan.config import load_settings_file
from ospo_scan.policy import evaluate, load_policy
from ospo_scan.purl import build_purl, normalize_name
from ospo_scan.model import Ecosystem, Inventory
from ospo_scan.reporters import json_report
from ospo_scan.scan import scan
from tests.diffing.fixture_trees import FIXTURES

REPOSITORY = Path(__file__).resolve().parents[2]
POLICY = FIXTURES / "policy.toml"
TODAY = date(2026, 1, 15)


def scanned(side: str, *, policy: Path | None = None) -> dict[str, Any]:
    """The JSON report document of fixtures/<side> (judged by `policy` when given), scanned
    from the repository's root so that its `roots` do not depend on the checkout's place."""
    inventory = _scan_from(REPOSITORY, FIXTURES.relative_to(REPOSITORY) / side)
    outcome = evaluate(inventory, load_policy(load_settings_file(policy)), TODAY) if policy is not None else None
    return json_report.to_document(inventory, policy=outcome)


def _scan_from(folder: Path, root: Path) -> Inventory:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        return scan([root])
    finally:
        os.chdir(previous)


def write(path: Path, document: dict[str, Any]) -> Path:
    """Write a document as the JSON report would be written."""
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def document(components: list[dict[str, Any]], *, violations: list[dict[str, Any]] | None = None,
             gaps: list[dict[str, Any]] | None = None, status: str = "complete") -> dict[str, Any]:
    """A minimal report document (policy section only when `violations` is given)."""
    built: dict[str, Any] = {
        "schema_version": 2,
        "tool": {"name": "ospo-scan", "version": "0.0.0-test"},
        "status": status,
        "roots": ["."],
        "components": components,
        "analysis": {"gaps": {"items": gaps or []}},
    }
    if violations is not None:
        built["policy"] = {"files": [{"path": "policy.toml", "sha256": "0" * 64}], "violations": violations, "silenced": [], "baseline": None}
    return built


def component(name: str, version: str | None, *, ecosystem: str = "npm", license: str | None = "MIT", category: str = "permissive",
              projects: tuple[str, ...] = ("npm:.",), qualifiers: dict[str, str] | None = None) -> dict[str, Any]:
    """One component entry as the JSON report writes it (the fields a diff reads)."""
    kind = Ecosystem(ecosystem)
    return {
        "purl": build_purl(kind, normalize_name(kind, name), version, qualifiers),
        "ecosystem": ecosystem,
        "name": name,
        "version": version,
        "first_party": False,
        "license": {"expression": license, "category": category if license else "unknown"},
        "usages": [{"project": p, "location": {"path": "package.json", "line": 1}} for p in projects],
    }


def violation(fingerprint: str, *, rule: str = "no-strong-copyleft", severity: str = "error", component: str | None = None,
              message: str = "a rule is broken", path: str = "package.json", line: int = 1) -> dict[str, Any]:
    """One violation entry as policy_document writes it."""
    return {
        "fingerprint": fingerprint, "rule": rule, "severity": severity, "message": message, "component": component,
        "package": None, "project": "npm:.", "location": {"path": path, "line": line, "key_path": None},
    }
