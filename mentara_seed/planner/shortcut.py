"""Skipping the enrichers when nothing they read has changed since the last apply.

The desired state is a function of the request (profile, seed, scale, minimums, targets, flags,
anchor), of the code and corpora, and of the rows the seeder does not own: enrichers count
foreign rows toward minimums and regenerate their own rows from their keys. An apply whose
plan held nothing back (and left no owned row gone that nothing desires: ``DiffResult.
forgotten``) leaves exactly the desired rows owned, so it records a digest of those
inputs, the *state key*, in the journal. A later plan with the same state key, on a database
where every owned row is still there exactly as applied, would desire exactly the rows that
are there: its plan is empty without running a single enricher. When owned rows were only
deleted (by the app, a cascade, a person), the rows to create again are the ones the writers of
those tables desire, so only those enrichers and their dependencies run.

Anything else (another request or version, a foreign row added, changed or removed, an owned
row edited or deleted, the journal moved by an undo or destroy) runs the enrichers as usual.
``seed plan --full`` always runs them.

The rows to create again are in the journal: each run of created rows keeps their values (its
image), so they are created again from it without running their writers (``from_journal``),
as long as every one of them comes back with the fingerprint the journal recorded.

Telling that every owned row is as applied takes reading and fingerprinting each one. On
PostgreSQL the journal's write stamps (``state.stamps``) tell it from the row versions alone,
with no row read but the foreign ones (``by_versions``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.planner import parallel
from mentara_seed.planner.diff import DiffResult
from mentara_seed.planner.order import parents_first, table_order
from mentara_seed.planner.plan import Action, Change, Reason
from mentara_seed.planner.snapshot import LiveState, read_versions
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, dumps, fingerprint, from_text
from mentara_seed.state import journal, stamps
from mentara_seed.state.journal import JournalState

_PACKAGE = Path(__file__).resolve().parent.parent
PARALLEL_FROM = 50_000  # owned rows from which they are fingerprinted on both cores


@cache
def code_digest() -> str:
    """sha256 over every source and data file of the installed package, by relative path: an
    edited enricher or corpus is another code, whatever the version number says."""
    digest = hashlib.sha256()
    for path in sorted(_package_files()):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _package_files() -> Iterator[Path]:
    """The package's files but the byte code: ``os.walk`` leaves the ``__pycache__``
    directories out instead of listing and then dropping their files (same files, the order
    is the caller's)."""
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = Path(root, name)
            if path.suffix not in (".pyc", ".pyo") and path.is_file():
                yield path


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

    missing: dict[str, list[str]]  # owned rows not live, by table
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
    missing: dict[str, list[str]] = {}
    holding: list[str] = []  # tables with foreign rows
    for table, live in versions.items():
        owned = state.owned.get(table, {})
        found = list(map(live.get, owned))
        serials = map(state.written.get(table, {}).get, owned)
        expected = list(map(xids.get, serials))  # type: ignore[arg-type]
        if found != expected and any(f is not None and f != e
                                     for f, e in zip(found, expected, strict=True)):
            return None  # written since by someone, or by an apply without a usable stamp
        gone = [pk for pk, f in zip(owned, found, strict=True) if f is None]
        if gone:
            missing[table] = gone
        if len(live) > len(owned) - len(gone):
            holding.append(table)
    foreign = LiveState.read(conn, holding) if holding else LiveState({})
    if state_key(request, foreign_digest(foreign, state.owned, versions)) != state.state_key:
        return None
    return Versions(missing, sum(map(len, versions.values())),
                    sum(1 for live in versions.values() if live), foreign)


def tables_missing_rows(
    live: LiveState, owned: Mapping[str, Mapping[str, str]], jobs: int = 1
) -> dict[str, list[str]] | None:
    """The owned rows of the tables read that are not live (deleted behind the seeder's back),
    by table, when every owned row that is live has the fingerprint the journal recorded; None
    when one was edited (then the enrichers all run, and the plan shows the drift). With
    ``jobs`` 2 a large journal's rows are fingerprinted on both cores, the biggest tables
    first."""
    tables = sorted(live.tables(), key=lambda t: (-len(owned.get(t, {})), t))

    def status(table: str) -> list[str] | None:
        rows = live.by_pk(table)
        gone: list[str] = []
        for pk, recorded in owned.get(table, {}).items():
            row = rows.get(pk)
            if row is None:
                gone.append(pk)
            elif fingerprint(row) != recorded:
                return None
        return gone

    many = jobs > 1 and sum(len(owned.get(t, {})) for t in tables) >= PARALLEL_FROM
    found = parallel.map_shared(tables, status) if many else None
    if found is None:
        found = [status(t) for t in tables]
    if any(gone is None for gone in found):
        return None
    return {t: gone for t, gone in zip(tables, found, strict=True) if gone}


def from_journal(conn: sa.Connection, state: JournalState, missing: Mapping[str, list[str]],
                 enrichers: Iterable[str], jobs: int = 1) -> DiffResult | None:
    """The plan that creates the ``missing`` owned rows again from the journal's images: the
    creates of exactly those rows, in apply order, each with the values its recorded
    fingerprint digests and the enricher that desired it. None when that cannot be had (a row
    without an image, such as one an update changed since or an earlier version created; an
    image that does not give the row back; a row of an enricher not in ``enrichers``): then
    the writers run. With ``jobs`` 2 many rows are read back on both cores."""
    running = set(enrichers)
    wanted = {t: {pk: state.written.get(t, {}).get(pk, 0) for pk in keys}
              for t, keys in missing.items()}
    found = journal.recorded(conn, wanted)
    order = [t for t in table_order() if missing.get(t)]
    if len(order) != len(missing):
        return None  # rows of a table outside the schema's order
    images: list[tuple[str, str]] = []  # (enricher, text) of every missing row, in order
    for table in order:
        recorded = found.get(table, {})
        for pk in missing[table]:
            image = recorded.get(pk)
            if image is None or image[0] not in running:
                return None
            images.append(image)
    values = iter(_read_back([text for _, text in images], jobs))
    origins = iter(enricher for enricher, _ in images)
    changes: list[Change] = []
    for table in order:
        columns = [c.name for c in TABLES[table].columns]
        rows: dict[str, Row] = {}
        origin: dict[str, str] = {}
        for pk in missing[table]:
            read = next(values)
            if read is None or len(read) != len(columns):
                return None
            row = dict(zip(columns, read, strict=True))
            if fingerprint(row) != state.owned[table][pk]:
                return None
            rows[pk], origin[pk] = row, next(origins)
        changes.extend(Change(Action.CREATE, table, pk, Reason.MISSING, origin[pk],
                              values=rows[pk], fingerprint=state.owned[table][pk])
                       for pk in parents_first(table, missing[table], rows))
    return DiffResult(changes, [])


READ_BACK_CHUNK = 2_000  # image lines read back at a time on two cores


def _read_back(texts: list[str], jobs: int) -> list[list[Any] | None]:
    """``from_text`` of each text; on both cores when there are many."""
    if jobs > 1 and len(texts) >= 2 * READ_BACK_CHUNK:
        chunks = [texts[i:i + READ_BACK_CHUNK] for i in range(0, len(texts), READ_BACK_CHUNK)]
        done = parallel.map_shared(chunks, lambda chunk: [from_text(t) for t in chunk])
        if done is not None:
            return [v for chunk in done for v in chunk]
    return [from_text(t) for t in texts]


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
