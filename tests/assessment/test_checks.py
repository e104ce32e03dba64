"""The built-in checks are data: every row is well formed and says what the issue asks."""

from __future__ import annotations

import re

import pytest

from ospo_scan.assessment.checks import BUILT_IN_CHECKS, BUILT_IN_IDS, DOC_EXTENSIONS, LICENSE_CHECK_ID, built_in
from ospo_scan.assessment.health import name_matches
from ospo_scan.assessment.model import Check, CheckSeverity
from ospo_scan.licenses import spdx

EXPECTED = {
    "readme": ("README", CheckSeverity.RECOMMENDED),
    "license-file": ("LICENSE", CheckSeverity.REQUIRED),
    "contributing": ("CONTRIBUTING", CheckSeverity.RECOMMENDED),
    "code-of-conduct": ("CODE_OF_CONDUCT", CheckSeverity.RECOMMENDED),
    "security-policy": ("SECURITY", CheckSeverity.REQUIRED),
    "codeowners-or-maintainers": ("CODEOWNERS", CheckSeverity.RECOMMENDED),
    "changelog": ("CHANGELOG", CheckSeverity.RECOMMENDED),
    "notice": ("NOTICE", CheckSeverity.REQUIRED),
}


def test_the_built_in_checks_are_the_ones_the_issue_lists() -> None:
    assert set(BUILT_IN_IDS) == set(EXPECTED) and len(BUILT_IN_IDS) == len(set(BUILT_IN_IDS))
    for check in BUILT_IN_CHECKS:
        name, severity = EXPECTED[check.id]
        assert name in check.files and check.severity is severity, check.id
        assert check.source == "built-in"


@pytest.mark.parametrize("check", BUILT_IN_CHECKS, ids=lambda c: c.id)
def test_each_row_is_well_formed(check: Check) -> None:
    assert check.description and check.files and check.locations
    assert all("/" not in name for name in check.files)
    assert all(not loc.startswith("/") and ".." not in loc.split("/") for loc in check.locations)
    assert len(set(check.locations)) == len(check.locations)
    if check.contains is not None:
        re.compile(check.contains)
    for license_id in check.when_licenses:
        assert spdx.parse(license_id) == license_id
    assert check.detection.startswith(f"one of {check.files[0]}")


def test_only_notice_depends_on_the_license_and_only_on_apache_2() -> None:
    assert {c.id: c.when_licenses for c in BUILT_IN_CHECKS if c.when_licenses} == {"notice": ("Apache-2.0",)}


def test_the_license_and_notice_are_looked_for_in_the_root_only() -> None:
    assert built_in(LICENSE_CHECK_ID).locations == (".",) and built_in("notice").locations == (".",)


def test_github_files_follow_githubs_order_and_codeowners_also_gitlabs_folder() -> None:
    for check_id in ("readme", "contributing", "code-of-conduct", "security-policy"):
        assert built_in(check_id).locations == (".github", ".", "docs")
    assert built_in("codeowners-or-maintainers").locations == (".github", ".", "docs", ".gitlab")


@pytest.mark.parametrize("extension", DOC_EXTENSIONS)
@pytest.mark.parametrize("check", BUILT_IN_CHECKS, ids=lambda c: c.id)
def test_every_plain_name_matches_in_any_case_with_every_extension(check: Check, extension: str) -> None:
    for name in (n for n in check.files if "*" not in n):
        for spelled in (name, name.lower(), name.title(), name + extension, name.lower() + extension.upper()):
            assert name_matches(spelled, check.files), spelled


def test_each_name_belongs_to_one_check_only() -> None:
    for check in BUILT_IN_CHECKS:
        for name in (n for n in check.files if "*" not in n):
            owners = [other.id for other in BUILT_IN_CHECKS if name_matches(name + ".md", other.files)]
            assert owners == [check.id], name
