"""Rendering plans, applies and verification for people (rich text). A view of a result, never
a participant in planning or applying."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.markup import escape

from mentara_seed.database import redact
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.planner.build import PlanResult
from mentara_seed.planner.plan import Action, Change, Plan, PlanHeader, Reason
from mentara_seed.planner.remembered import shown_minimums
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


KEPT = ("Minimums lower than those in force stay in force until --prune: the rows beyond "
        "them count and stay, so nothing is removed. `--prune` removes the seeder's surplus "
        "and applies the lower minimums.")


def settings_line(h: PlanHeader) -> str:
    """The header's settings: a value the run was not given says which apply it came from."""
    note = h.settings
    remembered = set(note.get("remembered", ())) if note else set()
    changed = {c[0] for c in note.get("changed", ())} if note else set()

    def value(name: str, text: str) -> str:
        return text + (f" (from apply #{note['from']})" if name in remembered else "")

    parts = [value("profile", f"profile {h.profile}"), value("seed", f"seed {h.project_seed}")]
    scale = h.request.get("scale", 1)
    if scale != 1 or "scale" in changed:
        parts.append(value("scale", f"scale {scale}"))
    if h.request.get("minimums") or "minimums" in changed:
        parts.append(value("minimums", f"minimums {shown_minimums(h.request['minimums'])}"))
    return " · ".join(parts + [f"anchor {h.anchor[:10]}"])


def settings_changes(h: PlanHeader) -> list[str]:
    """One line per setting given that differs from the last apply's; then what a lowered
    minimum does."""
    note = h.settings
    lines = [f"{name}: {was} -> {now} (changed since apply #{note['from']})"
             for name, was, now in note.get("changed", ())] if note else []
    if h.request.get("kept"):
        lines.append(KEPT)
    return lines


def header(console: Console, plan: Plan, where: str, pulled_in: tuple[str, ...] = ()) -> None:
    h = plan.header
    console.print(f"[bold]mentara-seed[/] · {escape(where)} · {escape(settings_line(h))}")
    for line in settings_changes(h):
        console.print(f"[yellow]{escape(line)}[/]")
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


def warnings_title(plan: Plan) -> str:
    """The count line of a plan's warnings ("2 warnings: minimums that cannot be met")."""
    n = len(plan.warnings)
    return f"{n:,} warning{'' if n == 1 else 's'}: minimums that cannot be met"


def warnings(console: Console, plan: Plan, verbose: bool) -> None:
    """One ``!`` line per minimum an enricher cannot meet, then their count. Never an error:
    the plan and the exit code are the same with or without them."""
    if not plan.warnings:
        return
    for w in plan.warnings[: None if verbose else DEFAULT_ROWS_SHOWN]:
        console.print(f"  [yellow]![/] {escape(str(w))}")
    if not verbose and len(plan.warnings) > DEFAULT_ROWS_SHOWN:
        console.print(f"  [dim]… and {len(plan.warnings) - DEFAULT_ROWS_SHOWN:,} more "
                      "(--verbose lists every warning)[/]")
    console.print(f"[yellow]{warnings_title(plan)}.[/]")
    console.print()


def plan_view(console: Console, result: PlanResult, url: str, verbose: bool) -> None:
    show(console, result.plan, redact(url), verbose, result.selection.pulled_in)


def show(console: Console, plan: Plan, where: str, verbose: bool,
         pulled_in: tuple[str, ...] = ()) -> None:
    """The whole plan as text: header, enrichers, per-table counts, rows, summary."""
    header(console, plan, where, pulled_in)
    enrichers(console, plan)
    table_counts(console, plan)
    changes(console, plan, verbose)
    warnings(console, plan, verbose)
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


SHOWN_VIOLATIONS = 20


def violations(console: Console, found: list[Violation], enrichers_checked: int,
               verified_before: int | None = None, *, show_all: bool = False) -> None:
    """The seeder's violations (✗) and the rules broken by rows it does not write (!, the
    app's or a person's: warnings), the first ``SHOWN_VIOLATIONS`` of each unless
    ``show_all``."""
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
    _listed(console, ours, "[red]✗[/]", show_all)
    if theirs:
        console.print(f"[yellow]{len(theirs)} warning(s):[/] rules broken by rows the seeder did "
                      "not write as they are (the app's or a person's data, or owned rows "
                      "edited since; seed never changes them):")
        _listed(console, theirs, "[yellow]![/]", show_all)


def _listed(console: Console, found: list[Violation], mark: str, show_all: bool) -> None:
    shown = found if show_all else found[:SHOWN_VIOLATIONS]
    for v in shown:
        console.print(f"  {mark} {escape(str(v))}")
    if len(found) > len(shown):
        console.print(f"  … and {len(found) - len(shown)} more (`seed verify --all` lists "
                      "them, `--format json` too)")


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
                            sorted(r.counts.items())) or (
            "schema created" if r.kind == "init" else "nothing written")
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
