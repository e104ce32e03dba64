"""yarn.lock, both flavours: tell them apart, hand the file to the right reader.

Yarn 1 writes its own indented text format (yarn_v1); Yarn 2 and later ("Berry") write
YAML whose first key is `__metadata` (yarn_berry). The file name is the same, so the
content decides: a top-level `__metadata:` line means Berry. A Berry file whose
`__metadata` was lost still has `  resolution: "..."` lines, which v1 never writes; such a
file is read as Berry and the missing metadata reported. Anything else is read as v1,
whose reader refuses (ParseError) a file in which no entry at all can be read, e.g. a
YAML document that is not a lockfile.
"""

from __future__ import annotations

from ospo_scan.model import Ecosystem
from ospo_scan.parsers.base import FileReader, FileRole, ParseResult, ParserSpec, SourceFile
from ospo_scan.parsers.npm.yarn_berry import parse_berry
from ospo_scan.parsers.npm.yarn_common import PARSER_NAME
from ospo_scan.parsers.npm.yarn_v1 import parse_v1

_BERRY_MARKERS = ("\n__metadata:", '\n"__metadata":', "\n  resolution: ")


def parse_yarn_lock(source: SourceFile, reader: FileReader) -> ParseResult:
    """Read a yarn.lock of either flavour; the reader is not needed (no includes)."""
    return parse_berry(source) if is_berry(source.text) else parse_v1(source)


def is_berry(text: str) -> bool:
    """True for Yarn 2+ (YAML) lockfiles, judged by markers v1 never writes."""
    framed = "\n" + text.replace("\r\n", "\n")
    return any(marker in framed for marker in _BERRY_MARKERS)


SPEC = ParserSpec(
    name=PARSER_NAME,
    ecosystem=Ecosystem.NPM,
    role=FileRole.LOCKFILE,
    file_names=frozenset({"yarn.lock"}),
    parse=parse_yarn_lock,
)
