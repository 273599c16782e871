"""Building a plan: read the journal and the live rows, run the enrichers in order against the
projected state, diff, order. Reads the database; never writes it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.enrichers.registry import Enricher, Minimums, Registry
from mentara_seed.errors import EnricherError
from mentara_seed.planner import identity, parallel, remembered, shortcut
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.diff import DiffOptions, DiffResult, diff, mark_invalid
from mentara_seed.planner.ids import Keyspace
from mentara_seed.planner.order import table_order
from mentara_seed.planner.plan import Action, Held, Plan, PlanHeader, PlanWarning, Reason
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.planner.targets import Selection, select
from mentara_seed.schema.tables import SEEDED_TABLES, TABLES
from mentara_seed.schema.values import Row, dumps
from mentara_seed.state import journal
from mentara_seed.state.journal import JournalState


@dataclass(frozen=True)
class PlanRequest:
    """Everything besides the database that shapes a plan."""

    profile: str = "medium"
    project_seed: int = 0
    scale: int = 1
    minimums: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    anchor: dt.datetime | None = None
    update_drifted: bool = False
    prune: bool = False
    destroy: bool = False
    password_cost: int = 10
    # Skip the enrichers when the journal's state key says nothing they read has changed
    # since the last apply (``planner.shortcut``); False always runs them.
    reuse: bool = False
    # Cores to run the enrichers on (``planner.parallel``); the plan is the same with any.
    jobs: int = 1
    # Minimums in force above the settings' own (``planner.remembered.kept_minimums``): they
    # override ``minimums`` when resolved. And where the settings came from, for the header.
    kept: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    origin: remembered.SettingsOrigin = field(default_factory=remembered.SettingsOrigin)


@dataclass(frozen=True)
class PlanResult:
    """A plan and what it was built from (the applier re-uses the journal head)."""

    plan: Plan
    journal: JournalState
    selection: Selection
    minimums: dict[str, Minimums]
    # The snapshot the plan read: after an apply, the tables it did not write are still as
    # read (``cli.run.apply``), and verification need not read them again.
    live: LiveState | None = None


def request_document(request: PlanRequest, anchor: dt.datetime) -> dict[str, Any]:
    """The request as it goes into a saved plan: enough to plan again and compare."""
    return {
        "profile": request.profile,
        "project_seed": request.project_seed,
        "scale": request.scale,
        "minimums": {k: dict(v) for k, v in sorted(request.minimums.items())},
        "targets": list(request.targets),
        "excludes": list(request.excludes),
        "anchor": anchor.date().isoformat(),
        "update_drifted": request.update_drifted,
        "prune": request.prune,
        "destroy": request.destroy,
        # Only when something is kept: the state keys of requests without stay as they were.
        **({"kept": {k: dict(v) for k, v in sorted(request.kept.items())}}
           if request.kept else {}),
    }


def default_anchor(now: dt.datetime) -> dt.datetime:
    """00:00 UTC of the Monday of ``now``'s week: weekday-aligned schedules stay aligned."""
    day = now.astimezone(dt.UTC).date()
    monday = day - dt.timedelta(days=day.weekday())
    return dt.datetime(monday.year, monday.month, monday.day)


def resolve_minimums(
    enrichers: list[Enricher], request: PlanRequest
) -> dict[str, Minimums]:
    return {
        e.name: e.minimums.resolve(
            request.profile, request.scale,
            {**request.minimums.get(e.name, {}), **request.kept.get(e.name, {})},
        )
        for e in enrichers
    }


def config_hash(request: PlanRequest, minimums: Mapping[str, Minimums]) -> str:
    doc = {
        "profile": request.profile,
        "project_seed": request.project_seed,
        "scale": request.scale,
        "minimums": {name: m.model_dump(mode="json") for name, m in sorted(minimums.items())},
    }
    return hashlib.sha256(dumps(doc).encode()).hexdigest()[:16]


Step = Callable[[str], None]
Recall = Callable[[dict[str, list[str]]], identity.Found]


