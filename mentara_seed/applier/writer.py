"""Bulk statements per dialect: COPY on PostgreSQL, executemany on SQLite; never one round
trip per row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from mentara_seed.schema.values import Row

DELETE_CHUNK = 1000


def _quoted(table: sa.Table) -> str:
    name = f'"{table.name}"'
    return f'"{table.schema}".{name}' if table.schema else name


def _copy_types(raw: Any, table: sa.Table, columns: list[str]) -> list[int]:
    """The type oid of each column for ``copy.set_types`` (so no value's dumper is looked up
    on its own), an enum's as ``text``: an enum's binary form is its label, as text's is."""
    qualified = _quoted(table)
    found = dict(raw.execute(
        "SELECT a.attname, CASE WHEN t.typtype = 'e' THEN 'text'::regtype::oid"
        " ELSE a.atttypid END FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        (qualified,)).fetchall())
    return [int(found[c]) for c in columns]


# Rows from which a COPY's data is sent by a worker thread (``copy_rows``): below, starting
# and joining the thread costs more than it saves.
QUEUED_FROM = 2_000


def copy_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[Row],
              meanwhile: Callable[[], object] | None = None, *, freeze: bool = False) -> None:
    """COPY ``rows`` into ``table`` in the binary format (less to format here and to parse on
    the server than text). For a large table a worker thread sends the data, so formatting
    rows does not wait for the socket; ``meanwhile`` runs after the last row is queued, while
    the server is still taking them in, before the COPY is finished. ``freeze``: the table was
    created in this transaction, so the rows go in frozen and their pages all-visible (``COPY
    … FREEZE``): the first reads after the commit do not write every page again to set hint
    bits, and autovacuum finds nothing to do after the load."""
    from psycopg.copy import LibpqWriter, QueuedLibpqWriter

    columns = [c.name for c in table.columns]
    raw: Any = conn.connection.driver_connection
    types = _copy_types(raw, table, columns)
    quoted_columns = ", ".join(f'"{c}"' for c in columns)
    sql = (f"COPY {_quoted(table)} ({quoted_columns}) FROM STDIN (FORMAT BINARY"
           f"{', FREEZE' if freeze else ''})")
    with raw.cursor() as cursor:
        # A thread pays off only when there is much to send: a small table goes directly.
        writer = (QueuedLibpqWriter(cursor) if len(rows) >= QUEUED_FROM
                  else LibpqWriter(cursor))
        _copy(cursor, sql, writer, types, columns, rows, meanwhile)


def _copy(cursor: Any, sql: str, writer: Any, types: list[int], columns: list[str],
          rows: Sequence[Row], meanwhile: Callable[[], object] | None) -> None:
    with cursor.copy(sql, writer=writer) as copy:
        copy.set_types(types)
        values = itemgetter(*columns)
        for row in rows:
            copy.write_row(values(row) if len(columns) > 1 else (row[columns[0]],))
        if meanwhile is not None:
            meanwhile()


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[Row],
                meanwhile: Callable[[], object] | None = None, *, fresh: bool = False) -> None:
    """Insert ``rows`` in bulk; ``meanwhile`` is work of the caller's that can overlap the
    database's (on PostgreSQL it runs while the server ingests the rows). ``fresh``: the
    table was created in this transaction (``copy_rows``' ``freeze``)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table, rows, meanwhile, freeze=fresh)
        return
    conn.execute(table.insert(), list(rows))
    if meanwhile is not None:
        meanwhile()


def update_rows(
    conn: sa.Connection, table: sa.Table, pk: str, updates: Sequence[tuple[str, Row]]
) -> None:
    """``updates`` are (pk, changed columns); one executemany per distinct set of columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for key, values in updates:
        columns = tuple(sorted(values))
        params = {f"v_{c}": values[c] for c in columns}
        params["k_pk"] = key
        by_columns.setdefault(columns, []).append(params)
    for columns, batch in by_columns.items():
        statement = (
            table.update()
            .where(table.c[pk] == sa.bindparam("k_pk"))
            .values({c: sa.bindparam(f"v_{c}", type_=table.c[c].type) for c in columns})
        )
        conn.execute(statement, batch)


def delete_rows(conn: sa.Connection, table: sa.Table, pk: str, keys: Sequence[str]) -> None:
    for start in range(0, len(keys), DELETE_CHUNK):
        chunk = list(keys[start:start + DELETE_CHUNK])
        conn.execute(table.delete().where(table.c[pk].in_(chunk)))
