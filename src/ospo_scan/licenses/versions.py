"""The versions of the license data a report rests on, so two reports can be compared."""

from __future__ import annotations

from ospo_scan.licenses import spdx
from ospo_scan.licenses.aliases import load_aliases
from ospo_scan.licenses.categories import CATEGORY_TABLE_VERSION


def license_data_versions() -> dict[str, str]:
    """Category table, alias table and ScanCode LicenseDB versions."""
    return {
        "categories": CATEGORY_TABLE_VERSION,
        "aliases": load_aliases().version,
        "licensedb": spdx.licensedb_version(),
    }
