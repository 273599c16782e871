"""The ``seed`` command: thin typer commands that load settings, call one operation in
``cli.run`` and hand its result to a view. Only here do errors become exit codes."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from mentara_seed import __version__
from mentara_seed.cli.options import (
    AllOpt,
    AnchorOpt,
    CompareOpt,
    ConfigOpt,
    DatabaseUrl,
    DetailedOpt,
    ExcludeOpt,
    ForceOpt,
    Format,
    FormatOpt,
    FullOpt,
    GraphFormat,
    GraphFormatOpt,
    GuardOpt,
    InitOpt,
    LockOpt,
    OutOpt,
    ProfileOpt,
    PruneOpt,
    QuietOpt,
    ScaleOpt,
    SeedOpt,
    TargetOpt,
    TextOrJson,
    TextOrJsonOpt,
    UpdateOpt,
    VerboseOpt,
    flag,
    value,
)
from mentara_seed.errors import SeedError, UsageError

if TYPE_CHECKING:
    from mentara_seed.cli.run import ApplyOutcome
    from mentara_seed.cli.settings import Settings
    from mentara_seed.planner.plan import Plan


class _Lazy:
    """A module imported on first use, so `seed --help` does not pay for SQLAlchemy, psycopg
    and every enricher."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


run = _Lazy("mentara_seed.cli.run")
views = _Lazy("mentara_seed.cli.views")
results = _Lazy("mentara_seed.cli.results")
markdown = _Lazy("mentara_seed.cli.markdown")
_progress = _Lazy("mentara_seed.cli.progress")
plan_json = _Lazy("mentara_seed.cli.plan_json")
machine = _Lazy("mentara_seed.cli.machine")
saved = _Lazy("mentara_seed.planner.saved")
_settings_module = _Lazy("mentara_seed.cli.settings")
_database = _Lazy("mentara_seed.database")
_compare = _Lazy("mentara_seed.planner.compare")


def redact(url: str) -> str:
    return str(_database.redact(url))


def load(config: Path | None, **flags: Any) -> Settings:
    return _settings_module.load(config, **flags)  # type: ignore[no-any-return]


def compare_plans(old: Plan, new: Plan) -> Any:
    return _compare.compare(old, new)

app = typer.Typer(
    name="seed",
    help="Plan and apply realistic, deterministic data for the Mentara database.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)



_F = TypeVar("_F", bound=Callable[..., Any])


def command(**kwargs: Any) -> Callable[[_F], _F]:
    """``@app.command`` with the arguments named the one way (``cli.help``)."""
    from mentara_seed.cli.help import SeedCommand

    return app.command(cls=SeedCommand, **kwargs)


def _show_version(asked: bool) -> None:
    if asked:
        out.print(f"mentara-seed {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option(
        "--version", "-V", help="Print the tool version and exit.", metavar="",
        callback=_show_version, is_eager=True, show_default=False)] = False,
) -> None:
    """Plan and apply realistic, deterministic data for the Mentara database."""


def _hush(quiet: bool) -> None:
    """--quiet: the human text goes nowhere; errors (stderr) and documents (stdout) still do."""
    out.quiet = quiet


def _settings(
    config: Path | None, database_url: str | None, profile: str | None = None,
    seed: int | None = None, scale: int | None = None, anchor: dt.datetime | None = None,
    verbose: bool | None = None, lock_timeout: float | None = None,
    not_production: bool | None = None, full: bool | None = None,
) -> Settings:
    return load(
        config, database_url=database_url, profile=profile, seed=seed, scale=scale,
        anchor=anchor.date() if anchor else None, verbose=verbose, lock_timeout=lock_timeout,
        allow_any_database=not_production or None, full=full or None,
    )


def _verbose_requested(argv: list[str] | None) -> bool:
    args = sys.argv[1:] if argv is None else argv
    return "--verbose" in args or "-v" in args or os.environ.get(
        "SEED_VERBOSE", "").lower() in ("1", "true", "yes")


@command()
def init(database_url: DatabaseUrl = None, config: ConfigOpt = None,
         not_production: GuardOpt = None, quiet: QuietOpt = False) -> None:
    """Create the Mentara schema and the journal.

    On an empty database: 42 tables, 17 enums. On a schema `seed init` made: add the tables a
    newer seeder has."""
    _hush(quiet)
    settings = _settings(config, database_url, not_production=not_production)
    created = run.init(settings)
    where = redact(settings.database_url)
    if created:
        out.print(f"[green]Created[/] the Mentara schema and the seed journal in {where}.")
    else:
        out.print(f"The Mentara schema is already present in {where}; nothing to do.")


