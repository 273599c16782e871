"""Building a plan: read the journal and the live rows, take the cheapest way to the plan the
whole run would make (``planner.ways``), and put its header on it. Reads the database; never
writes it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from mentara_seed import __version__
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.enrichers.registry import Registry
from mentara_seed.planner import remembered, ways
from mentara_seed.planner.order import table_order
from mentara_seed.planner.plan import Plan, PlanHeader
from mentara_seed.planner.request import (
    PlanRequest,
    PlanResult,
    config_hash,
    default_anchor,
    request_document,
    resolve_minimums,
)
from mentara_seed.planner.running import Step, snapshot_tables
from mentara_seed.planner.targets import select
from mentara_seed.schema import check
from mentara_seed.schema.tables import TABLES
from mentara_seed.state import journal
from mentara_seed.state.tables import journal_metadata

__all__ = ["PlanRequest", "PlanResult", "build_plan", "default_anchor", "resolve_minimums",
           "snapshot_tables"]


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
    inputs = ways.Inputs(conn, request, registry, selection, enrichers,
                     resolve_minimums(enrichers, request), state, anchor,
                     request_document(request, anchor),
                     snapshot_tables(enrichers, request.prune or request.destroy, registry),
                     on_step)
    key, missing = ways.unchanged(inputs)
    way = next((w for w in (f(inputs, key, missing) for f in ways.WAYS) if w is not None), None)
    if way is None:
        way = ways.from_every_enricher(inputs, key, missing)
    return _result(inputs, way)


def _result(inputs: ways.Inputs, way: ways.Way) -> PlanResult:
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
    unseeded = check.unknown(inputs.conn, TABLES.values(),
                             (t.name for t in journal_metadata.tables.values()))
    plan = Plan(header=header, changes=tuple(way.result.changes), held=tuple(way.result.held),
                warnings=way.warnings, live_rows=counts[0], live_tables=counts[1],
                unseeded=unseeded, anchor_given=request.anchor is not None)
    return PlanResult(plan, state, inputs.selection, inputs.minimums, live=inputs.read)

