"""Reading the journal (its head and the ownership projection) and appending to it.

Ownership is a projection of the row events, replayed in (serial, seq) order: a create or an
update makes a row owned with the fingerprint it was left with; a delete ends ownership.
Nothing ever rewrites or deletes an event.

Stored events: an update or a delete is one ``seed_row_event`` row (with its before-image); a
run of created rows of one table is one row too, its ``pk`` and ``fingerprint`` the keys and
fingerprints of the run joined by newlines (a single create is a run of one, so journals
written one row per create read the same). A million created rows are twenty stored events,
not a million: far less for the server to insert and index, and for every plan to read.

A run of creates also keeps its rows' values, compressed (its *image*): rows deleted behind the
seeder's back are created again from it, without running the enrichers that made them.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import itertools
import json
import socket
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.errors import JournalFormatError
from mentara_seed.schema.tables import TABLES
from mentara_seed.state import stamps
from mentara_seed.state.tables import (
    OLD_EVENT_INDEX,
    journal_metadata,
    seed_apply,
    seed_row_event,
    seed_verified,
)

JOURNAL_FORMAT = 2  # runs of created rows (1: one stored event per created row)
EVENT_CHUNK = 50_000  # created rows per stored event at most (and stored events per write)
SEPARATOR = "\n"  # between the keys (and fingerprints) of a stored run of creates


@dataclass(frozen=True, slots=True)
class RowEvent:
    table: str
    pk: str
    action: str
    fingerprint: str | None
    before: dict[str, Any] | None = None
    serial: int = 0  # of the apply that wrote it, as read from the journal
    identity: str | None = None  # an update's new ``createdAt``, when it set one


@dataclass(frozen=True, slots=True)
class Created:
    """Rows of one table created one after the other: their keys and fingerprints, in order
    (what an apply journals of its creates, without an event object per row)."""

    table: str
    pks: Sequence[str]
    fingerprints: Sequence[str]
    serial: int = 0  # of the apply that wrote it, as read from the journal
    # The rows' images (``image``), one for each EVENT_CHUNK rows from the first; when writing.
    images: Sequence[bytes] | None = None


Event = RowEvent | Created


@dataclass(slots=True)
class JournalState:
    """The journal's head: serial of the last event, the time anchor in force, the lineage, and
    who owns which row (table -> pk -> last-applied fingerprint); for every owned row the
    serial of the apply that journaled that fingerprint (as read; not moved on by ``advance``),
    and the applies' write stamps by serial (``state.stamps``)."""

    serial: int = 0
    anchor: dt.datetime | None = None
    lineage: str | None = None
    initialized: bool = False
    owned: dict[str, dict[str, str]] = field(default_factory=dict)
    state_key: str | None = None  # the last record's, when it is an apply that held nothing
    stamps: dict[int, str] = field(default_factory=dict)
    written: dict[str, dict[str, int]] = field(default_factory=dict)


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


@dataclass(frozen=True, slots=True)
class AppliedSettings:
    """The settings of the journal's last apply or destroy (``serial``): what a run uses for a
    setting it is not given (``settings.remember``). ``scale`` and ``minimums`` are None
    when that record was written before the journal kept them; ``kept`` holds the minimums
    kept above the settings' own (``planner.remembered``); ``anchor`` is the anchor in force."""

    serial: int
    profile: str | None
    project_seed: int | None
    scale: int | None = None
    minimums: dict[str, dict[str, Any]] | None = None
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)
    anchor: str | None = None
    # The plan warnings of that apply (enricher, entity, reason), shown again by a plan that
    # finds nothing changed since and so runs no enricher to find them.
    warnings: tuple[dict[str, str], ...] = ()


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
    foreign key it no longer has (they only slowed every write), store runs uncompressed."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{journal_metadata.schema}"'))
    journal_metadata.create_all(conn)
    present = _record_columns(conn)
    for name, sql_type in _ADDED_LATER.items():
        if name not in present:
            conn.execute(sa.text(f"ALTER TABLE {_qualified(conn, seed_apply)} "
                                 f"ADD COLUMN {name} {sql_type}"))
    event_columns = _event_columns(conn)
    for name, column_type in (("image", sa.LargeBinary()), ("identity", sa.Text())):
        if name not in event_columns:
            conn.execute(sa.text(f"ALTER TABLE {_qualified(conn, seed_row_event)} ADD COLUMN "
                                 f"{name} {column_type.compile(dialect=conn.dialect)}"))
    schema = _schema(conn)
    index = f'"{schema}"."{OLD_EVENT_INDEX}"' if schema else f'"{OLD_EVENT_INDEX}"'
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {index}"))
    if conn.dialect.name == "postgresql":
        # Looked up first: ALTER TABLE locks the table even when there is nothing to drop.
        # (SQLite cannot drop a constraint in place; an old file keeps its harmless key.)
        events = _qualified(conn, seed_row_event)
        # The runs of keys and fingerprints are stored as they are, not compressed: they are
        # hex digits and ids that compress little, and compressing them cost more than the
        # insert itself. Images come compressed already.
        plain = [n for (n,) in conn.execute(sa.text(
            "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
            "AND attname IN ('pk', 'fingerprint', 'image') AND attstorage <> 'e' "
            "ORDER BY attname"),
            {"t": events}).all()]
        if plain:
            conn.execute(sa.text(f"ALTER TABLE {events} " + ", ".join(
                f'ALTER COLUMN "{n}" SET STORAGE EXTERNAL' for n in plain)))
        for (name,) in conn.execute(sa.text(
                "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
                "AND contype = 'f' ORDER BY conname"), {"t": events}).all():
            conn.execute(sa.text(f'ALTER TABLE {events} DROP CONSTRAINT "{name}"'))


