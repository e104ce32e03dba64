"""Finding and reading the settings file, with errors that name file and key.

Where settings are looked for, in order, in the first scanned folder:
1. `.ospo-scan.toml`: the whole file is ospo-scan's;
2. `pyproject.toml` with a `[tool.ospo-scan]` table (a pyproject.toml without one is
   not a settings file).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SETTINGS_FILE_NAME = ".ospo-scan.toml"
PYPROJECT_TABLE = ("tool", "ospo-scan")
KNOWN_SECTIONS = ("criticality", "extends", "first-party", "rules", "exceptions", "assessment")
"""Top-level keys the settings understand (the policy's: policy/loading.py); anything else is an error."""


class ConfigError(Exception):
    """The settings file cannot be used; the message starts with the file and key path."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsFile:
    """The settings table as read, where it came from, and the file's digest."""

    path: Path
    key_prefix: str
    """'' for .ospo-scan.toml, 'tool.ospo-scan.' for pyproject.toml: key paths in errors."""
    table: Mapping[str, Any]
    sha256: str

    def error(self, key_path: str, problem: str) -> ConfigError:
        """An error that names the file, the full key path and the problem."""
        return ConfigError(f"{self.path}: {self.key_prefix}{key_path}: {problem}")

    def section(self, name: str, parse: Callable[[SettingsFile, Mapping[str, Any]], Any]) -> Any:
        """Parse one top-level table with `parse` (None when the file has no such table)."""
        value = self.table.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(name, f"must be a table, not {_type_name(value)}")
        return parse(self, value)


def find_settings_file(folder: Path) -> Path | None:
    """The settings file that applies to a scan of `folder`, or None."""
    candidate = folder / SETTINGS_FILE_NAME
    if candidate.is_file():
        return candidate
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _has_tool_table(pyproject):
        return pyproject
    return None


def load_settings_file(path: Path) -> SettingsFile:
    """Read and check the top level of a settings file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table: Any = document
    prefix = ""
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("ospo-scan", {})
        prefix = "tool.ospo-scan."
    settings = SettingsFile(path=path, key_prefix=prefix, table=table, sha256=hashlib.sha256(data).hexdigest())
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.')}: must be a table, not {_type_name(table)}")
    for key in table:
        if key not in KNOWN_SECTIONS:
            raise settings.error(key, f"unknown key (known: {', '.join(KNOWN_SECTIONS)})")
    return settings


def _has_tool_table(pyproject: Path) -> bool:
    """True when a pyproject.toml has [tool.ospo-scan]; an unreadable one is not ours to judge."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = document.get("tool")
    return isinstance(tool, dict) and "ospo-scan" in tool


def _type_name(value: object) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array", dict: "a table"}.get(type(value), type(value).__name__)


type_name = _type_name
"""What reports call a TOML value's type ("a string", "an array")."""
