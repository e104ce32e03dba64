"""The one XML entry point: hostile constructs are refused at once and nothing else is read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.parsers.base import ParseError
from ospo_scan.parsers.maven.xml_safe import XmlElement, parse_xml

_OPENED: list[str] | None = None
_HOOKED = False


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


@contextmanager
def recorded_opens() -> Iterator[list[str]]:
    """Every file the interpreter opens meanwhile (PEP 578 audit events; hook installed once)."""
    global _OPENED, _HOOKED
    if not _HOOKED:
        sys.addaudithook(_record_opens)
        _HOOKED = True
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


def test_names_lose_their_namespace_and_keep_their_line() -> None:
    root = parse_xml('<?xml version="1.0"?>\n<p:project xmlns:p="urn:x">\n  <p:a> text </p:a>\n  <b\n/>\n</p:project>')
    assert root == XmlElement(
        name="project",
        line=2,
        text="",
        children=(XmlElement(name="a", line=3, text="text"), XmlElement(name="b", line=4)),
    )
    assert root.text_of("a") == "text"
    assert root.text_of("b") is None
    assert root.descend("a") is not None and root.descend("a", "missing") is None


def test_standard_character_references_are_expanded() -> None:
    assert parse_xml("<a>&lt;1&amp;2&gt; &#65;</a>").text == "<1&2> A"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE project>\n<project/>', 2),
        ('<!DOCTYPE project [\n<!ENTITY a "b">\n]>\n<project>&a;</project>', 1),
        ('\n\n<!DOCTYPE p [<!ENTITY % remote SYSTEM "https://dtd.acme.example/x.dtd"> %remote;]><p/>', 3),
        ('<!DOCTYPE p PUBLIC "-//ACME//DTD//EN" "https://dtd.acme.example/p.dtd"><p/>', 1),
    ],
)
def test_any_doctype_is_refused_at_its_line(text: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_xml(text)
    assert raised.value.line == line
    assert raised.value.message.startswith("DOCTYPE declaration refused")


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 30))
    with pytest.raises(ParseError):
        parse_xml(f'<!DOCTYPE p [<!ENTITY l0 "lol">{levels}]><p>&l29;</p>')  # 10**29 characters if expanded


def test_external_entity_never_opens_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    text = f'<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<project><name>&x;</name></project>'
    with recorded_opens() as opened, pytest.raises(ParseError) as raised:
        parse_xml(text)
    assert not [path for path in opened if "secret" in path]
    assert "TOP-SECRET-CONTENT" not in raised.value.message
    assert raised.value.line == 2


def test_undeclared_entity_is_a_syntax_error() -> None:
    with pytest.raises(ParseError) as raised:
        parse_xml("<project>\n<name>&x;</name></project>")
    assert (raised.value.line, raised.value.message) == (2, "not well-formed XML: undefined entity")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "not well-formed XML: no element found"),
        ("   \n  ", 2, "not well-formed XML: no element found"),
        ("<project>\n<a></b>\n</project>", 2, "not well-formed XML: mismatched tag"),
        ("<project>\n<a>", 2, "not well-formed XML: no element found"),
        ("<a/><b/>", 1, "not well-formed XML: junk after document element"),
    ],
)
def test_malformed_xml_gives_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_xml(text)
    assert (raised.value.line, raised.value.message) == (line, message)


def test_encoding_declaration_of_already_decoded_text_is_harmless() -> None:
    assert parse_xml('<?xml version="1.0" encoding="iso-8859-1"?><name>Sébastien</name>').text == "Sébastien"


def test_deep_nesting_is_built_without_recursion() -> None:
    depth = 100_000
    root = parse_xml("<a>" * depth + "</a>" * depth)
    assert root.name == "a" and len(root.children) == 1
