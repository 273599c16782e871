"""The seeder on a database whose schema the Mentara app itself created with Prisma (PostgreSQL
only). The fixture is the migration `prisma migrate dev` generates for the app's schema, written
from the reference (shared/reference/mentara-schema.md), never from ``mentara_seed.schema``, so
these tests check our schema against the app's rather than against itself."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import ANCHOR, PG_ENV, RUN_ID

from mentara_seed.database import open_engine

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV),
                                reason=f"PostgreSQL only: set {PG_ENV}")

FIXTURE = Path(__file__).parent / "fixtures" / "mentara_prisma_migration.sql"
APP_TABLES = sorted(re.findall(r'^CREATE TABLE "([^"]+)"', FIXTURE.read_text(), re.MULTILINE))


def _new_database(pg_server: Any) -> str:
    return pg_server.create(f"seedtest_{RUN_ID}_prisma_{uuid.uuid4().hex[:8]}")


def _run_script(url: str, script: str) -> None:
    """Run a multi-statement SQL script in one transaction (psycopg's simple query protocol:
    no parameters, so several statements may go in one execute)."""
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(script, execution_options={"no_parameters": True})
    finally:
        engine.dispose()


def _app_database(pg_server: Any) -> str:
    """A fresh database migrated the way the Mentara app migrates it."""
    url = _new_database(pg_server)
    _run_script(url, FIXTURE.read_text())
    return url


def _public_tables(sql: Any, url: str) -> list[str]:
    rows = sql(url, "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' ORDER BY table_name")
    return [r[0] for r in rows]


def test_fixture_is_the_whole_app_schema():
    assert len(APP_TABLES) == 42
    assert len(re.findall(r"^CREATE TYPE ", FIXTURE.read_text(), re.MULTILINE)) == 17


def test_apply_works_on_a_database_the_app_created(pg_server, cli, sql):
    url = _app_database(pg_server)
    assert _public_tables(sql, url) == APP_TABLES

    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert "Traceback" not in err
    assert "Verified" in out

    code, out, err = cli("plan", "--database-url", url)
    assert code == 0, err
    assert "No changes." in out

    # The journal lives in its own schema; public holds the 42 app tables and nothing else,
    # so the app's `prisma migrate` sees no drift.
    assert _public_tables(sql, url) == APP_TABLES
    journal_tables = sql(url, "SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = 'seed_state' ORDER BY table_name")
    assert [r[0] for r in journal_tables] == ["seed_apply", "seed_row_event", "seed_verified"]
    kinds = [r[0] for r in sql(url, "SELECT kind FROM seed_state.seed_apply ORDER BY serial")]
    assert kinds == ["apply"]
    assert sql(url, "SELECT count(*) FROM seed_state.seed_row_event")[0][0] > 0
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] > 0


def test_schema_differences_are_all_listed_before_writing(pg_server, cli, sql):
    url = _app_database(pg_server)
    _run_script(url, """
        ALTER TABLE "Membership" ALTER COLUMN "joinedAt" DROP DEFAULT;
        ALTER TABLE "Membership" ALTER COLUMN "joinedAt" TYPE TEXT;
        ALTER TABLE "Therapist" DROP COLUMN "hourlyRate";
        DROP TABLE "TherapistAvailability";
    """)

    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 1, out + err
    assert "Traceback" not in out + err
    message = " ".join(err.split())  # undo the console's line wrapping
    assert "3 difference(s)" in message, err
    assert 'column "Membership"."joinedAt" is text, expected timestamp' in message, err
    assert 'missing column "Therapist"."hourlyRate"' in message, err
    assert 'missing table "TherapistAvailability"' in message, err
    assert "nothing was written" in message, err

    assert sql(url, 'SELECT count(*) FROM "User"')[0][0] == 0
    journal_tables = [r[0] for r in sql(
        url, "SELECT table_name FROM information_schema.tables "
             "WHERE table_schema = 'seed_state'")]
    for table in journal_tables:
        assert sql(url, f'SELECT count(*) FROM seed_state."{table}"')[0][0] == 0, table


# ---------------------------------------------------------------- catalog comparison

_COLUMNS = """
SELECT c.relname, a.attname, t.typname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""

_INDEXES = """
SELECT i.relname, t.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public'
"""

_CONSTRAINTS = """
SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
"""

_ENUMS = """
SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public'
GROUP BY t.typname
"""

_CONSTRAINT_KINDS = {"p": "primary key", "f": "foreign key", "u": "unique constraint",
                     "c": "check constraint", "x": "exclusion constraint"}


def _normalise_default(expr: str | None) -> str | None:
    """Defaults that differ only in spelling compare equal; these are harmless because
    PostgreSQL evaluates both spellings to the same value on every insert:
    * ``ARRAY[]::text[]`` (Prisma's ``DEFAULT ARRAY[]::TEXT[]``) and ``'{}'::text[]``: both
      the empty array of that type;
    * ``0``, ``0.0``, ``'0'::double precision``: the same number;
    * ``CURRENT_TIMESTAMP`` (Prisma's ``now()``) and ``now()``: both the transaction's start
      time, cast to the column's timestamp(3)."""
    if expr is None:
        return None
    text = expr.strip()
    array = re.fullmatch(r"(?:ARRAY\[\]|'\{\}')::([\w ]+)\[\]", text)
    if array:
        return f"'{{}}'::{array.group(1)}[]"
    number = re.fullmatch(r"\(?'?(-?\d+(?:\.\d+)?)'?\)?(?:::[\w ]+)?", text)
    if number:
        return repr(float(number.group(1)))
    if text.lower() in ("now()", "current_timestamp"):
        return "CURRENT_TIMESTAMP"
    return text


