"""The most results one SARIF run may carry, and which ones to keep beyond it.

GitHub code scanning rejects an upload whose run has more than 25,000 results (and shows
only the top 5,000 by severity). A large monorepo with a strict license rule reaches that
easily (one violation per component and project), and a rejected upload hides every alert,
the important ones included. So a run over the limit keeps the most severe results (error,
then warning, then note; within a level, the order the reporter gave), says in a tool
notification and in the run's properties how many of each level it left out, and points to
the JSON report, which always has them all. Fingerprints are computed over the whole list
first, so a kept result has the same fingerprint as it would without the cap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

MAX_RESULTS_PER_RUN = 25_000
"""GitHub code scanning's hard limit on results per run (an upload over it is rejected)."""

_LEVEL_RANK = {"error": 0, "warning": 1, "note": 2, "none": 3}


def cap_results(results: Sequence[dict[str, Any]], limit: int = MAX_RESULTS_PER_RUN) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """(the results to write, in their given order; how many of each level were left out)."""
    if len(results) <= limit:
        return list(results), {}
    ranked = sorted(range(len(results)), key=lambda index: (_LEVEL_RANK.get(results[index].get("level", "warning"), 1), index))
    kept = sorted(ranked[:limit])
    omitted = Counter(results[index].get("level", "warning") for index in ranked[limit:])
    return [results[index] for index in kept], dict(sorted(omitted.items(), key=lambda item: _LEVEL_RANK.get(item[0], 1)))


def omission_notification(omitted: dict[str, int], limit: int = MAX_RESULTS_PER_RUN) -> dict[str, Any]:
    """The tool notification that says what the cap left out, and where to find it."""
    counts = ", ".join(f"{count} {level}" for level, count in omitted.items())
    text = (f"{sum(omitted.values())} results left out ({counts}): code scanning rejects a run of more than "
            f"{limit} results, so the most severe {limit} are kept; the JSON report lists them all")
    return {"level": "warning", "message": {"text": text}, "descriptor": {"id": "sarif-results-capped"}}
