"""Rendering the results other than a plan for people (rich text): an apply's outcome, a
verification, a comparison of plans, the journal's history, the enricher graph. A view of a
result, never a participant in producing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from mentara_seed.cli.labels import short
from mentara_seed.cli.lines import emit
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.planner.targets import run_order
from mentara_seed.state.journal import ApplyRecord

if TYPE_CHECKING:  # annotations only: `seed plan` needs neither the applier nor deepdiff
    from mentara_seed.applier.execute import Applied
    from mentara_seed.planner.compare import PlanComparison

DEFAULT_ROWS_SHOWN = 20


def applied(console: Console, done: Applied | None, seconds: float) -> None:
    if done is None:
        console.print(f"Nothing to apply. ({seconds:.2f} s)")
        return
    parts = [f"{sum(done.counts.get(a, {}).values()):,} {verb}"
             for a, verb in (("create", "created"), ("update", "updated"),
                             ("delete", "deleted")) if done.counts.get(a)]
    console.print(
        f"[bold green]Apply complete:[/] {done.rows:,} row{'' if done.rows == 1 else 's'} "
        f"written ({', '.join(parts)}) in "
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
        emit(console, "[green]Verified:[/] ",
             f"every minimum holds ({enrichers_checked} enrichers): as when verified after "
             f"journal serial {verified_before}, so it was not checked again (`seed verify` "
             "checks).")
    elif not ours:
        console.print(f"[green]Verified:[/] every minimum holds ({enrichers_checked} enrichers).")
    else:
        console.print(f"[bold red]Verification failed:[/] {len(ours):,} violation(s).")
    _listed(console, ours, "[red]✗[/]", show_all)
    if theirs:
        emit(console, f"[yellow]{len(theirs):,} warning(s):[/] ",
             "rules broken by rows the seeder did not write as they are (the app's or a "
             "person's data, or owned rows edited since; seed never changes them):")
        _listed(console, theirs, "[yellow]![/]", show_all)


def _listed(console: Console, found: list[Violation], mark: str, show_all: bool) -> None:
    shown = found if show_all else found[:SHOWN_VIOLATIONS]
    for v in shown:
        emit(console, f"  {mark} ", escape(str(v)))
    if len(found) > len(shown):
        console.print(f"  … and {len(found) - len(shown):,} more (`seed verify --all` lists "
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
            console.print(f"      {column}: {escape(short(old))} -> {escape(short(new))}")
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
