"""The apply lock: one apply at a time per database.

PostgreSQL: a transaction-level advisory lock (released by commit or rollback, so a killed
process never leaves it behind). SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock at
the start of the transaction (see ``database``; both waits are reported and bounded).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlalchemy as sa

from mentara_seed.database import wait_for

LOCK_KEY = int.from_bytes(hashlib.sha256(b"mentara-seed apply lock").digest()[:8], "big",
                          signed=True)


def holder(conn: sa.Connection) -> str:
    """Who holds the advisory lock (application, user, client address, since when)."""
    row = conn.execute(
        sa.text(
            "SELECT a.pid, a.application_name, a.usename, a.client_addr, a.xact_start "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
        ),
        {"hi": (LOCK_KEY >> 32) & 0xFFFFFFFF, "lo": LOCK_KEY & 0xFFFFFFFF},
    ).first()
    if row is None:
        return "another session"
    who = row.application_name or "a client"
    addr = row.client_addr or "local socket"
    since = f"{row.xact_start:%H:%M:%S}" if row.xact_start else "?"
    return f"{who} (pid {row.pid}, user {row.usename}, from {addr}, since {since})"


def acquire(
    conn: sa.Connection,
    timeout: float,
    on_wait: Callable[[str], None] | None = None,
    poll: float = 0.2,
) -> None:
    """Take the apply lock inside the current transaction, waiting at most ``timeout`` s."""
    if conn.dialect.name != "postgresql":
        return
    query = sa.text("SELECT pg_try_advisory_xact_lock(:key)")
    wait_for(lambda: bool(conn.execute(query, {"key": LOCK_KEY}).scalar_one()),
             lambda: holder(conn), timeout, on_wait,
             "Another apply holds the lock on this database:", poll)
