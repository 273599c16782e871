"""Opening the target database: URL handling (with the password masked in every message),
engines configured for safe seeding on each dialect, and the schema check."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from mentara_seed.errors import DatabaseUnreachableError, SchemaMissingError, UsageError
from mentara_seed.state.tables import JOURNAL_SCHEMA

DEFAULT_URL = "sqlite:///seed.db"


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL; ``postgres://`` and ``postgresql://`` use psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise UsageError(
            f"Malformed database URL '{redact(url)}'. Use e.g. "
            "postgresql://user@localhost:5432/mentara or sqlite:///seed.db."
        ) from err
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("postgresql", "sqlite"):
        raise UsageError(
            f"Unsupported database '{parsed.get_backend_name()}' in {redact(url)}: "
            "mentara-seed writes PostgreSQL (the Mentara app's database) and SQLite."
        )
    return parsed


def redact(url: str | URL) -> str:
    """The URL with its password replaced by ***; safe to print, log or journal."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return "<unparseable URL>"
    return parsed.render_as_string(hide_password=True)


def _sqlite_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin() issue BEGIN IMMEDIATE: the write lock is taken at the
        # start, so two applies serialize instead of failing halfway.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def open_engine(url: str, *, lock_timeout: float = 30.0) -> sa.Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            parsed, connect_args={"timeout": lock_timeout}, poolclass=sa.pool.NullPool
        )
        _sqlite_events(engine)
        return engine.execution_options(schema_translate_map={JOURNAL_SCHEMA: None})
    return sa.create_engine(
        parsed,
        poolclass=sa.pool.NullPool,
        connect_args={"connect_timeout": 10, "application_name": "mentara-seed"},
    )


def connect(engine: sa.Engine) -> sa.Connection:
    """A connection, or a one-paragraph error that names the database (password masked)."""
    try:
        return engine.connect()
    except sa.exc.OperationalError as err:
        raise DatabaseUnreachableError(
            f"Cannot connect to {redact(engine.url)}: {_first_line(err)}. Check that the server "
            "is running, the host, port, user and password, or set --database-url / "
            "SEED_DATABASE_URL."
        ) from err


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return text[0].rstrip(".") if text else type(orig).__name__


def missing_schema(conn: sa.Connection, tables: list[sa.Table]) -> list[str]:
    """What the seeder needs and the database lacks: missing tables, then missing columns."""
    inspector = sa.inspect(conn)
    present = set(inspector.get_table_names())
    problems: list[str] = []
    for table in tables:
        if table.name not in present:
            problems.append(f'table "{table.name}"')
            continue
        live_columns = {c["name"] for c in inspector.get_columns(table.name)}
        problems.extend(
            f'column "{table.name}"."{c.name}"' for c in table.columns if c.name not in live_columns
        )
    return problems


def require_schema(conn: sa.Connection, tables: list[sa.Table], url: str) -> None:
    problems = missing_schema(conn, tables)
    if not problems:
        return
    all_missing = len([p for p in problems if p.startswith("table")]) == len(tables)
    if all_missing:
        raise SchemaMissingError(
            f"The database {redact(url)} has none of the Mentara tables. Create them with "
            "`seed init` (or `seed apply --init`), or point --database-url at a database the "
            "Mentara app has migrated."
        )
    shown = ", ".join(problems[:12]) + (f" and {len(problems) - 12} more" if len(problems) > 12
                                        else "")
    raise SchemaMissingError(
        f"The database {redact(url)} lacks {len(problems)} thing(s) the seeder writes: {shown}. "
        "Migrate it to the current Mentara schema, or run `seed init` on an empty database."
    )
