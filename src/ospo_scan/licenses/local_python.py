"""License evidence from installed Python distributions (`*.dist-info`, `*.egg-info`).

Environments come from two places: those inside the scanned tree (`.venv`, `venv`, any
folder holding `pyvenv.cfg`, tox/nox environments) and those the user names with
`--python-env` (an environment root or a site-packages folder). Each distribution's
METADATA (or PKG-INFO) is read as the RFC 822 document it is, with the stdlib email
parser: packages are never imported, and nothing they contain is executed.

Fields, as PEP 639 orders them: `License-Expression` when present is the license (the
older fields are then ignored, with a note); else the free-text `License` field (often
a whole license text: its first line is kept, and the text is identified) and the
`License :: ...` trove classifiers. License files come from `License-File` entries
(PEP 639: under `licenses/`; older setuptools: beside METADATA) and LICENSE*/COPYING*/
NOTICE* files in the metadata folder.

Nothing is read through a symlink leading out of the place the environment was found in
(the scanned tree, or the environment a `--python-env` names): a symlinked environment,
site-packages or `licenses/` folder that leads elsewhere is refused, and the refusal is
kept as a note, in the reason a package is missing and as a scan issue.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.parser import Parser
from email.policy import compat32
from pathlib import Path

from packaging.version import InvalidVersion, Version

from ospo_scan.discovery import discover
from ospo_scan.licenses.evidence import (
    LocalSource,
    MAX_METADATA_SIZE,
    Boundary,
    LocalFinding,
    TextMatch,
    choose_installed,
    display_path,
    files_under,
    has_content,
    is_license_text_name,
    is_regular_inside,
    is_within,
    license_files_in,
    real_paths,
    refused_places,
    tree_boundary,
    with_note,
)
from ospo_scan.licenses.text_match import identify_license_files, identify_license_text, with_refused
from ospo_scan.model import Component, Ecosystem
from ospo_scan.parsers.base import FileReadError
from ospo_scan.purl import NormalizedName, normalize_name

ENVIRONMENT_NAMES = frozenset({".venv", "venv"})
"""Folder names taken as environments even without pyvenv.cfg (conda-style or copied)."""

ENVIRONMENT_HOLDERS = frozenset({".tox", ".nox"})
"""Folders that hold one environment per subfolder."""

LONG_LICENSE_FIELD = 200
"""A `License` value longer than this, or of several lines, is taken as a whole license text."""

MAX_LICENSES_FOLDER_FILES = 100
"""At most this many files are listed from one dist-info `licenses/` folder."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledDistribution:
    """The license-related fields of one installed distribution, as written."""

    name: NormalizedName
    """PEP 503 normalized `Name`."""
    version: str
    folder: Path
    """The `.dist-info` / `.egg-info` folder (or an `.egg-info` file, for distutils)."""
    metadata: Path
    """The METADATA or PKG-INFO file."""
    license_expression: str | None = None
    license: str | None = None
    """The `License` field as the email parser returns it, stripped (may be a whole text)."""
    classifiers: tuple[str, ...] = ()
    """`License :: ...` classifiers only, in order."""
    license_file_entries: tuple[str, ...] = ()
    """`License-File` values, in order."""


