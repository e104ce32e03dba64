"""What produced an inventory: tool and schema versions, license data, result-changing options.

Two inventories are comparable when their provenance matches; the options digest lets
the organization store tell "the repository changed" apart from "the scan was run
differently". Only options that change *results* enter the digest (not --jobs, not the
output format).
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ospo_scan import __version__
from ospo_scan.licenses.versions import license_data_versions
from ospo_scan.model import Provenance

SCHEMA_VERSION = 2
"""Version of the JSON contract (reporters/json_report.py, schema/inventory.schema.json)."""


def build_provenance(result_options: dict[str, Any]) -> Provenance:
    """Provenance for a scan run with `result_options` (plain, JSON-serializable values)."""
    data = dict(license_data_versions())
    data["licenseclassifier"] = _distribution_version("licenseclassifier")
    canonical = json.dumps(result_options, sort_keys=True, separators=(",", ":"), default=str)
    return Provenance(
        tool_version=__version__,
        schema_version=SCHEMA_VERSION,
        license_data=tuple(sorted(data.items())),
        options_digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def _distribution_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
