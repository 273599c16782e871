"""Rendering a plan for people (rich text): header, enrichers, rows, summary. A view of a plan,
never a participant in planning or applying; the other results are rendered by
``cli.results``."""

from __future__ import annotations

import datetime as dt
from itertools import islice

from rich.console import Console
from rich.markup import escape

from mentara_seed.cli.labels import Labeller, Rows, short, short_id
from mentara_seed.cli.lines import emit
from mentara_seed.database import redact
from mentara_seed.planner.build import PlanResult
from mentara_seed.planner.plan import Action, Change, Plan, PlanHeader, Reason
from mentara_seed.planner.remembered import shown_minimums

DEFAULT_ROWS_SHOWN = 20
# A plan of at most this many changes is listed row by row without --verbose.
SMALL_PLAN = 20
COLORS = {Action.CREATE: "green", Action.UPDATE: "yellow", Action.DELETE: "red"}


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


STALE_ANCHOR_DAYS = 7


def anchor_age(anchor: str, now: dt.datetime) -> str | None:
    """A note when the anchor kept from the journal is more than a week before ``now``: the
    seeded "upcoming" sessions and "recent" activity are then in the past. Display only."""
    days = (now - dt.datetime.fromisoformat(anchor[:10])).days
    if days <= STALE_ANCHOR_DAYS:
        return None
    return (f"The anchor {anchor[:10]} is {days} days old: what the data calls upcoming or "
            "in progress is past. `seed apply --anchor today` moves it to this week (every "
            "seeded row is re-dated).")


def header(console: Console, plan: Plan, where: str, pulled_in: tuple[str, ...] = ()) -> None:
    h = plan.header
    emit(console, "", f"[bold]mentara-seed[/] · {escape(where)} · {escape(settings_line(h))}")
    for line in settings_changes(h):
        emit(console, "", f"[yellow]{escape(line)}[/]")
    if plan.live_rows or plan.live_tables:
        console.print(f"live: {plan.live_rows:,} rows in {plan.live_tables:,} tables · "
                      f"journal serial {h.journal_serial}")
    else:
        console.print(f"journal serial {h.journal_serial}")
    if plan.unseeded:
        emit(console, "not seeded: ", escape(", ".join(plan.unseeded)))
    if not plan.anchor_given:
        old = anchor_age(h.anchor, dt.datetime.now(dt.UTC).replace(tzinfo=None))
        if old:
            emit(console, "", f"[yellow]{escape(old)}[/]")
    if h.targets:
        extra = f" (with dependencies: {', '.join(pulled_in)})" if pulled_in else ""
        emit(console, "targets: ", f"{', '.join(h.targets)}{extra}")


def table_counts(console: Console, plan: Plan) -> None:
    """Rows per table and action, tables by name (--verbose)."""
    counts = plan.table_counts()
    if not counts:
        return
    width = max(len(t) for t in counts) + 2
    for table in sorted(counts):
        per = counts[table]
        cells = [f"[{COLORS[a]}]{a.symbol}{per[a]:,}[/]" for a in COLORS if per.get(a)]
        console.print(f"    {table:<{width}} {' '.join(cells)}")
    console.print()


def _tally(per: dict[str, int], symbol: str) -> list[str]:
    return [f"{t} {symbol}{n:,}" for t, n in sorted(per.items())]


def enrichers(console: Console, plan: Plan, verbose: bool) -> None:
    """One line per enricher in run order: what it adds and changes, per table when it writes
    more than one. Without --verbose the satisfied ones are counted, not listed."""
    summaries = plan.summaries()
    total = len(summaries)
    width = max((len(s.name) for s in summaries), default=10) + 4
    quiet = 0
    for i, s in enumerate(summaries, 1):
        head = f"  [{i:>2}/{total}] {s.name} {'.' * (width - len(s.name))} "
        if s.satisfied:
            quiet += 1
            if verbose:
                console.print(f"{head}[dim]satisfied[/]")
            continue
        added, changed = sum(s.creates.values()), sum(s.updates.values())
        parts = [(f"+{added:,}", "green")] if added else []
        parts += [(f"~{changed:,}", "yellow")] if changed else []
        pad = " " * max(1, 9 - len(" ".join(p for p, _ in parts)))
        lead = " ".join(f"[{color}]{p}[/]" for p, color in parts) + pad
        tables = _tally(s.creates, "+") + _tally(s.updates, "~")
        if len(tables) == 1:  # one table: its name says it all
            tables = [*s.creates, *s.updates][:1]
        emit(console, head + lead, f"[dim]{', '.join(tables)}[/]")
    if quiet and not verbose:
        more = " more" if quiet < total else ""
        console.print(f"  [dim]{quiet}{more} enricher{'s' if quiet > 1 else ''} satisfied[/]")
    console.print()


def reason(change: Change, plan: Plan) -> str:
    """The reason, where it tells more than the symbol: never for a create (it is missing),
    nor for the deletes of a destroy or an undo (every one is); else ""."""
    if change.action is Action.CREATE and change.reason is Reason.MISSING:
        return ""
    if change.action is Action.DELETE and (plan.header.request.get("destroy") or any(
            t.startswith("undo") for t in plan.header.targets)):
        return ""
    return change.reason.value


