"""Running the enrichers against the projected state and diffing what they desire with the
live rows: the whole run, which every cheaper way to a plan (``planner.ways``) must equal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from mentara_seed.enrichers.registry import Enricher, Minimums, Registry
from mentara_seed.errors import EnricherError
from mentara_seed.planner import identity, parallel
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.diff import DiffOptions, DiffResult, diff
from mentara_seed.planner.ids import Keyspace
from mentara_seed.planner.plan import Action, Held, PlanWarning
from mentara_seed.planner.request import PlanRequest
from mentara_seed.planner.snapshot import LiveState, pk_name
from mentara_seed.planner.targets import Selection
from mentara_seed.schema.tables import SEEDED_TABLES, TABLES
from mentara_seed.schema.values import Row
from mentara_seed.state.journal import JournalState

Step = Callable[[str], None]
Recall = Callable[[dict[str, list[str]]], identity.Found]


def run_enrichers(
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
        return run_one(ctx, e, minimums[e.name], scope)

    def merge(e: Enricher, rows: dict[str, dict[str, Row]]) -> None:
        _starting(ctx, e, scope)
        ctx.add_desired(rows, set())

    produced = parallel.run(ctx, enrichers, run, merge, on_step) if jobs > 1 else None
    if produced is None:
        if jobs > 1:  # the chains were not independent after all: the one order it is
            ctx = PlanContext(ctx.keys, ctx.anchor, ctx.live, ctx.owned, ctx.password_cost,
                              ctx.kept, ctx.prune, ctx.keeps, ctx.leaving)
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


def run_one(ctx: PlanContext, e: Enricher, need: Minimums,
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

def restores(request: PlanRequest, enrichers: list[Enricher]) -> list[str]:
    """The tables whose deleted owned rows the enrichers take back (``Enricher.restores``):
    none for a destroy, or under --prune, where rows kept for being there go."""
    if request.destroy or request.prune:
        return []
    return sorted({t for e in enrichers for t in e.restores})


def plan_changes(
    request: PlanRequest, registry: Registry, selection: Selection, enrichers: list[Enricher],
    minimums: Mapping[str, Minimums], anchor: dt.datetime, live: LiveState,
    state: JournalState, on_step: Step | None, replay: frozenset[str] = frozenset(),
    recall: Recall | None = None, invalid: frozenset[str] = frozenset(),
    gone: Mapping[str, Mapping[str, Row]] | None = None,
) -> tuple[DiffResult, list[PlanWarning]]:
    """Run the enrichers and diff, again while a prune's deletes are held by staying rows;
    the result and the last run's warnings. The diff is made again with what ``recall`` (the
    journal's record of rows changed since applied) tells of them: cascades, and owned keys
    that someone else's rows hold, foreign to the diff (``planner.identity``). ``invalid``:
    owned rows that break a rule; those no longer desired go as with --prune (the enrichers
    see them gone), the other kept orphans stay (``planner.repair``). ``gone``: the owned
    rows deleted from the tables the enrichers ``restore``, as last applied (``restores``)."""
    writers = orphan_scope(registry, selection)
    if request.destroy and selection.requested:
        # `seed destroy --target posts` removes what posts owns, not what posts needs.
        asked = set(selection.order) - set(selection.pulled_in)
        writers = {t: n for t, n in writers.items() if n in asked}
    options = DiffOptions(update_drifted=request.update_drifted, prune=request.prune,
                          delete_all_owned=request.destroy, invalid=invalid)
    pruning = request.prune or bool(invalid)
    kept: dict[str, set[str]] = {}
    warnings: list[PlanWarning] = []
    found = identity.Found()
    looked: set[tuple[str, str]] = set()
    restorable: dict[str, dict[str, Row]] = {}
    if recall is not None and not request.destroy:
        # Rows a cascade changed: the enrichers see them as applied once what they referenced
        # is back, so they keep their choices (a restored community gets its posts back).
        suspects = identity.cascade_suspects(live, state.owned)
        if suspects:
            found.merge(recall(suspects))
            looked.update((t, pk) for t, pks in suspects.items() for pk in pks)
            restorable = identity.restorable(found, live, state.owned)
    for _ in range(MAX_PRUNE_PASSES):
        if request.destroy:
            desired: dict[str, dict[str, Row]] = {}
            origin: dict[str, dict[str, str]] = {}
        else:
            ctx = PlanContext(Keyspace(request.project_seed), anchor, live, state.owned,
                              request.password_cost, kept, request.prune,
                              state.anchor is None or state.anchor == anchor,
                              None if request.prune or not invalid else invalid,
                              restorable, gone)
            # Without --prune no orphan leaves (but an invalid one), so every table stays as
            # it is live.
            scope = writers if pruning else {}
            desired, origin, warnings = run_enrichers(
                ctx, enrichers, minimums, scope, on_step, jobs=request.jobs, replay=replay)
        result = _diff_knowing(desired, origin, writers, live, state, options, recall, found,
                               looked)
        blocked = _blocked(result.held)
        if not request.prune:
            blocked = {t: pks & invalid for t, pks in blocked.items() if pks & invalid}
        if not pruning or all(blocked.get(t, set()) <= kept.get(t, set())
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
