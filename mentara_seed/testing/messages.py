"""The text of the kit's failure messages: a planned change described, changes grouped by
enricher, where two plans, snapshots, dumps or ownership maps differ, what happened to a foreign
row, and why the database would refuse a plan."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row
from mentara_seed.testing.graph import _fks
from mentara_seed.testing.reading import Snapshot

if TYPE_CHECKING:  # operations imports this module, for _refusals
    from mentara_seed.testing.operations import Run

_HINT = ("An enricher's rows must be a function of the projected state, the project seed and "
         "the time anchor only: no datetime.now() (use ctx.at()), no global random module (use "
         "ctx.rng(...)), no hash(), no iteration over sets.")


def _not_idempotent(run: Run, again: Plan, command: str = "seed apply") -> str:
    return (f"Not idempotent ({run}): right after `{command}` the next plan still has "
            f"{len(again.changes)} change(s), so every apply rewrites them:\n"
            + "\n".join(_by_enricher(again.changes)) + f"\n{_HINT}")


def _short(value: Any, width: int = 60) -> str:
    text = value.isoformat(timespec="milliseconds") if isinstance(value, dt.datetime) \
        else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _describe_change(change: Change) -> str:
    who = f"enricher '{change.enricher}'"
    if change.action is Action.UPDATE:
        columns = ", ".join(f"{c} {_short(change.before.get(c))} -> {_short(v)}"
                            for c, v in change.values.items())
        return f"{who} updates {change.table} {change.pk}: {columns}"
    verb = "creates" if change.action is Action.CREATE else "deletes"
    return f"{who} {verb} {change.table} {change.pk}"


def _by_enricher(changes: Sequence[Change], per: int = 3) -> list[str]:
    groups: dict[tuple[str, str, str], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.enricher, c.action.value, c.table), []).append(c)
    lines = []
    for (name, action, table), group in sorted(groups.items()):
        columns = sorted({col for c in group for col in c.values}) if action == "update" else []
        on = f" (columns {', '.join(columns)})" if columns else ""
        lines.append(f"  enricher '{name}': {len(group)} {action}(s) of {table}{on}, e.g.")
        lines += [f"    {_describe_change(c)}" for c in group[:per]]
    return lines


def _plan_difference(local: str, fresh: str) -> list[str]:
    """The header fields and changes (matched by action, table and key) two plans disagree on,
    "this" being the plan made in this process and "fresh" the other."""
    a, b = json.loads(local), json.loads(fresh)
    lines = [f"  header {k}: {_short(a.get(k))} (this) vs {_short(b.get(k))} (fresh)"
             for k in sorted(set(a) | set(b))
             if k not in ("changes", "held", "changes_hash", "counts") and a.get(k) != b.get(k)]

    def keyed(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
        return {(c["action"], c["table"], c["pk"]): c for c in doc["changes"]}

    mine, theirs = keyed(a), keyed(b)
    found = []
    for key in sorted(set(mine) | set(theirs)):
        x, y = mine.get(key), theirs.get(key)
        c = x or y
        assert c is not None
        who = f"enricher '{c['enricher']}' {c['action']}s {c['table']} {c['pk']}"
        if x is None or y is None:
            values = ", ".join(f"{k} {_short(v, 40)}" for k, v in sorted(c.get("values", {})
                                                                          .items())[:3])
            found.append(f"  only in {'this' if y is None else 'the fresh'} process's plan: {who}"
                         + (f" ({values})" if values else ""))
            continue
        xv, yv = x.get("values", {}), y.get("values", {})
        columns = [f"{column} {_short(xv.get(column), 40)} (this) vs "
                   f"{_short(yv.get(column), 40)} (fresh)"
                   for column in sorted(set(xv) | set(yv)) if xv.get(column) != yv.get(column)]
        if columns:
            found.append(f"  {who}: " + "; ".join(columns))
    if len(found) > 8:
        found = found[:8] + [f"  … {len(found) - 8} more difference(s)"]
    if a["changes"] != b["changes"] and not found:
        found = ["  the same changes in another order"]
    return lines + found or ["  (the documents differ only in formatting)"]


def _snapshot_difference(a: Snapshot, b: Snapshot, limit: int = 10) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = a.get(table, {}), b.get(table, {})
        for pk in sorted(set(left) | set(right)):
            x, y = left.get(pk), right.get(pk)
            if x == y:
                continue
            if x is None:
                lines.append(f"  + {table} {pk} appeared")
            elif y is None:
                lines.append(f"  - {table} {pk} disappeared")
            else:
                lines += [f"  ~ {table} {pk} {c}: {_short(x[c])} -> {_short(y[c])}"
                          for c in x if x[c] != y.get(c)]
    more = [f"  … {len(lines) - limit} more"] if len(lines) > limit else []
    return lines[:limit] + more


def _restore_problems(planned: Plan, before: Snapshot, gone: list[tuple[str, str]],
                      wanted: Mapping[str, Mapping[str, str]]) -> list[str]:
    """What ``planned`` does other than re-create the deleted rows ``gone`` as they were
    ``before``, and which of them it does not re-create."""
    problems = []
    for change in planned.changes:
        old = before.get(change.table, {}).get(change.pk)
        if change.action is not Action.CREATE or (change.table, change.pk) not in gone:
            problems.append(f"  {_describe_change(change)} (not a deleted row)")
        elif old is not None and change.values != old:
            problems += [f"  enricher '{change.enricher}' re-creates {change.table} {change.pk} "
                         f"with {c} {_short(change.values.get(c))} where it was {_short(old[c])}"
                         for c in old if change.values.get(c) != old[c]]
    missing = set(gone) - {(c.table, c.pk) for c in planned.changes}
    problems += [f"  {t} {pk} ({wanted[t][pk]}) is not re-created" for t, pk in sorted(missing)]
    return problems


def _dump_difference(a: dict[str, list[str]], b: dict[str, list[str]]) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        added = Counter(b.get(table, [])) - Counter(a.get(table, []))
        removed = Counter(a.get(table, [])) - Counter(b.get(table, []))
        if added or removed:
            lines.append(f"  {table}: {sum(added.values())} row(s) added or changed, "
                         f"{sum(removed.values())} removed or changed")
    return lines


def _ownership_difference(a: Mapping[str, Mapping[str, str]], b: Mapping[str, Mapping[str, str]],
                          a_label: str, b_label: str) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = a.get(table, {}), b.get(table, {})
        for pk in sorted(set(left) | set(right)):
            if left.get(pk) != right.get(pk):
                lines.append(f"  {table} {pk}: fingerprint {left.get(pk)} ({a_label}) vs "
                             f"{right.get(pk)} ({b_label})")
    return lines


def _foreign_problem(table: str, pk: str, row: Row, now: Snapshot, plans: list[Plan],
                     ) -> list[str]:
    live = now.get(table, {}).get(pk)
    if live == row:
        return []
    culprit = next((c for p in plans for c in p.changes if (c.table, c.pk) == (table, pk)),
                   None)
    by = f" by: {_describe_change(culprit)}" if culprit else ""
    if live is None:
        cascade = next((c for p in plans for c in p.changes if c.action is Action.DELETE
                        for col, parent, _ in _fks(table)
                        if parent == c.table and row[col] == c.pk), None)
        if cascade is not None and not by:
            by = f" by a cascade from: {_describe_change(cascade)}"
        return [f"  foreign {table} {pk} was deleted{by}"]
    return [f"  foreign {table} {pk} {c}: {_short(row[c])} -> {_short(live[c])}{by}"
            for c in row if row[c] != live[c]]


def _refusals(planned: Plan, live: Snapshot, owned: Mapping[str, Mapping[str, str]],
              ) -> list[str]:
    """Why the database would refuse ``planned``: unique keys taken, parents missing."""
    seen: dict[tuple[str, str], dict[tuple[Any, ...], str]] = {}
    lines = []
    deleted = {(c.table, c.pk) for c in planned.changes if c.action is Action.DELETE}
    for change in planned.changes:
        if change.action is not Action.CREATE:
            continue
        t = TABLES[change.table]
        for idx in sorted((i for i in t.indexes if i.unique), key=lambda i: str(i.name)):
            columns = [c.name for c in idx.columns]
            key = tuple(change.values[c] for c in columns)
            if None in key or columns == [pk_name(t)]:
                continue
            holders = seen.setdefault((change.table, str(idx.name)), {
                tuple(r[c] for c in columns): _owner(change.table, pk, owned)
                for pk, r in live.get(change.table, {}).items()
                if (change.table, pk) not in deleted})
            if key in holders:
                lines.append(f"  enricher '{change.enricher}' creates {change.table} "
                             f"{change.pk} with {', '.join(columns)} = "
                             f"{', '.join(_short(v) for v in key)}, which {holders[key]} already "
                             f"has (unique index {idx.name})")
            holders[key] = f"{change.table} {change.pk} (enricher '{change.enricher}')"
    return lines[:8]


def _owner(table: str, pk: str, owned: Mapping[str, Mapping[str, str]]) -> str:
    return f"{table} {pk} ({'an owned' if pk in owned.get(table, {}) else 'a foreign'} row)"
