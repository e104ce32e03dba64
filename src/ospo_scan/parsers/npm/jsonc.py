"""JSON with comments and trailing commas (what Bun writes in bun.lock) -> strict JSON text.

A regular expression that deletes `,]` would also change strings that contain `,]` (a
URL, a description), so this walks the text token by token: strings are copied as they
are, `//` and `/* */` comments become spaces, and a comma becomes a space when the next
thing after blanks and comments is `]` or `}`. Every replacement keeps the length and
the newlines, so json's error lines and the key lines found later are those of the
original file.

Without comments (what Bun writes) the text is split into strings and the rest by one
regular expression and only the rest is edited, which keeps a 20 MB lockfile fast; as
soon as a `/` appears outside strings, the token walk below takes over.

Each character is looked at a bounded number of times (where the last `*/` is, is known
up front, so an unclosed `/*` is left as it is without searching), and hostile input
cannot make this quadratic; what is not valid JSONC is left for json.loads to reject,
with its line.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r'["/,]')
_STRING = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')
_STRINGS = re.compile(r'("[^"\\\n]*(?:\\.[^"\\\n]*)*")')
_TRAILING_COMMA = re.compile(r",(?=\s*[\]}])")
_BLANKS = re.compile(r"\s*")
_NOT_NEWLINE = re.compile(r"[^\n]")


def strip_jsonc(text: str) -> str:
    """The same text with comments and trailing commas turned into spaces."""
    parts = _STRINGS.split(text)
    if any("/" in part for part in parts[0::2]):
        return _Walker(text).run()
    parts[0::2] = [_TRAILING_COMMA.sub(" ", part) for part in parts[0::2]]
    return "".join(parts)


class _Walker:
    """One pass over the text; `last_close` lets an unclosed `/*` be seen without searching."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last_close = text.rfind("*/")

    def run(self) -> str:
        pieces: list[str] = []
        position = 0
        while (found := _SPECIAL.search(self.text, position)) is not None:
            start = found.start()
            pieces.append(self.text[position:start])
            position = self._token(start, pieces)
        pieces.append(self.text[position:])
        return "".join(pieces)

    def _token(self, start: int, pieces: list[str]) -> int:
        """Copy or blank the token at `start` (a string, comment or comma); return where it ends."""
        text, char = self.text, self.text[start]
        if char == '"':
            string = _STRING.match(text, start)
            end = string.end() if string is not None else start + 1
            pieces.append(text[start:end])
            return end
        if char == ",":
            following = self._skip_blanks(start + 1)
            pieces.append(" " if following < len(text) and text[following] in "]}" else ",")
            return start + 1
        end = self._comment_end(start)
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]) if end > start else "/")
        return max(end, start + 1)

    def _comment_end(self, start: int) -> int:
        """End of the comment at `start`; `start` itself when there is none (or it never closes)."""
        text = self.text
        if text.startswith("//", start):
            newline = text.find("\n", start)
            return len(text) if newline < 0 else newline
        if text.startswith("/*", start) and start + 2 <= self.last_close:
            return text.find("*/", start + 2) + 2
        return start

    def _skip_blanks(self, position: int) -> int:
        """The position of the next character that is neither whitespace nor in a comment."""
        while True:
            blanks = _BLANKS.match(self.text, position)
            position = blanks.end() if blanks is not None else position
            end = self._comment_end(position)
            if end == position:
                return position
            position = end
