"""License-text identification: texts that ship on this machine, short texts written
here with varied copyright holders, and texts that are not licenses."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from ospo_scan.licenses.evidence import TextMatch
from ospo_scan.licenses.text_match import (
    RECOGNITION_THRESHOLD,
    combine_matches,
    identify_license_file,
    identify_license_files,
    identify_license_text,
)
from tests.licenses import texts

COMMON_LICENSES = Path("/usr/share/common-licenses")

# Debian's copies of the long license texts (read in place, never copied into the repo).
# Bare GNU texts come back with the matcher's version-only ids: the text alone does not
# say "only" or "or later"; normalization rewrites them.
MACHINE_TEXTS = [
    ("Apache-2.0", "Apache-2.0"),
    ("GPL-1", "GPL-1.0"),
    ("GPL-2", "GPL-2.0"),
    ("GPL-3", "GPL-3.0"),
    ("LGPL-2", "LGPL-2.0"),
    ("LGPL-2.1", "LGPL-2.1"),
    ("LGPL-3", "LGPL-3.0"),
    ("MPL-1.1", "MPL-1.1"),
    ("MPL-2.0", "MPL-2.0"),
    ("BSD", "BSD-3-Clause"),
    ("CC0-1.0", "CC0-1.0"),
    ("Artistic", "Artistic-1.0-Perl"),
    ("GFDL-1.3", "GFDL-1.3"),
]


def _machine_text(name: str) -> str:
    path = COMMON_LICENSES / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("file_name", "expected"), MACHINE_TEXTS)
def test_machine_license_texts_are_identified(file_name: str, expected: str) -> None:
    found = identify_license_text(_machine_text(file_name))
    assert found.spdx_id == expected, found.reason
    assert found.confidence >= RECOGNITION_THRESHOLD
    assert found.reason is None


@pytest.mark.parametrize("file_name", ["Apache-2.0", "GPL-3", "MPL-2.0"])
def test_rewrapped_and_reindented_texts_still_match(file_name: str) -> None:
    """Line breaks and indentation differ from copy to copy; words decide."""
    paragraphs = _machine_text(file_name).split("\n\n")
    rewrapped = "\n\n".join(textwrap.fill(" ".join(p.split()), width=55, initial_indent="  ") for p in paragraphs)
    assert identify_license_text(rewrapped).spdx_id == identify_license_text(_machine_text(file_name)).spdx_id


SHORT_TEXTS = [
    (texts.MIT, "MIT"),
    (texts.BSD_2_CLAUSE, "BSD-2-Clause"),
    (texts.BSD_3_CLAUSE, "BSD-3-Clause"),
    (texts.ISC, "ISC"),
    (texts.ZERO_BSD, "0BSD"),
    (texts.APACHE_2_HEADER, "Apache-2.0"),
]


@pytest.mark.parametrize("holder", texts.HOLDERS)
@pytest.mark.parametrize(("template", "expected"), SHORT_TEXTS, ids=[expected for _, expected in SHORT_TEXTS])
def test_short_texts_match_whatever_the_copyright_holder(template: str, expected: str, holder: str) -> None:
    found = identify_license_text(template.format(holder=holder))
    assert found.spdx_id == expected, found.reason
    assert found.confidence >= 0.9


def test_unlicense() -> None:
    found = identify_license_text(texts.UNLICENSE)
    assert (found.spdx_id, found.reason) == ("Unlicense", None)


def test_bsd_3_and_bsd_2_are_told_apart() -> None:
    """The third clause is the whole difference; neither may pass for the other."""
    holder = texts.HOLDERS[0]
    assert identify_license_text(texts.BSD_2_CLAUSE.format(holder=holder)).spdx_id == "BSD-2-Clause"
    assert identify_license_text(texts.BSD_3_CLAUSE.format(holder=holder)).spdx_id == "BSD-3-Clause"


@pytest.mark.parametrize(
    ("text", "reason_start"),
    [
        (texts.README, "text not recognized"),
        (texts.EULA, "text not recognized"),
        ("", "empty text"),
        ("   \n\t\n", "empty text"),
        ("MIT", "text not recognized"),
        ("SEE LICENSE IN LICENSE.md", "text not recognized"),
    ],
    ids=["readme", "eula", "empty", "blank", "bare-id", "npm-pointer"],
)
def test_texts_that_are_not_licenses_are_not_recognized(text: str, reason_start: str) -> None:
    found = identify_license_text(text)
    assert found.spdx_id is None
    assert found.reason is not None and found.reason.startswith(reason_start)
    assert found.confidence < RECOGNITION_THRESHOLD


def test_a_license_buried_in_prose_is_not_recognized_and_the_reason_names_the_best() -> None:
    """A README quoting the MIT text among much else is not a LICENSE file."""
    prose = (texts.README + "\n") * 6
    found = identify_license_text(prose + texts.MIT.format(holder=texts.HOLDERS[0]))
    assert found.spdx_id is None
    assert found.reason is not None and "best: MIT at 0." in found.reason
    assert found.ids == ("MIT",)


def test_two_licenses_in_one_text_are_listed_not_chosen() -> None:
    holder = texts.HOLDERS[1]
    found = identify_license_text(texts.MIT.format(holder=holder) + "\n\n" + texts.BSD_3_CLAUSE.format(holder=holder))
    assert found.spdx_id is None
    assert set(found.ids) == {"MIT", "BSD-3-Clause"}
    assert found.reason is not None and found.reason.startswith("several licenses in one text")


def test_a_gnu_text_ending_with_its_own_how_to_apply_notice_is_one_license() -> None:
    """GPL-1's appendix is a GPL-1.0-or-later notice: variants of one license count together."""
    found = identify_license_text(_machine_text("GPL-1"))
    assert found.spdx_id == "GPL-1.0"
    assert "GPL-1.0-or-later" in found.ids


