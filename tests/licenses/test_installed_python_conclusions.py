"""Conclusions from installed Python metadata, one fixture per edge case met in a real
environment (tests/licenses/fixtures/<case>/venv/.../<dist>.dist-info).

Each fixture holds a requirements.txt naming the distribution and a `venv` with its
dist-info. Long license texts are not copied into the repository: the test copies the
fixture and writes Debian's texts (/usr/share/common-licenses) where a row asks for them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ospo_scan.licenses.aliases import load_aliases
from ospo_scan.licenses.categories import categorize
from ospo_scan.licenses.classify import LicenseOptions
from ospo_scan.model import LicenseEvidence, LicenseInfo
from ospo_scan.scan import ScanOptions, scan
from tests.licenses import texts

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMMON_LICENSES = Path("/usr/share/common-licenses")
SITE = "venv/lib/python3.12/site-packages"


def _machine(name: str) -> Callable[[], str]:
    def read() -> str:
        path = COMMON_LICENSES / name
        if not path.is_file():
            pytest.skip(f"{path} is not on this machine")
        return path.read_text(encoding="utf-8")

    return read


def _written(text: str) -> Callable[[], str]:
    return lambda: text


def _ambiguous(ref: str) -> str:
    """What the reason says of an ambiguous reference, from the alias table itself."""
    return load_aliases().ambiguity_reason(ref) or ""


def _family(ref: str, category: str) -> str:
    members = ", ".join(load_aliases().members_of(ref))
    return f"{ref}: {category}, the category of every license it may mean ({members})"


@dataclass(frozen=True)
class Case:
    fixture: str
    component: str
    dist_info: str
    expression: str | None
    category: str
    reason: str | None
    evidence: tuple[tuple[str, str], ...]
    """(value, source) of each statement; sources relative to the dist-info folder."""
    files: dict[str, Callable[[], str]] = field(default_factory=dict)
    """Files written into the dist-info folder before the scan."""


APACHE = "License :: OSI Approved :: Apache Software License"
BSD = "License :: OSI Approved :: BSD License"
LGPL = "LicenseRef-ospo-ambiguous-lgpl-with-exceptions"
DUAL = "LicenseRef-ospo-ambiguous-bsd OR LicenseRef-ospo-ambiguous-apache"

CASES = [
    Case(
        # Before: unknown, the classifier made the whole reading ambiguous.
        "pynacl-precise-beats-ambiguous-classifier",
        "pynacl",
        "PyNaCl-1.5.0.dist-info",
        expression="Apache-2.0",
        category="permissive",
        reason=None,
        evidence=(("Apache-2.0", "METADATA: License"), (APACHE, "METADATA: Classifier")),
    ),
    Case(
        # Before: unknown. The LGPL family is weak copyleft whatever the version, and an
        # exception only adds permissions.
        "psycopg2-lgpl-with-unnamed-exceptions",
        "psycopg2",
        "psycopg2-2.9.9.dist-info",
        expression=LGPL,
        category="weak-copyleft",
        reason=f"expression stays ambiguous: 'LGPL with exceptions' is ambiguous: it {_ambiguous(LGPL)}; {_family(LGPL, 'weak-copyleft')}",
        evidence=(
            ("LGPL with exceptions", "METADATA: License"),
            ("License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)", "METADATA: Classifier"),
        ),
    ),
    Case(
        # Before: unknown. Two versionless classifiers: both families are permissive in
        # every variant, so the category holds whether they are a choice or both apply.
        "dateutil-dual-license-ambiguous-classifiers",
        "python-dateutil",
        "python_dateutil-2.9.0.post0.dist-info",
        expression=DUAL,
        category="permissive",
        reason=(
            f"expression stays ambiguous: '{BSD}' is ambiguous: it {_ambiguous('LicenseRef-ospo-ambiguous-bsd')}; "
            f"'{APACHE}' is ambiguous: it {_ambiguous('LicenseRef-ospo-ambiguous-apache')}; {categorize(DUAL).reason}"
        ),
        evidence=(("Dual License", "METADATA: License"), (BSD, "METADATA: Classifier"), (APACHE, "METADATA: Classifier")),
    ),
    Case(
        # Before: unknown. The exception only permits combining with other FOSS: the GPL's
        # category stays (categories.EXCEPTION_OVERRIDES).
        "mysql-connector-gpl2-with-foss-exception",
        "mysql-connector-python",
        "mysql_connector_python-8.4.0.dist-info",
        expression="GPL-2.0-only WITH Universal-FOSS-exception-1.0",
        category="strong-copyleft",
        reason=None,
        evidence=(
            ("GNU GPLv2 (with FOSS License Exception)", "METADATA: License"),
            ("License :: OSI Approved :: GNU General Public License (GPL)", "METADATA: Classifier"),
        ),
    ),
    Case(
        # Before: the same conclusion, but the license files under licenses/ were missing
        # from the evidence (they name different licenses, so they do not speak).
        "pep639-license-expression-and-licenses-folder",
        "cryptography",
        "cryptography-43.0.1.dist-info",
        expression="Apache-2.0 OR BSD-3-Clause",
        category="permissive",
        reason="OR: chose Apache-2.0, the least restrictive of Apache-2.0 (permissive), BSD-3-Clause (permissive)",
        evidence=(
            ("Apache-2.0 OR BSD-3-Clause", "METADATA: License-Expression"),
            ("Apache-2.0", "licenses/LICENSE.APACHE: license text"),
            ("BSD-3-Clause", "licenses/LICENSE.BSD: license text"),
        ),
        files={
            "licenses/LICENSE.APACHE": _machine("Apache-2.0"),
            "licenses/LICENSE.BSD": _written(texts.BSD_3_CLAUSE.format(holder=texts.HOLDERS[1])),
        },
    ),
    Case(
        # Before: unknown (the classifiers made the License field's reading ambiguous).
        "several-license-files-beside-metadata",
        "packaging",
        "packaging-21.3.dist-info",
        expression="BSD-2-Clause OR Apache-2.0",
        category="permissive",
        reason="OR: chose BSD-2-Clause, the least restrictive of BSD-2-Clause (permissive), Apache-2.0 (permissive)",
        evidence=(
            ("BSD-2-Clause or Apache-2.0", "METADATA: License"),
            (APACHE, "METADATA: Classifier"),
            (BSD, "METADATA: Classifier"),
            ("Apache-2.0", "LICENSE.APACHE: license text"),
            ("BSD-2-Clause", "LICENSE.BSD: license text"),
        ),
        files={
            "LICENSE.APACHE": _machine("Apache-2.0"),
            "LICENSE.BSD": _written(texts.BSD_2_CLAUSE.format(holder=texts.HOLDERS[0])),
        },
    ),
    Case(
        # Before: GPL-3.0-only, from the text, which cannot say "only".
        "gpl3-or-later-classifier-beside-bare-gpl3-text",
        "frobtool",
        "frobtool-3.1.dist-info",
        expression="GPL-3.0-or-later",
        category="strong-copyleft",
        reason=None,
        evidence=(
            ("GNU General Public License", "METADATA: License"),
            ("License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)", "METADATA: Classifier"),
            ("GPL-3.0", "COPYING: license text"),
        ),
        files={"COPYING": _machine("GPL-3")},
    ),
]


def _license(case: Case, root: Path) -> LicenseInfo:
    shutil.copytree(FIXTURES / case.fixture, root)
    for relative, text in case.files.items():
        (root / SITE / case.dist_info / relative).write_text(text(), encoding="utf-8")
    inventory = scan([root], ScanOptions(licenses=LicenseOptions()))
    found = [component.license for component in inventory.components if component.name == case.component]
    assert len(found) == 1 and found[0] is not None
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.fixture)
def test_installed_metadata_concludes_as_well_as_the_evidence_allows(case: Case, tmp_path: Path) -> None:
    info = _license(case, tmp_path / case.fixture)
    assert (info.expression, info.category, info.reason) == (case.expression, case.category, case.reason)
    where = f"{SITE}/{case.dist_info}"
    assert info.evidence == tuple(LicenseEvidence(value=value, source=f"{where}/{source}") for value, source in case.evidence)


def test_every_fixture_folder_has_a_row() -> None:
    folders = {path.parent.parent.name for path in FIXTURES.glob("*/venv/pyvenv.cfg")}
    assert folders == {case.fixture for case in CASES}
