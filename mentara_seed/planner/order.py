"""Order from the foreign-key graph: tables parents-first, and rows within a self-referencing
table (comment replies, message replies) parents-first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from graphlib import TopologicalSorter

import sqlalchemy as sa

from mentara_seed.errors import EnricherError
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row


@cache
def table_order() -> tuple[str, ...]:
    """Every table, each after the tables it references; ties broken by name."""
    graph: dict[str, set[str]] = {}
    for name, table in TABLES.items():
        graph[name] = {
            fk.column.table.name for fk in table.foreign_keys if fk.column.table.name != name
        }
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ordered: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        ordered.extend(ready)
        sorter.done(*ready)
    return tuple(ordered)


@cache
def self_references(table_name: str) -> tuple[str, ...]:
    """Columns of ``table_name`` that reference the table itself."""
    table = TABLES[table_name]
    return tuple(
        sorted(fk.parent.name for fk in table.foreign_keys if fk.column.table is table)
    )


def references(table_name: str) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) for every foreign key of a table."""
    table: sa.Table = TABLES[table_name]
    return sorted(
        (fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys
    )


def parents_first(table_name: str, pks: Iterable[str], rows: dict[str, Row]) -> list[str]:
    """``pks`` (sorted) reordered so a row comes after any row of the same batch it references:
    in rounds (first the rows that reference none of the batch, then the rows whose references
    are all placed, …), each round in key order."""
    ordered = sorted(pks)
    columns = self_references(table_name)
    if not columns:
        return ordered
    batch = set(ordered)
    waiting: dict[str, int] = {}
    children: dict[str, list[str]] = {}
    for pk in ordered:
        parents = {rows[pk][c] for c in columns}
        parents.discard(pk)
        parents &= batch
        waiting[pk] = len(parents)
        for parent in parents:
            children.setdefault(parent, []).append(pk)
    out: list[str] = []
    ready = [pk for pk in ordered if not waiting[pk]]
    while ready:
        out.extend(ready)
        placed, ready = ready, []
        for parent in placed:
            for child in children.get(parent, ()):
                waiting[child] -= 1
                if not waiting[child]:
                    ready.append(child)
        ready.sort()
    if len(out) != len(ordered):
        stuck = ", ".join(sorted(pk for pk in ordered if waiting[pk])[:3])
        raise EnricherError(
            f"Planned {table_name} rows reference each other in a cycle (among {stuck}), so "
            "no order writes each after the row it references.")
    return out
