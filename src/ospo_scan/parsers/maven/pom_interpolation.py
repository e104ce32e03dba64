"""`${...}` expansion in the context of one effective POM.

Maven looks a name up in this order, and so does `Interpolator`: the model itself for
`project.*` and the legacy `pom.*` prefix (a `<properties>` entry cannot override
`${project.version}`), then the merged `<properties>` of the POM and its parents (the
child's value wins), then the deprecated unprefixed model names (`${version}`,
`${parent.version}`). CI-friendly `${revision}`, `${sha1}` and `${changelist}` are plain
properties: defined in some `<properties>` they resolve, otherwise (they were meant for
`-Drevision=` on the command line) they stay unresolved and say so.

A value may refer to other properties; expansion is recursive and memoized, a reference
back to a property being expanded is a cycle, and nesting is capped so hostile input can
neither loop nor exhaust the stack. What cannot be resolved stays in the text as written
(`${name}`) and is named in the result, so callers can say exactly why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_NESTING = 32
"""A property defined through more than this many others is treated as unresolvable."""

_REFERENCE = re.compile(r"\$\{([^${}]+)\}")
_MODEL_PREFIXES = ("project.", "pom.")
_LEGACY_NAMES = {"version": "version", "groupId": "groupId", "artifactId": "artifactId"}


@dataclass(frozen=True, slots=True)
class Interpolated:
    """The expanded text, and the names that kept it from being fully expanded."""

    text: str
    undefined: frozenset[str] = frozenset()
    cyclic: frozenset[str] = frozenset()

    @property
    def resolved(self) -> bool:
        """True when nothing of the form `${...}` is left."""
        return "${" not in self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelValues:
    """The raw (uninterpolated) model fields that `${project.*}` can name."""

    group_id: str | None = None
    artifact_id: str | None = None
    version: str | None = None
    packaging: str | None = None
    parent_group_id: str | None = None
    parent_artifact_id: str | None = None
    parent_version: str | None = None

    def field(self, path: str) -> str | None:
        """Value of `groupId`, `version`, `parent.version`... (the part after `project.`)."""
        return {
            "groupId": self.group_id,
            "artifactId": self.artifact_id,
            "version": self.version,
            "packaging": self.packaging or "jar",
            "parent.groupId": self.parent_group_id,
            "parent.artifactId": self.parent_artifact_id,
            "parent.version": self.parent_version,
        }.get(path)


class Interpolator:
    """Expands `${...}` for one POM: its model values and merged properties."""

    def __init__(self, model: ModelValues, properties: Mapping[str, str]) -> None:
        self._model = model
        self._properties = properties
        self._memo: dict[str, Interpolated] = {}
        self._active: set[str] = set()

    def expand(self, text: str) -> Interpolated:
        """Expand every reference in `text`; unresolvable ones stay as written."""
        return self._expand(text, 0)

    def _expand(self, text: str, depth: int) -> Interpolated:
        if "${" not in text:
            return Interpolated(text)
        undefined: set[str] = set()
        cyclic: set[str] = set()

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            value = self._value(name, depth)
            if value is None:
                undefined.add(name)
                return match.group(0)
            undefined.update(value.undefined)
            cyclic.update(value.cyclic)
            return value.text

        expanded = _REFERENCE.sub(substitute, text)
        return Interpolated(expanded, frozenset(undefined), frozenset(cyclic))

    def _value(self, name: str, depth: int) -> Interpolated | None:
        """The expansion of one name, None when nothing defines it."""
        if name in self._memo:
            return self._memo[name]
        raw = self._raw(name)
        if raw is None:
            return None
        if name in self._active or depth >= MAX_NESTING:
            return Interpolated("${" + name + "}", cyclic=frozenset({name}))
        self._active.add(name)
        try:
            value = self._expand(raw, depth + 1)
        finally:
            self._active.discard(name)
        if not value.cyclic:
            self._memo[name] = value
        return value

    def _raw(self, name: str) -> str | None:
        """Maven's lookup order: model (project./pom.), properties, legacy unprefixed names."""
        for prefix in _MODEL_PREFIXES:
            if name.startswith(prefix):
                found = self._model.field(name[len(prefix) :])
                if found is not None:
                    return found
        if name in self._properties:
            return self._properties[name]
        if name in _LEGACY_NAMES:
            return self._model.field(_LEGACY_NAMES[name])
        if name.startswith("parent."):
            return self._model.field(name)
        return None
