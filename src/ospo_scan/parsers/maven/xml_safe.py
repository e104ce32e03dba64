"""The one function that parses XML: hardened, line-aware, namespace-blind.

Everything XML in ospo-scan goes through `parse_xml`, so the hardening holds everywhere:
defusedxml refuses any DOCTYPE (and with it every entity definition, internal or
external) the moment expat meets it, before a single entity could expand or another file
could be opened. POMs never need a DTD, so refusing it costs nothing legitimate.

The tree built here is deliberately small: local names (the POM 4.0.0 namespace, a 4.1.0
namespace or none at all read the same), stripped text, the line each element starts on
(ElementTree forgets it; the parser knows it while the start tag is handled), and
children as tuples so a parsed document cannot be changed afterwards. Building it is
iterative, so deeply nested input cannot exhaust the Python stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError as XmlSyntaxError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from ospo_scan.parsers.base import ParseError


@dataclass(frozen=True, slots=True, kw_only=True)
class XmlElement:
    """One element: local name, start line, own stripped text, children in document order."""

    name: str
    line: int
    text: str = ""
    children: tuple[XmlElement, ...] = ()

    def child(self, name: str) -> XmlElement | None:
        """The first child called `name`, or None."""
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> Iterator[XmlElement]:
        """Every child called `name`, in document order."""
        return (c for c in self.children if c.name == name)

    def text_of(self, name: str) -> str | None:
        """Stripped text of the first child called `name`; None when absent or empty."""
        found = self.child(name)
        return (found.text or None) if found is not None else None

    def descend(self, *names: str) -> XmlElement | None:
        """Follow a path of child names (e.g. 'dependencyManagement', 'dependencies')."""
        current: XmlElement | None = self
        for name in names:
            current = current.child(name) if current is not None else None
        return current


def parse_xml(text: str) -> XmlElement:
    """Parse a whole document into its root element, or raise ParseError with the line.

    DOCTYPE declarations, entity definitions and external entity references are refused
    (the refusal happens at the declaration itself, so an entity bomb never expands and
    nothing outside the file is read).
    """
    builder = _TreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.line_of_event = lambda: parser.parser.CurrentLineNumber
    try:
        parser.feed(text)
        parser.close()
    except DTDForbidden:
        raise ParseError(_REFUSED_DTD, builder.line_of_event()) from None
    except DefusedXmlException as error:  # entity or external reference without a DOCTYPE (defensive)
        raise ParseError(f"refused XML construct ({type(error).__name__}): entities are never expanded", builder.line_of_event()) from None
    except XmlSyntaxError as error:
        message = str(error).split(": line ", 1)[0]
        raise ParseError(f"not well-formed XML: {message}", error.position[0]) from None
    if builder.root is None:  # pragma: no cover - expat reports "no element found" first
        raise ParseError("no XML root element", 1)
    return builder.root


_REFUSED_DTD = (
    "DOCTYPE declaration refused: a POM never needs one, and its entity definitions could "
    "expand without bound or read files outside the project"
)


@dataclass(slots=True)
class _OpenElement:
    name: str
    line: int
    text: list[str] = field(default_factory=list)
    children: list[XmlElement] = field(default_factory=list)


class _TreeBuilder:
    """ElementTree parser target that keeps lines and drops namespaces and attributes."""

    def __init__(self) -> None:
        self.stack: list[_OpenElement] = []
        self.root: XmlElement | None = None
        self.line_of_event = lambda: 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:  # noqa: ARG002 - POM values are never attributes
        self.stack.append(_OpenElement(name=tag.rsplit("}", 1)[-1], line=self.line_of_event()))

    def data(self, data: str) -> None:
        if self.stack:
            self.stack[-1].text.append(data)

    def end(self, tag: str) -> None:  # noqa: ARG002 - expat has already matched start and end tags
        done = self.stack.pop()
        element = XmlElement(name=done.name, line=done.line, text="".join(done.text).strip(), children=tuple(done.children))
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element

    def close(self) -> XmlElement | None:
        return self.root
