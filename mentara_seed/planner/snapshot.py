"""The live state: what the database holds now, read with one set-based query per table.

Rows come back in canonical form (``schema.values``) keyed by primary key. Order never comes
from the database (collations differ between SQLite and PostgreSQL): every listing is sorted
here, by primary key, in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import repeat
from typing import Any

import sqlalchemy as sa

from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, identity, table_normalizers


@cache
def pk_name(table: sa.Table) -> str:
    """The single primary-key column of a Mentara table (``id``, or ``userId`` for role rows)."""
    (column,) = table.primary_key.columns
    return str(column.name)


CHUNK = 20_000  # rows fetched at a time


def _is_pooled(column: sa.Column[Any]) -> bool:
    return bool(column.primary_key or column.foreign_keys or isinstance(column.type, sa.Enum))


def _chunks(conn: sa.Connection, table: sa.Table, names: list[str]) -> Iterator[Sequence[Any]]:
    """Every row of ``table`` as tuples of ``names``' values, a chunk at a time. On PostgreSQL
    straight from the driver (its own loaders give the same values), without a compiled
    statement and a result object per table."""
    if conn.dialect.name != "postgresql":
        result = conn.execute(sa.select(*(table.c[n] for n in names)))
        yield from result.tuples().partitions(CHUNK)
        return
    quoted = f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
    columns = ", ".join(f'"{n}"' for n in names)
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quoted}")
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def read_versions(conn: sa.Connection, tables: Iterable[str]) -> dict[str, dict[str, int]]:
    """PostgreSQL only: the primary key of every row of ``tables`` with the ``xmin`` of its
    version (``state.stamps``), without the rest of the row."""
    out: dict[str, dict[str, int]] = {}
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        for name in sorted(set(tables)):
            table = TABLES[name]
            quoted = f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
            cursor.execute(f'SELECT "{pk_name(table)}", xmin::text::bigint FROM {quoted}')
            out[name] = dict(cursor.fetchall())
    return out


class LiveState:
    """Rows of some tables as the database holds them. Read-only after construction."""

    def __init__(self, rows: dict[str, dict[str, Row]]) -> None:
        self._rows = rows
        self._sorted: dict[str, list[Row]] = {}
        self._groups: dict[tuple[str, str], dict[Any, list[Row]]] = {}
        # The time anchor in force, when verifying (``planner.verify``): a verifier skips the
        # entities whose minimum cannot be met before it, as its planner does. None: unknown.
        self.anchor: dt.datetime | None = None

    @classmethod
    def read(cls, conn: sa.Connection, tables: Iterable[str],
             known: LiveState | None = None) -> LiveState:
        """The rows of ``tables``; those ``known`` has are taken from it, not read again."""
        rows: dict[str, dict[str, Row]] = {}
        # One string object per distinct key or label: a foreign key's value shares the text
        # of the id it names, an enum column's values share their label (a million-row
        # snapshot held each as a copy of its own).
        shared: dict[Any, Any] = {}
        for name in sorted(set(tables)):
            if known is not None and known.has(name):
                rows[name] = known.by_pk(name)
                continue
            table = TABLES[name]
            spec = table_normalizers(table)
            names = [n for n, _ in spec]
            fix = [(i, norm) for i, (_, norm) in enumerate(spec) if norm is not identity]
            pooled = [i for i, (n, _) in enumerate(spec) if _is_pooled(table.columns[n])]
            pk = names.index(pk_name(table))
            by_pk: dict[str, Row] = {}
            for chunk in _chunks(conn, table, names):
                # A column at a time: the per-value work runs in C-level loops (map, zip).
                columns: list[Any] = list(zip(*chunk, strict=True)) or [()] * len(names)
                for i, norm in fix:
                    columns[i] = list(map(norm, columns[i]))
                for i in pooled:
                    columns[i] = list(map(shared.setdefault, columns[i], columns[i]))
                made = map(dict, map(zip, repeat(names), zip(*columns, strict=True)))
                by_pk.update(zip(columns[pk], made, strict=True))
            rows[name] = by_pk
        return cls(rows)

    def tables(self) -> list[str]:
        return sorted(self._rows)

    def without(self, tables: Iterable[str]) -> LiveState:
        """The same rows but those of ``tables``."""
        gone = set(tables)
        return LiveState({t: rows for t, rows in self._rows.items() if t not in gone})

    def has(self, table: str) -> bool:
        return table in self._rows

    def by_pk(self, table: str) -> dict[str, Row]:
        return self._rows[table]

    def get(self, table: str, pk: str) -> Row | None:
        return self._rows[table].get(pk)

    def rows(self, table: str) -> list[Row]:
        """All rows of ``table`` in primary-key order."""
        if table not in self._sorted:
            by_pk = self._rows[table]
            self._sorted[table] = [by_pk[k] for k in sorted(by_pk)]
        return self._sorted[table]

    def group(self, table: str, column: str) -> dict[Any, list[Row]]:
        """Rows of ``table`` by the value of ``column``, each list in primary-key order."""
        key = (table, column)
        if key not in self._groups:
            groups: dict[Any, list[Row]] = {}
            for row in self.rows(table):
                groups.setdefault(row[column], []).append(row)
            self._groups[key] = groups
        return self._groups[key]

    def count(self) -> int:
        return sum(len(v) for v in self._rows.values())

    def nonempty_tables(self) -> int:
        return sum(1 for v in self._rows.values() if v)
