"""`.mvn/maven.config` user properties: CI-friendly versions set only on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.parsers.maven.maven_config import user_properties
from ospo_scan.scan import ScanOptions, scan

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-Drevision=1.0.0", {"revision": "1.0.0"}),
        ("-Drevision=1.0.0 -Dsha1=-abc\n--batch-mode", {"revision": "1.0.0", "sha1": "-abc"}),
        ('-D revision=2.0 --define changelist=-SNAPSHOT "-Dname=a b"', {"revision": "2.0", "changelist": "-SNAPSHOT", "name": "a b"}),
        ("--define=x=y -DskipTests", {"x": "y", "skipTests": "true"}),
        ("-T 1C -U", {}),
        ('-Dbroken="unbalanced', {"broken": '"unbalanced'}),
    ],
)
def test_user_properties(text: str, expected: dict[str, str]) -> None:
    assert user_properties(text) == expected


def test_maven_config_revision_wins_over_pom_properties(tmp_path: Path) -> None:
    inventory = scan([FIXTURES / "maven-config-revision"], ScanOptions(licenses=None))
    versions = {c.name: c.version for c in inventory.components}
    assert versions == {"org.slf4j:slf4j-api": "2.0.16", "com.example:lib": "2.3.0"}
    assert {p.name: p.version for p in inventory.projects} == {"com.example:parent": "2.3.0", "com.example:app": "2.3.0"}
    assert inventory.issues == ()


def test_a_megabyte_value_is_read_in_linear_time() -> None:
    """shlex built each token a character at a time (quadratic); the words are the same."""
    value = "1." + "0" * 1_000_000

    assert user_properties(f"-Drevision={value} -Dsha1=abc") == {"revision": value, "sha1": "abc"}
