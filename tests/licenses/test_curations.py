"""Curations: loading with precise errors, and purl pattern matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.licenses.curations import CurationsError, load_curations
from ospo_scan.model import Component, Ecosystem


def _component(purl: str, version: str | None) -> Component:
    return Component(purl=purl, ecosystem=Ecosystem.NPM, name="x", version=version)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "curations.toml"
    path.write_text(text)
    return path


def test_pattern_without_version_matches_every_version_and_globs_work(tmp_path: Path) -> None:
    curations = load_curations(
        _write(
            tmp_path,
            '[[curation]]\npurl = "pkg:npm/left-pad"\nlicense = "mit"\nreason = "checked"\n'
            '[[curation]]\npurl = "pkg:npm/%40acme/*"\nlicense = "LicenseRef-acme"\nreason = "ours"\n',
        )
    )
    assert curations.find(_component("pkg:npm/left-pad@1.3.0", "1.3.0")).license == "MIT"  # type: ignore[union-attr]
    assert curations.find(_component("pkg:npm/left-pad", None)) is not None
    assert curations.find(_component("pkg:npm/left-pad-extra@1.0.0", "1.0.0")) is None
    assert curations.find(_component("pkg:npm/%40acme/ui@2.0.0", "2.0.0")).index == 1  # type: ignore[union-attr]


def test_pattern_with_version_matches_only_that_version(tmp_path: Path) -> None:
    curations = load_curations(_write(tmp_path, '[[curation]]\npurl = "pkg:pypi/foo@1.0"\nlicense = "MIT"\nreason = "r"\n'))
    assert curations.find(_component("pkg:pypi/foo@1.0", "1.0")) is not None
    assert curations.find(_component("pkg:pypi/foo@2.0", "2.0")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[curation]]\npurl = "pkg:npm/a"\nlicense = "not a license (("\nreason = "r"\n', "curation[0]: license 'not a license ((' is not a valid SPDX expression"),
        ('[[curation]]\npurl = "npm/a"\nlicense = "MIT"\nreason = "r"\n', "curation[0]: purl must start with 'pkg:'"),
        ('[[curation]]\npurl = "pkg:npm/a"\nlicense = "MIT"\n', "curation[0]: missing or empty reason"),
        ("curation = 3\n", "'curation' must be an array of tables"),
        ("[[curation]\n", "invalid TOML"),
    ],
)
def test_bad_curations_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CurationsError, match=None) as caught:
        load_curations(_write(tmp_path, text))
    assert message in str(caught.value)
    assert str(tmp_path / "curations.toml") in str(caught.value)