class PythonEnvironments(LocalSource):
    """Installed distributions of every environment found, indexed by name."""

    ecosystem = Ecosystem.PYPI

    def __init__(
        self,
        site_folders: Sequence[Path],
        root: Path | None = None,
        notes: Sequence[str] = (),
        max_file_size: int = MAX_METADATA_SIZE,
        boundaries: Mapping[Path, Boundary] | None = None,
        refused: Sequence[Boundary] = (),
    ) -> None:
        """`boundaries`: where each site folder was found (the scanned tree, a --python-env
        environment); a folder without one is confined to itself. `refused`: boundaries
        that refused folders while the environments were looked for."""
        self.root = root
        """Paths under it are shown relative to it."""
        self.site_folders = tuple(site_folders)
        self.max_file_size = max_file_size
        given = dict(boundaries or {})
        self._boundary_of = {folder: given.get(folder) or Boundary(folder, f"the site folder {folder}", relative=False) for folder in self.site_folders}
        self.boundaries = tuple({id(b): b for b in (*refused, *self._boundary_of.values())}.values())
        """Every place read from, with what was refused in it."""
        found_notes: list[str] = list(notes)
        self.distributions = tuple(dist for folder in self.site_folders for dist in self._read_site(folder, found_notes))
        self._refused_folders = tuple(refusal for boundary in self.boundaries for refusal in boundary.refused)
        """Environments, site-packages and installations refused before any lookup."""
        found_notes.extend(f"{refusal.path}: not read ({refusal.reason})" for refusal in self._refused_folders)
        self.notes = tuple(found_notes)
        """Metadata that could not be read, folders without a site-packages, folders refused: never fatal."""
        self._by_name: dict[str, list[InstalledDistribution]] = {}
        for dist in self.distributions:
            self._by_name.setdefault(dist.name, []).append(dist)
        self._memo: dict[Path, LocalFinding] = {}

    @classmethod
    def discover(
        cls, scan_root: Path, extra_envs: Sequence[Path] = (), max_file_size: int = MAX_METADATA_SIZE, skipped: Sequence[Path] | None = None
    ) -> PythonEnvironments:
        """Environments inside `scan_root` (among `skipped`, the folders discovery did not
        walk, when the scan has them) and those the user names (`--python-env`)."""
        root = scan_root.absolute()
        tree = tree_boundary(root)
        folders: dict[Path, Boundary] = {}
        notes: list[str] = []
        for environment in find_environments(root, skipped, tree):
            folders.update((folder, tree) for folder in site_folders_of(environment) if not tree.refuses(folder))
        refused = [tree]
        for given in extra_envs:
            place = Boundary(given.absolute(), f"the environment {given}", relative=False)
            found = [folder for folder in user_site_folders(given.absolute()) if not place.refuses(folder)]
            folders.update((folder, place) for folder in found)
            refused.append(place)
            if not found and not place.refused:
                notes.append(f"{given}: no site-packages found (not an environment root nor a site-packages folder)")
        return cls(_unique(list(folders)), root=root, notes=notes, max_file_size=max_file_size, boundaries=folders, refused=refused)

    def _find(self, component: Component) -> LocalFinding | str:
        dist, message = self._choose(component)
        if dist is None:
            return message
        evidence = self._memo.get(dist.folder)
        if evidence is None:
            evidence = self._memo[dist.folder] = self._evidence(dist)
        if not has_content(evidence):
            return f"{self._show(dist.folder)} declares no license and ships no license file"
        return with_note(evidence, message)

    def _choose(self, component: Component) -> tuple[InstalledDistribution | None, str]:
        if component.ecosystem is not Ecosystem.PYPI:
            return None, ""
        if not self.site_folders:
            return None, "no Python environment found in the scanned tree or given with --python-env" + refused_places(self._refused_folders)
        installed = self._by_name.get(normalize_name(Ecosystem.PYPI, component.name), [])
        if not installed:
            return None, f"not installed in the Python environments found ({self._where()})" + refused_places(self._refused_folders)
        choice = choose_installed(component.version, installed, _version_of, same_version)
        dist, message = choice  # unpacked apart: mypy would infer T from the unpacking targets
        if dist is None:
            return None, f"{message} ({self._show(installed[0].folder)})"
        return dist, message

    def _where(self) -> str:
        shown = [self._show(folder) for folder in self.site_folders[:3]]
        more = len(self.site_folders) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    def _show(self, path: Path) -> str:
        return display_path(path, self.root)

    # --- reading ----------------------------------------------------------------

    def _read_site(self, folder: Path, notes: list[str]) -> Iterator[InstalledDistribution]:
        if self._boundary_of[folder].refuses(folder):
            return  # the refusal becomes a note once every site folder is read
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            notes.append(f"{self._show(folder)}: cannot list ({error.strerror})")
            return
        for entry in entries:
            if not entry.name.endswith((".dist-info", ".egg-info")):
                continue
            if entry.is_symlink():
                notes.append(f"{self._show(Path(entry.path))}: skipped (a symlink; installations are never followed out of their folder)")
                continue
            dist = self._read_distribution(Path(entry.path), self._boundary_of[folder], notes)
            if dist is not None:
                yield dist

    def _read_distribution(self, folder: Path, boundary: Boundary, notes: list[str]) -> InstalledDistribution | None:
        """One distribution's fields; None (with a note) when its metadata is unusable."""
        if folder.is_dir():
            metadata = folder / ("METADATA" if folder.name.endswith(".dist-info") else "PKG-INFO")
        else:
            metadata = folder  # a distutils-era `name-version.egg-info` file is itself PKG-INFO
        try:
            if metadata.is_symlink():
                raise FileReadError("a symlink; installations are never followed out of their folder")
            headers = Parser(policy=compat32).parsestr(boundary.read_text(metadata, self.max_file_size), headersonly=True)
        except FileReadError as error:
            notes.append(f"{self._show(metadata)}: skipped ({error})")
            return None
        name, version = headers.get("Name"), headers.get("Version")
        if not name or not version:
            notes.append(f"{self._show(metadata)}: skipped (no Name or Version field)")
            return None
        return InstalledDistribution(
            name=normalize_name(Ecosystem.PYPI, str(name)),
            version=str(version).strip(),
            folder=folder,
            metadata=metadata,
            license_expression=_field(headers.get("License-Expression")),
            license=_field(headers.get("License")),
            classifiers=tuple(str(value) for value in headers.get_all("Classifier", []) if str(value).startswith("License ::")),
            license_file_entries=tuple(str(value) for value in headers.get_all("License-File", [])),
        )

    def _evidence(self, dist: InstalledDistribution) -> LocalFinding:
        declared, fields, notes = declared_strings(dist)
        boundary = self._boundary_of.get(dist.folder.parent) or Boundary(dist.folder, f"the installation {dist.folder}", relative=False)
        refused_before = len(boundary.refused)
        files, file_notes = license_files_of(dist, boundary)
        refused = boundary.refused[refused_before:]
        file_notes.extend(f"{refusal.path}: not read ({refusal.reason})" for refusal in refused)
        shown = self._show(dist.metadata)
        texts = [path for path, is_text in files if is_text]
        text_match = identify_license_files(texts, self._show)
        if text_match is None and dist.license and _is_whole_text(dist.license):
            found = identify_license_text(dist.license)
            text_match = TextMatch(spdx_id=found.spdx_id, confidence=found.confidence, reason=found.reason, ids=found.ids, path=f"{shown}: License")
        text_match = with_refused(text_match, refused)
        distinct = list(dict.fromkeys(fields))
        source = f"{shown}: {', '.join(distinct)}" if fields else f"{shown}: no license field"
        return LocalFinding(
            declared=declared,
            source=source,
            declared_sources=tuple(f"{shown}: {name}" for name in fields),
            license_files=tuple(self._show(path) for path, _ in files),
            license_paths=real_paths([path for path, _ in files]),
            text_match=text_match,
            notes=(*notes, *file_notes),
        )