def test_identify_license_file_reads_through_the_safe_reader(tmp_path: Path) -> None:
    good = tmp_path / "LICENSE"
    good.write_text(texts.ISC.format(holder=texts.HOLDERS[2]), encoding="utf-8")
    binary = tmp_path / "COPYING"
    binary.write_bytes(b"\x00\x01binary")
    folder = tmp_path / "LICENSES"
    folder.mkdir()
    assert identify_license_file(good, "LICENSE") == TextMatch(spdx_id="ISC", confidence=1.0, ids=("ISC",), path="LICENSE")
    unreadable = identify_license_file(binary, "COPYING")
    assert unreadable.spdx_id is None and unreadable.reason is not None and "unreadable (binary file" in unreadable.reason
    assert "not a regular file" in (identify_license_file(folder, "LICENSES").reason or "")


def test_files_of_one_package_are_combined(tmp_path: Path) -> None:
    """packaging's layout: a pointer LICENSE, then LICENSE.APACHE and LICENSE.BSD."""
    (tmp_path / "LICENSE").write_text("This software is made available under the terms of *either* of the licenses found in LICENSE.APACHE or LICENSE.BSD.\n")
    (tmp_path / "LICENSE.MIT").write_text(texts.MIT.format(holder=texts.HOLDERS[0]))
    (tmp_path / "LICENSE.BSD").write_text(texts.BSD_2_CLAUSE.format(holder=texts.HOLDERS[0]))
    paths = sorted(tmp_path.iterdir())
    both = identify_license_files(paths, lambda path: path.name)
    assert both is not None and both.spdx_id is None
    assert both.ids == ("BSD-2-Clause", "MIT")
    assert both.reason == "license files name different licenses: BSD-2-Clause (LICENSE.BSD), MIT (LICENSE.MIT)"
    one = identify_license_files([tmp_path / "LICENSE", tmp_path / "LICENSE.MIT"], lambda path: path.name)
    assert one is not None and (one.spdx_id, one.path) == ("MIT", "LICENSE.MIT")
    assert identify_license_files([], lambda path: path.name) is None


def test_combining_only_unrecognized_files_keeps_the_best_reason() -> None:
    weak = TextMatch(spdx_id=None, confidence=0.5, reason="a: text not recognized (best: MIT at 0.50)", ids=("MIT",), path="a")
    empty = TextMatch(spdx_id=None, confidence=0.0, reason="b: empty text", path="b")
    assert combine_matches([empty, weak]) == TextMatch(spdx_id=None, confidence=0.5, reason=weak.reason, ids=("MIT",), path="a")


def test_an_oversized_text_is_refused_before_matching() -> None:
    found = identify_license_text("word " * 300_000)
    assert found.spdx_id is None and found.reason == "text of 1500000 characters is too long to be one license text"


@pytest.mark.parametrize("seed", range(5))
def test_arbitrary_text_never_crashes(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abc XYZ\n\t()[]{}<>*#/\\.,;:'\"©®™€ßüé漢字\u200b\r0123456789-_=+"
    text = "".join(rng.choice(alphabet) for _ in range(5000))
    found = identify_license_text(text + texts.MIT.format(holder="") if seed % 2 else text)
    assert 0.0 <= found.confidence <= 1.0
