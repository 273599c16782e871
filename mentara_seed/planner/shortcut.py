"""Skipping the enrichers when nothing they read has changed since the last apply.

The desired state is a function of the request (profile, seed, scale, minimums, targets, flags,
anchor), of the code and corpora, and of the rows the seeder does not own: enrichers count
foreign rows toward minimums and regenerate their own rows from their keys. An apply whose
plan held nothing back leaves exactly the desired rows owned, so it records a digest of those
inputs, the *state key*, in the journal. A later plan with the same state key, on a database
where every owned row is still there exactly as applied, would desire exactly the rows that
are there: its plan is empty without running a single enricher. When owned rows were only
deleted (by the app, a cascade, a person), the rows to create again are the ones the writers of
those tables desire, so only those enrichers and their dependencies run.

Anything else (another request or version, a foreign row added, changed or removed, an owned
row edited or deleted, the journal moved by an undo or destroy) runs the enrichers as usual.
``seed plan --full`` always runs them.

Telling that every owned row is as applied takes reading and fingerprinting each one. On
PostgreSQL the journal's write stamps (``state.stamps``) tell it from the row versions alone,
with no row read but the foreign ones (``by_versions``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.planner import parallel
from mentara_seed.planner.diff import DiffResult
from mentara_seed.planner.plan import Action
from mentara_seed.planner.snapshot import LiveState, read_versions
from mentara_seed.schema.values import dumps, fingerprint
from mentara_seed.state import stamps
from mentara_seed.state.journal import JournalState

_PACKAGE = Path(__file__).resolve().parent.parent
PARALLEL_FROM = 50_000  # owned rows from which they are fingerprinted on both cores


@cache
def code_digest() -> str:
    """sha256 over every source and data file of the installed package, by relative path: an
    edited enricher or corpus is another code, whatever the version number says."""
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def foreign_digest(live: LiveState, owned: Mapping[str, Mapping[str, str]],
                   tables: Iterable[str] | None = None) -> str:
    """sha256 over the tables read and every live row in them the journal does not own.
    ``tables``: the tables read, where ``live`` holds only those of them with foreign rows."""
    digest = hashlib.sha256()
    for table in sorted(set(tables)) if tables is not None else live.tables():
        digest.update(f"\x1e{table}".encode())
        if not live.has(table):
            continue
        mine = owned.get(table, {})
        rows = live.by_pk(table)
        for pk in sorted(pk for pk in rows if pk not in mine):
            digest.update(f"\x1f{pk}\x1f{fingerprint(rows[pk])}".encode())
    return digest.hexdigest()


def state_key(request: Mapping[str, Any], foreign: str) -> str:
    """The digest of everything the desired state is a function of."""
    doc = {"request": dict(request), "tool_version": __version__, "corpus": CORPUS_VERSION,
           "code": code_digest(), "foreign": foreign}
    return hashlib.sha256(dumps(doc).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Versions:
    """What the row versions told of the tables a plan reads (``by_versions``)."""

    gaps: set[str]  # tables whose owned rows are not all live
    rows: int  # live rows in the tables
    tables: int  # how many of them hold rows
    foreign: LiveState  # the tables that hold foreign rows, read whole


def by_versions(conn: sa.Connection, tables: Iterable[str], state: JournalState,
                request: Mapping[str, Any]) -> Versions | None:
    """On PostgreSQL, the shortcut's checks without reading the owned rows: every live owned
    row must still be the version written by the apply that journaled its fingerprint, and
    the state key (read from the foreign rows) the journal's. Then the owned rows that are
    not live are all that changed. None when that cannot be told this way (SQLite, no stamp
    usable here, an owned row written since, another state key): then every row is read."""
    xids = stamps.usable(conn, state.stamps)
    if not xids:
        return None
    versions = read_versions(conn, tables)
    gaps: set[str] = set()
    holding: list[str] = []  # tables with foreign rows
    for table, live in versions.items():
        owned = state.owned.get(table, {})
        found = list(map(live.get, owned))
        by = state.written.get(table, {})
        expected = [xids.get(by.get(pk, 0)) for pk in owned]
        if found != expected and any(f is not None and f != e
                                     for f, e in zip(found, expected, strict=True)):
            return None  # written since by someone, or by an apply without a usable stamp
        missing = found.count(None)
        if missing:
            gaps.add(table)
        if len(live) > len(owned) - missing:
            holding.append(table)
    foreign = LiveState.read(conn, holding) if holding else LiveState({})
    if state_key(request, foreign_digest(foreign, state.owned, versions)) != state.state_key:
        return None
    return Versions(gaps, sum(map(len, versions.values())),
                    sum(1 for live in versions.values() if live), foreign)


def tables_missing_rows(
    live: LiveState, owned: Mapping[str, Mapping[str, str]], jobs: int = 1
) -> set[str] | None:
    """The tables read whose owned rows are not all live (deleted behind the seeder's back),
    when every owned row that is live has the fingerprint the journal recorded; None when one
    was edited (then the enrichers all run, and the plan shows the drift). With ``jobs`` 2 a
    large journal's rows are fingerprinted on both cores, the biggest tables first."""
    tables = sorted(live.tables(), key=lambda t: (-len(owned.get(t, {})), t))

    def status(table: str) -> str:
        rows = live.by_pk(table)
        missing = False
        for pk, recorded in owned.get(table, {}).items():
            row = rows.get(pk)
            if row is None:
                missing = True
            elif fingerprint(row) != recorded:
                return "edited"
        return "missing" if missing else "as applied"

    many = jobs > 1 and sum(len(owned.get(t, {})) for t in tables) >= PARALLEL_FROM
    found = parallel.map_shared(tables, status) if many else None
    if found is None:
        found = [status(t) for t in tables]
    if "edited" in found:
        return None
    return {t for t, s in zip(tables, found, strict=True) if s == "missing"}


def only_recreates(result: DiffResult, live: LiveState,
                   owned: Mapping[str, Mapping[str, str]]) -> bool:
    """Whether a partial run planned what the whole run plans after deletions: every deleted
    owned row created again with the very values the journal recorded, and nothing else."""
    if result.held or any(c.action is not Action.CREATE for c in result.changes):
        return False
    planned = {(c.table, c.pk) for c in result.changes}
    gone = {(table, pk) for table in live.tables() for pk in owned.get(table, {})
            if pk not in live.by_pk(table)}
    return planned == gone and all(
        c.row_fingerprint() == owned[c.table][c.pk] for c in result.changes)
