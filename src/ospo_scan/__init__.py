"""ospo-scan: an offline inventory of the open source a repository uses."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ospo-scan")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
