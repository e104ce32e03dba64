"""License evidence from installed npm packages: `node_modules/**/package.json`.

Every `node_modules` folder inside the scanned tree is read (workspaces have several),
with nested ones (`a/node_modules/b`), `@scope/name` folders and pnpm's
`.pnpm/<id>/node_modules` store. Symlinks (pnpm, workspaces) are followed only while
they stay inside the scanned tree, and each real folder is read once; a folder or file
whose symlink leads out is not read, and says so (in the notes, in the reason a package
is missing, and as a scan issue), since a package found there is not in the tree.

A package's `license` may be a string (SPDX expression, `UNLICENSED`, `SEE LICENSE IN
<file>`), a legacy `{type, url}` object, or a legacy `licenses` array: the raw type
strings are kept, in order, with their URLs beside them. LICENSE*/LICENCE*/COPYING* files
in the package folder (and the file a `SEE LICENSE IN` names) are identified by text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_scan.discovery import discover
from ospo_scan.licenses.evidence import (
    LocalSource,
    MAX_METADATA_SIZE,
    Boundary,
    LocalFinding,
    Refusal,
    choose_installed,
    display_path,
    has_content,
    is_license_text_name,
    license_files_in,
    real_paths,
    refused_places,
    tree_boundary,
    with_note,
)
from ospo_scan.licenses.text_match import identify_license_files, with_refused
from ospo_scan.model import Component, Ecosystem
from ospo_scan.parsers.base import FileReadError
from ospo_scan.purl import normalize_name

SEE_LICENSE_IN = "SEE LICENSE IN "
"""npm's way to point at a license file inside the package."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledPackage:
    """One installed package's identity and license fields, raw."""

    name: str
    """Name as package.json writes it (`@scope/name`)."""
    version: str
    folder: Path
    declared: tuple[str, ...] = ()
    declared_urls: tuple[str | None, ...] = ()
    field: str | None = None
    """`license` or `licenses`, whichever held the strings."""
    fields: tuple[str, ...] = ()
    """Aligned with `declared`: where each string is (`license`, `licenses[1]`, `license.type`)."""
    problems: tuple[str, ...] = ()
    """License values of an unexpected shape (reported, never guessed)."""


