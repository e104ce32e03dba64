"""The parser registry: every supported file format, listed by hand.

Adding a format is one module, one line here, fixtures and tests. Order matters only
when two specs could match the same file name: the first match wins.
"""

from __future__ import annotations

from ospo_scan.parsers.base import ParserSpec
from ospo_scan.parsers.golang import go_mod, go_sum, go_vendor, go_work
from ospo_scan.parsers.maven import gradle_catalog, gradle_lockfile, pom
from ospo_scan.parsers.npm import bun_lock, package_json, package_lock, pnpm_lock, yarn_lock
from ospo_scan.parsers.python import (
    pdm_lock,
    pipfile,
    pipfile_lock,
    poetry_lock,
    pylock,
    pyproject,
    requirements,
    setup_cfg,
    uv_lock,
)

PARSERS: tuple[ParserSpec, ...] = (
    requirements.SPEC,
    pyproject.SPEC,
    setup_cfg.SPEC,
    pipfile.SPEC,
    pipfile_lock.SPEC,
    pylock.SPEC,
    poetry_lock.SPEC,
    uv_lock.SPEC,
    pdm_lock.SPEC,
    go_mod.SPEC,
    go_sum.SPEC,
    go_vendor.SPEC,
    go_work.SPEC,
    pom.SPEC,
    gradle_lockfile.SPEC,
    gradle_catalog.SPEC,
    package_json.SPEC,
    package_lock.SPEC,
    yarn_lock.SPEC,
    pnpm_lock.SPEC,
    bun_lock.SPEC,
)
