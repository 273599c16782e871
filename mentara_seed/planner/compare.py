"""Comparing two plans: how the desired data changed between two versions of the seeder or its
configuration — rows added, rows removed, columns changed — computed with deepdiff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deepdiff import DeepDiff

from mentara_seed.planner.plan import Action, Plan
from mentara_seed.schema.values import jsonable


@dataclass(frozen=True)
class PlanComparison:
    """Rows keyed ``"Table pk"``; ``changed`` maps a row to {column: (old, new)}."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _desired(plan: Plan) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for change in plan.changes:
        if change.action is Action.DELETE:
            continue
        key = f"{change.table} {change.pk}"
        rows[key] = {k: jsonable(v) for k, v in change.values.items()}
    return rows


def compare(old: Plan, new: Plan) -> PlanComparison:
    before, after = _desired(old), _desired(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    common = sorted(set(before) & set(after))
    diff = DeepDiff({k: before[k] for k in common}, {k: after[k] for k in common},
                    view="tree", ignore_order=False)
    for kind in ("values_changed", "type_changes", "iterable_item_added",
                 "iterable_item_removed", "dictionary_item_added", "dictionary_item_removed"):
        for item in diff.get(kind, []):
            path = item.path(output_format="list")
            if len(path) < 2:
                continue
            row, column = str(path[0]), str(path[1])
            changed.setdefault(row, {})[column] = (
                before[row].get(column), after[row].get(column))
    return PlanComparison(added, removed, {k: changed[k] for k in sorted(changed)})
