"""Comparing a live database with the schema the seeder writes: missing tables, missing
columns, and (on PostgreSQL) columns of another type or NOT NULL where the app allows NULL.
Every difference is listed, so a mismatch is reported before anything is written."""

from __future__ import annotations

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


def _pg_columns(conn: sa.Connection) -> Columns:
    rows = conn.execute(sa.text(
        "SELECT table_name, column_name, udt_name, is_nullable = 'YES' "
        "FROM information_schema.columns WHERE table_schema = current_schema()"
    ))
    out: Columns = {}
    for table, column, udt, nullable in rows:
        out.setdefault(table, {})[column] = (udt, nullable)
    return out


Columns = dict[str, dict[str, tuple[str, bool]]]


def _generic_columns(conn: sa.Connection, names: list[str]) -> Columns:
    inspector = sa.inspect(conn)
    present = set(inspector.get_table_names())
    return {
        name: {c["name"]: ("", bool(c["nullable"])) for c in inspector.get_columns(name)}
        for name in names if name in present
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
            udt, nullable = actual
            if conn.dialect.name == "postgresql":
                want = expected_pg_type(column)
                if udt != want:
                    found.append(f'column "{table.name}"."{column.name}" is {udt}, '
                                 f"expected {want}")
            if column.nullable and not nullable:
                found.append(f'column "{table.name}"."{column.name}" is NOT NULL, '
                             "expected nullable")
    return found
