"""How ``seed … --help`` names positional arguments: ``FILE`` when required and ``[FILE]`` when
optional, as in every Unix manual, with no Python type beside them. typer builds the argument
objects itself and offers no hook for their class, so each command narrows its own arguments'
class to one that renders them that way (``tests/test_help.py`` holds the output to it)."""

from __future__ import annotations

from typing import Any

import typer.core


class _Argument(typer.core.TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return name if self.required else f"[{name}]"


class SeedCommand(typer.core.TyperCommand):
    """A ``seed`` subcommand: typer's, with arguments named as above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = _Argument
