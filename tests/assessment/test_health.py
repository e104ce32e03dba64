"""Health checks on fixture repositories built here, one per edge case: each file in each
location, names and extensions, `contains`, NOTICE under Apache-2.0 only, symlinks out of
the root, files that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.assessment.checks import BUILT_IN_CHECKS, built_in
from ospo_scan.assessment.health import MAX_CONTAINS_READ, license_applies, run_checks
from ospo_scan.assessment.model import Check, CheckSeverity, CheckStatus

SECURITY_TEXT = "# Security\n\nReport a vulnerability privately to security@example.org.\n"
ALWAYS = [check for check in BUILT_IN_CHECKS if not check.when_licenses]


def _write(root: Path, relative: str, text: str = "text\n") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _content(check: Check) -> str:
    return SECURITY_TEXT if check.contains else "something\n"


def _file_name(check: Check) -> str:
    return next(name for name in check.files if "*" not in name) + ".md"


def _result(root: Path, check: Check, own_license: str | None = None):  # type: ignore[no-untyped-def]
    results, errors = run_checks(root, [check], own_license)
    return results[0], errors


@pytest.mark.parametrize(("check", "location"), [(c, loc) for c in ALWAYS for loc in c.locations], ids=lambda v: v.id if isinstance(v, Check) else v)
def test_each_health_file_is_found_in_each_of_its_locations(tmp_path: Path, check: Check, location: str) -> None:
    relative = _file_name(check) if location == "." else f"{location}/{_file_name(check)}"
    _write(tmp_path, relative, _content(check))
    result, errors = _result(tmp_path, check)
    assert (result.status, result.path, errors) == (CheckStatus.FOUND, relative, ())


@pytest.mark.parametrize("check", ALWAYS, ids=lambda c: c.id)
def test_a_health_file_elsewhere_does_not_count(tmp_path: Path, check: Check) -> None:
    folder = next(name for name in ("src", "docs", ".github", ".gitlab") if name not in check.locations)
    _write(tmp_path, f"{folder}/{_file_name(check)}", _content(check))
    result, _ = _result(tmp_path, check)
    assert (result.status, result.path) == (CheckStatus.MISSING, None)


def test_an_empty_repository_misses_every_check_and_notice_does_not_apply(tmp_path: Path) -> None:
    results, errors = run_checks(tmp_path, BUILT_IN_CHECKS, None)
    statuses = {r.check.id: r.status for r in results}
    assert [r.check.id for r in results] == [c.id for c in BUILT_IN_CHECKS]
    assert statuses == {c.id: CheckStatus.NOT_APPLICABLE if c.when_licenses else CheckStatus.MISSING for c in BUILT_IN_CHECKS}
    assert errors == ()


NAMES = [
    ("readme", "readme.RST"),
    ("readme", "ReadMe.markdown"),
    ("readme", "README"),
    ("contributing", "Contributing.adoc"),
    ("code-of-conduct", "code-of-conduct.org"),
    ("changelog", "changes.txt"),
    ("license-file", "LICENSE-MIT"),
    ("license-file", "LICENSE.APACHE"),
    ("license-file", "license-apache.txt"),
    ("license-file", "COPYING.LESSER"),
    ("license-file", "licence"),
    ("license-file", "UNLICENSE"),
    ("codeowners-or-maintainers", "OWNERS"),
]


@pytest.mark.parametrize(("check_id", "name"), NAMES)
def test_names_match_case_insensitively_with_or_without_extension(tmp_path: Path, check_id: str, name: str) -> None:
    _write(tmp_path, name)
    result, _ = _result(tmp_path, built_in(check_id))
    assert (result.status, result.path) == (CheckStatus.FOUND, name)


@pytest.mark.parametrize(("check_id", "name"), [("license-file", "license.go"), ("license-file", "license.json"), ("readme", "README.md.bak"), ("readme", "READMEFIRST"), ("changelog", "changelog.py")])
def test_look_alike_names_do_not_match(tmp_path: Path, check_id: str, name: str) -> None:
    _write(tmp_path, name)
    result, _ = _result(tmp_path, built_in(check_id))
    assert result.status is CheckStatus.MISSING


def test_when_several_files_match_the_first_by_location_then_name_is_taken(tmp_path: Path) -> None:
    readme = built_in("readme")
    for location in reversed(readme.locations):
        _write(tmp_path, f"{location}/README.txt" if location != "." else "README.txt")
        _write(tmp_path, f"{location}/README.md" if location != "." else "README.md")
    result, _ = _result(tmp_path, readme)
    first = readme.locations[0]
    assert result.path == (f"{first}/README.md" if first != "." else "README.md")


CONTAINS = Check(id="readme-license", description="README names the license", files=("README",), locations=(".",), contains=r"(?im)^#+\s*licen[cs]e")


def test_contains_matched(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "# Tool\n\n## License\n\nMIT\n")
    result, _ = _result(tmp_path, CONTAINS)
    assert (result.status, result.path) == (CheckStatus.FOUND, "README.md")


def test_contains_not_matched_says_which_file_did_not_match(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "# Tool\n\nNo word about it.\n")
    result, _ = _result(tmp_path, CONTAINS)
    assert result.status is CheckStatus.MISSING
    assert result.detail == f"README.md does not match /{CONTAINS.contains}/"


def test_contains_goes_on_to_the_next_file_that_matches(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "# Tool\n")
    _write(tmp_path, "README.rst", "License\n=======\n\n# License\n")
    result, _ = _result(tmp_path, CONTAINS)
    assert result.path == "README.rst"


def test_contains_reads_only_a_bounded_prefix_and_replaces_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"\xff\xfe not utf-8 \x00\n" + b"x" * MAX_CONTAINS_READ + b"\n## License\n")
    result, errors = _result(tmp_path, CONTAINS)
    assert (result.status, errors) == (CheckStatus.MISSING, ())
    path.write_bytes(b"\xff\xfe not utf-8\n## License\n")
    assert _result(tmp_path, CONTAINS)[0].status is CheckStatus.FOUND


def test_an_empty_security_policy_does_not_count(tmp_path: Path) -> None:
    _write(tmp_path, "SECURITY.md", "# Security\n")
    result, _ = _result(tmp_path, built_in("security-policy"))
    assert result.status is CheckStatus.MISSING and "SECURITY.md does not match" in (result.detail or "")


@pytest.mark.parametrize(
    ("own_license", "applies"),
    [("Apache-2.0", True), ("MIT", False), (None, False), ("Apache-2.0 AND MIT", True), ("MIT OR Apache-2.0", False), ("Apache-2.0 WITH LLVM-exception", True)],
)
def test_notice_is_required_only_under_apache_2(tmp_path: Path, own_license: str | None, applies: bool) -> None:
    notice = built_in("notice")
    assert notice.severity is CheckSeverity.REQUIRED
    result, _ = _result(tmp_path, notice, own_license)
    assert result.status is (CheckStatus.MISSING if applies else CheckStatus.NOT_APPLICABLE)
    _write(tmp_path, "NOTICE")
    result, _ = _result(tmp_path, notice, own_license)
    assert result.status is (CheckStatus.FOUND if applies else CheckStatus.NOT_APPLICABLE)
    assert license_applies(own_license, notice.when_licenses) is applies


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository: whatever is there is not the repository's."""
    folder = tmp_path / "outside"
    _write(folder, "README.md")
    _write(folder, "SECURITY.md", SECURITY_TEXT)
    return folder


