"""The command line: typer commands; the only place that chooses exit codes."""

from ospo_scan.cli.application import app, main
from ospo_scan.cli.diff_command import DIFF_EXIT_CODES_HELP, diff_command
from ospo_scan.cli.help_format import ReadableHelpCommand

app.command("diff", epilog=DIFF_EXIT_CODES_HELP, cls=ReadableHelpCommand)(diff_command)

__all__ = ["app", "main"]
