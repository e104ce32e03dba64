"""What every reporter renders: the inventory and its analysis, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ospo_scan.analysis import Analysis, analyze
from ospo_scan.analysis.criticality import CriticalitySettings
from ospo_scan.model import Inventory
from ospo_scan.policy import PolicyOutcome


@dataclass(frozen=True, slots=True)
class Report:
    """An inventory with its three answers, so every format shows the same numbers."""

    inventory: Inventory
    analysis: Analysis
    show_components: bool = False
    """`--details`: the human-readable reports list every component too."""
    created: datetime | None = None
    """When the document says it was made (timezone-aware, UTC): from SOURCE_DATE_EPOCH or
    `--timestamp`. None by default, so the same input gives the same bytes; a format that
    must carry a time (SPDX) says that none was recorded."""
    include_dev: bool = False
    """`--include-dev`: the notices cover development and optional components too, not only
    what a project ships."""
    policy: PolicyOutcome | None = None
    """What the policy says (`check`, `scan --policy`); None when no policy was applied."""
    pretty: bool = True
    """JSON indented for people; the CLI writes it compact unless `--pretty` (a tenth of
    the bytes' whitespace, and much faster to write and to read back)."""

    @classmethod
    def of(
        cls,
        inventory: Inventory,
        criticality: CriticalitySettings | None = None,
        *,
        show_components: bool = False,
        created: datetime | None = None,
        include_dev: bool = False,
        policy: PolicyOutcome | None = None,
        pretty: bool = True,
    ) -> Report:
        """Analyze the inventory (criticality settings from the settings file, else defaults)."""
        return cls(
            inventory=inventory,
            analysis=analyze(inventory, criticality),
            show_components=show_components,
            created=created,
            include_dev=include_dev,
            policy=policy,
            pretty=pretty,
        )
