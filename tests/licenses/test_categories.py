"""Categories: ScanCode LicenseDB categories, our overrides, OR / AND / WITH rules."""

from __future__ import annotations

import re

import pytest

from ospo_scan.licenses import categories, spdx
from ospo_scan.licenses.categories import (
    CATEGORY_TABLE_VERSION,
    EXCEPTION_OVERRIDES,
    OVERRIDES,
    RESTRICTIVENESS,
    SCANCODE_CATEGORIES,
    Category,
    categorize,
    categorize_license,
)
from ospo_scan.licenses.aliases import AMBIGUOUS_PREFIX, load_aliases
from ospo_scan.licenses.normalize import normalize

from .test_normalize import ROWS

C = Category
SINGLE = [
    ("MIT", C.PERMISSIVE),
    ("Apache-2.0", C.PERMISSIVE),
    ("0BSD", C.PERMISSIVE),
    ("CC0-1.0", C.PUBLIC_DOMAIN),
    ("Unlicense", C.PUBLIC_DOMAIN),
    ("LicenseRef-scancode-public-domain", C.PUBLIC_DOMAIN),
    ("WTFPL", C.PERMISSIVE),  # override: ScanCode files it as public domain
    ("LGPL-2.1-or-later", C.WEAK_COPYLEFT),
    ("MPL-2.0", C.WEAK_COPYLEFT),
    ("EPL-2.0", C.WEAK_COPYLEFT),
    ("CDDL-1.1", C.WEAK_COPYLEFT),
    ("GPL-2.0-only", C.STRONG_COPYLEFT),
    ("GPL-3.0-or-later", C.STRONG_COPYLEFT),
    ("AGPL-3.0-only", C.NETWORK_COPYLEFT),
    ("AGPL-1.0-or-later", C.NETWORK_COPYLEFT),
    ("EUPL-1.2", C.NETWORK_COPYLEFT),
    ("OSL-3.0", C.NETWORK_COPYLEFT),
    ("SSPL-1.0", C.SOURCE_AVAILABLE),
    ("BUSL-1.1", C.SOURCE_AVAILABLE),
    ("Elastic-2.0", C.SOURCE_AVAILABLE),
    ("CC-BY-NC-4.0", C.SOURCE_AVAILABLE),
    ("Hippocratic-2.1", C.SOURCE_AVAILABLE),  # ScanCode 'Free Restricted'
    ("LicenseRef-scancode-proprietary-license", C.PROPRIETARY),  # 'Commercial'
    ("Watcom-1.0", C.PROPRIETARY),  # 'Proprietary Free'
    ("LicenseRef-scancode-unknown-license-reference", C.UNKNOWN),  # 'Unstated License'
    ("LicenseRef-ospo-ambiguous-bsd", C.PERMISSIVE),  # every BSD variant is
    ("LicenseRef-ospo-ambiguous-lgpl", C.WEAK_COPYLEFT),  # every LGPL version is
    ("LicenseRef-ospo-ambiguous-mit-style", C.UNKNOWN),  # what it may mean cannot be listed
    ("LicenseRef-my-company", C.UNKNOWN),
]


@pytest.mark.parametrize(("expression", "category"), SINGLE)
def test_single_license(expression: str, category: Category) -> None:
    result = categorize(expression)
    assert result.category is category
    assert result.reason and expression in result.reason
    assert result.chosen is None


EXPRESSIONS = [
    ("MIT OR GPL-2.0-only", C.PERMISSIVE, "MIT"),
    ("GPL-3.0-only OR CC0-1.0", C.PUBLIC_DOMAIN, "CC0-1.0"),
    ("EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0", C.WEAK_COPYLEFT, "EPL-2.0"),
    ("MIT AND GPL-2.0-only", C.STRONG_COPYLEFT, None),
    ("OFL-1.1 AND MIT", C.WEAK_COPYLEFT, None),
    ("(MIT OR GPL-3.0-only) AND Apache-2.0", C.PERMISSIVE, "MIT AND Apache-2.0"),
    ("(MIT OR GPL-3.0-only) AND AGPL-3.0-only", C.NETWORK_COPYLEFT, "MIT AND AGPL-3.0-only"),
    ("LicenseRef-ospo-ambiguous-gpl OR MIT", C.PERMISSIVE, "MIT"),
    ("LicenseRef-ospo-ambiguous-gpl OR LicenseRef-x", C.STRONG_COPYLEFT, "LicenseRef-ospo-ambiguous-gpl"),
    ("LicenseRef-ospo-ambiguous-mit-style OR LicenseRef-x", C.UNKNOWN, None),
    ("LicenseRef-ospo-ambiguous-bsd AND MIT", C.PERMISSIVE, None),
    ("LicenseRef-ospo-ambiguous-mit-style AND MIT", C.UNKNOWN, None),
    ("LicenseRef-ospo-ambiguous-bsd OR LicenseRef-ospo-ambiguous-apache", C.PERMISSIVE, "LicenseRef-ospo-ambiguous-bsd"),
    ("GPL-2.0-only WITH Classpath-exception-2.0", C.WEAK_COPYLEFT, None),
    ("GPL-3.0-or-later WITH GCC-exception-3.1", C.WEAK_COPYLEFT, None),
    ("GPL-2.0-or-later WITH Autoconf-exception-2.0", C.WEAK_COPYLEFT, None),
    ("GPL-2.0-only WITH LLVM-exception", C.WEAK_COPYLEFT, None),
    ("Apache-2.0 WITH LLVM-exception", C.PERMISSIVE, None),
    ("LGPL-2.1-only WITH Classpath-exception-2.0", C.WEAK_COPYLEFT, None),
    ("AGPL-3.0-only WITH LicenseRef-scancode-openssl-exception-agpl-3.0", C.NETWORK_COPYLEFT, None),
    ("Apache-2.0 WITH LicenseRef-scancode-commons-clause", C.SOURCE_AVAILABLE, None),
    ("LicenseRef-ospo-ambiguous-gpl WITH Classpath-exception-2.0", C.WEAK_COPYLEFT, None),  # so is every GPL version with it
    ("GPL-2.0-only WITH Universal-FOSS-exception-1.0", C.STRONG_COPYLEFT, None),  # EXCEPTION_OVERRIDES
    ("LGPL-2.1-only WITH Universal-FOSS-exception-1.0", C.WEAK_COPYLEFT, None),
]


