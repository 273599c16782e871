"""The foreign-key graph of the Mentara tables, as the assertions need it: which live rows
reference a row, what deleting a row cascades to, and deleting a row whose cascade removes only
rows the seeder owns and still wants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, fingerprint
from mentara_seed.testing.reading import Snapshot, _connection


def _fks(table: str) -> list[tuple[str, str, str]]:
    return sorted((fk.parent.name, fk.column.table.name, fk.column.name)
                  for fk in TABLES[table].foreign_keys)


@cache
def _children() -> dict[str, list[tuple[str, str, str, str | None]]]:
    """parent table -> (child table, child column, parent column, ON DELETE rule)."""
    out: dict[str, list[tuple[str, str, str, str | None]]] = {}
    for child in TABLES.values():
        for fk in child.foreign_keys:
            out.setdefault(fk.column.table.name, []).append(
                (child.name, fk.parent.name, fk.column.name, fk.ondelete))
    return out


def _references_to(live: Snapshot, table: str, row: Row) -> list[tuple[str, str, str | None]]:
    """(child table, child pk, ON DELETE rule) of the live rows that reference ``row``."""
    out = []
    for child, column, parent_column, rule in _children().get(table, []):
        child_pk = pk_name(TABLES[child])
        out += [(child, r[child_pk], rule) for r in live.get(child, {}).values()
                if r[column] is not None and r[column] == row[parent_column]
                and not (child == table and r[child_pk] == row[pk_name(TABLES[table])])]
    return out


def _cascade(live: Snapshot, table: str, pk: str) -> list[tuple[str, str]] | None:
    """The rows deleting ``table pk`` removes (itself first), or None when the delete would
    null out or be refused by another row."""
    gone: list[tuple[str, str]] = []
    todo = [(table, pk)]
    while todo:
        item = todo.pop()
        if item in gone:
            continue
        gone.append(item)
        for child, child_pk, rule in _references_to(live, item[0], live[item[0]][item[1]]):
            if (rule or "").upper() != "CASCADE":
                return None
            todo.append((child, child_pk))
    return gone


def _delete_alone(url: str, live: Snapshot, owned: Mapping[str, Mapping[str, str]],
                  wanted: Mapping[str, Mapping[str, str]], tables: Sequence[str], row: int,
                  ) -> list[tuple[str, str]]:
    """Delete the first row from the ``row``-th on whose deletion removes only owned,
    undrifted, desired rows; return what went."""
    for table in tables:
        keys = sorted(pk for pk in owned.get(table, {})
                      if pk in live.get(table, {}) and pk in wanted.get(table, {}))
        for k in range(len(keys)):
            pk = keys[(row + k) % len(keys)]
            gone = _cascade(live, table, pk)
            if gone and all(fingerprint(live[t][p]) == owned.get(t, {}).get(p)
                            and p in wanted.get(t, {}) for t, p in gone):
                t = TABLES[table]
                with _connection(url) as conn:
                    conn.execute(t.delete().where(t.c[pk_name(t)] == pk))
                return gone
    return []


def _twinnable(table: str) -> bool:
    return not TABLES[table].c[pk_name(TABLES[table])].foreign_keys
