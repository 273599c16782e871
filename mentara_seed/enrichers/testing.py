"""A testing kit for enrichers: hypothesis strategies for starting states, helpers that build
them on a real database, and assertions for the seeder's promises (idempotent, deterministic,
convergent, minimal, ordered, foreign rows untouched, journal consistent).

A user who adds an enricher tests it in a few lines (see ``docs/testing-kit.md``)::

    @given(state=kit.starting_states(MY_REGISTRY))
    def test_my_enricher(state, seed_databases):
        with kit.materialized(state, seed_databases, MY_REGISTRY) as url:
            kit.assert_deterministic(url, state.run, MY_REGISTRY)
            kit.assert_idempotent(url, state.run, MY_REGISTRY)
            kit.assert_convergent(url, state.run, MY_REGISTRY)

Every assertion raises ``AssertionError`` with a message that names the enricher, table, row
and column at fault. Every operation takes the registry to use, so a user's registry
(``REGISTRY.copy()`` plus their enricher) is tested exactly as the CLI would run it; for the
fresh-process determinism check that registry must be a module-level name in an importable
module. Test code only: it drives the CLI's operations, so it is never imported by the seeder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast
from unittest import mock

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from mentara_seed import database
from mentara_seed.cli import plan_json
from mentara_seed.cli import run as cli_run
from mentara_seed.cli.settings import Settings
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.errors import SeedError
from mentara_seed.planner import build
from mentara_seed.planner.order import table_order
from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.types import REQUIRED
from mentara_seed.schema.values import Row, fingerprint, normalize_row, to_ms
from mentara_seed.state import journal
from mentara_seed.state.tables import seed_apply, seed_row_event

DEFAULT_ANCHOR = dt.date(2026, 11, 16)
PG_ENV = "SEED_TEST_POSTGRES_URL"
PROFILE_ENV = "SEED_HYPOTHESIS_PROFILE"
Snapshot = dict[str, dict[str, Row]]
_HINT = ("An enricher's rows must be a function of the projected state, the project seed and "
         "the time anchor only: no datetime.now() (use ctx.at()), no global random module (use "
         "ctx.rng(...)), no hash(), no iteration over sets.")


# -- running the seeder ---------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """The inputs of one seeder run besides the database: profile, project seed, anchor, bcrypt
    cost (4: fast, and the same in every process) and minimum overrides. SEED_* variables and
    seed.toml are ignored, so a test's run is exactly what it says."""

    profile: str = "light"
    seed: int = 0
    anchor: dt.date = DEFAULT_ANCHOR
    password_cost: int = 4
    minimums: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def settings(self, url: str) -> Settings:
        return Settings.model_construct(
            database_url=url, profile=self.profile, seed=self.seed, anchor=self.anchor,
            password_cost=self.password_cost, skip_verify=True,
            minimums={k: dict(v) for k, v in self.minimums.items()})

    def to_json(self) -> str:
        return json.dumps({"profile": self.profile, "seed": self.seed,
                           "anchor": self.anchor.isoformat(),
                           "password_cost": self.password_cost, "minimums": self.minimums},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Run:
        doc = json.loads(text)
        return cls(doc["profile"], doc["seed"], dt.date.fromisoformat(doc["anchor"]),
                   doc["password_cost"], doc["minimums"])

    def __str__(self) -> str:
        return f"profile {self.profile}, seed {self.seed}, anchor {self.anchor.isoformat()}"


def _command(targets: Sequence[str] = (), prune: bool = False, update: bool = False,
             destroy: bool = False) -> str:
    words = ["seed destroy" if destroy else "seed apply"]
    words += [f"--target {t}" for t in targets]
    words += ["--update"] * update + ["--prune"] * prune
    return " ".join(words)


def plan(url: str, run: Run, registry: Registry = REGISTRY, *, targets: Sequence[str] = (),
         prune: bool = False, update: bool = False, destroy: bool = False) -> Plan:
    """``seed plan`` with these options: the plan, nothing written."""
    options = cli_run.Options(tuple(targets), (), prune, update, destroy)
    return cli_run.plan(run.settings(url), options, registry).plan


def plan_text(url: str, run: Run, registry: Registry = REGISTRY) -> str:
    """``seed plan --format json``: the canonical plan document, as bytes are compared."""
    return plan_json.render(plan(url, run, registry))


def apply(url: str, run: Run, registry: Registry = REGISTRY, *, targets: Sequence[str] = (),
          prune: bool = False, update: bool = False, destroy: bool = False,
          on_plan: Callable[[Plan], None] | None = None) -> cli_run.ApplyOutcome:
    """``seed apply`` (or ``seed destroy``); a refused apply is an AssertionError that says
    which planned row the database refused and why."""
    options = cli_run.Options(tuple(targets), (), prune, update, destroy)
    hook = None if on_plan is None else (lambda result: on_plan(result.plan))
    try:
        return cli_run.apply(run.settings(url), options, registry, on_plan=hook)
    except SeedError as error:
        command = _command(targets, prune, update, destroy)
        lines = [f"`{command}` failed ({run}): {error}"]
        with suppress(SeedError, sa.exc.SQLAlchemyError):
            planned = plan(url, run, registry, targets=targets, prune=prune, update=update,
                           destroy=destroy)
            lines += _refusals(planned, snapshot(url), ownership(url))
        raise AssertionError("\n".join(lines)) from error


def verify(url: str, run: Run, registry: Registry = REGISTRY) -> list[Violation]:
    return cli_run.verify(run.settings(url), cli_run.Options(), registry)


def undo(url: str, run: Run) -> Plan:
    """``seed undo``: revert the latest apply."""
    try:
        done, _ = cli_run.undo(run.settings(url), None)
    except SeedError as error:
        raise AssertionError(f"`seed undo` failed: {error}") from error
    return done


# -- reading a database ---------------------------------------------------------------------

@contextmanager
def _connection(url: str) -> Iterator[sa.Connection]:
    engine = database.open_engine(url)
    try:
        with database.connect(engine) as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def snapshot(url: str) -> Snapshot:
    """Every Mentara row in canonical form: table -> primary key -> row."""
    with _connection(url) as conn:
        live = LiveState.read(conn, TABLES)
        return {t: dict(live.by_pk(t)) for t in live.tables()}


def ownership(url: str) -> dict[str, dict[str, str]]:
    """The journal's ownership projection: table -> owned pk -> last-applied fingerprint."""
    with _connection(url) as conn:
        return journal.read(conn).owned


def dump(url: str) -> dict[str, list[str]]:
    """Every row of every table, the journal's included: equal dumps, equal databases."""
    with _connection(url) as conn:
        live = LiveState.read(conn, TABLES)
        out = {t: sorted(repr(sorted(r.items())) for r in live.by_pk(t).values())
               for t in live.tables()}
        if journal.exists(conn):
            for table in (seed_apply, seed_row_event):
                out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(sa.select(table)))
        return out