def _qualified(conn: sa.Connection, table: sa.Table) -> str:
    schema = _schema(conn)
    return f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'


# Columns a journal made by an earlier version may lack until the next command that writes.
_ADDED_LATER = {"state_key": "TEXT", "journal_format": "INTEGER", "xact": "TEXT",
                "settings": "TEXT"}


def _columns(conn: sa.Connection, table: sa.Table) -> set[str]:
    """The names of the journal table's columns. On PostgreSQL one catalog query (the
    inspector's ``get_columns`` sends three, and every command asks several times)."""
    if conn.dialect.name == "postgresql":
        return set(conn.execute(sa.text(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) "
            "AND attnum > 0 AND NOT attisdropped"), {"t": _qualified(conn, table)}).scalars())
    return {c["name"] for c in sa.inspect(conn).get_columns(table.name, schema=_schema(conn))}


def _record_columns(conn: sa.Connection) -> set[str]:
    return _columns(conn, seed_apply)


def _event_columns(conn: sa.Connection) -> set[str]:
    """The event table's columns (a journal of an earlier version lacks ``image`` and
    ``identity`` until the next command that writes)."""
    return _columns(conn, seed_row_event)


def _has_images(conn: sa.Connection) -> bool:
    return "image" in _event_columns(conn)


def _records(conn: sa.Connection) -> sa.Select[Any]:
    """Every apply record in serial order; the columns added later NULL on a journal not yet
    upgraded."""
    present = _record_columns(conn)
    columns = [c for c in seed_apply.c if c.name not in _ADDED_LATER]
    later = [seed_apply.c[n] if n in present else sa.null().label(n) for n in _ADDED_LATER]
    return sa.select(*columns, *later).order_by(seed_apply.c.serial)


def drop(conn: sa.Connection) -> None:
    """Drop the journal (``seed reset`` only)."""
    journal_metadata.drop_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{journal_metadata.schema}" CASCADE'))


def replay(events: Iterable[Event],
           written: dict[str, dict[str, int]] | None = None) -> dict[str, dict[str, str]]:
    """The ownership projection of row events given in journal order; ``written``, if given,
    receives the serial of the event that left each owned row as it is."""
    return advance({}, events, written)


def advance(owned: dict[str, dict[str, str]], events: Iterable[Event],
            written: dict[str, dict[str, int]] | None = None) -> dict[str, dict[str, str]]:
    """``owned`` (changed in place, and returned) moved on by the events that follow it."""
    for event in events:
        rows = owned.setdefault(event.table, {})
        by = written.setdefault(event.table, {}) if written is not None else None
        if isinstance(event, Created):
            rows.update(zip(event.pks, event.fingerprints, strict=True))
            if by is not None:
                by.update(zip(event.pks, itertools.repeat(event.serial)))
        elif event.action == "delete":
            rows.pop(event.pk, None)
            if by is not None:
                by.pop(event.pk, None)
        else:
            assert event.fingerprint is not None
            rows[event.pk] = event.fingerprint
            if by is not None:
                by[event.pk] = event.serial
    for table in [t for t, rows in owned.items() if not rows]:
        del owned[table]
        if written is not None:
            written.pop(table, None)
    return owned


