"""The notices report: what ships, the texts as the files hold them, and why none where none.

Fixtures (tests/reporters/fixtures/notices-*): a package-lock tree whose node_modules hold
license files (a WTFPL text, a text full of backtick fences and HTML, one text two
packages share byte for byte, a NOTICE, a package without any license file, a locked
package that is not installed) beside a dev-only, an optional and a peer package; and a
Python tree whose `.venv` has a PEP 639 `licenses/LICENSE` and a METADATA-only package.
Expectations are computed from those files, never written down as counts.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.model import Component, Lifecycle
from ospo_scan.reporters import notices_report
from ospo_scan.reporters.report import Report
from ospo_scan.scan import ScanOptions, scan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NODE = FIXTURES / "notices-node-modules"
PYTHON = FIXTURES / "notices-python-venv"
REPOSITORY = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden" / "polyglot-shop.notices"
EXAMPLE = "examples/polyglot-shop"


def _render(report: Report) -> str:
    buffer = io.StringIO()
    notices_report.render(report, buffer, False)
    return buffer.getvalue()


def _notices(*roots: Path, include_dev: bool = False, options: ScanOptions | None = None) -> str:
    return _render(Report.of(scan(list(roots), options), include_dev=include_dev))


def _entries(document: str) -> dict[str, str]:
    """Each component's entry, by the name in its heading."""
    parts = re.split(r"^### ", document, flags=re.MULTILINE)[1:]
    return {re.match(r"`([^`]+)`", part).group(1): part for part in parts}  # type: ignore[union-attr]


def _header_count(document: str, label: str) -> int:
    match = re.search(rf"^- {label}: (\d+)$", document, flags=re.MULTILINE)
    assert match is not None, label
    return int(match.group(1))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip("\n").rstrip()


def _locked(root: Path) -> dict[str, dict[str, object]]:
    """package-lock.json entries by package name."""
    packages = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    return {key.removeprefix("node_modules/"): entry for key, entry in packages.items() if key}


# --- what is listed ---------------------------------------------------------------


def test_by_default_only_what_ships_is_listed() -> None:
    locked = _locked(NODE)
    shipped = {name for name, entry in locked.items() if not any(entry.get(flag) for flag in ("dev", "optional", "peer"))}
    listed = set(_entries(_notices(NODE)))
    assert listed == shipped
    assert {"dev-tool", "optional-thing", "peer-host"} <= set(locked) - listed


def test_include_dev_lists_every_third_party_component() -> None:
    document = _notices(NODE, include_dev=True)
    assert set(_entries(document)) == set(_locked(NODE))
    assert "every third-party component" in document
    assert "- Left out:" not in document


def test_the_header_counts_agree_with_the_entries() -> None:
    for include_dev in (False, True):
        document = _notices(NODE, include_dev=include_dev)
        entries = _entries(document)
        with_text = [name for name, entry in entries.items() if "```text" in entry or "the same text as" in entry]
        assert _header_count(document, "Components listed") == len(entries)
        assert _header_count(document, "With license text") == len(with_text)
        assert _header_count(document, "Without license text") == len(entries) - len(with_text)


def test_left_out_components_are_counted() -> None:
    locked = _locked(NODE)
    left_out = [name for name, entry in locked.items() if any(entry.get(flag) for flag in ("dev", "optional", "peer"))]
    assert f"- Left out: {len(left_out)} third-party components no project ships" in _notices(NODE)


def test_first_party_components_are_never_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    report = Report.of(scan([Path(EXAMPLE)]), include_dev=True)
    first_party = [c.name for c in report.inventory.components if c.first_party]
    assert first_party, "the example has first-party components (shop-api, shop-model...)"
    assert not set(first_party) & set(_entries(_render(report)))


def test_provided_components_do_not_ship(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    inventory = scan([Path(EXAMPLE)])
    provided = [c for c in inventory.components if c.lifecycles == frozenset({Lifecycle.PROVIDED})]
    assert provided, "the example has a provided servlet API"
    assert not any(notices_report.ships(c) for c in provided)
    assert all(c.name in _entries(_render(Report.of(inventory, include_dev=True))) for c in provided)


# --- texts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "name", "relative"),
    [
        (NODE, "left-pad", "node_modules/left-pad/LICENSE"),
        (NODE, "fenced-license", "node_modules/fenced-license/LICENSE.md"),
        (NODE, "shared-text-a", "node_modules/shared-text-a/LICENSE"),
        (NODE, "shared-text-b", "node_modules/shared-text-b/NOTICE"),
        (PYTHON, "tinylib", ".venv/lib/python3.12/site-packages/tinylib-1.0.dist-info/licenses/LICENSE"),
    ],
)
def test_the_text_shown_is_the_files_text(root: Path, name: str, relative: str) -> None:
    entry = _entries(_notices(root))[name]
    block = re.search(rf"^`{re.escape(relative)}`:\n\n(`{{3,}})text\n(.*?)\n\1$", entry, flags=re.MULTILINE | re.DOTALL)
    assert block is not None, entry
    assert block.group(2) == _text(root / relative)


