"""The license compatibility table, case by case (README: "License compatibility")."""

from __future__ import annotations

import pytest

from ospo_scan.analysis.compatibility import incompatibility

CONFLICTS = [
    ("MIT", "GPL-3.0-only"),
    ("Apache-2.0", "GPL-3.0-only"),
    ("Apache-2.0", "GPL-2.0-or-later"),
    ("BSD-3-Clause", "AGPL-3.0-or-later"),
    ("LGPL-2.1-only", "GPL-2.0-only"),
    ("MPL-2.0", "GPL-3.0-or-later"),
    ("GPL-2.0-only", "Apache-2.0"),
    ("GPL-2.0-only", "GPL-3.0-only"),
    ("GPL-2.0-only", "EPL-2.0"),
    ("GPL-2.0-or-later", "AGPL-3.0-only"),
    ("GPL-3.0-only", "GPL-2.0-only"),
    ("GPL-3.0-or-later", "CDDL-1.0"),
    ("AGPL-3.0-only", "EPL-1.0"),
    ("GPL-3.0-only", "BUSL-1.1"),
    ("MIT", "MIT AND GPL-3.0-only"),
    ("Apache-2.0 OR MIT", "GPL-2.0-only"),
    ("MIT", "LicenseRef-ospo-ambiguous-gpl"),
]

COMPATIBLE = [
    ("MIT", "Apache-2.0"),
    ("Apache-2.0", "LGPL-2.1-only"),
    ("Apache-2.0", "LGPL-3.0-or-later"),
    ("MIT", "MPL-2.0"),
    ("MIT", "EPL-2.0"),
    ("GPL-3.0-only", "Apache-2.0"),
    ("GPL-3.0-or-later", "GPL-2.0-or-later"),
    ("GPL-3.0-only", "AGPL-3.0-only"),
    ("GPL-2.0-only", "GPL-2.0-or-later"),
    ("GPL-2.0-only", "MIT"),
    ("GPL-3.0-only", "MPL-2.0"),
    ("MIT", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("MIT", "MIT OR GPL-3.0-only"),
    ("MIT OR GPL-3.0-only", "GPL-3.0-only"),
    ("MIT", "BUSL-1.1"),
]

NOT_JUDGED = [
    (None, "GPL-3.0-only"),
    ("LicenseRef-acme-internal", "GPL-3.0-only"),
    ("MIT", None),
    ("GPL-3.0-only", "LicenseRef-ospo-ambiguous-gpl"),
    ("not an expression ((", "GPL-3.0-only"),
]


@pytest.mark.parametrize(("project", "dependency"), CONFLICTS)
def test_conflict(project: str, dependency: str) -> None:
    reason = incompatibility(project, dependency)
    assert reason is not None and "cannot be combined with the project's" in reason


@pytest.mark.parametrize(("project", "dependency"), COMPATIBLE)
def test_compatible(project: str, dependency: str) -> None:
    assert incompatibility(project, dependency) is None


@pytest.mark.parametrize(("project", "dependency"), NOT_JUDGED)
# An ambiguous "GPL" conflicts with MIT whatever its version (CONFLICTS), but whether it
# fits a GPL-3.0 project depends on the version nobody stated: not judged.
def test_unknown_or_unparsable_licenses_are_not_judged(project: str | None, dependency: str | None) -> None:
    assert incompatibility(project, dependency) is None


def test_a_proprietary_project_without_expression_is_judged_by_its_category() -> None:
    assert incompatibility(None, "GPL-3.0-only", "proprietary") is not None
    assert incompatibility(None, "LGPL-3.0-only", "proprietary") is None
    assert incompatibility(None, "GPL-3.0-only", "unknown") is None


def test_the_reason_names_both_licenses() -> None:
    assert incompatibility("GPL-2.0-only", "Apache-2.0") == "Apache-2.0, which cannot be combined with the project's GPL-2.0-only"
