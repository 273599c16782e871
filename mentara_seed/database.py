"""Opening the target database: URL handling (with the password masked in every message),
engines configured for safe seeding on each dialect, and the schema check."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from mentara_seed.errors import (
    DatabaseUnreachableError,
    LockTimeoutError,
    SchemaMissingError,
    UsageError,
)
from mentara_seed.secrets import remember_url, scrub
from mentara_seed.state.tables import JOURNAL_SCHEMA

DEFAULT_URL = "sqlite:///seed.db"


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL; ``postgres://`` and ``postgresql://`` use psycopg 3."""
    remember_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as err:
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
    driver = parsed.get_driver_name()
    if driver not in ("psycopg", "pysqlite"):
        fixed = parsed.set(drivername=parsed.get_backend_name())
        raise UsageError(
            f"Unsupported driver '{driver}' in {redact(url)}: mentara-seed connects to "
            f"{parsed.get_backend_name()} with its own driver. Leave the driver out of the URL: "
            f"{redact(fixed)}."
        )
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL, an in-memory database or a URL that
    does not parse: those are reported where the URL is used)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def redact(url: str | URL) -> str:
    """The URL with its password replaced by ***; safe to print, log or journal."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"
    if parsed.drivername == "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql")
    return scrub(parsed.render_as_string(hide_password=True))


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
        options = conn.get_execution_options()
        if options.get("sqlite_begin") == "IMMEDIATE":
            _begin_immediate(conn, options.get("lock_timeout", 30.0), options.get("on_wait"))
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(
    conn: sa.Connection, timeout: float, on_wait: Callable[[str], None] | None
) -> None:
    """BEGIN IMMEDIATE, retried with a short busy timeout so the wait can be reported and
    bounded: the write lock is taken before anything is read."""
    def begin() -> bool:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return True
        except sa.exc.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            return False

    conn.exec_driver_sql("PRAGMA busy_timeout = 100")
    try:
        wait_for(begin, lambda: "another process writing to this SQLite file (SQLite cannot "
                 "tell which)", timeout, on_wait, f"The database {redact(conn.engine.url)} "
                 "is locked by", poll=0.1)
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def wait_for(
    acquire: Callable[[], bool],
    holder: Callable[[], str],
    timeout: float,
    on_wait: Callable[[str], None] | None,
    refusal: str,
    poll: float = 0.2,
) -> None:
    """Try ``acquire`` until it succeeds; tell ``on_wait`` once who holds the lock, and give
    up after ``timeout`` seconds with a LockTimeoutError that starts with ``refusal``."""
    deadline = time.monotonic() + timeout
    told = False
    while not acquire():
        who = holder()
        if not told and on_wait is not None:
            on_wait(who)
            told = True
        if time.monotonic() >= deadline:
            raise LockTimeoutError(
                f"{refusal} {who}. Gave up after {timeout:g} s. Wait for it to finish and run "
                "`seed plan` again, or raise --lock-timeout."
            )
        time.sleep(poll)


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
        if timed_out(err):
            raise DatabaseUnreachableError(
                f"Connected to {redact(engine.url)}, but its first statements were cancelled: "
                f"{_first_line(err)}. The role's or URL's statement_timeout is too short for "
                "seeding; raise it (e.g. ?options=-c%20statement_timeout%3D0) and run again."
            ) from err
        raise DatabaseUnreachableError(
            f"Cannot connect to {redact(engine.url)}: {_first_line(err)}. Check that the server "
            "is running, the host, port, user and password, or set --database-url / "
            "SEED_DATABASE_URL."
        ) from err


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return scrub(text[0].rstrip(".")) if text else type(orig).__name__


def sqlstate(err: BaseException) -> str:
    """The SQLSTATE of a driver error ('' when it has none)."""
    orig = getattr(err, "orig", None) or err
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def remedy(err: BaseException) -> str | None:
    """What a database error means for the seeder and how to fix it, for the errors whose
    driver text alone misleads (None: the driver's text says it)."""
    state, text = sqlstate(err), str(getattr(err, "orig", None) or err)
    if timed_out(err):
        return ("A statement ran longer than the statement_timeout of this role or URL. Raise "
                "it for seeding (e.g. ?options=-c%20statement_timeout%3D0 in the URL, or ALTER "
                "ROLE … SET statement_timeout = 0) and run again.")
    if state == "42501" or "permission denied" in text or "must be owner" in text:
        return ("The database role lacks a privilege the seeder needs: SELECT, INSERT, UPDATE "
                "and DELETE on the Mentara tables and the seed_state schema; for `seed init` and "
                "`seed reset` also CREATE on the database and the public schema (or ownership "
                "of the tables). Grant it, or connect as a role that has it.")
    if ("seed_apply" in text or "seed_row_event" in text or "seed_verified" in text) and (
            "no such column" in text or "has no column" in text or state == "42703"):
        return ("The database has a table named like the seed journal (seed_apply, "
                "seed_row_event) that is not the journal: mentara-seed keeps its journal in "
                "those tables. Rename the other table, or seed another database.")
    if state == "23502" or "NOT NULL constraint failed" in text:
        return ("The database has a NOT NULL column without a default that the seeder does not "
                "write: its schema differs from the one the seeder knows. Give the column a "
                "default or allow NULL, or migrate the database to the Mentara schema.")
    return None


def timed_out(err: BaseException) -> bool:
    """A statement cancelled by statement_timeout (SQLSTATE 57014)."""
    return sqlstate(err) == "57014" or "statement timeout" in str(err)


def missing_schema(conn: sa.Connection, tables: list[sa.Table]) -> list[str]:
    """Every difference between the database and the tables the seeder writes."""
    from mentara_seed.schema.check import differences

    return differences(conn, tables)


def _require_privileges(conn: sa.Connection, tables: list[sa.Table], url: str) -> None:
    """PostgreSQL hides the columns of a table the role may not read: name the missing
    privilege rather than call the tables missing."""
    if conn.dialect.name != "postgresql":
        return
    hidden = conn.execute(sa.text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "AND c.relname = ANY(:names) AND NOT has_table_privilege(c.oid, 'SELECT') "
        "ORDER BY c.relname"), {"names": sorted(t.name for t in tables)}).scalars().all()
    if hidden:
        role = conn.execute(sa.text("SELECT current_user")).scalar_one()
        raise SchemaMissingError(
            f"The role {role} may not read {len(hidden)} of the Mentara tables in "
            f"{redact(url)} (no SELECT privilege on {', '.join(hidden[:5])}"
            f"{' …' if len(hidden) > 5 else ''}). Grant it (GRANT SELECT, INSERT, UPDATE, "
            f"DELETE ON ALL TABLES IN SCHEMA public TO {role}), or connect as a role that has "
            "it."
        )


def require_schema(conn: sa.Connection, tables: list[sa.Table], url: str) -> None:
    problems = missing_schema(conn, tables)
    if not problems:
        return
    _require_privileges(conn, tables, url)
    if len([p for p in problems if p.startswith("missing table")]) == len(tables):
        raise SchemaMissingError(
            f"The database {redact(url)} has none of the Mentara tables. Create them with "
            "`seed init` (or `seed apply --init`), or point --database-url at a database the "
            "Mentara app has migrated."
        )
    listing = "\n".join(f"  - {p}" for p in problems)
    raise SchemaMissingError(
        f"The database {redact(url)} does not match the Mentara schema the seeder writes "
        f"({len(problems)} difference(s)); nothing was written:\n{listing}\n"
        "Migrate it to the current Mentara schema (the app's Prisma migrations), or run "
        "`seed init` on an empty database."
    )
