"""CI gates per repository: which CI definitions run which scanner, at which line.

Repositories are built in tmp_path by each test, named after the case. Line numbers are
worked out from the fixture text (the index of the line that runs the tool), never typed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.assessment.ci_gates import CI_FILES, MAX_CI_FILE_SIZE, SCANNERS, ci_gates, scanners_in
from ospo_scan.assessment.model import CiGate


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    """The 1-based number of the first line holding `fragment`."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


OSPO_WORKFLOW = """\
name: licenses
on: [pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # The gate: fails the pull request on a denied license.
      - run: pipx run ospo-scan check .
"""

SBOM_WORKFLOW = """\
name: sbom
on: push
jobs:
  sbom:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: SBOM
        run: syft dir:. -o cyclonedx-json > sbom.json
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          scan-type: fs
      - run: syft packages . -o spdx-json
"""

GITLAB_CI = """\
stages: [lint]
include:
  - template: Security/SAST.gitlab-ci.yml
reuse:
  stage: lint
  image: fsfe/reuse:latest
  script:
    - reuse --root . lint
"""

JENKINSFILE = """\
pipeline {
  agent any
  stages {
    stage('Licenses') {
      steps {
        // sh 'trivy fs .'  (switched off)
        sh 'scancode -clpieu --json-pp scan.json src'
      }
    }
  }
}
"""


def test_github_workflow_running_ospo_scan_with_its_line(tmp_path: Path) -> None:
    _write(tmp_path / ".github/workflows/licenses.yml", OSPO_WORKFLOW)
    assert ci_gates(tmp_path) == (
        (CiGate(path=".github/workflows/licenses.yml", tool="ospo-scan", line=_line_of(OSPO_WORKFLOW, "pipx run ospo-scan")),),
        (),
    )


def test_github_workflow_running_syft_and_trivy_first_line_each(tmp_path: Path) -> None:
    _write(tmp_path / ".github/workflows/sbom.yaml", SBOM_WORKFLOW)
    gates, errors = ci_gates(tmp_path)
    path = ".github/workflows/sbom.yaml"
    # `-o cyclonedx-json` is syft's output format, not the CycloneDX tool.
    assert gates == (
        CiGate(path=path, tool="syft", line=_line_of(SBOM_WORKFLOW, "syft dir:")),
        CiGate(path=path, tool="trivy", line=_line_of(SBOM_WORKFLOW, "trivy-action")),
    )
    assert errors == ()


def test_gitlab_ci_running_reuse_lint(tmp_path: Path) -> None:
    _write(tmp_path / ".gitlab-ci.yml", GITLAB_CI)
    assert ci_gates(tmp_path) == ((CiGate(path=".gitlab-ci.yml", tool="reuse", line=_line_of(GITLAB_CI, "reuse --root")),), ())


def test_jenkinsfile_running_scancode_with_a_groovy_comment_not_counted(tmp_path: Path) -> None:
    _write(tmp_path / "Jenkinsfile", JENKINSFILE)
    assert ci_gates(tmp_path) == ((CiGate(path="Jenkinsfile", tool="scancode", line=_line_of(JENKINSFILE, "sh 'scancode")),), ())


def test_commented_out_commands_do_not_count(tmp_path: Path) -> None:
    text = "steps:\n  # - run: grype dir:.\n#trivy fs .\n  - run: make test  # TODO: fossa analyze\n  - run: echo done\n"
    _write(tmp_path / ".github/workflows/ci.yml", text)
    assert ci_gates(tmp_path) == ((), ())


def test_ort_inside_other_words_is_not_ort(tmp_path: Path) -> None:
    text = "script:\n  - sort -u deps.txt\n  - python -c 'import json'\n  - make report\n  - ./export scan\n  - cd ort && ls\n"
    _write(tmp_path / ".travis.yml", text)
    assert ci_gates(tmp_path) == ((), ())