class NodeModules(LocalSource):
    """Installed npm packages under one scanned tree, indexed by name."""

    ecosystem = Ecosystem.NPM

    def __init__(self, packages: list[InstalledPackage], root: Path, notes: list[str], boundary: Boundary | None = None) -> None:
        self.root = root
        self.packages = tuple(packages)
        self.notes = tuple(notes)
        """package.json files that could not be read, folders refused: never fatal."""
        self.boundary = boundary if boundary is not None else tree_boundary(root)
        self.boundaries = (self.boundary,)
        self._refused_folders = tuple(refusal for refusal in self.boundary.refused if _refused_package(refusal.path) is not None)
        """Package and node_modules folders the walk refused (license files refused later are not)."""
        self._by_name: dict[str, list[InstalledPackage]] = {}
        for package in packages:
            self._by_name.setdefault(normalize_name(Ecosystem.NPM, package.name), []).append(package)
        self._memo: dict[Path, LocalFinding] = {}

    @classmethod
    def discover(cls, scan_root: Path, max_file_size: int = MAX_METADATA_SIZE, skipped: Sequence[Path] | None = None) -> NodeModules:
        """Read every installed package.json under `scan_root`, in the node_modules folders
        among `skipped` (the folders discovery did not walk; the tree is walked when not given)."""
        root = scan_root.absolute()
        walker = _Walker(tree_boundary(root), max_file_size)
        folders = [folder for folder in (discover(root, ()).skipped if skipped is None else skipped) if folder.name == "node_modules"]
        packages = [package for folder in folders for package in walker.packages_in(folder)]
        packages.sort(key=lambda package: display_path(package.folder, root))
        return cls(packages, root, walker.notes, walker.boundary)

    def _find(self, component: Component) -> LocalFinding | str:
        package, message = self._choose(component)
        if package is None:
            return message
        evidence = self._memo.get(package.folder)
        if evidence is None:
            evidence = self._memo[package.folder] = self._evidence(package)
        if not has_content(evidence):
            return f"{display_path(package.folder, self.root)}: package.json declares no license and the package ships no license file"
        return with_note(evidence, message)

    def _choose(self, component: Component) -> tuple[InstalledPackage | None, str]:
        if component.ecosystem is not Ecosystem.NPM:
            return None, ""
        if not self.packages:
            return None, "no installed package found in a node_modules folder of the scanned tree" + self._refusals_for(component)
        installed = self._by_name.get(normalize_name(Ecosystem.NPM, component.name), [])
        if not installed:
            return None, "not installed in any node_modules folder of the scanned tree" + self._refusals_for(component)
        choice = choose_installed(component.version, installed, _version_of, _same_version)
        package, message = choice  # unpacked apart: mypy would infer T from the unpacking targets
        if package is None:
            return None, f"{message} ({display_path(installed[0].folder, self.root)})"
        return package, message

    def _refusals_for(self, component: Component) -> str:
        """The refused folders that may have held the component: its own, and whole node_modules."""
        wanted = normalize_name(Ecosystem.NPM, component.name)
        return refused_places([refusal for refusal in self._refused_folders if _refused_package(refusal.path) in (wanted, "")])

    def _evidence(self, package: InstalledPackage) -> LocalFinding:
        refused_before = len(self.boundary.refused)
        files, texts, notes = self._license_files(package)
        refused = self.boundary.refused[refused_before:]
        notes.extend(f"{refusal.path}: not read ({refusal.reason})" for refusal in refused)
        manifest = self._show(package.folder / "package.json")
        if package.field == "licenses" and len(package.declared) > 1:
            notes.append("legacy `licenses` array: npm reads several entries as alternatives (OR)")
        return LocalFinding(
            declared=package.declared,
            declared_urls=package.declared_urls,
            source=f"{manifest}: {package.field}" if package.field else f"{manifest}: no license field",
            declared_sources=tuple(f"{manifest}: {where}" for where in package.fields),
            license_files=tuple(self._show(path) for path in files),
            license_paths=real_paths(files),
            text_match=with_refused(identify_license_files(texts, self._show), refused),
            notes=(*package.problems, *notes),
        )

    def _show(self, path: Path) -> str:
        return display_path(path, self.root)

    def _license_files(self, package: InstalledPackage) -> tuple[list[Path], list[Path], list[str]]:
        """(license-named files, those holding license texts, notes); the file a
        `SEE LICENSE IN <file>` names comes first in both."""
        files = license_files_in(package.folder, self.boundary)
        texts = [path for path in files if is_license_text_name(path.name)]
        notes: list[str] = []
        for declared in package.declared:
            if not declared.upper().startswith(SEE_LICENSE_IN):
                continue
            named = declared[len(SEE_LICENSE_IN) :].strip()
            target = package.folder / named
            if ".." in Path(named).parts or Path(named).is_absolute():
                notes.append(f"{declared!r}: no such file in the package")
                continue
            if self.boundary.refuses(target):
                continue  # the refusal becomes a note and a text match that says why
            if not target.is_file():
                notes.append(f"{declared!r}: no such file in the package")
                continue
            files = [target, *(path for path in files if path != target)]
            texts = [target, *(path for path in texts if path != target)]
        return files, texts, notes