_ACTIONS = frozenset({"create", "update", "delete"})
_TABLE_NAMES = frozenset(TABLES)


def _check_event(table: str, action: str) -> None:
    if table not in _TABLE_NAMES or action not in _ACTIONS:
        raise ValueError(f"a row event names table {table!r}, action {action!r}")


def _stored(table: str, pk: str, action: str, fingerprint: str | None,
            serial: int = 0) -> Event:
    """A stored event as read: a run of creates (or a single one) as ``Created``. A value the
    seeder never writes there (the journal was edited by hand) is a ValueError."""
    _check_event(table, action)
    if action == "create":
        if fingerprint is None:
            raise ValueError(f"the create of {table} {pk} has no fingerprint")
        return Created(table, pk.split(SEPARATOR), fingerprint.split(SEPARATOR), serial)
    return RowEvent(table, pk, action, fingerprint, serial=serial)


def expand(events: Iterable[Event]) -> Iterator[RowEvent]:
    """One ``RowEvent`` per row."""
    for event in events:
        if isinstance(event, Created):
            for pk, fp in zip(event.pks, event.fingerprints, strict=True):
                yield RowEvent(event.table, pk, "create", fp)
        else:
            yield event


def read(conn: sa.Connection) -> JournalState:
    """The journal's head and ownership projection; an empty state where there is no journal."""
    if not exists(conn):
        return JournalState()
    state = JournalState()
    for row in conn.execute(_records(conn)).mappings():
        if (row["journal_format"] or 1) > JOURNAL_FORMAT:
            raise JournalFormatError(
                f"This database's journal was written by a newer mentara-seed (apply "
                f"{row['serial']}, by {row['tool_version']}, stores its events in journal "
                f"format {row['journal_format']}; this version, {__version__}, reads formats up "
                f"to {JOURNAL_FORMAT}). Nothing was read or written. Upgrade mentara-seed to "
                "plan or apply against this database.")
        state.serial = row["serial"]
        state.state_key = row["state_key"] if row["kind"] == "apply" else None
        state.lineage = row["lineage"] or state.lineage
        if row["kind"] == "init":
            state.initialized = True
        if row["anchor"]:
            state.anchor = dt.datetime.fromisoformat(row["anchor"])
        if row["xact"]:
            state.stamps[row["serial"]] = row["xact"]
    state.owned = replay(_events(conn), state.written)
    return state


def _events(conn: sa.Connection) -> Iterator[Event]:
    """Every stored event in journal order (without before-images). On PostgreSQL straight
    from the driver, a chunk at a time: every plan reads the journal."""
    if conn.dialect.name != "postgresql":
        query = sa.select(
            seed_row_event.c.table_name,
            seed_row_event.c.pk,
            seed_row_event.c.action,
            seed_row_event.c.fingerprint,
            seed_row_event.c.serial,
        ).order_by(seed_row_event.c.serial, seed_row_event.c.seq)
        for table, pk, action, fp, serial in conn.execute(query):
            yield _stored(table, pk, action, fp, serial)
        return
    names: dict[str, str] = {}  # one string per table name and action
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT table_name, pk, action, fingerprint, serial FROM "
                       f"{_qualified(conn, seed_row_event)} ORDER BY serial, seq")
        while chunk := cursor.fetchmany(100):  # a stored run holds up to 50,000 keys
            for table, pk, action, fp, serial in chunk:
                yield _stored(names.setdefault(table, table), pk,
                              names.setdefault(action, action), fp, serial)


def events_of(conn: sa.Connection, serial: int) -> list[RowEvent]:
    """The row events of one apply, one per row, in the order they were written (with
    before-images)."""
    query = (sa.select(*(c for c in seed_row_event.c if c.name not in ("image", "identity")))
             .where(seed_row_event.c.serial == serial)
             .order_by(seed_row_event.c.seq))
    out: list[RowEvent] = []
    for r in conn.execute(query):
        if r.action == "create":
            out.extend(expand([_stored(r.table_name, r.pk, r.action, r.fingerprint)]))
        else:
            _check_event(r.table_name, r.action)
            out.append(RowEvent(r.table_name, r.pk, r.action, r.fingerprint, r.before))
    return out


