"""The operations behind the commands: each opens the database, calls the planner, the applier
or the journal, and returns plain results for a view to render. No printing here."""

from __future__ import annotations

import datetime as dt
import difflib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sqlalchemy as sa
from pydantic import ValidationError

from mentara_seed import __version__, database
from mentara_seed.applier import lock
from mentara_seed.cli import guard
from mentara_seed.cli.settings import Settings, remember
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.errors import (
    ApplyError,
    BrokenStateError,
    ConfigError,
    SchemaMissingError,
    SeedError,
    UsageError,
)
from mentara_seed.planner import remembered, shortcut
from mentara_seed.planner.build import (
    PlanRequest,
    PlanResult,
    build_plan,
    default_anchor,
    resolve_minimums,
    snapshot_tables,
)
from mentara_seed.planner.order import table_order
from mentara_seed.planner.plan import Action, Plan, PlanHeader
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.planner.targets import select
from mentara_seed.planner.verify import introduced
from mentara_seed.planner.verify import verify as verify_minimums
from mentara_seed.schema import ddl
from mentara_seed.schema.tables import TABLES, metadata
from mentara_seed.state import journal
from mentara_seed.state.journal import AppliedSettings, ApplyRecord, JournalState

if TYPE_CHECKING:  # the applier is imported by the commands that write
    from mentara_seed.applier.execute import Applied, Progress


@dataclass(frozen=True)
class Options:
    """What a command line asks of one run, beyond the settings."""

    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    prune: bool = False
    update: bool = False
    destroy: bool = False
    init: bool = False


@dataclass
class ApplyOutcome:
    # The plan's header, selection and journal head; its changes are dropped once written
    # (``Applied.counts`` says what was written).
    planned: PlanResult
    applied: Applied | None
    violations: list[Violation] = field(default_factory=list)
    verified: bool = False
    # When the database was found in a state verified before: the journal serial then.
    verified_before: int | None = None
    seconds: float = 0.0
    initialized: bool = False


