"""The ways to a plan, cheapest first: nothing changed (the journal says so, or gives back the
owned rows gone), only owned rows are gone (their writers plan them again), or the whole run.
Each is proven equal to the whole run by the tests (test_shortcut.py, test_images.py,
test_stamps.py compare them with ``--full`` plans); ``build_plan`` only chooses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry
from mentara_seed.planner import identity, running, shortcut
from mentara_seed.planner.diff import DiffResult, after_changes
from mentara_seed.planner.plan import PlanWarning, Reason
from mentara_seed.planner.repair import invalid_orphans, kept_orphans, mark_invalid
from mentara_seed.planner.request import PlanRequest
from mentara_seed.planner.running import Recall, Step, snapshot_tables
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.planner.targets import Selection, select
from mentara_seed.state import journal
from mentara_seed.state.journal import JournalState


@dataclass
class Inputs:
    """What every way to a plan starts from: the request, the selection, the journal's head,
    the anchor, the tables to read, and the live rows (read once, when a way needs them)."""

    conn: sa.Connection
    request: PlanRequest
    registry: Registry
    selection: Selection
    enrichers: list[Enricher]
    minimums: dict[str, Minimums]
    state: JournalState
    anchor: dt.datetime
    document: dict[str, Any]
    tables: list[str]
    on_step: Step | None
    # When the row versions vouched for the owned rows (``shortcut.by_versions``).
    versions: shortcut.Versions | None = None
    _live: LiveState | None = None

    @property
    def reusable(self) -> bool:
        return (self.request.reuse and not self.request.destroy
                and self.state.state_key is not None)

    def live(self) -> LiveState:
        if self._live is None:
            known = self.versions.foreign if self.versions is not None else None
            self._live = LiveState.read(self.conn, self.tables, known=known)
        return self._live

    @property
    def read(self) -> LiveState | None:
        return self._live


@dataclass(frozen=True)
class Way:
    """A plan one way made: its changes, the state key, and how it was made (for the header:
    ``reused`` nothing to do, ``restored`` from the journal's images, ``ran`` the writers that
    ran alone)."""

    result: DiffResult
    key: str | None
    reused: bool = False
    restored: bool = False
    ran: tuple[str, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    # The journal's head as the plan takes it (owned keys someone else's rows hold left out).
    journal: JournalState | None = None


def unchanged(inputs: Inputs) -> tuple[str | None, dict[str, list[str]] | None]:
    """The state key, and the owned rows gone when nothing else changed since the last apply
    (None: something else did, or it is not known): told by the row versions without reading
    the owned rows where it can be, else by the live rows and their fingerprints."""
    if inputs.reusable:
        inputs.versions = shortcut.by_versions(inputs.conn, inputs.tables, inputs.state,
                                               inputs.document)
        if inputs.versions is not None:
            return inputs.state.state_key, inputs.versions.missing
    live = inputs.live()
    key = shortcut.state_key(inputs.document, shortcut.foreign_digest(live, inputs.state.owned))
    if not inputs.reusable or key != inputs.state.state_key:
        return key, None
    return key, shortcut.tables_missing_rows(live, inputs.state.owned, inputs.request.jobs)


def from_journal(inputs: Inputs, key: str | None,
                  missing: dict[str, list[str]] | None) -> Way | None:
    """Nothing changed: an empty plan (``reused``); or only owned rows are gone, and the
    journal's images give them back (``restored``). No enricher runs."""
    if missing is None:
        return None
    if not missing:
        return Way(DiffResult([], []), key, reused=True, warnings=_recorded_warnings(inputs))
    result = shortcut.from_journal(inputs.conn, inputs.state, missing, inputs.selection.order,
                                   inputs.request.jobs)
    return None if result is None else Way(result, key, restored=True,
                                           warnings=_recorded_warnings(inputs))


def from_writers(inputs: Inputs, key: str | None,
                 missing: dict[str, list[str]] | None) -> Way | None:
    """Only owned rows are gone and the journal cannot give them back: their tables' writers
    desire them again, exactly as the whole run would. What those depend on desires what it
    desired last time (its owned rows, all live as applied), so it is replayed, not run. None
    when the writers planned anything but those rows again."""
    if not missing:
        return None
    request, registry, live = inputs.request, inputs.registry, inputs.live()
    writers = tuple(e.name for e in inputs.enrichers if set(missing) & set(e.writes))
    partial = select(registry, writers, request.excludes)
    result, warnings = running.plan_changes(
        request, registry, partial, [registry[n] for n in partial.order], inputs.minimums,
        inputs.anchor, live, inputs.state, inputs.on_step,
        replay=frozenset(partial.order) - set(writers))
    if not shortcut.only_recreates(result, live, inputs.state.owned):
        return None
    ran = tuple(n for n in partial.order if n in writers)
    # The enrichers replayed warn as they did at the last apply; those that ran, as now.
    fresh = {e: [w for w in warnings if w.enricher == e] for e in ran}
    kept = _recorded_warnings(inputs)
    return Way(result, key, ran=ran, warnings=tuple(
        w for e in inputs.selection.order
        for w in (fresh[e] if e in fresh else [k for k in kept if k.enricher == e])))