def ownership_before(conn: sa.Connection, serial: int) -> dict[str, dict[str, str]]:
    """The ownership projection as it was before apply ``serial`` (replay of earlier events)."""
    query = sa.select(
        seed_row_event.c.table_name, seed_row_event.c.pk, seed_row_event.c.action,
        seed_row_event.c.fingerprint,
    ).where(seed_row_event.c.serial < serial).order_by(
        seed_row_event.c.serial, seed_row_event.c.seq)
    return replay(_stored(t, pk, a, fp) for t, pk, a, fp in conn.execute(query))


def touched_after(conn: sa.Connection, serial: int) -> set[tuple[str, str]]:
    """(table, pk) of every row an apply after ``serial`` wrote."""
    query = sa.select(seed_row_event.c.table_name, seed_row_event.c.pk,
                      seed_row_event.c.action).where(seed_row_event.c.serial > serial)
    return {(t, key) for t, pk, action in conn.execute(query)
            for key in (pk.split(SEPARATOR) if action == "create" else (pk,))}


def verified(conn: sa.Connection, state_key: str) -> int | None:
    """The journal serial at which the state ``state_key`` was verified to hold every minimum,
    if it was (``seed_verified``)."""
    if not sa.inspect(conn).has_table(seed_verified.name, schema=_schema(conn)):
        return None
    return conn.execute(sa.select(seed_verified.c.serial)
                        .where(seed_verified.c.state_key == state_key)).scalar()


def record_verified(conn: sa.Connection, state_key: str, serial: int) -> None:
    """Record that the state ``state_key`` holds every minimum (once per state)."""
    if verified(conn, state_key) is None:
        conn.execute(seed_verified.insert().values(
            state_key=state_key, serial=serial, tool_version=__version__,
            verified_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))


SETTING_KINDS = ("apply", "destroy")  # the records whose settings a later run remembers


def applied_settings(conn: sa.Connection) -> AppliedSettings | None:
    """The settings in force after the journal's last record: those of the last apply or
    destroy, where an undo puts back the ones in force before the apply it undid (and an undo
    of an undo those of the apply it redid). None when there are none (no journal, or only
    ``seed init``). Reads the apply records only, never the row events."""
    if not exists(conn):
        return None
    last: AppliedSettings | None = None
    before: dict[int, AppliedSettings | None] = {}  # serial -> the settings in force before it
    anchor: str | None = None
    for row in conn.execute(_records(conn)).mappings():
        anchor = row["anchor"] or anchor
        before[row["serial"]] = last
        stored = _settings_of(row["settings"])
        if row["kind"] == "undo" and isinstance(stored.get("undoes"), int):
            last = before.get(stored["undoes"], last)
        elif row["kind"] in SETTING_KINDS:
            last = AppliedSettings(
                serial=row["serial"], profile=row["profile"], project_seed=row["project_seed"],
                scale=stored.get("scale"), minimums=stored.get("minimums"),
                kept=stored.get("kept") or {}, warnings=tuple(stored.get("warnings") or ()))
    return None if last is None else replace(last, anchor=anchor)


def _settings_of(text: str | None) -> dict[str, Any]:
    """A record's ``settings`` as stored; empty when absent or not what this version wrote."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _settings_text(kind: str, header: dict[str, Any]) -> str | None:
    """What an apply or destroy records in ``settings``: from its plan's request."""
    request = header.get("request")
    if kind == "undo" and request and isinstance(request.get("undoes"), int):
        return to_json_text({"undoes": request["undoes"]})
    if kind not in SETTING_KINDS or not request:
        return None
    return to_json_text({"scale": request.get("scale"), "minimums": request.get("minimums", {}),
                         "kept": request.get("kept", {}),
                         **({"warnings": header["warnings"]} if header.get("warnings") else {})})


def history(conn: sa.Connection) -> list[ApplyRecord]:
    if not exists(conn):
        return []
    out = []
    for row in conn.execute(_records(conn)).mappings():
        out.append(ApplyRecord(row["serial"], row["kind"], row["applied_at"], row["actor"],
                               row["profile"], _names(row["targets"]),
                               _counts(row["counts"]), row["anchor"]))
    return out


def _names(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"an apply's targets are {value!r:.60}, not a list of names")
    return value


