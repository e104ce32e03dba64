"""pnpm dependency paths: the keys of `packages`/`snapshots` and the references that point at them.

A key names one installed package, in a spelling that changed with the lockfile version:

- 5.x: `/name/1.2.3`, `/@scope/name/1.2.3`, peers after `_` (`/a/1.0.0_react@18.2.0`,
  `_@babel+core@7.1.0`, or a hash `_fzn43tb6...`), a registry host in front
  (`registry.example/name/1.2.3`);
- 6.x: `/name@1.2.3`, peers in parentheses (`/a@1.0.0(react@18.2.0)`), hosts as in 5.x;
- 9.x: `name@1.2.3(react@18.2.0)` without the slash, and `name@<url>` / `name@file:<path>`
  for packages that do not come from a registry.

Both grammars are tried, the one of the file's version first, and a reading is kept only
when what it calls the version is one (or a URL/path for the `@` form) and its name does
not look like a version; otherwise `lodash.merge/4.6.2_react@18.2.0` would read as the
package `4.6.2_react` on the host `lodash.merge`. Non-registry keys (`github.com/org/repo/<sha>`, tarball URLs)
do not carry a readable name; their entries have `name` and `version` fields instead.

A reference (the value in `dependencies:` maps) is a version with peers, a `link:`, an
alias (`string-width@4.2.3`, v5/6 `/string-width/4.2.3`), or a whole key; `key_candidates`
lists every key it may stand for so the caller can pick the one the file has.
"""

from __future__ import annotations

import re

from ospo_scan.parsers.npm.specifiers import exact_version

_AT_FORM = re.compile(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?/)?(@[^@/]+/[^@/]+|[^@/]+)@(.+)$", re.DOTALL)
"""`[host/]name@ref` with an optional scope; a host is dotted DNS labels, maybe a port."""
_VERSION_LIKE = re.compile(r"^\d+\.\d+\.\d+")
"""What no package name looks like, but a 5.x key's `1.2.3_peer` part does."""


def strip_peers(reference: str) -> str:
    """`1.2.3(react@18.2.0)` and `1.2.3_react@18.2.0` -> `1.2.3`; other references unchanged but for `(...)`."""
    head = reference.split("(", 1)[0]
    if head[:1].isdigit():
        return head.split("_", 1)[0]
    return head


def version_of(reference: str) -> str | None:
    """The exact version a reference pins (peers stripped), or None for URLs, paths, links."""
    return exact_version(strip_peers(reference))


def split_key(key: str, prefer_v5: bool) -> tuple[str, str] | None:
    """(name, reference without peers) of a packages/snapshots key, or None when unreadable."""
    text = key.split("(", 1)[0]
    text = text[1:] if text.startswith("/") else text
    readers = (_slash_form, _at_form) if prefer_v5 else (_at_form, _slash_form)
    for reader in readers:
        found = reader(text)
        if found is not None:
            return found
    return None


def _at_form(text: str) -> tuple[str, str] | None:
    """`name@1.2.3`, `@scope/name@1.2.3`, `host/name@1.2.3`, `name@https://...`, `name@file:x`."""
    found = _AT_FORM.match(text)
    if found is None:
        return None
    name, reference = found.group(1), found.group(2)
    if _VERSION_LIKE.match(name):
        return None
    version = version_of(reference)
    if version is not None:
        return name, version
    return (name, reference) if ":" in reference else None


def _slash_form(text: str) -> tuple[str, str] | None:
    """`name/1.2.3[_peers]`, `@scope/name/1.2.3`, with any host segments in front."""
    segments = text.split("/")
    if len(segments) < 2:
        return None
    version = exact_version(segments[-1].split("_", 1)[0])
    if version is None:
        return None
    scoped = len(segments) >= 3 and segments[-3].startswith("@")
    name = "/".join(segments[-3:-1]) if scoped else segments[-2]
    return (name, version) if name and not name.startswith(".") else None


def suffix_peers(key: str) -> frozenset[str]:
    """Names of the peers a 6.x/9.x key's suffix resolved: `a@1.0.0(b@2.0.0(c@3.0.0))(@s/d@4.0.0)` -> {b, @s/d}.

    5.x suffixes (`_b@2.0.0+@s+d@4.0.0`, or a hash) are not read: their entries list the
    peers in `peerDependencies`, which is read instead.
    """
    names: set[str] = set()
    depth, start = 0, 0
    for index, char in enumerate(key):
        if char == "(":
            depth += 1
            start = index + 1 if depth == 1 else start
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                group = key[start:index].split("(", 1)[0]
                head, at, _ = group[1:].rpartition("@")
                names.add(group[0] + head if at else group)
    return frozenset(names)


def key_candidates(name: str, reference: str) -> tuple[str, ...]:
    """Every key that `name: reference` in a dependencies map may stand for, likeliest first."""
    return (
        reference,
        f"/{reference}",
        f"{name}@{reference}",
        f"/{name}@{reference}",
        f"/{name}/{reference}",
    )


def identity_of(name: str, reference: str, prefer_v5: bool) -> tuple[str, str] | None:
    """(real name, version) a reference pins when no entry is keyed by it: an alias or a version."""
    version = version_of(reference)
    if version is not None:
        return name, version
    aliased = split_key(reference, prefer_v5)
    if aliased is None or exact_version(aliased[1]) is None:
        return None
    return aliased
