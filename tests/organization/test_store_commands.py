"""`snapshot save | import | list | diff`, `query` and `report` end to end on a SQLite store.

The store's own behaviour on both backends is tested in tests/store; here the commands
are driven as a user would, and every expectation comes from the repositories' own
JSON reports (`ospo-scan scan REPO --format json`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app

runner = CliRunner()


def _python_repository(path: Path, *requirements: str) -> Path:
    path.mkdir(parents=True)
    (path / ".git").mkdir()
    (path / "requirements.txt").write_text("".join(f"{line}\n" for line in requirements))
    return path


@pytest.fixture
def organization(tmp_path: Path) -> Path:
    root = tmp_path / "org"
    _python_repository(root / "billing", "requests==2.31.0", "flask==3.0.0")
    _python_repository(root / "reports", "requests==2.28.0", "jinja2==3.1.2")
    _python_repository(root / "team" / "site", "django==4.2.0")
    return root


def _invoke(*arguments: str) -> Any:
    result = runner.invoke(app, list(arguments))
    return result


def _json(*arguments: str) -> Any:
    result = _invoke(*arguments)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _third_party(repository: Path) -> set[str]:
    document = _json("scan", str(repository), "--format", "json")
    return {component["purl"] for component in document["components"] if not component["first_party"]}


def test_save_list_and_query_answer_from_the_repositories(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    saved = _invoke("snapshot", "save", "--db", db, "--label", "Q4-2026", "--repos", str(organization))
    assert saved.exit_code == 0, saved.output
    repositories = sorted(path.parent for path in organization.rglob(".git"))
    expected = set().union(*(_third_party(path) for path in repositories))
    (listed,) = _json("snapshot", "list", "--db", db, "--format", "json")
    assert (listed["label"], listed["repositories"], listed["components"]) == ("Q4-2026", len(repositories), len(expected))
    users = _json("query", "--db", db, "--package", "requests", "--format", "json")
    assert sorted((row["repository"], row["version"]) for row in users) == [("billing", "2.31.0"), ("reports", "2.28.0")]
    old = _json("query", "--db", db, "--package", "pkg:pypi/requests <2.30", "--format", "json")
    assert [row["repository"] for row in old] == ["reports"]
    skew = _json("query", "--db", db, "--skew", "--format", "json")
    assert [(row["package"], row["version_count"]) for row in skew] == [("pkg:pypi/requests", 2)]
    critical = _json("query", "--db", db, "--critical", "--limit", "0", "--format", "json")
    assert critical[0]["project"] == "requests" and critical[0]["repositories"] == 2
    assert {row["project"] for row in critical} >= {"flask", "jinja2", "django"}


def test_import_of_ci_reports_is_idempotent_and_diffs_empty_against_a_save(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    assert _invoke("snapshot", "save", "--db", db, "--repos", str(organization)).exit_code == 0
    reports = []
    for repository in sorted(path.parent for path in organization.rglob(".git")):
        report = tmp_path / f"{repository.name}.json"
        assert _invoke("scan", str(repository), "--format", "json", "--output", str(report)).exit_code == 0
        reports.append(str(report))
    for _ in range(2):
        imported = _invoke("snapshot", "import", "--db", db, *reports)
        assert imported.exit_code == 0, imported.output
    snapshots = _json("snapshot", "list", "--db", db, "--format", "json")
    assert len(snapshots) == 3 and len({(s["repositories"], s["components"]) for s in snapshots}) == 1
    diff = _json("snapshot", "diff", "1", "3", "--db", db, "--format", "json")
    assert all(not changes for changes in diff["components"].values())


def test_snapshot_diff_shows_an_upgrade(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    assert _invoke("snapshot", "save", "--db", db, "--label", "before", "--repos", str(organization)).exit_code == 0
    (organization / "reports" / "requirements.txt").write_text("requests==2.28.0\njinja2==3.1.4\n")
    assert _invoke("snapshot", "save", "--db", db, "--label", "after", "--repos", str(organization)).exit_code == 0
    diff = _json("snapshot", "diff", "before", "after", "--db", db, "--format", "json")
    upgraded = diff["components"]["upgraded"]
    assert len(upgraded) == 1 and "jinja2" in json.dumps(upgraded[0])


def test_a_repository_that_fails_is_said_and_the_others_are_saved(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    missing = tmp_path / "not-cloned"
    result = _invoke("snapshot", "save", "--db", db, str(organization / "billing"), str(missing))
    assert result.exit_code == 3, result.output
    assert str(missing) in result.output
    (listed,) = _json("snapshot", "list", "--db", db, "--format", "json")
    assert listed["repositories"] == 1


def test_nothing_saved_writes_no_snapshot(tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    result = _invoke("snapshot", "save", "--db", db, str(tmp_path / "missing"))
    assert result.exit_code == 3
    assert _json("snapshot", "list", "--db", db, "--format", "json") == []


def test_a_report_that_cannot_be_read_is_said_and_the_others_imported(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    good = tmp_path / "good.json"
    assert _invoke("scan", str(organization / "billing"), "--format", "json", "--output", str(good)).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"components": null}')
    result = _invoke("snapshot", "import", "--db", db, str(good), str(bad))
    assert result.exit_code == 3
    assert "bad.json" in result.output
    (listed,) = _json("snapshot", "list", "--db", db, "--format", "json")
    assert listed["repositories"] == 1


def test_a_database_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke("snapshot", "list", "--db", str(tmp_path / "nowhere" / "inventory.db"))
    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_query_asks_exactly_one_question(tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    assert _invoke("query", "--db", db, "--critical", "--skew").exit_code == 2
    assert _invoke("query", "--db", db).exit_code == 2


def test_report_in_every_format(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    for label in ("Q3", "Q4"):
        assert _invoke("snapshot", "save", "--db", db, "--label", label, "--repos", str(organization)).exit_code == 0
    document = _json("report", "--db", db, "--format", "json")
    assert [repository["repository"] for repository in document["repositories"]] == ["billing", "reports", "team/site"]
    assert len(document["trends"]) == 2
    page = tmp_path / "org.html"
    assert _invoke("report", "--db", db, "--format", "html", "--output", str(page)).exit_code == 0
    assert page.read_text().startswith("<!DOCTYPE html>") and "<svg" in page.read_text()
    markdown = _invoke("report", "--db", db, "--format", "markdown")
    assert markdown.exit_code == 0 and "billing" in markdown.stdout


def test_repositories_of_one_name_in_two_teams_stay_two(tmp_path: Path) -> None:
    root = tmp_path / "org"
    _python_repository(root / "team-a" / "api", "requests==2.31.0")
    _python_repository(root / "team-b" / "api", "flask==3.0.0")
    db = str(tmp_path / "inventory.db")
    saved = _invoke("snapshot", "save", "--db", db, "--repos", str(root))
    assert saved.exit_code == 0, saved.output
    users = _json("query", "--db", db, "--package", "flask", "--format", "json")
    assert [row["repository"] for row in users] == ["team-b/api"]
    clash = _invoke("snapshot", "save", "--db", db, str(root / "team-a" / "api"), str(root / "team-b" / "api"))
    assert clash.exit_code == 2 and "would both be saved as repository 'api'" in " ".join(clash.output.split())


def test_ci_jobs_join_one_snapshot_by_label_and_a_rerun_replaces_its_scan(organization: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "inventory.db")
    billing, reports = organization / "billing", organization / "reports"
    assert _invoke("snapshot", "save", "--db", db, "--label", "nightly", "--join", str(billing)).exit_code == 0
    report = tmp_path / "reports.json"
    assert _invoke("scan", str(reports), "--format", "json", "--output", str(report)).exit_code == 0
    assert _invoke("snapshot", "import", "--db", db, "--label", "nightly", "--join", str(report)).exit_code == 0
    (billing / "requirements.txt").write_text("requests==2.32.0\n")  # the billing job runs again after a change
    assert _invoke("snapshot", "save", "--db", db, "--label", "nightly", "--join", str(billing)).exit_code == 0
    expected = _third_party(billing) | _third_party(reports)
    (listed,) = _json("snapshot", "list", "--db", db, "--format", "json")
    assert (listed["label"], listed["repositories"], listed["components"]) == ("nightly", 2, len(expected))
    users = _json("query", "--db", db, "--package", "requests", "--format", "json")
    assert sorted((row["repository"], row["version"]) for row in users) == [("billing", "2.32.0"), ("reports", "2.28.0")]


def test_join_without_a_label_is_a_usage_error(organization: Path, tmp_path: Path) -> None:
    result = _invoke("snapshot", "save", "--db", str(tmp_path / "inventory.db"), "--join", str(organization / "billing"))
    assert result.exit_code == 2
    assert "--label" in " ".join(result.output.replace("│", " ").split())
    assert not (tmp_path / "inventory.db").exists()
