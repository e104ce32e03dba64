"""The license stage end to end: evidence order, reasons, projects."""

from __future__ import annotations

import json
from pathlib import Path

from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.licenses.curations import load_curations
from ospo_scan.model import LicenseEvidence
from ospo_scan.scan import ScanOptions, scan

MIT_TEXT = """MIT License

Copyright (c) 2024 Example Shop

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _lock(packages: dict[str, dict[str, str]]) -> str:
    entries: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "dependencies": {name.split("/")[-1]: "*" for name in packages}}}
    entries.update(packages)
    return json.dumps({"name": "app", "lockfileVersion": 3, "packages": entries}, indent=2)


def _repo(tmp_path: Path) -> Path:
    _write(tmp_path, "package.json", json.dumps({"name": "app", "version": "1.0.0", "dependencies": {"a": "1.0.0", "b": "1.0.0", "c": "1.0.0", "d": "1.0.0"}}))
    _write(
        tmp_path,
        "package-lock.json",
        _lock(
            {
                "node_modules/a": {"version": "1.0.0", "license": "Apache 2.0"},
                "node_modules/b": {"version": "1.0.0"},
                "node_modules/c": {"version": "1.0.0"},
                "node_modules/d": {"version": "1.0.0", "license": "BSD"},
            }
        ),
    )
    _write(tmp_path, "node_modules/b/package.json", json.dumps({"name": "b", "version": "1.0.0", "license": "(MIT OR GPL-3.0-only)"}))
    _write(tmp_path, "node_modules/c/package.json", json.dumps({"name": "c", "version": "1.0.0"}))
    _write(tmp_path, "node_modules/c/LICENSE", MIT_TEXT)
    _write(tmp_path, "LICENSE", MIT_TEXT)
    return tmp_path


def _licenses(root: Path, options: LicenseOptions | None = None) -> dict[str, object]:
    inventory = scan([root], ScanOptions(licenses=options or LicenseOptions()))
    return {c.name: c.license for c in inventory.components}


def test_declared_in_lockfile_is_normalized_and_categorized(tmp_path: Path) -> None:
    info = _licenses(_repo(tmp_path))["a"]
    assert (info.expression, info.category, info.source) == ("Apache-2.0", "permissive", 'package-lock.json: packages["node_modules/a"].license')  # type: ignore[attr-defined]
    assert info.evidence == (LicenseEvidence(value="Apache 2.0", source='package-lock.json: packages["node_modules/a"].license'),)  # type: ignore[attr-defined]


def test_local_installation_fills_a_lockfile_without_license_and_or_takes_least_restrictive(tmp_path: Path) -> None:
    info = _licenses(_repo(tmp_path))["b"]
    assert info.expression == "MIT OR GPL-3.0-only"  # type: ignore[attr-defined]
    assert info.category == "permissive" and info.chosen == "MIT"  # type: ignore[attr-defined]
    assert info.source == "node_modules/b/package.json: license"  # type: ignore[attr-defined]
    assert info.evidence == (LicenseEvidence(value="(MIT OR GPL-3.0-only)", source="node_modules/b/package.json: license"),)  # type: ignore[attr-defined]


def test_license_text_is_identified_with_confidence(tmp_path: Path) -> None:
    info = _licenses(_repo(tmp_path))["c"]
    assert (info.expression, info.category) == ("MIT", "permissive")  # type: ignore[attr-defined]
    assert info.confidence is not None and info.confidence >= 0.8  # type: ignore[attr-defined]
    assert info.source == "node_modules/c/LICENSE: license text"  # type: ignore[attr-defined]
    assert info.evidence == (LicenseEvidence(value="MIT", source="node_modules/c/LICENSE: license text"),)  # type: ignore[attr-defined]


def test_ambiguous_declaration_keeps_its_reference_and_the_family_category(tmp_path: Path) -> None:
    info = _licenses(_repo(tmp_path))["d"]
    assert info.expression == "LicenseRef-ospo-ambiguous-bsd" and info.category == "permissive"  # type: ignore[attr-defined]
    assert info.reason.startswith("expression stays ambiguous: 'BSD' is ambiguous")  # type: ignore[attr-defined]
    assert info.source == 'package-lock.json: packages["node_modules/d"].license'  # type: ignore[attr-defined]


def test_curation_overrides_everything_and_says_so(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    curations_file = tmp_path / "curations.toml"
    curations_file.write_text('[[curation]]\npurl = "pkg:npm/a"\nlicense = "BSD-3-Clause"\nreason = "relicensed, see OSPO-7"\n')
    info = _licenses(root, LicenseOptions(curations=load_curations(curations_file)))["a"]
    assert (info.expression, info.category) == ("BSD-3-Clause", "permissive")  # type: ignore[attr-defined]
    assert info.source == f"curation {curations_file} [curation 0]: relicensed, see OSPO-7"  # type: ignore[attr-defined]


def test_project_license_from_root_license_file(tmp_path: Path) -> None:
    inventory = scan([_repo(tmp_path)])
    project = inventory.projects[0]
    assert project.license_info is not None
    assert (project.license_info.expression, project.license_info.source) == ("MIT", "LICENSE: license text")
    assert project.license_info.evidence == (LicenseEvidence(value="MIT", source="LICENSE: license text"),)


def test_project_see_license_in_file_is_identified(tmp_path: Path) -> None:
    _write(tmp_path, "package.json", json.dumps({"name": "app", "version": "1.0.0", "license": "SEE LICENSE IN docs/TERMS.txt"}))
    _write(tmp_path, "docs/TERMS.txt", MIT_TEXT)
    info = scan([tmp_path]).projects[0].license_info
    assert info is not None
    assert (info.expression, info.source) == ("MIT", "docs/TERMS.txt: license text")
    assert info.evidence == (
        LicenseEvidence(value="SEE LICENSE IN docs/TERMS.txt", source="package.json: license"),
        LicenseEvidence(value="MIT", source="docs/TERMS.txt: license text"),
    )


def test_project_see_license_in_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "secret.txt", MIT_TEXT)
    _write(tmp_path, "app/package.json", json.dumps({"name": "app", "license": "SEE LICENSE IN ../secret.txt"}))
    info = scan([tmp_path / "app"]).projects[0].license_info
    assert info is not None and info.expression is None
    assert info.reason is not None and "the manifest points at ../secret.txt, which is not a file inside the project folder" in info.reason


def test_project_declaration_and_license_file_are_both_evidence(tmp_path: Path) -> None:
    _write(tmp_path, "package.json", json.dumps({"name": "app", "version": "1.0.0", "license": "UNLICENSED"}))
    _write(tmp_path, "LICENSE", MIT_TEXT)
    info = scan([tmp_path]).projects[0].license_info
    assert info is not None and (info.category, info.source) == ("proprietary", "package.json: license")
    assert info.evidence == (LicenseEvidence(value="UNLICENSED", source="package.json: license"), LicenseEvidence(value="MIT", source="LICENSE: license text"))
    assert info.reason is not None and info.reason.endswith("lower-ranked evidence differs: MIT (LICENSE: license text)")