def test_a_text_full_of_fences_stays_inside_its_own_fence() -> None:
    text = _text(NODE / "node_modules/fenced-license/LICENSE.md")
    longest = max(len(run) for run in re.findall(r"`+", text))
    entry = _entries(_notices(NODE))["fenced-license"]
    fence = "`" * (longest + 1)
    assert f"\n{fence}text\n{text}\n{fence}\n" in entry
    outside = entry.replace(f"{fence}text\n{text}\n{fence}", "")
    assert "<script>" not in outside and "# Not a heading" not in outside


def test_an_identical_text_is_shown_once_and_referred_to() -> None:
    document = _notices(NODE)
    text = _text(NODE / "node_modules/shared-text-a/LICENSE")
    assert _text(NODE / "node_modules/shared-text-b/LICENSE") == text
    assert document.count(text) == 1
    entry = _entries(document)["shared-text-b"]
    assert "`node_modules/shared-text-b/LICENSE`: the same text as `shared-text-a` `1.0.0` (`node_modules/shared-text-a/LICENSE`), above." in entry


@pytest.mark.parametrize(
    ("root", "name", "reason"),
    [
        (NODE, "no-license-file", "the installation found ships no license file beside node_modules/no-license-file/package.json"),
        (NODE, "not-installed", "not installed in any node_modules folder of the scanned tree"),
        (PYTHON, "bare-metadata", "the installation found ships no license file beside .venv/lib/python3.12/site-packages/bare_metadata-2.0.dist-info/METADATA"),
    ],
)
def test_no_text_says_why(root: Path, name: str, reason: str) -> None:
    entry = _entries(_notices(root))[name]
    assert f"No license text found: {reason}." in entry
    assert "```" not in entry


def test_no_local_source_at_all_is_said_per_ecosystem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    entries = _entries(_render(Report.of(scan([Path(EXAMPLE)]))))
    assert "No license text found: no Go module cache found" in entries["github.com/go-chi/chi/v5"]
    assert "No license text found: no local Maven repository" in entries["com.fasterxml.jackson.core:jackson-databind"]
    assert "No license text found: no installed package found in a node_modules folder" in entries["lodash"]


def test_a_known_license_and_an_unknown_one_are_written_out() -> None:
    entries = _entries(_notices(NODE))
    assert "- License: `WTFPL` (permissive)" in entries["left-pad"]
    example = _entries(_notices(REPOSITORY / EXAMPLE))
    assert re.search(r"^- License: unknown: .*no local Maven repository", example["org.postgresql:postgresql"], flags=re.MULTILINE)


# --- files that changed since the scan ----------------------------------------------


@pytest.fixture
def node_copy(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(NODE, root)
    return root


def test_a_file_swapped_for_a_symlink_is_not_followed(node_copy: Path, tmp_path: Path) -> None:
    report = Report.of(scan([node_copy]))
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET outside the tree\n", encoding="utf-8")
    license_file = node_copy / "node_modules/left-pad/LICENSE"
    license_file.unlink()
    license_file.symlink_to(secret)
    entry = _entries(_render(report))["left-pad"]
    assert "TOP SECRET" not in entry
    assert "`node_modules/left-pad/LICENSE` could not be read: the path now leads through a symbolic link" in entry
    assert "No license text could be read" in entry


def test_a_folder_swapped_for_a_symlink_is_not_followed(node_copy: Path, tmp_path: Path) -> None:
    report = Report.of(scan([node_copy]))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "LICENSE").write_text("TOP SECRET outside the tree\n", encoding="utf-8")
    shutil.rmtree(node_copy / "node_modules/left-pad")
    (node_copy / "node_modules/left-pad").symlink_to(elsewhere, target_is_directory=True)
    assert "TOP SECRET" not in _render(report)


def test_a_vanished_or_oversized_file_gives_a_line_saying_so(node_copy: Path) -> None:
    report = Report.of(scan([node_copy]))
    (node_copy / "node_modules/left-pad/LICENSE").unlink()
    (node_copy / "node_modules/shared-text-a/LICENSE").write_bytes(b"x" * (1024 * 1024 + 1))
    entries = _entries(_render(report))
    assert "`node_modules/left-pad/LICENSE` could not be read: cannot stat" in entries["left-pad"]
    assert "`node_modules/shared-text-a/LICENSE` could not be read: file is 1048577 bytes, above the 1048576-byte size cap." in entries["shared-text-a"]


