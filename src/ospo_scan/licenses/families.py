"""License families: what an ambiguous reference may mean, and what a text can tell.

An ambiguous name ("BSD", the versionless Apache classifier) becomes
`LicenseRef-ospo-ambiguous-<slug>`, and the alias table lists the SPDX ids it may mean
(its members). Three readings need the same comparison, so it lives here once:

- within one place, a value naming a member is the precise form of the ambiguous one
  (`Apache-2.0` beside `License :: OSI Approved :: Apache Software License`), and the
  ambiguous value is set aside (normalize.py);
- a lower-ranked ambiguous value that a conclusion names a member of does not differ
  from it (conclude.py);
- a license text cannot say "only" or "or later", so texts are compared by family:
  `GPL-3.0` agrees with `GPL-3.0-or-later` (conclude.py).

A family is a license id without its exception and without the GNU `-only` /
`-or-later` suffix: `GPL-2.0-only WITH Classpath-exception-2.0` is of family `GPL-2.0`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ospo_scan.licenses.aliases import load_aliases


def family(key: str) -> str:
    """The family of one license key (an id, or `<id> WITH <exception>`)."""
    license_id = key.split(" WITH ", 1)[0]
    return license_id.removesuffix("-only").removesuffix("-or-later")


def may_mean(key: str) -> frozenset[str]:
    """The families a key may mean: an ambiguous reference's members', else its own.

    Empty for an ambiguous reference whose group cannot list what it may mean
    ("MIT-style"): such a value is neither refined nor refines anything.
    """
    members = load_aliases().members_of(key)
    if members:
        return frozenset(family(member) for member in members)
    if load_aliases().ambiguity_reason(key) is not None:
        return frozenset()
    return frozenset({family(key)})


def is_ambiguous(key: str) -> bool:
    """True for `LicenseRef-ospo-ambiguous-<slug>` ids."""
    return load_aliases().ambiguity_reason(key) is not None


def refines(precise: str, ambiguous: str) -> bool:
    """Whether `precise` says at least as exactly what `ambiguous` says (every family it
    may mean is one `ambiguous` may mean)."""
    mine, theirs = may_mean(precise), may_mean(ambiguous)
    return bool(mine) and mine <= theirs


def within(keys: Iterable[str], concluded: Iterable[str], *, by_family: bool) -> bool:
    """Whether every key names a license the conclusion names.

    A key the conclusion names exactly is within. An ambiguous key is within when the
    conclusion names one of its members (the conclusion is its precise form, or another
    reading of the same name). With `by_family` (license texts), a key is within when the
    conclusion names its family, or an ambiguous reference it is a member of.
    """
    concluded = frozenset(concluded)
    possible = frozenset(name for key in concluded for name in may_mean(key))
    for key in keys:
        if key in concluded:
            continue
        if is_ambiguous(key):
            if may_mean(key) & possible:
                continue
            return False
        if not (by_family and family(key) in possible):
            return False
    return True
