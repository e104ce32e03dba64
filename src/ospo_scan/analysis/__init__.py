"""The answers a scan exists for, as pure functions of an Inventory (no I/O).

`analyze` computes all three once, so every reporter shows the same numbers:
usage (how much open source, how, where), criticality (which upstream projects we
depend on most) and gaps (where compliance work is needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.analysis.criticality import CriticalityAnswer, CriticalitySettings, answer_criticality
from ospo_scan.analysis.facts import InventoryFacts
from ospo_scan.analysis.gaps import GapsAnswer, answer_gaps
from ospo_scan.collection import fewer_collections
from ospo_scan.analysis.usage import UsageAnswer, answer_usage
from ospo_scan.model import Inventory


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """The three answers of one inventory."""

    usage: UsageAnswer
    critical: CriticalityAnswer
    gaps: GapsAnswer


def analyze(inventory: Inventory, criticality: CriticalitySettings | None = None) -> Analysis:
    """Answer the three questions for this inventory.

    Garbage is collected rarely meanwhile (ospo_scan.collection): the analysis builds
    only acyclic objects (refcounting frees them), and each collection would walk the
    whole inventory, which on the corpus made up a fifth of the analysis time.
    """
    with fewer_collections():
        facts = InventoryFacts.of(inventory)
        usage = answer_usage(inventory, facts)
        return Analysis(
            usage=usage,
            critical=answer_criticality(inventory, criticality, facts),
            gaps=answer_gaps(inventory, facts, usage.version_sprawl),
        )
