"""The journal's operations: its state, the history of applies (``seed history``) and ``seed
undo``, which reverts one apply from its before-images as a new apply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from mentara_seed import __version__, database
from mentara_seed.enrichers.corpora import CORPUS_VERSION
from mentara_seed.operations.opening import (
    check_guard,
    engine_for,
    no_default_database_yet,
    reading,
    writing,
)
from mentara_seed.planner.build import default_anchor
from mentara_seed.planner.order import table_order
from mentara_seed.planner.plan import Plan, PlanHeader
from mentara_seed.settings import Settings
from mentara_seed.state import journal
from mentara_seed.state.journal import ApplyRecord, JournalState

if TYPE_CHECKING:  # the applier is imported by the commands that write
    from mentara_seed.applier.execute import Applied


def journal_state(settings: Settings) -> JournalState:
    no_default_database_yet(settings)
    with database.connect(engine_for(settings)) as conn, conn.begin():
        return journal.read(conn)


def history(settings: Settings) -> list[ApplyRecord]:
    engine = engine_for(settings)
    no_default_database_yet(settings)
    with reading(engine) as conn:
        return journal.history(conn)


def undo(
    settings: Settings, serial: int | None, *, on_wait: Callable[[str], None] | None = None,
    approve: Callable[[Plan], None] | None = None,
) -> tuple[Plan, Applied | None]:
    """Revert one apply (the latest by default) from its before-images, as a new apply;
    ``approve`` sees the plan before it is written and raises to stop it."""
    check_guard(settings)
    engine = engine_for(settings)
    no_default_database_yet(settings)
    with writing(engine, settings, on_wait) as conn:
        state = journal.read(conn)
        header = PlanHeader(
            tool_version=__version__, corpus_version=CORPUS_VERSION, request={},
            project_seed=settings.seed, profile=settings.profile, config_hash="",
            anchor=(state.anchor or default_anchor(dt.datetime.now(dt.UTC))).isoformat(
                timespec="milliseconds"),
            journal_serial=state.serial, lineage=state.lineage,
            targets=(f"undo {serial or 'latest'}",), enrichers=(),
            table_order=table_order(),
        )
        from mentara_seed.applier.execute import execute
        from mentara_seed.planner.undo import build_undo

        plan = build_undo(conn, state, header, serial)
        if approve is not None and plan.changes:
            approve(plan)
        applied = execute(conn, plan, state, kind="undo") if plan.changes else None
    return plan, applied