def _run_enrichers(
    ctx: PlanContext,
    enrichers: list[Enricher],
    minimums: Mapping[str, Minimums],
    scope: Mapping[str, str],
    on_step: Step | None = None,
    *,
    jobs: int = 1,
    replay: frozenset[str] = frozenset(),
) -> tuple[dict[str, dict[str, Row]], dict[str, dict[str, str]], list[PlanWarning]]:
    """Every enricher's desired rows (table -> pk -> row), who desires each row, and the
    minimums that cannot be met (in run order, whichever core ran the enricher). With
    ``jobs`` 2, independent chains of enrichers run on two cores when they can
    (``planner.parallel``); the result is the same either way. The enrichers named in
    ``replay`` do not run: they desire their tables' owned rows as they are live (see
    ``_replay``)."""

    def run(e: Enricher) -> dict[str, dict[str, Row]]:
        if e.name in replay:
            return _replay(ctx, e, scope)
        return _run_one(ctx, e, minimums[e.name], scope)

    def merge(e: Enricher, rows: dict[str, dict[str, Row]]) -> None:
        _starting(ctx, e, scope)
        ctx.add_desired(rows, set())

    produced = parallel.run(ctx, enrichers, run, merge, on_step) if jobs > 1 else None
    if produced is None:
        if jobs > 1:  # the chains were not independent after all: the one order it is
            ctx = PlanContext(ctx.keys, ctx.anchor, ctx.live, ctx.owned, ctx.password_cost,
                              ctx.kept, ctx.prune, ctx.keeps)
        produced = {}
        for e in enrichers:
            if on_step is not None:
                on_step(e.name)
            produced[e.name] = run(e)
    desired: dict[str, dict[str, Row]] = {}
    origin: dict[str, dict[str, str]] = {}
    for e in enrichers:
        for table, rows in produced[e.name].items():
            desired.setdefault(table, {}).update(rows)
            origin.setdefault(table, {}).update(dict.fromkeys(rows, e.name))
    warnings = [w for e in enrichers for w in ctx.warnings.get(e.name, ())]
    return desired, origin, warnings


def _run_one(ctx: PlanContext, e: Enricher, need: Minimums,
             scope: Mapping[str, str]) -> dict[str, dict[str, Row]]:
    """One enricher's rows, validated, and made visible to the enrichers after it."""
    _starting(ctx, e, scope)
    produced: dict[str, dict[str, Row]] = {}
    for table, row in e.plan(ctx, need):
        if table not in e.writes:
            raise EnricherError(f"Enricher '{e.name}' yielded a {table} row it does not "
                                f"declare in writes={list(e.writes)}.")
        pk = row[pk_name(TABLES[table])]
        rows = produced.setdefault(table, {})
        if pk in rows:
            raise EnricherError(f"Enricher '{e.name}' yielded {table} {pk} twice.")
        if "\n" in pk:  # the journal stores runs of keys one per line
            raise EnricherError(f"Enricher '{e.name}' yielded {table} key {pk!r}, which "
                                "holds a line break; a key is one line of text.")
        rows[pk] = row
    ctx.add_desired(produced, set())
    return produced


def _replay(ctx: PlanContext, e: Enricher, scope: Mapping[str, str]) -> dict[str, dict[str, Row]]:
    """What an enricher desired at the last apply, without running it: its tables' owned rows
    as they are live. Only for a restoring run (``build_plan``), where the state key says
    nothing it reads has changed and every owned row of its tables is live as applied."""
    _starting(ctx, e, scope)
    produced: dict[str, dict[str, Row]] = {}
    for table in e.writes:
        live = ctx.live.by_pk(table)
        produced[table] = {pk: live[pk] for pk in sorted(ctx.owned.get(table, {})) if pk in live}
    ctx.add_desired(produced, set())
    return produced


def _starting(ctx: PlanContext, e: Enricher, scope: Mapping[str, str]) -> None:
    # From the moment a writer of a table runs, the table's owned rows that no enricher
    # desires again are on their way out: the writer itself and every enricher after it
    # see the table as a fresh database would (foreign rows, kept rows, planned rows).
    ctx.add_desired({}, {t for t in e.writes if t in scope})


def snapshot_tables(
    enrichers: list[Enricher], everything: bool, registry: Registry | None = None
) -> list[str]:
    """The tables a run reads: what its enrichers write and read, and (given the registry) what
    their dependencies write even when --exclude leaves a dependency out."""
    if everything:
        return list(SEEDED_TABLES)
    tables: set[str] = set()
    seen: set[str] = set()
    todo = list(enrichers)
    while todo:
        e = todo.pop()
        if e.name in seen:
            continue
        seen.add(e.name)
        tables.update(e.writes)
        tables.update(e.reads)
        if registry is not None:
            todo.extend(registry[d] for d in e.depends_on if d in registry)
    return sorted(tables)


MAX_PRUNE_PASSES = 6