def _change_line(console: Console, change: Change, names: Labeller, plan: Plan,
                 note: str = "") -> None:
    color = COLORS.get(change.action, "white")
    head = f"  [{color}]{change.action.symbol}[/] {change.table} {short_id(change.pk)}  "
    said = reason(change, plan)
    parts = [escape(names(change)), f"[dim]{said}[/]" if said else "", escape(note)]
    emit(console, head, "  ".join(p for p in parts if p))
    if change.action is Action.UPDATE:
        for column in change.values:
            emit(console, f"      {column}: ",
                 f"{escape(short(change.before.get(column)))} -> "
                 f"{escape(short(change.values[column]))}")


def changes(console: Console, plan: Plan, verbose: bool, live: Rows | None = None) -> None:
    """Every change with --verbose or in a small plan; else the updates and deletes (the first
    ``DEFAULT_ROWS_SHOWN``) and a count of the rest; then the held rows."""
    names = Labeller(plan, live)
    creates = plan.counts()[Action.CREATE]
    if verbose or len(plan.changes) <= SMALL_PLAN:
        shown = list(plan.changes)
    elif creates == len(plan.changes):
        shown = []  # only creates: not a row of a million to look at for the others
    else:
        shown = list(islice((c for c in plan.changes if c.action is not Action.CREATE),
                            DEFAULT_ROWS_SHOWN))
    for change in shown:
        _change_line(console, change, names, plan)
    hidden = len(plan.changes) - len(shown)
    if hidden and hidden == creates:
        console.print(f"  [dim]{hidden:,} rows will be created (--verbose lists them)[/]")
    elif hidden:
        console.print(f"  [dim]… and {hidden:,} more changes (--verbose lists every one)[/]")
    for held in plan.held[: None if verbose else DEFAULT_ROWS_SHOWN]:
        _change_line(console, held.change, names, plan, held.why)
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


REUSED_SHORT = ("Nothing the enrichers read changed since journal serial {serial}, so they "
                "were not run again (--full runs them).")


def summary(console: Console, plan: Plan, verbose: bool = False) -> None:
    counts = plan.counts()
    serial = plan.header.journal_serial
    if plan.is_empty() and plan.header.reused and not verbose:
        emit(console, "[bold green]No changes.[/] ", REUSED_SHORT.format(serial=serial))
    elif plan.is_empty() and plan.header.request.get("destroy"):
        console.print("[bold green]No changes.[/] Nothing the selection owns can be deleted.")
    elif plan.is_empty():
        console.print("[bold green]No changes.[/] The database satisfies every minimum.")
        if plan.header.reused:
            emit(console, "  ", REUSED.format(serial=serial))
    else:
        console.print(
            f"[bold]Plan:[/] {counts[Action.CREATE]:,} to add, {counts[Action.UPDATE]:,} to "
            f"change, {counts[Action.DELETE]:,} to delete."
        )
    if plan.header.partial:
        emit(console, "  ", PARTIAL.format(serial=serial, names=", ".join(plan.header.partial)))
    if plan.header.restored:
        emit(console, "  ", RESTORED.format(serial=serial))
    for line in held_lines(plan):
        emit(console, "  ", line)


def held_lines(plan: Plan) -> list[str]:
    """One sentence per kind of change held back, its count written like every count."""
    drifted = sum(1 for h in plan.held if h.change.reason is Reason.DRIFTED)
    taken = sum(1 for h in plan.held if h.change.reason is Reason.FOREIGN)
    referenced = sum(1 for h in plan.held
                     if h.change.action is Action.DELETE and h.why.startswith("kept:"))
    orphans = sum(1 for h in plan.held if h.change.action is Action.DELETE) - referenced
    lines = []
    if drifted:
        lines.append(f"{drifted:,} drifted row(s) kept (use --update to restore).")
    if taken:
        lines.append(f"{taken:,} desired row(s) kept: a foreign row holds the key (an owned "
                     "row's, deleted) and is never written.")
    if orphans:
        lines.append(f"{orphans:,} orphaned row(s) kept (use --prune to delete).")
    if referenced:
        lines.append(f"{referenced:,} owned row(s) kept because rows that stay reference them.")
    return lines


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
        emit(console, "  [yellow]![/] ", escape(str(w)))
    if not verbose and len(plan.warnings) > DEFAULT_ROWS_SHOWN:
        console.print(f"  [dim]… and {len(plan.warnings) - DEFAULT_ROWS_SHOWN:,} more "
                      "(--verbose lists every warning)[/]")
    console.print(f"[yellow]{warnings_title(plan)}.[/]")
    console.print()


def plan_view(console: Console, result: PlanResult, url: str, verbose: bool) -> None:
    show(console, result.plan, redact(url), verbose, result.selection.pulled_in, result.live)


def show(console: Console, plan: Plan, where: str, verbose: bool,
         pulled_in: tuple[str, ...] = (), live: Rows | None = None) -> None:
    """The whole plan as text: header, enrichers, rows, summary (with --verbose, also the
    satisfied enrichers and the rows per table). An empty plan is its header and one line."""
    header(console, plan, where, pulled_in)
    console.print()
    if not plan.is_empty() or plan.held or plan.warnings or verbose:
        enrichers(console, plan, verbose)
        if verbose:
            table_counts(console, plan)
        changes(console, plan, verbose, live)
        warnings(console, plan, verbose)
    summary(console, plan, verbose)
