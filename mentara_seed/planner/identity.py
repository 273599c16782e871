"""Telling what a person did from what the database did, and whose row a key holds.

An owned row whose live values no longer digest to the journal's fingerprint changed since
the seeder wrote it. Two such changes are not hand edits of the seeder's row:

- **A cascade.** A person deleted a parent, and the schema's ``ON DELETE SET NULL`` set the
  row's reference to NULL. Recognised precisely: the live row differs from the row last applied
  only in columns of such foreign keys, each now NULL, each pointing (as last applied) to a
  row that is not live. The row last applied is known two ways: the desired row, when putting
  its values into the NULLed columns gives exactly the recorded fingerprint; or the journal's
  image of the row (``state.journal.last_applied``), when the desired row chose otherwise.
  Such a row is restored like a desired change (reason ``cascaded``), never held as drift.
- **A recycled key.** A person deleted the owned row and inserted a row of their own with the
  same key. The app sets ``createdAt`` when it inserts a row and an edit keeps it, so a live
  row whose ``createdAt`` differs from the one the seeder last applied is another row: it is
  foreign, never updated or deleted (a row that is the seeder's in every other column had
  its ``createdAt`` edited: that is drift). Tables without ``createdAt`` (join rows with
  natural keys, rooms), and rows whose journal keeps no ``createdAt`` (written by earlier
  versions), are owned by key.

  The enrichers still see such a key as their own (they fill their slots by key, and a slot
  that is also a foreign row would be counted twice); the diff, ``seed destroy``, ``seed
  undo`` and verification take it as foreign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa

from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, fingerprint, from_jsonable, from_text
from mentara_seed.state import journal

IDENTITY = "createdAt"  # what an insert sets and an edit keeps


@cache
def nulled_by_delete(table: str) -> tuple[tuple[str, str, str], ...]:
    """(column, parent table, parent column) of ``table``'s foreign keys that the database sets
    to NULL when the parent row is deleted."""
    return tuple(sorted(
        (fk.parent.name, fk.column.table.name, fk.column.name)
        for fk in TABLES[table].foreign_keys if (fk.ondelete or "").upper() == "SET NULL"))


def _gone(live: LiveState, parent: str, column: str, value: object) -> bool:
    """Whether no live ``parent`` row has ``value`` in ``column`` (False when the snapshot does
    not hold the parent table: then it cannot be told)."""
    if not live.has(parent):
        return False
    if column == pk_name(TABLES[parent]):
        return value not in live.by_pk(parent)
    return all(r[column] != value for r in live.rows(parent))


def cascaded(table: str, live_row: Row, last_fp: str, live: LiveState,
             desired_row: Row | None, applied_row: Row | None) -> bool:
    """Whether ``live_row`` is the row last applied (``last_fp``) but for references the
    database set to NULL when a person deleted their parents. ``desired_row`` and
    ``applied_row`` (the journal's image, when known) are the candidates for the row last
    applied; each is taken only when it has exactly the recorded fingerprint."""
    columns = nulled_by_delete(table)
    if not columns or all(live_row[c] is not None for c, _, _ in columns):
        return False
    for source in (desired_row, applied_row):
        if source is None:
            continue
        nulled = [(c, p, pc) for c, p, pc in columns
                  if live_row[c] is None and source.get(c) is not None]
        if not nulled:
            continue
        if fingerprint({**live_row, **{c: source[c] for c, _, _ in nulled}}) != last_fp:
            continue
        if all(_gone(live, parent, pc, source[c]) for c, parent, pc in nulled):
            return True
    return False


def cascade_suspects(live: LiveState,
                     owned: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """Owned live rows that a cascade may have changed: a reference the database sets to NULL
    is NULL, and the row no longer digests to its recorded fingerprint. Asked of the journal
    before the enrichers run, so they see such a row as it was applied (``restorable``)."""
    out: dict[str, list[str]] = {}
    for table in sorted(owned):
        columns = [c for c, _, _ in nulled_by_delete(table)]
        if not columns or not live.has(table):
            continue
        fps = owned[table]
        keys = [pk for pk, row in live.by_pk(table).items()
                if pk in fps and any(row[c] is None for c in columns)
                and fingerprint(row) != fps[pk]]
        if keys:
            out[table] = sorted(keys)
    return out


def restorable(found: Found, live: LiveState,
               owned: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, Row]]:
    """The rows a cascade changed, as they were applied (the journal's images in ``found``):
    per table, key -> the live row with the NULLed references put back. The enrichers take
    such a row as applied once the rows it references are back (``PlanContext.applied``), so
    a post whose community was deleted and comes back returns to its room, unchanged."""
    out: dict[str, dict[str, Row]] = {}
    for table, images in sorted(found.applied.items()):
        columns = nulled_by_delete(table)
        for pk, image in sorted(images.items()):
            live_row, last = live.get(table, pk), owned.get(table, {}).get(pk)
            if live_row is None or last is None or not cascaded(table, live_row, last, live,
                                                                None, image):
                continue
            out.setdefault(table, {})[pk] = {
                **live_row, **{c: image[c] for c, _, _ in columns if live_row[c] is None}}
    return out


def recycled(live_row: Row, last_fp: str, applied_identity: object) -> bool:
    """Whether ``live_row``, an owned key's live row that changed since it was applied
    (``last_fp``), is another row than the one the seeder wrote: its ``createdAt`` is not the
    one last applied (``applied_identity``; None when the journal does not know it), and it
    differs in more than that (a row that is the seeder's but for ``createdAt`` had that one
    column edited: drift)."""
    if applied_identity is None or IDENTITY not in live_row:
        return False
    if live_row[IDENTITY] == applied_identity:
        return False
    return fingerprint({**live_row, IDENTITY: applied_identity}) != last_fp


def without(owned: dict[str, dict[str, str]],
            foreign: Mapping[str, set[str]]) -> dict[str, dict[str, str]]:
    """The ownership with the ``foreign`` keys (recycled ones) left out: ``owned`` itself
    when there are none, else a new mapping sharing the tables they are not in."""
    if not any(foreign.values()):
        return owned
    out = dict(owned)
    for table, gone in foreign.items():
        kept = {pk: fp for pk, fp in owned.get(table, {}).items() if pk not in gone}
        if kept:
            out[table] = kept
        else:
            out.pop(table, None)
    return out


@dataclass(slots=True)
class Found:
    """What the journal told of suspect rows: rows as last applied (from its images), and
    owned keys another row now holds (recycled: foreign from now on)."""

    applied: dict[str, dict[str, Row]] = field(default_factory=dict)
    foreign: dict[str, set[str]] = field(default_factory=dict)

    def merge(self, other: Found) -> None:
        for table, rows in other.applied.items():
            self.applied.setdefault(table, {}).update(rows)
        for table, keys in other.foreign.items():
            self.foreign.setdefault(table, set()).update(keys)


def look(conn: sa.Connection, owned: Mapping[str, Mapping[str, str]], live: LiveState,
         suspects: Mapping[str, list[str]]) -> Found:
    """The journal's record of ``suspects`` (owned live rows changed since applied): each one's
    row as last applied when the image of its create still is, and which are recycled."""
    found = Found()
    records = journal.written(conn, suspects, IDENTITY)
    for table, keys in sorted(suspects.items()):
        columns = [c.name for c in TABLES[table].columns]
        recorded = records.get(table, {})
        for pk in keys:
            record = recorded.get(pk)
            live_row = live.get(table, pk)
            if record is None or live_row is None:
                continue
            created = _read(record.created, columns, record.created_fp)
            if created is not None and _as_created(record, owned.get(table, {}).get(pk)):
                found.applied.setdefault(table, {})[pk] = created
            if record.identity_set:
                known = (None if record.identity is None else
                         from_jsonable(TABLES[table].c[IDENTITY], record.identity))
            else:
                known = created.get(IDENTITY) if created is not None else None
            if pk in owned.get(table, {}) and recycled(live_row, owned[table][pk], known):
                found.foreign.setdefault(table, set()).add(pk)
    return found


def gone(conn: sa.Connection, owned: Mapping[str, Mapping[str, str]], live: LiveState,
         tables: Sequence[str]) -> dict[str, dict[str, Row]]:
    """The owned rows of ``tables`` that are not live (deleted by hand, or by a cascade), as
    last applied: from the image of their create, when the journal still has it and nothing
    updated them since. Per table, key -> row; nothing is read when none is gone."""
    missing = {t: [pk for pk in sorted(owned.get(t, {})) if live.get(t, pk) is None]
               for t in sorted(set(tables)) if live.has(t)}
    missing = {t: pks for t, pks in missing.items() if pks}
    if not missing:
        return {}
    out: dict[str, dict[str, Row]] = {}
    records = journal.written(conn, missing, IDENTITY)
    for table, keys in missing.items():
        columns = [c.name for c in TABLES[table].columns]
        recorded = records.get(table, {})
        for pk in keys:
            record = recorded.get(pk)
            if record is None or not _as_created(record, owned[table][pk]):
                continue
            row = _read(record.created, columns, record.created_fp)
            if row is not None:
                out.setdefault(table, {})[pk] = row
    return out


def _as_created(record: journal.Written, last_fp: str | None) -> bool:
    """Whether the row was last applied as it was created: nothing updated it since, and the
    ownership projection (``last_fp``) records its create's fingerprint. Then the image of
    its create is the row as last applied."""
    return not record.updated and last_fp is not None and record.created_fp == last_fp


def _read(text: str | None, columns: list[str], recorded_fp: str | None) -> Row | None:
    """An image's row, when it reads back to the fingerprint recorded with it."""
    values = from_text(text) if text is not None else None
    if values is None or len(values) != len(columns):
        return None
    row = dict(zip(columns, values, strict=True))
    return row if fingerprint(row) == recorded_fp else None