def _counts(value: Any) -> dict[str, Any]:
    """An apply's counts as written: {action: {table: rows}}."""
    if not (isinstance(value, dict) and all(
            isinstance(per, dict) and all(isinstance(n, int) for n in per.values())
            for per in value.values())):
        raise ValueError(f"an apply's counts are {value!r:.60}, not rows per action and table")
    return value


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
    events: Iterable[Event],
    header: dict[str, Any],
    counts: dict[str, Any],
    write_rows: Any = None,
) -> int:
    """Append one apply and its row events; returns the new serial. Runs in the caller's
    transaction, so the journal and the data commit or roll back together. Creates, given
    one by one or as runs, are stored as runs of up to ``EVENT_CHUNK`` rows of one table.

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
            journal_format=JOURNAL_FORMAT,
            xact=stamps.current(conn),
            settings=_settings_text(kind, header),
        )
    )
    rows = (
        (len(e.pks) if isinstance(e, Created) else 1, {
            "serial": serial,
            "seq": seq,
            "table_name": e.table,
            "pk": _joined(e.pks) if isinstance(e, Created) else e.pk,
            "action": "create" if isinstance(e, Created) else e.action,
            "fingerprint": (SEPARATOR.join(e.fingerprints) if isinstance(e, Created)
                            else e.fingerprint),
            "before": None if isinstance(e, Created) else e.before,
            "image": e.images[0] if isinstance(e, Created) and e.images else None,
            "identity": None if isinstance(e, Created) else e.identity,
        })
        for seq, e in enumerate(_runs(events))
    )
    # In chunks of at most EVENT_CHUNK rows' events: a large apply never holds all its event
    # rows at once (a million rows' keys and fingerprints, joined, are some 70 MB).
    for chunk in _chunks(rows):
        if write_rows is not None:
            write_rows(seed_row_event, chunk)
        else:
            conn.execute(seed_row_event.insert(), chunk)
    return serial


def _chunks(rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    """``rows`` (stored events, each with the rows it holds: a run of creates its rows, any
    other event one) in lists holding at most EVENT_CHUNK rows' events."""
    chunk: list[dict[str, Any]] = []
    weight = 0
    for held, row in rows:
        chunk.append(row)
        weight += held
        if weight >= EVENT_CHUNK:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


IMAGE_LEVEL = 1  # zlib: a third of the text's size, at about 200 MB/s


def image(rows: Iterable[tuple[str, str]]) -> bytes:
    """A run's image: for each row the enricher that desired it and its values as text
    (``schema.values.imaged``), one row a line, compressed."""
    return zlib.compress("\n".join(f"{enricher}\t{text}" for enricher, text in rows).encode(),
                         IMAGE_LEVEL)


def images(rows: Sequence[tuple[str, str]]) -> list[bytes]:
    """The images of a run of rows as it is stored: one for each EVENT_CHUNK rows."""
    return [image(rows[start:start + EVENT_CHUNK]) for start in range(0, len(rows), EVENT_CHUNK)]


def recorded(conn: sa.Connection,
             wanted: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, tuple[str, str]]]:
    """The rows ``wanted`` (table -> pk -> serial of the apply that created them) as their runs'
    images recorded them: table -> pk -> (enricher, values as text). A row whose run has no
    image (an earlier version wrote it) is not in the result."""
    if not wanted or not _has_images(conn):
        return {}
    query = (sa.select(seed_row_event.c.serial, seed_row_event.c.table_name,
                       seed_row_event.c.pk, seed_row_event.c.image)
             .where(seed_row_event.c.action == "create",
                    seed_row_event.c.image.is_not(None),
                    seed_row_event.c.table_name.in_(sorted(wanted)),
                    seed_row_event.c.serial.in_(sorted({s for rows in wanted.values()
                                                        for s in rows.values()})))
             .order_by(seed_row_event.c.serial, seed_row_event.c.seq))
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for serial, table, pks, packed in conn.execute(query):
        rows = wanted[table]
        hits = [(i, pk) for i, pk in enumerate(pks.split(SEPARATOR)) if rows.get(pk) == serial]
        if not hits:
            continue
        try:
            lines = zlib.decompress(packed).decode().split("\n")
        except (zlib.error, UnicodeDecodeError):
            continue  # not an image this version wrote: its rows are not found here
        found = out.setdefault(table, {})
        for i, pk in hits:
            if i < len(lines):
                enricher, _, text = lines[i].partition("\t")
                found[pk] = (enricher, text)
    return out


