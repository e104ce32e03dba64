"""Comparing rendered tables by their words, so that a rich release that draws boxes or
pads cells differently does not fail the suite, while every changed word does."""

from __future__ import annotations

_BOX_DRAWING = str.maketrans("", "", "─━│┃┏┓┗┛┡┩┣┫╇╋┳┻┼├┤┌┐└┘╭╮╰╯═║╞╡╪╤╧")


def table_words(text: str) -> list[str]:
    """Each non-empty line of a rendered table as its words, box drawing removed."""
    lines = (line.translate(_BOX_DRAWING) for line in text.splitlines())
    return [" ".join(line.split()) for line in lines if line.strip()]
