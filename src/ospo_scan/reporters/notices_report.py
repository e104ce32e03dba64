"""The notices report: a third-party notices file for what the projects ship.

Legal asks for it before a release: every third-party component that goes out with the
software, its license, and the license texts themselves. Shipped means a project needs
it at run time and must carry it: a runtime usage that is neither optional (an extra, an
optionalDependency: the project works without it, and may not install it) nor a peer
(the host installs it, and lists it as its own dependency if it ships it). Provided
components (Maven `provided`, `system`) are left out too: the platform that runs the
software (a servlet container, a JDK) supplies them, and its own notices cover them.
`--include-dev` (Report.include_dev) lists every third-party component instead.
First-party components are never listed: their notices are the project's own.

The texts are the files the license stage recorded for each installation (Python
dist-info, node_modules, the Go module cache), read now through notices_text, which
refuses anything that no longer is the regular file found during the scan. A text that
several components ship byte for byte (the Apache-2.0 text, a shared MIT file) is shown
once, at the first component in the document; the others name it, so the file stays a
size a person can read. Where no text was found, the entry says so and why.

Components are grouped by ecosystem (PyPI, npm, Maven, Go, in that order) and sorted by
name and version; the document holds no time, so the same scan gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TextIO

from ospo_scan.analysis.wording import count, listing
from ospo_scan.model import Component, Ecosystem, Lifecycle
from ospo_scan.reading import FileReadError
from ospo_scan.reporters.notices_text import code, fenced, read_license_text, scanned_roots, sentence, shown_path
from ospo_scan.reporters.report import Report

ECOSYSTEM_TITLES = {
    Ecosystem.PYPI: "Python (PyPI)",
    Ecosystem.NPM: "npm",
    Ecosystem.MAVEN: "Maven",
    Ecosystem.GOLANG: "Go",
}
"""Section titles, in the order the sections come."""

PROJECTS_SHOWN = 5
"""Projects named in an entry's "Used by" line (a shared package can have hundreds)."""


def render(report: Report, stream: TextIO, is_terminal: bool = False) -> None:
    """Write the notices file (Markdown that reads as plain text)."""
    del is_terminal
    stream.write("\n".join(notices_lines(report)) + "\n")


def ships(component: Component) -> bool:
    """True when some project ships the component (see the module docstring)."""
    return any(usage.lifecycle is Lifecycle.RUNTIME and not usage.optional and not usage.peer for usage in component.usages)


def listed_components(report: Report) -> list[Component]:
    """The components the notices list, in document order."""
    third_party = [component for component in report.inventory.components if not component.first_party]
    chosen = third_party if report.include_dev else [component for component in third_party if ships(component)]
    order = list(ECOSYSTEM_TITLES)
    return sorted(chosen, key=lambda c: (order.index(c.ecosystem), c.name.lower(), c.name, c.version or "", c.purl))


def notices_lines(report: Report) -> list[str]:
    """The whole document, line by line: the header needs the counts of the entries."""
    components = listed_components(report)
    writer = _Writer(scanned_roots(report.inventory.roots))
    sections: list[str] = []
    for ecosystem, title in ECOSYSTEM_TITLES.items():
        members = [component for component in components if component.ecosystem is ecosystem]
        if members:
            sections += [f"## {title}: {count(len(members), 'component')}", ""]
            sections += [line for component in members for line in writer.entry(component)]
    return _header(report, components, writer.with_text) + sections


def _header(report: Report, components: Sequence[Component], with_text: int) -> list[str]:
    third_party = sum(1 for component in report.inventory.components if not component.first_party)
    lines = [
        "# Third-party notices",
        "",
        "The third-party open source components listed here come with their licenses and the license texts "
        "found in local installations (Python environments, node_modules, the Go module cache, the local Maven repository). "
        "Texts several components share are shown once; first-party components are not listed.",
        "",
        f"- Scope: {_scope(report)}",
        f"- Components listed: {len(components)}",
        f"- With license text: {with_text}",
        f"- Without license text: {len(components) - with_text}",
    ]
    if not report.include_dev:
        left_out = third_party - len(components)
        lines.append(f"- Left out: {count(left_out, 'third-party component')} no project ships (development, test, build, provided, optional or peer only); `--include-dev` lists them")
    if not report.inventory.complete:
        lines.append("- The scan is incomplete: some files could not be read, so components may be missing here")
    return lines + [""]


