"""Safe loaders for the generic syntaxes that many formats share (TOML, JSON, INI).

Each turns a library's error into a ParseError with the line when the library knows
it, so every parser reports broken syntax the same way.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
from typing import Any

from ospo_scan.parsers.base import ParseError, SourceFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_TOML_LINE = re.compile(r"line (\d+)")


def load_toml(source: SourceFile) -> dict[str, Any]:
    """Parse TOML, or raise ParseError naming the line of the first error."""
    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            found = _TOML_LINE.search(str(error))
            line = int(found.group(1)) if found else None
        raise ParseError(f"invalid TOML: {error}", line) from None
    except RecursionError:
        raise ParseError("invalid TOML: nested too deeply") from None


def load_json(source: SourceFile) -> Any:
    """Parse JSON, or raise ParseError naming the line of the first error."""
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None


_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array", dict: "an object"}


def json_kind(value: Any) -> str:
    """The JSON name of a value's type, for messages such as `expected an object, found an array`."""
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), type(value).__name__)


def load_ini(source: SourceFile) -> configparser.ConfigParser:
    """Parse an INI file such as setup.cfg without interpolation (values stay literal)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(source.text, source=source.path)
    except configparser.ParsingError as error:
        line = error.errors[0][0] if getattr(error, "errors", None) else getattr(error, "lineno", None)
        raise ParseError(f"invalid INI syntax: {error.message.splitlines()[0]}", line) from None
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        raise ParseError(f"invalid INI syntax: {error.message.splitlines()[0]}", line) from None
    return parser


def expect_table(value: Any, key_path: str) -> dict[str, Any]:
    """Return `value` if it is a table/object, else raise ParseError naming the key path."""
    if not isinstance(value, dict):
        raise ParseError(f"{key_path}: expected a table, found {type(value).__name__}")
    return value


def load_yaml(source: SourceFile) -> Any:
    """Parse YAML with the safe loader (no tags that build objects), errors with a line."""
    import yaml  # imported here: only the YAML lockfile formats need it

    try:
        return yaml.load(source.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ParseError(f"invalid YAML: {error.problem or error}", line) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise ParseError("invalid YAML: nested too deeply") from None