CHANGES_PRESENT = 2


def _render(plan: Plan, output_format: str, where: str, verbose: bool,
            pulled_in: tuple[str, ...] = (), live: Any = None) -> None:
    """``live``: the rows the plan was read from, to name the rows it references."""
    if output_format == "json":
        sys.stdout.write(plan_json.render(plan))
    elif output_format == "markdown":
        sys.stdout.write(markdown.render(plan, where, live=live))
    else:
        views.show(out, plan, where, verbose, pulled_in, live)


@command()
def plan(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None, target: TargetOpt = None,
    exclude: ExcludeOpt = None, prune: PruneOpt = False, update: UpdateOpt = False,
    verbose: VerboseOpt = None, config: ConfigOpt = None,
    output_format: FormatOpt = Format.TEXT, out_file: OutOpt = None, compare: CompareOpt = None,
    detailed_exitcode: DetailedOpt = False, full: FullOpt = None, quiet: QuietOpt = False,
) -> None:
    """Show what `seed apply` would change. Writes nothing."""
    _hush(quiet)
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         full=full)
    options = run.Options(tuple(target or ()), tuple(exclude or ()), prune, update)
    with _progress.phases(err, _steps(options)) as tracker:
        result = run.plan(settings, options, on_step=tracker.step)
    if out_file is not None:
        out_file.write_text(plan_json.render(result.plan), encoding="utf-8")
    if compare is not None:
        old = saved.load(_read(compare), str(compare))
        _render_comparison(compare_plans(old, result.plan), output_format, str(compare))
    else:
        _render(result.plan, output_format, redact(settings.database_url), settings.verbose,
                result.selection.pulled_in, result.live)
    if out_file is not None and output_format == "text":
        out.print(f"Saved the plan to {out_file}; apply it with `seed apply {out_file}`.")
    if detailed_exitcode and not result.plan.is_empty():
        raise typer.Exit(CHANGES_PRESENT)


def _render_comparison(result: Any, output_format: str, old_name: str) -> None:
    if output_format == "json":
        machine.comparison(sys.stdout, result, old_name)
    elif output_format == "markdown":
        sys.stdout.write(markdown.comparison(result, old_name))
    else:
        results.comparison(out, result, old_name)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read {path}: {error.strerror or error}.") from error


@command()
def show(
    plan_file: Annotated[Path, typer.Argument(
        help="A plan saved with `seed plan --out`.", metavar="FILE", show_default=False)],
    output_format: FormatOpt = Format.TEXT, verbose: VerboseOpt = None,
) -> None:
    """Render a saved plan (text, markdown or json)."""
    loaded = saved.load(_read(plan_file), str(plan_file))
    _render(loaded, output_format, str(plan_file), bool(verbose))


@command()
def apply(
    plan_file: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        help="Apply exactly this saved plan (refused if it is stale).", metavar="FILE",
        show_default=False)] = None,
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None, target: TargetOpt = None,
    exclude: ExcludeOpt = None, prune: PruneOpt = False, update: UpdateOpt = False,
    init_schema: InitOpt = False, lock_timeout: LockOpt = None, verbose: VerboseOpt = None,
    config: ConfigOpt = None, not_production: GuardOpt = None, full: FullOpt = None,
    quiet: QuietOpt = False, output_format: TextOrJsonOpt = TextOrJson.TEXT,
) -> None:
    """Plan, apply in one transaction, journal, verify.

    With FILE: apply exactly that saved plan, or refuse it if it is stale."""
    _hush(quiet or output_format == "json")
    loaded = saved.load(_read(plan_file), str(plan_file)) if plan_file is not None else None
    if loaded is not None:  # a saved plan brings its own profile, seed and scale
        asked = loaded.header.request
        profile = profile or asked.get("profile")
        seed = asked.get("project_seed") if seed is None else seed
        scale = asked.get("scale") if scale is None else scale
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         lock_timeout, not_production, full)
    waiting = lambda who: err.print(f"Waiting for the apply lock held by {who} …")  # noqa: E731
    if plan_file is not None and loaded is not None:
        if _audited(settings, "the saved plan"):
            views.show(out, loaded, str(plan_file), settings.verbose)
            return
        outcome = run.apply_saved(settings, loaded, on_wait=waiting)
        views.show(out, outcome.planned.plan, redact(settings.database_url), settings.verbose)
    else:
        options = run.Options(tuple(target or ()), tuple(exclude or ()), prune, update,
                              init=init_schema)
        applied = _plan_and_apply(settings, options, "the apply", waiting)
        if applied is None:
            return
        outcome = applied
    _finish(settings, outcome, as_json=output_format == "json")


