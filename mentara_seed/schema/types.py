"""Column types and the column helper shared by every table of the Mentara schema.

Types are the real PostgreSQL types (``timestamp(3)``, ``jsonb``, ``text[]``, named enums,
``numeric(10,2)``); on SQLite they degrade to what SQLite can hold (JSON text for arrays and
json, ISO text for timestamps). Each column also carries its *seed default*: the Python value a
seeded row takes when an enricher leaves the column out, which is the same value the database
default would give, so a desired row is always complete and comparable with a live one.
"""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

TIMESTAMP = sa.DateTime().with_variant(postgresql.TIMESTAMP(precision=3), "postgresql")
# none_as_null: Python None is SQL NULL, never the JSON literal null, on both databases.
JSONB = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TEXT_ARRAY = sa.JSON(none_as_null=True).with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
INT_ARRAY = sa.JSON(none_as_null=True).with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
MONEY = sa.Numeric(10, 2, asdecimal=True)
DOUBLE: sa.Double[float] = sa.Double()



class EmptyArray(ColumnElement[Any]):
    """The server default of an array column: ``'{}'`` on PostgreSQL, ``'[]'`` (JSON) elsewhere."""

    inherit_cache = True


@compiles(EmptyArray, "postgresql")
def _empty_array_pg(element: EmptyArray, compiler: Any, **kw: Any) -> str:
    return "'{}'"


@compiles(EmptyArray)
def _empty_array_default(element: EmptyArray, compiler: Any, **kw: Any) -> str:
    return "'[]'"


# Marks a NOT NULL column without a database default: an enricher must supply it.
REQUIRED: Any = object()
_NO_DEFAULT: Any = object()


class _Now:
    """The database default ``CURRENT_TIMESTAMP`` (Prisma's ``now()``)."""

    def __repr__(self) -> str:
        return "NOW"


NOW: Any = _Now()


def pg_enum(py_enum: type[enum.Enum]) -> sa.Enum:
    """A named enum type whose PostgreSQL type name is the Python enum's class name."""
    # Plain string values both ways: rows hold str, never enum members.
    return sa.Enum(
        *[m.value for m in py_enum],
        name=py_enum.__name__,
        native_enum=True,
        create_constraint=False,
        validate_strings=True,
    )


def _server_default(value: Any, type_: Any) -> sa.TextClause | EmptyArray | None:
    if value is None:
        return None
    if value is NOW:
        return sa.text("CURRENT_TIMESTAMP")
    if isinstance(value, bool):
        return sa.text("true" if value else "false")
    if isinstance(value, enum.Enum):
        return sa.text(f"'{value.value}'")
    if isinstance(value, (int, float)):
        return sa.text(repr(value))
    if isinstance(value, str):
        return sa.text("'" + value.replace("'", "''") + "'")
    if isinstance(value, list) and not value:
        return EmptyArray()
    raise TypeError(f"no server default rendering for {value!r}")


def col(
    name: str,
    type_: Any,
    *,
    nullable: bool = False,
    default: Any = _NO_DEFAULT,
    primary_key: bool = False,
    fk: str | None = None,
    ondelete: str | None = None,
    unique: bool = False,
) -> sa.Column[Any]:
    """One column with its real name, type, nullability, database default and seed default.

    ``default=NOW`` means ``DEFAULT CURRENT_TIMESTAMP`` (seeded rows always set it from
    the time anchor, so its seed default is REQUIRED). A nullable column without a default has
    the seed default ``None``. ``unique=True`` is only informational here: uniques are declared
    as named unique indexes on the table, as in the real database.
    """
    args: list[Any] = []
    if fk is not None:
        target = fk
        args.append(sa.ForeignKey(target, ondelete=ondelete, onupdate="CASCADE"))
    if default is _NO_DEFAULT:
        seed_default = None if nullable else REQUIRED
        server_default = None
    elif default is NOW:
        seed_default = REQUIRED
        server_default = _server_default(default, type_)
    else:
        seed_default = default.value if isinstance(default, enum.Enum) else default
        server_default = _server_default(default, type_)
    column: sa.Column[Any] = sa.Column(
        name,
        type_,
        *args,
        nullable=nullable,
        primary_key=primary_key,
        server_default=server_default,
        info={"seed_default": seed_default, "unique": unique},
    )
    return column