@dataclass(slots=True)
class Written:
    """What the journal recorded of one row's last create and what followed it (for telling a
    row the seeder wrote from one that took its key, ``planner.identity``): the values text
    and fingerprint of its run's image (None without an image), whether an update followed
    the create, and the identity an update set (``identity_set``: one did; None: not known)."""

    created: str | None = None
    created_fp: str | None = None
    updated: bool = False
    identity_set: bool = False
    identity: str | None = None


LOOKUP_CHUNK = 50  # keys looked for in one query


def written(conn: sa.Connection, rows: Mapping[str, Iterable[str]],
            identity_column: str) -> dict[str, dict[str, Written]]:
    """The journal's record of ``rows`` (table -> keys), replayed from every event that names
    them: for the few rows a plan found changed since applied, never for all. An update event
    whose ``before`` holds ``identity_column`` set it (to its ``identity``)."""
    columns = _event_columns(conn)
    picked = [seed_row_event.c[n] if n in columns else sa.null().label(n)
              for n in ("serial", "seq", "pk", "action", "fingerprint", "before", "image",
                        "identity")]
    out: dict[str, dict[str, Written]] = {}
    for table in sorted(rows):
        keys = sorted(set(rows[table]))
        found: dict[tuple[int, int], Any] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            names = sa.or_(*(seed_row_event.c.pk.contains(k, autoescape=True)
                             for k in keys[start:start + LOOKUP_CHUNK]))
            query = sa.select(*picked).where(seed_row_event.c.table_name == table, names)
            found.update(((r.serial, r.seq), r) for r in conn.execute(query))
        out[table] = _replayed(set(keys), [found[k] for k in sorted(found)], identity_column)
    return out


def _replayed(keys: set[str], events: list[Any], identity_column: str) -> dict[str, Written]:
    out: dict[str, Written] = {}
    for event in events:
        if event.action != "create":
            if event.pk not in keys:
                continue
            if event.action == "delete":
                out.pop(event.pk, None)
                continue
            record = out.setdefault(event.pk, Written())
            record.updated = True
            if identity_column in (event.before or {}):
                record.identity_set, record.identity = True, event.identity
            continue
        pks = event.pk.split(SEPARATOR)
        hits = [(i, pk) for i, pk in enumerate(pks) if pk in keys]
        if not hits:
            continue
        lines = _lines(event.image)
        fps = event.fingerprint.split(SEPARATOR)
        for i, pk in hits:
            text = lines[i].partition("\t")[2] if i < len(lines) else None
            out[pk] = Written(created=text, created_fp=fps[i] if i < len(fps) else None)
    return out


def _lines(packed: bytes | None) -> list[str]:
    if packed is None:
        return []
    try:
        return zlib.decompress(packed).decode().split("\n")
    except (zlib.error, UnicodeDecodeError):
        return []  # not an image this version wrote


def _joined(pks: Sequence[str]) -> str:
    text = SEPARATOR.join(pks)
    # Keys are one line each (the planner refuses others), so the run splits back into them.
    assert text.count(SEPARATOR) == len(pks) - 1, "a key of a run holds a line break"
    return text


def _runs(events: Iterable[Event]) -> Iterator[Event]:
    """``events`` with consecutive creates of one table joined into runs of at most
    ``EVENT_CHUNK`` rows; updates and deletes as they are."""
    table = ""
    pks: list[str] = []
    fps: list[str] = []

    def run() -> Iterator[Created]:
        for start in range(0, len(pks), EVENT_CHUNK):
            yield Created(table, pks[start:start + EVENT_CHUNK],
                          fps[start:start + EVENT_CHUNK])

    for event in events:
        if isinstance(event, RowEvent) and event.action == "create":
            assert event.fingerprint is not None
            event = Created(event.table, [event.pk], [event.fingerprint])
        if isinstance(event, Created) and event.images is not None:
            # Stored as its images were cut: a run of its own, EVENT_CHUNK rows a stored event.
            yield from run()
            table, pks, fps = "", [], []
            assert len(event.images) == -(-len(event.pks) // EVENT_CHUNK)
            for n, packed in enumerate(event.images):
                cut = slice(n * EVENT_CHUNK, (n + 1) * EVENT_CHUNK)
                yield Created(event.table, event.pks[cut], event.fingerprints[cut],
                              images=[packed])
            continue
        if isinstance(event, Created):
            if event.table != table:
                yield from run()
                table, pks, fps = event.table, [], []
            pks.extend(event.pks)
            fps.extend(event.fingerprints)
            continue
        yield from run()
        table, pks, fps = "", [], []
        yield event
    yield from run()


def to_json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
