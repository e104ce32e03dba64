"""Shared fixtures: where the real-world corpus lives, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ospo_scan.reporters.report import Report

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The shared real-world corpus (../shared/corpus beside the checkout)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (real-world corpus tests)")
    return CORPUS


@pytest.fixture(autouse=True)
def json_reports_follow_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON report any test produces is checked against the schema the package ships."""
    from jsonschema import Draft202012Validator

    from ospo_scan.reporters import json_report
    from ospo_scan.schema import inventory_schema

    validator = Draft202012Validator(inventory_schema())
    original = json_report.to_document

    def checked(*args: object, **kwargs: object) -> dict[str, object]:
        document = original(*args, **kwargs)  # type: ignore[arg-type]
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        assert not errors, "JSON report does not follow inventory.schema.json: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
        return document

    monkeypatch.setattr(json_report, "to_document", checked)


@pytest.fixture(autouse=True)
def no_user_caches(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """scan() uses the user's ~/.m2/repository and Go module cache, as the CLI does; tests
    must not depend on what this machine happens to have there, so HOME is an empty folder."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    for variable in ("GOMODCACHE", "GOPATH"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> "Report":
    """One analyzed scan of the whole corpus, shared by the format validators (a scan of it
    takes seconds; every validator reads the same report). HOME is emptied here by hand: a
    session fixture runs before the autouse one that does it for each test."""
    from ospo_scan.reporters.report import Report
    from ospo_scan.scan import scan

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (real-world corpus tests)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("corpus-home")))
        for variable in ("GOMODCACHE", "GOPATH"):
            patch.delenv(variable, raising=False)
        return Report.of(scan([CORPUS]))