def _scope(report: Report) -> str:
    if report.include_dev:
        return "every third-party component, development, test, build, provided, optional and peer ones included"
    return "what the projects ship: components needed at run time, neither optional, nor peers, nor provided by the platform"


class _Writer:
    """Writes entries in document order, remembering each text shown (for "same text as")."""

    def __init__(self, roots: Sequence[tuple[str, PurePath]]) -> None:
        self.roots = roots
        self.shown: dict[str, str] = {}
        """Each text shown, with where it was shown first (component and file)."""
        self.with_text = 0

    def entry(self, component: Component) -> list[str]:
        """One component: what it is, its license, then its texts or why there are none."""
        texts = [self._text(component, path) for path in _files(component)]
        has_text = any(shown for _, shown in texts)
        self.with_text += has_text
        lines = [f"### {_label(component)}", "", *_facts(component), ""]
        if not texts:
            lines += [f"No license text found: {sentence(_why_none(component))}.", ""]
        elif not has_text:
            lines += ["No license text could be read (see each file below).", ""]
        return lines + [line for block, _ in texts for line in block]

    def _text(self, component: Component, path: str) -> tuple[list[str], bool]:
        """The lines for one file, and whether its text (or a reference to it) was shown."""
        where = code(shown_path(path, self.roots, component))
        try:
            text = read_license_text(path)
        except FileReadError as error:
            return [f"{where} could not be read: {sentence(str(error))}.", ""], False
        if not text:
            return [f"{where} is empty.", ""], False
        first = self.shown.get(text)
        if first is not None:
            return [f"{where}: the same text as {first}, above.", ""], True
        self.shown[text] = f"{_label(component)} ({where})"
        return [f"{where}:", "", *fenced(text), ""], True


def _label(component: Component) -> str:
    """`name` `version`, as headings and "same text as" lines name a component."""
    return f"{code(component.name)} {code(component.version) if component.version else '(no version pinned)'}"


def _facts(component: Component) -> list[str]:
    lines = [f"- Package URL: {code(component.purl)}", f"- License: {_license(component)}"]
    lines += [f"- Note: {sentence(note)}" for note in _license_notes(component)]
    return lines + [f"- Used by: {_usages(component)}"]


def _license(component: Component) -> str:
    info = component.license
    if info is None:
        return "not classified (the scan ran without its license stage)"
    if info.expression is None:
        return f"unknown: {sentence(info.reason or 'no license evidence found')}"
    return f"{code(info.expression)} ({sentence(info.category)})"


def _license_notes(component: Component) -> list[str]:
    """The reason beside a known license (an ambiguous name, evidence that differs)."""
    info = component.license
    return [info.reason] if info is not None and info.expression is not None and info.reason else []


def _usages(component: Component) -> str:
    """The projects using it and how, e.g. `pypi:services/api` (runtime, optional runtime)."""
    kinds: dict[str, set[str]] = {}
    for usage in component.usages:
        flags = (["optional"] if usage.optional else []) + (["peer"] if usage.peer else [])
        kinds.setdefault(usage.project, set()).add(" ".join([*flags, usage.lifecycle.value]))
    shown = [f"{code(project)} ({', '.join(sorted(kinds[project]))})" for project in sorted(kinds)]
    return listing(shown, PROJECTS_SHOWN) or "no project records a usage"


def _files(component: Component) -> tuple[str, ...]:
    return component.license.license_files if component.license is not None else ()


def _why_none(component: Component) -> str:
    info = component.license
    if info is None:
        return "the scan ran without its license stage, which finds the installed copies"
    return info.license_files_reason or "no license file was recorded for this component"
