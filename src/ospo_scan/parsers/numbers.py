"""Numbers in scanned text that Python will not read.

Python refuses to turn a string of more than 4,300 digits into an int (the conversion is
quadratic, CVE-2020-10735) with a ValueError that no format library expects: packaging's
`Version` and `SpecifierSet.contains`, an `int()` of a Go language version. A version
such as `1.<5,000 nines>` is valid text in every manifest and lockfile format, so a parser
that compares or converts versions asks here first and reports that one entry, instead of
losing the whole file to the exception. A version passed on unread must be checked too:
later stages compare PEP 440 versions and would fail for the whole scan.

The bound is Python's default whatever the interpreter is set to (`sys.set_int_max_str_digits`,
`PYTHONINTMAXSTRDIGITS`), so a scan reports the same entries everywhere, and even where the
limit is lifted no version makes the scan do quadratic work.
"""

from __future__ import annotations

import re
import sys

__all__ = ["MAX_DIGITS", "too_long_number"]

MAX_DIGITS: int = getattr(sys.int_info, "default_max_str_digits", 4300)
"""The longest run of digits a version may hold (4,300, Python's default limit; Pythons
before 3.10.7 have no limit and no such attribute)."""

_TOO_LONG = re.compile(rf"(?<!\d)\d{{{MAX_DIGITS + 1}}}")
"""A run of digits over the bound. The look back lets a match start only where a run
starts, so each digit is looked at once or twice: the search stays linear."""
_DIGIT_RUN = re.compile(r"\d+")


def too_long_number(text: str) -> str | None:
    """Why `text` cannot be read as a version (`a number of 5,001 digits ...`), or None.

    `\\d` is Unicode's digit class, as int()'s is: Arabic-Indic digits count too.
    """
    found = _TOO_LONG.search(text)
    if found is None:
        return None
    run = _DIGIT_RUN.match(text, found.start())
    assert run is not None  # the match starts a run of digits
    return f"a number of {len(run.group()):,} digits, more than the {MAX_DIGITS:,} a version may have"
