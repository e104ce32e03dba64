"""What every reporter renders: the inventory and its analysis, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.analysis import Analysis, analyze
from ospo_scan.analysis.criticality import CriticalitySettings
from ospo_scan.model import Inventory


@dataclass(frozen=True, slots=True)
class Report:
    """An inventory with its three answers, so every format shows the same numbers."""

    inventory: Inventory
    analysis: Analysis
    show_components: bool = False
    """`--details`: the human-readable reports list every component too."""

    @classmethod
    def of(cls, inventory: Inventory, criticality: CriticalitySettings | None = None, *, show_components: bool = False) -> Report:
        """Analyze the inventory (criticality settings from the settings file, else defaults)."""
        return cls(inventory=inventory, analysis=analyze(inventory, criticality), show_components=show_components)
