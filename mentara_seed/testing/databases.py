"""Scratch databases: ``Databases`` (empty, initialized or seeded copies of templates made
once), the pytest fixture that yields them, and a ``StartingState`` built on one
(``materialize``)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, cast

import sqlalchemy as sa

from mentara_seed import database, operations
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, normalize_row, to_ms
from mentara_seed.state import journal
from mentara_seed.testing.foreign import ForeignKind, World
from mentara_seed.testing.living import FOREIGN_KINDS
from mentara_seed.testing.operations import Run, apply
from mentara_seed.testing.reading import _connection, snapshot
from mentara_seed.testing.states import StartingState

PG_ENV = "SEED_TEST_POSTGRES_URL"


class Databases:
    """Scratch databases of one backend: empty, schema only, or seeded by a registry with a
    run, each a copy of a template made once. Not for real data: ``close()`` drops them all."""

    def __init__(self, backend: str, *, directory: Path | None = None,
                 admin_url: str | None = None) -> None:
        self.backend = backend
        self.directory = directory
        self._admin = (sa.create_engine(database.parse_url(admin_url),
                                        isolation_level="AUTOCOMMIT",
                                        poolclass=sa.pool.NullPool) if admin_url else None)
        self._prefix = f"seedkit_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._count = 0
        self._templates: dict[str, str] = {}
        self._made: dict[str, str] = {}  # url -> database name

    @classmethod
    def sqlite(cls, directory: Path) -> Databases:
        return cls("sqlite", directory=directory)

    @classmethod
    def postgres(cls, admin_url: str) -> Databases:
        """Databases created on the server of ``admin_url`` (a user who may CREATE DATABASE)."""
        return cls("postgresql", admin_url=admin_url)

    @classmethod
    def from_env(cls, directory: Path) -> list[Databases]:
        """SQLite always; PostgreSQL too when SEED_TEST_POSTGRES_URL is set."""
        found = [cls.sqlite(directory)]
        if os.environ.get(PG_ENV):
            found.append(cls.postgres(os.environ[PG_ENV]))
        return found

    def __enter__(self) -> Databases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _name(self) -> str:
        self._count += 1
        return f"{self._prefix}_{self._count}"

    def _url(self, name: str) -> str:
        if self._admin is None:
            assert self.directory is not None
            return f"sqlite:///{self.directory / (name + '.db')}"
        return self._admin.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, template: str | None = None) -> str:
        name = self._name()
        if self._admin is None:
            assert self.directory is not None
            if template is not None:
                shutil.copyfile(database.parse_url(template).database or "",
                                self.directory / (name + ".db"))
        else:
            clause = f' TEMPLATE "{database.parse_url(template).database}"' if template else ""
            with self._admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
        url = self._url(name)
        self._made[url] = name
        return url

    def empty(self) -> str:
        return self._create()

    def initialized(self) -> str:
        """The Mentara schema and an empty journal (``seed init``)."""
        if "init" not in self._templates:
            url = self._create()
            operations.init(Run().settings(url))
            self._templates["init"] = url
        return self._create(self._templates["init"])

    def seeded(self, run: Run, registry: Registry = REGISTRY) -> str:
        """A database ``seed apply --init`` brought to ``run`` with ``registry``."""
        key = f"{id(registry)}:{run.to_json()}"
        if key not in self._templates:
            url = self.initialized()
            apply(url, run, registry)
            self._templates[key] = url
        return self._create(self._templates[key])

    def discard(self, url: str) -> None:
        """Drop a database made here (templates stay until ``close``)."""
        if url in self._made and url not in self._templates.values():
            self._drop(self._made.pop(url))

    def _drop(self, name: str) -> None:
        if self._admin is None:
            assert self.directory is not None
            (self.directory / (name + ".db")).unlink(missing_ok=True)
        else:
            with self._admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in reversed(list(self._made.values())):
            self._drop(name)
        self._made.clear()
        self._templates.clear()
        if self._admin is not None:
            self._admin.dispose()


FixtureScope = Literal["session", "package", "module", "class", "function"]


def databases_fixture(name: str = "seed_databases", scope: FixtureScope = "session") -> Any:
    """A pytest fixture, parametrized over the backends under test, that yields ``Databases``:
    ``seed_databases = kit.databases_fixture()`` in a conftest.py."""
    import pytest

    backends = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])

    @pytest.fixture(name=name, scope=scope, params=backends)
    def fixture(request: Any, tmp_path_factory: Any) -> Iterator[Databases]:
        if request.param == "sqlite":
            made = Databases.sqlite(tmp_path_factory.mktemp("seedkit"))
        else:
            made = Databases.postgres(os.environ[PG_ENV])
        with made:
            yield made

    return fixture


def materialize(state: StartingState, databases: Databases, registry: Registry = REGISTRY,
                foreign_kinds: Sequence[ForeignKind] = FOREIGN_KINDS) -> str:
    """A new database in ``state``; the caller discards it (or use ``materialized``)."""
    if state.seeded_with is None:
        url = databases.initialized()
    else:
        url = databases.seeded(Run(state.seeded_with, state.seed, state.anchor), registry)
    anchor = dt.datetime.combine(state.anchor, dt.time())
    kinds = {k.name: k for k in foreign_kinds}
    if state.foreign_inserts:
        world = World(snapshot(url), anchor)
        with _connection(url) as conn:
            for n, step in enumerate(state.foreign_inserts):
                for table, row in kinds[step.kind].build(world, step.pick, f"app-{step.kind}-{n}"):
                    conn.execute(TABLES[table].insert(), [row])
                    world.add(table, row)
    if state.settled:
        apply(url, state.run, registry)
    if state.deletions or state.edits or state.foreign_deletions:
        with _connection(url) as conn:
            _hand_changes(conn, state, anchor)
    return url


@contextmanager
def materialized(state: StartingState, databases: Databases, registry: Registry = REGISTRY,
                 foreign_kinds: Sequence[ForeignKind] = FOREIGN_KINDS) -> Iterator[str]:
    """``materialize``, and the database dropped afterwards."""
    url = materialize(state, databases, registry, foreign_kinds)
    try:
        yield url
    finally:
        databases.discard(url)


def _rows_of(conn: sa.Connection, table: str, owned: Mapping[str, str], want_owned: bool,
             ) -> list[Row]:
    t = TABLES[table]
    pk = pk_name(t)
    rows = [normalize_row(t, cast(Mapping[str, Any], r))
            for r in conn.execute(sa.select(t)).mappings()]
    return sorted((r for r in rows if (r[pk] in owned) == want_owned), key=lambda r: r[pk])


def _hand_changes(conn: sa.Connection, state: StartingState, anchor: dt.datetime) -> None:
    owned = journal.read(conn).owned
    for ref, want_owned in ([(d, True) for d in state.deletions]
                            + [(d, False) for d in state.foreign_deletions]):
        row = World.nth(_rows_of(conn, ref.table, owned.get(ref.table, {}), want_owned),
                        ref.row)
        if row is None:
            continue
        t = TABLES[ref.table]
        try:
            with conn.begin_nested():  # a delete the foreign keys refuse is skipped
                conn.execute(t.delete().where(t.c[pk_name(t)] == row[pk_name(t)]))
        except sa.exc.IntegrityError:
            pass
    for edit in state.edits:
        row = World.nth(_rows_of(conn, edit.table, owned.get(edit.table, {}), True), edit.row)
        if row is None:
            continue
        t = TABLES[edit.table]
        value = _edited(t.c[edit.column], row[edit.column], anchor)
        conn.execute(t.update().where(t.c[pk_name(t)] == row[pk_name(t)])
                     .values({edit.column: value}))


def _edited(column: sa.Column[Any], value: Any, anchor: dt.datetime) -> Any:
    type_ = column.type
    if isinstance(type_, sa.Enum):
        options = list(type_.enums)
        return options[(options.index(value) + 1) % len(options)] if value in options \
            else options[0]
    if isinstance(type_, sa.Boolean):
        return not value
    if isinstance(type_, sa.DateTime):
        return to_ms((value or anchor) + dt.timedelta(days=1))
    if isinstance(type_, (sa.Numeric, sa.Integer)):
        return (value or 0) + 1
    return f"{value or ''} (edited)"
