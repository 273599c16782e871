"""The ``seed`` command: thin typer commands that load settings, call one operation in
``operations`` and hand its result to a view. Only here do errors become exit codes."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import importlib
import os
import signal
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
    AutoApproveOpt,
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
    OutForceOpt,
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
from mentara_seed.errors import JournalFormatError, SeedError, UsageError
from mentara_seed.secrets import scrub

if TYPE_CHECKING:
    from mentara_seed.operations import ApplyOutcome
    from mentara_seed.planner.plan import Plan
    from mentara_seed.settings import Settings


class _Lazy:
    """A module imported on first use, so `seed --help` does not pay for SQLAlchemy, psycopg
    and every enricher."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


operations = _Lazy("mentara_seed.operations")
views = _Lazy("mentara_seed.cli.views")
results = _Lazy("mentara_seed.cli.results")
markdown = _Lazy("mentara_seed.cli.markdown")
_progress = _Lazy("mentara_seed.cli.progress")
plan_json = _Lazy("mentara_seed.planner.plan_json")
machine = _Lazy("mentara_seed.cli.machine")
saved = _Lazy("mentara_seed.planner.saved")
_settings_module = _Lazy("mentara_seed.settings")
_database = _Lazy("mentara_seed.database")
_compare = _Lazy("mentara_seed.planner.compare")
files = _Lazy("mentara_seed.cli.files")
approve = _Lazy("mentara_seed.cli.approve")
sealed = _Lazy("mentara_seed.planner.sealed")


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
    created = operations.init(settings)
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
        sys.stdout.write(sealed.document(plan))
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
    force: OutForceOpt = False,
) -> None:
    """Show what `seed apply` would change. Writes nothing."""
    _hush(quiet)
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         full=full)
    if out_file is not None:
        files.check_target(out_file, _database.sqlite_file(settings.database_url), force=force)
    options = operations.Options(tuple(target or ()), tuple(exclude or ()), prune, update)
    with _progress.phases(err, _steps(options)) as tracker:
        result = operations.plan(settings, options, on_step=tracker.step)
    if out_file is not None:
        files.write_atomically(out_file, sealed.document(result.plan))
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
    return str(files.read_text(path))


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
    auto_approve: AutoApproveOpt = None,
) -> None:
    """Plan, apply in one transaction, journal, verify.

    With FILE: apply exactly that saved plan, or refuse it if it is stale. Asks first when the
    plan changes or deletes rows (not when it only adds them)."""
    _hush(quiet or output_format == "json")
    if plan_file is not None:
        _refuse_with_saved_plan({
            "--profile": profile, "--seed": seed, "--scale": scale, "--anchor": anchor,
            "--target": target, "--exclude": exclude, "--prune": prune or None,
            "--update": update or None, "--init": init_schema or None, "--full": full})
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
        outcome = operations.apply_saved(settings, loaded, on_wait=waiting)
        views.show(out, outcome.planned.plan, redact(settings.database_url), settings.verbose)
    else:
        options = operations.Options(tuple(target or ()), tuple(exclude or ()), prune, update,
                              init=init_schema)
        applied = _plan_and_apply(settings, options, "the apply", waiting,
                                  approved=approve.auto_approved(auto_approve))
        if applied is None:
            return
        outcome = applied
    _finish(settings, outcome, as_json=output_format == "json")


def _refuse_with_saved_plan(given: dict[str, Any]) -> None:
    """A saved plan is applied exactly as it was made: an option that would shape another plan
    is refused, not silently ignored."""
    named = [option for option, value in given.items() if value not in (None, [], ())]
    if named:
        raise UsageError(
            f"{', '.join(named)} cannot be given with a saved plan: `seed apply FILE` applies "
            "the plan exactly as it was made (its own profile, seed, scale, anchor, targets "
            "and options). Plan again with the option: `seed plan "
            f"{' '.join(named)} … --out FILE`."
        )


def _question(plan: Plan, destroying: bool) -> str | None:
    """What to ask before writing ``plan`` (None: it needs no approval)."""
    if destroying:
        if plan.is_empty():
            return None
        return f"Destroy: {approve.summary(plan)} (listed above)?"
    if not approve.needs_approval(plan):
        return None
    return f"Apply: {approve.summary(plan)} (listed above)?"


