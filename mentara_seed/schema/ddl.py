"""Creating the Mentara schema on an empty database.

``create`` makes all of it at once (``seed init``). ``create_for_load`` is for an apply that
creates the schema and then fills it in the same transaction (``seed apply --init``, the
first apply of the default ``seed.db``): on PostgreSQL it makes the enum types and the tables
with their primary keys only, and returns what adds the 190-odd indexes and the foreign keys
once the rows are in. Building an index over loaded rows, and checking a foreign key with one
join, is several times less work for the server than keeping every index and checking every
key row by row during the COPY (the way ``pg_restore`` loads a dump). Each part goes to the
server as one script: one round trip instead of one per statement (~0.3 s of a medium apply).
The finished schema is the very same either way; an apply that fails before finishing rolls
all of it back.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.named_types import CreateEnumType
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable, ExecutableDDLElement

from mentara_seed.schema.tables import metadata

Finish = Callable[[], None]


def create(conn: sa.Connection) -> Finish:
    """The whole schema on an empty database: types, tables, keys and indexes. Nothing is
    left to finish. On PostgreSQL in two round trips (``create_for_load`` and its finish),
    not one per table and type."""
    if conn.dialect.name != "postgresql":
        metadata.create_all(conn)
        return _nothing
    create_for_load(conn)()
    return _nothing


def add_missing(conn: sa.Connection) -> Finish:
    """The tables (and their types) a schema lacks, the others left as they are."""
    metadata.create_all(conn)
    return _nothing


def _nothing() -> None:
    return None


def create_for_load(conn: sa.Connection) -> Finish:
    """The schema without what a bulk load is faster without; call the result after loading
    (in the same transaction) to add it. On SQLite, which cannot add a foreign key to an
    existing table, everything is created at once and the result does nothing."""
    if conn.dialect.name != "postgresql":
        return create(conn)
    tables, keys = load_scripts(conn.dialect)
    conn.exec_driver_sql(tables)

    def finish() -> None:
        conn.exec_driver_sql(keys)

    return finish


def load_scripts(dialect: sa.engine.Dialect) -> tuple[str, str]:
    """The two PostgreSQL scripts of ``create_for_load``: the enum types and the tables with
    their primary keys; then the indexes and the foreign keys. Each runs as one query string
    (a parameterless batch runs in the transaction it is in): one round trip, not one per
    statement."""
    enums: dict[str, sa.Enum] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.Enum) and column.type.name is not None:
                enums.setdefault(column.type.name, column.type)
    first: list[ExecutableDDLElement] = [
        CreateEnumType(enums[name]) for name in sorted(enums)]
    first += [CreateTable(table, include_foreign_key_constraints=[])
              for table in metadata.sorted_tables]
    then: list[ExecutableDDLElement] = [
        CreateIndex(index) for table in metadata.sorted_tables
        for index in sorted(table.indexes, key=lambda i: str(i.name))]
    # Not isolated: the key stays part of the table for a later create_all.
    then += [AddConstraint(key, isolate_from_table=False) for table in metadata.sorted_tables
             for key in sorted(table.foreign_key_constraints, key=lambda k: str(k.name))]
    return _script(first, dialect), _script(then, dialect)


def _script(statements: list[ExecutableDDLElement], dialect: sa.engine.Dialect) -> str:
    return ";\n".join(str(s.compile(dialect=dialect)).strip() for s in statements)
