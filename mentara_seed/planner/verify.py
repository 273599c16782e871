"""Verification: every selected enricher's minimums and consistency rules checked against the
live rows (read now, or as the caller already knows them: after an apply, the tables it did not
write as its plan read them); violations that name a row the seeder does not own are marked
foreign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

import sqlalchemy as sa

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry, Violation
from mentara_seed.planner import parallel
from mentara_seed.planner.running import snapshot_tables
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import fingerprint
from mentara_seed.state import journal

PARALLEL_FROM = 50_000  # live rows from which the checks run on both cores
PEOPLE = frozenset({"User", "Client", "Therapist", "Admin", "Moderator"})


def verify(
    conn: sa.Connection | None,
    enrichers: list[Enricher],
    minimums: Mapping[str, Minimums],
    registry: Registry | None = None,
    *,
    live: LiveState | None = None,
    owned: dict[str, dict[str, str]] | None = None,
    jobs: int = 1,
    anchor: dt.datetime | None = None,
    excused: Collection[tuple[str, str]] | None = None,
) -> tuple[list[Violation], LiveState]:
    """Check ``enrichers``' minimums and rules on the database behind ``conn``; the
    violations, and the rows checked. ``live`` and ``owned``, when given, are its rows (of some
    tables) and the journal's ownership as the caller already knows them (an apply has the
    tables its plan read under the lock and did not write, and the ownership it journaled);
    what is not given is read. ``anchor``: the time anchor in force (else the journal's),
    which tells the verifiers the minimums their planners warned cannot be met. ``excused``:
    (enricher, entity) of the plan warnings in force (else the last apply's, from the
    journal): a minimum the plan said cannot be met for an entity is not a violation."""
    if needs_database(enrichers, registry, live, owned):
        assert conn is not None
        live = LiveState.read(conn, snapshot_tables(enrichers, everything=False,
                                                    registry=registry), known=live)
    assert live is not None
    if owned is None or (anchor is None and conn is not None):
        assert conn is not None
        state = journal.read(conn)
        owned = state.owned if owned is None else owned
        anchor = anchor or state.anchor
    live.anchor = anchor
    if excused is None:
        applied = journal.applied_settings(conn) if conn is not None else None
        excused = {(str(w.get("enricher")), str(w.get("entity"))) for w in applied.warnings
                   if isinstance(w, dict)} if applied is not None else set()
    writes = {e.name: e.writes for e in enrichers}
    found = [v for v in _checked(enrichers, minimums, live, jobs)
             if not (v.is_minimum and (v.enricher, v.entity) in excused)]
    return attribute(found, live, owned, writes), live


def _checked(enrichers: list[Enricher], minimums: Mapping[str, Minimums], live: LiveState,
             jobs: int) -> list[Violation]:
    def check(e: Enricher) -> list[Violation]:
        return e.violations(live, minimums[e.name])

    # On both cores when the snapshot is large (the checks of a million rows take seconds).
    large = jobs > 1 and live.count() >= PARALLEL_FROM
    found = parallel.map_shared(enrichers, check) if large else None
    if found is None:
        found = [check(e) for e in enrichers]
    return [v for per in found for v in per]


def introduced(
    found: list[Violation], enrichers: list[Enricher], minimums: Mapping[str, Minimums],
    registry: Registry | None, before: LiveState | None, written: set[str], *, jobs: int = 1,
    anchor: dt.datetime | None = None,
) -> list[Violation]:
    """The rules in ``found`` (the state an apply leaves) broken by the seeder's own rows that
    the apply broke: not broken in ``before`` (the rows the apply started from), or, when
    those are not all known, naming a row it wrote (``written``: their keys)."""
    suspects = [v for v in found if not v.foreign and not v.is_minimum]
    if not suspects:
        return []
    if before is not None and all(
            before.has(t) for t in snapshot_tables(enrichers, False, registry)):
        before.anchor = anchor
        was = {str(v) for v in _checked(enrichers, minimums, before, jobs)}
        return [v for v in suspects if str(v) not in was]
    return [v for v in suspects if v.named() & written]


def attribute(violations: list[Violation], live: LiveState,
              owned: Mapping[str, Mapping[str, str]],
              writes: Mapping[str, tuple[str, ...]]) -> list[Violation]:
    """``violations`` with each rule broken by a row the seeder did not write as it is now
    marked foreign (a warning): a row it does not own, or an owned row edited since its apply
    (its live fingerprint is not the one the journal recorded). The rows at fault are the rows
    the rule names, but people (users and their profiles, unless the enricher writes them):
    a person is whom a rule is about ("client X: 2 welcome notifications"), not what breaks
    it. Minimums stay the seeder's, but one whose ``inputs`` (the rows that would count toward
    it) hold an owned row a person edited: the plan keeps that edit (``drifted``) until
    ``--update``, so the shortfall is the edit's."""
    others: dict[str, set[str]] = {}
    edited: dict[str, set[str]] = {}
    for name, own in writes.items():
        named: set[str] = set()
        counted: set[str] = set()
        for v in violations:
            if v.enricher == name and not v.is_minimum:
                named |= v.named() | set(v.inputs)
            elif v.enricher == name and v.inputs:
                counted |= set(v.inputs)
        if named:
            tables = [t for t in live.tables() if t not in PEOPLE or t in own]
            others[name] = not_as_written(live, owned, named, tables)
        if counted:
            edited[name] = not_as_written(live, owned, counted, own, edited_only=True)
    return [replace(v, foreign=True)
            if (not v.is_minimum and (v.named() | set(v.inputs)) & others.get(v.enricher, set()))
            or (v.is_minimum and set(v.inputs) & edited.get(v.enricher, set())) else v
            for v in violations]


def not_as_written(live: LiveState, owned: Mapping[str, Mapping[str, str]],
                   keys: set[str], tables: Iterable[str], *,
                   edited_only: bool = False) -> set[str]:
    """Those of ``keys`` that are keys (or, for User, emails) of live rows of ``tables`` the
    seeder did not write as they are: foreign rows (unless ``edited_only``), and owned rows
    whose values are not the ones last applied."""
    found: set[str] = set()
    for table in tables:
        if not live.has(table):
            continue
        rows, mine = live.by_pk(table), owned.get(table, {})
        for key in keys & rows.keys():
            applied = mine.get(key)
            if applied is None and edited_only:
                continue
            if applied is None or fingerprint(rows[key]) != applied:
                found.add(key)
        if table == "User":
            for user in live.rows("User"):
                applied = mine.get(user["id"])
                if (user["email"] in keys and applied != fingerprint(user)
                        and not (edited_only and applied is None)):
                    found.add(user["email"])
    return found


def needs_database(enrichers: list[Enricher], registry: Registry | None,
                   live: LiveState | None, owned: dict[str, dict[str, str]] | None) -> bool:
    """Whether checking ``enrichers`` must read anything that ``live`` and ``owned`` lack."""
    if live is None or owned is None:
        return True
    return not all(live.has(t) for t in snapshot_tables(enrichers, False, registry))
