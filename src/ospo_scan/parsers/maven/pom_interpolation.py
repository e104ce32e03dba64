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

Depth alone does not bound the work: properties that each use the next one twice double
the text at every level (901 bytes of POM made 2 GB), and when the last one refers back
to the first nothing is memoized, so the calls double instead (forty levels never end).
Two bounds hold whatever the shape: no expanded value grows past MAX_EXPANDED_LENGTH,
and all the expansions of one POM together (its profiles included) read and write at
most MAX_EXPANSION_WORK characters. A reference past either bound stays as written and
is named (`oversized`, `unexpanded`), like an undefined one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_NESTING = 32
"""A property defined through more than this many others is treated as unresolvable."""
MAX_EXPANDED_LENGTH = 10_000
"""Characters an expanded value may have; coordinates, scopes and versions are far shorter."""
MAX_EXPANSION_WORK = 200_000
"""Characters all the expansions of one POM may read and write. The most any of the 517
POMs of the real-world corpus needs is 2,508 (Apache Maven, Dubbo and Tika included);
a hostile POM spends this in about a fifth of a second."""

_REFERENCE = re.compile(r"\$\{([^${}]+)\}")
_MODEL_PREFIXES = ("project.", "pom.")
_LEGACY_NAMES = {"version": "version", "groupId": "groupId", "artifactId": "artifactId"}


@dataclass(frozen=True, slots=True)
class Interpolated:
    """The expanded text, and the names that kept it from being fully expanded."""

    text: str
    undefined: frozenset[str] = frozenset()
    cyclic: frozenset[str] = frozenset()
    oversized: frozenset[str] = frozenset()
    """Names whose value would have made the text longer than MAX_EXPANDED_LENGTH."""
    unexpanded: frozenset[str] = frozenset()
    """Names left as written because the POM's MAX_EXPANSION_WORK was spent."""

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


@dataclass(slots=True)
class ExpansionBudget:
    """The characters the expansions of one POM may still read and write (see the module doc).

    Shared by the interpolators of one POM (a profile with properties has its own), so a
    POM of many profiles gets no more than one of them.
    """

    left: int = MAX_EXPANSION_WORK

    def spend(self, amount: int) -> bool:
        """Take `amount`; False, and the budget spent, when there is not that much left."""
        if amount > self.left:
            self.left = 0
            return False
        self.left -= amount
        return True


class Interpolator:
    """Expands `${...}` for one POM: its model values and merged properties."""

    def __init__(self, model: ModelValues, properties: Mapping[str, str], budget: ExpansionBudget | None = None) -> None:
        self._model = model
        self._properties = properties
        self.budget = budget if budget is not None else ExpansionBudget()
        """What this POM's expansions may still cost; pass it on to a profile's interpolator."""
        self._memo: dict[str, Interpolated] = {}
        self._active: set[str] = set()

    def expand(self, text: str) -> Interpolated:
        """Expand every reference in `text`; unresolvable ones stay as written."""
        return self._expand(text, 0)

    def _expand(self, text: str, depth: int) -> Interpolated:
        if "${" not in text:
            return Interpolated(text)
        found = _Names()
        length = len(text)

        def substitute(match: re.Match[str]) -> str:
            nonlocal length
            name, written = match.group(1), match.group(0)
            value = self._value(name, depth)
            if value is None:
                found.undefined.add(name)
                return written
            grown = length - len(written) + len(value.text)
            if grown > MAX_EXPANDED_LENGTH and grown > length:
                found.oversized.add(name)
                return written
            if not self.budget.spend(len(value.text)):
                found.unexpanded.add(name)
                return written
            found.absorb(value)
            length = grown
            return value.text

        expanded = _REFERENCE.sub(substitute, text)
        return found.result(expanded)

    def _value(self, name: str, depth: int) -> Interpolated | None:
        """The expansion of one name, None when nothing defines it."""
        if name in self._memo:
            return self._memo[name]
        raw = self._raw(name)
        if raw is None:
            return None
        if name in self._active or depth >= MAX_NESTING:
            return Interpolated("${" + name + "}", cyclic=frozenset({name}))
        if not self.budget.spend(len(raw) + 1):  # reading the raw text costs too: no call is free
            return Interpolated("${" + name + "}", unexpanded=frozenset({name}))
        self._active.add(name)
        try:
            value = self._expand(raw, depth + 1)
        finally:
            self._active.discard(name)
        if not value.cyclic and not value.unexpanded:  # both depend on where the expansion started
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


@dataclass(slots=True)
class _Names:
    """The names that kept one text from being expanded, gathered while it is."""

    undefined: set[str] = field(default_factory=set)
    cyclic: set[str] = field(default_factory=set)
    oversized: set[str] = field(default_factory=set)
    unexpanded: set[str] = field(default_factory=set)

    def absorb(self, value: Interpolated) -> None:
        """Take over the names of a value substituted into the text."""
        self.undefined.update(value.undefined)
        self.cyclic.update(value.cyclic)
        self.oversized.update(value.oversized)
        self.unexpanded.update(value.unexpanded)

    def result(self, text: str) -> Interpolated:
        return Interpolated(
            text, frozenset(self.undefined), frozenset(self.cyclic), frozenset(self.oversized), frozenset(self.unexpanded)
        )