class _Walker:
    """Finds node_modules folders and the packages in them, inside one root, once each."""

    def __init__(self, boundary: Boundary, max_file_size: int) -> None:
        self.boundary = boundary
        self.root = boundary.folder
        self.max_file_size = max_file_size
        self.notes: list[str] = []
        self._seen: set[tuple[int, int]] = set()

    def packages_in(self, node_modules: Path) -> Iterator[InstalledPackage]:
        """Every package under one node_modules folder: scoped, nested and pnpm-stored ones."""
        pending = [node_modules]
        while pending:
            folder = pending.pop()
            if self._refused(folder) or not self._first_visit(folder):
                continue
            for entry in self._linked_directories(folder):
                if entry.name == ".pnpm":
                    pending.extend(store / "node_modules" for store in self._linked_directories(entry))
                    continue
                candidates = self._linked_directories(entry) if entry.name.startswith("@") else [entry]
                for candidate in candidates:
                    if entry.name.startswith(".") or not self._first_visit(candidate):
                        continue  # .bin, .cache, .package-lock.json's folder friends
                    package = self._read(candidate)
                    if package is not None:
                        yield package
                    pending.append(candidate / "node_modules")

    def _linked_directories(self, folder: Path) -> list[Path]:
        """Folders in `folder`; symlinked ones only when they resolve inside the root."""
        found = []
        for entry in _scan(folder):
            try:
                if entry.is_symlink() and self._refused(Path(entry.path)):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    found.append(Path(entry.path))
            except OSError:
                continue  # vanished or unreadable entry: nothing to read there
        return found

    def _refused(self, folder: Path) -> bool:
        """True (with a note) for a folder that exists and leads out of the tree."""
        if not os.path.lexists(folder) or not self.boundary.refuses(folder):
            return False
        self.notes.append(f"{self.boundary.show(folder)}: not read ({self.boundary.reason})")
        return True

    def _first_visit(self, folder: Path) -> bool:
        """True the first time a real folder is met (symlinks and loops lead to known ones)."""
        try:
            info = os.stat(folder)
        except OSError:
            return False
        identity = (info.st_dev, info.st_ino)
        if identity in self._seen:
            return False
        self._seen.add(identity)
        return True

    def _read(self, folder: Path) -> InstalledPackage | None:
        manifest = folder / "package.json"
        problem, document = self._load(manifest)
        if document is None:
            self.notes.append(f"{display_path(manifest, self.root)}: skipped ({problem})")
            return None
        name, version = document.get("name"), document.get("version")
        if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
            self.notes.append(f"{display_path(manifest, self.root)}: skipped (no name or version)")
            return None
        return _package(document, name, version, folder)

    def _load(self, manifest: Path) -> tuple[str, dict[str, Any] | None]:
        """(problem, None) or ('', the package.json object)."""
        if not manifest.exists():
            return "no package.json", None
        try:
            document = json.loads(self.boundary.read_text(manifest, self.max_file_size))
        except (FileReadError, ValueError) as error:
            return str(error), None
        return ("", document) if isinstance(document, dict) else ("not a JSON object", None)


def _package(document: dict[str, Any], name: str, version: str, folder: Path) -> InstalledPackage:
    field = "license" if "license" in document else "licenses" if "licenses" in document else None
    declared, urls, problems, fields = license_strings(document.get(field) if field else None, field or "")
    return InstalledPackage(
        name=name, version=version, folder=folder, declared=declared, declared_urls=urls, field=field if declared else None, fields=fields, problems=problems
    )


def license_strings(value: Any, field: str) -> tuple[tuple[str, ...], tuple[str | None, ...], tuple[str, ...], tuple[str, ...]]:
    """Raw license strings, their URLs, problems and where each string is (`licenses[1].type`),
    from a string, a `{type, url}` object or an array."""
    if value is None:
        return (), (), (), ()
    if isinstance(value, str):
        return ((value.strip(),), (None,), (), (field,)) if value.strip() else ((), (), (), ())
    items = value if isinstance(value, list) else [value]
    declared: list[str] = []
    urls: list[str | None] = []
    problems: list[str] = []
    fields: list[str] = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]" if isinstance(value, list) else field
        kind = item.get("type") if isinstance(item, dict) else item
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(kind, str) and kind.strip():
            text, inner = kind, ".type" if isinstance(item, dict) else ""
        elif isinstance(url, str) and url.strip():
            text, inner = url, ".url"
        else:
            problems.append(f"{where}: expected a string or a {{type, url}} object, found {type(item).__name__}")
            continue
        declared.append(text.strip())
        urls.append(url.strip() if isinstance(url, str) and url.strip() else None)
        fields.append(where + inner)
    return tuple(declared), tuple(urls), tuple(problems), tuple(fields)


def _version_of(package: InstalledPackage) -> str:
    return package.version


def _same_version(installed: str, wanted: str) -> bool:
    return installed.strip().lstrip("v=") == wanted.strip().lstrip("v=")


def _refused_package(shown: str) -> str | None:
    """The package a refused folder would have held (`a`, `@scope/a`), "" for a whole
    node_modules folder, None for anything else (a license file, a store folder)."""
    parts = shown.split("/")
    if parts[-1] == "package.json":
        parts = parts[:-1]  # a package whose manifest was refused is that package refused
    if parts and parts[-1] == "node_modules":
        return ""
    if len(parts) >= 2 and parts[-2] == "node_modules":
        return normalize_name(Ecosystem.NPM, parts[-1])
    if len(parts) >= 3 and parts[-3] == "node_modules" and parts[-2].startswith("@"):
        return normalize_name(Ecosystem.NPM, f"{parts[-2]}/{parts[-1]}")
    return None


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
