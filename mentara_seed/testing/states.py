"""Starting states: ``StartingState`` and its steps, and the hypothesis strategy that
generates them over the tables a registry writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st

from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.planner.order import table_order
from mentara_seed.schema.tables import TABLES
from mentara_seed.testing.foreign import ForeignKind
from mentara_seed.testing.living import FOREIGN_KINDS
from mentara_seed.testing.operations import DEFAULT_ANCHOR, Run


@dataclass(frozen=True)
class RowRef:
    """The ``row``-th row (in primary-key order, wrapping around) among the rows of ``table``
    a step may act on."""

    table: str
    row: int


@dataclass(frozen=True)
class Edit:
    """A person edits ``column`` of the ``row``-th owned row of ``table``."""

    table: str
    row: int
    column: str


@dataclass(frozen=True)
class ForeignInsert:
    """The app makes rows of ``kind``; ``pick`` chooses among the valid parents."""

    kind: str
    pick: int


@dataclass(frozen=True)
class StartingState:
    """A database before the run under test, as a small description (so hypothesis shrinks it
    and prints it): seeded with ``seeded_with`` (a profile, same seed) or schema only; then
    ``foreign_inserts`` made as the app would; then, if ``settled``, one apply of the run;
    then owned rows deleted by hand (foreign-key rules apply: cascades, SET NULL), owned
    columns edited by hand (drift), foreign rows deleted. Steps that find no row are no-ops."""

    profile: str = "light"
    seed: int = 0
    seeded_with: str | None = None
    foreign_inserts: tuple[ForeignInsert, ...] = ()
    settled: bool = False
    deletions: tuple[RowRef, ...] = ()
    edits: tuple[Edit, ...] = ()
    foreign_deletions: tuple[RowRef, ...] = ()
    anchor: dt.date = DEFAULT_ANCHOR

    @property
    def run(self) -> Run:
        return Run(self.profile, self.seed, self.anchor)

    def __repr__(self) -> str:
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)
                 if f.name in ("profile", "seed") or getattr(self, f.name) != f.default]
        return f"StartingState({', '.join(shown)})"


def written_tables(registry: Registry) -> list[str]:
    """Tables some enricher of ``registry`` writes, parents first."""
    written = {t for e in registry for t in e.writes}
    return [t for t in table_order() if t in written]


def editable_columns(table: str) -> list[str]:
    """Columns a person might edit by hand: not keys, not foreign keys, not unique, not JSON."""
    t = TABLES[table]
    unique = {c.name for i in t.indexes if i.unique for c in i.columns}
    return [c.name for c in t.columns
            if not c.primary_key and not c.foreign_keys and c.name not in unique
            and not isinstance(c.type, sa.JSON)]


def starting_states(
    registry: Registry = REGISTRY,
    *,
    profiles: Sequence[str] = ("light",),
    seeds: Sequence[int] = (0, 1, 2),
    foreign_kinds: Sequence[ForeignKind] = FOREIGN_KINDS,
    max_steps: int = 3,
    min_foreign_inserts: int = 0,
) -> st.SearchStrategy[StartingState]:
    """Starting states over the tables ``registry`` writes, with at most ``max_steps`` steps
    of each sort. Everything shrinks toward the simplest: the first profile and seed, schema
    only, no step."""
    tables = written_tables(registry)
    kinds = [k for k in foreign_kinds if registry.writer_of(k.tables[0]) is not None]
    foreign_tables = sorted({t for k in kinds for t in k.tables}, key=table_order().index)
    with_columns = [t for t in tables if editable_columns(t)]
    index = st.integers(0, 500)

    def steps(item: st.SearchStrategy[Any], least: int = 0) -> st.SearchStrategy[tuple[Any, ...]]:
        return st.lists(item, min_size=least, max_size=max(least, max_steps)).map(tuple)

    edit = st.sampled_from(with_columns).flatmap(
        lambda t: st.builds(Edit, st.just(t), index, st.sampled_from(editable_columns(t))))
    return st.builds(
        StartingState,
        profile=st.sampled_from(list(profiles)),
        seed=st.sampled_from(list(seeds)),
        seeded_with=st.one_of(st.none(), st.sampled_from(list(profiles))),
        foreign_inserts=steps(st.builds(ForeignInsert, st.sampled_from([k.name for k in kinds]),
                                        index), min_foreign_inserts) if kinds else st.just(()),
        settled=st.booleans(),
        deletions=steps(st.builds(RowRef, st.sampled_from(tables), index)),
        edits=steps(edit) if with_columns else st.just(()),
        foreign_deletions=(steps(st.builds(RowRef, st.sampled_from(foreign_tables), index))
                           if foreign_tables else st.just(())),
    )