def _blocked(held: list[Held]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for h in held:
        if h.change.action is Action.DELETE and h.why.startswith("kept:"):
            out.setdefault(h.change.table, set()).add(h.change.pk)
    return out


def orphan_scope(registry: Registry, selection: Selection) -> dict[str, str]:
    """Tables whose owned rows this run may call orphaned, with the enricher that owns each:
    only tables every one of whose writers runs (a table two enrichers write, such as
    Moderator, is complete only when both ran)."""
    running = set(selection.order)
    scope: dict[str, str] = {}
    for e in registry:
        for table in e.writes:
            scope.setdefault(table, e.name)
    for e in registry:
        if e.name not in running:
            for table in e.writes:
                scope.pop(table, None)
    return scope


@dataclass
class _Inputs:
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
class _Way:
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


def _unchanged(inputs: _Inputs) -> tuple[str | None, dict[str, list[str]] | None]:
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


def _from_journal(inputs: _Inputs, key: str | None,
                  missing: dict[str, list[str]] | None) -> _Way | None:
    """Nothing changed: an empty plan (``reused``); or only owned rows are gone, and the
    journal's images give them back (``restored``). No enricher runs."""
    if missing is None:
        return None
    if not missing:
        return _Way(DiffResult([], []), key, reused=True)
    result = shortcut.from_journal(inputs.conn, inputs.state, missing, inputs.selection.order,
                                   inputs.request.jobs)
    return None if result is None else _Way(result, key, restored=True)


def _from_writers(inputs: _Inputs, key: str | None,
                  missing: dict[str, list[str]] | None) -> _Way | None:
    """Only owned rows are gone and the journal cannot give them back: their tables' writers
    desire them again, exactly as the whole run would. What those depend on desires what it
    desired last time (its owned rows, all live as applied), so it is replayed, not run. None
    when the writers planned anything but those rows again."""
    if not missing:
        return None
    request, registry, live = inputs.request, inputs.registry, inputs.live()
    writers = tuple(e.name for e in inputs.enrichers if set(missing) & set(e.writes))
    partial = select(registry, writers, request.excludes)
    result, warnings = _plan_changes(
        request, registry, partial, [registry[n] for n in partial.order], inputs.minimums,
        inputs.anchor, live, inputs.state, inputs.on_step,
        replay=frozenset(partial.order) - set(writers))
    if not shortcut.only_recreates(result, live, inputs.state.owned):
        return None
    return _Way(result, key, ran=tuple(n for n in partial.order if n in writers),
                warnings=tuple(warnings))


def _from_every_enricher(inputs: _Inputs, key: str | None,
                         missing: dict[str, list[str]] | None) -> _Way:
    """Every selected enricher runs against the live rows, and the diff tells the rest."""
    live, state = inputs.live(), inputs.state
    result, warnings = _plan_changes(
        inputs.request, inputs.registry, inputs.selection, inputs.enrichers, inputs.minimums,
        inputs.anchor, live, state, inputs.on_step, recall=_recall(inputs.conn, state, live))
    if any(c.reason is Reason.DESIRED_CHANGED for c in result.changes):
        broken = _broken(inputs.registry, inputs.enrichers, inputs.minimums, live)
        result = mark_invalid(result, broken, live)
    if result.disowned:
        # Owned keys someone else's rows hold are foreign for the apply and its verification.
        state = replace(state, owned=identity.without(state.owned, result.disowned))
        key = shortcut.state_key(inputs.document, shortcut.foreign_digest(live, state.owned))
    return _Way(result, key, warnings=tuple(warnings), journal=state)


# The ways to a plan, cheapest first; each gives the plan the whole run would (the tests in
# test_shortcut.py, test_images.py and test_stamps.py compare them with `--full` plans).
WAYS = (_from_journal, _from_writers)


def build_plan(
    conn: sa.Connection, request: PlanRequest, registry: Registry, on_step: Step | None = None
) -> PlanResult:
    """Plan against the database behind ``conn`` (inside the caller's transaction).
    ``on_step`` is told each phase as it starts ("snapshot", then each enricher's name)."""
    selection = select(registry, request.targets, request.excludes)
    enrichers = [registry[n] for n in selection.order]
    state = journal.read(conn)
    if not request.destroy:
        remembered.refuse_other_seed(request.project_seed, request.origin, state)
    anchor = request.anchor or state.anchor or default_anchor(dt.datetime.now(dt.UTC))
    if on_step is not None:
        on_step("snapshot")
    inputs = _Inputs(conn, request, registry, selection, enrichers,
                     resolve_minimums(enrichers, request), state, anchor,
                     request_document(request, anchor),
                     snapshot_tables(enrichers, request.prune or request.destroy, registry),
                     on_step)
    key, missing = _unchanged(inputs)
    way = next((w for w in (f(inputs, key, missing) for f in WAYS) if w is not None), None)
    if way is None:
        way = _from_every_enricher(inputs, key, missing)
    return _result(inputs, way)


def _result(inputs: _Inputs, way: _Way) -> PlanResult:
    request, state = inputs.request, way.journal or inputs.state
    if inputs.read is not None:
        counts = (inputs.read.count(), inputs.read.nonempty_tables())
    else:
        assert inputs.versions is not None
        counts = (inputs.versions.rows, inputs.versions.tables)
    header = PlanHeader(
        tool_version=__version__,
        corpus_version=CORPUS_VERSION,
        request=inputs.document,
        project_seed=request.project_seed,
        profile=request.profile,
        config_hash=config_hash(request, inputs.minimums),
        anchor=inputs.anchor.isoformat(timespec="milliseconds"),
        journal_serial=state.serial,
        lineage=state.lineage,
        targets=inputs.selection.requested,
        enrichers=inputs.selection.order,
        table_order=table_order(),
        state_key=None if way.result.held or way.result.forgotten or request.destroy
        else way.key,
        reused=way.reused,
        partial=way.ran,
        restored=way.restored,
        settings=request.origin.note(),
    )
    plan = Plan(header=header, changes=tuple(way.result.changes), held=tuple(way.result.held),
                warnings=way.warnings, live_rows=counts[0], live_tables=counts[1])
    return PlanResult(plan, state, inputs.selection, inputs.minimums, live=inputs.read)


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
            named.update(violation.named())
    return named


def _recall(conn: sa.Connection, state: JournalState, live: LiveState) -> Recall:
    return lambda suspects: identity.look(conn, state.owned, live, suspects)


def _plan_changes(
    request: PlanRequest, registry: Registry, selection: Selection, enrichers: list[Enricher],
    minimums: Mapping[str, Minimums], anchor: dt.datetime, live: LiveState,
    state: JournalState, on_step: Step | None, replay: frozenset[str] = frozenset(),
    recall: Recall | None = None,
) -> tuple[DiffResult, list[PlanWarning]]:
    """Run the enrichers and diff, again while a prune's deletes are held by staying rows;
    the result and the last run's warnings. The diff is made again with what ``recall`` (the
    journal's record of rows changed since applied) tells of them: cascades, and owned keys
    that someone else's rows hold, foreign to the diff (``planner.identity``)."""
    writers = orphan_scope(registry, selection)
    if request.destroy and selection.requested:
        # `seed destroy --target posts` removes what posts owns, not what posts needs.
        asked = set(selection.order) - set(selection.pulled_in)
        writers = {t: n for t, n in writers.items() if n in asked}
    options = DiffOptions(update_drifted=request.update_drifted, prune=request.prune,
                          delete_all_owned=request.destroy)
    kept: dict[str, set[str]] = {}
    warnings: list[PlanWarning] = []
    found = identity.Found()
    looked: set[tuple[str, str]] = set()
    for _ in range(MAX_PRUNE_PASSES):
        if request.destroy:
            desired: dict[str, dict[str, Row]] = {}
            origin: dict[str, dict[str, str]] = {}
        else:
            ctx = PlanContext(Keyspace(request.project_seed), anchor, live, state.owned,
                              request.password_cost, kept, request.prune,
                              state.anchor is None or state.anchor == anchor)
            # Without --prune no orphan leaves, so every table stays as it is live.
            scope = writers if request.prune else {}
            desired, origin, warnings = _run_enrichers(
                ctx, enrichers, minimums, scope, on_step, jobs=request.jobs, replay=replay)
        result = _diff_knowing(desired, origin, writers, live, state, options, recall, found,
                               looked)
        blocked = _blocked(result.held)
        if not request.prune or all(blocked.get(t, set()) <= kept.get(t, set())
                                    for t in blocked):
            break
        # A delete held back by a staying reference keeps its row: plan again with it present.
        for table, pks in blocked.items():
            kept.setdefault(table, set()).update(pks)
    return result, warnings


def _diff_knowing(
    desired: dict[str, dict[str, Row]], origin: dict[str, dict[str, str]],
    writers: dict[str, str], live: LiveState, state: JournalState, options: DiffOptions,
    recall: Recall | None, found: identity.Found, looked: set[tuple[str, str]],
) -> DiffResult:
    """The diff, made again as long as it finds owned rows changed since applied that the
    journal was not asked about yet (``recall``, into ``found``): what it tells of them
    (the rows as applied, keys someone else's rows hold) goes into the next diff."""
    while True:
        owned = identity.without(state.owned, found.foreign)
        result = diff(desired, origin, writers, live, owned, options, applied=found.applied,
                      disowned=found.foreign)
        fresh = {t: [pk for pk in pks if (t, pk) not in looked]
                 for t, pks in result.suspects.items()}
        fresh = {t: pks for t, pks in fresh.items() if pks}
        if recall is None or not fresh:
            return result
        looked.update((t, pk) for t, pks in fresh.items() for pk in pks)
        found.merge(recall(fresh))
