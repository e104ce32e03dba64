"""The line grammar of pip requirements files, apart from what the lines mean.

pip reads a requirements file in three steps, and this module mirrors them so that
edge cases behave as pip's do: physical lines ending in a backslash are joined (a
comment line is never continued), a comment starts at a `#` that begins the line or
follows whitespace (so `#egg=` inside a URL is not one), and a line is split into the
requirement before the first whitespace-led `-` and pip options after it.

pip-compile's `# via` annotations are kept with the entry they follow, because they
are the only record in the file of whether a package is direct or transitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

_COMMENT = re.compile(r"(?<!\S)#")
r"""A `#` at the start or after whitespace. One look back per `#`, so a line is read in linear
time; pip's own `(^|\s+)#.*$` retries the whole run of spaces from each of its spaces."""
_OPTIONS_START = re.compile(r"(^|\s)-")
_VIA = re.compile(r"\s*via\b(?P<sources>.*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One logical line: physical lines joined by trailing backslashes."""

    number: int
    """1-based number of the first physical line, where a reader would look."""
    text: str
    """Everything before the comment, stripped; '' for blank and comment lines."""
    comment: str | None
    """The text after `#`, unstripped (indentation marks `# via` continuations)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """A line with content, and the pip-compile `# via` sources annotating it."""

    number: int
    text: str
    via: tuple[str, ...] | None = None
    """Sources from `# via` comments; None when the line is not annotated."""


class OptionError(ValueError):
    """An option line pip itself would refuse (unknown option, missing value)."""


_VALUE = True
_FLAG = False
_OPTIONS: dict[str, tuple[str, bool]] = {
    "-r": ("requirement", _VALUE),
    "--requirement": ("requirement", _VALUE),
    "-c": ("constraint", _VALUE),
    "--constraint": ("constraint", _VALUE),
    "-e": ("editable", _VALUE),
    "--editable": ("editable", _VALUE),
    "-i": ("index-url", _VALUE),
    "--index-url": ("index-url", _VALUE),
    "--extra-index-url": ("extra-index-url", _VALUE),
    "--no-index": ("no-index", _FLAG),
    "-f": ("find-links", _VALUE),
    "--find-links": ("find-links", _VALUE),
    "--no-binary": ("no-binary", _VALUE),
    "--only-binary": ("only-binary", _VALUE),
    "--prefer-binary": ("prefer-binary", _FLAG),
    "--require-hashes": ("require-hashes", _FLAG),
    "--pre": ("pre", _FLAG),
    "--trusted-host": ("trusted-host", _VALUE),
    "--use-feature": ("use-feature", _VALUE),
    "--hash": ("hash", _VALUE),
    "--global-option": ("global-option", _VALUE),
    "--install-option": ("install-option", _VALUE),
    "-C": ("config-settings", _VALUE),
    "--config-settings": ("config-settings", _VALUE),
}
"""The options pip accepts in a requirements file: spelling -> (name, takes a value)."""


def entries(text: str) -> list[Entry]:
    """The lines with content, each with the `# via` sources that follow or trail it."""
    found: list[Entry] = []
    attach = False  # the previous line was an entry not yet annotated
    collecting = False  # inside a multi-line "# via" block of found[-1]
    for line in logical_lines(text):
        if line.text:
            via = via_sources(line.comment) if line.comment is not None else None
            found.append(Entry(number=line.number, text=line.text, via=via))
            attach, collecting = via is None, False
            continue
        comment = line.comment
        sources = via_sources(comment) if comment is not None and attach else None
        if sources is not None:
            found[-1] = replace(found[-1], via=sources)
            attach, collecting = False, not sources
        elif collecting and comment is not None and comment.startswith("  ") and comment.strip():
            found[-1] = replace(found[-1], via=(*(found[-1].via or ()), comment.strip()))
        else:
            attach = collecting = False
    return found


def via_sources(comment: str) -> tuple[str, ...] | None:
    """Sources of a pip-compile `via` comment (old style: comma-separated), else None."""
    found = _VIA.match(comment)
    if found is None:
        return None
    return tuple(part.strip() for part in found.group("sources").split(",") if part.strip())


def logical_lines(text: str) -> Iterator[Line]:
    """Join continued lines as pip does and split off comments.

    As in pip, a physical line ending in a backslash is joined to the next unless it
    is a comment, and a trailing backslash on the last line is simply dropped.
    """
    pending: list[str] = []
    first = 0
    for number, physical in enumerate(text.splitlines(), start=1):
        is_comment = _COMMENT.search(physical) is not None
        if physical.endswith("\\") and not is_comment:
            first = first or number
            pending.append(physical.rstrip("\\"))
            continue
        if pending:
            pending.append(" " + physical if is_comment else physical)
            yield _split_comment(first, "".join(pending))
            pending, first = [], 0
        else:
            yield _split_comment(number, physical)
    if pending:
        yield _split_comment(first, "".join(pending))


def _split_comment(number: int, logical: str) -> Line:
    found = _COMMENT.search(logical)
    if found is None:
        return Line(number=number, text=logical.strip(), comment=None)
    return Line(number=number, text=logical[: found.start()].strip(), comment=logical[found.end() :])


def split_options(text: str) -> tuple[str, str]:
    """Split a line into the requirement and the options after it, as pip does.

    The requirement ends before the first whitespace-led `-` (so `foo--bar==1` is a
    name, and a line starting with `-` is options only).
    """
    found = _OPTIONS_START.search(text)
    if found is None:
        return text.strip(), ""
    return text[: found.start()].strip(), text[found.start() :].strip()


def parse_options(tokens: list[str]) -> list[tuple[str, str | None]]:
    """(name, value) for each option in shell-split tokens; raise OptionError like pip.

    Accepts `--opt=value`, `--opt value`, `-X value` and `-Xvalue`. Stray words that
    are not option values are ignored, as pip's option parser leaves them unused.
    """
    parsed: list[tuple[str, str | None]] = []
    index = 0
    while index < len(tokens):
        spelling, value = _spelling(tokens[index])
        index += 1
        if spelling is None:
            continue
        known = _OPTIONS.get(spelling)
        if known is None:
            raise OptionError(f"unknown pip option {spelling}")
        name, takes_value = known
        if takes_value and value is None:
            if index >= len(tokens):
                raise OptionError(f"option {spelling} needs a value")
            value, index = tokens[index], index + 1
        parsed.append((name, value if takes_value else None))
    return parsed


def _spelling(token: str) -> tuple[str | None, str | None]:
    """The option spelling and attached value of one token; (None, None) if not an option."""
    if token.startswith("--"):
        spelling, equals, value = token.partition("=")
        return spelling, value if equals else None
    if token.startswith("-") and len(token) > 1:
        return token[:2], token[2:] or None
    return None, None
