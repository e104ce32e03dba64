"""Credentials written into manifests' URLs appear in no report of any format."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ospo_scan.redaction import strip_credentials
from ospo_scan.reporters import OutputFormat
from ospo_scan.reporters.report import Report
from ospo_scan.scan import scan

FIXTURE = Path(__file__).parent / "fixtures" / "credentials-in-urls"
SECRET_MARK = "s3cr3t"
"""Every secret in the fixture contains this; nothing else in it does."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://user:token@host.example/x", "https://host.example/x"),
        ("git+https://token@host.example/x.git@v1", "git+https://host.example/x.git@v1"),
        ("HTTPS://user:pw@host.example/", "HTTPS://host.example/"),
        ("ftp://user:pw@host.example/file", "ftp://host.example/file"),
        ("git+ssh://git@host.example/org/x.git", "git+ssh://git@host.example/org/x.git"),
        ("ssh://git:pw@host.example/x", "ssh://git@host.example/x"),
        ("x asks for https://a:b@h.example/1 and https://c@h.example/2", "x asks for https://h.example/1 and https://h.example/2"),
        ("https://host.example/path@v1", "https://host.example/path@v1"),
        ("pkg@1.0.0", "pkg@1.0.0"),
        ("mail me: someone@example.org", "mail me: someone@example.org"),
    ],
    ids=["user-and-password", "bare-token", "scheme-in-capitals", "ftp", "ssh-user-is-no-secret", "ssh-password", "two-urls-in-a-message", "at-in-the-path", "npm-spec", "e-mail-address"],
)
def test_strip_credentials(text: str, expected: str) -> None:
    assert strip_credentials(text) == expected


def test_the_fixture_holds_the_secrets_it_is_about() -> None:
    written = "".join(path.read_text(encoding="utf-8") for path in FIXTURE.iterdir())
    assert written.count(SECRET_MARK) == 7


@pytest.mark.parametrize("output_format", list(OutputFormat), ids=lambda f: f.value)
def test_no_format_shows_a_credential(output_format: OutputFormat) -> None:
    report = Report.of(scan([FIXTURE]), show_components=True, include_dev=True)
    buffer = io.StringIO()
    output_format.renderer(report, buffer, False)
    assert SECRET_MARK not in buffer.getvalue()


def test_the_urls_stay_usable_without_their_credentials() -> None:
    inventory = scan([FIXTURE])
    sources = {component.name: component.source_url for component in inventory.components}
    assert sources["mypkg"] == "git+https://git.example/org/mypkg.git@v1.0"
    assert sources["z"] == "git+ssh://git@git.example/org/z.git"
    assert all(SECRET_MARK not in (usage.requirement or "") for component in inventory.components for usage in component.usages)
    assert all(SECRET_MARK not in issue.message for issue in inventory.issues)