def _check_minimums(settings: Settings, registry: Registry) -> None:
    for name, overrides in settings.minimums.items():
        if name not in registry:
            close = difflib.get_close_matches(name, registry.names(), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ConfigError(f"Invalid configuration: [minimums.{name}] names no enricher.{hint}")
        try:
            registry[name].minimums.resolve(settings.profile, settings.scale, overrides)
        except ValidationError as err:
            lines = [f"Invalid configuration in [minimums.{name}]:"]
            for e in err.errors():
                key = ".".join(str(p) for p in e["loc"])
                got = "" if "password" in key else f" (got {e.get('input')!r})"
                lines.append(f"  minimums.{name}.{key}: {e['msg']}{got}")
            raise ConfigError("\n".join(lines)) from err


def request(settings: Settings, options: Options, registry: Registry = REGISTRY,
            origin: remembered.SettingsOrigin | None = None) -> PlanRequest:
    """The plan request of ``settings`` (the journal's layer applied, when ``origin`` says
    where they came from: then the minimums the last apply left in force are kept)."""
    _check_minimums(settings, registry)
    anchor = (dt.datetime.combine(settings.anchor, dt.time()) if settings.anchor else None)
    origin = origin or remembered.SettingsOrigin()
    renewing = remembered.renewed(select(registry, options.targets, options.excludes),
                                  options.prune, options.destroy)
    return PlanRequest(
        profile=settings.profile,
        project_seed=settings.seed,
        scale=settings.scale,
        minimums=settings.minimums,
        targets=options.targets,
        excludes=options.excludes,
        anchor=anchor,
        update_drifted=options.update,
        prune=options.prune,
        destroy=options.destroy,
        password_cost=settings.password_cost,
        reuse=not settings.full,
        jobs=settings.jobs,
        kept=remembered.kept_minimums(registry, settings.profile, settings.scale,
                                      settings.minimums, origin.previous, renewing),
        origin=origin,
    )


def _remembered(conn: sa.Connection, settings: Settings, options: Options,
                registry: Registry) -> tuple[PlanRequest, AppliedSettings | None]:
    """The request with the journal's layer of the settings applied (``settings.remember``),
    and the last apply's settings it was taken from."""
    applied = journal.applied_settings(conn)
    resolved, origin = remember(settings, applied, registry.names())
    return request(resolved, options, registry, origin), applied


def _guard(settings: Settings) -> None:
    if not settings.allow_any_database:
        guard.require_development(settings.database_url, settings.allowed_hosts,
                                  settings.allowed_databases)


def _engine(settings: Settings) -> sa.Engine:
    return database.open_engine(settings.database_url, lock_timeout=settings.lock_timeout)


@contextmanager
def _writing(
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


def _is_embedded_default(settings: Settings) -> bool:
    return settings.database_url == database.DEFAULT_URL


def _create_schema(conn: sa.Connection, *, for_load: bool = False) -> ddl.Finish | None:
    """Create the Mentara schema and the journal on an empty database; None if the schema was
    there. Else what finishes the schema: with ``for_load`` its indexes and foreign keys, to be
    added once the rows are in (see ``schema.ddl``); without, nothing."""
    problems = database.missing_schema(conn, list(TABLES.values()))
    if not problems:
        journal.create(conn)
        return None
    missing_tables = [p for p in problems if p.startswith("missing table")]
    if len(missing_tables) == len(problems) and journal.read(conn).initialized:
        # A schema `seed init` made, that a newer seeder has more tables for (a pull request
        # that adds one): the tables it lacks are added; the others are as expected.
        return ddl.create(conn)
    if len(missing_tables) != len(TABLES):
        raise SchemaMissingError(
            f"The database has {len(TABLES) - len(missing_tables)} of the {len(TABLES)} Mentara "
            "tables, but not all of them (or not as the seeder expects): `seed init` creates the "
            "schema on an empty database, and adds tables only to a schema it created. Migrate "
            "it with the app, or use an empty one. "
            "Differences: " + "; ".join(problems[:8])
            + (f" and {len(problems) - 8} more" if len(problems) > 8 else "")
        )
    finish = ddl.create_for_load(conn) if for_load else ddl.create(conn)
    journal.create(conn)
    state = journal.read(conn)
    journal.append(conn, state, kind="init", events=[], header={}, counts={})
    return finish


def init(settings: Settings) -> bool:
    """``seed init``: the schema on an empty database. Returns whether anything was created."""
    _guard(settings)
    engine = _engine(settings)
    # Under the apply lock: concurrent `seed init`s create the schema once (the others then
    # find it), instead of racing on CREATE TYPE.
    with _writing(engine, settings, None) as conn:
        return _create_schema(conn) is not None


def plan(settings: Settings, options: Options, registry: Registry = REGISTRY,
         on_step: Callable[[str], None] | None = None) -> PlanResult:
    _check_minimums(settings, registry)  # a configuration error before anything is opened
    engine = _engine(settings)
    _no_default_database_yet(settings)
    with _reading(engine) as conn:
        req, _ = _remembered(conn, settings, options, registry)
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        return build_plan(conn, req, registry, on_step)


@contextmanager
def _reading(engine: sa.Engine, *, consistent: bool = False) -> Iterator[sa.Connection]:
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


def _no_default_database_yet(settings: Settings) -> None:
    """Refuse a SQLite file that does not exist: connecting would create an empty one, and a
    command that reads (or destroys) must not leave a file behind."""
    path = database.sqlite_file(settings.database_url)
    if path is None or path.exists():
        return
    if _is_embedded_default(settings):
        raise SchemaMissingError(
            "There is no seed.db here yet. `seed apply` creates it (schema included) and seeds "
            "it; `seed init` creates only the schema."
        )
    raise SchemaMissingError(
        f"There is no database file {path}; nothing was created. Check the path in "
        "--database-url, or create and seed it with `seed apply --init` (`seed init` creates "
        "only the schema)."
    )


def _needed_tables(req: PlanRequest, registry: Registry) -> list[sa.Table]:
    names = select(registry, req.targets, req.excludes).order
    return [TABLES[t] for n in names for t in registry[n].writes]


def apply(
    settings: Settings,
    options: Options,
    registry: Registry = REGISTRY,
    *,
    on_plan: Callable[[PlanResult], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    on_init: Callable[[], None] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> ApplyOutcome:
    """Plan and apply in one transaction under the lock, and verify the state it leaves before
    it commits (unless skipped): an apply that would break the seeder's own rules is rolled
    back (``BrokenStateError``)."""
    _guard(settings)
    _check_minimums(settings, registry)
    engine = _engine(settings)
    started = time.perf_counter()
    finish: ddl.Finish | None = None
    if options.destroy or not (options.init or _is_embedded_default(settings)):
        _no_default_database_yet(settings)
    with _writing(engine, settings, on_wait) as conn:
        if not options.destroy and (options.init or _is_embedded_default(settings)):
            # Indexes and foreign keys come after the rows (see schema.ddl).
            finish = _create_schema(conn, for_load=True)
            if finish is not None and on_init is not None:
                on_init()
        req, applied_before = _remembered(conn, settings, options, registry)
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        if not options.destroy:  # destroy writes nothing where the seeder owns nothing
            journal.create(conn)  # a database the app migrated has no journal yet
        planned = build_plan(conn, req, registry, on_step)
        if on_plan is not None:
            on_plan(planned)
        check = _Check.start(conn, settings, options, planned)
        applied = None
        serial = planned.journal.serial
        if not planned.plan.is_empty():
            from mentara_seed.applier.execute import execute

            applied = execute(conn, planned.plan, planned.journal, progress=progress,
                              kind="destroy" if options.destroy else "apply",
                              jobs=settings.jobs)
            serial = applied.serial
        elif _key_moved(planned) or (not options.destroy
                                     and _settings_moved(planned, applied_before)):
            # Nothing to write, but the state key is new (another version of the tool found
            # the same data) or the settings are: record them, so that the next plan can take
            # the shortcut again and remembers these settings.
            serial = journal.append(conn, planned.journal, kind="apply", events=[],
                                    header=planned.plan.header_json(), counts={})
        if finish is not None:
            if progress is not None:
                progress("indexes and foreign keys", 0)
            finish()
        # Written and journaled: the outcome keeps the plan's header, not its changes (on_plan
        # saw them all), so that a large apply does not hold every row while it is verified.
        written = replace(planned, plan=replace(planned.plan, changes=(), held=()), live=None)
        owned = applied.owned if applied is not None else planned.journal.owned
        del planned
        outcome = ApplyOutcome(written, applied, initialized=finish is not None)
        if check is not None:
            outcome.verified = True
            outcome.verified_before = check.already
            if check.already is None:
                outcome.violations = check.finish(conn, registry, owned, serial)
    outcome.seconds = time.perf_counter() - started
    return outcome


@dataclass
class _Check:
    """Verifying the state an apply leaves inside its transaction, before it commits: what is
    known of it from the plan (the tables it does not write, as read under the lock), the rows
    it started from (to tell the rules it breaks from those broken before) or, when the plan
    did not read them all, the keys it writes."""

    settings: Settings
    options: Options
    header: PlanResult  # the plan's header and selection, without its changes
    unwritten: LiveState | None
    before: LiveState | None
    writes: set[str]
    already: int | None

    @classmethod
    def start(cls, conn: sa.Connection, settings: Settings, options: Options,
              planned: PlanResult) -> _Check | None:
        if settings.skip_verify or options.destroy:
            return None
        plan = planned.plan
        writes = set() if planned.live is not None else {
            c.pk for c in plan.changes if c.action is not Action.DELETE}
        header = replace(planned, plan=replace(plan, changes=(), held=()), live=None)
        return cls(settings, options, header, _unwritten(planned), planned.live, writes,
                   _verified_before(conn, planned))

    def finish(self, conn: sa.Connection, registry: Registry,
               owned: dict[str, dict[str, str]], serial: int) -> list[Violation]:
        """The violations of the state the apply leaves; ``BrokenStateError`` (the caller's
        transaction rolls back) when the apply broke a rule with the seeder's own rows."""
        # The minimums and enrichers the plan was made with (the settings in force there).
        enrichers = [registry[n] for n in self.header.selection.order]
        minimums = self.header.minimums
        anchor = dt.datetime.fromisoformat(self.header.plan.header.anchor)
        excused = {(w.enricher, w.entity) for w in self.header.plan.warnings}
        found, checked = verify_minimums(conn, enrichers, minimums, registry,
                                         live=self.unwritten, owned=owned,
                                         jobs=self.settings.jobs, anchor=anchor,
                                         excused=excused)
        broken = introduced(found, enrichers, minimums, registry, self.before, self.writes,
                            jobs=self.settings.jobs, anchor=anchor)
        if broken:
            raise BrokenStateError(_broken_message(broken))
        if not found:
            _record_verified(conn, self.header, serial, checked, owned, registry)
        return found


def _broken_message(broken: list[Violation]) -> str:
    shown = "\n".join(f"  ✗ {v}" for v in broken[:20])
    more = f"\n  … and {len(broken) - 20} more" if len(broken) > 20 else ""
    return (f"The apply would have left {len(broken)} rule(s) broken by rows the seeder "
            "writes, so nothing was written (the transaction was rolled back). This is a bug "
            "in mentara-seed or in an enricher: please report it with the plan "
            "(`seed plan --format json`). To write the data anyway and check it afterwards, "
            f"set SEED_SKIP_VERIFY=true.\n{shown}{more}")


def _unwritten(planned: PlanResult) -> LiveState | None:
    """The plan's snapshot of the tables its changes leave alone. None when it deletes: the
    schema's cascades reach tables the plan does not name."""
    if planned.live is None or any(c.action is Action.DELETE for c in planned.plan.changes):
        return None
    return planned.live.without({c.table for c in planned.plan.changes})


def _verified_before(conn: sa.Connection, planned: PlanResult) -> int | None:
    """When the apply leaves the database in a state whose verification found every minimum
    holding (the journal serial then): the plan changed nothing or only made deleted owned
    rows again, with the state key of such a verification."""
    header = planned.plan.header
    if not (header.reused or header.restored) or header.state_key is None:
        return None
    return journal.verified(conn, header.state_key)


def _key_moved(planned: PlanResult) -> bool:
    key = planned.plan.header.state_key
    return key is not None and key != planned.journal.state_key


def _settings_moved(planned: PlanResult, before: AppliedSettings | None) -> bool:
    """Whether the plan's settings are not the ones the journal's last apply recorded."""
    doc = planned.plan.header.request
    if before is None:
        return True
    return (doc["profile"], doc["project_seed"], doc["scale"], doc["minimums"],
            doc.get("kept", {})) != (before.profile, before.project_seed, before.scale,
                                     before.minimums, before.kept)


def verify(
    settings: Settings,
    options: Options,
    registry: Registry = REGISTRY,
) -> list[Violation]:
    """``seed verify``: check the minimums and rules on the database as it is now, against the
    minimums in force (the settings with the journal's layer, ``settings.remember``)."""
    _check_minimums(settings, registry)
    selection = select(registry, options.targets, options.excludes)
    enrichers = [registry[n] for n in selection.order]
    engine = _engine(settings)
    _no_default_database_yet(settings)
    with _reading(engine, consistent=True) as conn:
        req = _remembered(conn, settings, options, registry)[0]
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        anchor = dt.datetime.combine(settings.anchor, dt.time()) if settings.anchor else None
        return verify_minimums(conn, enrichers, resolve_minimums(enrichers, req), registry,
                               jobs=settings.jobs, anchor=anchor)[0]


def _record_verified(conn: sa.Connection, made: PlanResult, serial: int, checked: LiveState,
                     owned: dict[str, dict[str, str]], registry: Registry) -> None:
    """Record the apply's state as verified when the rows just checked are in it: the foreign
    rows of the tables the state key digests are the ones its plan found."""
    header = made.plan.header
    enrichers = [registry[n] for n in made.selection.order]
    tables = snapshot_tables(enrichers, bool(header.request.get("prune")), registry)
    if header.state_key is None or not all(checked.has(t) for t in tables):
        return
    found = shortcut.state_key(header.request, shortcut.foreign_digest(checked, owned, tables))
    if found != header.state_key:
        return  # someone changed rows the seeder does not own since the apply
    try:
        with conn.begin_nested():
            journal.record_verified(conn, header.state_key, serial)
    except sa.exc.DBAPIError:
        # Recorded at the same moment by another verification, or (SQLite) another apply
        # holds the file's write lock: the next apply that finds this state checks it again.
        pass


def journal_state(settings: Settings) -> JournalState:
    _no_default_database_yet(settings)
    with database.connect(_engine(settings)) as conn, conn.begin():
        return journal.read(conn)


def apply_saved(
    settings: Settings,
    saved: Plan,
    registry: Registry = REGISTRY,
    *,
    on_wait: Callable[[str], None] | None = None,
) -> ApplyOutcome:
    """``seed apply plan.json``: plan again inside the transaction with the saved request and
    the current configuration; write only if it is the very same plan."""
    _guard(settings)
    doc = saved.header.request
    options = Options(tuple(doc.get("targets", [])), tuple(doc.get("excludes", [])),
                      prune=bool(doc.get("prune")), update=bool(doc.get("update_drifted")),
                      destroy=bool(doc.get("destroy")))
    anchor = dt.date.fromisoformat(doc["anchor"]) if doc.get("anchor") else None
    settings = settings.model_copy(update={"anchor": anchor})
    if "minimums" not in settings.model_fields_set:  # the plan's, unless given now
        settings = settings.model_copy(update={"minimums": doc.get("minimums", {})})
    _check_minimums(settings, registry)
    engine = _engine(settings)
    started = time.perf_counter()
    with _writing(engine, settings, on_wait) as conn:
        settings = _unsealed(conn, settings)
        req, _ = _remembered(conn, settings, options, registry)
        # A plan for another data set is refused below as made for another database, or
        # stale: it could only have been made before this one's rows were applied.
        req = replace(req, origin=replace(req.origin, seed_guard=False))
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        journal.create(conn)  # a database the app migrated has no journal yet
        planned = build_plan(conn, req, registry)
        from mentara_seed.applier.execute import execute
        from mentara_seed.planner.saved import check_current

        check_current(saved, planned.plan)
        check = _Check.start(conn, settings, options, planned)
        applied = None
        serial = planned.journal.serial
        if not planned.plan.is_empty():
            applied = execute(conn, planned.plan, planned.journal, jobs=settings.jobs)
            serial = applied.serial
        owned = applied.owned if applied is not None else planned.journal.owned
        outcome = ApplyOutcome(replace(planned, live=None), applied)
        del planned
        if check is not None:
            outcome.verified = True
            outcome.verified_before = check.already
            if check.already is None:
                outcome.violations = check.finish(conn, registry, owned, serial)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _unsealed(conn: sa.Connection, settings: Settings) -> Settings:
    """``settings`` with each password the saved plan stores sealed (``cli.sealed``) replaced
    by the clear one it was made from: the one the journal's last apply used."""
    from mentara_seed.cli import sealed
    from mentara_seed.planner.saved import SEALED_PREFIX

    applied = journal.applied_settings(conn)
    remembered = applied.minimums if applied and isinstance(applied.minimums, dict) else {}
    minimums = {}
    for name, fields in settings.minimums.items():
        fields = dict(fields)
        for key, value in fields.items():
            if not (isinstance(value, str) and value.startswith(SEALED_PREFIX)):
                continue
            clear = (remembered.get(name) or {}).get(key)
            if not (isinstance(clear, str) and sealed.matches(clear, value, settings.seed)):
                raise UsageError(
                    f"The saved plan sets [minimums.{name}] {key}, which it keeps only as a "
                    "hash. Give the same value in seed.toml (or SEED_MINIMUMS) when you apply "
                    "it, or plan and apply in one step."
                )
            fields[key] = clear
        minimums[name] = fields
    return settings.model_copy(update={"minimums": minimums})


def history(settings: Settings) -> list[ApplyRecord]:
    engine = _engine(settings)
    _no_default_database_yet(settings)
    with _reading(engine) as conn:
        return journal.history(conn)


def undo(
    settings: Settings, serial: int | None, *, on_wait: Callable[[str], None] | None = None,
    approve: Callable[[Plan], None] | None = None,
) -> tuple[Plan, Applied | None]:
    """Revert one apply (the latest by default) from its before-images, as a new apply;
    ``approve`` sees the plan before it is written and raises to stop it."""
    _guard(settings)
    engine = _engine(settings)
    _no_default_database_yet(settings)
    with _writing(engine, settings, on_wait) as conn:
        state = journal.read(conn)
        header = PlanHeader(
            tool_version=__version__, corpus_version=CORPUS_VERSION, request={},
            project_seed=settings.seed, profile=settings.profile, config_hash="",
            anchor=(state.anchor or default_anchor(dt.datetime.now(dt.UTC))).isoformat(
                timespec="milliseconds"),
            journal_serial=state.serial, lineage=state.lineage,
            targets=(f"undo {serial or 'latest'}",), enrichers=(),
            table_order=table_order(),
        )
        from mentara_seed.applier.execute import execute
        from mentara_seed.planner.undo import build_undo

        plan = build_undo(conn, state, header, serial)
        if approve is not None and plan.changes:
            approve(plan)
        applied = execute(conn, plan, state, kind="undo") if plan.changes else None
    return plan, applied


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
    _guard(settings)
    engine = _engine(settings)
    _no_default_database_yet(settings)
    with _writing(engine, settings, None) as conn:
        state = journal.read(conn)
        settings = remember(settings, journal.applied_settings(conn), registry.names())[0]
        if not (state.initialized or _is_embedded_default(settings) or force):
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
        _create_schema(conn)
    return settings
