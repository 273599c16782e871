"""Test databases: every test gets its own SQLite file and, when SEED_TEST_POSTGRES_URL is set,
its own PostgreSQL database (created from a per-run template, dropped afterwards), so runs and
tests never collide."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mentara_seed.cli.app import run_cli
from mentara_seed.database import open_engine, parse_url

PG_ENV = "SEED_TEST_POSTGRES_URL"
ANCHOR = "2026-11-16"
RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


def pytest_report_header(config: pytest.Config) -> str:
    return "databases: " + ", ".join(_backends())


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SEED_* variable or seed.toml of the developer's leaks into a test."""
    for key in list(os.environ):
        if key.startswith("SEED_") and key != PG_ENV:
            monkeypatch.delenv(key)
    # The suite drives the CLI without a terminal: approve what it asks (destroy, undo, reset,
    # an apply that changes rows). The approval tests (test_safety_prompts.py) unset it.
    monkeypatch.setenv("SEED_AUTO_APPROVE", "true")
    monkeypatch.chdir(tmp_path)


class PostgresServer:
    """Creates and drops databases on the server named by SEED_TEST_POSTGRES_URL."""

    def __init__(self, url: str) -> None:
        self.base = parse_url(url)
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT",
                                      poolclass=sa.pool.NullPool)
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
        self.created.append(name)
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self.drop(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    server = PostgresServer(url)
    yield server
    server.drop_all()


class Databases:
    """Fresh databases of one backend: empty, schema only, or seeded (medium, fixed anchor)."""

    def __init__(self, backend: str, server: PostgresServer | None, root: Path) -> None:
        self.backend = backend
        self.server = server
        self.root = root
        self.templates: dict[str, str] = {}

    def _new_name(self, kind: str) -> str:
        return f"seedtest_{RUN_ID}_{kind}_{uuid.uuid4().hex[:8]}"

    def empty(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.root / (self._new_name('empty') + '.db')}"
        assert self.server is not None
        return self.server.create(self._new_name("empty"))

    def _template(self, kind: str, *cli_args: str) -> str:
        if kind not in self.templates:
            url = self.empty()
            code = run_cli(list(cli_args) + ["--database-url", url])
            assert code == 0, f"building the {kind} template failed"
            self.templates[kind] = url
        return self.templates[kind]

    def _copy(self, template_url: str, kind: str) -> str:
        if self.backend == "sqlite":
            source = Path(parse_url(template_url).database or "")
            target = self.root / (self._new_name(kind) + ".db")
            shutil.copyfile(source, target)
            return f"sqlite:///{target}"
        assert self.server is not None
        return self.server.create(self._new_name(kind),
                                  template=parse_url(template_url).database)

    def initialized(self) -> str:
        return self._copy(self._template("init", "init"), "init")

    def seeded(self, profile: str = "medium") -> str:
        template = self._template(f"seeded-{profile}", "apply", "--init", "--profile", profile,
                                  "--anchor", ANCHOR)
        return self._copy(template, f"seeded-{profile}")


@pytest.fixture(scope="session")
def _database_factories(
    pg_server: PostgresServer | None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Databases]:
    root = tmp_path_factory.mktemp("databases")
    return {b: Databases(b, pg_server, root) for b in _backends()}


@pytest.fixture(params=_backends())
def dbs(request: pytest.FixtureRequest, _database_factories: dict[str, Databases]) -> Databases:
    """Database factory for each backend under test (SQLite always, PostgreSQL when set)."""
    return _database_factories[request.param]


@pytest.fixture
def engine_for() -> Iterator[object]:
    engines: list[sa.Engine] = []

    def make(url: str) -> sa.Engine:
        engine = open_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> object:
    """Run the real ``seed`` CLI in-process: ``cli("plan", "--database-url", url)`` returns
    (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run_cli(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.fixture
def sql(engine_for: object) -> object:
    """Run one SQL statement against a database URL: ``sql(url, 'SELECT …')`` -> list of rows.
    Tests check outcomes with SQL of their own, never through the planner's view."""

    def run(url: str, statement: str, **params: object) -> list[sa.Row[object]]:
        engine = engine_for(url)  # type: ignore[operator]
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return list(result) if result.returns_rows else []

    return run


@pytest.fixture
def dump(engine_for: object) -> object:
    """A full dump of a database (every table, the journal's too) for before/after equality."""

    def run(url: str) -> dict[str, list[str]]:
        engine = engine_for(url)  # type: ignore[operator]
        out: dict[str, list[str]] = {}
        with engine.begin() as conn:
            inspector = sa.inspect(conn)
            schemas = [None] + (["seed_state"] if conn.dialect.name == "postgresql" else [])
            for schema in schemas:
                for name in inspector.get_table_names(schema=schema):
                    table = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn)
                    rows = conn.execute(sa.select(table)).all()
                    out[f"{schema or ''}.{name}"] = sorted(repr(tuple(r)) for r in rows)
        return out

    return run


def heart_own_post(sql: Any, url: str) -> str:
    """A foreign row that breaks a rule: the app lets a person heart their own post, the
    seeder's rules never do. Returns its id."""
    post, author = sql(url, 'SELECT p.id, p."userId" FROM "Post" p WHERE NOT EXISTS (SELECT 1 '
                            'FROM "PostHeart" h WHERE h."postId" = p.id AND h."userId" = '
                            'p."userId") ORDER BY p.id LIMIT 1')[0]
    sql(url, 'INSERT INTO "PostHeart" (id, "postId", "createdAt", "userId") VALUES '
             "('app-heart', :p, '2026-11-15 09:00:00', :u)", p=post, u=author)
    return "app-heart"


def delete_busiest_community(sql: Any, url: str) -> str:
    """A person deletes the community with the most posts: its room groups and rooms go with
    it (ON DELETE CASCADE), its posts stay with ``roomId`` NULL (ON DELETE SET NULL). Returns
    its id."""
    community = sql(url, 'SELECT g."communityId" FROM "Post" p JOIN "Room" r ON r.id = '
                         'p."roomId" JOIN "RoomGroup" g ON g.id = r."roomGroupId" GROUP BY '
                         'g."communityId" ORDER BY count(*) DESC, g."communityId" LIMIT 1')[0][0]
    sql(url, 'DELETE FROM "Community" WHERE id = :c', c=community)
    return community


def recycle_dev_client(sql: Any, url: str) -> None:
    """A person deletes the seeded user dev_client_1 (with its cascades) and inserts a user
    of their own with that id (another createdAt)."""
    sql(url, """DELETE FROM "User" WHERE id = 'dev_client_1'""")
    sql(url, """INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt",
                "updatedAt", "emailVerified") VALUES ('dev_client_1', 'mine@example.test',
                'Someone', 'Else', 'client', '2025-06-01 08:00:00', '2025-06-01 08:00:00',
                false)""")
