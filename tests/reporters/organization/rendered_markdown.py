"""The organization markdown as a reader sees it: rendered by a CommonMark parser with
GitHub's tables (markdown-it-py, which rich brings), then read back section by section.

Reading the rendered page, not the markdown text, is what tells whether a `|` in a name
added a column or a `<script>` in one became a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt


@dataclass
class Section:
    """One `##` section: its heading, and its table's rows as cell texts (header first)."""

    heading: str
    rows: list[list[str]] = field(default_factory=list)
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = [Section("")]
        self.tags: list[str] = []
        self._heading: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "h2":
            self._heading = ""
        elif tag == "tr":
            self.sections[-1].rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.sections.append(Section(self._heading))
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None:
            self.sections[-1].rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data
        elif self._cell is not None:
            self._cell.append(data)
        else:
            self.sections[-1].text += data


@dataclass
class Rendered:
    """The page: its sections by heading (the count in brackets left off) and every tag."""

    sections: dict[str, Section]
    tags: list[str]


def rendered(markdown: str) -> Rendered:
    """Parse `markdown` as GitHub would (CommonMark, tables, raw HTML allowed)."""
    page = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return Rendered({section.heading.split(" (")[0]: section for section in reader.sections}, reader.tags)
