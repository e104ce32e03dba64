"""Policy files: the minimal form as written, extends, and errors that name file and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ospo_scan.config import ConfigError, load_settings_file
from ospo_scan.model import Lifecycle
from ospo_scan.policy import RuleKind, RuleSeverity, load_policy

MINIMAL = '''
[[rules]]
id = "no-copyleft-in-production"
deny-categories = ["strong-copyleft", "network-copyleft"]
scopes = ["runtime"]
severity = "error"

[[exceptions]]
purl = "pkg:npm/some-package"
reason = "approved by legal, ticket 123"
expires = 2027-06-30
'''


def _load(tmp_path: Path, text: str, name: str = ".ospo-scan.toml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_policy(load_settings_file(path))


def test_the_minimal_form_works_exactly_as_written(tmp_path: Path) -> None:
    policy = _load(tmp_path, MINIMAL)
    [rule] = policy.rules
    assert (rule.id, rule.kind, rule.severity) == ("no-copyleft-in-production", RuleKind.DENY_CATEGORIES, RuleSeverity.ERROR)
    assert rule.categories == {"strong-copyleft", "network-copyleft"} and rule.scopes == {Lifecycle.RUNTIME}
    [exception] = policy.exceptions
    assert (exception.purl, exception.expires) == ("pkg:npm/some-package", date(2027, 6, 30))
    assert policy.files[0].path == str(tmp_path / ".ospo-scan.toml") and len(policy.files[0].sha256) == 64


def test_pyproject_tool_table_holds_a_policy_too(tmp_path: Path) -> None:
    text = MINIMAL.replace("[[rules]]", "[[tool.ospo-scan.rules]]").replace("[[exceptions]]", "[[tool.ospo-scan.exceptions]]")
    policy = _load(tmp_path, "[project]\nname = 'x'\n" + text, name="pyproject.toml")
    assert [r.id for r in policy.rules] == ["no-copyleft-in-production"]


ERRORS = [
    ('[[rules]]\nid = "a"\ndeny-categories = ["copyleft"]\n', "rules[0].deny-categories[0]: unknown category 'copyleft'"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT", "Not-A-License"]\n', "rules[0].deny-licenses[1]: 'Not-A-License' is not an SPDX license id"),
    ('[[rules]]\nid = "a"\ndeny-licenses = "MIT"\n', "rules[0].deny-licenses: must be an array of non-empty strings"),
    ('[[rules]]\nid = "a"\n', "rules[0]: needs exactly one of allow-licenses"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\nallow-licenses = ["MIT"]\n', "found: allow-licenses, deny-licenses"),
    ('[[rules]]\ndeny-licenses = ["MIT"]\n', "rules[0].id: is required"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\nseverity = "fatal"\n', "rules[0].severity: must be one of error, warning, review"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\nscopes = ["prod"]\n', "rules[0].scopes[0]: unknown lifecycle 'prod'"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\nlicence = 1\n', "rules[0].licence: unknown key"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\n[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\n', "rules[1].id: 'a' is the id of an earlier rule"),
    ('[[rules]]\nid = "a"\ndeny-unknown-licenses = "yes"\n', "rules[0].deny-unknown-licenses: must be true"),
    ('[[rules]]\nid = "a"\ndeny-licenses = ["MIT"]\ninclude-optional = 1\n', "rules[0].include-optional: must be true or false"),
    ('rules = 3\n', "rules: must be an array of tables"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\n', "exceptions[0].reason: is required"),
    ('[[exceptions]]\npurl = "left-pad"\nreason = "r"\n', "exceptions[0].purl: 'left-pad' is not a package URL pattern"),
    ('[[exceptions]]\npurl = "pkg:cargo/x"\nreason = "r"\n', "ospo-scan reads no 'cargo' packages"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\nreason = "r"\nversions = "^^^"\n', "exceptions[0].versions: '^^^' is not a npm version range"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\nreason = "r"\nexpires = "soon"\n', "exceptions[0].expires: must be a date such as 2027-06-30"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\nreason = "r"\nlicense = "MIT OR"\n', "exceptions[0].license: 'MIT OR'"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\nreason = "r"\nrules = ["nope"]\n', "exceptions[0].rules[0]: no rule has the id 'nope'"),
    ('[[exceptions]]\npurl = "pkg:npm/x"\nreason = "r"\nowner = "me"\n', "exceptions[0].owner: unknown key"),
    ('first-party = ["@acme/*", 3]\n', "first-party: must be an array of non-empty strings"),
    ('extends = "https://policies.example/central.toml"\n', "extends: 'https://policies.example/central.toml': only local paths are read"),
    ('extends = "missing.toml"\n', "extends: 'missing.toml': no such file"),
    ('polcy = 1\n', "polcy: unknown key"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS, ids=[m.split(":")[0] + "-" + str(i) for i, (_, m) in enumerate(ERRORS)])
def test_errors_name_the_file_the_key_path_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, text)
    assert str(raised.value).startswith(str(tmp_path / ".ospo-scan.toml") + ": ")
    assert message in str(raised.value)


def test_extends_merges_the_central_policy_and_local_rules_replace_by_id(tmp_path: Path) -> None:
    central = tmp_path / "central"
    central.mkdir()
    (central / "policy.toml").write_text(
        'first-party = ["@acme/*"]\n'
        '[[rules]]\nid = "no-gpl"\ndeny-licenses = ["GPL-2.0-or-later"]\n'
        '[[rules]]\nid = "known"\ndeny-unknown-licenses = true\nseverity = "review"\n'
        '[[exceptions]]\npurl = "pkg:npm/a"\nreason = "central"\n'
    )
    policy = _load(tmp_path, 'extends = "central/policy.toml"\nfirst-party = ["com.acme:*"]\n'
                   '[[rules]]\nid = "known"\ndeny-unknown-licenses = true\nseverity = "error"\n'
                   '[[exceptions]]\npurl = "pkg:npm/b"\nreason = "local"\n')
    assert [(r.id, r.severity.value) for r in policy.rules] == [("no-gpl", "error"), ("known", "error")]
    assert [e.purl for e in policy.exceptions] == ["pkg:npm/a", "pkg:npm/b"]
    assert policy.first_party == ("@acme/*", "com.acme:*")
    assert [Path(f.path).name for f in policy.files] == [".ospo-scan.toml", "policy.toml"]


def test_an_extends_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = ".ospo-scan.toml"\n')
    with pytest.raises(ConfigError, match="extends itself"):
        _load(tmp_path, 'extends = "a.toml"\n')


def test_an_error_in_the_extended_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "central.toml").write_text('[[rules]]\nid = "x"\ndeny-categories = ["bad"]\n')
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, 'extends = "central.toml"\n')
    assert str(raised.value).startswith(str(tmp_path / "central.toml") + ": rules[0].deny-categories[0]")


def test_the_shipped_example_policy_loads_and_its_exception_applies_to_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    from ospo_scan.policy import evaluate
    from ospo_scan.scan import scan

    repository = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(repository)
    policy = load_policy(load_settings_file(Path("examples/policy.toml")))
    outcome = evaluate(scan([Path("examples/polyglot-shop")]), policy, date(2026, 12, 3))
    assert not outcome.failed
    assert [s.violation.package for s in outcome.silenced] == ["pkg:pypi/psycopg"]