def test_control_characters_in_a_text_are_spelled_out(node_copy: Path) -> None:
    (node_copy / "node_modules/left-pad/LICENSE").write_text("WTFPL\x1b[2J\u202eevil\fpage two\n", encoding="utf-8")
    entry = _entries(_notices(node_copy))["left-pad"]
    assert "WTFPL\\x1b[2J\\u202eevil\fpage two" in entry
    assert "\x1b" not in entry and "\u202e" not in entry


# --- paths ------------------------------------------------------------------------


def test_no_absolute_path_appears_and_the_bytes_do_not_depend_on_the_location(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "tree", tmp_path / "b" / "checkout"
    shutil.copytree(NODE, first)
    shutil.copytree(NODE, second)
    rendered = _notices(first, include_dev=True)
    assert rendered == _notices(second, include_dev=True)
    assert str(tmp_path) not in rendered


def test_several_roots_label_their_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    document = _notices(Path(NODE.name), Path(PYTHON.name))
    assert f"`{NODE.name}/node_modules/left-pad/LICENSE`:" in document
    assert f"`{PYTHON.name}/.venv/lib/python3.12/site-packages/tinylib-1.0.dist-info/licenses/LICENSE`:" in document


def test_a_go_module_cache_outside_the_tree_is_named_not_its_path(tmp_path: Path) -> None:
    tree = tmp_path / "service"
    tree.mkdir()
    (tree / "go.mod").write_text("module example.com/service\n\ngo 1.22\n\nrequire github.com/BurntSushi/toml v1.3.2\n", encoding="utf-8")
    cache = tmp_path / "cache"
    module = cache / "github.com" / "!burnt!sushi" / "toml@v1.3.2"
    module.mkdir(parents=True)
    (module / "COPYING").write_text(_text(NODE / "node_modules/dev-tool/LICENSE").replace("Dev Tool Authors", "TOML authors"), encoding="utf-8")
    document = _notices(tree, options=ScanOptions(licenses=LicenseOptions(go_module_cache=cache), user_defaults=False))
    entry = _entries(document)["github.com/BurntSushi/toml"]
    assert "`github.com/!burnt!sushi/toml@v1.3.2/COPYING (Go module cache)`:" in entry
    assert "Copyright (c) 2020 TOML authors" in entry and "- License: `MIT`" in entry
    assert str(tmp_path) not in document  # (the reason of an unknown license may name the cache: the license stage writes it)


def test_the_license_stage_records_files_without_reading_them_again() -> None:
    """The recorded paths are absolute and resolved, and the JSON report leaves them out."""
    from ospo_scan.reporters import json_report

    inventory = scan([NODE])
    left_pad = next(c for c in inventory.components if c.name == "left-pad")
    assert left_pad.license is not None
    assert left_pad.license.license_files == (os.path.realpath(NODE / "node_modules/left-pad/LICENSE"),)
    buffer = io.StringIO()
    json_report.render(Report.of(inventory), buffer, False)
    assert "license_files" not in buffer.getvalue()


# --- the example and determinism --------------------------------------------------------


def test_the_example_shows_every_shipped_text_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    report = Report.of(scan([Path(EXAMPLE)]))
    document = _render(report)
    with_files = [c for c in report.inventory.components if not c.first_party and notices_report.ships(c) and c.license and c.license.license_files]
    assert with_files, "the example's runtime .venv packages ship license files (idna, python-dateutil)"
    for component in with_files:
        assert component.license is not None
        assert all(_text(Path(path)) in _entries(document)[component.name] for path in component.license.license_files)
    assert _header_count(document, "With license text") == len(with_files)


def test_rendering_twice_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    report = Report.of(scan([Path(EXAMPLE)]), include_dev=True)
    assert _render(report) == _render(report)
    assert _notices(NODE) == _notices(NODE)


def test_the_example_matches_its_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    rendered = _render(Report.of(scan([Path(EXAMPLE)])))
    if os.environ.get("OSPO_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8")


# --- the corpus ------------------------------------------------------------------


def _shipped(component: Component) -> bool:
    """Independent of notices_report.ships: the version 1 view calls such a component runtime."""
    from ospo_scan.model import Scope

    runtime = [usage for usage in component.usages if usage.lifecycle is Lifecycle.RUNTIME]
    return Scope.RUNTIME in component.scopes and bool(runtime)


@pytest.mark.corpus
def test_the_corpus_renders_and_lists_only_shipped_components(corpus_report: Report) -> None:
    document = _render(corpus_report)
    by_purl = {c.purl: c for c in corpus_report.inventory.components}
    listed = re.findall(r"^- Package URL: `([^`]+)`$", document, flags=re.MULTILINE)
    assert listed and len(listed) == len(set(listed))
    assert all(_shipped(by_purl[purl]) and not by_purl[purl].first_party for purl in listed)
    expected = sum(1 for c in corpus_report.inventory.components if _shipped(c) and not c.first_party)
    assert _header_count(document, "Components listed") == len(listed) == expected
