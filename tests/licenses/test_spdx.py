"""The license-expression wrapper: parsing, rewriting, validation, rendering, the index."""

from __future__ import annotations

import re

import pytest

from ospo_scan.licenses import spdx
from ospo_scan.licenses.spdx import Compound, LicenseId, Operator, WithException

CANONICAL = [
    ("MIT", "MIT"),
    ("mit", "MIT"),
    ("apache-2.0 or mit", "Apache-2.0 OR MIT"),
    ("GPL-2.0+", "GPL-2.0-or-later"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    ("StandardML-NJ", "SMLNJ"),
    ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
    ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("GPL-3.0-with-GCC-exception", "GPL-3.0-only WITH GCC-exception-3.1"),
    ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
    ("wxWindows", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
    ("MPL-2.0-no-copyleft-exception", "MPL-2.0-no-copyleft-exception"),
    ("MIT OR SHL-2.1", "MIT OR SHL-2.1"),
    ("MIT AND MIT", "MIT"),
    ("mit and MIT", "MIT"),
    ("MIT OR Apache-2.0 OR MIT", "MIT OR Apache-2.0"),
    ("MIT OR (ISC OR MIT)", "MIT OR ISC"),
    ("(MIT OR GPL-2.0)", "MIT OR GPL-2.0-only"),
    ("MIT AND (MIT OR Apache-2.0)", "MIT AND (MIT OR Apache-2.0)"),
    (
        "GPL-2.0 WITH Classpath-exception-2.0 OR MIT AND ISC",
        "GPL-2.0-only WITH Classpath-exception-2.0 OR (MIT AND ISC)",
    ),
    ("gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("licenseref-foo", "LicenseRef-foo"),
    ("LicenseRef-LGPL", "LicenseRef-LGPL"),
    ("DocumentRef-spdx:LicenseRef-x", "DocumentRef-spdx:LicenseRef-x"),
    ("LicenseRef-scancode-public-domain", "LicenseRef-scancode-public-domain"),
]


@pytest.mark.parametrize(("text", "expected"), CANONICAL)
def test_parse_gives_the_canonical_expression(text: str, expected: str) -> None:
    assert spdx.parse(text) == expected
    assert spdx.parse(expected) == expected


INVALID = [
    ("", "empty"),
    ("Apache 2.0", "unknown license id"),
    ("GPL", "unknown license id"),  # ScanCode's alias (GPL-1.0-or-later) is not an SPDX id
    ("BSD-2", "unknown license id"),
    ("GPL 2.0", "unknown license id"),
    ("MIT+", "unknown license id"),
    ("MIT/X11", "not an SPDX expression"),
    ("MIT OR", "not an SPDX expression"),
    ("()", "not an SPDX expression"),
    ("( OR x", "not an SPDX expression"),
    ("Classpath-exception-2.0", "not an SPDX expression"),
    ("MIT WITH MIT", "not an SPDX expression"),
    ("GPL-2.0-only WITH LicenseRef-x", "not an SPDX expression"),
    ("LicenseRef-has space", "unknown license id"),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_expressions_raise_with_the_cause(text: str, message: str) -> None:
    with pytest.raises(spdx.SpdxError, match=re.escape(message)):
        spdx.parse(text)
    assert spdx.try_parse(text) is None


def test_tree_is_the_frozen_structure() -> None:
    assert spdx.tree("(MIT OR gpl-2.0+ WITH Classpath-exception-2.0) AND ISC") == Compound(
        Operator.AND,
        (
            Compound(
                Operator.OR,
                (
                    LicenseId("MIT"),
                    WithException(LicenseId("GPL-2.0-or-later"), "Classpath-exception-2.0"),
                ),
            ),
            LicenseId("ISC"),
        ),
    )


JOINS = [
    (Operator.OR, ["MIT", "Apache-2.0"], "MIT OR Apache-2.0"),
    (Operator.OR, ["MIT", "MIT"], "MIT"),
    (Operator.OR, ["MIT", "Apache-2.0 OR MIT", "ISC"], "MIT OR Apache-2.0 OR ISC"),
    (Operator.AND, ["MIT OR ISC", "Apache-2.0"], "(MIT OR ISC) AND Apache-2.0"),
    (Operator.OR, ["MIT AND ISC", "Apache-2.0"], "(MIT AND ISC) OR Apache-2.0"),
]


@pytest.mark.parametrize(("operator", "parts", "expected"), JOINS)
def test_join(operator: Operator, parts: list[str], expected: str) -> None:
    assert spdx.join(operator, [spdx.parse(p) for p in parts]) == expected


def test_join_of_nothing_is_an_error() -> None:
    with pytest.raises(spdx.SpdxError):
        spdx.join(Operator.OR, [])


def test_with_exception_needs_one_license_and_a_known_exception() -> None:
    assert spdx.with_exception(spdx.parse("GPL-2.0"), "Classpath-exception-2.0") == (
        "GPL-2.0-only WITH Classpath-exception-2.0"
    )
    with pytest.raises(spdx.SpdxError, match="one license"):
        spdx.with_exception(spdx.parse("MIT OR GPL-2.0"), "Classpath-exception-2.0")
    with pytest.raises(spdx.SpdxError):
        spdx.with_exception(spdx.parse("GPL-2.0"), "MIT")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("classpath-exception-2.0", "Classpath-exception-2.0"),
        ("LLVM-exception", "LLVM-exception"),
        ("MIT", None),
        ("nope", None),
    ],
)
def test_exception_id(text: str, expected: str | None) -> None:
    assert spdx.exception_id(text) == expected


LICENSEDB = [
    ("MIT", "mit", "Permissive"),
    ("gpl-2.0+", "gpl-2.0-plus", "Copyleft"),  # an alias (deprecated id) finds the entry
    ("BSD-3-Clause", "bsd-new", "Permissive"),
    ("Classpath-exception-2.0", "classpath-exception-2.0", "Copyleft Limited"),
    ("LicenseRef-scancode-public-domain", "public-domain", "Public Domain"),
]


@pytest.mark.parametrize(("spdx_id", "key", "category"), LICENSEDB)
def test_licensedb_entry(spdx_id: str, key: str, category: str) -> None:
    entry = spdx.licensedb_entry(spdx_id)
    assert entry is not None
    assert (entry.key, entry.category) == (key, category)


@pytest.mark.parametrize("spdx_id", ["LicenseRef-LGPL", "GPL", "LicenseRef-nothing", "Apache 2.0"])
def test_licensedb_has_no_entry_for_non_spdx_aliases(spdx_id: str) -> None:
    assert spdx.licensedb_entry(spdx_id) is None


def test_licensedb_version_names_library_and_spdx_list() -> None:
    assert re.fullmatch(r"license-expression \S+, SPDX list \S+", spdx.licensedb_version())


def test_the_licensing_object_is_built_once() -> None:
    spdx.parse("MIT")
    spdx.parse("Apache-2.0")
    assert spdx._licensing.cache_info().misses == 1
