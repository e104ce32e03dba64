"""Which CI definitions of a repository run a license or open-source scanner.

The definitions are read as text, line by line, and never parsed as YAML: GitLab's
`!reference` tags, Helm or Jinja templating, YAML anchors and the Groovy of a Jenkinsfile
would each need their own parser and some would fail, while a scanner shows up the same
way in all of them, as a command (`trivy fs .`), an action (`uses: anchore/sbom-action`)
or an image (`ghcr.io/oss-review-toolkit/ort`). One table of patterns covers the nine
CI syntaxes, and a file no parser would accept still says what it runs.

Comments do not count: a line starting with `#` (and `//` in a Jenkinsfile), and the
end of a line after ` #`, as YAML and shell read it. A file is read only when it is a
regular file inside the repository (a symlink leading out is refused), at most 1 MiB.

CodeQL is deliberately absent: it analyses the repository's own code for bugs, it says
nothing about the open source the repository uses or how its licenses are governed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ospo_scan.assessment.model import CiGate
from ospo_scan.reading import FileReadError, printable_path, read_bounded

MAX_CI_FILE_SIZE = 1024 * 1024
"""A CI definition above this many bytes is reported, not read (they are a few KiB)."""

WORKFLOW_FOLDER = ".github/workflows"
"""GitHub reads the `.yml`/`.yaml` files directly in it, not in subfolders."""

CI_FILES: tuple[str, ...] = (
    ".gitlab-ci.yml",
    "Jenkinsfile",
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    ".circleci/config.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    ".buildkite/pipeline.yml",
    ".buildkite/pipeline.yaml",
    ".drone.yml",
)
"""The other CI systems' definitions, where each system looks for them by default."""

_FLAGS = r"(?:-\S+(?:\s+[^-\s]\S*)?\s+)*"
"""Any options between a command and its subcommand (`reuse --root src lint`)."""

SCANNERS: dict[str, tuple[str, ...]] = {
    "ospo-scan": (r"(?<![\w.-])ospo-scan(?![\w.-])", r"-m\s+ospo_scan\b"),
    "syft": (r"\bsyft\b", r"\banchore/sbom-action\b"),
    "grype": (r"\bgrype\b", r"\banchore/scan-action\b"),
    "trivy": (r"\btrivy\b",),
    "scancode": (r"\bscancode\b",),
    "fossa": (r"\bfossa\b",),
    "licensee": (r"\blicensee\b",),
    "license_finder": (r"\blicense_finder\b", r"\blicensefinder\b"),
    "licensed": (r"\blicensed\s+(?:status|cache|notices)\b", r"\bgithub/licensed\b", r"\bsetup-licensed\b", r"\blicensed-ci\b"),
    # `ort` is inside `sort`, `import`, `report`: only the project's name or `ort` in
    # command position followed by one of its subcommands counts.
    "ort": (
        r"\boss-review-toolkit\b",
        rf"(?<![\w./-])ort\s+{_FLAGS}(?:analyze|advise|compare|download|evaluate|migrate|notify|report|requirements|scan|upload-[\w-]+)\b",
    ),
    "reuse": (rf"\breuse\s+{_FLAGS}(?:lint|spdx)\b", r"\bfsfe/reuse-action\b"),
    "skywalking-eyes": (r"\bskywalking-eyes\b", r"\blicense-eye\b"),
    "osv-scanner": (r"\bosv-scanner\b",),
    "pip-audit": (r"\bpip-audit\b", r"\bpip_audit\b"),
    "safety": (r"\bsafety\s+(?:check|scan)\b",),
    "npm-audit": (r"\bnpm\s+audit\b",),
    "cargo-deny": (r"\bcargo[\s-]deny\b",),
    "cargo-audit": (r"\bcargo[\s-]audit\b", r"\brustsec/audit-check\b"),
    "govulncheck": (r"\bgovulncheck\b",),
    "dependency-check": (r"\bdependency-check\b",),  # OWASP: .sh, the Maven and Gradle plugins, the action
    "snyk": (r"\bsnyk\b",),
    # Named tools only: `cyclonedx` alone is also an output format of syft and trivy.
    "cyclonedx": (
        r"@cyclonedx/",
        r"\bcyclonedx-(?:py|python|npm|node-npm|bom|gomod|cli|maven-plugin|gradle-plugin|php-composer|dotnet|conan|rust-cargo)\b",
        r"\bcyclonedx:make\w*bom\b",
        r"\bcyclonedxbom\b",
        r"\bcargo\s+cyclonedx\b",
        r"\bdotnet[\s-]cyclonedx\b",
        r"\bcyclonedx/gh-[\w-]+",
    ),
    "dependency-review": (r"\bactions/dependency-review-action\b",),
    "scorecard": (r"\bossf/scorecard-action\b", r"\bopenssf/scorecard\b", r"\bscorecard\s+--repo\b"),
}
"""tool -> patterns (case-insensitive); a line matching any of them runs the tool."""