def _catalog(url: str) -> dict[str, Any]:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            columns: dict[str, list[tuple[str, str, str, bool, str | None]]] = {}
            for table, name, udt, full, notnull, default in conn.execute(sa.text(_COLUMNS)):
                columns.setdefault(table, []).append(
                    (name, udt, full, bool(notnull), _normalise_default(default)))
            indexes = {name: (table, definition)
                       for name, table, definition in conn.execute(sa.text(_INDEXES))}
            constraints = {(table, name): (_CONSTRAINT_KINDS.get(kind, kind), definition)
                           for table, name, kind, definition in conn.execute(sa.text(_CONSTRAINTS))
                           if kind in _CONSTRAINT_KINDS}
            enums = {name: list(labels) for name, labels in conn.execute(sa.text(_ENUMS))}
    finally:
        engine.dispose()
    return {"columns": columns, "indexes": indexes, "constraints": constraints, "enums": enums}


def _column_differences(table: str, app: list[Any], ours: list[Any]) -> list[str]:
    found: list[str] = []
    app_by_name = {c[0]: c for c in app}
    ours_by_name = {c[0]: c for c in ours}
    for name in app_by_name.keys() - ours_by_name.keys():
        found.append(f'column "{table}"."{name}": in the app, missing from seed init')
    for name in ours_by_name.keys() - app_by_name.keys():
        found.append(f'column "{table}"."{name}": created by seed init, not in the app')
    app_order = [c[0] for c in app if c[0] in ours_by_name]
    our_order = [c[0] for c in ours if c[0] in app_by_name]
    if app_order != our_order:
        found.append(f'column order of "{table}": app {app_order}, seed init {our_order}')
    labels = ("udt_name", "type", "NOT NULL", "default")
    for name in sorted(app_by_name.keys() & ours_by_name.keys()):
        for label, want, got in zip(labels, app_by_name[name][1:], ours_by_name[name][1:],
                                    strict=True):
            if want != got:
                found.append(f'column "{table}"."{name}" {label}: app {want!r}, '
                             f"seed init {got!r}")
    return found


def _differences(app: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for table in sorted(app["columns"].keys() - ours["columns"].keys()):
        found.append(f'table "{table}": in the app, missing from seed init')
    for table in sorted(ours["columns"].keys() - app["columns"].keys()):
        found.append(f'table "{table}": created by seed init, not in the app')
    for table in sorted(app["columns"].keys() & ours["columns"].keys()):
        found += _column_differences(table, app["columns"][table], ours["columns"][table])

    for name in sorted(app["indexes"].keys() | ours["indexes"].keys()):
        want, got = app["indexes"].get(name), ours["indexes"].get(name)
        if want != got:
            found.append(f'index "{name}": app {want[1] if want else "(none)"}; '
                         f"seed init {got[1] if got else '(none)'}")

    for key in sorted(app["constraints"].keys() | ours["constraints"].keys()):
        want, got = app["constraints"].get(key), ours["constraints"].get(key)
        if want != got:
            found.append(f'constraint "{key[1]}" on "{key[0]}": app {want or "(none)"}; '
                         f"seed init {got or '(none)'}")

    for name in sorted(app["enums"].keys() | ours["enums"].keys()):
        want, got = app["enums"].get(name), ours["enums"].get(name)
        if want != got:
            found.append(f'enum "{name}": app {want or "(none)"}; seed init {got or "(none)"}')
    return found


def test_seed_init_creates_the_schema_the_app_creates(pg_server, cli):
    app_url = _app_database(pg_server)
    ours_url = _new_database(pg_server)
    code, _, err = cli("init", "--database-url", ours_url)
    assert code == 0, err

    app, ours = _catalog(app_url), _catalog(ours_url)
    assert sorted(app["columns"]) == APP_TABLES
    assert len(app["enums"]) == 17
    found = _differences(app, ours)
    assert not found, (f"seed init's schema differs from the app's in {len(found)} way(s):\n"
                       + "\n".join(found))


def test_apply_init_adds_indexes_and_keys_after_the_rows_and_ends_with_the_app_schema(
        pg_server, cli, sql):
    app_url = _app_database(pg_server)
    ours_url = _new_database(pg_server)
    code, out, err = cli("apply", "--init", "--database-url", ours_url, "--anchor", ANCHOR,
                         "--profile", "light")
    assert code == 0, err
    assert sql(ours_url, 'SELECT count(*) FROM "Post"')[0][0] > 0
    found = _differences(_catalog(app_url), _catalog(ours_url))
    assert not found, (f"apply --init's schema differs from the app's in {len(found)} way(s):\n"
                       + "\n".join(found))
    code, out, _ = cli("plan", "--database-url", ours_url, "--profile", "light")
    assert code == 0 and "No changes." in out
    # Adding the keys last leaves the table definitions as they were: in this same process,
    # `seed init` still creates every key with its table.
    later_url = _new_database(pg_server)
    code, _, err = cli("init", "--database-url", later_url)
    assert code == 0, err
    found = _differences(_catalog(app_url), _catalog(later_url))
    assert not found, "seed init after apply --init differs: " + "\n".join(found[:5])
