"""``seed apply``: plan and write in one transaction under the lock, then verify before it
commits; and ``seed apply FILE``, which writes a saved plan only if planning again gives the very
same plan. Returns plain outcomes for a view to render."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sqlalchemy as sa

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry, Violation
from mentara_seed.errors import UsageError
from mentara_seed.operations.checking import Check
from mentara_seed.operations.opening import (
    check_guard,
    engine_for,
    is_embedded_default,
    no_default_database_yet,
    writing,
)
from mentara_seed.operations.requests import (
    Options,
    check_minimums,
    needed_tables,
    remembered_request,
    warm_password,
)
from mentara_seed.operations.schema import create_schema
from mentara_seed.planner.build import PlanResult, build_plan
from mentara_seed.planner.plan import Plan
from mentara_seed.schema import ddl
from mentara_seed.settings import Settings
from mentara_seed.state import journal
from mentara_seed.state.journal import AppliedSettings

if TYPE_CHECKING:  # the applier is imported by the commands that write
    from mentara_seed.applier.execute import Applied, Progress


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
    if not options.destroy:
        # bcrypt on another thread while the database opens (and the server makes the tables
        # of a fresh schema): an apply mostly plans accounts the database does not have yet.
        warm_password(settings, registry)
    check_guard(settings)
    check_minimums(settings, registry)
    engine = engine_for(settings)
    started = time.perf_counter()
    finish: ddl.Finish | None = None
    if options.destroy or not (options.init or is_embedded_default(settings)):
        no_default_database_yet(settings)
    with writing(engine, settings, on_wait) as conn:
        journal_ready = False
        created: list[bool] = []
        if not options.destroy and (options.init or is_embedded_default(settings)):

            # Indexes and foreign keys come after the rows (see schema.ddl).
            finish = create_schema(conn, for_load=True, on_create=lambda: created.append(True))
            if finish is not None and on_init is not None:
                on_init()
            # create_schema made the journal, or brought it up to date, unless it only added
            # tables to a schema `seed init` made.
            journal_ready = finish is None or bool(created)
        req, applied_before = remembered_request(conn, settings, options, registry)
        database.require_schema(conn, needed_tables(req, registry), settings.database_url)
        if not options.destroy and not journal_ready:
            journal.create(conn)  # a database the app migrated has no journal yet
        planned = build_plan(conn, req, registry, on_step)
        if on_plan is not None:
            on_plan(planned)
        check = Check.start(conn, settings, options, planned, fresh=bool(created))
        applied = None
        serial = planned.journal.serial
        if not planned.plan.is_empty():
            from mentara_seed.applier.execute import execute

            applied = execute(conn, planned.plan, planned.journal, progress=progress,
                              kind="destroy" if options.destroy else "apply",
                              jobs=settings.jobs, fresh=bool(created))
            serial = applied.serial
        elif _key_moved(planned) or (not options.destroy
                                     and _settings_moved(planned, applied_before)):
            # Nothing to write, but the state key is new (another version of the tool found
            # the same data) or the settings are: record them, so that the next plan can take
            # the shortcut again and remembers these settings.
            serial = journal.append(conn, planned.journal, kind="apply", events=[],
                                    header=planned.plan.header_json(), counts={})
        if finish is not None and progress is not None:
            progress("indexes and foreign keys", 0)
        # Written and journaled: the outcome keeps the plan's header, not its changes (on_plan
        # saw them all), so that a large apply does not hold every row while it is verified.
        written = replace(planned, plan=replace(planned.plan, changes=(), held=()), live=None)
        owned = applied.owned if applied is not None else planned.journal.owned
        del planned
        outcome = ApplyOutcome(written, applied, initialized=finish is not None)
        # The server builds the indexes and foreign keys while the rules are checked, when the
        # checks need nothing from it (``Check.finish``).
        _verified(outcome, check, conn, registry, owned, serial, meanwhile=finish)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _verified(outcome: ApplyOutcome, check: Check | None, conn: sa.Connection,
              registry: Registry, owned: dict[str, dict[str, str]], serial: int, *,
              meanwhile: ddl.Finish | None = None) -> None:
    """Verification's result into ``outcome``: found in a state verified before, or checked
    now (``check.finish`` raises before commit when the apply broke a rule). ``meanwhile``:
    what finishes the schema, run before or while the rules are checked."""
    if (check is None or check.already is not None) and meanwhile is not None:
        meanwhile()
    if check is None:
        return
    outcome.verified = True
    outcome.verified_before = check.already
    if check.already is None:
        outcome.violations = check.finish(conn, registry, owned, serial, meanwhile=meanwhile)


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


def apply_saved(
    settings: Settings,
    saved: Plan,
    registry: Registry = REGISTRY,
    *,
    on_wait: Callable[[str], None] | None = None,
) -> ApplyOutcome:
    """``seed apply plan.json``: plan again inside the transaction with the saved request and
    the current configuration; write only if it is the very same plan."""
    check_guard(settings)
    doc = saved.header.request
    options = Options(tuple(doc.get("targets", [])), tuple(doc.get("excludes", [])),
                      prune=bool(doc.get("prune")), update=bool(doc.get("update_drifted")),
                      destroy=bool(doc.get("destroy")))
    anchor = dt.date.fromisoformat(doc["anchor"]) if doc.get("anchor") else None
    settings = settings.model_copy(update={"anchor": anchor})
    if "minimums" not in settings.model_fields_set:  # the plan's, unless given now
        settings = settings.model_copy(update={"minimums": doc.get("minimums", {})})
    check_minimums(settings, registry)
    engine = engine_for(settings)
    started = time.perf_counter()
    with writing(engine, settings, on_wait) as conn:
        settings = _unsealed(conn, settings)
        req, _ = remembered_request(conn, settings, options, registry)
        # A plan for another data set is refused below as made for another database, or
        # stale: it could only have been made before this one's rows were applied.
        req = replace(req, origin=replace(req.origin, seed_guard=False))
        database.require_schema(conn, needed_tables(req, registry), settings.database_url)
        journal.create(conn)  # a database the app migrated has no journal yet
        planned = build_plan(conn, req, registry)
        from mentara_seed.applier.execute import execute
        from mentara_seed.planner.saved import check_current

        check_current(saved, planned.plan)
        check = Check.start(conn, settings, options, planned)
        applied = None
        serial = planned.journal.serial
        if not planned.plan.is_empty():
            applied = execute(conn, planned.plan, planned.journal, jobs=settings.jobs)
            serial = applied.serial
        owned = applied.owned if applied is not None else planned.journal.owned
        outcome = ApplyOutcome(replace(planned, live=None), applied)
        del planned
        _verified(outcome, check, conn, registry, owned, serial)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _unsealed(conn: sa.Connection, settings: Settings) -> Settings:
    """``settings`` with each password the saved plan stores sealed (``planner.sealed``) replaced
    by the clear one it was made from: the one the journal's last apply used."""
    from mentara_seed.planner import sealed
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
