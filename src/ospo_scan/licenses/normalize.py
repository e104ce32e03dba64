"""Free text -> SPDX expression, or a precise reason why not. Never a silent guess.

`normalize` tries, in order, and stops at the first reading that works:

1. npm's `SEE LICENSE IN <file>` (the caller identifies that file's text);
2. a valid SPDX expression, deprecated ids rewritten (spdx.py);
3. the alias table: names, URLs, trove classifiers, ambiguous / proprietary / no-license
   strings (aliases.py + aliases.toml); a URL the table does not know stops here, as
   "not a recognized license URL" (its slashes are not license separators);
4. "<license> or later" / "<license>+" on top of a reading that gives a GNU `-only` id;
5. "Dual ..." / "either ...": the named licenses are a choice (OR);
6. compound strings, split at the top level (outside parentheses), loosest first:
   ` or `, `|`, `||` -> OR; ` and `, `&`, `&&` -> AND; `,` and `;` -> OR; `/` -> OR.
   Each part is normalized recursively, so `(MIT or Apache 2.0) and BSD-3-Clause` works;
7. `<license> with <exception>` (also `w/`, and `<license> (with <exception>)`), both
   named or SPDX ids;
8. otherwise: no expression, reason "not a recognized license name: '...'".

Decisions, recorded in `notes` whenever they are taken:
- A comma or semicolon between licenses is read as OR. Every ecosystem that defines a
  list of licenses defines it as a choice: Maven's POM reference ("the user can select
  any of them, not that they must accept all"), npm's legacy `licenses` array (replaced
  by `(A OR B)`), and PyPI classifiers; pip-licenses joins classifiers with "; ".
- In an OR, a part that is not recognized is dropped when another part is: the user can
  comply with the recognized choice. In an AND, one unrecognized part makes the whole
  unknown, since its terms apply too. When no part at all is recognized, the whole
  string is reported as not recognized, not its fragments.
- A GNU license named with a version but without "or later" is the `-only` id, as SPDX
  reads its own deprecated ids (see aliases.toml).
- A precise value beats an ambiguous one: when one part is an ambiguous name and
  another part of the same value (or another value of the same place) names one of the
  licenses it may mean (`Apache-2.0` beside the versionless Apache classifier), the
  ambiguous part is the same statement said less exactly and is set aside. Of two
  ambiguous names that may mean the same licenses, the first is kept (in METADATA the
  License field, before the classifiers). See families.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ospo_scan.licenses import families, spdx
from ospo_scan.licenses.aliases import AliasKind, is_url, load_aliases
from ospo_scan.licenses.spdx import Operator, SpdxExpression

_SEE_FILE = re.compile(r"^see\s+licen[sc]e\s+in\s+(?P<file>.+)$", re.IGNORECASE)
_OR_LATER = re.compile(
    r"^(?P<base>.+?)(?:\s*\+|,?\s+or\s+(?:any\s+)?(?:later|newer)(?:\s+version)?)$", re.IGNORECASE
)
_DUAL = re.compile(
    r"^(?:dual(?:[- ]licen[sc]ed)?(?:\s+under)?(?:\s+the)?|dual\s+licen[sc]e:?|either)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_WITH = re.compile(r"\s+with\s+|\s+w/\s*", re.IGNORECASE)
_WITH_PARENTHESIZED = re.compile(r"^(?P<license>[^()]+?)\s*\(\s*(?:with\s+|w/\s*)(?P<exception>[^()]+?)\s*\)$", re.IGNORECASE)
_VERSION_PART = re.compile(r"^(?:version|v\.?)\s*\d", re.IGNORECASE)
_OR_LATER_AHEAD = r"(?!(?:any\s+)?(?:later|newer|greater)\b)"
_SEPARATORS: tuple[tuple[re.Pattern[str], Operator, str], ...] = (
    (re.compile(rf"\s+or\s+{_OR_LATER_AHEAD}|\s*\|\|?\s*", re.IGNORECASE), Operator.OR, "'or'"),
    (re.compile(r"\s+and\s+|\s*&&?\s*", re.IGNORECASE), Operator.AND, "'and'"),
    (re.compile(r"\s*[,;]\s*"), Operator.OR, "',' or ';' (a list of licenses: read as OR)"),
    (re.compile(r"(?<!\bw)\s*/\s*", re.IGNORECASE), Operator.OR, "'/'"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalizedLicense:
    """What one declared license value means, with the evidence for the reading."""

    declared: str
    """The raw input, unchanged (for normalize_many: the values joined with ' | ')."""
    expression: SpdxExpression | None
    """The SPDX expression; None when the value names no license we can identify."""
    reason: str | None = None
    """Why the expression is None, or which of its parts are ambiguous."""
    see_file: str | None = None
    """npm `SEE LICENSE IN <file>`: the file whose text holds the license."""
    proprietary: bool = False
    """The value declares proprietary terms (npm `UNLICENSED`, the Proprietary classifier)."""
    notes: tuple[str, ...] = ()
    """How the value was read: table entries, rules and decisions applied."""

    @property
    def resolved(self) -> bool:
        """True when there is an expression and none of its ids is an ospo-made reference."""
        return self.expression is not None and spdx.OSPO_REF_PREFIX not in self.expression


def normalize(raw: str) -> NormalizedLicense:
    """Normalize one declared license value (see the module docstring for the order)."""
    text = raw.strip()
    if not text:
        return NormalizedLicense(declared=raw, expression=None, reason="empty license string")
    see = _SEE_FILE.match(text)
    if see:
        name = see.group("file").strip()
        reason = f"the license text is in the file '{name}' (npm 'SEE LICENSE IN')"
        return NormalizedLicense(declared=raw, expression=None, reason=reason, see_file=name)
    return replace(_read(text), declared=raw)


def normalize_many(raws: Sequence[str], operator: Operator = Operator.OR) -> NormalizedLicense:
    """Normalize several values that one place declares (one POM, one METADATA) as one expression.

    OR is the default because that is what several values mean where ecosystems say:
    several POM <license> elements, npm's legacy `licenses` array and several trove
    classifiers each offer a choice. Pass AND where a source says all apply. Values
    from different files are never combined here: two files that disagree are two
    findings, weighed by conclude.py.
    """
    values = [r for r in raws if r.strip()]
    if not values:
        return NormalizedLicense(declared="", expression=None, reason="no license declared")
    parts = [normalize(r) for r in values]
    if len(parts) == 1:
        return parts[0]
    note = f"{len(parts)} declared values joined with {operator.value}"
    return _combine(" | ".join(values), operator, parts, note)


def _read(text: str) -> NormalizedLicense:
    """One value or part, without the npm specials: the steps 2-8 of the module docstring."""
    expression = spdx.try_parse(text)
    if expression is not None:
        notes = () if expression == text else (f"SPDX expression '{text}' -> {expression}",)
        return NormalizedLicense(declared=text, expression=expression, notes=notes)
    found = _alias(text)
    if found is not None:
        return found
    if is_url(text):
        return _unknown(text, f"not a recognized license URL: '{text}'")
    for step in (_or_later, _dual, _parenthesized, _compound, _with_exception):
        reading = step(text)
        if reading is not None:
            return reading
    return _unknown(text, f"not a recognized license name: '{text}'")


def _alias(text: str) -> NormalizedLicense | None:
    alias = load_aliases().lookup(text)
    if alias is None:
        return None
    note = f"'{text}' -> {alias.expression or alias.kind.value} (alias table: {alias.source})"
    if alias.kind is AliasKind.AMBIGUOUS:
        reason = f"'{text}' is ambiguous: it {alias.reason}"
        expression = alias.expression
        return NormalizedLicense(declared=text, expression=expression, reason=reason, notes=(note,))
    return NormalizedLicense(
        declared=text,
        expression=alias.expression,
        reason=alias.reason,
        proprietary=alias.kind is AliasKind.PROPRIETARY,
        notes=(note,),
    )


def _or_later(text: str) -> NormalizedLicense | None:
    """'<license> or later' / '<license>+' where the license reads as a GNU '-only' id."""
    match = _OR_LATER.match(text)
    if not match:
        return None
    base = _read(match.group("base"))
    if base.expression is None or not base.expression.endswith("-only"):
        return None
    later = spdx.try_parse(base.expression.removesuffix("-only") + "-or-later")
    if later is None:
        return None
    note = f"'{text}': 'or later' on {base.expression} -> {later}"
    return NormalizedLicense(declared=text, expression=later, notes=(*base.notes, note))


def _dual(text: str) -> NormalizedLicense | None:
    """'Dual MIT/GPL', 'dual licensed under A and B', 'either A or B': a choice."""
    match = _DUAL.match(text)
    if not match:
        return None
    rest = match.group("rest")
    parts = _split_all(rest)
    if len(parts) < 2:
        return None
    readings = [_read(p) for p in parts]
    if not _any_recognized(readings):
        return None
    note = f"'{text}': 'dual'/'either' read as a choice (OR)"
    return _combine(text, Operator.OR, readings, note)


def _parenthesized(text: str) -> NormalizedLicense | None:
    inner = text[1:-1].strip()
    if inner and text.startswith("(") and _closing(text, 0) == len(text) - 1:
        return replace(_read(inner), declared=text)
    return None


def _compound(text: str) -> NormalizedLicense | None:
    """Split at the loosest separator present outside parentheses; read each part."""
    for pattern, operator, label in _SEPARATORS:
        parts = _split(text, pattern)
        if len(parts) > 1:
            if operator is Operator.OR and label.startswith("','"):
                parts = _merge_version_parts(parts)
                if len(parts) == 1:
                    continue
            readings = [_read(p) for p in parts]
            if not _any_recognized(readings):
                return None  # nothing in it is a license: report the whole string
            note = f"'{text}': split on {label} -> {operator.value}"
            return _combine(text, operator, readings, note)
    return None


def _with_exception(text: str) -> NormalizedLicense | None:
    """'<license> with <exception>': the license must be one id, the exception known."""
    parenthesized = _WITH_PARENTHESIZED.match(text)
    if parenthesized:
        parts = [parenthesized.group("license"), parenthesized.group("exception")]
    else:
        parts = _split(text, _WITH, limit=1)
    if len(parts) != 2:
        return None
    license_part, exception_text = parts
    base = _read(license_part)
    exception = load_aliases().exception(exception_text)
    if base.expression is None:
        return None
    if exception is None:
        return _unknown(text, f"'{exception_text}' in '{text}' is not a known license exception")
    try:
        expression = spdx.with_exception(base.expression, exception)
    except spdx.SpdxError as error:
        return _unknown(text, f"'{text}' is not a valid license WITH exception: {error}")
    note = f"'{text}': '{exception_text}' -> {exception}"
    return NormalizedLicense(declared=text, expression=expression, notes=(*base.notes, note))


def _combine(
    declared: str, operator: Operator, parts: list[NormalizedLicense], note: str
) -> NormalizedLicense:
    """Join part readings: OR keeps the recognized choices, AND needs every part."""
    known = [p for p in parts if p.expression is not None]
    missing = [p for p in parts if p.expression is None]
    notes = [note, *(n for p in parts for n in p.notes)]
    if operator is Operator.AND and missing or not known:
        reasons = "; ".join(f"'{p.declared}': {p.reason}" for p in missing)
        return NormalizedLicense(
            declared=declared,
            expression=None,
            reason=f"not every part is a recognized license ({reasons})",
            see_file=next((p.see_file for p in missing if p.see_file), None),
            proprietary=any(p.proprietary for p in missing),
            notes=tuple(notes),
        )
    notes += [f"dropped the choice '{p.declared}': {p.reason}" for p in missing]
    known, set_aside = _precise_over_ambiguous(known)
    notes += set_aside
    expression = spdx.join(operator, [p.expression for p in known if p.expression])
    reason = "; ".join(p.reason for p in known if p.reason) or None
    return NormalizedLicense(declared=declared, expression=expression, reason=reason, notes=tuple(notes))


def _precise_over_ambiguous(parts: list[NormalizedLicense]) -> tuple[list[NormalizedLicense], list[str]]:
    """The parts without those an earlier or more precise part already says (module
    docstring), and a note for each part set aside."""
    kept: list[NormalizedLicense] = []
    notes: list[str] = []
    for index, part in enumerate(parts):
        why = _said_better(part, index, parts)
        if why is None:
            kept.append(part)
        else:
            notes.append(f"set aside '{part.declared}': {why}")
    return kept, notes


def _said_better(part: NormalizedLicense, index: int, parts: list[NormalizedLicense]) -> str | None:
    """Why another part already says what `part` (one ambiguous id) says: more precisely,
    or first among names that may mean the same licenses; None when none does."""
    if part.expression is None or not families.is_ambiguous(part.expression):
        return None
    for other_index, other in enumerate(parts):
        if other_index == index or other.expression is None:
            continue
        for key in spdx.license_keys(other.expression):
            if not families.refines(key, part.expression):
                continue
            if families.may_mean(key) != families.may_mean(part.expression):
                return f"'{other.declared}' names {key}, one of the licenses it may mean"
            if other_index < index:
                return f"'{other.declared}' may mean the same licenses and comes first"
    return None


def _any_recognized(readings: list[NormalizedLicense]) -> bool:
    return any(r.expression is not None or r.proprietary or r.see_file for r in readings)


def _unknown(text: str, reason: str) -> NormalizedLicense:
    return NormalizedLicense(declared=text, expression=None, reason=reason)


def _split_all(text: str) -> list[str]:
    """Split on every separator (for 'dual ...', where 'and' also names a choice)."""
    parts = [text]
    for pattern, _, _ in _SEPARATORS:
        parts = [piece for part in parts for piece in _split(part, pattern)]
    return parts


def _split(text: str, pattern: re.Pattern[str], limit: int = 0) -> list[str]:
    """Split on `pattern` where it occurs outside parentheses; empty pieces vanish."""
    depth, level = 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        level.append(depth)
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if match.start() == match.end() or level[match.start()] != 0:
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
        if limit and len(pieces) == limit:
            break
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _merge_version_parts(parts: list[str]) -> list[str]:
    """'Apache License, Version 2.0': a comma before 'Version 2.0' separates nothing."""
    merged: list[str] = []
    for part in parts:
        if merged and _VERSION_PART.match(part):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    return merged


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis that closes the one at `start` (-1 when unbalanced)."""
    depth = 0
    for index in range(start, len(text)):
        depth += (text[index] == "(") - (text[index] == ")")
        if depth == 0:
            return index
    return -1
