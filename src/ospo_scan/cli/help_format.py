"""--help that shows the words a reader expects (PATH, N, FILE), never Python types.

typer prints the type it infers from each annotation beside every parameter:
`<list[Path]>` next to an argument already named PATH, `<bool>` next to every flag.
Options name their value with a metavar; this command class drops the inferred type
where a metavar or a flag already says everything. It only changes what --help shows:
parsing and validation are typer's, untouched. With a typer that no longer asks
parameters for `display_type_rich`, nothing breaks: the types simply show again (and
tests/cli/test_help.py says so).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperOption


class _NamedArgument(TyperArgument):
    """An argument whose metavar is its whole description in --help."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Flag(TyperOption):
    """A flag takes no value, so --help shows no type for it."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class ReadableHelpCommand(TyperCommand):
    """A typer command whose --help names values by metavar only."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            if type(param) is TyperArgument and param.metavar is not None:
                param.__class__ = _NamedArgument
            elif type(param) is TyperOption and param.is_flag:
                param.__class__ = _Flag
        return params
