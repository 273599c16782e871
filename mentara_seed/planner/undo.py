"""Planning an undo: the inverse of one journaled apply, from its before-images.

A row the apply created is deleted, a row it updated gets its old values back, a row it
deleted is inserted again. The result is an ordinary plan, applied and journaled like any other.
Refused when a later apply touched the same rows, or when a foreign row now references a row
the undo would delete (deleting it would cascade into someone's data).
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from mentara_seed.errors import SeedError
from mentara_seed.planner import identity
from mentara_seed.planner.diff import after_updates, blocked_by_references
from mentara_seed.planner.order import parents_first, table_order
from mentara_seed.planner.plan import Action, Change, Plan, PlanHeader, Reason
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.tables import SEEDED_TABLES, TABLES
from mentara_seed.schema.values import Row, fingerprint, from_jsonable
from mentara_seed.state import journal
from mentara_seed.state.journal import JournalState, RowEvent


class UndoError(SeedError):
    """The apply cannot be undone as asked."""


def _row(table: str, values: dict[str, object] | None) -> Row:
    columns = TABLES[table].columns
    return {k: from_jsonable(columns[k], v) for k, v in (values or {}).items()}


def _target_serial(conn: sa.Connection, state: JournalState, serial: int | None) -> int:
    applies = [r for r in journal.history(conn) if r.kind != "init"]
    if not applies:
        raise UndoError("The journal has no apply to undo.")
    target = serial if serial is not None else applies[-1].serial
    if target not in {r.serial for r in applies}:
        raise UndoError(f"The journal has no apply with serial {target}; `seed history` "
                        "lists them.")
    return target


def build_undo(
    conn: sa.Connection, state: JournalState, header: PlanHeader, serial: int | None
) -> Plan:
    target = _target_serial(conn, state, serial)
    events = journal.events_of(conn, target)
    later = journal.touched_after(conn, target)
    clash = sorted({(e.table, e.pk) for e in events} & later)
    if clash:
        table, pk = clash[0]
        raise UndoError(f"Apply {target} cannot be undone alone: {len(clash)} of its rows were "
                        f"changed again by later applies (e.g. {table} {pk}). Undo those first.")
    live = LiveState.read(conn, SEEDED_TABLES)
    changes = _inverse(events, live, target, journal.ownership_before(conn, target),
                       _taken(conn, state, events, live))
    # The journal records which apply this one undoes: the settings in force go back to
    # those before it (``journal.applied_settings``).
    return Plan(header=replace(header, request={"undoes": target}), changes=tuple(changes),
                held=(), live_rows=live.count(), live_tables=live.nonempty_tables())


def _taken(conn: sa.Connection, state: JournalState, events: list[RowEvent],
           live: LiveState) -> dict[str, set[str]]:
    """The rows the apply created whose keys someone else's rows hold now
    (``planner.identity``): not the apply's to delete."""
    changed: dict[str, list[str]] = {}
    for e in events:
        row = live.get(e.table, e.pk) if e.action == "create" else None
        if row is not None and fingerprint(row) != e.fingerprint:
            changed.setdefault(e.table, []).append(e.pk)
    return identity.look(conn, state.owned, live, changed).foreign if changed else {}


def _inverse(
    events: list[RowEvent], live: LiveState, serial: int, previous: dict[str, dict[str, str]],
    taken: dict[str, set[str]] | None = None,
) -> list[Change]:
    """The inverse changes. A restored row is journaled with the fingerprint it had before
    the undone apply, so a hand edit that apply had restored is drift again, not desired.
    A created row whose key someone else's row holds now (``taken``) is left to them."""
    creates: dict[str, dict[str, Row]] = {}
    updates: list[Change] = []
    deletes: dict[str, set[str]] = {}
    enricher = f"undo-{serial}"
    for e in events:
        if e.action == "create" and e.pk in (taken or {}).get(e.table, ()):
            continue
        if e.action == "create" and live.get(e.table, e.pk) is not None:
            deletes.setdefault(e.table, set()).add(e.pk)
        elif e.action == "delete" and live.get(e.table, e.pk) is None:
            creates.setdefault(e.table, {})[e.pk] = _row(e.table, e.before)
        elif e.action == "update":
            current = live.get(e.table, e.pk)
            if current is None:
                continue
            if fingerprint(current) != e.fingerprint:
                raise UndoError(f"Cannot undo: {e.table} {e.pk} was edited outside seed after "
                                f"apply {serial}; restoring it would overwrite that edit.")
            old = _row(e.table, e.before)
            restored = {**current, **old}
            updates.append(Change(Action.UPDATE, e.table, e.pk, Reason.DESIRED_CHANGED,
                                  enricher, values=old,
                                  before={k: current[k] for k in old},
                                  fingerprint=previous.get(e.table, {}).get(
                                      e.pk, fingerprint(restored))))
    blocked = blocked_by_references({t: set(p) for t, p in deletes.items()},
                                    after_updates(live, updates))
    if any(blocked.values()):
        table, reasons = next((t, r) for t, r in blocked.items() if r)
        pk, why = next(iter(sorted(reasons.items())))
        raise UndoError(f"Cannot undo: {table} {pk} was created by this apply, and "
                        f"{why.removeprefix('kept: ')}, which this undo does not remove. "
                        "Deleting it would cascade into that row: undo the apply that made it "
                        "first, or delete it yourself.")
    order = table_order()
    out: list[Change] = []
    for table in order:
        rows = creates.get(table, {})
        for pk in parents_first(table, rows, rows):
            out.append(Change(Action.CREATE, table, pk, Reason.MISSING, enricher,
                              values=rows[pk], fingerprint=previous.get(table, {}).get(
                                  pk, fingerprint(rows[pk]))))
    out += sorted(updates, key=lambda c: (order.index(c.table), c.pk))
    for table in reversed(order):
        pks = deletes.get(table, set())
        live_rows = live.by_pk(table) if live.has(table) else {}
        for pk in reversed(parents_first(table, pks, live_rows)):
            out.append(Change(Action.DELETE, table, pk, Reason.ORPHANED, enricher,
                              before=live_rows[pk]))
    return out
