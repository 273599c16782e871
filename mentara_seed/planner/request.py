"""What shapes a plan besides the database (the request), what a plan is built into (the
result), and what follows from the request alone: its saved form, its minimums, its anchor."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mentara_seed.enrichers.common import FIXED_PASSWORD
from mentara_seed.enrichers.registry import Enricher, Minimums
from mentara_seed.planner import remembered
from mentara_seed.planner.context import hashed_password
from mentara_seed.planner.plan import Plan
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.planner.targets import Selection
from mentara_seed.schema.values import dumps
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
    # read (``operations.applying.apply``), and verification need not read them again.
    live: LiveState | None = None


def request_document(request: PlanRequest, anchor: dt.datetime) -> dict[str, Any]:
    """The request as it goes into a saved plan: enough to plan again and compare."""
    return {
        "profile": request.profile,
        "project_seed": request.project_seed,
        "scale": request.scale,
        "minimums": {k: _recorded(v, request) for k, v in sorted(request.minimums.items())},
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


def _recorded(fields: Mapping[str, Any], request: PlanRequest) -> dict[str, Any]:
    """An enricher's minimums as plans, the journal and state keys record them: a password as
    its bcrypt hash (what the seeded accounts store), never in clear; but the documented
    default, which is no secret (and hashing it would run bcrypt in every plan)."""
    return {k: hashed_password(v, request.password_cost, request.project_seed)
            if k == "password" and isinstance(v, str) and v != FIXED_PASSWORD else v
            for k, v in fields.items()}


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
        "minimums": {name: _recorded(m.model_dump(mode="json"), request)
                     for name, m in sorted(minimums.items())},
    }
    return hashlib.sha256(dumps(doc).encode()).hexdigest()[:16]

