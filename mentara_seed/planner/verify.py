"""Verification: every selected enricher's minimums and consistency rules checked against the
live rows (read now, or as the caller already knows them: after an apply, the tables it did not
write as its plan read them); violations that name a row the seeder does not own are marked
foreign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import sqlalchemy as sa

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry, Violation
from mentara_seed.planner import identity, parallel
from mentara_seed.planner.build import snapshot_tables
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import fingerprint
from mentara_seed.state import journal

PARALLEL_FROM = 50_000  # live rows from which the checks run on both cores


def verify(
    conn: sa.Connection | None,
    enrichers: list[Enricher],
    minimums: Mapping[str, Minimums],
    registry: Registry | None = None,
    *,
    live: LiveState | None = None,
    owned: dict[str, dict[str, str]] | None = None,
    jobs: int = 1,
) -> tuple[list[Violation], LiveState]:
    """Check ``enrichers``' minimums and rules on the database behind ``conn``; the
    violations, and the rows checked. ``live`` and ``owned``, when given, are its rows (of some
    tables) and the journal's ownership as the caller already knows them (an apply has the
    tables its plan read under the lock and did not write, and the ownership it journaled);
    what is not given is read."""
    if needs_database(enrichers, registry, live, owned):
        assert conn is not None
        live = LiveState.read(conn, snapshot_tables(enrichers, everything=False,
                                                    registry=registry), known=live)
    assert live is not None
    read_owned = owned is None
    if owned is None:
        assert conn is not None
        owned = journal.read(conn).owned
    snapshot = live

    def check(e: Enricher) -> list[Violation]:
        return list(e.verify(snapshot, minimums[e.name]))

    # On both cores when the snapshot is large (the checks of a million rows take seconds).
    large = jobs > 1 and live.count() >= PARALLEL_FROM
    found = parallel.map_shared(enrichers, check) if large else None
    if found is None:
        found = [check(e) for e in enrichers]
    violations = [v for per in found for v in per]
    if not violations:
        return [], live
    if read_owned and conn is not None:  # (an apply's ownership leaves them out already)
        owned = _without_recycled(conn, owned, live)
    foreign = _foreign_keys(live, owned)  # every live key: only when something is to be marked
    return [replace(v, foreign=True) if _names_foreign_row(v, foreign) else v
            for v in violations], live


def needs_database(enrichers: list[Enricher], registry: Registry | None,
                   live: LiveState | None, owned: dict[str, dict[str, str]] | None) -> bool:
    """Whether checking ``enrichers`` must read anything that ``live`` and ``owned`` lack."""
    if live is None or owned is None:
        return True
    return not all(live.has(t) for t in snapshot_tables(enrichers, False, registry))


def _without_recycled(conn: sa.Connection, owned: dict[str, dict[str, str]],
                      live: LiveState) -> dict[str, dict[str, str]]:
    """The journal's ownership without the keys someone else's rows now hold
    (``planner.identity``): only rows changed since applied can be such rows."""
    changed = {t: [pk for pk, fp in owned.get(t, {}).items()
                   if (row := live.get(t, pk)) is not None and fingerprint(row) != fp]
               for t in live.tables() if identity.IDENTITY in TABLES[t].c}
    changed = {t: pks for t, pks in changed.items() if pks}
    if not changed:
        return owned
    return identity.without(owned, identity.look(conn, owned, live, changed).foreign)


def _foreign_keys(live: LiveState, owned: dict[str, dict[str, str]]) -> set[str]:
    """Primary keys (and user emails) of live rows the seeder does not own."""
    keys: set[str] = set()
    for table in live.tables():
        mine = owned.get(table, {})
        keys.update(pk for pk in live.by_pk(table) if pk not in mine)
    if live.has("User"):
        mine = owned.get("User", {})
        keys.update(u["email"] for u in live.rows("User") if u["id"] not in mine)
    return keys


def _names_foreign_row(violation: Violation, foreign: set[str]) -> bool:
    # A consistency violation names its row ("comment <id>", "client <email>"); a minimum
    # names a role, a community or a count and stays the seeder's to fix.
    return any(token.strip(",:;()'\"") in foreign for token in violation.entity.split())