def _plan_and_apply(settings: Settings, options: Any, what: str,
                    on_wait: Any = None, *, approved: bool = False) -> ApplyOutcome | None:
    """Show the plan, ask for approval when it changes or deletes rows, and apply it (only
    show it under SEED_AUDIT: then None)."""
    if _audited(settings, what):
        views.plan_view(out, operations.plan(settings, options), settings.database_url,
                        settings.verbose)
        return None
    with _progress.phases(out, _steps(options)) as tracker:

        def show(result: Any) -> None:
            tracker.writing(len(result.plan.changes))
            views.plan_view(out, result, settings.database_url, settings.verbose)
            question = _question(result.plan, options.destroy)
            if question is not None:
                approve.ask(out, question, approved=approved)

        outcome: ApplyOutcome = operations.apply(
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
    quiet: QuietOpt = False, auto_approve: AutoApproveOpt = None,
) -> None:
    """Delete every row the seeder owns.

    Children first; rows a foreign row references are kept and reported. Foreign rows are
    never touched. Asks first."""
    _hush(quiet)
    settings = _settings(config, database_url, verbose=verbose, lock_timeout=lock_timeout,
                         not_production=not_production)
    options = operations.Options(tuple(target or ()), destroy=True)
    outcome = _plan_and_apply(settings, options, "what destroy would delete",
                              approved=approve.auto_approved(auto_approve))
    if outcome is not None:
        results.applied(out, outcome.applied, outcome.seconds)


@command()
def history(database_url: DatabaseUrl = None, config: ConfigOpt = None,
            output_format: TextOrJsonOpt = TextOrJson.TEXT) -> None:
    """List the applies recorded in the journal."""
    settings = _settings(config, database_url)
    if output_format == "json":
        machine.history(sys.stdout, operations.history(settings))
    else:
        results.history(out, operations.history(settings))


@command()
def undo(
    serial: Annotated[Optional[int], typer.Argument(  # noqa: UP045
        help="The apply to revert. [default: the latest]", metavar="SERIAL",
        show_default=False)] = None,
    database_url: DatabaseUrl = None, verbose: VerboseOpt = None, config: ConfigOpt = None,
    not_production: GuardOpt = None, quiet: QuietOpt = False,
    auto_approve: AutoApproveOpt = None,
) -> None:
    """Revert an apply (the latest by default).

    From the journal's before-images, as a new journaled apply. Asks first."""
    _hush(quiet)
    settings = _settings(config, database_url, verbose=verbose, not_production=not_production)
    if _audited(settings, "nothing (undo writes)"):
        return
    started = time.perf_counter()
    where = redact(settings.database_url)
    approved = approve.auto_approved(auto_approve)

    def confirm(plan_made: Plan) -> None:
        views.show(out, plan_made, where, settings.verbose)
        approve.ask(out, f"Revert {'apply ' + str(serial) if serial else 'the latest apply'} "
                    f"in {where}: {approve.summary(plan_made)}?", approved=approved)

    plan_done, applied = operations.undo(settings, serial, approve=confirm)
    if not plan_done.changes:  # nothing asked, nothing shown yet
        views.show(out, plan_done, where, settings.verbose)
    results.applied(out, applied, time.perf_counter() - started)


@command()
def reset(
    database_url: DatabaseUrl = None, profile: ProfileOpt = None, seed: SeedOpt = None,
    scale: ScaleOpt = None, anchor: AnchorOpt = None,
    force: ForceOpt = False, verbose: VerboseOpt = None, config: ConfigOpt = None,
    not_production: GuardOpt = None, quiet: QuietOpt = False,
    auto_approve: AutoApproveOpt = None,
) -> None:
    """Drop and recreate the schema, then apply.

    The old `db:reset`: only on seed.db or a database `seed init` created, unless --force.
    Asks first."""
    _hush(quiet)
    settings = _settings(config, database_url, profile, seed, scale, anchor, verbose,
                         not_production=not_production)
    if _audited(settings, "nothing (reset drops tables)"):
        return
    where = redact(settings.database_url)
    settings = operations.reset(settings, force=force, approve=lambda rows: approve.ask(
        out, f"Drop every Mentara table in {where} ({rows:,} row(s) in them now, the app's "
        "included) and seed it again?", approved=approve.auto_approved(auto_approve)))
    out.print(f"Dropped and recreated the Mentara schema in {redact(settings.database_url)}.")
    outcome = _plan_and_apply(settings, operations.Options(), "the apply")
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
    options = operations.Options(tuple(target or ()), tuple(exclude or ()))
    found = operations.verify(settings, options)
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


