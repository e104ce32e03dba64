"""The command line: typer commands; the only place that chooses exit codes.

`ospo-scan --version` is answered before the commands are built: building them imports
typer (and with it pydantic), rich and every stage of the scan, a few tenths of a second
for one line of output. Everything else, `app` included, loads on first use, and the
diff and organization-store commands only when one of them may be the one asked for.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer import Typer

    app: Typer

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        from ospo_scan import __version__

        print(f"ospo-scan {__version__}")  # the words typer's --version callback prints
        return
    from ospo_scan.cli.application import app, main as run

    if sys.argv[1:2] != [] and sys.argv[1] in _names(app):
        run()  # another command than diff: its module (and univers, which it orders versions with) is not needed
        return
    _register_commands()
    run()


def __getattr__(name: str) -> Any:
    """`app` (the typer application, every command registered) is built on first use."""
    if name == "app":
        from ospo_scan.cli.application import app

        _register_commands()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _names(typer_app: Any) -> set[str]:
    """The names the commands registered so far answer to."""
    return {command.name or command.callback.__name__.replace("_", "-") for command in typer_app.registered_commands}


def _register_commands() -> None:
    """Commands defined outside application.py, added once."""
    from ospo_scan.cli.application import app
    from ospo_scan.cli.diff_command import DIFF_EXIT_CODES_HELP, diff_command
    from ospo_scan.cli.help_format import ReadableHelpCommand

    if any(command.name == "diff" for command in app.registered_commands):
        return
    from ospo_scan.cli.assess_command import ASSESS_EXIT_CODES_HELP, assess_command
    from ospo_scan.cli.organization_report_command import report_command
    from ospo_scan.cli.query_command import QUERY_HELP_EPILOG, query_command
    from ospo_scan.cli.snapshot_commands import snapshot_app

    app.command("diff", epilog=DIFF_EXIT_CODES_HELP, cls=ReadableHelpCommand)(diff_command)
    app.add_typer(snapshot_app, name="snapshot")
    app.command("query", epilog=QUERY_HELP_EPILOG, cls=ReadableHelpCommand)(query_command)
    app.command("report", cls=ReadableHelpCommand)(report_command)
    app.command("assess", epilog=ASSESS_EXIT_CODES_HELP, cls=ReadableHelpCommand)(assess_command)
