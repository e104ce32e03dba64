"""The built-in repository health checks, as data.

Modeled on what GitHub's community profile counts (README, LICENSE, CONTRIBUTING,
CODE_OF_CONDUCT, SECURITY, CODEOWNERS) and what the TODO Group's repolinter checks
(changelog, NOTICE for Apache-2.0). A check is a table row, never code: the settings
file adds, replaces and disables rows (check_settings.py), health.py runs them all the
same way.

Names match case-insensitively, with or without one documentation extension
(DOC_EXTENSIONS); an entry with `*` is a pattern (`LICENSE-*` takes LICENSE-MIT and
LICENSE-APACHE.txt) and never matches a program file (`license.go`), see health.py.

Locations follow the code hosts, in the order they pick a file when there are several:
GitHub shows a README, CONTRIBUTING, CODE_OF_CONDUCT or SECURITY file from `.github/`
first, then the root, then `docs/`; it reads CODEOWNERS from the same three in that
order, GitLab from the root, `docs/` and `.gitlab/`. License detection on GitHub
(licensee), in package registries and in ospo-scan itself reads only the root, so a
license or NOTICE file elsewhere is not found by the tools a reuser relies on.

Severities, and why:
- REQUIRED: a license file (without one nobody may use, change or share the code), a
  security policy (outsiders must know where to report a vulnerability privately before
  the code is public), NOTICE under Apache-2.0 (section 4(d) makes redistributors carry
  it, so it must exist from the first release: the ASF's release policy requires it).
- RECOMMENDED: README, CONTRIBUTING, code of conduct, owners, changelog: expected of a
  healthy project, but their absence does not stop anyone from using it lawfully.
"""

from __future__ import annotations

from ospo_scan.assessment.model import Check, CheckSeverity

DOC_EXTENSIONS = (".md", ".markdown", ".rst", ".txt", ".adoc", ".org")
"""Extensions a health file may carry (GitHub renders all of them)."""

GITHUB_LOCATIONS = (".github", ".", "docs")
"""Where GitHub looks for community health files, in its order of precedence."""
ROOT = (".",)

LICENSE_FILES = (
    "LICENSE",
    "LICENCE",
    "COPYING",
    "UNLICENSE",
    "LICENSE-*",
    "LICENSE.*",
    "LICENSE_*",
    "LICENCE-*",
    "LICENCE.*",
    "COPYING-*",
    "COPYING.*",
)
"""License file names: own_license.py reads the same ones (LICENSE-MIT, COPYING.LESSER...)."""

LICENSE_CHECK_ID = "license-file"

BUILT_IN_CHECKS: tuple[Check, ...] = (
    Check(
        id="readme",
        description="a README says what the project is and how to use it",
        files=("README",),
        locations=GITHUB_LOCATIONS,
    ),
    Check(
        id=LICENSE_CHECK_ID,
        description="a license file grants the rights to use, change and share the code",
        files=LICENSE_FILES,
        locations=ROOT,
        severity=CheckSeverity.REQUIRED,
    ),
    Check(
        id="contributing",
        description="contribution guidelines say how to propose changes",
        files=("CONTRIBUTING",),
        locations=GITHUB_LOCATIONS,
    ),
    Check(
        id="code-of-conduct",
        description="a code of conduct says how contributors treat each other",
        files=("CODE_OF_CONDUCT", "CODE-OF-CONDUCT"),
        locations=GITHUB_LOCATIONS,
    ),
    Check(
        id="security-policy",
        description="a security policy says how to report a vulnerability privately",
        files=("SECURITY",),
        locations=GITHUB_LOCATIONS,
        # An empty SECURITY.md tells a reporter nothing: it must speak of reporting.
        contains=r"(?i)report|disclos|vulnerab",
        severity=CheckSeverity.REQUIRED,
    ),
    Check(
        id="codeowners-or-maintainers",
        description="owners or maintainers are named, so changes and reports reach someone",
        files=("CODEOWNERS", "MAINTAINERS", "OWNERS"),
        locations=(".github", ".", "docs", ".gitlab"),
    ),
    Check(
        id="changelog",
        description="a changelog tells users what changed between releases",
        files=("CHANGELOG", "CHANGES", "HISTORY", "NEWS", "RELEASE-NOTES", "RELEASE_NOTES"),
        locations=(".", "docs"),
    ),
    Check(
        id="notice",
        description="a NOTICE file carries the attributions Apache-2.0 section 4(d) asks redistributors to keep",
        files=("NOTICE",),
        locations=ROOT,
        when_licenses=("Apache-2.0",),
        severity=CheckSeverity.REQUIRED,
    ),
)
"""Every built-in check, in the order reports list them."""

BUILT_IN_IDS = tuple(check.id for check in BUILT_IN_CHECKS)


def built_in(check_id: str) -> Check:
    """The built-in check of that id (KeyError for an unknown one: a programming error)."""
    return {check.id: check for check in BUILT_IN_CHECKS}[check_id]
