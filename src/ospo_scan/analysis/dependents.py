"""How many of the components we use depend on a package, directly or transitively.

This is the fan-in signal of criticality, measured in our own graph (every
project's edges together): a package that 40 of our packages pull in is one we
depend on more than its direct uses show. The walk goes up the reversed edges from
the package, so it costs the size of the answer (the corpus: about 22 dependents per
component on average), not the size of the graph per package.

First-party nodes (the projects themselves) are not counted: "used by our projects"
is a signal of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from ospo_scan.model import Dependency


class DependentsIndex:
    """The reversed third-party graph, ready to answer "who depends on these?"."""

    def __init__(self, edges: Iterable[Dependency], third_party: set[str]) -> None:
        self._parents: dict[str, set[str]] = {}
        for edge in edges:
            if edge.source != edge.target and edge.source in third_party and edge.target in third_party:
                self._parents.setdefault(edge.target, set()).add(edge.source)

    def dependents_of(self, packages: Iterable[str]) -> set[str]:
        """Every third-party component with a path to one of `packages`, those excluded."""
        start = set(packages)
        seen = set(start)
        pending = list(start)
        while pending:
            for parent in self._parents.get(pending.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    pending.append(parent)
        return seen - start
