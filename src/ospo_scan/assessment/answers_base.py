"""What every answer builder shares: the Answer constructor and shares in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ospo_scan.assessment.model import QUESTION_TITLES, Answer, Figure, MaturityStage, Question, Table
from ospo_scan.model import Inventory

MAX_FACTS = 5
"""An answer says at most this many facts: the most telling ones, first."""


def answer(
    question: Question,
    summary: str,
    figures: Iterable[tuple[str, int | float | str]],
    facts: Sequence[str],
    table: Table | None = None,
    maturity: MaturityStage | None = None,
) -> Answer:
    """The answer to `question`, its title from QUESTION_TITLES, its facts cut to MAX_FACTS."""
    return Answer(
        question=question,
        title=QUESTION_TITLES[question],
        summary=summary,
        figures=tuple(Figure(label=label, value=value) for label, value in figures),
        facts=tuple(facts[:MAX_FACTS]),
        table=table,
        maturity=maturity,
    )


def share(part: int, whole: int) -> str:
    """`share(29, 64)` -> "45%"; 0% of nothing."""
    return f"{round(100 * part / whole)}%" if whole else "0%"


def ranked_counts(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(key, number) pairs, the largest number first, ties by key: the order facts list them in."""
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


def counted(counts: Iterable[tuple[str, int]]) -> str:
    """"pypi 37, npm 11, golang 10" for (key, number) pairs in the order given."""
    return ", ".join(f"{key} {number}" for key, number in counts)


def agrees(number: int, singular: str, plural: str) -> str:
    """The verb for `number` things: `agrees(1, "has", "have")` -> "has"."""
    return singular if number == 1 else plural


def sentence(text: str) -> str:
    """The text ending with a full stop (a quoted message may end without one)."""
    return text if text.endswith((".", "!", "?")) else text + "."


def repository_names(inventory: Inventory) -> dict[str, str]:
    """Inventory repository id -> the name reports show: the id, except a single scanned
    folder (id `.`), named after its folder as the assessment names its profile."""
    return {r.id: (r.root if r.id == "." and r.root else r.id) for r in inventory.repositories}
