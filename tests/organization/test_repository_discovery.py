"""`--repos ROOT`: which folders below an organization's checkout root are repositories."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ospo_scan.cli import app
from ospo_scan.repository_discovery import MAX_DEPTH, FoundRepositories, RepositoryDiscoveryError, find_repositories

runner = CliRunner()


def _repository(path: Path, requirement: str = "requests==2.31.0", *, git_file: bool = False) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if git_file:  # a worktree or a submodule: .git is a file naming the real git folder
        (path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n")
    else:
        (path / ".git").mkdir()
    (path / "requirements.txt").write_text(requirement + "\n")
    return path


def test_git_folders_at_any_depth_are_repositories_and_nothing_below_one_is(tmp_path: Path) -> None:
    top = _repository(tmp_path / "service")
    nested = _repository(tmp_path / "github" / "team-a" / "web")
    worktree = _repository(tmp_path / "github" / "team-b" / "api", git_file=True)
    _repository(top / "vendor-checkout" / "inner")  # below a repository: part of it
    found = find_repositories(tmp_path)
    assert found.paths == tuple(sorted([top, nested, worktree]))
    assert found.by_git


def test_dependency_hidden_and_symlinked_folders_are_not_entered(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    real = _repository(tmp_path / "real")
    _repository(tmp_path / "node_modules" / "pkg")
    _repository(tmp_path / ".cache" / "clone")
    outside = _repository(tmp_path_factory.mktemp("outside") / "elsewhere")
    (tmp_path / "link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert find_repositories(tmp_path).paths == (real,)


def test_without_any_git_every_top_level_folder_is_one_repository(tmp_path: Path) -> None:
    for name in ("b", "a", ".hidden", "node_modules"):
        (tmp_path / name).mkdir()
    (tmp_path / "a" / "deeper").mkdir()
    (tmp_path / "file.txt").write_text("not a folder")
    found = find_repositories(tmp_path)
    assert found.paths == (tmp_path / "a", tmp_path / "b")
    assert not found.by_git


def test_a_root_that_is_itself_a_repository_is_the_only_one(tmp_path: Path) -> None:
    _repository(tmp_path)
    _repository(tmp_path / "sub")
    assert find_repositories(tmp_path).paths == (tmp_path,)


def test_repositories_deeper_than_the_limit_are_not_looked_for(tmp_path: Path) -> None:
    shallow = _repository(tmp_path.joinpath(*[f"l{i}" for i in range(MAX_DEPTH - 1)], "repo"))
    _repository(tmp_path.joinpath(*[f"l{i}" for i in range(MAX_DEPTH)], "repo"))
    assert find_repositories(tmp_path).paths == (shallow,)


def test_a_root_that_is_not_a_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(RepositoryDiscoveryError, match="missing: not a directory"):
        find_repositories(tmp_path / "missing")


def test_an_unreadable_folder_is_reported_and_the_rest_found() -> None:
    """Run as an unprivileged user (root reads every folder): a forked child drops to nobody."""
    root = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        root.chmod(0o755)
        readable = _repository(root / "ok")
        closed = root / "closed"
        _repository(closed / "hidden-repo")
        closed.chmod(0)
        for folder in (readable, readable / ".git"):
            folder.chmod(0o755)
        found = _as_nobody(lambda: find_repositories(root)) if os.geteuid() == 0 else find_repositories(root)
        assert found.paths == (readable,)
        assert [folder for folder, _ in found.unreadable] == [closed]
        assert "Permission denied" in found.unreadable[0][1]
    finally:
        (root / "closed").chmod(0o755)
        shutil.rmtree(root)


def _as_nobody(action: Callable[[], FoundRepositories]) -> FoundRepositories:
    """`action`'s result computed in a child process running as the user nobody."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            os.close(reader)
            os.setgid(65534)
            os.setuid(65534)
            with os.fdopen(writer, "wb") as stream:
                pickle.dump(action(), stream)
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    os.waitpid(child, 0)
    return pickle.loads(data)


def test_scan_repos_scans_each_repository_as_its_own(tmp_path: Path) -> None:
    first = _repository(tmp_path / "team" / "first", "requests==2.31.0")
    second = _repository(tmp_path / "second", "flask==3.0.0")
    result = runner.invoke(app, ["scan", "--repos", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted(repository["root"] for repository in document["repositories"]) == sorted([first.name, second.name])
    by_project = {project["id"]: project["repository"] for project in document["projects"]}
    owners = {
        component["name"]: {by_project[usage["project"]] for usage in component["usages"]}
        for component in document["components"]
    }
    repository_of_root = {repository["root"]: repository["id"] for repository in document["repositories"]}
    assert owners["requests"] == {repository_of_root["first"]}
    assert owners["flask"] == {repository_of_root["second"]}


def test_scan_repos_over_a_root_without_repositories_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "only-a-file").write_text("x")
    result = runner.invoke(app, ["scan", "--repos", str(tmp_path)])
    assert result.exit_code == 2
    assert "no repository below it" in " ".join(result.output.replace("│", " ").split())
