"""Start-up: what is imported, never how long it takes (tests assert no timings).

`ospo-scan --version` answers before typer, rich or any stage of the scan is imported, and
a scan without YAML lockfiles never imports a YAML loader. Each runs in a fresh interpreter,
since this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ospo_scan import __version__

HEAVY = ("rich", "yaml", "yaml_rs", "license_expression", "licenseclassifier", "typer", "pydantic", "defusedxml", "univers")

_REPORT_MODULES = f"""
import json, sys
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set({HEAVY!r}))
print(json.dumps(loaded), file=sys.stderr)
"""


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path)})


def test_version_imports_no_heavy_library(tmp_path: Path) -> None:
    code = "import sys\nsys.argv = ['ospo-scan', '--version']\nfrom ospo_scan.cli import main\nmain()\n" + _REPORT_MODULES
    completed = _run(code, tmp_path)
    assert completed.stdout == f"ospo-scan {__version__}\n"
    assert json.loads(completed.stderr.strip().splitlines()[-1]) == []


def test_version_through_typer_prints_the_same(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ospo_scan.cli import app

    assert CliRunner().invoke(app, ["--version"]).stdout == f"ospo-scan {__version__}\n"


def test_scan_without_yaml_lockfiles_imports_no_yaml_loader(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "web", "dependencies": {"lodash": "4.17.21"}}', encoding="utf-8")
    code = f"from pathlib import Path\nfrom ospo_scan.scan import scan\nassert len(scan([Path({str(tmp_path)!r})]).components) == 2\n" + _REPORT_MODULES
    loaded = json.loads(_run(code, tmp_path).stderr.strip().splitlines()[-1])
    assert "yaml" not in loaded and "yaml_rs" not in loaded


def test_json_scan_loads_neither_the_diff_command_nor_other_formats_nor_univers(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    code = (
        f"import sys\nsys.argv = ['ospo-scan', 'scan', {str(tmp_path)!r}, '-f', 'json', '-o', {str(tmp_path / 'report.json')!r}]\n"
        "from ospo_scan.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(name for name in sys.modules if name.startswith(('ospo_scan.diffing', 'ospo_scan.cli.diff_command', 'univers', 'cyclonedx', 'ospo_scan.reporters.cyclonedx', 'ospo_scan.reporters.spdx', 'ospo_scan.reporters.html'))), file=sys.stderr)\n"
    )
    assert _run(code, tmp_path).stderr.strip().splitlines()[-1] == "[]"
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["status"] == "complete"
