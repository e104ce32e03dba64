"""Exit codes of every ospo-scan command (documented in --help and README.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Distinct codes so CI can tell a policy failure from a broken run."""

    OK = 0
    """The scan ran; issues, if any, are in the report and its status."""
    VIOLATIONS = 1
    """check: an error-level policy rule is broken (only new ones, with --baseline)."""
    USAGE = 2
    """Bad arguments, or nothing readable at the given path."""
    INCOMPLETE = 3
    """--strict and some file could not be read or parsed."""
    INTERNAL = 70
    """A bug in ospo-scan (EX_SOFTWARE); --debug shows the traceback."""
    INTERRUPTED = 130
    """Ctrl-C."""
    BROKEN_PIPE = 141
    """The reader of stdout went away (`| head`): the status a shell gives a program killed by SIGPIPE."""


EXIT_CODES_HELP = (
    "Exit codes: 0 scan done (issues, if any, are listed and the status says so); "
    "1 policy violations (check, scan --policy); 2 usage or policy error, or nothing readable at the given path; "
    "3 incomplete scan under --strict, or under check without --allow-partial; 70 internal error; 130 interrupted; 141 stdout closed by its reader."
)
