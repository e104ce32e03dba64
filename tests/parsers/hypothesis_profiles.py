"""Hypothesis profiles of the parser property tests: a small CI run and a long nightly one.

    HYPOTHESIS_PROFILE=nightly .venv/bin/python -m pytest tests/parsers/test_parser_properties.py

The CI profile ("ci", the default) is small and derandomized: the same few dozen examples
per parser and strategy on every run, so CI never turns red on a rare find it cannot
reproduce; the whole file runs in well under two minutes on two cores. The nightly profile
draws thousands of fresh examples each night and keeps the failing ones in Hypothesis'
example database, so a find is replayed first on the next run.

The profiles are registered here, not in tests/conftest.py, and applied to the property tests
alone (`@PROFILE`): loading one globally would change every other Hypothesis test. Their
registered names are prefixed: Hypothesis registers a "ci" profile of its own, loaded
whenever CI is set, and registering that name again would reload it for every test. Neither
profile has a deadline: no example is a timed assertion (a hang is what the inputs are kept
small against, and what the hostile-repository suite guards with a wall-clock kill).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SUPPRESSED = (
    HealthCheck.too_slow,  # one example reads a file and parses it: slower than pure functions
    HealthCheck.data_too_large,  # a 5,000-deep nesting is a large draw by design
    HealthCheck.function_scoped_fixture,  # tmp_path is only a folder: each example rewrites its file
)

_PROFILES = {
    "ci": dict(max_examples=50, derandomize=True, database=None),
    "nightly": dict(max_examples=3_000),
}
for _name, _values in _PROFILES.items():
    settings.register_profile(f"ospo-parsers-{_name}", deadline=None, print_blob=True, suppress_health_check=_SUPPRESSED, **_values)  # type: ignore[arg-type]

PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "ci")
"""Which profile the property tests run under: `ci` unless the environment says otherwise."""
if PROFILE_NAME not in _PROFILES:
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE_NAME!r}: the parser property tests know {sorted(_PROFILES)}")

PROFILE: settings = settings.get_profile(f"ospo-parsers-{PROFILE_NAME}")
"""Decorator applying the chosen profile to one test."""
