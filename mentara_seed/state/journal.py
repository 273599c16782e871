"""Reading the journal (its head and the ownership projection) and appending to it.

Ownership is a projection of the row events, replayed in (serial, seq) order: a create or an
update makes a row owned with the fingerprint it was left with; a delete ends ownership.
Nothing ever rewrites or deletes an event.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import itertools
import json
import socket
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.state.tables import (
    OLD_EVENT_INDEX,
    journal_metadata,
    seed_apply,
    seed_row_event,
)

EVENT_CHUNK = 50_000  # row events per bulk write


@dataclass(frozen=True, slots=True)
class RowEvent:
    table: str
    pk: str
    action: str
    fingerprint: str | None
    before: dict[str, Any] | None = None


@dataclass(slots=True)
class JournalState:
    """The journal's head: serial of the last event, the time anchor in force, the lineage, and
    who owns which row (table -> pk -> last-applied fingerprint)."""

    serial: int = 0
    anchor: dt.datetime | None = None
    lineage: str | None = None
    initialized: bool = False
    owned: dict[str, dict[str, str]] = field(default_factory=dict)
    state_key: str | None = None  # the last record's, when it is an apply that held nothing


@dataclass(frozen=True, slots=True)
class ApplyRecord:
    serial: int
    kind: str
    applied_at: str
    actor: str
    profile: str | None
    targets: list[str]
    counts: dict[str, Any]
    anchor: str | None


def exists(conn: sa.Connection) -> bool:
    inspector = sa.inspect(conn)
    schema = _schema(conn)
    return bool(inspector.has_table(seed_apply.name, schema=schema))


def _schema(conn: sa.Connection) -> str | None:
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    return translate.get(journal_metadata.schema, journal_metadata.schema)


def create(conn: sa.Connection) -> None:
    """Create the journal's schema and tables if they are not there, and bring a journal made
    by an earlier version up to date: add the columns it lacks, drop the event index and
    foreign key it no longer has (they only slowed every write)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{journal_metadata.schema}"'))
    journal_metadata.create_all(conn)
    if not _has_state_key(conn):
        conn.execute(sa.text(f"ALTER TABLE {_qualified(conn, seed_apply)} "
                             "ADD COLUMN state_key TEXT"))
    schema = _schema(conn)
    index = f'"{schema}"."{OLD_EVENT_INDEX}"' if schema else f'"{OLD_EVENT_INDEX}"'
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {index}"))
    if conn.dialect.name == "postgresql":
        # Looked up first: ALTER TABLE locks the table even when there is nothing to drop.
        # (SQLite cannot drop a constraint in place; an old file keeps its harmless key.)
        events = _qualified(conn, seed_row_event)
        for (name,) in conn.execute(sa.text(
                "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
                "AND contype = 'f' ORDER BY conname"), {"t": events}).all():
            conn.execute(sa.text(f'ALTER TABLE {events} DROP CONSTRAINT "{name}"'))


def _qualified(conn: sa.Connection, table: sa.Table) -> str:
    schema = _schema(conn)
    return f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'


def _has_state_key(conn: sa.Connection) -> bool:
    columns = sa.inspect(conn).get_columns(seed_apply.name, schema=_schema(conn))
    return any(c["name"] == "state_key" for c in columns)


def _records(conn: sa.Connection) -> sa.Select[Any]:
    """Every apply record in serial order; ``state_key`` NULL on a journal not yet upgraded."""
    columns = [c for c in seed_apply.c if c.name != "state_key"]
    key = seed_apply.c.state_key if _has_state_key(conn) else sa.null().label("state_key")
    return sa.select(*columns, key).order_by(seed_apply.c.serial)


def drop(conn: sa.Connection) -> None:
    """Drop the journal (``seed reset`` only)."""
    journal_metadata.drop_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{journal_metadata.schema}" CASCADE'))


def replay(events: Iterable[RowEvent]) -> dict[str, dict[str, str]]:
    """The ownership projection of row events given in journal order."""
    return advance({}, events)


def advance(owned: dict[str, dict[str, str]],
            events: Iterable[RowEvent]) -> dict[str, dict[str, str]]:
    """``owned`` (changed in place, and returned) moved on by the events that follow it."""
    for event in events:
        rows = owned.setdefault(event.table, {})
        if event.action == "delete":
            rows.pop(event.pk, None)
        else:
            assert event.fingerprint is not None
            rows[event.pk] = event.fingerprint
    for table in [t for t, rows in owned.items() if not rows]:
        del owned[table]
    return owned


def read(conn: sa.Connection) -> JournalState:
    """The journal's head and ownership projection; an empty state where there is no journal."""
    if not exists(conn):
        return JournalState()
    state = JournalState()
    for row in conn.execute(_records(conn)).mappings():
        state.serial = row["serial"]
        state.state_key = row["state_key"] if row["kind"] == "apply" else None
        state.lineage = row["lineage"] or state.lineage
        if row["kind"] == "init":
            state.initialized = True
        if row["anchor"]:
            state.anchor = dt.datetime.fromisoformat(row["anchor"])
    state.owned = replay(_events(conn))
    return state


