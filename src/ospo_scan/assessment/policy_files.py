"""Which policy files a repository keeps: ospo-scan's own, read and counted, and other
tools', found by name.

ospo-scan's settings file is read exactly as `ospo-scan check` reads it (the same
finder, the same loader, `extends` merged), so the counts here are the rules and
exceptions a check of this repository would apply. Other tools' files are only
*named*: their formats are theirs, and what the assessment needs to know is that a
policy exists and which tool enforces it. Their counts are 0 and `tool` says whose
file it is; a reader must not take those zeros for "no rules".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ospo_scan.assessment.model import PolicyFileFact
from ospo_scan.config import ConfigError, find_settings_file, load_settings_file
from ospo_scan.policy import has_policy, load_policy
from ospo_scan.policy.model import Policy

OTHER_TOOLS_FILES: tuple[tuple[str, str], ...] = (
    (".ort.yml", "ort"),  # OSS Review Toolkit: excludes, resolutions, license choices
    (".fossa.yml", "fossa"),
    ("REUSE.toml", "reuse"),  # REUSE 3.2 annotations
    (".reuse/dep5", "reuse"),  # the older, Debian-copyright form of the same
    ("deny.toml", "cargo-deny"),  # licenses, bans, advisories, sources
    (".deny.toml", "cargo-deny"),
    (".snyk", "snyk"),  # ignores and patches
    (".trivyignore", "trivy"),
    (".trivyignore.yaml", "trivy"),
    ("trivy.yaml", "trivy"),
    (".grype.yaml", "grype"),
    (".grype/config.yaml", "grype"),
    (".syft.yaml", "syft"),
    ("doc/dependency_decisions.yml", "license_finder"),  # its default decisions file
    (".licensed.yml", "licensed"),
    (".licenserc.yaml", "skywalking-eyes"),  # license header policy
    ("osv-scanner.toml", "osv-scanner"),
    (".safety-policy.yml", "safety"),
    (".github/dependabot.yml", "dependabot"),
    (".github/dependabot.yaml", "dependabot"),
    ("renovate.json", "renovate"),
    ("renovate.json5", "renovate"),
    (".github/renovate.json", "renovate"),
    (".github/renovate.json5", "renovate"),
    (".gitlab/renovate.json", "renovate"),
    (".gitlab/renovate.json5", "renovate"),
    (".renovaterc", "renovate"),
    (".renovaterc.json", "renovate"),
    (".renovaterc.json5", "renovate"),
)
"""(path relative to the repository root, tool): the names each tool reads by default.

Exact, case-sensitive paths, because that is how the tools look for them; a file kept
under another name and passed on a command line is the CI gate's to show."""


def policy_files(root: Path, today: date) -> tuple[PolicyFileFact, ...]:
    """Every policy file of the repository at `root`, sorted by path.

    `today` decides which exceptions have expired: it is the assessment's date, passed
    in so that a report can be rebuilt for a given day.
    """
    own = _own_policy(root, today)
    facts = [] if own is None else [own]
    facts.extend(
        PolicyFileFact(path=relative, rules=0, exceptions=0, expired_exceptions=0, tool=tool)
        for relative, tool in OTHER_TOOLS_FILES
        if _is_file_inside(root, relative)
    )
    return tuple(sorted(facts, key=lambda fact: (fact.path, fact.tool)))


def _own_policy(root: Path, today: date) -> PolicyFileFact | None:
    """ospo-scan's settings file, counted; None when there is none or it sets no policy.

    A settings file holding only `[criticality]` weights is not a policy: listing it
    would make a repository look governed that is not. An unreadable one is a fact with
    its error (the message names the file), so that a broken policy is seen, not lost.
    """
    try:
        path = find_settings_file(root)
    except OSError as error:  # a folder that may not be entered: is_file() raises EACCES
        return _unreadable(".ospo-scan.toml", f"{root}: cannot look for a settings file: {error.strerror or error}")
    if path is None:
        return None
    relative = path.relative_to(root).as_posix()
    try:
        settings = load_settings_file(path)
        if not has_policy(settings):
            return None
        policy = load_policy(settings)
    except ConfigError as error:
        return _unreadable(relative, str(error))
    return _counted(relative, policy, today)


def _counted(relative: str, policy: Policy, today: date) -> PolicyFileFact:
    """The fact for a policy that was read: the merged rules and exceptions (`extends` included)."""
    expiries = [exception.expires for exception in policy.exceptions if exception.expires is not None]
    to_come = [expiry for expiry in expiries if expiry >= today]
    return PolicyFileFact(
        path=relative,
        rules=len(policy.rules),
        exceptions=len(policy.exceptions),
        expired_exceptions=sum(1 for expiry in expiries if expiry < today),
        next_expiry=min(to_come, default=None),
    )


def _unreadable(relative: str, message: str) -> PolicyFileFact:
    return PolicyFileFact(path=relative, rules=0, exceptions=0, expired_exceptions=0, error=message)


def _is_file_inside(root: Path, relative: str) -> bool:
    """True for a regular file that is, after symlinks, still inside the repository.

    Nothing is opened; a symlink leading out of the repository is not the repository's
    policy, and following it would describe another tree.
    """
    path = root / relative
    try:
        target = path.resolve()
        real_root = root.resolve()
        return target.is_relative_to(real_root) and target.is_file()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return False
