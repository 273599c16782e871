"""The plan as a pull-request comment: a summary table, then one collapsible section per table.
The whole comment is guaranteed to fit GitHub's limit: sections are cut to fewer rows (with a
count of what was left out) until it does."""

from __future__ import annotations

from mentara_seed.cli.views import (
    PARTIAL,
    RESTORED,
    REUSED,
    label,
    settings_changes,
    settings_line,
    warnings_title,
)
from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.schema.values import jsonable

LIMIT = 60_000
ROW_BUDGETS = (200, 50, 20, 5, 0)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row_line(change: Change, why: str = "") -> str:
    detail = label(change)
    if change.action is Action.UPDATE:
        detail += "; " + ", ".join(
            f"{k}: `{_cell(str(jsonable(change.before.get(k))))[:40]}` → "
            f"`{_cell(str(jsonable(v)))[:40]}`" for k, v in change.values.items()
        )
    note = f" — {why}" if why else ""
    symbol = change.action.symbol
    return f"- `{symbol}` `{change.pk}` {_cell(detail)} _({change.reason.value})_{note}"


def _summary(plan: Plan) -> list[str]:
    h = plan.header
    counts = plan.counts()
    lines = [
        "### mentara-seed plan",
        "",
        f"{settings_line(h)} · journal serial {h.journal_serial}"
        + (f" · targets {', '.join(h.targets)}" if h.targets else ""),
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
    if plan.held:
        lines.append(f"{len(plan.held):,} change(s) held back (drifted rows need `--update`, "
                     "orphans `--prune`).")
    if plan.warnings:
        lines.append(f"`!` {warnings_title(plan)}.")
    table_counts = plan.table_counts()
    if table_counts:
        lines += ["", "| table | add | change | delete |", "|---|---:|---:|---:|"]
        for table in [t for t in h.table_order if t in table_counts]:
            per = table_counts[table]
            lines.append(f"| {table} | {per.get(Action.CREATE, 0):,} | "
                         f"{per.get(Action.UPDATE, 0):,} | {per.get(Action.DELETE, 0):,} |")
    return lines


def _sections(plan: Plan, budget: int) -> list[str]:
    by_table: dict[str, list[Change]] = {}
    for change in plan.changes:
        by_table.setdefault(change.table, []).append(change)
    lines: list[str] = []
    for table in [t for t in plan.header.table_order if t in by_table]:
        rows = by_table[table]
        lines += ["", f"<details><summary>{table} ({len(rows):,})</summary>", ""]
        lines += [_row_line(c) for c in rows[:budget]]
        if len(rows) > budget:
            lines.append(f"- … {len(rows) - budget:,} more {table} change(s) not shown")
        lines += ["", "</details>"]
    if plan.held:
        lines += ["", f"<details><summary>Held back ({len(plan.held):,})</summary>", ""]
        lines += [_row_line(h.change, h.why) for h in plan.held[:budget]]
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


def render(plan: Plan, limit: int = LIMIT) -> str:
    """The comment, at most ``limit`` characters."""
    head = "\n".join(_summary(plan))
    for budget in ROW_BUDGETS:
        text = head + "\n" + "\n".join(_sections(plan, budget)) + "\n"
        if len(text) <= limit:
            return text
    note = "\n\n_(rows left out to fit the comment limit; see `seed show` for all)_\n"
    return head[: limit - len(note)] + note