ONE_LINE_CASES: list[tuple[str, str]] = [
    ("pipx run ospo-scan check .", "ospo-scan"),
    ("python -m ospo_scan scan . --format json", "ospo-scan"),
    ("syft dir:. -o spdx-json", "syft"),
    ("uses: anchore/sbom-action@v0", "syft"),
    ("SYFT packages .", "syft"),
    ("grype dir:.", "grype"),
    ("uses: anchore/scan-action@v3", "grype"),
    ("uses: aquasecurity/trivy-action@0.28.0", "trivy"),
    ("scancode -clpieu --json-pp out.json .", "scancode"),
    ("fossa analyze", "fossa"),
    ("licensee detect .", "licensee"),
    ("license_finder --decisions-file doc/dependency_decisions.yml", "license_finder"),
    ("bundle exec licensed status", "licensed"),
    ("ort --info analyze -i . -o out", "ort"),
    ("ort -P ort.analyzer.allowDynamicVersions=true analyze -i .", "ort"),
    ("image: ghcr.io/oss-review-toolkit/ort:latest", "ort"),
    ("uses: oss-review-toolkit/ort-ci-github-action@v1", "ort"),
    ("reuse lint", "reuse"),
    ("uses: fsfe/reuse-action@v4", "reuse"),
    ("uses: apache/skywalking-eyes/header@main", "skywalking-eyes"),
    ("uses: google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml@v1", "osv-scanner"),
    ("uses: pypa/gh-action-pip-audit@v1.0.8", "pip-audit"),
    ("python -m pip_audit -r requirements.txt", "pip-audit"),
    ("safety check -r requirements.txt", "safety"),
    ("npm audit --audit-level=high", "npm-audit"),
    ("cargo deny check licenses", "cargo-deny"),
    ("cargo audit", "cargo-audit"),
    ("govulncheck ./...", "govulncheck"),
    ("./dependency-check.sh --project x --scan .", "dependency-check"),
    ("snyk test --all-projects", "snyk"),
    ("npx @cyclonedx/cyclonedx-npm --output-file bom.json", "cyclonedx"),
    ("cyclonedx-py environment > bom.json", "cyclonedx"),
    ("mvn org.cyclonedx:cyclonedx-maven-plugin:makeAggregateBom", "cyclonedx"),
    ("uses: actions/dependency-review-action@v4", "dependency-review"),
    ("uses: ossf/scorecard-action@v2.3.1", "scorecard"),
]
"""(a CI line, the one tool it runs): every tool of SCANNERS at least once."""


@pytest.mark.parametrize(("line", "tool"), ONE_LINE_CASES)
def test_one_line_names_one_tool(line: str, tool: str) -> None:
    assert scanners_in(f"steps:\n  - run: {line}\n") == {tool: 2}


@pytest.mark.parametrize(
    ("line", "tools"),
    [
        ("reuse the cache from the previous job", set()),
        ("pip install -r requirements.txt  # pip-audit later", set()),
        ("syft . -o cyclonedx-json", {"syft"}),  # cyclonedx is syft's output format here
        ("trivy fs --format cyclonedx .", {"trivy"}),
        ("paths: ['.ospo-scan.toml']", set()),  # a path filter naming the settings file runs nothing
        ("uses: github/codeql-action/analyze@v3", set()),  # CodeQL is no license or open-source scanner
        ("pnpm run build && ./report scan", set()),
        ("curl -O https://example.invalid/a#part && grype .", {"grype"}),  # a `#` inside a word starts no comment
    ],
)
def test_lines_that_run_no_scanner_or_another_than_it_seems(line: str, tools: set[str]) -> None:
    assert set(scanners_in(f"- run: {line}\n")) == tools


def test_every_tool_of_the_table_has_a_case() -> None:
    """A tool added to SCANNERS without a detection case fails here."""
    assert {tool for _, tool in ONE_LINE_CASES} == set(SCANNERS)


def test_every_ci_system_file_is_read(tmp_path: Path) -> None:
    for relative in CI_FILES:
        _write(tmp_path / relative, "\n\n  trivy fs .\n")
    gates, errors = ci_gates(tmp_path)
    assert gates == tuple(CiGate(path=relative, tool="trivy", line=3) for relative in sorted(CI_FILES))
    assert errors == ()