def test_a_symlink_to_a_file_outside_the_root_does_not_count_and_says_so(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").symlink_to(outside / "README.md")
    result, _ = _result(root, built_in("readme"))
    assert result.status is CheckStatus.MISSING
    assert result.detail == "README.md is a symbolic link leading out of the repository: not counted"


def test_a_symlink_inside_the_root_counts(tmp_path: Path) -> None:
    _write(tmp_path, "docs/guide/SECURITY.md", SECURITY_TEXT)
    (tmp_path / "SECURITY.md").symlink_to(Path("docs/guide/SECURITY.md"))
    result, _ = _result(tmp_path, built_in("security-policy"))
    assert (result.status, result.path) == (CheckStatus.FOUND, "SECURITY.md")


def test_a_location_folder_linked_outside_the_root_is_not_looked_in(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "docs").symlink_to(outside, target_is_directory=True)
    results, errors = run_checks(root, [built_in("readme"), built_in("security-policy")], None)
    assert [r.status for r in results] == [CheckStatus.MISSING, CheckStatus.MISSING]
    assert errors == ("docs: a symbolic link leading out of the repository; not looked in",)


def test_a_fifo_named_like_the_file_is_an_error_and_the_search_goes_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "SECURITY.md")
    _write(tmp_path, "docs/SECURITY.md", SECURITY_TEXT)
    results, errors = run_checks(tmp_path, [built_in("security-policy"), built_in("readme")], None)
    assert (results[0].status, results[0].path) == (CheckStatus.FOUND, "docs/SECURITY.md")
    assert results[1].status is CheckStatus.MISSING
    assert errors == ("SECURITY.md: not a regular file (a FIFO); not counted",)


def test_a_fifo_is_an_error_even_without_contains(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "CHANGELOG.md")
    result, errors = _result(tmp_path, built_in("changelog"))
    assert result.status is CheckStatus.MISSING
    assert errors == ("CHANGELOG.md: not a regular file (a FIFO); not counted",)


def test_a_folder_named_like_the_file_is_no_file_and_no_error(tmp_path: Path) -> None:
    (tmp_path / "changes").mkdir()
    _write(tmp_path, "changes/123.feature.md")
    result, errors = _result(tmp_path, built_in("changelog"))
    assert (result.status, errors) == (CheckStatus.MISSING, ())


def test_a_broken_symlink_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "CONTRIBUTING.md").symlink_to(tmp_path / "gone.md")
    result, errors = _result(tmp_path, built_in("contributing"))
    assert result.status is CheckStatus.MISSING
    assert errors == ("CONTRIBUTING.md: a broken symbolic link; not counted",)


def test_each_location_is_listed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[str] = []
    real = os.scandir

    def counting(path):  # type: ignore[no-untyped-def]
        listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    run_checks(tmp_path, BUILT_IN_CHECKS, "Apache-2.0")
    assert len(listed) == len(set(listed)) == len({loc for c in BUILT_IN_CHECKS for loc in c.locations})
