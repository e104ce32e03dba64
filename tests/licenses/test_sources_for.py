"""classify_licenses asks each component only the sources of its ecosystem; the conclusion
must be the one every source gives (a source of another ecosystem has nothing to say)."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.licenses.classify import LicenseOptions, ScannedRoot, _sources, component_license, sources_for
from ospo_scan.licenses.curations import no_curations
from ospo_scan.model import Component, Ecosystem
from ospo_scan.scan import scan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "polyglot-shop"


class _Everywhere:
    """An EvidenceSource of no particular ecosystem: always asked, in its place."""

    def lookup(self, component: Component) -> None:
        return None

    def why_missing(self, component: Component) -> str:
        return f"the test source has no {component.name}"


def test_the_sources_of_the_ecosystem_conclude_as_all_of_them() -> None:
    inventory = scan([EXAMPLE, EXAMPLE / "services"] if (EXAMPLE / "services").is_dir() else [EXAMPLE])
    roots = [ScannedRoot(Path(root)) for root in inventory.roots] or [ScannedRoot(EXAMPLE)]
    every = [_Everywhere(), *_sources(roots, LicenseOptions()), _Everywhere()]
    assert {c.ecosystem for c in inventory.components} >= {Ecosystem.NPM, Ecosystem.PYPI}
    for component in inventory.components:
        asked = sources_for(every, component.ecosystem)
        assert isinstance(asked[0], _Everywhere) and isinstance(asked[-1], _Everywhere)
        assert len(asked) < len(every)
        assert component_license(component, asked, no_curations()) == component_license(component, every, no_curations())


def test_many_roots_that_say_the_same_give_the_sentence_once(tmp_path: Path) -> None:
    """Each root brings its own Python environment source, each finding no environment: a
    reason (quoted again by every unknown-license gap) that said so once per root grew to
    tens of kilobytes per component across an organization."""
    roots = []
    for index in range(5):
        root = tmp_path / f"repository-{index}"
        root.mkdir()
        (root / "requirements.txt").write_text("unlicensed-package==1.0\n")
        roots.append(root)
    inventory = scan(roots)
    [component] = [c for c in inventory.components if c.name == "unlicensed-package"]
    assert component.license.expression is None
    reason = component.license.reason or ""
    sentences = reason.split("; ")
    assert "no Python environment found" in reason
    assert len(sentences) == len(set(sentences)), reason
