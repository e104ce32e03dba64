"""`ospo-scan check`: exit codes and their precedence, baselines, and what a violation says."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app

runner = CliRunner()

POLICY = '''
[[rules]]
id = "no-copyleft-in-production"
deny-categories = ["strong-copyleft", "network-copyleft"]
scopes = ["runtime"]
severity = "error"
'''


def _write_npm_project(root: Path, runtime: dict[str, str], dev: dict[str, str] | None = None) -> None:
    """package.json + package-lock.json v3 with each package's license (name -> license)."""
    dev = dev or {}
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "app", "version": "1.0.0", "license": "MIT",
                "dependencies": {name: "^1.0.0" for name in runtime}, "devDependencies": {name: "^1.0.0" for name in dev}}
    packages: dict[str, dict[str, object]] = {"": {"name": "app", "version": "1.0.0", "license": "MIT",
                                                   "dependencies": manifest["dependencies"], "devDependencies": manifest["devDependencies"]}}
    for name, license in runtime.items():
        packages[f"node_modules/{name}"] = {"version": "1.0.0", "resolved": f"https://registry.npm.example/{name}/-/{name}-1.0.0.tgz", "license": license}
    for name, license in dev.items():
        packages[f"node_modules/{name}"] = {"version": "1.0.0", "resolved": f"https://registry.npm.example/{name}/-/{name}-1.0.0.tgz", "license": license, "dev": True}
    (root / "package.json").write_text(json.dumps(manifest, indent=2))
    (root / "package-lock.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": packages}, indent=2))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _write_npm_project(root, {"gpl-lib": "GPL-3.0-only", "mit-lib": "MIT"}, {"gpl-dev-tool": "GPL-3.0-only"})
    (root / ".ospo-scan.toml").write_text(POLICY)
    return root


def _check(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_a_runtime_copyleft_dependency_fails_and_a_development_one_does_not(repo: Path) -> None:
    code, _, stderr = _check(str(repo))
    assert code == 1
    assert "gpl-lib@1.0.0" in stderr and "gpl-dev-tool" not in stderr
    assert "package.json:" in stderr and "runtime" in stderr and "no-copyleft-in-production" in stderr
    assert 'purl = "pkg:npm/gpl-lib"' in stderr, "the exception that would silence it is ready to paste"


def test_the_pasted_exception_silences_it(repo: Path) -> None:
    (repo / ".ospo-scan.toml").write_text(POLICY + '\n[[exceptions]]\npurl = "pkg:npm/gpl-lib"\nlicense = "GPL-3.0-only"\nreason = "legal said yes, OSPO-7"\n')
    code, _, stderr = _check(str(repo))
    assert code == 0, stderr
    assert "1 violation silenced by exceptions" in stderr


def test_no_policy_is_a_usage_error_not_a_pass(tmp_path: Path) -> None:
    _write_npm_project(tmp_path / "bare", {"mit-lib": "MIT"})
    code, _, stderr = _check(str(tmp_path / "bare"))
    assert code == 2 and "no policy found" in stderr


def test_a_broken_policy_is_exit_2_with_the_key_path(repo: Path) -> None:
    (repo / ".ospo-scan.toml").write_text(POLICY.replace('"runtime"', '"prod"'))
    code, _, stderr = _check(str(repo))
    assert code == 2 and "rules[0].scopes[0]: unknown lifecycle 'prod'" in stderr and "Traceback" not in stderr


def test_an_incomplete_scan_is_exit_3_unless_partial_scans_are_allowed(repo: Path, tmp_path: Path) -> None:
    (repo / "broken").mkdir()
    (repo / "broken" / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {')
    code, _, stderr = _check(str(repo), "-f", "json", "-o", str(tmp_path / "report.json"))
    assert code == 3 and "incomplete" in stderr
    assert json.loads((tmp_path / "report.json").read_text())["status"] == "incomplete", "the report is written for exit 3"
    assert _check(str(repo), "--allow-partial")[0] == 1


def test_a_policy_error_wins_over_an_incomplete_scan(repo: Path) -> None:
    (repo / "broken").mkdir()
    (repo / "broken" / "package-lock.json").write_text("{")
    (repo / ".ospo-scan.toml").write_text("[[rules]]\nid = 'x'\n")
    assert _check(str(repo))[0] == 2


def test_reports_carry_the_policy_files_and_their_digest(repo: Path, tmp_path: Path) -> None:
    code, _, _ = _check(str(repo), "-f", "json", "-o", str(tmp_path / "report.json"))
    document = json.loads((tmp_path / "report.json").read_text())
    assert code == 1 and document["policy"]["failed"] is True
    [policy_file] = document["policy"]["files"]
    assert policy_file["sha256"] == hashlib.sha256((repo / ".ospo-scan.toml").read_bytes()).hexdigest()
    assert [v["component"] for v in document["policy"]["violations"]] == ["pkg:npm/gpl-lib@1.0.0"]


def test_a_baseline_lets_old_violations_pass_and_fails_new_ones(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert _check(str(repo), "-f", "json", "-o", str(baseline))[0] == 1
    assert _check(str(repo), "--baseline", str(baseline))[0] == 0, "the existing violation is in the baseline"
    _write_npm_project(repo, {"other-lib": "MIT", "mit-lib": "MIT", "gpl-lib": "GPL-3.0-only"}, {"gpl-dev-tool": "GPL-3.0-only"})
    assert _check(str(repo), "--baseline", str(baseline))[0] == 0, "lines moved and a package was added: still the same violation"
    _write_npm_project(repo, {"gpl-lib": "GPL-3.0-only", "agpl-lib": "AGPL-3.0-only"})
    code, _, stderr = _check(str(repo), "--baseline", str(baseline))
    assert code == 1 and "agpl-lib" in stderr and ": gpl-lib@1.0.0 is" not in stderr


def test_baseline_strict_fails_when_the_baseline_is_out_of_date(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    _check(str(repo), "-f", "json", "-o", str(baseline))
    _write_npm_project(repo, {"mit-lib": "MIT"})
    assert _check(str(repo), "--baseline", str(baseline))[0] == 0
    code, _, stderr = _check(str(repo), "--baseline", str(baseline), "--baseline-strict")
    assert code == 1 and "refresh the baseline" in stderr


def test_a_baseline_without_policy_results_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    _write_npm_project(tmp_path / "unjudged", {"mit-lib": "MIT"})
    runner.invoke(app, ["scan", str(tmp_path / "unjudged"), "-f", "json", "-o", str(plain)])
    code, _, stderr = _check(str(repo), "--baseline", str(plain))
    assert code == 2 and "has no policy results" in stderr


def test_scan_with_policy_gates_like_check(repo: Path, tmp_path: Path) -> None:
    (repo / ".ospo-scan.toml").unlink()
    policy = tmp_path / "central.toml"
    policy.write_text(POLICY)
    assert runner.invoke(app, ["scan", str(repo), "--policy", str(policy)]).exit_code == 1
    assert runner.invoke(app, ["scan", str(repo)]).exit_code == 0, "without --policy, scan reports and never gates"


def test_scan_reports_the_folder_policy_without_gating(repo: Path) -> None:
    result = runner.invoke(app, ["scan", str(repo), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["policy"]["failed"] is True