def _plan_and_apply(settings: Settings, options: Any, what: str,
                    on_wait: Any = None) -> ApplyOutcome | None:
    """Show the plan and apply it (only show it under SEED_AUDIT: then None)."""
    if _audited(settings, what):
        views.plan_view(out, run.plan(settings, options), settings.database_url,
                        settings.verbose)
        return None
    with _progress.phases(out, _steps(options)) as tracker:

        def show(result: Any) -> None:
            tracker.writing(len(result.plan.changes))
            views.plan_view(out, result, settings.database_url, settings.verbose)

        outcome: ApplyOutcome = run.apply(
            settings, options, on_plan=show, on_wait=on_wait, on_step=tracker.step,
            progress=tracker.wrote,
            on_init=lambda: out.print(
                f"[dim]Created the Mentara schema in {redact(settings.database_url)}.[/]"),
        )
    return outcome


def _steps(options: Any) -> int:
    """Phases of a plan: the snapshot and each enricher the run selects."""
    from mentara_seed.enrichers import REGISTRY
    from mentara_seed.planner.targets import select

    return 1 + len(select(REGISTRY, options.targets, options.excludes).order)


def _audited(settings: Settings, what: str) -> bool:
    """SEED_AUDIT=true: every writing command only shows what it would do."""
    if settings.audit:
        out.print(f"[dim]SEED_AUDIT is set: showing {what} only; nothing will be written.[/]")
    return settings.audit


def _finish(settings: Settings, outcome: ApplyOutcome, as_json: bool = False) -> None:
    failing = any(not v.foreign for v in outcome.violations)
    if as_json:
        machine.applied(sys.stdout, outcome.applied, outcome.seconds,
                        outcome.violations if outcome.verified else None,
                        outcome.verified_before)
    results.applied(out, outcome.applied, outcome.seconds)
    if outcome.verified:
        results.violations(err if out.quiet and failing else out, outcome.violations,
                         len(outcome.planned.selection.order), outcome.verified_before)
        # Rows the seeder does not own are reported, not failed on: apply never changes them.
        if failing:
            raise typer.Exit(1)


@command()
def destroy(
    database_url: DatabaseUrl = None, target: TargetOpt = None, verbose: VerboseOpt = None,
    lock_timeout: LockOpt = None, config: ConfigOpt = None, not_production: GuardOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Delete every row the seeder owns.

    Children first; rows a foreign row references are kept and reported. Foreign rows are
    never touched."""
    _hush(quiet)
    settings = _settings(config, database_url, verbose=verbose, lock_timeout=lock_timeout,
                         not_production=not_production)
    options = run.Options(tuple(target or ()), destroy=True)
    outcome = _plan_and_apply(settings, options, "what destroy would delete")
    if outcome is not None:
        results.applied(out, outcome.applied, outcome.seconds)


@command()
def history(database_url: DatabaseUrl = None, config: ConfigOpt = None,
            output_format: TextOrJsonOpt = TextOrJson.TEXT) -> None:
    """List the applies recorded in the journal."""
    settings = _settings(config, database_url)
    if output_format == "json":
        machine.history(sys.stdout, run.history(settings))
    else:
        results.history(out, run.history(settings))


@command()
def undo(
    serial: Annotated[Optional[int], typer.Argument(  # noqa: UP045
        help="The apply to revert. [default: the latest]", metavar="SERIAL",
        show_default=False)] = None,
    database_url: DatabaseUrl = None, verbose: VerboseOpt = None, config: ConfigOpt = None,
    not_production: GuardOpt = None, quiet: QuietOpt = False,
) -> None:
    """Revert an apply (the latest by default).

    From the journal's before-images, as a new journaled apply."""
    _hush(quiet)
    settings = _settings(config, database_url, verbose=verbose, not_production=not_production)
    if _audited(settings, "nothing (undo writes)"):
        return
    started = time.perf_counter()
    plan_done, applied = run.undo(settings, serial)
    views.show(out, plan_done, redact(settings.database_url), settings.verbose)
    results.applied(out, applied, time.perf_counter() - started)


@command()
def reset(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None,
    force: ForceOpt = False, verbose: VerboseOpt = None, config: ConfigOpt = None,
    not_production: GuardOpt = None, quiet: QuietOpt = False,
) -> None:
    """Drop and recreate the schema, then apply.

    The old `db:reset`: only on seed.db or a database `seed init` created, unless --force."""
    _hush(quiet)
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         not_production=not_production)
    if _audited(settings, "nothing (reset drops tables)"):
        return
    settings = run.reset(settings, force=force)
    out.print(f"Dropped and recreated the Mentara schema in {redact(settings.database_url)}.")
    outcome = _plan_and_apply(settings, run.Options(), "the apply")
    if outcome is not None:
        _finish(settings, outcome)


