"""Assessing a stored snapshot (`assess --db`): the same six answers, from the store.

What repositories use comes from the snapshot document (store/document.py), turned
back into an Inventory so that the very analysis a scan runs answers the usage,
criticality and gap questions; what they create and how they are governed comes from
the profiles `snapshot save` stored beside each scan. The store keeps no dependency
graph, so criticality has no dependents signal here, and the gaps are computed again
from the stored components (their places in files are not stored). A repository
imported from a JSON report has no profile: the assessment says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ospo_scan.analysis import analyze
from ospo_scan.assessment.answers import answer_questions
from ospo_scan.assessment.model import Assessment, Check, RepositoryProfile
from ospo_scan.assessment.profile_document import profile_from_json
from ospo_scan.licenses.categories import categorize
from ospo_scan.model import Component, Directness, Ecosystem, Inventory, LicenseInfo, Lifecycle, Project, Repository, Usage
from ospo_scan.store.interface import InventoryStore


def assess_snapshot(store: InventoryStore, ref: str, today: date) -> Assessment:
    """The assessment of snapshot `ref` (latest, an id or a label)."""
    record = store.snapshot(ref)
    inventory = inventory_from_document(store.snapshot_document(record.id))
    analysis = analyze(inventory)
    profiles: list[RepositoryProfile] = []
    checks: dict[str, Check] = {}
    unread: list[str] = []
    for repository, text in sorted(store.profiles(record.id).items()):
        try:
            profile, used = profile_from_json(text)
        except ValueError as error:
            unread.append(f"{store.display_name}: the stored profile of {repository}: {error}")
            continue
        profiles.append(profile)
        for check in used:
            checks.setdefault(check.id, check)
    profiled = {profile.repository for profile in profiles}
    unread.extend(
        f"{repository.id}: no assessment profile stored (imported from a report): its license, health files, policies and CI are not assessed"
        for repository in inventory.repositories
        if repository.id not in profiled
    )
    answers, maturity = answer_questions(analysis, inventory, profiles, None)
    label = f" ({record.label})" if record.label else ""
    return Assessment(
        source=f"{store.display_name}, snapshot {record.id}{label} of {record.taken_at}",
        assessed_on=today,
        answers=answers,
        profiles=tuple(profiles),
        checks=tuple(checks.values()),
        maturity=maturity,
        unread=tuple(unread),
    )


def inventory_from_document(document: Mapping[str, Any]) -> Inventory:
    """An Inventory of what a snapshot document lists: repositories, projects, components
    and their usages (what the analysis reads). Project ids become `ecosystem:repo/path`,
    as a scan of several roots labels them."""
    repositories = tuple(Repository(id=r["id"], root=r["root"], commit=r.get("commit"), branch=r.get("branch")) for r in document["repositories"])
    projects: list[Project] = []
    project_ids: dict[str, str] = {}
    for p in document["projects"]:
        path = p["repository"] if p["path"] in (".", "") else f"{p['repository']}/{p['path']}"
        project = Project(
            name=p.get("name") or path, version=None, path=path, ecosystem=Ecosystem(p["ecosystem"]), license=p.get("license"),
            license_info=_license(p.get("license")), repository=p["repository"],
        )
        projects.append(project)
        project_ids[p["id"]] = project.id
    components = tuple(
        Component(
            purl=c["purl"], ecosystem=Ecosystem(c["ecosystem"]), name=c["name"], version=c.get("version"), first_party=bool(c.get("first_party")),
            license=LicenseInfo(expression=c["license"]["expression"], category=c["license"]["category"]),
            usages=tuple(
                Usage(project=project_ids.get(u["project"], u["project"]), lifecycle=Lifecycle(u["lifecycle"]), directness=Directness(u["directness"]))
                for u in c["usages"]
            ),
        )
        for c in document["components"]
    )
    return Inventory(roots=tuple(document.get("roots", ())), projects=tuple(projects), components=components, repositories=repositories)


def _license(expression: str | None) -> LicenseInfo | None:
    if expression is None:
        return None
    try:
        category = categorize(expression).category.value
    except ValueError:  # stored by another version, or not SPDX: the analysis then calls it unknown
        category = "unknown"
    return LicenseInfo(expression=expression, category=category)
