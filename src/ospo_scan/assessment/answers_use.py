"""The first three answers, read off the analysis: how much open source, how it is
used, and which upstream projects matter most. No new counting happens here: every
number is one `analyze` computed, so the assessment and the inventory report agree."""

from __future__ import annotations

from ospo_scan.analysis import Analysis
from ospo_scan.analysis.criticality import CriticalProject, Signal
from ospo_scan.analysis.wording import count, listing
from ospo_scan.assessment.answers_base import agrees, answer, counted, ranked_counts, repository_names, share
from ospo_scan.assessment.model import Answer, Question, Table
from ospo_scan.model import Inventory, Severity

TOP_CRITICAL = 10
"""Rows of the criticality table."""
TOP_SPRAWL = 3
"""Packages the version-sprawl fact names."""


def answer_use(analysis: Analysis, inventory: Inventory) -> Answer:
    """Components, direct and transitive, per ecosystem and per repository."""
    usage = analysis.usage
    totals = usage.totals
    where = count(usage.repositories, "repository")
    names = repository_names(inventory)
    by_repository = [(names.get(s.key, s.key), s.counts) for s in usage.by_repository]
    if totals.components:
        summary = f"{count(totals.components, 'third-party open source component')} in {where}: {totals.direct} declared directly, {totals.transitive} transitive."
        facts = [
            _directness_fact(totals.direct, totals.transitive),
            f"{count(len(usage.by_ecosystem), 'ecosystem')}: {counted(ranked_counts((s.key, s.counts.components) for s in usage.by_ecosystem))}.",
            _repository_fact(ranked_counts((name, counts.components) for name, counts in by_repository)),
        ]
    else:
        summary = f"No third-party open source component was found in {where}."
        facts = [summary, _read_fact(inventory)]
    facts.append(f"{count(usage.projects, 'project')} in {where}; {count(usage.first_party, 'first-party component')} (the organization's own packages) not counted.")
    figures = [
        ("components", totals.components),
        ("direct", totals.direct),
        ("transitive", totals.transitive),
        ("ecosystems", len(usage.by_ecosystem)),
        ("repositories", usage.repositories),
        ("projects", usage.projects),
        ("first-party components", usage.first_party),
    ]
    rows = tuple((name, str(counts.components), str(counts.direct), str(counts.transitive)) for name, counts in by_repository)
    return answer(Question.USE, summary, figures, facts, Table(columns=("repository", "components", "direct", "transitive"), rows=rows))


def _directness_fact(direct: int, transitive: int) -> str:
    if not transitive:
        every = "It is" if direct == 1 else f"All {direct} are"
        return f"{every} declared directly in a manifest: no lockfile brings in dependencies of dependencies."
    if not direct:
        return f"None is declared directly in a manifest: {'it comes' if transitive == 1 else f'all {transitive} come'} in as a dependency of dependencies."
    return (f"{share(direct, direct + transitive)} of them ({direct}) {agrees(direct, 'is', 'are')} declared directly in a manifest; "
            f"the other {transitive} {agrees(transitive, 'comes', 'come')} in as dependencies of dependencies.")


def _repository_fact(slices: list[tuple[str, int]]) -> str:
    """Where the components are: (repository name, components), most first."""
    if len(slices) == 1:
        return f"All of them are used by one repository, {slices[0][0]}."
    (most, most_count), (fewest, fewest_count) = slices[0], slices[-1]
    return f"{count(len(slices), 'repository')} use open source; the most components: {most} ({most_count}), the fewest: {fewest} ({fewest_count})."


def _read_fact(inventory: Inventory) -> str:
    unread = sum(1 for issue in inventory.issues if issue.severity is Severity.ERROR)
    text = f"The scan read {count(inventory.files_scanned, 'file')} (manifests and lockfiles)"
    return text + (f"; {count(unread, 'file')} could not be read (see the risks)." if unread else ".")


def answer_how(analysis: Analysis, inventory: Inventory) -> Answer:
    """Runtime or development only, per lifecycle and ecosystem, and version sprawl."""
    usage = analysis.usage
    totals = usage.totals
    sprawl = usage.version_sprawl
    if totals.components:
        summary = f"{share(totals.runtime, totals.components)} of the components ({totals.runtime} of {totals.components}) run in production; {totals.development_only} {agrees(totals.development_only, 'is', 'are')} development-only."
        facts = [
            f"{totals.runtime} of {count(totals.components, 'component')} {agrees(totals.runtime, 'is', 'are')} used at runtime or provided by the runtime; {totals.development_only} {agrees(totals.development_only, 'is', 'are')} only needed to build, test or develop.",
            f"By strongest use: {counted(usage.by_lifecycle)}.",
            "In production, per ecosystem: " + ", ".join(f"{s.key} {s.counts.runtime} of {s.counts.components}" for s in sorted(usage.by_ecosystem, key=lambda s: (-s.counts.components, s.key))) + ".",
            _sprawl_fact(analysis),
            f"By license category: {counted(ranked_counts(usage.by_license_category))}.",
        ]
    else:
        summary = "No third-party open source component was found: nothing runs in production, nothing is development-only."
        facts = [summary, _sprawl_fact(analysis), _read_fact(inventory)]
    figures: list[tuple[str, int | float | str]] = [("runtime", totals.runtime), ("development only", totals.development_only)]
    figures.extend((f"strongest use: {lifecycle}", number) for lifecycle, number in usage.by_lifecycle)
    figures.append(("packages in several versions", len(sprawl)))
    figures.append(("most versions of one package", len(sprawl[0].versions) if sprawl else 0))
    rows = tuple((s.key, str(s.counts.components), str(s.counts.runtime), str(s.counts.development_only)) for s in usage.by_ecosystem)
    return answer(Question.HOW, summary, figures, facts, Table(columns=("ecosystem", "components", "runtime", "development only"), rows=rows))