def _replayed(url: str) -> dict[str, dict[str, str]]:
    """Ownership replayed from the raw journal rows, independently of ``state.journal``."""
    owned: dict[str, dict[str, str]] = {}
    with _connection(url) as conn:
        query = sa.select(seed_row_event.c.table_name, seed_row_event.c.pk,
                          seed_row_event.c.action, seed_row_event.c.fingerprint)
        for table, pk, action, fp in conn.execute(query.order_by(seed_row_event.c.serial,
                                                                 seed_row_event.c.seq)):
            if action == "delete":
                owned.get(table, {}).pop(pk, None)
            else:
                owned.setdefault(table, {})[pk] = fp
    return {t: rows for t, rows in owned.items() if rows}


def desired_rows(url: str, run: Run, registry: Registry = REGISTRY, *,
                 prune: bool = False) -> dict[str, dict[str, str]]:
    """Which enricher desires each row right now: table -> pk -> enricher name, as the plan
    (with or without ``--prune``) sees it. The planner keeps this to itself, so the kit
    listens to its enricher loop while planning."""
    heard: list[dict[str, dict[str, str]]] = []
    loop = build._run_enrichers

    def listen(*args: Any, **kwargs: Any) -> Any:
        desired, origin = loop(*args, **kwargs)
        heard.append(origin)
        return desired, origin

    with mock.patch.object(build, "_run_enrichers", listen):
        plan(url, run, registry, prune=prune)
    return heard[-1] if heard else {}


# -- scratch databases ----------------------------------------------------------------------

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
            cli_run.init(Run().settings(url))
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


# -- starting states ------------------------------------------------------------------------

@dataclass(frozen=True)
class RowRef:
    """The ``row``-th row (in primary-key order, wrapping around) among the rows of ``table``
    a step may act on."""

    table: str
    row: int


@dataclass(frozen=True)
class Edit:
    """A person edits ``column`` of the ``row``-th owned row of ``table``."""

    table: str
    row: int
    column: str


@dataclass(frozen=True)
class ForeignInsert:
    """The app makes rows of ``kind``; ``pick`` chooses among the valid parents."""

    kind: str
    pick: int


@dataclass(frozen=True)
class StartingState:
    """A database before the run under test, as a small description (so hypothesis shrinks it
    and prints it): seeded with ``seeded_with`` (a profile, same seed) or schema only; then
    ``foreign_inserts`` made as the app would; then, if ``settled``, one apply of the run;
    then owned rows deleted by hand (foreign-key rules apply: cascades, SET NULL), owned
    columns edited by hand (drift), foreign rows deleted. Steps that find no row are no-ops."""

    profile: str = "light"
    seed: int = 0
    seeded_with: str | None = None
    foreign_inserts: tuple[ForeignInsert, ...] = ()
    settled: bool = False
    deletions: tuple[RowRef, ...] = ()
    edits: tuple[Edit, ...] = ()
    foreign_deletions: tuple[RowRef, ...] = ()
    anchor: dt.date = DEFAULT_ANCHOR

    @property
    def run(self) -> Run:
        return Run(self.profile, self.seed, self.anchor)

    def __repr__(self) -> str:
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)
                 if f.name in ("profile", "seed") or getattr(self, f.name) != f.default]
        return f"StartingState({', '.join(shown)})"


class World:
    """The rows of a database while foreign rows are made: what a ``ForeignKind`` reads."""

    def __init__(self, rows: Snapshot, anchor: dt.datetime) -> None:
        self._rows = rows
        self.anchor = anchor

    def rows(self, table: str) -> list[Row]:
        by_pk = self._rows.get(table, {})
        return [by_pk[k] for k in sorted(by_pk)]

    def get(self, table: str, pk: str | None) -> Row | None:
        return self._rows.get(table, {}).get(pk) if pk is not None else None

    def add(self, table: str, row: Row) -> None:
        self._rows.setdefault(table, {})[row[pk_name(TABLES[table])]] = row

    @staticmethod
    def nth(rows: Sequence[Any], pick: int) -> Any:
        return rows[pick % len(rows)] if rows else None

    def row(self, table: str, **values: Any) -> Row:
        """A complete row: given values, database defaults, plain values for the rest."""
        out: dict[str, Any] = {}
        for column in TABLES[table].columns:
            default = column.info["seed_default"]
            if column.name in values:
                out[column.name] = values[column.name]
            elif default is not REQUIRED:
                out[column.name] = list(default) if isinstance(default, list) else default
            else:
                out[column.name] = _plain_value(column, self.anchor)
        return normalize_row(TABLES[table], out)


def _plain_value(column: sa.Column[Any], anchor: dt.datetime) -> Any:
    type_ = column.type
    if isinstance(type_, sa.Enum):
        return type_.enums[0]
    if isinstance(type_, sa.DateTime):
        return anchor - dt.timedelta(days=1)
    if isinstance(type_, sa.Boolean):
        return False
    if isinstance(type_, sa.JSON):
        return {}
    if isinstance(type_, sa.Numeric):
        return Decimal(0)
    if isinstance(type_, sa.Integer):
        return 0
    return f"app {column.name}"


@dataclass(frozen=True)
class ForeignKind:
    """A kind of row the app makes: ``build(world, pick, key)`` returns the rows to insert
    (table, row), with valid foreign keys chosen from ``world``, or [] when none can be made.
    Offered only when some enricher writes ``tables[0]``; ``key`` is unique per insert."""

    name: str
    tables: tuple[str, ...]
    build: Callable[[World, int, str], list[tuple[str, Row]]]


def _user(world: World, pick: int, key: str, role: str) -> Row:
    created = world.anchor - dt.timedelta(days=20 + pick % 200, hours=pick % 24)
    return world.row("User", id=key, email=f"{key}@example.org", firstName="App",
                     lastName=role.capitalize(), role=role, createdAt=created,
                     updatedAt=created, emailVerified=True, lastLoginAt=created)


