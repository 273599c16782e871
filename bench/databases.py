"""The benchmark's own databases: SQLite files in a temporary directory, PostgreSQL databases
created (and dropped) on the server, named ``seedbench_<pid>_<scenario>``."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from mentara_seed.schema.tables import TABLES


@dataclass
class Backend:
    """Creates, clones and drops throw-away databases of one kind."""

    name: str  # "sqlite" or "postgresql"
    workdir: Path
    admin_url: str = "postgresql://root@127.0.0.1:5432/postgres"
    created: list[str] = field(default_factory=list)

    # --- naming -------------------------------------------------------------------------

    def db_name(self, scenario: str) -> str:
        return f"seedbench_{os.getpid()}_{scenario}".lower()

    def url(self, name: str) -> str:
        """The URL `seed` is given (and SQLAlchemy, for the naive baseline)."""
        if self.name == "sqlite":
            return f"sqlite:///{self.workdir / (name + '.db')}"
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def conninfo(self, name: str) -> str:
        """A libpq connection string for psycopg (PostgreSQL only)."""
        url = make_url(self.admin_url).set(database=name, drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def path(self, name: str) -> Path:
        return self.workdir / (name + ".db")

    # --- lifecycle ----------------------------------------------------------------------

    def admin_conninfo(self) -> str:
        return self.conninfo(make_url(self.admin_url).database or "postgres")

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(self.admin_conninfo(), autocommit=True)

    def create(self, scenario: str, *, template: str | None = None) -> str:
        """An empty database (or a copy of ``template``); returns its name."""
        name = self.db_name(scenario)
        self.drop(name)
        if self.name == "sqlite":
            if template is not None:
                shutil.copyfile(self.path(template), self.path(name))
        else:
            with self._admin() as conn:
                query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                if template is not None:
                    query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template))
                conn.execute(query)
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        if self.name == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(str(self.path(name)) + suffix).unlink(missing_ok=True)
        else:
            with self._admin() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)))
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(self.created):
            try:
                self.drop(name)
            except Exception as err:  # noqa: BLE001 - cleanup keeps going
                print(f"warning: could not drop {name}: {err}")

    # --- reading and editing ------------------------------------------------------------

    def _execute(self, name: str, statements: list[str]) -> list[tuple]:
        out: list[tuple] = []
        if self.name == "sqlite":
            conn = sqlite3.connect(self.path(name))
            try:
                conn.execute("PRAGMA foreign_keys=ON")
                for statement in statements:
                    out.extend(conn.execute(statement).fetchall())
                conn.commit()
            finally:
                conn.close()
        else:
            with psycopg.connect(self.conninfo(name)) as conn:
                for statement in statements:
                    cur = conn.execute(statement)
                    if cur.description is not None:
                        out.extend(cur.fetchall())
        return out

    def count_rows(self, name: str) -> int:
        """Rows in the Mentara tables (the journal is not counted)."""
        parts = " UNION ALL ".join(f'SELECT count(*) FROM "{t}"' for t in TABLES)
        return sum(n for (n,) in self._execute(name, [parts]))

    def delete_every_tenth(self, name: str, tables: tuple[str, ...] = ("Comment", "Post")) -> int:
        """Delete every 10th row by id of each table, outside the seeder (cascades follow the
        schema's ON DELETE rules). Returns how many rows the Mentara tables lost."""
        before = self.count_rows(name)
        statements = [
            f'DELETE FROM "{t}" WHERE id IN (SELECT id FROM (SELECT id, row_number() '
            f'OVER (ORDER BY id) AS rn FROM "{t}") AS numbered WHERE rn % 10 = 0)'
            for t in tables
        ]
        self._execute(name, statements)
        return before - self.count_rows(name)
