"""Python environments: the real one the tests run in, compared with importlib.metadata,
and small environments built here for the edge cases."""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from ospo_scan.licenses.local_python import PythonEnvironments, find_environments, user_site_folders
from ospo_scan.model import Component, Ecosystem
from tests.licenses import texts


def _component(name: str, version: str | None, ecosystem: Ecosystem = Ecosystem.PYPI) -> Component:
    return Component(purl=f"pkg:{ecosystem.value}/{name}", ecosystem=ecosystem, name=name, version=version)


# --- the real environment ------------------------------------------------------------


@pytest.fixture(scope="module")
def real_environment(tmp_path_factory: pytest.TempPathFactory) -> PythonEnvironments:
    envs = PythonEnvironments.discover(tmp_path_factory.mktemp("empty-root"), [Path(sys.prefix)])
    if not envs.distributions:
        pytest.skip(f"no distributions found under {sys.prefix}")
    return envs


def _independent(envs: PythonEnvironments) -> dict[tuple[str, str], dict[str, object]]:
    """What importlib.metadata reads from the same folders, keyed by (name, version)."""
    found: dict[tuple[str, str], dict[str, object]] = {}
    for dist in importlib.metadata.distributions(path=[str(folder) for folder in envs.site_folders]):
        meta = dist.metadata
        key = (canonicalize_name(meta["Name"]), meta["Version"])
        found[key] = {
            "license_expression": _one(meta.get_all("License-Expression")),
            "license": _one(meta.get_all("License")),
            "classifiers": tuple(c for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")),
            "license_files": tuple(meta.get_all("License-File") or []),
        }
    return found


def _one(values: list[str] | None) -> str | None:
    """A single-use field, stripped (missing or empty: None)."""
    return (values[0].strip() or None) if values else None


def test_every_installed_distribution_reads_as_importlib_metadata_reads_it(real_environment: PythonEnvironments) -> None:
    ours = {
        (dist.name, dist.version): {
            "license_expression": dist.license_expression,
            "license": dist.license,
            "classifiers": dist.classifiers,
            "license_files": dist.license_file_entries,
        }
        for dist in real_environment.distributions
    }
    theirs = _independent(real_environment)
    assert set(ours) == set(theirs)
    disagreements = {key: (ours[key], theirs[key]) for key in ours if ours[key] != theirs[key]}
    assert disagreements == {}
    assert len(ours) >= 5  # pytest, packaging, ospo-scan's own dependencies at the least


def test_every_installed_distribution_has_evidence_or_a_reason(real_environment: PythonEnvironments) -> None:
    for dist in real_environment.distributions:
        component = _component(dist.name, dist.version)
        evidence = real_environment.lookup(component)
        if evidence is None:
            assert real_environment.why_missing(component), dist.name
            continue
        assert evidence.source.startswith(Path(dist.metadata).as_posix())
        if dist.license_expression:
            assert evidence.declared == (dist.license_expression,)
            assert evidence.source.endswith(": License-Expression")
        for classifier in dist.classifiers if not dist.license_expression else ():
            assert classifier in evidence.declared


def test_the_real_environment_yields_known_license_texts(real_environment: PythonEnvironments) -> None:
    """pytest ships its MIT LICENSE in its dist-info; it is found and identified."""
    version = importlib.metadata.version("pytest")
    evidence = real_environment.lookup(_component("pytest", version))
    assert evidence is not None and evidence.text_match is not None
    assert evidence.text_match.spdx_id == "MIT"
    assert any(path.endswith("LICENSE") for path in evidence.license_files)


# --- environments built for the edge cases -----------------------------------------------


def _metadata(name: str, version: str, *headers: str) -> str:
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}", *headers]
    return "\n".join(lines) + "\n\nThe long description, which may mention License: GPL.\n"


