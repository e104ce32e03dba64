"""The JSON Schema of the inventory report, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any


@lru_cache(maxsize=1)
def inventory_schema() -> dict[str, Any]:
    """The schema that every `--format json` report validates against."""
    loaded: dict[str, Any] = json.loads(files(__package__).joinpath("inventory.schema.json").read_text(encoding="utf-8"))
    return loaded
