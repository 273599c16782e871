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
from mentara_seed.planner.identity import IDENTITY
from mentara_seed.planner.plan import Action, Change, Plan
from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.state import journal
from mentara_seed.state.journal import Created, Event, JournalState, RowEvent

Progress = Callable[[str, int], None]
FINGERPRINTS_ELSEWHERE = 50_000  # creates from which a worker computes their journal values
# What the journal records of one run of created rows: their fingerprints and the run's images.
Recorded = tuple[list[str], list[bytes]]


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


def _recorded(run: Sequence[Change]) -> Recorded:
    """What the journal records of a run of created rows: the rows' fingerprints and the
    run's images (one ``repr`` of each row serves both)."""
    from mentara_seed.schema.values import imaged, structured_columns

    fingerprints: list[str] = []
    lines: list[tuple[str, str]] = []
    structured = structured_columns(TABLES[run[0].table]) if run else ()
    for change in run:
        fp, text = imaged(change.values, structured)
        fingerprints.append(fp)
        lines.append((change.enricher, text))
    return fingerprints, journal.images(lines)


def _taken(runs: Sequence[Sequence[Change]], found: list[Recorded] | None) -> list[list[bytes]]:
    """The runs' images, with their rows' fingerprints set, from what a worker computed (or,
    if it failed, computed here)."""
    if found is None or [len(f) for f, _ in found] != [len(r) for r in runs]:
        found = [_recorded(run) for run in runs]
    for run, (fingerprints, _) in zip(runs, found, strict=True):
        for change, value in zip(run, fingerprints, strict=True):
            change.computed_elsewhere(value)
    return [images for _, images in found]


def _events(changes: Sequence[Change], *, before: bool = True,
            images: Sequence[list[bytes]] = ()) -> Iterator[Event]:
    """The journal's events of ``changes``, one at a time: each table's run of creates as one
    ``Created`` (keys and fingerprints, no object per row; ``images``, if given, holds each
    run's images in order), an update or a delete as a ``RowEvent``, with its before-image in
    JSON form if ``before``."""
    from mentara_seed.schema.values import jsonable

    runs = iter(images)
    for action, table, batch in _batches(changes):
        if action is Action.CREATE:
            yield Created(table, [c.pk for c in batch], [c.row_fingerprint() for c in batch],
                          images=next(runs, None))
            continue
        for c in batch:
            image = ({k: jsonable(v) for k, v in c.before.items()}
                     if before and c.before else None)
            # An update that sets createdAt records it: the row's identity from now on.
            made = c.values.get(IDENTITY) if action is Action.UPDATE else None
            yield RowEvent(table, c.pk, action.value,
                           c.fingerprint if action is Action.UPDATE else None, image,
                           identity=None if made is None else jsonable(made))


def execute(
    conn: sa.Connection,
    plan: Plan,
    state: JournalState,
    *,
    kind: str = "apply",
    progress: Progress | None = None,
    jobs: int = 1,
    fresh: bool = False,
) -> Applied:
    """Write ``plan`` and journal it. ``state`` is the journal head read in this transaction.
    ``fresh``: the Mentara tables were created in this transaction, so their rows are loaded
    frozen (``writer.copy_rows``). (Not the journal's: an older journal may have been there.)"""
    if state.serial != plan.header.journal_serial:
        raise StalePlanError(
            f"The journal moved from serial {plan.header.journal_serial} to {state.serial} "
            "since this plan was made (another apply ran). Run `seed plan` again."
        )
    counts: dict[str, dict[str, int]] = {}
    runs = [batch for action, _, batch in _batches(plan.changes) if action is Action.CREATE]
    # What the journal records of many new rows: computed on the other core while this one
    # writes, and on both once it has written (else here, while the server ingests each
    # table's rows).
    elsewhere = (parallel.start_shared(runs, _recorded)
                 if jobs > 1 and sum(map(len, runs)) >= FINGERPRINTS_ELSEWHERE else None)
    here: list[Recorded] = []
    try:
        for action, table_name, batch in _batches(plan.changes):
            table = TABLES[table_name]
            pk = pk_name(table)
            if action is Action.CREATE:
                writer.insert_rows(conn, table, [c.values for c in batch],
                                   meanwhile=None if elsewhere else
                                   partial(_record_into, here, batch), fresh=fresh)
            elif action is Action.UPDATE:
                writer.update_rows(conn, table, pk, [(c.pk, c.values) for c in batch])
            elif action is Action.DELETE:
                writer.delete_rows(conn, table, pk, [c.pk for c in batch])
            per = counts.setdefault(action.value, {})
            per[table_name] = per.get(table_name, 0) + len(batch)
            if progress is not None:
                progress(table_name, len(batch))
        images = _taken(runs, elsewhere() if elsewhere is not None else here)
        header = plan.header_json()
        serial = journal.append(
            conn,
            state,
            kind=kind,
            events=_events(plan.changes, images=images),
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


def _record_into(found: list[Recorded], run: Sequence[Change]) -> None:
    found.append(_recorded(run))


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
    from mentara_seed.database import remedy

    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    known = remedy(orig)
    if known is not None:
        return (f"The database refused a write: {first}. {known} Nothing was written (the "
                "transaction was rolled back).")
    if integrity:
        return (
            f"The database refused a write: {first}. Nothing was written (the transaction was "
            "rolled back). Either another writer changed the data since the plan was made (run "
            "`seed plan` again), or a row the seeder does not own holds a unique value the "
            "seeder wants (change or remove that row, or use another --seed)."
        )
    return f"The apply failed: {first}. Nothing was written (the transaction was rolled back)."