def declared_strings(dist: InstalledDistribution) -> tuple[tuple[str, ...], list[str], list[str]]:
    """(raw strings, the field of each string, notes) in PEP 639's order of authority."""
    if dist.license_expression:
        ignored = [name for name, present in (("License", dist.license), ("license classifiers", dist.classifiers)) if present]
        why = [f"License-Expression is authoritative (PEP 639): {' and '.join(ignored)} ignored"] if ignored else []
        return (dist.license_expression,), ["License-Expression"], why
    declared: list[str] = []
    fields: list[str] = []
    notes: list[str] = []
    if dist.license and dist.license.strip().upper() != "UNKNOWN":
        first = _first_line(dist.license)
        declared.append(first)
        fields.append("License")
        if _is_whole_text(dist.license):
            lines = len([line for line in dist.license.splitlines() if line.strip()])
            notes.append(f"License field holds a whole text ({lines} lines, {len(dist.license)} characters): only its first line is kept")
    elif dist.license:
        notes.append("License field is UNKNOWN (an old setuptools placeholder): ignored")
    declared.extend(dist.classifiers)
    fields.extend("Classifier" for _ in dist.classifiers)
    return tuple(declared), fields, notes


def license_files_of(dist: InstalledDistribution, boundary: Boundary) -> tuple[list[tuple[Path, bool]], list[str]]:
    """(path, is a license text) for the distribution's license files, and notes.

    `License-File` entries first, in order (PEP 639 puts them under `licenses/`, older
    setuptools beside METADATA), then the other license-named files and everything under
    `licenses/`, sorted. Entries that escape the folder or are missing are noted; files
    and folders whose symlink leads out of `boundary` are refused there (the caller
    notes each refusal).
    """
    if not dist.folder.is_dir():
        return [], []
    found: dict[Path, bool] = {}
    notes: list[str] = []
    for entry in dist.license_file_entries:
        path, refused = _license_file_entry(dist.folder, entry, boundary)
        if path is not None:
            found.setdefault(path, not Path(entry).name.lower().startswith(("notice", "authors", "contributors")))
        elif not refused:
            notes.append(f"License-File {entry!r} is not in {dist.folder.name}")
    for path in license_files_in(dist.folder, boundary):
        found.setdefault(path, is_license_text_name(path.name))
    for path in files_under(dist.folder / "licenses", boundary, MAX_LICENSES_FOLDER_FILES):
        found.setdefault(path, not path.name.lower().startswith(("notice", "authors", "contributors")))
    return list(found.items()), notes


