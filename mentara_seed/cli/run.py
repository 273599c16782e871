"""The operations behind the commands: each opens the database, calls the planner, the applier
or the journal, and returns plain results for a view to render. No printing here."""

from __future__ import annotations

import datetime as dt
import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from pydantic import ValidationError

from mentara_seed import database
from mentara_seed.applier import lock
from mentara_seed.applier.execute import Applied, Progress, execute
from mentara_seed.cli.settings import Settings
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.errors import ConfigError, LockTimeoutError
from mentara_seed.planner.build import PlanRequest, PlanResult, build_plan, resolve_minimums
from mentara_seed.planner.targets import select
from mentara_seed.planner.verify import verify as verify_minimums
from mentara_seed.schema.tables import TABLES, metadata
from mentara_seed.state import journal
from mentara_seed.state.journal import JournalState


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
    planned: PlanResult
    applied: Applied | None
    violations: list[Violation] = field(default_factory=list)
    verified: bool = False
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
                lines.append(f"  minimums.{name}.{key}: {e['msg']} (got {e.get('input')!r})")
            raise ConfigError("\n".join(lines)) from err


def request(settings: Settings, options: Options, registry: Registry = REGISTRY) -> PlanRequest:
    _check_minimums(settings, registry)
    anchor = (dt.datetime.combine(settings.anchor, dt.time()) if settings.anchor else None)
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
    )


def _engine(settings: Settings) -> sa.Engine:
    return database.open_engine(settings.database_url, lock_timeout=settings.lock_timeout)


def _is_embedded_default(settings: Settings) -> bool:
    return settings.database_url == database.DEFAULT_URL


def _create_schema(conn: sa.Connection) -> bool:
    """Create the Mentara schema and the journal on an empty database. False if it existed."""
    if not database.missing_schema(conn, list(TABLES.values())):
        journal.create(conn)
        return False
    metadata.create_all(conn)
    journal.create(conn)
    state = journal.read(conn)
    journal.append(conn, state, kind="init", events=[], header={}, counts={})
    return True


def init(settings: Settings) -> bool:
    """``seed init``: the schema on an empty database. Returns whether anything was created."""
    engine = _engine(settings)
    with database.connect(engine) as conn, conn.begin():
        return _create_schema(conn)


def plan(settings: Settings, options: Options, registry: Registry = REGISTRY) -> PlanResult:
    req = request(settings, options, registry)
    engine = _engine(settings)
    with database.connect(engine) as conn, conn.begin():
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        return build_plan(conn, req, registry)


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
) -> ApplyOutcome:
    """Plan and apply in one transaction under the lock, then verify (unless skipped)."""
    req = request(settings, options, registry)
    engine = _engine(settings)
    started = time.perf_counter()
    initialized = False
    with database.connect(engine) as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with conn.begin():
                if options.init or _is_embedded_default(settings):
                    initialized = _create_schema(conn)
                database.require_schema(conn, _needed_tables(req, registry),
                                        settings.database_url)
                lock.acquire(conn, settings.lock_timeout, on_wait)
                planned = build_plan(conn, req, registry)
                if on_plan is not None:
                    on_plan(planned)
                applied = None
                if not planned.plan.is_empty():
                    applied = execute(conn, planned.plan, planned.journal, progress=progress,
                                      kind="destroy" if options.destroy else "apply")
        except sa.exc.OperationalError as err:
            if "database is locked" in str(err):
                raise LockTimeoutError(
                    f"Another process holds the write lock on {database.redact(engine.url)}. "
                    f"Gave up after {settings.lock_timeout:g} s. Wait for it and run "
                    "`seed plan` again, or raise --lock-timeout."
                ) from err
            raise
    outcome = ApplyOutcome(planned, applied, initialized=initialized)
    if not settings.skip_verify and not options.destroy:
        outcome.violations = verify(settings, options, registry, engine=engine)
        outcome.verified = True
    outcome.seconds = time.perf_counter() - started
    return outcome


def verify(
    settings: Settings,
    options: Options,
    registry: Registry = REGISTRY,
    *,
    engine: sa.Engine | None = None,
) -> list[Violation]:
    req = request(settings, options, registry)
    selection = select(registry, req.targets, req.excludes)
    enrichers = [registry[n] for n in selection.order]
    minimums = resolve_minimums(enrichers, req)
    engine = engine or _engine(settings)
    with database.connect(engine) as conn, conn.begin():
        database.require_schema(conn, _needed_tables(req, registry), settings.database_url)
        return verify_minimums(conn, enrichers, minimums)


def journal_state(settings: Settings) -> JournalState:
    with database.connect(_engine(settings)) as conn, conn.begin():
        return journal.read(conn)
