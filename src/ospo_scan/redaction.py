"""Credentials never leave a scan: user names and tokens are taken out of URLs.

Manifests carry them more often than one would hope (`git+https://user:token@host/...`
in a requirements file, an authenticated tarball URL in a lockfile). Every report and
every SBOM is shared further than the repository it came from, so the scan strips them
once, where the inventory is assembled, and no reporter has to remember to.

For http(s), ftp and their `git+`/`svn+`/`hg+`/`bzr+` forms the whole user-info part
goes (a token is often written as a bare user name: `https://<token>@host`); for other
schemes (`ssh://git@host`) the user name is an address, not a secret, and only a
password is removed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ospo_scan.model import Component, ScanIssue, Usage

_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}://)(?P<user>[^\s/?#@:]{0,256})(?P<password>:[^\s/?#@]{0,1024})?@")
_SECRET_SCHEMES = re.compile(r"^(?:(?:git|svn|hg|bzr)\+)?(?:https?|ftps?)://$", re.IGNORECASE)


def strip_credentials(text: str) -> str:
    """The text with the credentials of every URL in it removed."""
    if "@" not in text or "://" not in text:
        return text
    return _USERINFO.sub(_without_secret, text)


def _without_secret(found: re.Match[str]) -> str:
    scheme = found.group("scheme")
    if _SECRET_SCHEMES.match(scheme):
        return scheme
    if found.group("password"):
        return f"{scheme}{found.group('user')}@"
    return found.group(0)


def scrub_components(components: Iterable[Component]) -> tuple[Component, ...]:
    """Components with credentials removed from source URLs, requirements and notes (a
    component without any is returned as it is)."""
    return tuple(_scrub_component(component) for component in components)


def scrub_issues(issues: Iterable[ScanIssue]) -> list[ScanIssue]:
    """Issues whose messages quote a line with credentials in it, without them."""
    return [issue if strip_credentials(issue.message) == issue.message else dataclasses.replace(issue, message=strip_credentials(issue.message)) for issue in issues]


def _scrub_component(component: Component) -> Component:
    source = strip_credentials(component.source_url) if component.source_url else component.source_url
    notes = tuple(strip_credentials(note) for note in component.notes)
    usages = tuple(_scrub_usage(usage) for usage in component.usages)
    if source == component.source_url and notes == component.notes and all(a is b for a, b in zip(usages, component.usages)):
        return component
    return dataclasses.replace(component, source_url=source, notes=notes, usages=usages)


def _scrub_usage(usage: Usage) -> Usage:
    if not usage.requirement:
        return usage
    requirement = strip_credentials(usage.requirement)
    return usage if requirement == usage.requirement else dataclasses.replace(usage, requirement=requirement)
