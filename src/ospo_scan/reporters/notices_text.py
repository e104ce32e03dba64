"""The notices report's building blocks: reading a recorded license file, and writing
scanned text into Markdown that also reads as plain text.

A license file is read when the notices are rendered, not during the scan, from the path
the license stage recorded: absolute, with every symlink resolved while the source checked
the file. A path that resolves to anything else now (a symlink put in its way since) is
refused rather than followed, so the report never reads outside the place the file was
found; the bytes go through ospo_scan.reading (regular files only, size cap, decoding).

Everything scanned (names, versions, paths, reasons, license texts) may hold markup: a
value goes into a code span whose backtick run is longer than any inside it, a sentence
has the characters that start inline markup backslash-escaped (`\\<` stops an HTML tag;
`_` inside a word is left alone, so paths stay readable as plain text), and a license
text goes into a fenced block whose fence is longer than any backtick run in it. Control
and bidi characters are spelled out (`\\x1b`), so `cat NOTICES.md` on a terminal cannot be rewritten by a text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePath

from ospo_scan.licenses.evidence import MAX_LICENSE_TEXT_SIZE
from ospo_scan.model import Component, Ecosystem
from ospo_scan.reading import FileReadError, decode, read_bounded

_KEPT_CONTROLS = frozenset((0x09, 0x0A, 0x0C))
"""Tab, newline and form feed (old GNU texts separate pages with it) stay in license texts."""

_INVISIBLE = {
    code: f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
}
"""C0 and C1 controls, DEL, bidi controls and line separators, spelled out."""

_TEXT_INVISIBLE = {code: escape for code, escape in _INVISIBLE.items() if code not in _KEPT_CONTROLS}

_MARKUP = re.compile(r"[\\`*\[\]<>&]|_+")
"""What can start markup inside a line: backslash, backtick, emphasis, links, HTML, entities;
a run of `_` only where it is not inside a word (CommonMark never reads `a_b` or `a__b`
as emphasis: see `_escaped`)."""

_PAIRED = "~$"
"""Strikethrough and GitHub's math need two of them in one paragraph: escaped only then."""

_BACKTICKS = re.compile(r"`+")

OUTSIDE_ROOT = {
    Ecosystem.GOLANG: "Go module cache",
    Ecosystem.MAVEN: "local Maven repository",
    Ecosystem.PYPI: "Python environment outside the scanned tree",
    Ecosystem.NPM: "outside the scanned tree",
}
"""Where a license file outside every scanned root lies, said instead of its absolute path."""


def read_license_text(path: str, max_size: int = MAX_LICENSE_TEXT_SIZE) -> str:
    """The text of a recorded license file, newlines normalized; FileReadError says why not."""
    if os.path.realpath(path) != path:
        raise FileReadError("the path now leads through a symbolic link (changed since the scan); not followed")
    text = decode(read_bounded(Path(path), max_size))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def fenced(text: str) -> list[str]:
    """A fenced code block holding `text` verbatim (controls aside), whatever backticks it has."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text.translate(_TEXT_INVISIBLE), fence]


def code(value: str) -> str:
    """`value` as an inline code span: on one line, no markup, no controls."""
    flat = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").translate(_INVISIBLE) or " "
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{ticks}{padded}{ticks}"


def sentence(value: str) -> str:
    """Scanned free text (a reason, an error) as Markdown text: what starts markup escaped.

    Each sentence is written as a paragraph or list item of its own, after fixed text, so
    a lone `~` or `$` cannot pair with another one and stays as it is (`~/.m2` reads well).
    """
    flat = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").translate(_INVISIBLE)
    escaped = _MARKUP.sub(_escaped, flat)
    for mark in _PAIRED:
        if escaped.count(mark) > 1:
            escaped = escaped.replace(mark, "\\" + mark)
    return escaped


def _escaped(match: re.Match[str]) -> str:
    """The markup characters matched, backslash-escaped; a `_` run inside a word kept as is."""
    text, start, end = match.string, match.start(), match.end()
    if match.group().startswith("_") and 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        return match.group()
    return "".join("\\" + char for char in match.group())


def scanned_roots(roots: Sequence[str]) -> list[tuple[str, PurePath]]:
    """(label, real folder) of each scanned root, deepest first; the label prefixes paths
    as the inventory's locations are prefixed (only when several roots were scanned)."""
    found: list[tuple[str, PurePath]] = []
    for root in roots:
        folder = Path(root)
        base = folder if folder.is_dir() or not folder.exists() else folder.parent
        found.append((root if len(roots) > 1 else "", PurePath(os.path.realpath(base))))
    return sorted(found, key=lambda item: -len(item[1].parts))


def shown_path(path: str, roots: Sequence[tuple[str, PurePath]], component: Component) -> str:
    """A recorded license file as a reader may see it: relative to the scanned root, or,
    outside every root, from the package's own folder on with where that is (never the
    absolute path: it names the machine's folders and differs from one checkout to another)."""
    file = PurePath(path)
    for label, root in roots:
        if file.is_relative_to(root):
            relative = file.relative_to(root).as_posix()
            return f"{label.rstrip('/')}/{relative}" if label else relative
    return f"{_package_tail(file, component)} ({OUTSIDE_ROOT[component.ecosystem]})"


def _package_tail(file: PurePath, component: Component) -> str:
    """The file's path from the package's folder in its cache or environment on."""
    parts = file.parts
    if component.ecosystem is Ecosystem.GOLANG:
        depth = component.name.count("/") + 1
        at = next((index for index in range(len(parts) - 1, -1, -1) if "@" in parts[index]), None)
        if at is not None and at + 1 >= depth:
            return "/".join(parts[at + 1 - depth :])
    anchors = [index for index, part in enumerate(parts) if part in ("site-packages", "dist-packages", "node_modules")]
    if anchors:
        return "/".join(parts[anchors[-1] + 1 :])
    return file.name
