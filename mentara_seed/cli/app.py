"""The ``seed`` command: thin typer commands that load settings, call one operation in
``cli.run`` and hand its result to a view. Only here do errors become exit codes."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from mentara_seed import __version__
from mentara_seed.cli import plan_json, run, views
from mentara_seed.cli.settings import Settings, load
from mentara_seed.database import redact
from mentara_seed.errors import SeedError

app = typer.Typer(
    name="seed",
    help="Plan and apply realistic, deterministic data for the Mentara database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DatabaseUrl = Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
    "--database-url", help="Database URL (env SEED_DATABASE_URL; default sqlite:///seed.db).",
    show_default=False)]
ProfileOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--profile", help="light, medium (default) or heavy.", show_default=False)]
SeedOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--seed", help="Project seed (default 0).", show_default=False)]
ScaleOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--scale", help="Multiply users and communities (benchmarks).", show_default=False)]
AnchorOpt = Annotated[Optional[dt.datetime], typer.Option(  # noqa: UP045
    "--anchor", formats=["%Y-%m-%d"], help="Time anchor date (default: from the journal).",
    show_default=False)]
TargetOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--target", "-t", help="Only this enricher and its dependencies (repeatable; NAME+ adds "
    "its dependents).", show_default=False)]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--exclude", help="Leave this enricher out (repeatable).", show_default=False)]
VerboseOpt = Annotated[Optional[bool], typer.Option(  # noqa: UP045
    "--verbose", "-v", help="List every change; show tracebacks.", show_default=False)]
ConfigOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--config", help="Settings file (default ./seed.toml, env SEED_CONFIG).", show_default=False)]
PruneOpt = Annotated[bool, typer.Option("--prune", help="Delete owned rows no longer desired.")]
UpdateOpt = Annotated[bool, typer.Option("--update", help="Also restore drifted owned rows.")]
LockOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--lock-timeout", help="Seconds to wait for another apply (default 30).", show_default=False)]


def _settings(
    config: Path | None, database_url: str | None, profile: str | None = None,
    seed: int | None = None, scale: int | None = None, anchor: dt.datetime | None = None,
    verbose: bool | None = None, lock_timeout: float | None = None,
) -> Settings:
    return load(
        config, database_url=database_url, profile=profile, seed=seed, scale=scale,
        anchor=anchor.date() if anchor else None, verbose=verbose, lock_timeout=lock_timeout,
    )


def _verbose_requested(argv: list[str] | None) -> bool:
    args = sys.argv[1:] if argv is None else argv
    return "--verbose" in args or "-v" in args or os.environ.get(
        "SEED_VERBOSE", "").lower() in ("1", "true", "yes")


@app.command()
def init(database_url: DatabaseUrl = None, config: ConfigOpt = None) -> None:
    """Create the Mentara schema (42 tables, 17 enums) and the journal on an empty database."""
    settings = _settings(config, database_url)
    created = run.init(settings)
    where = redact(settings.database_url)
    if created:
        out.print(f"[green]Created[/] the Mentara schema and the seed journal in {where}.")
    else:
        out.print(f"The Mentara schema is already present in {where}; nothing to do.")


@app.command()
def plan(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None, target: TargetOpt = None,
    exclude: ExcludeOpt = None, prune: PruneOpt = False, update: UpdateOpt = False,
    verbose: VerboseOpt = None, config: ConfigOpt = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="text (default) or json.")] = "text",
    out_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--out", help="Also write the plan as canonical JSON to this file.",
        show_default=False)] = None,
) -> None:
    """Show what `seed apply` would change. Writes nothing."""
    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose)
    options = run.Options(tuple(target or ()), tuple(exclude or ()), prune, update)
    result = run.plan(settings, options)
    if out_file is not None:
        out_file.write_text(plan_json.render(result.plan), encoding="utf-8")
    if output_format == "json":
        sys.stdout.write(plan_json.render(result.plan))
        return
    views.plan_view(out, result, settings.database_url, settings.verbose)
    if out_file is not None:
        out.print(f"Saved the plan to {out_file}.")


@app.command()
def apply(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None, target: TargetOpt = None,
    exclude: ExcludeOpt = None, prune: PruneOpt = False, update: UpdateOpt = False,
    init_schema: Annotated[bool, typer.Option(
        "--init", help="Create the schema first if the database is empty.")] = False,
    lock_timeout: LockOpt = None, verbose: VerboseOpt = None, config: ConfigOpt = None,
) -> None:
    """Plan, then apply the plan in one transaction and journal it; then verify."""
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         lock_timeout)
    options = run.Options(tuple(target or ()), tuple(exclude or ()), prune, update,
                          init=init_schema)
    if settings.audit:
        out.print("[dim]SEED_AUDIT is set: planning only, nothing will be written.[/]")
        views.plan_view(out, run.plan(settings, options), settings.database_url,
                        settings.verbose)
        return
    outcome = run.apply(
        settings, options,
        on_plan=lambda r: views.plan_view(out, r, settings.database_url, settings.verbose),
        on_wait=lambda who: err.print(f"Waiting for the apply lock held by {who} …"),
    )
    if outcome.initialized:
        out.print(f"[dim]Created the Mentara schema in {redact(settings.database_url)}.[/]")
    views.applied(out, outcome.applied, outcome.seconds)
    if outcome.verified:
        views.violations(out, outcome.violations, len(outcome.planned.selection.order))
        if outcome.violations:
            raise typer.Exit(1)


@app.command()
def verify(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, target: TargetOpt = None, exclude: ExcludeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Check every minimum on the live database; exit 1 if any does not hold."""
    settings = _settings(config, database_url, profile, seed, scale)
    options = run.Options(tuple(target or ()), tuple(exclude or ()))
    found = run.verify(settings, options)
    from mentara_seed.enrichers import REGISTRY
    from mentara_seed.planner.targets import select

    checked = len(select(REGISTRY, options.targets, options.excludes).order)
    views.violations(out, found, checked)
    if found:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the tool version."""
    out.print(f"mentara-seed {__version__}")


def _fail(error: BaseException, code: int, argv: list[str] | None) -> int:
    if _verbose_requested(argv):
        traceback.print_exception(error)
    err.print(f"[bold red]Error:[/] {escape(str(error))}")
    return code


def run_cli(argv: list[str] | None = None) -> int:
    """Run the ``seed`` command with ``argv``; returns the exit code (tests call this)."""
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except SeedError as error:
        return _fail(error, error.exit_code, argv)
    except KeyboardInterrupt:
        err.print("Interrupted; nothing was written.")
        return 130
    except Exception as error:  # noqa: BLE001 - last line of defence: message, not traceback
        if _verbose_requested(argv):
            traceback.print_exception(error)
        err.print(f"[bold red]Unexpected error:[/] {type(error).__name__}: {error}. "
                  "Run again with --verbose for the traceback.")
        return 1
    return 0


def main() -> None:
    raise SystemExit(run_cli())


if __name__ == "__main__":
    main()
