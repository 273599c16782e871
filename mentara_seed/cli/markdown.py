"""The plan as a pull-request comment: a summary table, then one collapsible section per table.
The whole comment is guaranteed to fit GitHub's limit: sections are cut to fewer rows (with a
count of what was left out) until it does."""

from __future__ import annotations

from mentara_seed.cli.labels import Labeller, Rows
from mentara_seed.cli.views import (
    PARTIAL,
    RESTORED,
    REUSED,
    held_lines,
    reason,
    settings_changes,
    settings_line,
    warnings_title,
)
from mentara_seed.planner.compare import PlanComparison
from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.schema.values import jsonable

LIMIT = 60_000
# The first line of every comment: a workflow finds its own comment by it (never "the last
# comment", which may be another bot's).
MARKER = "<!-- mentara-seed plan -->"
ROW_BUDGETS = (200, 50, 20, 5, 0)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row_line(change: Change, names: Labeller, plan: Plan, why: str = "",
              table: bool = False) -> str:
    detail = names(change)
    if change.action is Action.UPDATE:
        detail += "; " + ", ".join(
            f"{k}: `{_cell(str(jsonable(change.before.get(k))))[:40]}` → "
            f"`{_cell(str(jsonable(v)))[:40]}`" for k, v in change.values.items()
        )
    note = f" — {why}" if why else ""
    symbol = change.action.symbol
    where = f"{change.table} " if table else ""
    said = f" _({reason(change, plan)})_" if reason(change, plan) else ""
    return f"- `{symbol}` {where}`{change.pk}` {_cell(detail)}{said}{note}"


def _summary(plan: Plan, where: str) -> list[str]:
    h = plan.header
    counts = plan.counts()
    lines = [
        MARKER,
        "### mentara-seed plan",
        "",
        (f"`{where}` · " if where else "")
        + f"{settings_line(h)} · journal serial {h.journal_serial}"
        + f" · targets {', '.join(h.targets) if h.targets else 'all enrichers'}",
        "",
        *(f"> {line}" for line in settings_changes(h)),
        *([""] if settings_changes(h) else []),
    ]
    if plan.is_empty():
        lines.append("**No changes.** The database satisfies every minimum.")
        if h.reused:
            lines.append(REUSED.format(serial=h.journal_serial))
    else:
        lines.append(f"**Plan: {counts[Action.CREATE]:,} to add, {counts[Action.UPDATE]:,} to "
                     f"change, {counts[Action.DELETE]:,} to delete.**")
    if h.partial:
        lines.append(PARTIAL.format(serial=h.journal_serial, names=", ".join(h.partial)))
    if h.restored:
        lines.append(RESTORED.format(serial=h.journal_serial))
    lines += held_lines(plan)
    if plan.warnings:
        lines.append(f"`!` {warnings_title(plan)}.")
    table_counts = plan.table_counts()
    if table_counts:
        lines += ["", "| table | add | change | delete |", "|---|---:|---:|---:|"]
        for table in sorted(table_counts):
            per = table_counts[table]
            lines.append(f"| {table} | {per.get(Action.CREATE, 0):,} | "
                         f"{per.get(Action.UPDATE, 0):,} | {per.get(Action.DELETE, 0):,} |")
    return lines


def _sections(plan: Plan, budget: int, names: Labeller) -> list[str]:
    by_table: dict[str, list[Change]] = {}
    for change in plan.changes:
        by_table.setdefault(change.table, []).append(change)
    lines: list[str] = []
    for table in sorted(by_table):
        rows = by_table[table]
        lines += ["", f"<details><summary>{table} ({len(rows):,})</summary>", ""]
        lines += [_row_line(c, names, plan) for c in rows[:budget]]
        if len(rows) > budget:
            lines.append(f"- … {len(rows) - budget:,} more {table} change(s) not shown")
        lines += ["", "</details>"]
    if plan.held:
        lines += ["", f"<details><summary>Held back ({len(plan.held):,})</summary>", ""]
        lines += [_row_line(h.change, names, plan, h.why, table=True)
                  for h in plan.held[:budget]]
        if len(plan.held) > budget:
            lines.append(f"- … {len(plan.held) - budget:,} more not shown")
        lines += ["", "</details>"]
    if plan.warnings:
        lines += ["", f"<details><summary>{warnings_title(plan)}</summary>", ""]
        lines += [f"- `!` {_cell(str(w))}" for w in plan.warnings[:budget]]
        if len(plan.warnings) > budget:
            lines.append(f"- … {len(plan.warnings) - budget:,} more not shown")
        lines += ["", "</details>"]
    return lines


def render(plan: Plan, where: str = "", limit: int = LIMIT, live: Rows | None = None) -> str:
    """The comment, at most ``limit`` characters; ``where`` names the database (redacted);
    ``live``: the rows the plan was read from, to name the rows it references."""
    head = "\n".join(_summary(plan, where))
    names = Labeller(plan, live)
    for budget in ROW_BUDGETS:
        text = head + "\n" + "\n".join(_sections(plan, budget, names)) + "\n"
        if len(text) <= limit:
            return text
    note = "\n\n_(rows left out to fit the comment limit; see `seed show` for all)_\n"
    return head[: limit - len(note)] + note


def comparison(result: PlanComparison, old_name: str, limit: int = LIMIT) -> str:
    """``seed plan --compare FILE --format markdown``: how the desired data differs from the
    saved plan's, every row named by its table, cut to fit the comment limit."""
    lines = [MARKER, "### mentara-seed: desired data compared with a saved plan", ""]
    if result.is_empty():
        return "\n".join(lines + [f"The desired data is the same as in `{old_name}`."]) + "\n"
    lines.append(f"Compared with `{old_name}`: **{len(result.added):,} row(s) added, "
                 f"{len(result.removed):,} removed, {len(result.changed):,} changed.**")
    for budget in ROW_BUDGETS:
        rows = [f"- `+` {_cell(k)}" for k in result.added[:budget]]
        rows += [f"- `-` {_cell(k)}" for k in result.removed[:budget]]
        rows += [f"- `~` {_cell(k)}: " + ", ".join(
            f"{c}: `{_cell(str(jsonable(a)))[:40]}` → `{_cell(str(jsonable(b)))[:40]}`"
            for c, (a, b) in columns.items())
            for k, columns in list(result.changed.items())[:budget]]
        left = len(result.added) + len(result.removed) + len(result.changed) - len(rows)
        tail = [f"- … {left:,} more not shown"] if left else []
        text = "\n".join(lines + [""] + rows + tail) + "\n"
        if len(text) <= limit:
            return text
    return "\n".join(lines) + "\n"