def _license_file_entry(folder: Path, entry: str, boundary: Boundary) -> tuple[Path | None, bool]:
    """(the file a `License-File` entry names, or None; whether a candidate was refused)."""
    relative = Path(entry.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts:
        return None, False
    refused = False
    for candidate in (folder / "licenses" / relative, folder / relative, folder / relative.name):
        if not os.path.lexists(candidate):
            continue
        if boundary.refuses(candidate):
            refused = True
        elif is_regular_inside(candidate, boundary):
            return candidate, False
    return None, refused


# --- finding environments ---------------------------------------------------------


def find_environments(root: Path, skipped: Sequence[Path] | None = None, boundary: Boundary | None = None) -> list[Path]:
    """Environment roots inside `root`: among the folders discovery left unwalked (walking
    the tree for them when not given), and one level into `.tox`/`.nox`, which hold several.

    A folder whose symlink leads out of the tree is never looked into; one named like an
    environment is refused in `boundary` (so the scan says it was not read)."""
    if skipped is None:
        skipped = discover(root, ()).skipped
    real_root = Path(os.path.realpath(root))
    found: list[Path] = []
    for folder in skipped:
        if not is_within(folder, real_root):
            if boundary is not None and folder.name in ENVIRONMENT_NAMES | ENVIRONMENT_HOLDERS:
                boundary.refuses(folder)
            continue
        if is_environment(folder):
            found.append(folder)
        elif folder.name in ENVIRONMENT_HOLDERS:
            found.extend(child for child in _subfolders(folder) if is_environment(child))
    return sorted(found)


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def is_environment(folder: Path) -> bool:
    """A virtual environment (pyvenv.cfg), or a `.venv`/`venv` folder with a site-packages."""
    if (folder / "pyvenv.cfg").is_file():
        return True
    return folder.name in ENVIRONMENT_NAMES and bool(site_folders_of(folder))


def site_folders_of(environment: Path) -> list[Path]:
    """`lib/python3.X/site-packages` (POSIX, PyPy too), `Lib/site-packages` (Windows)."""
    candidates = [*sorted(environment.glob("lib/*/site-packages")), *sorted(environment.glob("lib64/*/site-packages"))]
    candidates.append(environment / "Lib" / "site-packages")
    return _unique(path for path in candidates if path.is_dir())


def user_site_folders(given: Path) -> list[Path]:
    """`--python-env PATH`: a site-packages folder itself, or an environment root."""
    if not given.is_dir():
        return []
    if given.name in ("site-packages", "dist-packages") or any(given.glob("*.dist-info")) or any(given.glob("*.egg-info")):
        return [given]
    return site_folders_of(given)


def same_version(installed: str, wanted: str) -> bool:
    """Equal as PEP 440 versions (1.0 == 1.0.0), else as strings (also for a number past
    Python's 4,300-digit int limit, which packaging raises ValueError for)."""
    try:
        return Version(installed) == Version(wanted)
    except (InvalidVersion, ValueError):
        return installed.strip() == wanted.strip()


def _unique(paths: Iterator[Path] | Sequence[Path]) -> list[Path]:
    """Drop paths that are the same folder (lib64 -> lib symlinks)."""
    seen: set[Path] = set()
    kept: list[Path] = []
    for path in paths:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            kept.append(path)
    return kept


def _version_of(dist: InstalledDistribution) -> str:
    return dist.version


def _field(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _first_line(value: str) -> str:
    first = next((line.strip() for line in value.splitlines() if line.strip()), value.strip())
    return first if len(first) <= LONG_LICENSE_FIELD else first[:LONG_LICENSE_FIELD].rstrip() + "..."


def _is_whole_text(value: str) -> bool:
    return len(value) > LONG_LICENSE_FIELD or len([line for line in value.splitlines() if line.strip()]) > 1

