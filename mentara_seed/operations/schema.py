"""The schema's operations: ``seed init`` (the Mentara tables and the journal on an empty
database, or the tables a newer seeder adds to a schema it created) and ``seed reset`` (drop and
create them again)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.errors import SchemaMissingError, UsageError
from mentara_seed.operations.opening import (
    check_guard,
    engine_for,
    is_embedded_default,
    no_default_database_yet,
    writing,
)
from mentara_seed.schema import ddl
from mentara_seed.schema.tables import TABLES, metadata
from mentara_seed.settings import Settings, remember
from mentara_seed.state import journal


def create_schema(conn: sa.Connection, *, for_load: bool = False,
                  on_create: Callable[[], None] | None = None) -> ddl.Finish | None:
    """Create the Mentara schema and the journal on an empty database; None if the schema was
    there. Else what finishes the schema: with ``for_load`` its indexes and foreign keys, to be
    added once the rows are in (see ``schema.ddl``); without, nothing. ``on_create`` is called
    just before the whole schema is created (not when it was there, or tables are added)."""
    problems = database.missing_schema(conn, list(TABLES.values()))
    if not problems:
        journal.create(conn)
        return None
    missing_tables = [p for p in problems if p.startswith("missing table")]
    if len(missing_tables) == len(problems) and journal.read(conn).initialized:
        # A schema `seed init` made, that a newer seeder has more tables for (a pull request
        # that adds one): the tables it lacks are added; the others are as expected.
        return ddl.add_missing(conn)
    if len(missing_tables) != len(TABLES):
        raise SchemaMissingError(
            f"The database has {len(TABLES) - len(missing_tables)} of the {len(TABLES)} Mentara "
            "tables, but not all of them (or not as the seeder expects): `seed init` creates the "
            "schema on an empty database, and adds tables only to a schema it created. Migrate "
            "it with the app, or use an empty one. "
            "Differences: " + "; ".join(problems[:8])
            + (f" and {len(problems) - 8} more" if len(problems) > 8 else "")
        )
    if on_create is not None:
        on_create()
    finish = ddl.create_for_load(conn) if for_load else ddl.create(conn)
    journal.create(conn)
    state = journal.read(conn)
    journal.append(conn, state, kind="init", events=[], header={}, counts={})
    return finish


def init(settings: Settings) -> bool:
    """``seed init``: the schema on an empty database. Returns whether anything was created."""
    check_guard(settings)
    engine = engine_for(settings)
    # Under the apply lock: concurrent `seed init`s create the schema once (the others then
    # find it), instead of racing on CREATE TYPE.
    with writing(engine, settings, None) as conn:
        return create_schema(conn) is not None


def _rows_held(conn: sa.Connection) -> int:
    present = set(sa.inspect(conn).get_table_names())
    return sum(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
               for name, t in sorted(TABLES.items()) if t.name in present)


def reset(settings: Settings, *, force: bool, registry: Registry = REGISTRY,
          approve: Callable[[int], None] | None = None) -> Settings:
    """Drop the Mentara schema and the journal, then create them again (``seed reset``).
    Returns ``settings`` with the journal's layer as it was before the drop: the apply that
    follows seeds the new database with the settings the journal remembered. ``approve``
    is told how many rows the tables hold and raises to stop it."""
    check_guard(settings)
    engine = engine_for(settings)
    no_default_database_yet(settings)
    with writing(engine, settings, None) as conn:
        state = journal.read(conn)
        settings = remember(settings, journal.applied_settings(conn), registry.names())[0]
        if not (state.initialized or is_embedded_default(settings) or force):
            raise UsageError(
                f"{database.redact(settings.database_url)} was not created by `seed init`, so "
                "`seed reset` will not drop it. Pass --force if you really mean to drop every "
                "Mentara table there."
            )
        if approve is not None:
            approve(_rows_held(conn))
        metadata.drop_all(conn)
        journal.drop(conn)
        if conn.dialect.name == "postgresql":
            for enum_type in sorted({str(c.type.name) for t in metadata.tables.values()
                                     for c in t.columns if isinstance(c.type, sa.Enum)}):
                conn.exec_driver_sql(f'DROP TYPE IF EXISTS "{enum_type}"')
        create_schema(conn)
    return settings