@pytest.mark.parametrize(("expression", "category", "chosen"), EXPRESSIONS)
def test_expressions(expression: str, category: Category, chosen: str | None) -> None:
    result = categorize(expression)
    assert (result.category, result.chosen) == (category, chosen)
    assert result.reason


def test_an_or_says_which_choice_it_took_and_what_it_skipped() -> None:
    reason = categorize("LicenseRef-ospo-ambiguous-mit-style OR MIT").reason
    assert reason.startswith("OR: chose MIT")
    assert "skipped LicenseRef-ospo-ambiguous-mit-style: ambiguous: says the license resembles MIT" in reason


def test_an_and_names_its_unknown_part() -> None:
    assert "LicenseRef-x" in categorize("MIT AND LicenseRef-x").reason


@pytest.mark.parametrize(
    ("expression", "reason"), [(None, "no license expression"), ("MIT OR", "not an SPDX")]
)
def test_no_or_invalid_expression_is_unknown(expression: str | None, reason: str) -> None:
    result = categorize(expression)
    assert result.category is C.UNKNOWN
    assert reason in result.reason


LICENSES = [
    ("MIT", C.PERMISSIVE),
    ("UNLICENSED", C.PROPRIETARY),
    ("License :: Other/Proprietary License", C.PROPRIETARY),
    ("SEE LICENSE IN LICENSE", C.UNKNOWN),
    ("Foo", C.UNKNOWN),
    ("BSD License", C.PERMISSIVE),
    ("BSD-style", C.UNKNOWN),
]


@pytest.mark.parametrize(("raw", "category"), LICENSES)
def test_categorize_license(raw: str, category: Category) -> None:
    result = categorize_license(normalize(raw))
    assert result.category is category
    assert result.reason


def test_every_scancode_category_is_mapped() -> None:
    seen = {entry.category for entry in spdx._licensedb().values()}
    assert seen <= set(SCANCODE_CATEGORIES)


@pytest.mark.parametrize("license_id", sorted(OVERRIDES))
def test_overrides_name_real_spdx_ids(license_id: str) -> None:
    assert spdx.parse(license_id) == license_id
    assert spdx.licensedb_entry(license_id) is not None
    assert OVERRIDES[license_id][1]


@pytest.mark.parametrize("exception", sorted(EXCEPTION_OVERRIDES))
def test_exception_overrides_name_real_exceptions_scancode_reads_as_relaxing(exception: str) -> None:
    """Each override must be needed: ScanCode's category would otherwise relax the license."""
    entry = spdx.licensedb_entry(exception)
    assert entry is not None and entry.is_exception
    assert SCANCODE_CATEGORIES[entry.category] in (C.PERMISSIVE, C.WEAK_COPYLEFT)
    assert categorize(f"GPL-3.0-only WITH {exception}").category is C.STRONG_COPYLEFT


AMBIGUOUS = sorted(load_aliases().members.items())


@pytest.mark.parametrize(("slug", "members"), AMBIGUOUS, ids=[slug for slug, _ in AMBIGUOUS])
def test_an_ambiguous_name_has_the_category_its_members_share(slug: str, members: tuple[str, ...]) -> None:
    """Computed from the members' own categories: one shared known category, else unknown."""
    shared = {categories.category_of_id(member)[0] for member in members}
    expected = shared.pop() if len(shared) == 1 else C.UNKNOWN
    result = categorize(f"{AMBIGUOUS_PREFIX}{slug}")
    assert result.category is expected
    assert all(member in result.reason for member in members)


def test_restrictiveness_order() -> None:
    assert [c.value for c in RESTRICTIVENESS] == [
        "public-domain", "permissive", "weak-copyleft", "strong-copyleft",
        "network-copyleft", "source-available", "proprietary",
    ]  # fmt: skip
    assert C.UNKNOWN not in RESTRICTIVENESS


def test_the_category_table_has_a_version() -> None:
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", CATEGORY_TABLE_VERSION)


RESOLVED = sorted(
    {e for _, e, _ in ROWS if e not in ("UNKNOWN", "PROPRIETARY") and not e.startswith("SEE:")}
)


@pytest.mark.parametrize("expression", [e for e in RESOLVED if "LicenseRef-ospo-" not in e])
def test_every_resolved_table_expression_has_a_known_category(expression: str) -> None:
    assert categories.categorize(expression).category is not C.UNKNOWN
