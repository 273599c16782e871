"""Reading a database as the kit compares it: every Mentara row in canonical form, the
journal's ownership (as projected, and as replayed from its raw events) and a full dump."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from mentara_seed import database
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row
from mentara_seed.state import journal
from mentara_seed.state.tables import seed_apply, seed_row_event

Snapshot = dict[str, dict[str, Row]]


@contextmanager
def _connection(url: str) -> Iterator[sa.Connection]:
    engine = database.open_engine(url)
    try:
        with database.connect(engine) as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def snapshot(url: str) -> Snapshot:
    """Every Mentara row in canonical form: table -> primary key -> row."""
    with _connection(url) as conn:
        live = LiveState.read(conn, TABLES)
        return {t: dict(live.by_pk(t)) for t in live.tables()}


def ownership(url: str) -> dict[str, dict[str, str]]:
    """The journal's ownership projection: table -> owned pk -> last-applied fingerprint."""
    with _connection(url) as conn:
        return journal.read(conn).owned


def dump(url: str) -> dict[str, list[str]]:
    """Every row of every table, the journal's included: equal dumps, equal databases."""
    with _connection(url) as conn:
        live = LiveState.read(conn, TABLES)
        out = {t: sorted(repr(sorted(r.items())) for r in live.by_pk(t).values())
               for t in live.tables()}
        if journal.exists(conn):
            for table in (seed_apply, seed_row_event):
                out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(sa.select(table)))
        return out


def _replayed(url: str) -> dict[str, dict[str, str]]:
    """Ownership replayed from the raw journal rows, independently of ``state.journal``."""
    owned: dict[str, dict[str, str]] = {}
    with _connection(url) as conn:
        query = sa.select(seed_row_event.c.table_name, seed_row_event.c.pk,
                          seed_row_event.c.action, seed_row_event.c.fingerprint)
        for table, pk, action, fp in conn.execute(query.order_by(seed_row_event.c.serial,
                                                                 seed_row_event.c.seq)):
            if action == "delete":
                owned.get(table, {}).pop(pk, None)
            elif action == "create":  # a run of created rows: keys and fingerprints by line
                owned.setdefault(table, {}).update(zip(pk.split("\n"), fp.split("\n"),
                                                       strict=True))
            else:
                owned.setdefault(table, {})[pk] = fp
    return {t: rows for t, rows in owned.items() if rows}
