"""Rendering plans, applies and verification for people (rich text). A view of a result, never
a participant in planning or applying."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from mentara_seed.database import redact
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.planner.build import PlanResult
from mentara_seed.planner.plan import Action, Change, Plan, Reason
from mentara_seed.planner.targets import run_order
from mentara_seed.schema.values import jsonable
from mentara_seed.state.journal import ApplyRecord

if TYPE_CHECKING:  # annotations only: `seed plan` needs neither the applier nor deepdiff
    from mentara_seed.applier.execute import Applied
    from mentara_seed.planner.compare import PlanComparison

LABEL_COLUMNS = ("email", "slug", "name", "title", "dayOfWeek", "content", "message", "emoji")
DEFAULT_ROWS_SHOWN = 20
COLORS = {Action.CREATE: "green", Action.UPDATE: "yellow", Action.DELETE: "red"}


def _short(value: Any, width: int = 48) -> str:
    text = str(jsonable(value))
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def label(change: Change) -> str:
    row = change.values if change.action is Action.CREATE else change.before
    for column in LABEL_COLUMNS:
        if row.get(column) not in (None, ""):
            return f'{column} "{_short(row[column])}"'
    return ""


def header(console: Console, plan: Plan, where: str, pulled_in: tuple[str, ...] = ()) -> None:
    h = plan.header
    console.print(
        f"[bold]mentara-seed[/] · {escape(where)} · profile {h.profile} · "
        f"seed {h.project_seed} · anchor {h.anchor[:10]}"
    )
    if plan.live_rows or plan.live_tables:
        console.print(f"live: {plan.live_rows:,} rows in {plan.live_tables} tables · "
                      f"journal serial {h.journal_serial}")
    else:
        console.print(f"journal serial {h.journal_serial}")
    if h.targets:
        extra = f" (with dependencies: {', '.join(pulled_in)})" if pulled_in else ""
        console.print(f"targets: {', '.join(h.targets)}{extra}")
    console.print()


def table_counts(console: Console, plan: Plan) -> None:
    counts = plan.table_counts()
    if not counts:
        return
    for table in [t for t in plan.header.table_order if t in counts]:
        per = counts[table]
        cells = [f"[{COLORS[a]}]{a.symbol}{per[a]:,}[/]" for a in COLORS if per.get(a)]
        console.print(f"    {table:<34} {' '.join(cells)}")
    console.print()


def enrichers(console: Console, plan: Plan) -> None:
    summaries = plan.summaries()
    total = len(summaries)
    width = max((len(s.name) for s in summaries), default=10) + 4
    for i, s in enumerate(summaries, 1):
        dots = " " + "." * (width - len(s.name)) + " "
        if s.satisfied:
            console.print(f"  [{i:>2}/{total}] {s.name}{dots}[dim]satisfied[/]")
            continue
        parts = [f"{t} +{n}" for t, n in sorted(s.creates.items())]
        parts += [f"{t} ~{n}" for t, n in sorted(s.updates.items())]
        added = sum(s.creates.values())
        changed = sum(s.updates.values())
        lead = f"[green]+{added}[/]" if added else ""
        if changed:
            lead += (" " if lead else "") + f"[yellow]~{changed}[/]"
        console.print(f"  [{i:>2}/{total}] {s.name}{dots}{lead}   [dim]{', '.join(parts)}[/]")
    console.print()


def _change_line(console: Console, change: Change, note: str = "") -> None:
    color = COLORS.get(change.action, "white")
    reason = f"[dim]{change.reason.value}[/]"
    console.print(
        f"  [{color}]{change.action.symbol}[/] {change.table} {change.pk[:8]}…  "
        f"{escape(label(change))}  {reason}{'  ' + escape(note) if note else ''}"
    )
    if change.action is Action.UPDATE:
        for column in change.values:
            console.print(
                f"      {column}: {escape(_short(change.before.get(column)))} -> "
                f"{escape(_short(change.values[column]))}"
            )


def changes(console: Console, plan: Plan, verbose: bool) -> None:
    shown = plan.changes if verbose else plan.changes[:DEFAULT_ROWS_SHOWN]
    non_create = [c for c in plan.changes if c.action is not Action.CREATE]
    if not verbose:
        shown = tuple(non_create[:DEFAULT_ROWS_SHOWN]) + tuple(
            c for c in plan.changes[:DEFAULT_ROWS_SHOWN] if c.action is Action.CREATE
        )[: max(0, DEFAULT_ROWS_SHOWN - len(non_create))]
    for change in shown:
        _change_line(console, change)
    hidden = len(plan.changes) - len(shown)
    if hidden > 0:
        console.print(f"  [dim]… and {hidden:,} more (--verbose lists every change)[/]")
    for held in plan.held[: None if verbose else DEFAULT_ROWS_SHOWN]:
        _change_line(console, held.change, held.why)
    if not verbose and len(plan.held) > DEFAULT_ROWS_SHOWN:
        console.print(f"  [dim]… and {len(plan.held) - DEFAULT_ROWS_SHOWN:,} more held[/]")
    if plan.changes or plan.held:
        console.print()


REUSED = ("Nothing the enrichers read has changed since journal serial {serial} (same "
          "configuration, code and foreign rows; every owned row as applied), so they were not "
          "run again; --full runs them.")
PARTIAL = ("Only owned rows were deleted since journal serial {serial}, so only {names} ran, "
           "to desire them again; --full runs every enricher.")
RESTORED = ("Only owned rows were deleted since journal serial {serial}: they are created "
            "again with the values the journal recorded for them, without running the "
            "enrichers; --full runs them.")


def summary(console: Console, plan: Plan) -> None:
    counts = plan.counts()
    if plan.is_empty():
        console.print("[bold green]No changes.[/] The database satisfies every minimum.")
        if plan.header.reused:
            console.print(f"  {REUSED.format(serial=plan.header.journal_serial)}")
    else:
        console.print(
            f"[bold]Plan:[/] {counts[Action.CREATE]:,} to add, {counts[Action.UPDATE]:,} to "
            f"change, {counts[Action.DELETE]:,} to delete."
        )
    if plan.header.partial:
        console.print("  " + PARTIAL.format(serial=plan.header.journal_serial,
                                           names=", ".join(plan.header.partial)))
    if plan.header.restored:
        console.print("  " + RESTORED.format(serial=plan.header.journal_serial))
    drifted = sum(1 for h in plan.held if h.change.reason is Reason.DRIFTED)
    taken = sum(1 for h in plan.held if h.change.reason is Reason.FOREIGN)
    referenced = sum(1 for h in plan.held
                     if h.change.action is Action.DELETE and h.why.startswith("kept:"))
    orphans = sum(1 for h in plan.held if h.change.action is Action.DELETE) - referenced
    if drifted:
        console.print(f"  {drifted} drifted row(s) kept (use --update to restore).")
    if taken:
        console.print(f"  {taken} desired row(s) kept: a foreign row holds the key (an owned "
                      "row's, deleted) and is never written.")
    if orphans:
        console.print(f"  {orphans} orphaned row(s) kept (use --prune to delete).")
    if referenced:
        console.print(f"  {referenced} owned row(s) kept because rows that stay reference them.")


def plan_view(console: Console, result: PlanResult, url: str, verbose: bool) -> None:
    show(console, result.plan, redact(url), verbose, result.selection.pulled_in)


def show(console: Console, plan: Plan, where: str, verbose: bool,
         pulled_in: tuple[str, ...] = ()) -> None:
    """The whole plan as text: header, enrichers, per-table counts, rows, summary."""
    header(console, plan, where, pulled_in)
    enrichers(console, plan)
    table_counts(console, plan)
    changes(console, plan, verbose)
    summary(console, plan)


def applied(console: Console, done: Applied | None, seconds: float) -> None:
    if done is None:
        console.print(f"Nothing to apply. ({seconds:.2f} s)")
        return
    parts = [f"{sum(done.counts.get(a, {}).values()):,} {verb}"
             for a, verb in (("create", "created"), ("update", "updated"),
                             ("delete", "deleted")) if done.counts.get(a)]
    console.print(
        f"[bold green]Apply complete:[/] {done.rows:,} rows written ({', '.join(parts)}) in "
        f"{seconds:.2f} s (journal serial {done.serial})."
    )


def violations(console: Console, found: list[Violation], enrichers_checked: int,
               verified_before: int | None = None) -> None:
    ours = [v for v in found if not v.foreign]
    theirs = [v for v in found if v.foreign]
    if verified_before is not None:
        console.print(f"[green]Verified:[/] every minimum holds ({enrichers_checked} enrichers): "
                      "the database is again as it was when verified after journal serial "
                      f"{verified_before}, so it was not checked again; `seed verify` checks it.")
    elif not ours:
        console.print(f"[green]Verified:[/] every minimum holds ({enrichers_checked} enrichers).")
    else:
        console.print(f"[bold red]Verification failed:[/] {len(ours)} violation(s).")
    for v in ours[:200]:
        console.print(f"  [red]✗[/] {escape(str(v))}")
    if len(ours) > 200:
        console.print(f"  … and {len(ours) - 200} more")
    if theirs:
        console.print(f"[yellow]{len(theirs)} rule(s) broken by rows the seeder does not own[/] "
                      "(the app's or a person's data; seed never changes them):")
        for v in theirs[:20]:
            console.print(f"  [yellow]![/] {escape(str(v))}")
        if len(theirs) > 20:
            console.print(f"  … and {len(theirs) - 20} more")


def comparison(console: Console, result: PlanComparison, old_name: str) -> None:
    if result.is_empty():
        console.print(f"The desired data is the same as in {old_name}.")
        return
    console.print(f"Desired data compared with {old_name}: {len(result.added):,} row(s) added, "
                  f"{len(result.removed):,} removed, {len(result.changed):,} changed.")
    for key in result.added[:DEFAULT_ROWS_SHOWN]:
        console.print(f"  [green]+[/] {key}")
    for key in result.removed[:DEFAULT_ROWS_SHOWN]:
        console.print(f"  [red]-[/] {key}")
    for key, columns in list(result.changed.items())[:DEFAULT_ROWS_SHOWN]:
        console.print(f"  [yellow]~[/] {key}")
        for column, (old, new) in columns.items():
            console.print(f"      {column}: {escape(_short(old))} -> {escape(_short(new))}")
    hidden = max(0, len(result.added) - DEFAULT_ROWS_SHOWN) + max(
        0, len(result.removed) - DEFAULT_ROWS_SHOWN) + max(
        0, len(result.changed) - DEFAULT_ROWS_SHOWN)
    if hidden:
        console.print(f"  [dim]… and {hidden:,} more[/]")


def history(console: Console, records: list[ApplyRecord]) -> None:
    if not records:
        console.print("The journal is empty: nothing has been applied here.")
        return
    for r in records:
        written = ", ".join(f"{action} {sum(per.values()):,}" for action, per in
                            sorted(r.counts.items())) or "schema created"
        targets = f" · targets {', '.join(r.targets)}" if r.targets else ""
        profile = f" · profile {r.profile}" if r.profile else ""
        console.print(f"  #{r.serial:<4} {r.applied_at}  {r.kind:<7} {escape(r.actor)}"
                      f"{profile}{targets} · {written}")


def graph(console: Console, registry: Registry) -> None:
    """Each enricher under the enrichers it depends on (roots: tier 0)."""
    from rich.tree import Tree

    root = Tree("[bold]enrichers[/] (run order: `seed plan`)")
    order = run_order(registry)

    def add(node: Tree, name: str, path: tuple[str, ...]) -> None:
        e = registry[name]
        branch = node.add(f"{name} [dim]tier {e.tier} · {', '.join(e.writes)}[/]")
        for child in [n for n in order if name in registry[n].depends_on]:
            if child not in path:
                add(branch, child, path + (child,))

    for name in [n for n in order if not registry[n].depends_on]:
        add(root, name, (name,))
    console.print(root)
