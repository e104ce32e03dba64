"""License evidence from the Go module cache: the LICENSE file of `module@version`.

Go modules declare no license; the extracted source in the module cache carries the
license file, whose text is identified. The cache is found as `go env GOMODCACHE`
would find it, without running go: `$GOMODCACHE`, else the first `$GOPATH` entry's
`pkg/mod`, else `~/go/pkg/mod`. Paths in the cache are case-encoded (each uppercase
letter becomes `!` and its lowercase: `github.com/!burnt!sushi/toml@v1.3.2`), so that
they are unique on case-insensitive file systems.

The cache is read, but never out of through a symlink inside it (a module folder or
license file leading elsewhere is refused, and the reason says so).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ospo_scan.licenses.evidence import (
    Boundary,
    LocalFinding,
    LocalSource,
    choose_installed,
    has_content,
    is_license_text_name,
    license_files_in,
    real_paths,
    with_note,
)
from ospo_scan.licenses.text_match import identify_license_files, with_refused
from ospo_scan.model import Component, Ecosystem


class GoModuleCache(LocalSource):
    """Extracted modules of one Go module cache (read only, never filled)."""

    ecosystem = Ecosystem.GOLANG

    def __init__(self, cache: Path | None) -> None:
        self.cache = cache.absolute() if cache is not None else None
        self.boundary = Boundary(self.cache, "the Go module cache", relative=False) if self.cache is not None else None
        self.boundaries = (self.boundary,) if self.boundary is not None else ()
        self._memo: dict[Path, LocalFinding] = {}

    @classmethod
    def locate(cls, environ: Mapping[str, str] | None = None, home: Path | None = None) -> GoModuleCache:
        """The cache `go` would use; a missing folder gives a cache that finds nothing."""
        found = module_cache_path(os.environ if environ is None else environ, home)
        return cls(found if found is not None and found.is_dir() else None)

    def _find(self, component: Component) -> LocalFinding | str:
        folder, message = self._choose(component)
        if folder is None:
            return message
        evidence = self._memo.get(folder)
        if evidence is None:
            evidence = self._memo[folder] = self._evidence(folder)
        if not has_content(evidence):
            return f"{folder.as_posix()}: the module has no LICENSE or COPYING file at its root"
        return with_note(evidence, message)

    def _choose(self, component: Component) -> tuple[Path | None, str]:
        if component.ecosystem is not Ecosystem.GOLANG:
            return None, ""
        if self.cache is None:
            return None, "no Go module cache found ($GOMODCACHE, $GOPATH/pkg/mod, ~/go/pkg/mod)"
        encoded = encode_path(component.name)
        if encoded is None:
            return None, f"{component.name!r} is not a module path the cache can hold"
        parent = self.cache / os.path.dirname(encoded)
        prefix = os.path.basename(encoded) + "@"
        assert self.boundary is not None
        if self.boundary.refuses(parent):
            return None, f"{parent.as_posix()}: not read ({self.boundary.reason})"
        installed = _versions(parent, prefix)
        if not installed:
            return None, f"not in the Go module cache ({self.cache})"
        choice = choose_installed(component.version, installed, lambda name: decode_path(name.partition("@")[2]), _equal)
        folder, message = choice  # unpacked apart: mypy would infer T from the unpacking targets
        if folder is None:
            return None, f"{message} ({self.cache})"
        return parent / folder, message

    def _evidence(self, folder: Path) -> LocalFinding:
        assert self.boundary is not None
        refused_before = len(self.boundary.refused)
        files = license_files_in(folder, self.boundary)
        refused = self.boundary.refused[refused_before:]
        texts = [path for path in files if is_license_text_name(path.name)]
        if texts or not refused:
            source = f"{texts[0].as_posix()}: license text" if texts else f"{folder.as_posix()}: no license text (only {', '.join(path.name for path in files)})"
        else:
            source = f"{refused[0].path}: not read ({refused[0].reason})"
        return LocalFinding(
            declared=(),
            source=source,
            license_files=tuple(path.as_posix() for path in files),
            license_paths=real_paths(files),
            text_match=with_refused(identify_license_files(texts, lambda path: path.as_posix()), refused),
            notes=tuple(f"{refusal.path}: not read ({refusal.reason})" for refusal in refused),
        )


def module_cache_path(environ: Mapping[str, str], home: Path | None = None) -> Path | None:
    """`$GOMODCACHE`, else `<first GOPATH entry>/pkg/mod`, else `~/go/pkg/mod` (None without a home)."""
    if environ.get("GOMODCACHE"):
        return Path(environ["GOMODCACHE"])
    gopath = next((entry for entry in environ.get("GOPATH", "").split(os.pathsep) if entry), None)
    if gopath:
        return Path(gopath) / "pkg" / "mod"
    if home is None:
        try:
            home = Path.home()
        except RuntimeError:  # no HOME and no password entry: there is no default cache
            return None
    return home / "go" / "pkg" / "mod"


def encode_path(text: str) -> str | None:
    """Go's case encoding (`!` + lowercase for each uppercase letter); None for unsafe paths."""
    if not text or text.startswith("/") or "\\" in text or "!" in text:
        return None
    if any(part in ("", ".", "..") for part in text.split("/")):
        return None
    return "".join(f"!{char.lower()}" if "A" <= char <= "Z" else char for char in text)


def decode_path(text: str) -> str:
    """Undo the case encoding (`v1.0.0-!r!c1` -> `v1.0.0-RC1`)."""
    out: list[str] = []
    upper = False
    for char in text:
        if char == "!":
            upper = True
            continue
        out.append(char.upper() if upper else char)
        upper = False
    return "".join(out)


def _equal(installed: str, wanted: str) -> bool:
    return installed == wanted


def _versions(parent: Path, prefix: str) -> list[str]:
    """Names of `<module>@<version>` folders in `parent`, sorted."""
    try:
        return sorted(entry.name for entry in os.scandir(parent) if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False))
    except OSError:
        return []
