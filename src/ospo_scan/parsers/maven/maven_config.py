"""`.mvn/maven.config`: the command-line options a Maven build always gets.

CI-friendly versions (`${revision}`, `${sha1}`, `${changelist}`) are often set only
there (`-Drevision=1.4.0`), never in a POM. Maven reads the file from the
multi-module project directory: the nearest folder at or above the POM that holds a
`.mvn` folder. Its `-Dname=value` options are user properties, which win over every
POM `<properties>` value. Nothing else in the file matters to a dependency inventory.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping

from ospo_scan.parsers import shell_words
from ospo_scan.parsers.base import FileReader, FileReadError
from ospo_scan.parsers.maven.pom_syntax import PomDocument

CONFIG_PATH = ".mvn/maven.config"


def user_properties(text: str) -> dict[str, str]:
    """The `-Dname=value` / `--define name=value` options of a maven.config text."""
    try:
        tokens = shell_words.split(text)  # shlex.split's words, in linear time
    except ValueError:  # an unbalanced quote: read what plain splitting gives
        tokens = text.split()
    found: dict[str, str] = {}
    pending_define = False
    for token in tokens:
        if pending_define:
            _define(token, found)
            pending_define = False
        elif token in ("-D", "--define"):
            pending_define = True
        elif token.startswith("-D"):
            _define(token[2:], found)
        elif token.startswith("--define="):
            _define(token[len("--define=") :], found)
    return found


def _define(assignment: str, found: dict[str, str]) -> None:
    name, separator, value = assignment.partition("=")
    if name:
        found[name] = value if separator else "true"  # `-Dflag` alone means true, as in Maven


def with_user_properties(documents: Mapping[str, PomDocument], reader: FileReader | None) -> dict[str, PomDocument]:
    """Each POM with the user properties of its project's maven.config applied on top."""
    if reader is None:
        return dict(documents)
    cache: dict[str, dict[str, str] | None] = {}
    updated: dict[str, PomDocument] = {}
    for path, document in documents.items():
        properties = _config_for(posixpath.dirname(path), reader, cache)
        if properties:
            merged = {**dict(document.properties), **properties}
            document = dataclasses.replace(document, properties=tuple(merged.items()))
        updated[path] = document
    return updated


def _config_for(folder: str, reader: FileReader, cache: dict[str, dict[str, str] | None]) -> dict[str, str] | None:
    """The user properties of the nearest maven.config at or above `folder` (inside the root)."""
    visited: list[str] = []
    current = folder
    found: dict[str, str] | None = None
    while True:
        if current in cache:
            found = cache[current]
            break
        visited.append(current)
        try:
            found = user_properties(reader.read(posixpath.join(current, CONFIG_PATH) if current else CONFIG_PATH).text)
            break
        except FileReadError:
            pass
        if not current:
            break
        current = posixpath.dirname(current)
    for folder_seen in visited:
        cache[folder_seen] = found
    return found
