"""Identify a LICENSE/COPYING text: the one wrapper around the licenseclassifier library.

licenseclassifier is a pure-Python port of google/licensecheck: about 700 SPDX licenses
(and the short notices, such as the Apache-2.0 header) as word-level patterns, compiled
ahead of time and shipped in the wheel (1.6 MB, no dependencies, no network). Its scanner
is built once per process on the first call (~0.1-0.2 s) and a match then takes a few
milliseconds. Copyright lines are skipped by the patterns, so any holder matches.

The library reports matched regions; the confidence figure here is the share of the
text's words that the best license's regions cover. Below RECOGNITION_THRESHOLD the text
is "not recognized", and the reason names the best candidate so a reader can judge.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path

from ospo_scan.licenses.evidence import MAX_LICENSE_TEXT_SIZE, Refusal, TextMatch, read_text
from ospo_scan.parsers.base import FileReadError

RECOGNITION_THRESHOLD = 0.8
"""Minimum share of the text's words that one license must cover to name it."""

_WORD = re.compile(r"\w+")


def identify_license_text(text: str) -> TextMatch:
    """What license `text` is, with the share of its words the license covers."""
    if len(text) > MAX_LICENSE_TEXT_SIZE:
        return TextMatch(spdx_id=None, confidence=0.0, reason=f"text of {len(text)} characters is too long to be one license text")
    words = [match.start() for match in _WORD.finditer(text)]
    if not words:
        return TextMatch(spdx_id=None, confidence=0.0, reason="empty text: no words to identify")
    from licenseclassifier import identify_license  # 0.25 s of import: paid only by a scan that meets a license text

    try:
        regions = identify_license(text, coverage_threshold=0.0)
    except Exception as error:  # noqa: BLE001 - a matcher bug must cost one text, not the scan; the reason says so
        return TextMatch(spdx_id=None, confidence=0.0, reason=f"license matcher failed on this text ({type(error).__name__}: {error})")
    covered: dict[str, int] = {}
    for region in regions:
        covered[region.id] = covered.get(region.id, 0) + _count_between(words, region.start, region.end)
    if not covered:
        return TextMatch(spdx_id=None, confidence=0.0, reason="text not recognized (no license text found in it)")
    best, count = _best(covered)
    confidence = round(count / len(words), 3)
    ids = tuple(covered)
    if confidence < RECOGNITION_THRESHOLD:
        return TextMatch(spdx_id=None, confidence=confidence, reason=_not_recognized(covered, len(words)), ids=ids)
    return TextMatch(spdx_id=best, confidence=confidence, ids=ids)


def identify_license_file(path: Path, display: str, max_size: int = MAX_LICENSE_TEXT_SIZE) -> TextMatch:
    """Identify the text of one file; an unreadable file is a non-match with the reason."""
    try:
        text = read_text(path, max_size)
    except FileReadError as error:
        return TextMatch(spdx_id=None, confidence=0.0, reason=f"{display}: unreadable ({error})", path=display)
    found = identify_license_text(text)
    reason = f"{display}: {found.reason}" if found.reason else None
    return TextMatch(spdx_id=found.spdx_id, confidence=found.confidence, reason=reason, ids=found.ids, path=display)


def identify_license_files(paths: Sequence[Path], display: Callable[[Path], str], limit: int = 10) -> TextMatch | None:
    """One answer for the license files of one package (None when it has none).

    Files that agree on one license give it; files naming different licenses give no
    single id (the files do not say whether they are alternatives or all apply) but list
    them all in `ids`, for the classifier to weigh against what the package declares.
    """
    matches = [identify_license_file(path, display(path)) for path in paths[:limit]]
    return combine_matches(matches) if matches else None


def with_refused(match: TextMatch | None, refused: Sequence[Refusal]) -> TextMatch | None:
    """`match` with the license files that were not read (a symlink leading out of their
    boundary) as non-matches beside it, so that a license left unknown says which file
    was refused and why."""
    if not refused:
        return match
    unread = [TextMatch(spdx_id=None, confidence=0.0, reason=f"{refusal.path}: not read ({refusal.reason})", path=refusal.path) for refusal in refused]
    return combine_matches([*(match.files if match is not None else ()), *unread])


def combine_matches(matches: Sequence[TextMatch]) -> TextMatch:
    """Merge the matches of several files of one package (see identify_license_files)."""
    if len(matches) == 1:
        return matches[0]
    recognized = [match for match in matches if match.spdx_id is not None]
    ids = tuple(dict.fromkeys(license_id for match in matches for license_id in match.ids))
    parts = tuple(matches)
    if not recognized:
        best = max(matches, key=lambda match: match.confidence)
        return TextMatch(spdx_id=None, confidence=best.confidence, reason=best.reason, ids=ids, path=best.path, parts=parts)
    distinct = dict.fromkeys(match.spdx_id for match in recognized)
    if len(distinct) == 1:
        best = max(recognized, key=lambda match: match.confidence)
        return TextMatch(spdx_id=best.spdx_id, confidence=best.confidence, ids=ids, path=best.path, parts=parts)
    listed = ", ".join(f"{match.spdx_id} ({match.path})" for match in recognized)
    reason = f"license files name different licenses: {listed}"
    return TextMatch(spdx_id=None, confidence=min(match.confidence for match in recognized), reason=reason, ids=ids, parts=parts)


def _best(covered: dict[str, int]) -> tuple[str, int]:
    """The license covering most words. A license text often ends with its own "how to
    apply" notice (GPL-1.0 then a GPL-1.0-or-later header): variants of one license count
    together, under the variant that covers most."""
    families: dict[str, int] = {}
    for license_id, count in covered.items():
        families[_family(license_id)] = families.get(_family(license_id), 0) + count
    family, total = max(families.items(), key=lambda item: item[1])
    members = {license_id: count for license_id, count in covered.items() if _family(license_id) == family}
    return max(members.items(), key=lambda item: item[1])[0], total


def _family(license_id: str) -> str:
    return license_id.removesuffix("-only").removesuffix("-or-later")


def _count_between(word_starts: list[int], start: int, end: int) -> int:
    """How many words start inside [start, end) (word_starts is sorted)."""
    return bisect_left(word_starts, end) - bisect_left(word_starts, start)


def _not_recognized(covered: dict[str, int], total: int) -> str:
    """Name the best candidates; several licenses that together cover the text are said so."""
    ranked = sorted(covered.items(), key=lambda item: -item[1])
    listed = ", ".join(f"{license_id} at {count / total:.2f}" for license_id, count in ranked[:3])
    if len(ranked) > 1 and sum(covered.values()) / total >= RECOGNITION_THRESHOLD:
        return f"several licenses in one text ({listed})"
    return f"text not recognized (best: {listed})"