_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tool, re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE))
    for tool, patterns in sorted(SCANNERS.items())
)
_HASH_COMMENT = re.compile(r"(?:^|\s)#.*")
_SLASH_COMMENT = re.compile(r"(?:^|\s)//.*")


def ci_gates(root: Path) -> tuple[tuple[CiGate, ...], tuple[str, ...]]:
    """The scanners the repository's CI runs, one per (file, tool) at its first line,
    sorted by (path, tool); and, apart, why a CI definition could not be read."""
    gates: list[CiGate] = []
    errors: list[str] = []
    real_root = root.resolve()
    for relative in (*_workflows(root, real_root, errors), *CI_FILES):
        text = _read(root, real_root, relative, errors)
        if text is not None:
            shown = printable_path(relative)
            gates.extend(CiGate(path=shown, tool=tool, line=line) for tool, line in scanners_in(text, relative).items())
    return tuple(sorted(gates, key=lambda gate: (gate.path, gate.tool))), tuple(sorted(errors))


def scanners_in(text: str, relative: str = "") -> dict[str, int]:
    """tool -> the first (1-based) line that runs it, in one CI definition's text.

    `relative` is the file's path: a Jenkinsfile is Groovy, where `//` starts a comment.
    """
    comments = (_HASH_COMMENT, _SLASH_COMMENT) if Path(relative).name == "Jenkinsfile" else (_HASH_COMMENT,)
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for comment in comments:
            line = comment.sub("", line)
        if not line.strip():
            continue
        for tool, pattern in _COMPILED:
            if tool not in found and pattern.search(line):
                found[tool] = number
    return found


def _workflows(root: Path, real_root: Path, errors: list[str]) -> list[str]:
    """The GitHub workflow files, relative to the root, in name order."""
    folder = root / WORKFLOW_FOLDER
    if not os.path.lexists(folder):
        return []
    if not _inside(folder, real_root):
        errors.append(f"{printable_path(str(folder))}: a symbolic link that leads out of the repository; not read")
        return []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        errors.append(f"{printable_path(str(folder))}: cannot be listed: {error.strerror or error}")
        return []
    return [
        f"{WORKFLOW_FOLDER}/{entry.name}"
        for entry in entries
        if entry.name.endswith((".yml", ".yaml")) and not _is_folder(entry)
    ]


def _read(root: Path, real_root: Path, relative: str, errors: list[str]) -> str | None:
    """The file's text, or None: absent (silently), refused or unreadable (with an error)."""
    path = root / relative
    if not os.path.lexists(path):
        return None
    shown = printable_path(str(path))
    if not _inside(path, real_root):
        errors.append(f"{shown}: a symbolic link that leads out of the repository; not read")
        return None
    try:
        data = read_bounded(path, MAX_CI_FILE_SIZE)
    except FileReadError as error:
        errors.append(f"{shown}: {error}")
        return None
    # A CI definition is text; stray bytes must not hide the commands around them.
    return data.decode("utf-8", errors="replace")


def _inside(path: Path, real_root: Path) -> bool:
    """True when `path`, symlinks followed (from the links alone), stays in the root."""
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return True  # not an escape: read_bounded will report the broken link


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder (a symlink is not followed here: its target may be outside the root)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
