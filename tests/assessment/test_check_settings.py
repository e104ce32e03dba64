"""Custom checks from the settings file: added, replacing a built-in one, disabled, and
every mistake a ConfigError naming the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.assessment.check_settings import checks_in_force
from ospo_scan.assessment.checks import BUILT_IN_CHECKS, BUILT_IN_IDS
from ospo_scan.assessment.model import CheckSeverity
from ospo_scan.config import ConfigError, load_settings_file

ADDED = '''
[[assessment.checks]]
id = "readme-license-section"
description = "the README says under which license the code is"
files = ["README"]
locations = ["."]
contains = "(?im)^#+ *licen[cs]e"
when-licenses = ["apache-2.0"]
severity = "optional"
'''


def _checks(tmp_path: Path, text: str, name: str = ".ospo-scan.toml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return checks_in_force(load_settings_file(path))


def test_without_settings_the_built_in_checks_are_in_force(tmp_path: Path) -> None:
    assert checks_in_force(None) == BUILT_IN_CHECKS
    assert _checks(tmp_path, "[criticality]\n") == BUILT_IN_CHECKS


def test_a_custom_check_is_added_after_the_built_in_ones(tmp_path: Path) -> None:
    checks = _checks(tmp_path, ADDED)
    assert checks[: len(BUILT_IN_CHECKS)] == BUILT_IN_CHECKS
    [custom] = checks[len(BUILT_IN_CHECKS) :]
    assert (custom.id, custom.files, custom.locations, custom.contains) == ("readme-license-section", ("README",), (".",), "(?im)^#+ *licen[cs]e")
    assert (custom.when_licenses, custom.severity, custom.source) == (("Apache-2.0",), CheckSeverity.OPTIONAL, str(tmp_path / ".ospo-scan.toml"))


def test_defaults_of_a_custom_check(tmp_path: Path) -> None:
    [custom] = _checks(tmp_path, '[[assessment.checks]]\nid = "adr"\nfiles = ["ARCHITECTURE"]\n')[len(BUILT_IN_CHECKS) :]
    assert custom.locations == (".", "docs", ".github") and custom.severity is CheckSeverity.RECOMMENDED
    assert custom.contains is None and custom.when_licenses == () and custom.description


def test_a_custom_check_with_a_built_in_id_replaces_it_where_it_stands(tmp_path: Path) -> None:
    text = '[[assessment.checks]]\nid = "changelog"\nfiles = ["CHANGELOG"]\nlocations = ["./docs/"]\nseverity = "required"\n'
    checks = _checks(tmp_path, text)
    assert [c.id for c in checks] == list(BUILT_IN_IDS)
    replaced = checks[BUILT_IN_IDS.index("changelog")]
    assert (replaced.files, replaced.locations, replaced.severity, replaced.source) == (("CHANGELOG",), ("docs",), CheckSeverity.REQUIRED, str(tmp_path / ".ospo-scan.toml"))


def test_built_in_checks_can_be_disabled(tmp_path: Path) -> None:
    checks = _checks(tmp_path, '[assessment]\ndisable = ["changelog", "code-of-conduct"]\n')
    assert [c.id for c in checks] == [i for i in BUILT_IN_IDS if i not in ("changelog", "code-of-conduct")]


def test_pyproject_tool_table_holds_them_too(tmp_path: Path) -> None:
    text = "[project]\nname = 'x'\n" + ADDED.replace("[[assessment.checks]]", "[[tool.ospo-scan.assessment.checks]]")
    assert _checks(tmp_path, text, "pyproject.toml")[-1].id == "readme-license-section"


def _one(fields: str) -> str:
    return f'[[assessment.checks]]\nid = "x"\nfiles = ["README"]\n{fields}\n'


ERRORS = [
    (_one('contains = "([unclosed"'), "assessment.checks[0].contains", "not a valid regular expression"),
    (_one('colour = "red"'), "assessment.checks[0].colour", "unknown key"),
    ('[assessment]\nchecks = []\nlimit = 3\n', "assessment.limit", "unknown key"),
    (_one('severity = "blocker"'), "assessment.checks[0].severity", "must be one of required, recommended, optional"),
    (_one('when-licenses = ["Not-A-License"]'), "assessment.checks[0].when-licenses[0]", "unknown license id"),
    (_one('when-licenses = ["MIT OR Apache-2.0"]'), "assessment.checks[0].when-licenses[0]", "one SPDX license id"),
    (_one('locations = ["../elsewhere"]'), "assessment.checks[0].locations[0]", "a folder inside the repository"),
    (_one('locations = ["/etc"]'), "assessment.checks[0].locations[0]", "a folder inside the repository"),
    (_one('locations = []'), "assessment.checks[0].locations", "must not be empty"),
    ('[[assessment.checks]]\nid = "x"\n', "assessment.checks[0].files", "is required"),
    ('[[assessment.checks]]\nfiles = ["README"]\n', "assessment.checks[0].id", "is required"),
    (_one('files = ["docs/README"]').replace('files = ["README"]\n', ""), "assessment.checks[0].files[0]", "a file name, not a path"),
    (_one("contains = 3"), "assessment.checks[0].contains", "must be a regular expression"),
    (_one("") + _one(""), "assessment.checks[1].id", "the id of an earlier check"),
    ('[assessment]\ndisable = ["readme", "nope"]\n', "assessment.disable[1]", "no built-in check has the id 'nope'"),
    ('[assessment]\ndisable = "readme"\n', "assessment.disable", "must be an array of non-empty strings"),
    ('[assessment]\ndisable = ["readme"]\n[[assessment.checks]]\nid = "readme"\nfiles = ["README"]\n', "assessment.disable[0]", "both disabled and defined"),
    ('assessment = 3\n', "assessment", "must be a table"),
    ('[assessment]\nchecks = {id = "x"}\n', "assessment.checks", "must be an array of tables"),
]


@pytest.mark.parametrize(("text", "key_path", "problem"), ERRORS)
def test_mistakes_name_the_file_and_the_key_path(tmp_path: Path, text: str, key_path: str, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _checks(tmp_path, text)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / '.ospo-scan.toml'}: {key_path}: "), message
    assert problem in message


def test_mistakes_in_pyproject_carry_the_tool_prefix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool\.ospo-scan\.assessment\.checks\[0\]\.contains: "):
        _checks(tmp_path, "[project]\nname = 'x'\n" + _one('contains = "("').replace("[[assessment.checks]]", "[[tool.ospo-scan.assessment.checks]]"), "pyproject.toml")
