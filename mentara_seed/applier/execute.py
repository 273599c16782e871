"""Executing a plan inside the caller's transaction: check it is current, write every change in
bulk in the plan's order, append the journal. The caller commits; any error rolls back all of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import attrgetter

import sqlalchemy as sa

from mentara_seed.applier import writer
from mentara_seed.errors import ApplyError, StalePlanError
from mentara_seed.planner import parallel
from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.state import journal
from mentara_seed.state.journal import Created, Event, JournalState, RowEvent

Progress = Callable[[str, int], None]
FINGERPRINTS_ELSEWHERE = 50_000  # creates from which a worker computes their fingerprints


@dataclass(frozen=True, slots=True)
class Applied:
    """What an apply wrote: the journal serial it recorded, rows per action and table, and the
    ownership projection as the journal now holds it."""

    serial: int
    counts: dict[str, dict[str, int]]
    owned: dict[str, dict[str, str]]

    @property
    def rows(self) -> int:
        return sum(n for per in self.counts.values() for n in per.values())


def _batches(changes: Sequence[Change]) -> Iterator[tuple[Action, str, list[Change]]]:
    for (action, table), group in groupby(changes, key=attrgetter("action", "table")):
        yield action, table, list(group)


def _fingerprints(changes: Sequence[Change]) -> list[str]:
    return [c.row_fingerprint() for c in changes]


def _take_fingerprints(changes: Sequence[Change], found: list[str] | None) -> None:
    if found is None or len(found) != len(changes):
        return  # the worker failed: row_fingerprint() computes them here when asked
    for change, value in zip(changes, found, strict=True):
        change.computed_elsewhere(value)


def _events(changes: Sequence[Change], *, before: bool = True) -> Iterator[Event]:
    """The journal's events of ``changes``, one at a time: each table's run of creates as one
    ``Created`` (keys and fingerprints, no object per row), an update or a delete as a
    ``RowEvent``, with its before-image in JSON form if ``before``."""
    from mentara_seed.schema.values import jsonable

    for action, table, batch in _batches(changes):
        if action is Action.CREATE:
            yield Created(table, [c.pk for c in batch], [c.row_fingerprint() for c in batch])
            continue
        for c in batch:
            image = ({k: jsonable(v) for k, v in c.before.items()}
                     if before and c.before else None)
            yield RowEvent(table, c.pk, action.value,
                           c.fingerprint if action is Action.UPDATE else None, image)


def execute(
    conn: sa.Connection,
    plan: Plan,
    state: JournalState,
    *,
    kind: str = "apply",
    progress: Progress | None = None,
    jobs: int = 1,
) -> Applied:
    """Write ``plan`` and journal it. ``state`` is the journal head read in this transaction."""
    if state.serial != plan.header.journal_serial:
        raise StalePlanError(
            f"The journal moved from serial {plan.header.journal_serial} to {state.serial} "
            "since this plan was made (another apply ran). Run `seed plan` again."
        )
    counts: dict[str, dict[str, int]] = {}
    creates = [c for c in plan.changes if c.action is Action.CREATE]
    # The journal's fingerprints of many new rows: computed on the other core while this one
    # writes (else while the server ingests each table's rows).
    elsewhere = (parallel.start(partial(_fingerprints, creates))
                 if jobs > 1 and len(creates) >= FINGERPRINTS_ELSEWHERE else None)
    try:
        for action, table_name, batch in _batches(plan.changes):
            table = TABLES[table_name]
            pk = pk_name(table)
            if action is Action.CREATE:
                writer.insert_rows(conn, table, [c.values for c in batch],
                                   meanwhile=None if elsewhere else partial(_fingerprints, batch))
            elif action is Action.UPDATE:
                writer.update_rows(conn, table, pk, [(c.pk, c.values) for c in batch])
            elif action is Action.DELETE:
                writer.delete_rows(conn, table, pk, [c.pk for c in batch])
            per = counts.setdefault(action.value, {})
            per[table_name] = per.get(table_name, 0) + len(batch)
            if progress is not None:
                progress(table_name, len(batch))
        if elsewhere is not None:
            _take_fingerprints(creates, elsewhere())
        header = plan.header_json()
        serial = journal.append(
            conn,
            state,
            kind=kind,
            events=_events(plan.changes),
            header=header,
            counts=counts,
            write_rows=(lambda t, rows: writer.insert_rows(conn, t, rows)),
        )
    except sa.exc.DBAPIError as err:
        raise ApplyError(describe_database_error(err)) from err
    except _driver_errors(conn) as err:  # COPY runs on the driver connection, unwrapped
        raise ApplyError(_describe(err, _is_integrity(err))) from err
    # The projection after these events, as a replay of the whole journal would find it (the
    # head read before is moved on in place: it is this transaction's and outdated now).
    owned = journal.advance(state.owned, _events(plan.changes, before=False))
    return Applied(serial, counts, owned)


def describe_database_error(err: sa.exc.DBAPIError) -> str:
    return _describe(err.orig or err, isinstance(err, sa.exc.IntegrityError))


def _driver_errors(conn: sa.Connection) -> tuple[type[BaseException], ...]:
    if conn.dialect.name != "postgresql":
        return ()
    import psycopg

    return (psycopg.Error,)


def _is_integrity(err: BaseException) -> bool:
    import psycopg.errors

    return isinstance(err, psycopg.errors.IntegrityError)


def _describe(orig: BaseException, integrity: bool) -> str:
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if integrity:
        return (
            f"The database refused a write: {first}. Nothing was written (the transaction was "
            "rolled back). Either another writer changed the data since the plan was made (run "
            "`seed plan` again), or a row the seeder does not own holds a unique value the "
            "seeder wants (change or remove that row, or use another --seed)."
        )
    return f"The apply failed: {first}. Nothing was written (the transaction was rolled back)."