def _events(conn: sa.Connection) -> Iterator[RowEvent]:
    """Every row event in journal order (without before-images). On PostgreSQL straight from
    the driver, a chunk at a time: a million-row journal is read by every plan."""
    if conn.dialect.name != "postgresql":
        query = sa.select(
            seed_row_event.c.table_name,
            seed_row_event.c.pk,
            seed_row_event.c.action,
            seed_row_event.c.fingerprint,
        ).order_by(seed_row_event.c.serial, seed_row_event.c.seq)
        for table, pk, action, fp in conn.execute(query):
            yield RowEvent(table, pk, action, fp)
        return
    names: dict[str, str] = {}  # one string per table name and action
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT table_name, pk, action, fingerprint FROM "
                       f"{_qualified(conn, seed_row_event)} ORDER BY serial, seq")
        while chunk := cursor.fetchmany(20_000):
            for table, pk, action, fp in chunk:
                yield RowEvent(names.setdefault(table, table), pk,
                               names.setdefault(action, action), fp)


def events_of(conn: sa.Connection, serial: int) -> list[RowEvent]:
    """The row events of one apply, in the order they were written (with before-images)."""
    query = (sa.select(seed_row_event)
             .where(seed_row_event.c.serial == serial)
             .order_by(seed_row_event.c.seq))
    return [RowEvent(r.table_name, r.pk, r.action, r.fingerprint, r.before)
            for r in conn.execute(query)]


def ownership_before(conn: sa.Connection, serial: int) -> dict[str, dict[str, str]]:
    """The ownership projection as it was before apply ``serial`` (replay of earlier events)."""
    query = sa.select(
        seed_row_event.c.table_name, seed_row_event.c.pk, seed_row_event.c.action,
        seed_row_event.c.fingerprint,
    ).where(seed_row_event.c.serial < serial).order_by(
        seed_row_event.c.serial, seed_row_event.c.seq)
    return replay(RowEvent(t, pk, a, fp) for t, pk, a, fp in conn.execute(query))


def touched_after(conn: sa.Connection, serial: int) -> set[tuple[str, str]]:
    """(table, pk) of every row an apply after ``serial`` wrote."""
    query = sa.select(seed_row_event.c.table_name, seed_row_event.c.pk).where(
        seed_row_event.c.serial > serial)
    return {(t, pk) for t, pk in conn.execute(query)}


def history(conn: sa.Connection) -> list[ApplyRecord]:
    if not exists(conn):
        return []
    out = []
    for row in conn.execute(_records(conn)).mappings():
        out.append(ApplyRecord(row["serial"], row["kind"], row["applied_at"], row["actor"],
                               row["profile"], list(row["targets"]), dict(row["counts"]),
                               row["anchor"]))
    return out


def _lineage(kind: str, header: dict[str, Any]) -> str | None:
    """The journal's lineage, fixed by its first apply: a digest of what that apply was, so two
    databases seeded the same way share it and any other history differs."""
    if kind == "init":
        return None
    basis = "|".join(str(header.get(k)) for k in ("config_hash", "changes_hash", "anchor"))
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _actor() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def append(
    conn: sa.Connection,
    state: JournalState,
    *,
    kind: str,
    events: Iterable[RowEvent],
    header: dict[str, Any],
    counts: dict[str, Any],
    write_rows: Any = None,
) -> int:
    """Append one apply and its row events; returns the new serial. Runs in the caller's
    transaction, so the journal and the data commit or roll back together.

    ``write_rows(table, rows)`` is the bulk writer to use for the events (COPY on PostgreSQL).
    """
    serial = state.serial + 1
    lineage = state.lineage or _lineage(kind, header)
    conn.execute(
        seed_apply.insert().values(
            serial=serial,
            apply_id=str(uuid.uuid4()),
            kind=kind,
            applied_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            tool_version=__version__,
            actor=_actor(),
            project_seed=header.get("project_seed"),
            profile=header.get("profile"),
            config_hash=header.get("config_hash"),
            changes_hash=header.get("changes_hash"),
            anchor=header.get("anchor"),
            lineage=lineage,
            targets=list(header.get("targets", [])),
            counts=counts,
            state_key=header.get("state_key") if kind == "apply" else None,
        )
    )
    rows = (
        {
            "serial": serial,
            "seq": seq,
            "table_name": e.table,
            "pk": e.pk,
            "action": e.action,
            "fingerprint": e.fingerprint,
            "before": e.before,
        }
        for seq, e in enumerate(events)
    )
    # In chunks: a million-row apply never holds a million event rows at once.
    while chunk := list(itertools.islice(rows, EVENT_CHUNK)):
        if write_rows is not None:
            write_rows(seed_row_event, chunk)
        else:
            conn.execute(seed_row_event.insert(), chunk)
    return serial


def to_json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
