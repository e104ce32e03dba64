"""The command line: typer commands; the only place that chooses exit codes."""

from ospo_scan.cli.application import app, main

__all__ = ["app", "main"]
