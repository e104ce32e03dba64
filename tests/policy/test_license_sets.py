"""OR, AND, WITH, -or-later and + judged as the licenses say (table-driven)."""

from __future__ import annotations

import pytest

from ospo_scan.policy.license_sets import LicenseListError, canonical_entry, license_set, offered

ALLOW = [
    # (allow list, component expression, allowed?)
    (["MIT"], "MIT", True),
    (["MIT"], "Apache-2.0", False),
    (["MIT"], "MIT OR GPL-3.0-only", True),
    (["MIT"], "GPL-3.0-only OR MIT", True),
    (["MIT"], "MIT AND BSD-3-Clause", False),
    (["MIT", "BSD-3-Clause"], "MIT AND BSD-3-Clause", True),
    (["MIT", "BSD-3-Clause"], "(MIT AND BSD-3-Clause) OR GPL-2.0-only", True),
    (["GPL-3.0-only"], "GPL-2.0-or-later", True),
    (["GPL-3.0-only"], "GPL-2.0+", True),
    (["GPL-2.0-only"], "GPL-3.0-or-later", False),
    (["GPL-2.0-or-later"], "GPL-3.0-only", True),
    (["GPL-2.0+"], "GPL-3.0-only", True),
    (["GPL-2.0-or-later"], "GPL-1.0-only", False),
    (["GPL-2.0-only"], "GPL-2.0-only WITH Classpath-exception-2.0", True),
    (["GPL-2.0-only WITH Classpath-exception-2.0"], "GPL-2.0-only WITH Classpath-exception-2.0", True),
    (["GPL-2.0-only WITH Classpath-exception-2.0"], "GPL-2.0-only", False),
    (["Apache-1.1+"], "Apache-2.0", True),
    (["LicenseRef-acme-internal"], "LicenseRef-acme-internal", True),
]

DENY = [
    # (deny list, component expression, denied?)
    (["GPL-3.0-only"], "GPL-3.0-only", True),
    (["GPL-3.0-only"], "MIT OR GPL-3.0-only", False),
    (["GPL-3.0-only"], "MIT AND GPL-3.0-only", True),
    (["GPL-3.0-only"], "GPL-2.0-or-later", False),
    (["GPL-2.0-only", "GPL-3.0-only"], "GPL-2.0-or-later", True),
    (["GPL-2.0-or-later"], "GPL-3.0-only", True),
    (["GPL-2.0+"], "GPL-3.0-or-later", True),
    (["GPL-2.0-or-later"], "LGPL-2.1-only", False),
    (["GPL-2.0-only"], "GPL-2.0-only WITH Classpath-exception-2.0", False),
    (["GPL-2.0-only WITH Classpath-exception-2.0"], "GPL-2.0-only WITH Classpath-exception-2.0", True),
    (["GPL-2.0-only"], "GPL-2.0-only WITH Autoconf-exception-2.0", False),
    (["GPL-2.0-or-later"], "GPL-2.0-or-later WITH cryptsetup-OpenSSL-exception", True),
    (["AGPL-3.0-only"], "(MIT OR AGPL-3.0-only) AND AGPL-3.0-only", True),
]


@pytest.mark.parametrize(("listed", "expression", "allowed"), ALLOW, ids=[f"{e} vs {l}" for l, e, _ in ALLOW])
def test_allow_lists(listed: list[str], expression: str, allowed: bool) -> None:
    assert license_set(listed).allows(expression) is allowed


@pytest.mark.parametrize(("listed", "expression", "denied"), DENY, ids=[f"{e} vs {l}" for l, e, _ in DENY])
def test_deny_lists(listed: list[str], expression: str, denied: bool) -> None:
    assert license_set(listed).denies(expression) is denied


def test_or_later_offers_every_later_version_the_spdx_list_knows() -> None:
    assert offered("GPL-2.0-or-later") == {"GPL-2.0-only", "GPL-3.0-only"}
    assert offered("LGPL-2.1-or-later") == {"LGPL-2.1-only", "LGPL-3.0-only"}
    assert offered("MIT") == {"MIT"}


@pytest.mark.parametrize("entry", ["MIT OR Apache-2.0", "not a license", "GPL"], ids=["expression", "words", "ambiguous-name"])
def test_entries_that_are_no_single_license_are_refused(entry: str) -> None:
    with pytest.raises(LicenseListError):
        license_set([entry])


def test_entries_are_spelled_canonically() -> None:
    assert canonical_entry("gpl-2.0+") == "GPL-2.0-or-later"
    assert canonical_entry("apache-2.0") == "Apache-2.0"
