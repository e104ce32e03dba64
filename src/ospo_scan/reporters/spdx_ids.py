"""Identifiers and locations as SPDX 2.3 allows them, for the SPDX reporter.

SPDX ids (`SPDXRef-...`) and license references (`LicenseRef-...`) may hold only ASCII
letters, digits, `.` and `-`; a purl holds much more (`:`, `/`, `@`, `%40`, `?`).
Every id is therefore the key made readable (percent-decoded, every other character
a `-`) followed by a short digest of the whole key: the readable part lets a person
find the package, the digest keeps two keys that read alike (`a/b-c`, `a-b/c`) apart,
and since it depends on the key alone, a package has the same id in every document
ospo-scan writes, whatever else the document holds.

A download location must be a URL or VCS location that SPDX tools accept, and it must
never carry a secret: user info goes (a token is often written as a bare user name)
and so does the query string (where signed URLs keep their signatures; which parameter
is a secret cannot be told).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

DIGEST_LENGTH = 10
"""Hex digits of the key's sha256 in an id: 40 bits, so a clash needs the readable part
to clash too; a clash that happens anyway is settled by the full digest."""

MAX_READABLE = 80
"""Characters of the readable part at most (qualifiers can make purls long)."""

_NOT_IDSTRING = re.compile(r"[^A-Za-z0-9.-]+")
_IDSTRING = re.compile(r"^[A-Za-z0-9.-]+$")
_SCHEME = re.compile(r"^(?:(?:git|hg|svn|bzr)\+)?(?:https?|ssh|git|svn|sftp|ftp)$", re.IGNORECASE)
# What the SPDX 2.3 download location grammar (and the SPDX tools' check of it) accepts:
# a DNS name ending in a 2-5 letter top-level domain, an optional port, any printable path.
_LOCATION = re.compile(
    r"^(?:(?:git|hg|svn|bzr)\+)?(?:https?|ssh|git|svn|sftp|ftp)://"
    r"[a-z0-9]+(?:[-.][a-z0-9]+)*\.[a-z]{2,5}(?::[0-9]{1,5})?(?:/[!-~]*)?$",
    re.IGNORECASE,
)
_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}://)[^\s/?#]*@")


def element_ids(keys: Iterable[str]) -> dict[str, str]:
    """`SPDXRef-` id of each key (a purl, or `project:<id>` for a project without one),
    unique within the mapping."""
    ids = {key: "SPDXRef-" + readable_id(key) for key in sorted(set(keys))}
    return _settle_clashes(ids, "SPDXRef-")


def readable_id(key: str) -> str:
    """The key as an SPDX idstring: readable part, then the digest of the whole key."""
    readable = _NOT_IDSTRING.sub("-", unquote(key)).strip("-.")[:MAX_READABLE].rstrip("-.")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]
    return f"{readable}-{digest}" if readable else digest


def is_idstring(text: str) -> bool:
    """True when SPDX allows the text after `SPDXRef-` / `LicenseRef-` as it is."""
    return bool(_IDSTRING.match(text))


def download_location(source: str | None) -> str | None:
    """The source as an SPDX download location (no credentials, no query), or None when
    it is no URL or VCS location SPDX accepts (a local path, `workspace:`, `link:`)."""
    if not source:
        return None
    cleaned = without_secrets(source.strip())
    if not _LOCATION.match(cleaned):
        return None
    return cleaned


def without_secrets(text: str) -> str:
    """The text with the user info of every URL in it removed, and a URL's query too when
    the whole text is one URL."""
    if "@" in text and "://" in text:
        text = _USERINFO.sub(r"\g<scheme>", text)
    return _without_query(text) if "?" in text else text


def _without_query(text: str) -> str:
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed URL (e.g. an unbalanced IPv6 bracket): drop everything after '?'
        return text.split("?", 1)[0]
    if not parts.scheme or not _SCHEME.match(parts.scheme) or not parts.query:
        return text
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment))


def _settle_clashes(ids: dict[str, str], prefix: str) -> dict[str, str]:
    """Keys whose short ids clash get the full digest (deterministic: keys are sorted)."""
    seen: dict[str, list[str]] = {}
    for key, spdx_id in ids.items():
        seen.setdefault(spdx_id, []).append(key)
    for spdx_id, keys in seen.items():
        if len(keys) > 1:
            for key in keys:
                ids[key] = f"{spdx_id}-{hashlib.sha256(key.encode('utf-8')).hexdigest()}"
    assert len(set(ids.values())) == len(ids), f"{prefix} ids still clash"  # full sha256 digests differ
    return ids
