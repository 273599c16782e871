"""The options of the ``seed`` commands, written once: each names its value (``URL``, ``NAME``,
``N``…) rather than a Python type, and states its default in its help the one way
(``[default: medium]``), so that ``--help`` reads the same with every typer version the
project allows. ``tests/test_help.py`` holds the rendering to this."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer


class Format(StrEnum):
    """The views of a plan (and of the other results that have more than one)."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class TextOrJson(StrEnum):
    TEXT = "text"
    JSON = "json"


class GraphFormat(StrEnum):
    TREE = "tree"
    MERMAID = "mermaid"


def flag(*names: str, help: str) -> Any:  # noqa: A002 - typer's own keyword
    """An on/off option: no value, so no metavar."""
    return typer.Option(*names, help=help, metavar="", show_default=False)


def value(*names: str, metavar: str, help: str, **more: Any) -> Any:  # noqa: A002
    return typer.Option(*names, help=help, metavar=metavar, show_default=False, **more)


def choice(*names: str, choices: type[StrEnum], help: str) -> Any:  # noqa: A002
    shown = "|".join(c.value for c in choices)
    return typer.Option(*names, help=help, metavar=f"[{shown}]", show_default=False,
                        case_sensitive=False)


def _enricher_names(incomplete: str) -> list[str]:
    """Shell completion of --target and --exclude: the enricher names."""
    from mentara_seed.enrichers import REGISTRY

    return [n for n in REGISTRY.names() if n.startswith(incomplete)]


# typer reads the annotation's Optional[...] at run time: keep it (ruff UP045).
DatabaseUrl = Annotated[Optional[str], value(  # noqa: UP045
    "--database-url", metavar="URL",
    help="The database (env SEED_DATABASE_URL). [default: sqlite:///seed.db]")]
ProfileOpt = Annotated[Optional[str], value(  # noqa: UP045
    "--profile", "-p", metavar="NAME",
    help="Data volume: light, medium or heavy. [default: the last apply's, else medium]")]
SeedOpt = Annotated[Optional[int], value(  # noqa: UP045
    "--seed", metavar="N",
    help="Project seed: another seed, another data set. [default: the last apply's, else 0]")]
ScaleOpt = Annotated[Optional[int], value(  # noqa: UP045
    "--scale", metavar="N", help="Multiply users and communities (benchmarks). [default: 1]")]
def _anchor(text: str) -> dt.datetime:
    """``--anchor``: a date, or ``today`` (the Monday of this week, as a first apply takes)."""
    if text.strip().lower() == "today":
        from mentara_seed.planner.request import default_anchor

        return default_anchor(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD) or 'today'.") from None


AnchorOpt = Annotated[Optional[dt.datetime], value(  # noqa: UP045
    "--anchor", metavar="DATE", parser=_anchor,
    help="Time anchor, YYYY-MM-DD or 'today' (this week's Monday). [default: the journal's]")]
TargetOpt = Annotated[Optional[list[str]], value(  # noqa: UP045
    "--target", "-t", metavar="NAME", autocompletion=_enricher_names,
    help="Only this enricher and its dependencies; NAME+ adds its dependents. Repeatable.")]
ExcludeOpt = Annotated[Optional[list[str]], value(  # noqa: UP045
    "--exclude", "-x", metavar="NAME", autocompletion=_enricher_names,
    help="Leave this enricher out. Repeatable.")]
VerboseOpt = Annotated[Optional[bool], flag(  # noqa: UP045
    "--verbose", "-v", help="List every enricher, table and change; show tracebacks.")]
QuietOpt = Annotated[bool, flag(
    "--quiet", "-q", help="Print only errors (and a --format markdown|json document).")]
ConfigOpt = Annotated[Optional[Path], value(  # noqa: UP045
    "--config", "-c", metavar="FILE",
    help="Settings file (env SEED_CONFIG). [default: ./seed.toml]")]
PruneOpt = Annotated[bool, flag("--prune", help="Delete owned rows no longer desired.")]
UpdateOpt = Annotated[bool, flag("--update", help="Also restore drifted owned rows.")]
FullOpt = Annotated[Optional[bool], flag(  # noqa: UP045
    "--full", help="Run every enricher even when nothing changed since the last apply.")]
GuardOpt = Annotated[Optional[bool], flag(  # noqa: UP045
    "--i-know-this-is-not-production",
    help="Write even to a database that does not look like a development one.")]
LockOpt = Annotated[Optional[float], value(  # noqa: UP045
    "--lock-timeout", metavar="SECONDS",
    help="How long to wait for another apply. [default: 30]")]
FormatOpt = Annotated[Format, choice(
    "--format", "-f", choices=Format,
    help="text, markdown (a pull-request comment) or json. [default: text]")]
TextOrJsonOpt = Annotated[TextOrJson, choice(
    "--format", "-f", choices=TextOrJson, help="text or json. [default: text]")]
GraphFormatOpt = Annotated[GraphFormat, choice(
    "--format", "-f", choices=GraphFormat, help="A tree, or a mermaid chart. [default: tree]")]
DetailedOpt = Annotated[bool, flag(
    "--detailed-exitcode", help="Exit 0 with no changes, 2 with changes, 1 on error (for CI).")]
OutOpt = Annotated[Optional[Path], value(  # noqa: UP045
    "--out", "-o", metavar="FILE", help="Save the plan (canonical JSON) for `seed apply FILE`.")]
CompareOpt = Annotated[Optional[Path], value(  # noqa: UP045
    "--compare", metavar="FILE", help="Compare the desired data with this saved plan's.")]
InitOpt = Annotated[bool, flag("--init", help="Create the schema first if the database is empty.")]
ForceOpt = Annotated[bool, flag("--force", help="Also on a database `seed init` did not create.")]
OutForceOpt = Annotated[bool, flag("--force", help="Let --out replace a file that is not a saved "
                                                   "plan.")]
AutoApproveOpt = Annotated[Optional[bool], flag(  # noqa: UP045
    "--auto-approve", "-y",
    help="Do not ask before changing or deleting rows (env SEED_AUTO_APPROVE).")]
AllOpt = Annotated[bool, flag("--all", help="List every finding, not only the first 20 of each "
                                            "kind.")]