def _sprawl_fact(analysis: Analysis) -> str:
    sprawl = analysis.usage.version_sprawl
    if not sprawl:
        return "No package is in use in more than one version."
    named = [f"{s.name} ({s.ecosystem}, {len(s.versions)} versions: {listing(list(s.versions), limit=4)})" for s in sprawl[:TOP_SPRAWL]]
    return f"{count(len(sprawl), 'package')} in use in several versions at once; the most: {listing(named, limit=TOP_SPRAWL)}."


def answer_critical(analysis: Analysis) -> Answer:
    """The criticality ranking, its top entry's reasons, how widely the top is used."""
    critical = analysis.critical
    ranked = critical.ranked
    at_runtime = [p for p in ranked if p.signals.get(Signal.RUNTIME_PROJECTS, 0)]
    figures: list[tuple[str, int | float | str]] = [
        ("upstream projects", len(ranked)),
        ("top score", ranked[0].score if ranked else 0.0),
        ("used at runtime", len(at_runtime)),
        ("used at runtime in several repositories", sum(1 for p in ranked if p.signals.get(Signal.RUNTIME_REPOSITORIES, 0) > 1)),
    ]
    weights = f"Scores weigh runtime reach, direct use, fan-in and versions with the {'weights of ' + critical.settings.source if critical.settings.source else 'default weights'}."
    if not ranked:
        note = critical.note or "nothing to score"
        summary = f"No upstream project could be ranked: {note}."
        return answer(Question.CRITICAL, summary, figures, [summary, weights, f"The scan covered {count(critical.projects, 'project')} in {count(critical.repositories, 'repository')}."])
    top = ranked[0]
    summary = f"{top.name} ({top.ecosystem}) is the most critical of {count(len(ranked), 'upstream project')}, score {_score(top)}: {top.reasons[0]}."
    facts = [f"{top.name} ({top.ecosystem}) ranks first with {_score(top)}: {'; '.join(top.reasons)}."]
    if len(ranked) > 1:
        facts.append(f"Next: {listing([f'{p.name} ({_score(p)})' for p in ranked[1:5]], limit=4)}.")
    facts.append(f"{len(at_runtime)} of {count(len(ranked), 'upstream project')} {agrees(len(at_runtime), 'is', 'are')} used at runtime; {len(ranked) - len(at_runtime)} only to build, test or develop.")
    facts.append(_reach_fact(ranked, critical.repositories))
    facts.append(weights)
    rows = tuple((str(p.rank), p.name, p.ecosystem, _score(p), "; ".join(p.reasons)) for p in ranked[:TOP_CRITICAL])
    return answer(Question.CRITICAL, summary, figures, facts, Table(columns=("rank", "project", "ecosystem", "score", "reasons"), rows=rows))


def _reach_fact(ranked: tuple[CriticalProject, ...], repositories: int) -> str:
    """How widely the ranking is shared: across repositories when there are several, else fan-in."""
    if repositories > 1:
        wide = sorted((p for p in ranked if p.signals.get(Signal.RUNTIME_REPOSITORIES, 0) > 1), key=lambda p: (-p.signals[Signal.RUNTIME_REPOSITORIES], p.name, p.ecosystem))
        if not wide:
            return f"No upstream project is used at runtime in more than one of the {count(repositories, 'repository')}."
        widest = wide[0]
        return f"{len(wide)} {agrees(len(wide), 'is', 'are')} used at runtime in several repositories; the most widely: {widest.name} in {widest.signals[Signal.RUNTIME_REPOSITORIES]} of {repositories}."
    fanned = sorted((p for p in ranked if p.signals.get(Signal.DEPENDENTS, 0)), key=lambda p: (-p.signals[Signal.DEPENDENTS], p.name, p.ecosystem))
    if not fanned:
        return "No upstream project has other packages of ours depending on it."
    return f"{len(fanned)} {agrees(len(fanned), 'has', 'have')} other packages of ours depending on {agrees(len(fanned), 'it', 'them')}; the most: {fanned[0].name} ({count(fanned[0].signals[Signal.DEPENDENTS], 'dependent')})."


def _score(project: CriticalProject) -> str:
    return f"{project.score:.4f}"