def test_workflows_only_yaml_directly_in_the_folder(tmp_path: Path) -> None:
    _write(tmp_path / ".github/workflows/notes.md", "syft\n")
    _write(tmp_path / ".github/workflows/nested/deep.yml", "syft\n")
    (tmp_path / ".github/workflows/folder.yml").mkdir()
    _write(tmp_path / ".github/actions/scan/action.yml", "syft\n")
    assert ci_gates(tmp_path) == ((), ())


def test_symlinked_workflow_pointing_outside_the_root_is_ignored(tmp_path: Path) -> None:
    outside = _write(tmp_path / "elsewhere" / "scan.yml", "- run: grype dir:.\n")
    repository = tmp_path / "repository"
    workflows = repository / ".github/workflows"
    workflows.mkdir(parents=True)
    (workflows / "scan.yml").symlink_to(outside)
    _write(repository / "ci" / "shared.yml", "- run: syft .\n")
    (workflows / "shared.yml").symlink_to(repository / "ci" / "shared.yml")  # inside: read

    gates, errors = ci_gates(repository)

    assert gates == (CiGate(path=".github/workflows/shared.yml", tool="syft", line=1),)
    assert errors == (f"{workflows / 'scan.yml'}: a symbolic link that leads out of the repository; not read",)


def test_symlinked_workflows_folder_pointing_outside_is_not_listed(tmp_path: Path) -> None:
    _write(tmp_path / "elsewhere" / "scan.yml", "- run: grype dir:.\n")
    repository = tmp_path / "repository"
    (repository / ".github").mkdir(parents=True)
    (repository / ".github/workflows").symlink_to(tmp_path / "elsewhere")
    gates, errors = ci_gates(repository)
    assert gates == () and len(errors) == 1 and errors[0].startswith(str(repository / ".github/workflows"))


def test_oversized_file_is_reported_not_read(tmp_path: Path) -> None:
    big = _write(tmp_path / ".gitlab-ci.yml", "script:\n  - trivy fs .\n" + "#" * MAX_CI_FILE_SIZE)
    _write(tmp_path / ".travis.yml", "script: trivy fs .\n")
    gates, errors = ci_gates(tmp_path)
    assert gates == (CiGate(path=".travis.yml", tool="trivy", line=1),)
    [error] = errors
    assert error.startswith(f"{big}: ") and "size cap" in error


def test_undecodable_bytes_do_not_hide_the_commands(tmp_path: Path) -> None:
    (tmp_path / ".drone.yml").write_bytes(b"steps:\n- commands: [\xff\xfe\x00]\n- commands: [grype .]\n")
    assert ci_gates(tmp_path) == ((CiGate(path=".drone.yml", tool="grype", line=3),), ())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_ci_file_is_reported_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Jenkinsfile")
    gates, errors = ci_gates(tmp_path)
    assert gates == () and errors == (f"{tmp_path / 'Jenkinsfile'}: not a regular file",)


def test_deterministic_order_across_files_and_tools(tmp_path: Path) -> None:
    _write(tmp_path / ".github/workflows/z.yml", "- run: trivy fs .\n- run: grype .\n- run: syft .\n")
    _write(tmp_path / ".github/workflows/a.yml", "- run: snyk test\n- run: fossa analyze\n")
    _write(tmp_path / ".circleci/config.yml", "- run: osv-scanner -r .\n")

    gates, _ = ci_gates(tmp_path)

    assert [(g.path, g.tool) for g in gates] == [
        (".circleci/config.yml", "osv-scanner"),
        (".github/workflows/a.yml", "fossa"),
        (".github/workflows/a.yml", "snyk"),
        (".github/workflows/z.yml", "grype"),
        (".github/workflows/z.yml", "syft"),
        (".github/workflows/z.yml", "trivy"),
    ]
    assert ci_gates(tmp_path) == (gates, ())


def test_no_ci_at_all(tmp_path: Path) -> None:
    assert ci_gates(tmp_path) == ((), ())
