"""Printing a line that may be longer than the terminal: on a terminal its body wraps at word
boundaries under a hanging indent (never mid-word, at any width); in a pipe or a file it stays
one line, so logs and ``grep`` see whole lines."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

NARROWEST_BODY = 24


def emit(console: Console, head: str, body: str = "") -> None:
    """Print ``head`` then ``body`` (both rich markup); ``body`` wraps under itself."""
    first = Text.from_markup(head)
    rest = Text.from_markup(body)
    width = console.width if console.is_terminal else 0
    if not width or first.cell_len + rest.cell_len <= width:
        console.print(first + rest, soft_wrap=True)
        return
    hang = first.cell_len
    if width - hang < NARROWEST_BODY:  # a long head: the body goes under it, indented
        console.print(first, soft_wrap=True)
        first, hang = Text(" " * 6), 6
    for i, line in enumerate(rest.wrap(console, width - hang, overflow="fold")):
        line.rstrip()
        console.print((first if i == 0 else Text(" " * hang)) + line, soft_wrap=True)
