"""npm dependency specifiers (`"^1.2.3"`, `"npm:bar@1"`, `"user/repo#ref"`, ...) -> what they mean.

package.json maps a name to a specifier whose grammar is npm-package-arg's: a semver
range or exact version, a dist-tag, an alias to another package (`npm:`), a git
repository (URL, `github:` and friends, scp-like `host:path`, `user/repo` shorthand), a
tarball URL, or a local path (`file:`, `link:`, relative paths). Yarn and pnpm add
`workspace:`, `portal:`, `patch:` and `catalog:`. Lockfiles reuse the same strings
(package-lock v1 stores `npm:bar@1.2.3` or a git URL in `version`), so both parsers
classify through here and never with ad-hoc string tests.

Classification is syntactic only: no registry is asked which tags or versions exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote, urlsplit

from ospo_scan.excerpt import excerpt


class SpecKind(str, Enum):
    """What a specifier points at."""

    VERSION = "version"
    """One exact semver version (`1.2.3`, `=1.2.3`, `v1.2.3`)."""
    RANGE = "range"
    TAG = "tag"
    """A dist-tag such as `latest`, resolved by the registry at install time."""
    GIT = "git"
    TARBALL = "tarball"
    """A URL of a package archive outside the registry's naming."""
    LOCAL = "local"
    """A path in the project (`file:`, `link:`, `portal:`, `./dir`): first-party code."""
    WORKSPACE = "workspace"
    """Yarn/pnpm `workspace:` protocol: another package of the same repository."""
    CATALOG = "catalog"
    """pnpm `catalog:`: the range lives in pnpm-workspace.yaml."""
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Specifier:
    """A classified specifier: the real package, and its version when exact."""

    kind: SpecKind
    name: str
    """The package actually installed (the alias target for `npm:`)."""
    version: str | None = None
    """Only for an exact version (normalized: no `=`/`v` prefix)."""
    source_url: str | None = None
    """Git URL, tarball URL or local path, when the package does not come from the registry."""
    note: str | None = None

    @property
    def first_party(self) -> bool:
        """Local paths and workspace references are the project's own code."""
        return self.kind in (SpecKind.LOCAL, SpecKind.WORKSPACE)


_EXACT = re.compile(
    r"^=?\s*v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)$"
)
_RANGE_START = re.compile(r"^(?:[\s\d^~<>=*]|[vV]\d|[xX](?:$|[.\s]))")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")
_RANGE_LIKE_WORD = re.compile(r"^(?:[vV]\d|[xX*](?:\.[xX*\d]+)*$)")
_GIT_PROTOCOLS = ("git+ssh:", "git+https:", "git+http:", "git+file:", "git:", "ssh:")
_GIT_SHORTCUTS = ("github:", "gitlab:", "bitbucket:", "gist:")
_LOCAL_PREFIXES = ("file:", "link:", "portal:")
_PATH_PREFIXES = ("./", "../", "/", "~/", ".\\", "..\\")
_HOSTED_GIT = frozenset({"github.com", "gitlab.com", "bitbucket.org", "gist.github.com"})
"""Git hosting sites whose plain https URLs npm reads as repositories (hosted-git-info)."""
_ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".zip")
_GITHUB_SHORTHAND = re.compile(r"^[^./@:\s\\][^/@:\s\\]*/[^/\s\\#]+(?:#.*)?$")
_SCP_LIKE = re.compile(r"^(?:[^@/:\s]+(?::[^@/\s]*)?@)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}:[^/\s\\]")


def classify(name: str, spec: str) -> Specifier:
    """Classify the specifier `spec` written for the dependency key `name`."""
    text = spec.strip()
    if text.startswith("npm:"):
        return _alias(name, text)
    if text.startswith("patch:"):
        return _patch(name, text)
    if text.startswith("workspace:"):
        return Specifier(SpecKind.WORKSPACE, name, note="workspace package of this repository")
    if text.startswith("catalog:"):
        return Specifier(SpecKind.CATALOG, name, note="range taken from a pnpm catalog (pnpm-workspace.yaml)")
    if text.startswith(_LOCAL_PREFIXES) or text.startswith(_PATH_PREFIXES) or text in (".", ".."):
        return Specifier(SpecKind.LOCAL, name, source_url=text, note="local path: first-party code")
    if _is_git(text):
        return Specifier(SpecKind.GIT, name, source_url=text, note="git dependency: version not in the manifest")
    if text.startswith(("http://", "https://")):
        return Specifier(SpecKind.TARBALL, name, source_url=text, note="tarball URL: version not in the manifest")
    return _semver(name, text)


def exact_version(text: str) -> str | None:
    """`1.2.3`, `=1.2.3`, `v1.2.3` -> `1.2.3`; None for anything that is not one exact version."""
    found = _EXACT.match(text.strip())
    return found.group(1) if found else None


def split_name_and_range(descriptor: str) -> tuple[str, str]:
    """`@scope/pkg@^1` -> (`@scope/pkg`, `^1`); a missing range is `*`."""
    at = descriptor.find("@", 1)
    if at <= 0:
        return descriptor, "*"
    return descriptor[:at], descriptor[at + 1 :] or "*"


def _semver(name: str, text: str) -> Specifier:
    """An exact version, a range, or a dist-tag (a word that cannot be a range)."""
    version = exact_version(text)
    if version is not None:
        return Specifier(SpecKind.VERSION, name, version=version)
    if _TAG.match(text) and not _RANGE_LIKE_WORD.match(text):
        return Specifier(SpecKind.TAG, name, note=f"dist-tag {excerpt(text)}: version chosen by the registry at install time")
    if ":" in text:
        return Specifier(SpecKind.UNKNOWN, name, source_url=text, note=f"unrecognized specifier {excerpt(text)}")
    return Specifier(SpecKind.RANGE, name)


def _alias(alias: str, text: str) -> Specifier:
    """`npm:bar@^1` installs the package `bar` under the name `alias`; Yarn's `npm:^1` is a plain range."""
    rest = text[len("npm:") :]
    if "@" not in rest[1:] and _RANGE_START.match(rest):
        return _semver(alias, rest)
    target, range_ = split_name_and_range(rest)
    inner = _semver(target, range_)
    note = f"installed under the alias {excerpt(alias)}"
    return Specifier(inner.kind, target, version=inner.version, note=note)


def _patch(name: str, text: str) -> Specifier:
    """Yarn's `patch:pkg@npm%3A1.2.3#path`: the package `pkg`, changed by a local patch."""
    descriptor = unquote(text[len("patch:") :].split("#", 1)[0])
    target, range_ = split_name_and_range(descriptor)
    inner = classify(target, range_)
    note = "patched locally (yarn patch: protocol)"
    return Specifier(inner.kind, inner.name, version=inner.version, source_url=inner.source_url, note=note)


def _is_git(text: str) -> bool:
    """npm-package-arg's git forms: protocols, host shortcuts, scp-like, `user/repo`, hosted URLs."""
    lowered = text.lower()
    if lowered.startswith(_GIT_PROTOCOLS) or lowered.startswith(_GIT_SHORTCUTS):
        return True
    if lowered.startswith(("http://", "https://")):
        return _hosted_git_url(text)
    return bool(_GITHUB_SHORTHAND.match(text) or _SCP_LIKE.match(text))


def _hosted_git_url(text: str) -> bool:
    """An https URL is a repository when it ends in `.git` or names a git host (not an archive)."""
    parts = urlsplit(text)
    path = parts.path.lower()
    if path.endswith(_ARCHIVE_SUFFIXES):
        return False
    return path.endswith(".git") or (parts.hostname or "").lower() in _HOSTED_GIT
