"""Every exit code is documented where users look: --help and the README table."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.cli.exit_codes import EXIT_CODES_HELP, ExitCode

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("code", [code for code in ExitCode if code is not ExitCode.OK])
def test_exit_code_is_documented(code: ExitCode) -> None:
    assert f" {int(code)} " in EXIT_CODES_HELP
    assert f"\n| {int(code)} |" in README.read_text(encoding="utf-8")

