"""The user's default locations of local package caches, found the same way for every caller.

`scan()` called from Python must scan exactly as the CLI does, so these defaults live
in the library, not in the CLI: the local Maven repository (~/.m2/repository) and the
Go module cache ($GOMODCACHE, $GOPATH/pkg/mod, ~/go/pkg/mod). Both are only read.
"""

from __future__ import annotations

from pathlib import Path

from ospo_scan.licenses.local_go import GoModuleCache


def default_maven_repository(home: Path | None = None) -> Path | None:
    """~/.m2/repository when it exists and can be looked into, else None (never an error).

    A ~/.m2 this user may not enter is as good as none: the scan goes on without it, and
    the license reasons of Maven components say that it cannot be read
    (licenses.local_maven).
    """
    try:
        candidate = (home or Path.home()) / ".m2" / "repository"
        return candidate if candidate.is_dir() else None
    except (OSError, RuntimeError):  # RuntimeError: no home directory to expand
        return None


def default_go_module_cache() -> Path | None:
    """The Go module cache the environment names, when it exists."""
    return GoModuleCache.locate().cache
