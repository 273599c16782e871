"""Whether a plan applies with every foreign key checked at once: parents created before
their children, children deleted before their parents, and no constraint deferred."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.schema.values import Row
from mentara_seed.testing.graph import _children, _fks
from mentara_seed.testing.messages import _describe_change
from mentara_seed.testing.reading import Snapshot, _connection


class _Walk:
    """A copy of the live rows as a plan's changes are walked over it, with a count of the
    values of each column a foreign key points at (made on first use, kept as rows move)."""

    def __init__(self, live: Snapshot) -> None:
        self.rows = {t: dict(r) for t, r in live.items()}
        self.index: dict[tuple[str, str], Counter[Any]] = {}

    def values(self, table: str, column: str) -> Counter[Any]:
        if (table, column) not in self.index:
            self.index[(table, column)] = Counter(r[column] for r in
                                                  self.rows.get(table, {}).values())
        return self.index[(table, column)]

    def move(self, table: str, old: Row | None, new: Row | None) -> None:
        for (t, column), counter in self.index.items():
            if t == table:
                if old is not None:
                    counter[old[column]] -= 1
                if new is not None:
                    counter[new[column]] += 1


def _order_problems(planned: Plan, live: Snapshot) -> list[str]:
    """Walk the plan over a copy of the live rows with every foreign key checked at once."""
    walk = _Walk(live)
    problems = []
    for n, change in enumerate(planned.changes, 1):
        if change.action is Action.DELETE:
            problems += _delete_problems(walk, n, change)
        else:
            problems += _write_problems(walk, planned, n, change)
    return problems


def _delete_problems(walk: _Walk, n: int, change: Change) -> list[str]:
    """Change #``n``, a delete, made on ``walk``: a row still referencing it is a problem."""
    table = walk.rows.setdefault(change.table, {})
    old = table.get(change.pk)
    if old is None:
        return [f"  change #{n}: {_describe_change(change)}, which is not there"]
    walk.move(change.table, old, None)
    del table[change.pk]
    problems = []
    for child, column, parent_column, _ in _children().get(change.table, []):
        if walk.values(child, column)[old[parent_column]] > 0:
            problems.append(f"  change #{n}: {_describe_change(change)} while a "
                            f"{child} row still references it (children go first)")
    return problems


def _write_problems(walk: _Walk, planned: Plan, n: int, change: Change) -> list[str]:
    """Change #``n``, a create or update, made on ``walk``: a parent it names that is not
    there yet is a problem."""
    table = walk.rows.setdefault(change.table, {})
    old = table.get(change.pk)
    new = dict(change.values) if change.action is Action.CREATE else {**(old or {}),
                                                                       **change.values}
    walk.move(change.table, old, new)
    table[change.pk] = new
    problems = []
    for column, parent, parent_column in _fks(change.table):
        if column in change.values and new[column] is not None \
                and walk.values(parent, parent_column)[new[column]] <= 0:
            later = next((m for m, c in enumerate(planned.changes, 1) if m > n
                          and c.table == parent and c.action is Action.CREATE
                          and c.values.get(parent_column) == new[column]), None)
            when = f" (created only at change #{later})" if later else ""
            problems.append(f"  change #{n}: {_describe_change(change)} with {column} = "
                            f"{new[column]!r}, no such {parent} yet{when}")
    return problems


def _check_immediate_foreign_keys(url: str) -> None:
    with _connection(url) as conn:
        if conn.dialect.name == "sqlite":
            on = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            deferred = conn.exec_driver_sql("PRAGMA defer_foreign_keys").scalar()
            if on != 1 or deferred != 0:
                raise AssertionError(f"SQLite foreign keys are not enforced immediately "
                                     f"(foreign_keys={on}, defer_foreign_keys={deferred}).")
            return
        deferrable = conn.exec_driver_sql(
            "SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint "
            "WHERE contype = 'f' AND (condeferrable OR condeferred)").scalars().all()
        if deferrable:
            raise AssertionError(f"Deferrable foreign keys: {', '.join(sorted(deferrable))}; "
                                 "every plan must apply with constraints checked at once.")
