"""The two reference loads of *exactly the rows a plan creates*:

- raw: the physical limit. PostgreSQL: psycopg binary COPY (typed with the columns' catalog
  types), one COPY per run of consecutive rows of a table in the plan's order, in one
  transaction. SQLite: one executemany per run, in one transaction, values pre-converted by
  SQLAlchemy's own bind processors (so the stored bytes are the seeder's).
- naive: the approach of the original notes. One SQLAlchemy ORM object per row, mapped
  imperatively onto the project's Table objects, ``session.add(obj); session.commit()`` per row.
  Capped: the first N rows are timed and the total extrapolated (reported as an estimate).

Only the load is timed: reading the plan JSON and converting values happens before the clock.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session, registry

from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import from_jsonable


@dataclass
class TableRun:
    """Consecutive create changes of one table in the plan: rows as tuples in column order."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass
class PlanRows:
    runs: list[TableRun]
    counts: dict[str, int]  # the plan's counts (create/update/delete)

    @property
    def creates(self) -> int:
        return sum(len(r.rows) for r in self.runs)

    def iter_dicts(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for run in self.runs:
            for row in run.rows:
                yield run.table, dict(zip(run.columns, row, strict=True))


def read_plan(path: str | Path) -> PlanRows:
    """The rows of every create change of a ``seed plan --format json`` document, in plan order,
    as canonical Python values (datetime, Decimal, list, dict)."""
    with open(path, "rb") as f:
        doc = json.load(f)
    changes = doc.pop("changes")
    runs: list[TableRun] = []
    current: TableRun | None = None
    converters: dict[str, tuple[tuple[str, ...], list[sa.Column[Any]]]] = {}
    for change in changes:
        if change["action"] != "create":
            continue
        name = change["table"]
        if name not in converters:
            table = TABLES[name]
            converters[name] = (tuple(c.name for c in table.columns), list(table.columns))
        columns, cols = converters[name]
        if current is None or current.table != name:
            current = TableRun(name, columns, [])
            runs.append(current)
        values = change["values"]
        current.rows.append(tuple(from_jsonable(c, values[c.name]) for c in cols))
    del changes
    return PlanRows(runs, dict(doc.get("counts", {})))


# --- raw load ------------------------------------------------------------------------------


def _pg_column_oids(conn: Any, table: str, columns: tuple[str, ...]) -> list[int]:
    rows = conn.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attnum > 0 AND NOT attisdropped", (f'"{table}"',)).fetchall()
    by_name = dict(rows)
    return [by_name[c] for c in columns]


def _register_enum_dumpers(conn: Any) -> None:
    """Binary dumpers, by oid only, that send a Python str as an enum label (an enum's binary
    wire format is its label's text)."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    for (oid,) in conn.execute("SELECT oid FROM pg_type WHERE typtype = 'e'").fetchall():
        dumper = type(f"EnumLabelDumper{oid}", (Dumper,), {
            "format": Format.BINARY,
            "oid": oid,
            "dump": lambda self, obj: obj.encode(),
        })
        conn.adapters.register_dumper(None, dumper)


def raw_copy_postgresql(conninfo: str, plan: PlanRows) -> float:
    """Seconds to load ``plan``'s rows with binary COPY in one transaction (commit included),
    into the schema as it is (a `seed init` database: every index and foreign key kept up
    row by row)."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        prepared = _prepared(conn, plan)
        conn.commit()
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            _copy(cur, prepared)
        return time.perf_counter() - started


def raw_copy_bare_postgresql(conninfo: str, plan: PlanRows) -> float:
    """Seconds to make the schema on an empty database and load ``plan``'s rows the way a
    restore does, in one transaction (commit included): the types and the tables with their
    primary keys, the rows by binary COPY, then the indexes and foreign keys (the scripts of
    ``schema.ddl.load_scripts``). The floor under ``seed apply --init``."""
    import psycopg
    from sqlalchemy.dialects.postgresql import psycopg as pg_dialect

    from mentara_seed.schema.ddl import load_scripts

    tables, keys = load_scripts(pg_dialect.dialect())
    with psycopg.connect(conninfo) as conn:
        started = time.perf_counter()
        with conn.transaction():
            conn.execute(tables)
            prepared = _prepared(conn, plan)  # dumpers for the new types, before the cursor
            with conn.cursor() as cur:
                _copy(cur, prepared)
                cur.execute(keys)
        return time.perf_counter() - started


def _prepared(conn: Any, plan: PlanRows) -> list[tuple[str, list[int], list[tuple[Any, ...]]]]:
    """Each run's COPY statement, its columns' type oids and its rows (enum dumpers
    registered)."""
    _register_enum_dumpers(conn)
    prepared = []
    oid_cache: dict[str, list[int]] = {}
    for run in plan.runs:
        if run.table not in oid_cache:
            oid_cache[run.table] = _pg_column_oids(conn, run.table, run.columns)
        cols = ", ".join(f'"{c}"' for c in run.columns)
        prepared.append((f'COPY "{run.table}" ({cols}) FROM STDIN (FORMAT BINARY)',
                         oid_cache[run.table], run.rows))
    return prepared


def _copy(cur: Any, prepared: list[tuple[str, list[int], list[tuple[Any, ...]]]]) -> None:
    for statement, oids, rows in prepared:
        with cur.copy(statement) as copy:
            copy.set_types(oids)
            for row in rows:
                copy.write_row(row)


def raw_executemany_sqlite(path: str | Path, plan: PlanRows) -> float:
    """Seconds to load ``plan``'s rows with one executemany per run, one transaction."""
    dialect = sqlite_dialect.dialect()
    prepared = []
    for run in plan.runs:
        table = TABLES[run.table]
        procs = []
        for name in run.columns:
            type_ = table.c[name].type.dialect_impl(dialect)
            procs.append(type_.bind_processor(dialect))
        if any(procs):
            rows = [tuple(v if p is None or v is None else p(v) for p, v in zip(procs, row,
                                                                              strict=True))
                    for row in run.rows]
        else:
            rows = run.rows
        cols = ", ".join(f'"{c}"' for c in run.columns)
        marks = ", ".join("?" for _ in run.columns)
        prepared.append((f'INSERT INTO "{run.table}" ({cols}) VALUES ({marks})', rows))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        conn.execute("BEGIN")
        for statement, rows in prepared:
            conn.executemany(statement, rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


# --- naive ORM loop ------------------------------------------------------------------------


@dataclass
class NaiveResult:
    seconds: float  # for all rows (extrapolated when capped)
    timed_rows: int
    total_rows: int

    @property
    def estimated(self) -> bool:
        return self.timed_rows < self.total_rows


_MAPPED: dict[str, type] = {}


def _orm_init(self: Any, **values: Any) -> None:
    for key, value in values.items():
        setattr(self, key, value)


def _mapped_classes() -> dict[str, type]:
    if not _MAPPED:
        reg = registry()
        for name, table in TABLES.items():
            cls = type(f"Naive{name}", (), {"__init__": _orm_init})
            reg.map_imperatively(cls, table)
            _MAPPED[name] = cls
    return _MAPPED


def naive_orm(url: str, plan: PlanRows, cap: int) -> NaiveResult:
    """One ORM object and one commit per row, for the first ``cap`` rows of the plan (parents
    come first in plan order, so a prefix is always loadable); the total is extrapolated."""
    classes = _mapped_classes()
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                              poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _fk(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA foreign_keys=ON")
    total = plan.creates
    todo = []
    for table, row in plan.iter_dicts():
        if len(todo) >= cap:
            break
        todo.append((classes[table], row))
    try:
        with Session(engine) as session:
            session.connection()  # connect before the clock
            session.commit()
            started = time.perf_counter()
            for cls, row in todo:
                session.add(cls(**row))
                session.commit()
            seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    timed = len(todo)
    if timed == 0:
        return NaiveResult(0.0, 0, total)
    return NaiveResult(seconds * total / timed, timed, total)