def from_every_enricher(inputs: Inputs, key: str | None,
                        missing: dict[str, list[str]] | None) -> Way:
    """Every selected enricher runs against the live rows, and the diff tells the rest."""
    live, state = inputs.live(), inputs.state
    # Read once: the repair passes below plan again over the same live rows.
    gone = identity.gone(inputs.conn, state.owned, live,
                         running.restores(inputs.request, inputs.enrichers))
    result, warnings = running.plan_changes(
        inputs.request, inputs.registry, inputs.selection, inputs.enrichers, inputs.minimums,
        inputs.anchor, live, state, inputs.on_step, recall=_recall(inputs.conn, state, live),
        gone=gone)
    if (any(c.reason is Reason.DESIRED_CHANGED for c in result.changes)
            or kept_orphans(result)):
        # Owned rows that break a rule as they are: updates of them are repairs, and those
        # no longer desired go, so the enrichers run again without them (``planner.repair``).
        broken = _broken(inputs.registry, inputs.enrichers, inputs.minimums, live)
        invalid = invalid_orphans(result, broken, live) if not inputs.request.prune else None
        for _ in range(MAX_REPAIR_PASSES):
            if invalid:
                result, warnings = running.plan_changes(
                    inputs.request, inputs.registry, inputs.selection, inputs.enrichers,
                    inputs.minimums, inputs.anchor, live, state, inputs.on_step,
                    recall=_recall(inputs.conn, state, live), invalid=invalid, gone=gone)
            # A kept orphan valid now may break a rule once the plan moved what it refers to
            # (a heart kept on a post planned anew, later): it goes too.
            later = _broken_after(inputs, live, result) if kept_orphans(result) else set()
            more = invalid_orphans(result, later, live) if later else frozenset()
            if not more or more <= (invalid or frozenset()):
                break
            invalid = (invalid or frozenset()) | more
        result = mark_invalid(result, broken, live)
    if result.disowned:
        # Owned keys someone else's rows hold are foreign for the apply and its verification.
        state = replace(state, owned=identity.without(state.owned, result.disowned))
        key = shortcut.state_key(inputs.document, shortcut.foreign_digest(live, state.owned))
    return Way(result, key, warnings=tuple(warnings), journal=state)


# The ways to a plan, cheapest first; each gives the plan the whole run would (the tests in
# test_shortcut.py, test_images.py and test_stamps.py compare them with `--full` plans).
WAYS = (from_journal, from_writers)
# Kept orphans found breaking a rule only once the plan ran: each pass plans without them.
MAX_REPAIR_PASSES = 4


def _broken(registry: Registry, enrichers: list[Enricher], minimums: Mapping[str, Minimums],
            live: LiveState) -> set[str]:
    """The words naming rows in the rule violations of the live rows (before the plan): what
    tells a repair (``invalid``) from another desired change. Asked only when the snapshot
    holds every table verification reads."""
    named: set[str] = set()
    if not all(live.has(t) for t in snapshot_tables(enrichers, False, registry)):
        return named
    for e in enrichers:
        for violation in e.violations(live, minimums[e.name]):
            if not violation.is_minimum:  # a shortfall is planned for, not repaired
                named.update(violation.named())
    return named


def _broken_after(inputs: Inputs, live: LiveState, result: DiffResult) -> set[str]:
    """The words naming rows in the rule violations of the rows as the plan leaves them, by
    the enrichers that write the kept orphans' tables (the only rules a kept orphan breaks
    are its writer's: its own and the happens-after relations of its table)."""
    after = after_changes(live, result.changes)
    after.anchor = inputs.anchor
    tables = {h.change.table for h in kept_orphans(result)}
    writers = [e for e in inputs.enrichers if tables & set(e.writes)]
    return _broken(inputs.registry, writers, inputs.minimums, after)


def _recall(conn: sa.Connection, state: JournalState, live: LiveState) -> Recall:
    return lambda suspects: identity.look(conn, state.owned, live, suspects)


def _recorded_warnings(inputs: Inputs) -> tuple[PlanWarning, ...]:
    """The warnings of the last apply, for a way that runs no enricher (or only some): the
    state key it goes by says nothing the enrichers read has changed since, so neither have
    the minimums they could not meet."""
    applied = journal.applied_settings(inputs.conn)
    if applied is None:
        return ()
    return tuple(PlanWarning(w["enricher"], w["entity"], w["reason"]) for w in applied.warnings
                 if isinstance(w, dict) and {"enricher", "entity", "reason"} <= set(w))
