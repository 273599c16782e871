"""Opening the database for an operation: the production guard, the engine, a read transaction
and the write transaction under the apply lock, and the refusals that come before any of them
(a SQLite file that does not exist). Nothing is planned or written here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from mentara_seed import database, guard
from mentara_seed.applier import lock
from mentara_seed.errors import ApplyError, SchemaMissingError, SeedError
from mentara_seed.settings import Settings


def check_guard(settings: Settings) -> None:
    if not settings.allow_any_database:
        guard.require_development(settings.database_url, settings.allowed_hosts,
                                  settings.allowed_databases)


def engine_for(settings: Settings) -> sa.Engine:
    return database.open_engine(settings.database_url, lock_timeout=settings.lock_timeout)


@contextmanager
def writing(
    engine: sa.Engine, settings: Settings, on_wait: Callable[[str], None] | None
) -> Iterator[sa.Connection]:
    """One write transaction holding the apply lock (PostgreSQL advisory lock; SQLite's write
    lock, taken by BEGIN IMMEDIATE before anything is read)."""
    with database.connect(engine) as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE", on_wait=on_wait,
                                      lock_timeout=settings.lock_timeout)
        try:
            with conn.begin(), _interruptible(conn):
                lock.acquire(conn, settings.lock_timeout, on_wait)
                yield conn
        except sa.exc.DBAPIError as err:
            from mentara_seed.applier.execute import describe_database_error

            raise ApplyError(describe_database_error(err)) from err


@contextmanager
def _interruptible(conn: sa.Connection) -> Iterator[None]:
    """On Ctrl-C, drop the connection instead of rolling back on it: a COPY may still be in
    progress there, and a ROLLBACK sent over it fails. Closing it makes the server roll the
    transaction back all the same."""
    try:
        yield
    except KeyboardInterrupt:
        conn.invalidate()
        raise


@contextmanager
def reading(engine: sa.Engine, *, consistent: bool = False) -> Iterator[sa.Connection]:
    """A read transaction whose database errors become one-paragraph messages; ``consistent``:
    every statement sees the database at one moment (PostgreSQL's REPEATABLE READ; SQLite's
    transactions always do)."""
    try:
        with database.connect(engine) as conn:
            if consistent and conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
    except sa.exc.DBAPIError as err:
        known = database.remedy(err)
        raise SeedError(
            f"Reading {database.redact(engine.url)} failed: "
            f"{str(err.orig or err).strip().splitlines()[0]}. "
            + (f"{known} " if known else "") + "Nothing was written."
        ) from err


def is_embedded_default(settings: Settings) -> bool:
    return settings.database_url == database.DEFAULT_URL


def no_default_database_yet(settings: Settings) -> None:
    """Refuse a SQLite file that does not exist: connecting would create an empty one, and a
    command that reads (or destroys) must not leave a file behind."""
    path = database.sqlite_file(settings.database_url)
    if path is None or path.exists():
        return
    if is_embedded_default(settings):
        raise SchemaMissingError(
            "There is no seed.db here yet. `seed apply` creates it (schema included) and seeds "
            "it; `seed init` creates only the schema."
        )
    raise SchemaMissingError(
        f"There is no database file {path}; nothing was created. Check the path in "
        "--database-url, or create and seed it with `seed apply --init` (`seed init` creates "
        "only the schema)."
    )