@command()
def verify(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, target: TargetOpt = None, exclude: ExcludeOpt = None,
    config: ConfigOpt = None,
    show_all: AllOpt = False, output_format: TextOrJsonOpt = TextOrJson.TEXT,
    quiet: QuietOpt = False,
) -> None:
    """Check every minimum and rule on the database.

    Exit 1 if one the seeder keeps does not hold; rules broken by the app's or a person's rows
    are warnings."""
    _hush(quiet)
    settings = _settings(config, database_url, profile, seed, scale)
    options = run.Options(tuple(target or ()), tuple(exclude or ()))
    found = run.verify(settings, options)
    from mentara_seed.enrichers import REGISTRY
    from mentara_seed.planner.targets import select

    checked = len(select(REGISTRY, options.targets, options.excludes).order)
    if output_format == "json":
        machine.verification(sys.stdout, found, checked)
    else:
        failing = any(not v.foreign for v in found)
        results.violations(err if quiet and failing else out, found, checked, show_all=show_all)
    if any(not v.foreign for v in found):
        raise typer.Exit(1)


@command()
def graph(
    output_format: GraphFormatOpt = GraphFormat.TREE,
) -> None:
    """Show the enricher dependency graph.

    A tree in the terminal, or a mermaid chart for documents."""
    from mentara_seed.cli import docs
    from mentara_seed.enrichers import REGISTRY

    if output_format == "mermaid":
        sys.stdout.write(docs.mermaid(REGISTRY) + "\n")
    else:
        results.graph(out, REGISTRY)


@command(name="docs", hidden=True)
def docs_command(
    directory: Annotated[Path, value(
        "--dir", metavar="DIR", help="The docs folder to write. [default: docs]")] = Path("docs"),
    check: Annotated[bool, flag(
        "--check", help="Write nothing; exit 1 if a generated document is stale.")] = False,
) -> None:
    """Regenerate the enricher reference and the configuration table from the code (for
    maintainers, in a checkout of mentara-seed)."""
    from mentara_seed.cli import docs
    from mentara_seed.enrichers import REGISTRY

    if not (directory / "seeding-system.md").is_file():
        raise UsageError(
            f"`seed docs` regenerates the documentation of a mentara-seed checkout, and "
            f"{directory} holds none (no seeding-system.md). Run it in the repository root, or "
            "pass --dir with the checkout's docs folder.")

    if check:
        stale = docs.stale(directory, REGISTRY)
        for path in stale:
            err.print(f"{path} is out of date; run `seed docs`.")
        raise typer.Exit(1 if stale else 0)
    changed = docs.write_all(directory, REGISTRY)
    out.print(f"Wrote {', '.join(map(str, changed))}." if changed else "Docs are up to date.")


@command()
def version() -> None:
    """Print the version (also `seed --version`)."""
    out.print(f"mentara-seed {__version__}")


def _fail(error: BaseException, code: int, argv: list[str] | None) -> int:
    if _verbose_requested(argv):
        traceback.print_exception(error)
    err.print(f"[bold red]Error:[/] {escape(str(error))}")
    return code


def run_cli(argv: list[str] | None = None) -> int:
    """Run the ``seed`` command with ``argv``; returns the exit code (tests call this)."""
    args = sys.argv[1:] if argv is None else argv
    detailed = "--detailed-exitcode" in args
    try:
        out.quiet = False
        app(args=argv, prog_name="seed", standalone_mode=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        # With --detailed-exitcode, 2 means "changes present" only: a usage error is 1.
        if detailed and code == 2 and not _changes_reported(done):
            return 1
        return code
    except SeedError as error:
        code = _fail(error, error.exit_code, argv)
        return 1 if detailed and code == 2 else code
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


def _changes_reported(done: SystemExit) -> bool:
    context = done.__context__
    return isinstance(context, typer.Exit) and context.exit_code == CHANGES_PRESENT


def main() -> None:
    # One short-lived process whose data (rows, indexes, plans) holds no reference cycles that
    # matter: reference counting frees it, and the cyclic collector would only rescan millions
    # of live rows again and again (about a tenth of a large apply). Turned off for the process.
    gc.disable()
    raise SystemExit(run_cli())


if __name__ == "__main__":
    main()
