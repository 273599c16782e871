"""Comparing a live database with the schema the seeder writes: missing tables, missing
columns, columns it does not know that it would have to fill (NOT NULL without a default), and
(on PostgreSQL) columns of another type or NOT NULL where the app allows NULL. Every difference
is listed, so a mismatch is reported before anything is written. What the database has beyond
the schema and the seeder can leave alone (other tables, nullable columns) is ``unknown``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def pg_type(column: sa.Column[Any]) -> Any:
    """The column's declared type on PostgreSQL (its variant there, if it has one)."""
    variants = getattr(column.type, "_variant_mapping", {})
    return variants.get("postgresql", column.type)


def expected_pg_type(column: sa.Column[Any]) -> str:
    """The type as ``information_schema`` names it (``udt_name``): text, timestamp, _text,
    jsonb, numeric, float8, int4, bool, or the enum's own name."""
    impl = pg_type(column)
    if isinstance(impl, sa.Enum):
        return str(impl.name)
    if isinstance(impl, postgresql.ARRAY):
        item = impl.item_type
        return "_int4" if isinstance(item, sa.Integer) else "_text"
    if isinstance(impl, postgresql.JSONB):
        return "jsonb"
    if isinstance(impl, sa.DateTime):
        return "timestamp"
    if isinstance(impl, sa.Boolean):
        return "bool"
    if isinstance(impl, sa.Float):
        return "float8"
    if isinstance(impl, sa.Numeric):
        return "numeric"
    if isinstance(impl, sa.Integer):
        return "int4"
    return "text"


# What information_schema.columns tells of the tables in the current schema (table_name,
# column_name, udt_name, is_nullable = 'YES', column_default IS NOT NULL OR is_identity = 'YES'
# OR is_generated <> 'NEVER'), read from the catalogs that view reads, with its rules (a
# domain's base type, a domain's NOT NULL, only the columns the role may use): the same rows
# in a third of the time.
_PG_COLUMNS = """
SELECT c.relname, a.attname, COALESCE(bt.typname, t.typname),
       NOT (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)),
       (ad.adbin IS NOT NULL AND a.attgenerated = '') OR a.attidentity <> ''
       OR a.attgenerated <> ''
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace nc ON nc.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE nc.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'v', 'f', 'p')
  AND (pg_has_role(c.relowner, 'USAGE')
       OR has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'))
"""


def _pg_columns(conn: sa.Connection) -> Columns:
    rows = conn.execute(sa.text(_PG_COLUMNS))
    out: Columns = {}
    for table, column, udt, nullable, filled in rows:
        out.setdefault(table, {})[column] = (udt, nullable, filled)
    return out


# Per table, per column: its type (PostgreSQL's udt_name; "" elsewhere), whether it is
# nullable, and whether the database fills it when an insert leaves it out (a default).
Columns = dict[str, dict[str, tuple[str, bool, bool]]]


def _generic_columns(conn: sa.Connection, names: Iterable[str] | None = None) -> Columns:
    """The columns of the tables ``names`` (every table when None) that are present."""
    inspector = sa.inspect(conn)
    present = inspector.get_table_names()
    wanted = present if names is None else [n for n in names if n in set(present)]
    return {
        name: {c["name"]: ("", bool(c["nullable"]), c.get("default") is not None)
               for c in inspector.get_columns(name)}
        for name in wanted
    }


def differences(conn: sa.Connection, tables: list[sa.Table]) -> list[str]:
    """Every way the live database differs from ``tables``, one line each."""
    if conn.dialect.name == "postgresql":
        live = _pg_columns(conn)
    else:
        live = _generic_columns(conn, [t.name for t in tables])
    found: list[str] = []
    for table in tables:
        live_columns = live.get(table.name)
        if live_columns is None:
            found.append(f'missing table "{table.name}"')
            continue
        for column in table.columns:
            actual = live_columns.get(column.name)
            if actual is None:
                found.append(f'missing column "{table.name}"."{column.name}"')
                continue
            udt, nullable, _ = actual
            if conn.dialect.name == "postgresql":
                want = expected_pg_type(column)
                if udt != want:
                    found.append(f'column "{table.name}"."{column.name}" is {udt}, '
                                 f"expected {want}")
            if column.nullable and not nullable:
                found.append(f'column "{table.name}"."{column.name}" is NOT NULL, '
                             "expected nullable")
        found.extend(f'column "{table.name}"."{name}" is NOT NULL without a default, and the '
                     "seeder does not know it (it could not insert a row)"
                     for name, (_, nullable, filled) in sorted(live_columns.items())
                     if name not in table.columns and not nullable and not filled)
    return found


# Tables of the app's tooling, not of its data: never listed as left alone.
_TOOLING = ("_prisma_migrations",)


def unknown(conn: sa.Connection, tables: Iterable[sa.Table],
            ignored: Iterable[str] = ()) -> tuple[str, ...]:
    """What the live database has that the seeder leaves alone: its other tables (besides
    ``ignored``, the database's own and the app's migration history), then the columns of
    ``tables`` they do not declare; each named as the plan's header names it (``table "Foo"``,
    ``column "User"."nickname"``), sorted. Not a difference: a plan and an apply go on."""
    live = _pg_columns(conn) if conn.dialect.name == "postgresql" else _generic_columns(conn)
    known = {t.name: t for t in tables}
    skipped = {*ignored, *_TOOLING}
    extra = [f'table "{name}"' for name in sorted(live)
             if name not in known and name not in skipped and not name.startswith("sqlite_")]
    extra += [f'column "{name}"."{column}"' for name in sorted(live) if name in known
              for column in sorted(live[name]) if column not in known[name].columns]
    return tuple(extra)
