"""Write stamps: which transaction wrote an apply, and whether a row is still as it left it.

On PostgreSQL every row version carries ``xmin``, the id of the transaction that wrote it; an
UPDATE writes a new version with the updater's id. An apply writes its rows and its journal
record in one transaction, and records that transaction as its stamp,
``"<system identifier>:<64-bit transaction id>"``. A row whose ``xmin`` is the stamp of the apply
that journaled its last-applied fingerprint has not been written since, by anyone: it still
holds exactly what that apply wrote, and need not be read and fingerprinted to know it.

A stamp is only taken as such on the cluster that wrote it (a dump restored elsewhere, or a
pg_upgrade, has another system identifier) and while fewer than 2^31 transactions have passed
since (``xmin`` holds the low 32 bits of the id; only after 2^32 transactions could another
transaction have the same ones). Any other case, and SQLite, which has no ``xmin``, reads the
rows and compares fingerprints instead.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

_WINDOW = 2**31  # transactions after an apply for which its stamp is trusted


def _cluster(conn: sa.Connection) -> str | None:
    """The cluster's system identifier, when the role may read it (it may by default)."""
    allowed = conn.exec_driver_sql(
        "SELECT has_function_privilege('pg_control_system()', 'EXECUTE')").scalar()
    if not allowed:
        return None
    return str(conn.exec_driver_sql(
        "SELECT system_identifier FROM pg_control_system()").scalar())


def current(conn: sa.Connection) -> str | None:
    """The stamp of the transaction behind ``conn`` (it gets an id if it has none yet); None
    on SQLite."""
    if conn.dialect.name != "postgresql":
        return None
    cluster = _cluster(conn)
    if cluster is None:
        return None
    return f"{cluster}:{conn.exec_driver_sql('SELECT txid_current()').scalar()}"


def usable(conn: sa.Connection, stamps: Mapping[int, str]) -> dict[int, int]:
    """Apply serial -> the ``xmin`` its rows carry, for the stamps that can be trusted here and
    now (this cluster, recent enough); empty on SQLite."""
    if conn.dialect.name != "postgresql" or not stamps:
        return {}
    cluster = _cluster(conn)
    if cluster is None:
        return {}
    # The next transaction id, without giving this (reading) transaction one.
    upcoming = int(conn.exec_driver_sql(
        "SELECT txid_snapshot_xmax(txid_current_snapshot())").scalar_one())
    out: dict[int, int] = {}
    for serial, stamp in stamps.items():
        where, _, xid = stamp.partition(":")
        if where == cluster and xid.isdigit() and 0 <= upcoming - int(xid) < _WINDOW:
            out[serial] = int(xid) % 2**32
    return out