def _dist(site: Path, folder: str, metadata: str, files: dict[str, str] | None = None) -> Path:
    path = site / folder
    path.mkdir(parents=True)
    (path / ("PKG-INFO" if folder.endswith(".egg-info") else "METADATA")).write_text(metadata, encoding="utf-8")
    for relative, text in (files or {}).items():
        (path / relative).parent.mkdir(parents=True, exist_ok=True)
        (path / relative).write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a .venv, a Windows-style venv, a tox env and an env under another name."""
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    site = venv / "lib" / "python3.12" / "site-packages"
    mit = texts.MIT.format(holder=texts.HOLDERS[0])
    _dist(site, "Requests-2.31.0.dist-info", _metadata("requests", "2.31.0", "License-Expression: Apache-2.0", "License-File: LICENSE"), {"licenses/LICENSE": "see NOTICE\n"})
    whole = "Copyright (c) 2010 Some One\n        \n        Permission is hereby granted, free of charge, to any person\n" + "        obtaining a copy of this software..."
    _dist(site, "old_thing-0.9.dist-info", _metadata("Old.Thing", "0.9", f"License: {whole}", "Classifier: License :: OSI Approved :: MIT License", "Classifier: Programming Language :: Python"))
    _dist(site, "vague-1.0.dist-info", _metadata("vague", "1.0", "License: UNKNOWN"), {"LICENSE.txt": mit, "NOTICE": "Vague includes code by others.\n"})
    _dist(site, "bare-1.0.dist-info", _metadata("bare", "1.0"))
    _dist(site, "legacy-3.0.egg-info", _metadata("legacy", "3.0", "License: BSD"), {"COPYING": texts.BSD_3_CLAUSE.format(holder=texts.HOLDERS[1])})
    (site / "distutils_pkg-1.2.egg-info").write_text(_metadata("distutils-pkg", "1.2", "License: ISC"))
    broken = site / "broken-1.0.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_bytes(b"Name: broken\x00\x00")
    windows = tmp_path / "tools" / "winenv" / "Lib" / "site-packages"
    windows.mkdir(parents=True)
    (tmp_path / "tools" / "winenv" / "pyvenv.cfg").write_text("home = C:\\Python312\n")
    _dist(windows, "colorama-0.4.6.dist-info", _metadata("colorama", "0.4.6", "License-Expression: BSD-3-Clause"))
    tox = tmp_path / ".tox" / "py312"
    (tox / "lib" / "python3.12" / "site-packages").mkdir(parents=True)
    (tox / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _dist(tox / "lib" / "python3.12" / "site-packages", "requests-2.30.0.dist-info", _metadata("requests", "2.30.0", "License: Apache 2.0"))
    hidden = tmp_path / "node_modules" / "pkg" / "venv"  # never walked into
    (hidden / "lib" / "python3.12" / "site-packages").mkdir(parents=True)
    (hidden / "pyvenv.cfg").write_text("")
    return tmp_path


def test_environments_inside_the_tree_are_found(project: Path) -> None:
    assert [path.relative_to(project).as_posix() for path in find_environments(project)] == [".tox/py312", ".venv", "tools/winenv"]
    envs = PythonEnvironments.discover(project)
    assert [envs._show(folder) for folder in envs.site_folders] == [
        ".tox/py312/lib/python3.12/site-packages",
        ".venv/lib/python3.12/site-packages",
        "tools/winenv/Lib/site-packages",
    ]
    assert envs.notes == (".venv/lib/python3.12/site-packages/broken-1.0.dist-info/METADATA: skipped (binary file (contains NUL bytes), not a text manifest)",)


def test_license_expression_and_license_files(project: Path) -> None:
    evidence = PythonEnvironments.discover(project).lookup(_component("requests", "2.31.0"))
    assert evidence is not None
    assert evidence.declared == ("Apache-2.0",)
    assert evidence.source == ".venv/lib/python3.12/site-packages/Requests-2.31.0.dist-info/METADATA: License-Expression"
    assert evidence.license_files == (".venv/lib/python3.12/site-packages/Requests-2.31.0.dist-info/licenses/LICENSE",)
    assert evidence.text_match is not None and evidence.text_match.spdx_id is None


def test_a_whole_license_text_in_the_license_field_keeps_its_first_line_and_is_identified(project: Path) -> None:
    evidence = PythonEnvironments.discover(project).lookup(_component("old-thing", "0.9"))
    assert evidence is not None
    assert evidence.declared == ("Copyright (c) 2010 Some One", "License :: OSI Approved :: MIT License")
    assert evidence.source.endswith("METADATA: License, Classifier")
    assert [source.rsplit(": ", 1)[1] for source in evidence.declared_sources] == ["License", "Classifier"]
    assert any(note.startswith("License field holds a whole text (3 lines") for note in evidence.notes)
    assert evidence.text_match is not None and evidence.text_match.path is not None
    assert evidence.text_match.path.endswith("METADATA: License")


def test_unknown_placeholder_is_ignored_and_the_license_file_speaks(project: Path) -> None:
    evidence = PythonEnvironments.discover(project).lookup(_component("vague", "1.0"))
    assert evidence is not None
    assert evidence.declared == ()
    assert evidence.source.endswith("METADATA: no license field")
    assert [Path(path).name for path in evidence.license_files] == ["LICENSE.txt", "NOTICE"]
    assert evidence.text_match is not None and evidence.text_match.spdx_id == "MIT"
    assert "License field is UNKNOWN (an old setuptools placeholder): ignored" in evidence.notes


def test_egg_info_folders_and_files(project: Path) -> None:
    envs = PythonEnvironments.discover(project)
    legacy = envs.lookup(_component("legacy", "3.0"))
    assert legacy is not None and legacy.declared == ("BSD",)
    assert legacy.text_match is not None and legacy.text_match.spdx_id == "BSD-3-Clause"
    distutils = envs.lookup(_component("Distutils_Pkg", "1.2"))
    assert distutils is not None and distutils.declared == ("ISC",)
    assert distutils.source == ".venv/lib/python3.12/site-packages/distutils_pkg-1.2.egg-info: License"


def test_only_the_same_version_is_evidence(project: Path) -> None:
    envs = PythonEnvironments.discover(project)
    assert envs.lookup(_component("requests", "2.31")) is not None  # the same version, as PEP 440 compares
    tox = envs.lookup(_component("requests", "2.30.0"))
    assert tox is not None and tox.declared == ("Apache 2.0",)
    assert envs.why_missing(_component("requests", "2.32.0")) == "installed versions 2.30.0, 2.31.0 differ from the scanned version 2.32.0 (.tox/py312/lib/python3.12/site-packages/requests-2.30.0.dist-info)"


def test_a_component_without_version_takes_the_only_installed_one(project: Path) -> None:
    envs = PythonEnvironments.discover(project)
    colorama = envs.lookup(_component("colorama", None))
    assert colorama is not None and colorama.notes == ("the component pins no version; the installed version 0.4.6 was used",)
    assert envs.lookup(_component("requests", None)) is None
    assert envs.why_missing(_component("requests", None)) == "the component pins no version and several are installed (2.30.0, 2.31.0) (.tox/py312/lib/python3.12/site-packages/requests-2.30.0.dist-info)"


def test_reasons_when_nothing_is_found(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    envs = PythonEnvironments.discover(project)
    assert envs.why_missing(_component("flask", "3.0.0")) == (
        "not installed in the Python environments found (.tox/py312/lib/python3.12/site-packages, "
        ".venv/lib/python3.12/site-packages, tools/winenv/Lib/site-packages)"
    )
    assert envs.why_missing(_component("bare", "1.0")) == ".venv/lib/python3.12/site-packages/bare-1.0.dist-info declares no license and ships no license file"
    assert envs.lookup(_component("bare", "1.0")) is None
    assert envs.lookup(_component("left-pad", "1.3.0", Ecosystem.NPM)) is None
    assert envs.why_missing(_component("left-pad", "1.3.0", Ecosystem.NPM)) is None
    nothing = PythonEnvironments.discover(tmp_path_factory.mktemp("no-env"))
    assert nothing.why_missing(_component("flask", "3.0.0")) == "no Python environment found in the scanned tree or given with --python-env"


def test_user_environments_root_or_site_folder(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    site = outside / "env" / "lib" / "python3.11" / "site-packages"
    _dist(site, "attrs-23.1.0.dist-info", _metadata("attrs", "23.1.0", "License-Expression: MIT"))
    assert user_site_folders(outside / "env") == [site]
    assert user_site_folders(site) == [site]
    for given in (outside / "env", site):
        envs = PythonEnvironments.discover(project, [given])
        evidence = envs.lookup(_component("attrs", "23.1.0"))
        assert evidence is not None and evidence.source == f"{site.as_posix()}/attrs-23.1.0.dist-info/METADATA: License-Expression"
    missing = PythonEnvironments.discover(project, [outside / "nope"])
    assert missing.notes[0] == f"{(outside / 'nope')}: no site-packages found (not an environment root nor a site-packages folder)"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_site_packages_leading_out_of_the_tree_is_not_read(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside-site")
    _dist(outside, "secret-1.0.dist-info", _metadata("secret", "1.0", "License: MIT"))
    venv = tmp_path / "venv"
    (venv / "lib" / "python3.12").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("")
    (venv / "lib" / "python3.12" / "site-packages").symlink_to(outside, target_is_directory=True)
    envs = PythonEnvironments.discover(tmp_path)
    assert envs.site_folders == ()
    assert envs.lookup(_component("secret", "1.0")) is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_inside_an_installation_are_not_followed(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside-dist")
    foreign = _dist(outside, "foreign-1.0.dist-info", _metadata("foreign", "1.0", "License: MIT"))
    (outside / "secret.txt").write_text(texts.MIT.format(holder=texts.HOLDERS[0]))
    venv = tmp_path / ".venv"
    site = venv / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("")
    (site / "foreign-1.0.dist-info").symlink_to(foreign, target_is_directory=True)
    linked = site / "linked-1.0.dist-info"
    linked.mkdir()
    (linked / "METADATA").symlink_to(foreign / "METADATA")
    _dist(site, "own-1.0.dist-info", _metadata("own", "1.0", "License: MIT", "License-File: LICENSE"))
    (site / "own-1.0.dist-info" / "LICENSE").symlink_to(outside / "secret.txt")
    envs = PythonEnvironments.discover(tmp_path)
    assert [dist.name for dist in envs.distributions] == ["own"]
    assert envs.notes == (
        ".venv/lib/python3.12/site-packages/foreign-1.0.dist-info: skipped (a symlink; installations are never followed out of their folder)",
        ".venv/lib/python3.12/site-packages/linked-1.0.dist-info/METADATA: skipped (a symlink; installations are never followed out of their folder)",
    )
    own = envs.lookup(_component("own", "1.0"))
    refused = ".venv/lib/python3.12/site-packages/own-1.0.dist-info/LICENSE: not read (a symlink leading out of the scanned tree)"
    assert own is not None and own.license_files == () and own.license_paths == ()
    assert own.text_match is not None and own.text_match.spdx_id is None and own.text_match.reason == refused
    assert own.notes == (refused,)


def test_a_version_past_the_int_digit_limit_is_compared_as_text() -> None:
    from ospo_scan.licenses.local_python import same_version

    huge = "1." + "9" * 5000
    assert same_version(huge, huge) and not same_version(huge, "1.0")
