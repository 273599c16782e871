"""Verification: ``seed verify`` on the database as it is, and ``Check``, the verification an
apply runs inside its transaction before it commits (rolled back when the apply broke a rule with
the seeder's own rows; recorded in the journal when every minimum holds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

import sqlalchemy as sa

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Enricher, Registry, Violation
from mentara_seed.errors import BrokenStateError
from mentara_seed.operations.opening import engine_for, no_default_database_yet, reading
from mentara_seed.operations.requests import (
    Options,
    check_minimums,
    needed_tables,
    remembered_request,
)
from mentara_seed.planner import shortcut
from mentara_seed.planner.build import PlanResult, resolve_minimums, snapshot_tables
from mentara_seed.planner.diff import after_changes
from mentara_seed.planner.plan import Action, Change
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.planner.targets import select
from mentara_seed.planner.verify import introduced, needs_database
from mentara_seed.planner.verify import verify as verify_minimums
from mentara_seed.settings import Settings
from mentara_seed.state import journal

T = TypeVar("T")


@dataclass
class Check:
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
    created: _Created | None = None

    @classmethod
    def start(cls, conn: sa.Connection, settings: Settings, options: Options,
              planned: PlanResult, *, fresh: bool = False) -> Check | None:
        """``fresh``: the apply writes into a schema it created in its own transaction."""
        if settings.skip_verify or options.destroy:
            return None
        plan = planned.plan
        writes = set() if planned.live is not None else {
            c.pk for c in plan.changes if c.action is not Action.DELETE}
        header = replace(planned, plan=replace(plan, changes=(), held=()), live=None)
        created = _created(planned) if fresh else None
        return cls(settings, options, header,
                   None if created is not None else _unwritten(planned), planned.live,
                   writes, _verified_before(conn, planned), created)

    def finish(self, conn: sa.Connection, registry: Registry,
               owned: dict[str, dict[str, str]], serial: int, *,
               meanwhile: Callable[[], None] | None = None) -> list[Violation]:
        """The violations of the state the apply leaves; ``BrokenStateError`` (the caller's
        transaction rolls back) when the apply broke a rule with the seeder's own rows.
        ``meanwhile``: the server's work still to do on ``conn`` before that state is complete
        and committed (the indexes and foreign keys of a schema created for the load). When the
        checks need nothing from the database (the rows of a fresh schema are its plan's), it
        runs on its own thread while they run: the server builds indexes while this process
        checks rules. Else it runs first."""
        enrichers = [registry[n] for n in self.header.selection.order]
        known = self.created.live if self.created is not None else None
        if meanwhile is not None and (
                conn.dialect.name != "postgresql"  # SQLite's schema is whole: nothing to wait on
                or known is None or needs_database(enrichers, registry, known, owned)):
            meanwhile()
            meanwhile = None
        if meanwhile is None:
            found, checked = self._checked(conn, enrichers, registry, owned)
        else:
            found, checked = beside(conn, meanwhile,
                                    partial(self._checked, None, enrichers, registry, owned))
        if not found:
            _record_verified(conn, self.header, serial, checked, owned, registry)
        return found

    def _checked(self, conn: sa.Connection | None, enrichers: list[Enricher],
                 registry: Registry, owned: dict[str, dict[str, str]],
                 ) -> tuple[list[Violation], LiveState]:
        """The violations and the rows checked; ``BrokenStateError`` if the apply broke a rule.
        Reads through ``conn`` only what the check does not know (nothing, without one)."""
        # The minimums and enrichers the plan was made with (the settings in force there).
        minimums = self.header.minimums
        anchor = dt.datetime.fromisoformat(self.header.plan.header.anchor)
        excused = {(w.enricher, w.entity) for w in self.header.plan.warnings}
        known = self.created.state() if self.created is not None else self.unwritten
        found, checked = verify_minimums(conn, enrichers, minimums, registry,
                                         live=known, owned=owned,
                                         jobs=self.settings.jobs, anchor=anchor,
                                         excused=excused)
        broken = introduced(found, enrichers, minimums, registry, self.before, self.writes,
                            jobs=self.settings.jobs, anchor=anchor)
        if broken:
            raise BrokenStateError(_broken_message(broken))
        return found, checked


def beside(conn: sa.Connection, server: Callable[[], None], work: Callable[[], T]) -> T:
    """``work`` (which must not use ``conn``) here while ``server`` (the server's work on
    ``conn``) runs on a thread of its own; ``server``'s error, if any, once both are done. When
    ``work`` fails or either is interrupted (Ctrl-C), the server's statement is cancelled (the
    transaction rolls back anyway) and awaited before the error goes on: the connection is
    free again for the rollback."""
    from concurrent.futures import ThreadPoolExecutor, wait

    with ThreadPoolExecutor(1, thread_name_prefix="seed-server") as pool:
        running = pool.submit(server)
        try:
            done = work()
            running.result()
        except BaseException:
            if not running.done():
                _cancel(conn)
                wait([running])
            raise
    return done


def _cancel(conn: sa.Connection) -> None:
    """Ask the server to stop the statement running on ``conn`` (PostgreSQL; from any thread)."""
    driver = conn.connection.driver_connection
    cancel = getattr(driver, "cancel", None)
    if conn.dialect.name == "postgresql" and cancel is not None:
        try:
            cancel()
        except Exception:  # noqa: BLE001 - the statement may have ended meanwhile
            pass


@dataclass
class _Created:
    """The rows an apply into a schema it created in its own transaction leaves: exactly its
    plan's rows, since no other session sees those tables before the commit. Verification then
    checks them as planned instead of reading every table back (a million rows: ~5 s and a
    second copy of them). Made into a snapshot only when checked (while the server builds the
    indexes)."""

    live: LiveState
    changes: tuple[Change, ...]

    def state(self) -> LiveState:
        """The snapshot; the changes are let go (the rows stay, in it): nothing else holds
        them once written, and a million of them are some 150 MB."""
        made = after_changes(self.live, self.changes)
        self.changes = ()
        return made


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


def _created(planned: PlanResult) -> _Created | None:
    """The rows of a plan that only creates (``_Created``); None when it does anything else."""
    if planned.live is None or any(c.action is not Action.CREATE for c in planned.plan.changes):
        return None
    return _Created(planned.live, planned.plan.changes)


def _verified_before(conn: sa.Connection, planned: PlanResult) -> int | None:
    """When the apply leaves the database in a state whose verification found every minimum
    holding (the journal serial then): the plan changed nothing or only made deleted owned
    rows again, with the state key of such a verification."""
    header = planned.plan.header
    if not (header.reused or header.restored) or header.state_key is None:
        return None
    return journal.verified(conn, header.state_key)


def verify(
    settings: Settings,
    options: Options,
    registry: Registry = REGISTRY,
) -> list[Violation]:
    """``seed verify``: check the minimums and rules on the database as it is now, against the
    minimums in force (the settings with the journal's layer, ``settings.remember``)."""
    check_minimums(settings, registry)
    selection = select(registry, options.targets, options.excludes)
    enrichers = [registry[n] for n in selection.order]
    engine = engine_for(settings)
    no_default_database_yet(settings)
    with reading(engine, consistent=True) as conn:
        req = remembered_request(conn, settings, options, registry)[0]
        database.require_schema(conn, needed_tables(req, registry), settings.database_url)
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
