"""Repository identity read from .git without running git; provenance of an inventory."""

from __future__ import annotations

import os
from pathlib import Path

from ospo_scan.repository import describe_repository
from ospo_scan.scan import ScanOptions, scan
from tests.core.fake_parsers import FAKE_PARSERS

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def _git(root: Path, head: str, refs: dict[str, str] | None = None, packed: str | None = None) -> None:
    git = root / ".git"
    git.mkdir(parents=True)
    (git / "HEAD").write_text(head)
    for ref, sha in (refs or {}).items():
        (git / ref).parent.mkdir(parents=True, exist_ok=True)
        (git / ref).write_text(sha + "\n")
    if packed is not None:
        (git / "packed-refs").write_text(packed)


def test_branch_ref_as_a_loose_file(tmp_path: Path) -> None:
    _git(tmp_path, "ref: refs/heads/main\n", {"refs/heads/main": SHA})
    repository = describe_repository(tmp_path, ".")
    assert (repository.commit, repository.branch, repository.root) == (SHA, "main", tmp_path.name)


def test_branch_ref_in_packed_refs(tmp_path: Path) -> None:
    _git(tmp_path, "ref: refs/heads/release\n", packed=f"# pack-refs with: peeled\n{OTHER} refs/heads/main\n{SHA} refs/heads/release\n")
    assert describe_repository(tmp_path, ".").commit == SHA


def test_detached_head(tmp_path: Path) -> None:
    _git(tmp_path, SHA + "\n")
    repository = describe_repository(tmp_path, ".")
    assert (repository.commit, repository.branch) == (SHA, None)


def test_no_git_and_a_gitdir_pointing_outside_the_root_give_no_commit(tmp_path: Path) -> None:
    assert describe_repository(tmp_path, ".").commit is None
    outside = tmp_path / "elsewhere"
    _git(outside, SHA + "\n")
    inner = tmp_path / "checkout"
    inner.mkdir()
    (inner / ".git").write_text(f"gitdir: {outside / '.git'}\n")
    assert describe_repository(inner, ".").commit is None


def test_symlinked_git_folder_is_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _git(real, SHA + "\n")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(real / ".git", root / ".git")
    assert describe_repository(root, ".").commit is None


def test_scan_records_each_root_as_a_repository_with_provenance(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "deps.txt").write_text("a==1\n")
    _git(tmp_path / "one", SHA + "\n")
    inventory = scan([tmp_path / "one", tmp_path / "two"], ScanOptions(parsers=FAKE_PARSERS))
    assert [(r.id, r.commit) for r in inventory.repositories] == [((tmp_path / "one").as_posix(), SHA), ((tmp_path / "two").as_posix(), None)]
    assert {p.repository for p in inventory.projects} == {r.id for r in inventory.repositories}
    provenance = inventory.provenance
    assert provenance is not None and provenance.schema_version == 2
    assert "licenseclassifier" in dict(provenance.license_data)


def test_options_digest_changes_only_with_result_changing_options(tmp_path: Path) -> None:
    (tmp_path / "deps.txt").write_text("a==1\n")

    def digest(options: ScanOptions) -> str:
        provenance = scan([tmp_path], options).provenance
        assert provenance is not None
        return provenance.options_digest

    base = digest(ScanOptions(parsers=FAKE_PARSERS, user_defaults=False))
    assert digest(ScanOptions(parsers=FAKE_PARSERS, user_defaults=False, jobs=1)) == base
    assert digest(ScanOptions(parsers=FAKE_PARSERS, user_defaults=False, excludes=("tests/*",))) != base