def _traceback(error: BaseException, argv: list[str] | None) -> None:
    if _verbose_requested(argv):
        sys.stderr.write(scrub("".join(traceback.format_exception(error))))


def _fail(error: BaseException, code: int, argv: list[str] | None) -> int:
    _traceback(error, argv)
    err.print(f"[bold red]Error:[/] {escape(scrub(str(error)))}")
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
        if _interrupted(done):
            err.print(INTERRUPTED)
            return 130
        # With --detailed-exitcode, 2 means "changes present" only: a usage error is 1.
        if detailed and code == 2 and not _changes_reported(done):
            return 1
        return code
    except SeedError as error:
        code = _fail(error, error.exit_code, argv)
        return 1 if detailed and code == 2 else code
    except KeyboardInterrupt:
        err.print(INTERRUPTED)
        return 130
    except Exception as error:  # noqa: BLE001 - last line of defence: message, not traceback
        if _raised_reading_the_journal(error):
            return _fail(_journal_damaged(error), 1, argv)
        _traceback(error, argv)
        err.print(f"[bold red]Unexpected error:[/] {type(error).__name__}: "
                  f"{escape(scrub(str(error)))}. Run again with --verbose for the traceback.")
        return 1
    return 0


INTERRUPTED = "Interrupted; nothing was written."
_JOURNAL_CODE = os.path.join("mentara_seed", "state", "")


def _raised_reading_the_journal(error: BaseException) -> bool:
    """A value error raised by the journal's own code: its rows are not what it wrote."""
    if not isinstance(error, ValueError | TypeError | KeyError | IndexError | AssertionError
                      | AttributeError):
        return False
    ours = [f for f in traceback.extract_tb(error.__traceback__)
            if os.path.join("mentara_seed", "") in f.filename]
    return bool(ours) and _JOURNAL_CODE in ours[-1].filename


def _journal_damaged(error: BaseException) -> SeedError:
    damaged = JournalFormatError(
        f"The seed journal in this database cannot be read ({type(error).__name__}: "
        f"{str(error)[:200]}): its rows (seed_apply, seed_row_event) were edited by hand or "
        "damaged, and the journal is append-only. Restore its tables from a backup, or start "
        "again with `seed reset` (drops and recreates the Mentara tables). Nothing was written.")
    damaged.__cause__ = error
    return damaged


def _interrupted(done: SystemExit) -> bool:
    """Whether typer turned a Ctrl-C into this exit (it exits 130 silently)."""
    seen: BaseException | None = done
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _changes_reported(done: SystemExit) -> bool:
    context = done.__context__
    return isinstance(context, typer.Exit) and context.exit_code == CHANGES_PRESENT


def main() -> None:
    # One short-lived process whose data (rows, indexes, plans) holds no reference cycles that
    # matter: reference counting frees it, and the cyclic collector would only rescan millions
    # of live rows again and again (about a tenth of a large apply). Turned off for the process.
    gc.disable()
    code = run_cli()
    # Done: a Ctrl-C while the interpreter shuts down must not turn the exit code into a kill.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_process(code)


def _end_process(code: int) -> None:
    """End the process with ``code``, skipping the interpreter's teardown: with every
    transaction over and the output written, freeing every object one by one and the cyclic
    collector's last passes over them only cost time (~0.2 s of a short command). The exit
    handlers still run (``atexit``), the output is flushed first, and the open connections
    are closed by the operating system as the process ends (an idle connection's end is no
    error for the server). The interpreter exits the usual way when a profiler or tracer is
    on (it writes its results at exit), when another non-daemon thread still runs, or when
    the output cannot be flushed (a closed pipe: Python reports it as it always does)."""
    if sys.getprofile() is not None or sys.gettrace() is not None or sys.flags.inspect:
        raise SystemExit(code)
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.current_thread()):
        raise SystemExit(code)
    _flush_or_exit(code)
    atexit._run_exitfuncs()
    _flush_or_exit(code)  # what the exit handlers printed
    os._exit(code)


def _flush_or_exit(code: int) -> None:
    """The output written out; the usual exit when it cannot be (a closed pipe)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None


if __name__ == "__main__":
    main()
