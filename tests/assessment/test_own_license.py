"""The repository's own license on fixture repositories scanned by the real scanner:
manifests and file agreeing or not, no license, texts not recognized, OSI approval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.assessment.own_license import not_osi_approved, osi_approved, osi_data_version, own_license
from ospo_scan.assessment.model import OwnLicense
from ospo_scan.model import Inventory
from ospo_scan.scan import ScanOptions, scan
from tests.licenses import texts

MIT_TEXT = texts.MIT.format(holder=texts.HOLDERS[0])
OPTIONS = ScanOptions(user_defaults=False, jobs=1)


def apache_text() -> str:
    """The Apache-2.0 text of this machine (Debian's copy, else one shipped in the venv),
    read at test time: third-party texts are not copied into the repository."""
    debian = Path("/usr/share/common-licenses/Apache-2.0")
    if debian.is_file():
        return debian.read_text(encoding="utf-8")
    venv = Path(__file__).resolve().parents[2] / ".venv"
    for path in sorted(venv.rglob("LICENSE*")):
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        if "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text:
            return text
    pytest.skip("no Apache-2.0 license text on this machine")


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def package_json(root: Path, license: str | None, folder: str = ".") -> None:
    document: dict[str, object] = {"name": f"pkg-{folder.strip('./') or 'root'}", "version": "1.0.0"}
    if license is not None:
        document["license"] = license
    write(root, f"{folder}/package.json", json.dumps(document))


def pyproject(root: Path, license: str, folder: str = ".") -> None:
    write(root, f"{folder}/pyproject.toml", f'[project]\nname = "tool"\nversion = "1.0"\nlicense = "{license}"\n')


def assessed(root: Path, inventory: Inventory | None = None, repository_id: str = ".") -> OwnLicense:
    return own_license(root, inventory or scan([root], OPTIONS), repository_id)


def test_mit_license_file_and_package_json_mit_agree(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE", MIT_TEXT)
    package_json(tmp_path, "MIT")
    own = assessed(tmp_path)
    assert [(d.expression, d.declared, d.manifest) for d in own.declared] == [("MIT", "MIT", "package.json")]
    assert (own.file, own.file_expression, own.expression) == ("LICENSE", "MIT", "MIT")
    assert (own.agreement, own.osi_approved, own.problem) == (True, True, None)


def test_apache_license_file_and_pyproject_mit_disagree(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE.txt", apache_text())
    pyproject(tmp_path, "MIT")
    own = assessed(tmp_path)
    assert (own.file, own.file_expression, own.expression, own.agreement) == ("LICENSE.txt", "Apache-2.0", "Apache-2.0", False)
    assert own.problem == "pyproject.toml says MIT, but LICENSE.txt is Apache-2.0"


def test_no_license_at_all(tmp_path: Path) -> None:
    package_json(tmp_path, None)
    own = assessed(tmp_path)
    assert (own.declared, own.file, own.expression, own.agreement, own.osi_approved) == ((), None, None, None, None)
    assert own.problem is not None and own.problem.startswith("no license: there is no LICENSE or COPYING file")


def test_a_declared_license_without_a_file(tmp_path: Path) -> None:
    package_json(tmp_path, "Apache-2.0")
    own = assessed(tmp_path)
    assert (own.file, own.expression, own.agreement, own.osi_approved) == (None, "Apache-2.0", None, True)
    assert own.problem == "no license file in the root (declared: package.json says Apache-2.0)"


def test_a_license_file_without_declarations_is_no_problem(tmp_path: Path) -> None:
    write(tmp_path, "COPYING", MIT_TEXT)
    own = assessed(tmp_path)
    assert (own.file, own.expression, own.agreement, own.problem) == ("COPYING", "MIT", None, None)


def test_a_text_that_is_no_known_license_is_not_recognized_and_the_matcher_says_why(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE.md", texts.EULA)
    package_json(tmp_path, "MIT")
    own = assessed(tmp_path)
    assert (own.file, own.file_expression, own.expression, own.agreement) == ("LICENSE.md", None, "MIT", None)
    assert own.problem is not None and own.problem.startswith("LICENSE.md: ") and "not recognized" in own.problem


def test_manifests_that_disagree_with_each_other(tmp_path: Path) -> None:
    package_json(tmp_path, "MIT")
    pyproject(tmp_path, "Apache-2.0", "tools")
    own = assessed(tmp_path)
    assert {(d.manifest, d.expression) for d in own.declared} == {("package.json", "MIT"), ("tools/pyproject.toml", "Apache-2.0")}
    assert own.expression is None and own.osi_approved is None
    assert own.problem is not None and "the manifests disagree: package.json says MIT, tools/pyproject.toml says Apache-2.0" in own.problem


def test_a_source_available_license_is_not_osi_approved(tmp_path: Path) -> None:
    package_json(tmp_path, "BUSL-1.1")
    own = assessed(tmp_path)
    assert (own.expression, own.osi_approved) == ("BUSL-1.1", False)


def test_proprietary_terms_are_said_as_such(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE", texts.EULA)
    package_json(tmp_path, "UNLICENSED")
    own = assessed(tmp_path)
    assert own.expression is None and own.osi_approved is None
    assert own.problem is not None and "package.json declares 'UNLICENSED': proprietary terms" in own.problem


def test_a_license_file_linked_outside_the_root_is_not_read(tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/LICENSE", MIT_TEXT)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "LICENSE").symlink_to(outside)
    own = own_license(root, Inventory(roots=(str(root),)), ".")
    assert (own.file, own.expression) == (None, None)
    assert own.problem is not None and "LICENSE: a symbolic link leading out of the repository, not read" in own.problem


def test_two_license_files_agree_with_the_choice_the_manifest_declares(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE-MIT", MIT_TEXT)
    write(tmp_path, "LICENSE-APACHE", apache_text())
    package_json(tmp_path, "MIT OR Apache-2.0")
    own = assessed(tmp_path)
    assert (own.file_expression, own.agreement, own.osi_approved, own.problem) == ("MIT OR Apache-2.0", True, True, None)


def test_two_license_files_without_a_manifest_are_named_both(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE-MIT", MIT_TEXT)
    write(tmp_path, "LICENSE-APACHE", apache_text())
    own = assessed(tmp_path)
    assert own.file_expression is None
    assert own.problem == "the license files name different licenses: Apache-2.0 (LICENSE-APACHE), MIT (LICENSE-MIT)"


def test_a_bare_gpl_text_agrees_with_or_later(tmp_path: Path) -> None:
    gpl = Path("/usr/share/common-licenses/GPL-2")
    if not gpl.is_file():
        pytest.skip(f"{gpl} is not on this machine")
    write(tmp_path, "COPYING", gpl.read_text(encoding="utf-8"))
    package_json(tmp_path, "GPL-2.0-or-later")
    own = assessed(tmp_path)
    assert (own.file_expression, own.agreement, own.problem) == ("GPL-2.0-only", True, None)


def test_only_the_projects_of_that_repository_count(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    package_json(first, "MIT")
    write(first, "LICENSE", MIT_TEXT)
    package_json(second, "Apache-2.0")
    inventory = scan([first, second], OPTIONS)
    repositories = {p.repository for p in inventory.projects}
    assert len(repositories) == 2
    own = own_license(first, inventory, next(r for r in repositories if r.endswith("first")))
    assert [d.expression for d in own.declared] == ["MIT"] and own.agreement is True


@pytest.mark.parametrize(
    ("expression", "approved", "blocking"),
    [
        ("MIT", True, ()),
        ("Apache-2.0 WITH LLVM-exception", True, ()),
        ("SSPL-1.0", False, ("SSPL-1.0",)),
        ("MIT OR SSPL-1.0", True, ("SSPL-1.0",)),
        ("MIT AND SSPL-1.0", False, ("SSPL-1.0",)),
        ("CC0-1.0", False, ("CC0-1.0",)),
        ("LicenseRef-acme-eula", False, ("LicenseRef-acme-eula",)),
        (None, None, None),
    ],
)
def test_osi_approval_by_expression(expression: str | None, approved: bool | None, blocking: tuple[str, ...] | None) -> None:
    assert osi_approved(expression) is approved
    if expression is not None:
        assert not_osi_approved(expression) == blocking


def test_the_osi_data_names_its_source() -> None:
    assert osi_data_version().startswith("SPDX license list 3.")
