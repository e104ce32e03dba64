"""Safe loaders for the generic syntaxes that many formats share (TOML, JSON, INI, YAML).

Each turns a library's error into a ParseError with the line when the library knows
it, so every parser reports broken syntax the same way. Each is also bounded against
hostile input that a library alone would not survive: integers of more than 4,300 digits
(Python refuses to convert them, with a ValueError no parser expects), TOML keys and
tables nested thousands deep, YAML alias bombs (see ospo_scan.parsers.yaml_loading).
"""

from __future__ import annotations

import configparser
import json
import re
import sys
from typing import Any

from ospo_scan.parsers.base import ParseError, SourceFile

try:  # tomli's compiled wheel decodes 2-3x faster than tomllib, and (since 2026) bounds key parts itself
    import tomli as tomllib
    from tomli import _parser as _tomli_parser

    _TOML_BOUNDS_NESTING = hasattr(_tomli_parser, "MAX_KEY_PARTS")
except ImportError:  # pragma: no cover - without tomli installed
    import tomllib  # type: ignore[no-redef]  # the same API (tomli is where tomllib came from)

    _TOML_BOUNDS_NESTING = False

_TOML_LINE = re.compile(r"line (\d+)")
MAX_INTEGER_DIGITS: int = getattr(sys.int_info, "default_max_str_digits", 4300)
"""Python's default bound on int() (none before 3.10.7, where the bound is this code's)."""
_LONG_INTEGER = re.compile(r"[0-9]{%d}" % (MAX_INTEGER_DIGITS + 1))
MAX_TOML_KEY_PARTS = 1_000
"""Dotted parts of one TOML key (tomli's own bound): tomllib takes gigabytes for 20,000."""


def load_toml(source: SourceFile) -> dict[str, Any]:
    """Parse TOML, or raise ParseError naming the line of the first error."""
    text = source.text
    if not _TOML_BOUNDS_NESTING:
        _refuse_deep_toml_keys(text)
    try:
        loaded: dict[str, Any] = tomllib.loads(text)
        return loaded
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            found = _TOML_LINE.search(str(error))
            line = int(found.group(1)) if found else None
        raise ParseError(f"invalid TOML: {error}", line) from None
    except RecursionError:
        raise ParseError("invalid TOML: nested too deeply") from None
    except ValueError:  # int() refuses more than 4,300 digits, and TOML has no way to keep them as text
        raise ParseError(f"invalid TOML: an integer of more than {MAX_INTEGER_DIGITS:,} digits", _long_integer_line(text)) from None


def _refuse_deep_toml_keys(text: str) -> None:
    """Without tomli, refuse a key or table name of more dotted parts than tomli allows."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") > MAX_TOML_KEY_PARTS and line.split("=", 1)[0].count(".") > MAX_TOML_KEY_PARTS:
            raise ParseError(f"invalid TOML: a key of more than {MAX_TOML_KEY_PARTS:,} dotted parts", number)


def load_json(source: SourceFile) -> Any:
    """Parse JSON, or raise ParseError naming the line of the first error.

    An integer of more than 4,300 digits (which Python refuses to convert) is kept as its
    text: no manifest field needs it as a number, and the rest of the file stays readable.
    """
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None
    except ValueError:
        return _load_json_keeping_long_integers(source)


def _load_json_keeping_long_integers(source: SourceFile) -> Any:
    try:
        return json.loads(source.text, parse_int=_integer_or_text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None


def _integer_or_text(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INTEGER_DIGITS else digits


def _long_integer_line(text: str) -> int | None:
    found = _LONG_INTEGER.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


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
    """Parse the one YAML document of a file as PyYAML's safe loader does (no tags that
    build objects, YAML 1.1 scalars), errors with a line; aliases bounded."""
    from ospo_scan.parsers.yaml_loading import load_document  # imported here: only the YAML lockfiles need it

    return load_document(source.text)


def load_yaml_documents(source: SourceFile) -> list[Any]:
    """Every YAML document of a file (pnpm 11 writes two), as `load_yaml` reads one."""
    from ospo_scan.parsers.yaml_loading import load_documents  # imported here: only the YAML lockfiles need it

    return load_documents(source.text)