def _client(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = _user(world, pick, key, "client")
    return [("User", user), ("Client", world.row(
        "Client", userId=key, city="Quezon City", country="Philippines",
        createdAt=user["createdAt"], updatedAt=user["createdAt"]))]


def _therapist(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = _user(world, pick, key, "therapist")
    approved = pick % 2 == 0
    areas = ["Anxiety", "Depression"]
    return [("User", user), ("Therapist", world.row(
        "Therapist", userId=key, mobile="+639170000000", province="Metro Manila",
        timezone="Asia/Manila", status="APPROVED" if approved else "PENDING",
        submissionDate=user["createdAt"], processingDate=user["createdAt"],
        providerType="Psychologist", professionalLicenseType="RPsy", isPRCLicensed="Yes",
        prcLicenseNumber=f"{pick % 10_000_000:07d}",
        expirationDateOfLicense=world.anchor + dt.timedelta(days=400),
        practiceStartDate=world.anchor - dt.timedelta(days=2000), licenseVerified=approved,
        licenseVerifiedAt=user["createdAt"] if approved else None, yearsOfExperience=5,
        areasOfExpertise=areas, expertise=areas, approaches=["CBT"], languages=["English"],
        languagesOffered=["English"], illnessSpecializations=areas, acceptTypes=["individual"],
        preferredSessionLength=[60], providedOnlineTherapyBefore=True,
        comfortableUsingVideoConferencing=True, compliesWithDataPrivacyAct=True,
        willingToAbideByPlatformGuidelines=True, treatmentSuccessRates={"Anxiety": 0.8},
        sessionLength="60 minutes", hourlyRate=Decimal("1500.00"),
        createdAt=user["createdAt"], updatedAt=user["createdAt"]))]


def _later(world: World, *moments: dt.datetime | None, minutes: int = 60) -> dt.datetime:
    start = max(m for m in moments if m is not None)
    return to_ms(min(start + dt.timedelta(minutes=minutes),
                     max(start + dt.timedelta(seconds=1), world.anchor - dt.timedelta(hours=1))))


def _members(world: World) -> list[Row]:
    roles = {"client": "Client", "therapist": "Therapist"}
    return [u for u in world.rows("User")
            if u["role"] in roles and world.get(roles[u["role"]], u["id"]) is not None]


def _membership(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = World.nth(_members(world), pick)
    if user is None:
        return []
    joined = {m["communityId"] for m in world.rows("Membership") if m["userId"] == user["id"]}
    community = World.nth([c for c in world.rows("Community") if c["id"] not in joined],
                          pick // 7)
    if community is None:
        return []
    return [("Membership", world.row(
        "Membership", id=key, userId=user["id"], communityId=community["id"],
        joinedAt=_later(world, user["createdAt"], community["createdAt"])))]


def _community_of_room(world: World, room: Row) -> str | None:
    group = world.get("RoomGroup", room["roomGroupId"])
    return None if group is None else str(group["communityId"])


def _post(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    members = {u["id"] for u in _members(world)}
    membership = World.nth([m for m in world.rows("Membership") if m["userId"] in members], pick)
    if membership is None:
        return []
    rooms = [r for r in world.rows("Room") if r["postingRole"] == "member"
             and _community_of_room(world, r) == membership["communityId"]]
    room = World.nth(rooms, pick // 5)
    if room is None:
        return []
    created = _later(world, membership["joinedAt"], minutes=90)
    return [("Post", world.row(
        "Post", id=key, title=f"A note from the app ({key})",
        content="Written in the Mentara app, not by the seeder.", userId=membership["userId"],
        roomId=room["id"], createdAt=created, updatedAt=created))]


def _comment(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    post = World.nth([p for p in world.rows("Post") if p["roomId"] is not None], pick)
    room = None if post is None else world.get("Room", post["roomId"])
    community = None if room is None else _community_of_room(world, room)
    if post is None or community is None:
        return []
    members = {u["id"] for u in _members(world)}
    mates = [m for m in world.rows("Membership") if m["communityId"] == community
             and m["userId"] != post["userId"] and m["userId"] in members]
    mate = World.nth(mates, pick // 3)
    if mate is None:
        return []
    created = _later(world, post["createdAt"], mate["joinedAt"], minutes=30)
    return [("Comment", world.row(
        "Comment", id=key, postId=post["id"], userId=mate["userId"],
        content="Thank you for sharing this.", createdAt=created, updatedAt=created))]


def _journal_entry(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    client = World.nth([u for u in _members(world) if u["role"] == "client"], pick)
    if client is None:
        return []
    created = _later(world, client["createdAt"], minutes=60 * 24)
    return [("JournalEntry", world.row(
        "JournalEntry", id=key, userId=client["id"], content="Slept better after the walk.",
        createdAt=created, updatedAt=created))]


def _meeting(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    pair = World.nth([r for r in world.rows("ClientTherapist") if r["status"] == "active"], pick)
    if pair is None:
        return []
    start = world.anchor + dt.timedelta(days=60 + pick % 30, hours=pick % 8)
    return [("Meeting", world.row(
        "Meeting", id=key, title="Session booked in the app", startTime=start,
        endTime=start + dt.timedelta(minutes=60), duration=60, status="SCHEDULED",
        meetingType="video", meetingUrl=f"https://meet.example.org/{key}",
        clientId=pair["clientId"], therapistId=pair["therapistId"],
        createdAt=world.anchor - dt.timedelta(days=1),
        updatedAt=world.anchor - dt.timedelta(days=1)))]


FOREIGN_KINDS: tuple[ForeignKind, ...] = (
    ForeignKind("client", ("User", "Client"), _client),
    ForeignKind("therapist", ("User", "Therapist"), _therapist),
    ForeignKind("membership", ("Membership",), _membership),
    ForeignKind("post", ("Post",), _post),
    ForeignKind("comment", ("Comment",), _comment),
    ForeignKind("journal-entry", ("JournalEntry",), _journal_entry),
    ForeignKind("meeting", ("Meeting",), _meeting),
)


def written_tables(registry: Registry) -> list[str]:
    """Tables some enricher of ``registry`` writes, parents first."""
    written = {t for e in registry for t in e.writes}
    return [t for t in table_order() if t in written]


def editable_columns(table: str) -> list[str]:
    """Columns a person might edit by hand: not keys, not foreign keys, not unique, not JSON."""
    t = TABLES[table]
    unique = {c.name for i in t.indexes if i.unique for c in i.columns}
    return [c.name for c in t.columns
            if not c.primary_key and not c.foreign_keys and c.name not in unique
            and not isinstance(c.type, sa.JSON)]


def starting_states(
    registry: Registry = REGISTRY,
    *,
    profiles: Sequence[str] = ("light",),
    seeds: Sequence[int] = (0, 1, 2),
    foreign_kinds: Sequence[ForeignKind] = FOREIGN_KINDS,
    max_steps: int = 3,
    min_foreign_inserts: int = 0,
) -> st.SearchStrategy[StartingState]:
    """Starting states over the tables ``registry`` writes, with at most ``max_steps`` steps
    of each sort. Everything shrinks toward the simplest: the first profile and seed, schema
    only, no step."""
    tables = written_tables(registry)
    kinds = [k for k in foreign_kinds if registry.writer_of(k.tables[0]) is not None]
    foreign_tables = sorted({t for k in kinds for t in k.tables}, key=table_order().index)
    with_columns = [t for t in tables if editable_columns(t)]
    index = st.integers(0, 500)

    def steps(item: st.SearchStrategy[Any], least: int = 0) -> st.SearchStrategy[tuple[Any, ...]]:
        return st.lists(item, min_size=least, max_size=max(least, max_steps)).map(tuple)

    edit = st.sampled_from(with_columns).flatmap(
        lambda t: st.builds(Edit, st.just(t), index, st.sampled_from(editable_columns(t))))
    return st.builds(
        StartingState,
        profile=st.sampled_from(list(profiles)),
        seed=st.sampled_from(list(seeds)),
        seeded_with=st.one_of(st.none(), st.sampled_from(list(profiles))),
        foreign_inserts=steps(st.builds(ForeignInsert, st.sampled_from([k.name for k in kinds]),
                                        index), min_foreign_inserts) if kinds else st.just(()),
        settled=st.booleans(),
        deletions=steps(st.builds(RowRef, st.sampled_from(tables), index)),
        edits=steps(edit) if with_columns else st.just(()),
        foreign_deletions=(steps(st.builds(RowRef, st.sampled_from(foreign_tables), index))
                           if foreign_tables else st.just(())),
    )


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


# -- assertions -----------------------------------------------------------------------------

def assert_idempotent(url: str, run: Run, registry: Registry = REGISTRY, *,
                      update: bool = False, prune: bool = False) -> None:
    """After one apply the plan is empty, and a second apply writes nothing at all."""
    apply(url, run, registry, update=update, prune=prune)
    again = plan(url, run, registry, update=update, prune=prune)
    if not again.is_empty():
        raise AssertionError(_not_idempotent(run, again, _command(prune=prune, update=update)))
    before = dump(url)
    outcome = apply(url, run, registry, update=update, prune=prune)
    after = dump(url)
    if outcome.applied is not None or after != before:
        raise AssertionError(f"Not idempotent ({run}): a second apply wrote to the database:\n"
                             + "\n".join(_dump_difference(before, after)))


def assert_convergent(url: str, run: Run, registry: Registry = REGISTRY, *,
                      update: bool = True, prune: bool = True) -> None:
    """One apply (by default ``--update --prune``) makes every minimum and rule hold."""
    apply(url, run, registry, update=update, prune=prune)
    found = verify(url, run, registry)
    if found:
        shown = "\n".join(f"  {v}" for v in found[:12])
        more = f"\n  … and {len(found) - 12} more" if len(found) > 12 else ""
        raise AssertionError(
            f"Not convergent ({run}): after one `{_command(prune=prune, update=update)}`, "
            f"verify reports {len(found)} rule(s) that do not hold:\n{shown}{more}")


def assert_deterministic(urls: str | Sequence[str], run: Run, registry: Registry = REGISTRY,
                         *, registry_ref: str | None = None) -> None:
    """The plan JSON made in this process equals, byte for byte, the plan a fresh Python
    process makes of every one of ``urls`` (the same state on several databases).
    ``registry_ref`` ("module:attribute") finds a custom registry in the fresh process; by
    default the kit looks for the module-level name the registry is bound to."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    ref = registry_ref if registry_ref is not None else _registry_ref(registry)
    local = plan_text(urls[0], run, registry)
    where = f"this process on {database.redact(urls[0])}"
    for url in urls:
        fresh = _plan_in_fresh_process(url, run, ref)
        if fresh != local:
            raise AssertionError(
                f"Not deterministic ({run}): the plan made in {where} and the plan made in a "
                f"fresh process on {database.redact(url)} differ:\n"
                + "\n".join(_plan_difference(local, fresh)) + f"\n{_HINT}" + _changed_sources())


def assert_foreign_rows_untouched(url: str, run: Run, registry: Registry = REGISTRY) -> None:
    """``seed apply``, ``seed apply --update --prune`` and ``seed destroy`` in turn: after each,
    every row the seeder does not own is still there with every value it had."""
    owned = ownership(url)
    foreign = {t: {pk: r for pk, r in rows.items() if pk not in owned.get(t, {})}
               for t, rows in snapshot(url).items()}
    for both, destroy in ((False, False), (True, False), (False, True)):
        plans: list[Plan] = []
        apply(url, run, registry, update=both, prune=both, destroy=destroy,
              on_plan=plans.append)
        now = snapshot(url)
        problems = [line for t, rows in foreign.items() for pk, row in sorted(rows.items())
                    for line in _foreign_problem(t, pk, row, now, plans)]
        if problems:
            command = _command(update=both, prune=both, destroy=destroy)
            raise AssertionError(f"A foreign row was touched by `{command}` ({run}):\n"
                                 + "\n".join(problems[:10]))


def assert_minimal_restore(url: str, run: Run, registry: Registry = REGISTRY, *,
                           table: str | None = None, row: int = 0) -> list[tuple[str, str]]:
    """In a database one apply converged, delete one desired owned row by hand (with the rows
    its foreign keys cascade to): the next plan re-creates exactly those rows with the same
    keys and values, and after the apply the database is as before. Returns the deleted
    (table, pk), [] when no row of ``table`` can be deleted without touching rows the seeder
    does not own or no longer wants."""
    apply(url, run, registry)
    baseline = plan(url, run, registry)
    if not baseline.is_empty():
        raise AssertionError(_not_idempotent(run, baseline))
    before, owned = snapshot(url), ownership(url)
    wanted = desired_rows(url, run, registry)
    gone = _delete_alone(url, before, owned, wanted, [table] if table else
                         written_tables(registry), row)
    if not gone:
        return []
    label = f"{gone[0][0]} {gone[0][1]}" + (f" (and {len(gone) - 1} row(s) its deletion "
                                            f"cascaded to)" if len(gone) > 1 else "")
    planned = plan(url, run, registry)
    problems = []
    for change in planned.changes:
        old = before.get(change.table, {}).get(change.pk)
        if change.action is not Action.CREATE or (change.table, change.pk) not in gone:
            problems.append(f"  {_describe_change(change)} (not a deleted row)")
        elif old is not None and change.values != old:
            problems += [f"  enricher '{change.enricher}' re-creates {change.table} {change.pk} "
                         f"with {c} {_short(change.values.get(c))} where it was {_short(old[c])}"
                         for c in old if change.values.get(c) != old[c]]
    missing = set(gone) - {(c.table, c.pk) for c in planned.changes}
    problems += [f"  {t} {pk} ({wanted[t][pk]}) is not re-created" for t, pk in sorted(missing)]
    if problems:
        raise AssertionError(f"Not minimal ({run}): after deleting {label} by hand, the plan "
                             "should re-create exactly what was deleted, as it was:\n"
                             + "\n".join(problems[:12]))
    apply(url, run, registry)
    after = snapshot(url)
    if after != before:
        raise AssertionError(f"Not minimal ({run}): after deleting {label} and applying, the "
                             "database differs from before:\n"
                             + "\n".join(_snapshot_difference(before, after)))
    return gone


def assert_ordered(url: str, run: Run, registry: Registry = REGISTRY, *,
                   other_profile: str | None = None) -> None:
    """Foreign keys are enforced immediately (nothing deferred), and every plan — an apply, an
    apply of another profile with ``--update --prune`` (creates, updates and deletes), a destroy
    — lists parents before children for creates and children first for deletes, and applies."""
    _check_immediate_foreign_keys(url)
    other = dataclasses.replace(run, profile=other_profile or
                                ("medium" if run.profile == "light" else "light"))
    for each, both, destroy in ((run, False, False), (other, True, False), (other, False, True)):
        live = snapshot(url)
        command = _command(update=both, prune=both, destroy=destroy)

        def check(planned: Plan, live: Snapshot = live, each: Run = each,
                  command: str = command) -> None:
            problems = _order_problems(planned, live)
            if problems:
                raise AssertionError(f"Out of order ({each}): the plan of `{command}` would "
                                     "break a foreign key:\n" + "\n".join(problems[:10]))

        apply(url, each, registry, update=both, prune=both, destroy=destroy, on_plan=check)


def assert_target_then_full_equals_full(url_targeted: str, url_full: str, run: Run,
                                        registry: Registry = REGISTRY, *, target: str) -> None:
    """Two copies of one state: ``apply --target X`` then ``apply`` on the first, ``apply`` on
    the second, end with the same rows."""
    apply(url_targeted, run, registry, targets=(target,))
    apply(url_targeted, run, registry)
    apply(url_full, run, registry)
    targeted, full = snapshot(url_targeted), snapshot(url_full)
    if targeted != full:
        raise AssertionError(
            f"`seed apply --target {target}` then `seed apply` ends elsewhere than `seed apply` "
            f"alone ({run}) (targeted first vs apply alone):\n"
            + "\n".join(_snapshot_difference(full, targeted)))


def assert_journal_consistent(url: str, run: Run, registry: Registry = REGISTRY, *,
                              update: bool = True, prune: bool = True) -> None:
    """After an apply: the ownership projection equals a replay of the journal's raw events,
    the apply's events are exactly its plan's changes, and every owned row not held back has
    the fingerprint the journal recorded."""
    plans: list[Plan] = []
    outcome = apply(url, run, registry, update=update, prune=prune, on_plan=plans.append)
    projection, replayed = ownership(url), _replayed(url)
    problems = _ownership_difference(replayed, projection, "replay", "projection")
    if outcome.applied is not None:
        with _connection(url) as conn:
            events = [(e.action, e.table, e.pk) for e in
                      journal.events_of(conn, outcome.applied.serial)]
        changes = [(c.action.value, c.table, c.pk) for c in plans[0].changes]
        if events != changes:
            problems.append(f"  the journal recorded {len(events)} event(s) for "
                            f"{len(changes)} applied change(s)")
    held = {(h.change.table, h.change.pk) for h in plans[0].held}
    live = snapshot(url)
    for table, rows in sorted(projection.items()):
        for pk, fp in sorted(rows.items()):
            row = live.get(table, {}).get(pk)
            if row is not None and (table, pk) not in held and fingerprint(row) != fp:
                problems.append(f"  owned {table} {pk} does not match its journal fingerprint")
    if problems:
        raise AssertionError(f"Journal inconsistent after `{_command(prune=prune, update=update)}`"
                             f" ({run}):\n" + "\n".join(problems[:12]))


def assert_undo_restores(url: str, run: Run, registry: Registry = REGISTRY, *,
                         update: bool = True, prune: bool = True,
                         check_ownership: bool = True) -> None:
    """An apply then ``seed undo`` leaves every row as it was before the apply and, with
    ``check_ownership``, the journal's ownership of every live row too (so the next plan is
    the plan that would have been made before: a row that was drifted stays drifted)."""
    rows_before, owned_before = snapshot(url), ownership(url)
    outcome = apply(url, run, registry, update=update, prune=prune)
    if outcome.applied is None:
        return
    undo(url, run)
    rows_after, owned_after = snapshot(url), ownership(url)
    if rows_after != rows_before:
        raise AssertionError(f"`seed undo` of `{_command(prune=prune, update=update)}` ({run}) "
                             "did not restore the rows as they were before the apply:\n"
                             + "\n".join(_snapshot_difference(rows_before, rows_after)))
    if not check_ownership:
        return
    lost = []
    for table, rows in sorted(rows_before.items()):
        for pk, row in sorted(rows.items()):
            was, now = owned_before.get(table, {}).get(pk), owned_after.get(table, {}).get(pk)
            if was == now:
                continue
            drifted = was is not None and fingerprint(row) != was
            why = (" (it had been edited outside seed: the journal now records that edit as "
                   "seed's own, so the next `seed apply` overwrites it instead of holding it "
                   "as drift)") if drifted else ""
            lost.append(f"  {table} {pk}: last-applied fingerprint {was} before the apply, "
                        f"{now} after undo{why}")
    if lost:
        raise AssertionError(f"`seed undo` of `{_command(prune=prune, update=update)}` ({run}) "
                             "restored the rows but not the journal's ownership of them:\n"
                             + "\n".join(lost[:10]))


def assert_counts_foreign_rows(url: str, run: Run, registry: Registry, enricher: str, *,
                               row: int = 0) -> tuple[str, str] | None:
    """Foreign rows count toward an enricher's minimums: replace one of its rows (a leaf) by a
    foreign twin (the same values under the app's own key) and ``apply --update --prune``;
    the enricher must then want one row fewer, and the twin stays as it is. Returns the
    replaced (table, pk), or None when the enricher has no row that can be replaced."""
    apply(url, run, registry, update=True, prune=True)
    live, owned = snapshot(url), ownership(url)
    origin = desired_rows(url, run, registry, prune=True)
    candidates = [(t, pk) for t in registry[enricher].writes if _twinnable(t)
                  for pk in sorted(origin.get(t, {}))
                  if origin[t][pk] == enricher and pk in owned.get(t, {}) and pk in live[t]
                  and not _references_to(live, t, live[t][pk])]
    if not candidates:
        return None
    table, pk = candidates[row % len(candidates)]
    t = TABLES[table]
    twin = {**live[table][pk], pk_name(t): "app-twin-" + hashlib.sha256(pk.encode()).hexdigest()
            [:16]}
    with _connection(url) as conn:
        conn.execute(t.delete().where(t.c[pk_name(t)] == pk))
        conn.execute(t.insert(), [twin])
    before = sum(1 for e in origin.get(table, {}).values() if e == enricher)
    apply(url, run, registry, update=True, prune=True)
    after_origin = desired_rows(url, run, registry, prune=True).get(table, {})
    after = sum(1 for e in after_origin.values() if e == enricher)
    if after >= before:
        again = " and re-creates it" if after_origin.get(pk) == enricher else ""
        raise AssertionError(
            f"Enricher '{enricher}' ignores foreign rows ({run}): {table} {pk} was replaced by "
            f"a foreign twin {twin[pk_name(t)]} (the same values, made by the app), yet "
            f"'{enricher}' still wants {after} {table} row(s) where it wanted {before}{again}. "
            "A foreign row must count toward the minimum: count ctx.foreign(...) or "
            "ctx.group(..., foreign=True) before filling the gap.")
    if snapshot(url)[table].get(twin[pk_name(t)]) != twin:
        raise AssertionError(f"The foreign twin {table} {twin[pk_name(t)]} was changed or "
                             f"deleted ({run}).")
    return table, pk


# -- diagnostics ----------------------------------------------------------------------------

def _not_idempotent(run: Run, again: Plan, command: str = "seed apply") -> str:
    return (f"Not idempotent ({run}): right after `{command}` the next plan still has "
            f"{len(again.changes)} change(s), so every apply rewrites them:\n"
            + "\n".join(_by_enricher(again.changes)) + f"\n{_HINT}")


def _short(value: Any, width: int = 60) -> str:
    text = value.isoformat(timespec="milliseconds") if isinstance(value, dt.datetime) \
        else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _describe_change(change: Change) -> str:
    who = f"enricher '{change.enricher}'"
    if change.action is Action.UPDATE:
        columns = ", ".join(f"{c} {_short(change.before.get(c))} -> {_short(v)}"
                            for c, v in change.values.items())
        return f"{who} updates {change.table} {change.pk}: {columns}"
    verb = "creates" if change.action is Action.CREATE else "deletes"
    return f"{who} {verb} {change.table} {change.pk}"


def _by_enricher(changes: Sequence[Change], per: int = 3) -> list[str]:
    groups: dict[tuple[str, str, str], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.enricher, c.action.value, c.table), []).append(c)
    lines = []
    for (name, action, table), group in sorted(groups.items()):
        columns = sorted({col for c in group for col in c.values}) if action == "update" else []
        on = f" (columns {', '.join(columns)})" if columns else ""
        lines.append(f"  enricher '{name}': {len(group)} {action}(s) of {table}{on}, e.g.")
        lines += [f"    {_describe_change(c)}" for c in group[:per]]
    return lines


def _plan_difference(local: str, fresh: str) -> list[str]:
    """The header fields and changes (matched by action, table and key) two plans disagree on,
    "this" being the plan made in this process and "fresh" the other."""
    a, b = json.loads(local), json.loads(fresh)
    lines = [f"  header {k}: {_short(a.get(k))} (this) vs {_short(b.get(k))} (fresh)"
             for k in sorted(set(a) | set(b))
             if k not in ("changes", "held", "changes_hash", "counts") and a.get(k) != b.get(k)]

    def keyed(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
        return {(c["action"], c["table"], c["pk"]): c for c in doc["changes"]}

    mine, theirs = keyed(a), keyed(b)
    found = []
    for key in sorted(set(mine) | set(theirs)):
        x, y = mine.get(key), theirs.get(key)
        c = x or y
        assert c is not None
        who = f"enricher '{c['enricher']}' {c['action']}s {c['table']} {c['pk']}"
        if x is None or y is None:
            values = ", ".join(f"{k} {_short(v, 40)}" for k, v in sorted(c.get("values", {})
                                                                          .items())[:3])
            found.append(f"  only in {'this' if y is None else 'the fresh'} process's plan: {who}"
                         + (f" ({values})" if values else ""))
            continue
        xv, yv = x.get("values", {}), y.get("values", {})
        columns = [f"{column} {_short(xv.get(column), 40)} (this) vs "
                   f"{_short(yv.get(column), 40)} (fresh)"
                   for column in sorted(set(xv) | set(yv)) if xv.get(column) != yv.get(column)]
        if columns:
            found.append(f"  {who}: " + "; ".join(columns))
    if len(found) > 8:
        found = found[:8] + [f"  … {len(found) - 8} more difference(s)"]
    if a["changes"] != b["changes"] and not found:
        found = ["  the same changes in another order"]
    return lines + found or ["  (the documents differ only in formatting)"]


def _snapshot_difference(a: Snapshot, b: Snapshot, limit: int = 10) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = a.get(table, {}), b.get(table, {})
        for pk in sorted(set(left) | set(right)):
            x, y = left.get(pk), right.get(pk)
            if x == y:
                continue
            if x is None:
                lines.append(f"  + {table} {pk} appeared")
            elif y is None:
                lines.append(f"  - {table} {pk} disappeared")
            else:
                lines += [f"  ~ {table} {pk} {c}: {_short(x[c])} -> {_short(y[c])}"
                          for c in x if x[c] != y.get(c)]
    more = [f"  … {len(lines) - limit} more"] if len(lines) > limit else []
    return lines[:limit] + more


def _dump_difference(a: dict[str, list[str]], b: dict[str, list[str]]) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        added = Counter(b.get(table, [])) - Counter(a.get(table, []))
        removed = Counter(a.get(table, [])) - Counter(b.get(table, []))
        if added or removed:
            lines.append(f"  {table}: {sum(added.values())} row(s) added or changed, "
                         f"{sum(removed.values())} removed or changed")
    return lines


def _ownership_difference(a: Mapping[str, Mapping[str, str]], b: Mapping[str, Mapping[str, str]],
                          a_label: str, b_label: str) -> list[str]:
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = a.get(table, {}), b.get(table, {})
        for pk in sorted(set(left) | set(right)):
            if left.get(pk) != right.get(pk):
                lines.append(f"  {table} {pk}: fingerprint {left.get(pk)} ({a_label}) vs "
                             f"{right.get(pk)} ({b_label})")
    return lines


def _foreign_problem(table: str, pk: str, row: Row, now: Snapshot, plans: list[Plan],
                     ) -> list[str]:
    live = now.get(table, {}).get(pk)
    if live == row:
        return []
    culprit = next((c for p in plans for c in p.changes if (c.table, c.pk) == (table, pk)),
                   None)
    by = f" by: {_describe_change(culprit)}" if culprit else ""
    if live is None:
        cascade = next((c for p in plans for c in p.changes if c.action is Action.DELETE
                        for col, parent, _ in _fks(table)
                        if parent == c.table and row[col] == c.pk), None)
        if cascade is not None and not by:
            by = f" by a cascade from: {_describe_change(cascade)}"
        return [f"  foreign {table} {pk} was deleted{by}"]
    return [f"  foreign {table} {pk} {c}: {_short(row[c])} -> {_short(live[c])}{by}"
            for c in row if row[c] != live[c]]


def _fks(table: str) -> list[tuple[str, str, str]]:
    return sorted((fk.parent.name, fk.column.table.name, fk.column.name)
                  for fk in TABLES[table].foreign_keys)


@cache
def _children() -> dict[str, list[tuple[str, str, str, str | None]]]:
    """parent table -> (child table, child column, parent column, ON DELETE rule)."""
    out: dict[str, list[tuple[str, str, str, str | None]]] = {}
    for child in TABLES.values():
        for fk in child.foreign_keys:
            out.setdefault(fk.column.table.name, []).append(
                (child.name, fk.parent.name, fk.column.name, fk.ondelete))
    return out


def _references_to(live: Snapshot, table: str, row: Row) -> list[tuple[str, str, str | None]]:
    """(child table, child pk, ON DELETE rule) of the live rows that reference ``row``."""
    out = []
    for child, column, parent_column, rule in _children().get(table, []):
        child_pk = pk_name(TABLES[child])
        out += [(child, r[child_pk], rule) for r in live.get(child, {}).values()
                if r[column] is not None and r[column] == row[parent_column]
                and not (child == table and r[child_pk] == row[pk_name(TABLES[table])])]
    return out


def _cascade(live: Snapshot, table: str, pk: str) -> list[tuple[str, str]] | None:
    """The rows deleting ``table pk`` removes (itself first), or None when the delete would
    null out or be refused by another row."""
    gone: list[tuple[str, str]] = []
    todo = [(table, pk)]
    while todo:
        item = todo.pop()
        if item in gone:
            continue
        gone.append(item)
        for child, child_pk, rule in _references_to(live, item[0], live[item[0]][item[1]]):
            if (rule or "").upper() != "CASCADE":
                return None
            todo.append((child, child_pk))
    return gone


def _delete_alone(url: str, live: Snapshot, owned: Mapping[str, Mapping[str, str]],
                  wanted: Mapping[str, Mapping[str, str]], tables: Sequence[str], row: int,
                  ) -> list[tuple[str, str]]:
    """Delete the first row from the ``row``-th on whose deletion removes only owned,
    undrifted, desired rows; return what went."""
    for table in tables:
        keys = sorted(pk for pk in owned.get(table, {})
                      if pk in live.get(table, {}) and pk in wanted.get(table, {}))
        for k in range(len(keys)):
            pk = keys[(row + k) % len(keys)]
            gone = _cascade(live, table, pk)
            if gone and all(fingerprint(live[t][p]) == owned.get(t, {}).get(p)
                            and p in wanted.get(t, {}) for t, p in gone):
                t = TABLES[table]
                with _connection(url) as conn:
                    conn.execute(t.delete().where(t.c[pk_name(t)] == pk))
                return gone
    return []


def _twinnable(table: str) -> bool:
    return not TABLES[table].c[pk_name(TABLES[table])].foreign_keys


def _order_problems(planned: Plan, live: Snapshot) -> list[str]:
    """Walk the plan over a copy of the live rows with every foreign key checked at once."""
    rows = {t: dict(r) for t, r in live.items()}
    index: dict[tuple[str, str], Counter[Any]] = {}
    children = _children()

    def values(table: str, column: str) -> Counter[Any]:
        if (table, column) not in index:
            index[(table, column)] = Counter(r[column] for r in rows.get(table, {}).values())
        return index[(table, column)]

    def move(table: str, old: Row | None, new: Row | None) -> None:
        for (t, column), counter in index.items():
            if t == table:
                if old is not None:
                    counter[old[column]] -= 1
                if new is not None:
                    counter[new[column]] += 1

    problems = []
    for n, change in enumerate(planned.changes, 1):
        table = rows.setdefault(change.table, {})
        old = table.get(change.pk)
        if change.action is Action.DELETE:
            if old is None:
                problems.append(f"  change #{n}: {_describe_change(change)}, which is not there")
                continue
            move(change.table, old, None)
            del table[change.pk]
            for child, column, parent_column, _ in children.get(change.table, []):
                if values(child, column)[old[parent_column]] > 0:
                    problems.append(f"  change #{n}: {_describe_change(change)} while a "
                                    f"{child} row still references it (children go first)")
            continue
        new = dict(change.values) if change.action is Action.CREATE else {**(old or {}),
                                                                           **change.values}
        move(change.table, old, new)
        table[change.pk] = new
        for column, parent, parent_column in _fks(change.table):
            if column in change.values and new[column] is not None \
                    and values(parent, parent_column)[new[column]] <= 0:
                later = next((m for m, c in enumerate(planned.changes, 1) if m > n
                              and c.table == parent and c.action is Action.CREATE
                              and c.values.get(parent_column) == new[column]), None)
                when = f" (created only at change #{later})" if later else ""
                problems.append(f"  change #{n}: {_describe_change(change)} with {column} = "
                                f"{new[column]!r}, no such {parent} yet{when}")
    return problems


def _check_immediate_foreign_keys(url: str) -> None:
    with _connection(url) as conn:
        if conn.dialect.name == "sqlite":
            on = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            deferred = conn.exec_driver_sql("PRAGMA defer_foreign_keys").scalar()
            if on != 1 or deferred != 0:
                raise AssertionError(f"SQLite foreign keys are not enforced immediately "
                                     f"(foreign_keys={on}, defer_foreign_keys={deferred}).")
            return
        deferrable = conn.exec_driver_sql(
            "SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint "
            "WHERE contype = 'f' AND (condeferrable OR condeferred)").scalars().all()
        if deferrable:
            raise AssertionError(f"Deferrable foreign keys: {', '.join(sorted(deferrable))}; "
                                 "every plan must apply with constraints checked at once.")


def _refusals(planned: Plan, live: Snapshot, owned: Mapping[str, Mapping[str, str]],
              ) -> list[str]:
    """Why the database would refuse ``planned``: unique keys taken, parents missing."""
    seen: dict[tuple[str, str], dict[tuple[Any, ...], str]] = {}
    lines = []
    deleted = {(c.table, c.pk) for c in planned.changes if c.action is Action.DELETE}
    for change in planned.changes:
        if change.action is not Action.CREATE:
            continue
        t = TABLES[change.table]
        for idx in sorted((i for i in t.indexes if i.unique), key=lambda i: str(i.name)):
            columns = [c.name for c in idx.columns]
            key = tuple(change.values[c] for c in columns)
            if None in key or columns == [pk_name(t)]:
                continue
            holders = seen.setdefault((change.table, str(idx.name)), {
                tuple(r[c] for c in columns): _owner(change.table, pk, owned)
                for pk, r in live.get(change.table, {}).items()
                if (change.table, pk) not in deleted})
            if key in holders:
                lines.append(f"  enricher '{change.enricher}' creates {change.table} "
                             f"{change.pk} with {', '.join(columns)} = "
                             f"{', '.join(_short(v) for v in key)}, which {holders[key]} already "
                             f"has (unique index {idx.name})")
            holders[key] = f"{change.table} {change.pk} (enricher '{change.enricher}')"
    return lines[:8]


def _owner(table: str, pk: str, owned: Mapping[str, Mapping[str, str]]) -> str:
    return f"{table} {pk} ({'an owned' if pk in owned.get(table, {}) else 'a foreign'} row)"


# -- the fresh process ----------------------------------------------------------------------

def _registry_ref(registry: Registry) -> str:
    """"module:attribute" of a module-level name bound to ``registry`` ("" for REGISTRY)."""
    if registry is REGISTRY:
        return ""
    for name, module in sorted(sys.modules.copy().items()):
        if name == "__main__" or module is None:
            continue
        try:
            names = sorted(vars(module).copy().items(), key=lambda item: item[0])
        except TypeError:
            continue
        for attribute, value in names:
            if value is registry:
                return f"{name}:{attribute}"
    raise AssertionError(
        "assert_deterministic plans in a fresh Python process, which must import your "
        "registry: bind it to a module-level name in an importable module (e.g. "
        "myproject/seeding.py: `REGISTRY = base.copy()` plus your @enricher(..., "
        "registry=REGISTRY)), or pass registry_ref='module:attribute'.")


def _resolve_registry(ref: str) -> Registry:
    if not ref:
        return REGISTRY
    import importlib

    module, _, attribute = ref.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    assert isinstance(found, Registry), f"{ref} is not a Registry"
    return found


_CHILD = ("import sys; from mentara_seed.enrichers.testing import _child_main; "
          "raise SystemExit(_child_main(sys.argv[1:]))")


def _plan_in_fresh_process(url: str, run: Run, ref: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
               PYTHONHASHSEED="random")
    done = subprocess.run([sys.executable, "-c", _CHILD, url, run.to_json(), ref],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise AssertionError(f"Planning in a fresh process failed (registry "
                             f"{ref or 'REGISTRY'}, {database.redact(url)}):\n{tail}")
    return done.stdout


_LOADED_AT = time.time()


def _changed_sources() -> str:
    """A note naming loaded source files edited since this process loaded the kit: a fresh
    process runs their new code, which is no determinism bug."""
    files = [getattr(m, "__file__", None) for name, m in sys.modules.copy().items()
             if name.startswith("mentara_seed")]
    changed = sorted(f for f in files if isinstance(f, str) and os.path.exists(f)
                     and os.path.getmtime(f) > _LOADED_AT)
    if not changed:
        return ""
    return ("\nNote: these files changed on disk after this process loaded them, so the fresh "
            "process ran other code: " + ", ".join(changed))


def _child_main(argv: list[str]) -> int:
    url, run_json, ref = argv
    sys.stdout.write(plan_text(url, Run.from_json(run_json), _resolve_registry(ref)))
    return 0


# -- hypothesis profiles --------------------------------------------------------------------

def register_profiles(ci_examples: int = 6, slow_examples: int = 150) -> str:
    """Register three hypothesis profiles and load the one SEED_HYPOTHESIS_PROFILE names ("ci"
    by default); return its name. "ci": few examples, derandomized (every run tries the same
    ones) and no shrinking, so a failure costs seconds, not minutes — it reports the starting
    state as generated, already small. "dev": the same examples, shrunk to the simplest state
    that still fails. "slow": many random examples, shrunk (nightly)."""
    quiet = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
             HealthCheck.data_too_large, HealthCheck.filter_too_much]
    common: dict[str, Any] = {"deadline": None, "suppress_health_check": quiet,
                              "print_blob": True}
    settings.register_profile("ci", max_examples=ci_examples, derandomize=True,
                              database=None, phases=[Phase.explicit, Phase.generate], **common)
    settings.register_profile("dev", max_examples=ci_examples, derandomize=True,
                              database=None, **common)
    settings.register_profile("slow", max_examples=slow_examples, **common)
    chosen = os.environ.get(PROFILE_ENV, "ci")
    settings.load_profile(chosen)
    return chosen
