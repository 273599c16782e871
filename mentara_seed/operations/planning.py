"""``seed plan``: read the database and return the plan, writing nothing."""

from __future__ import annotations

from collections.abc import Callable

from mentara_seed import database
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.operations.opening import engine_for, no_default_database_yet, reading
from mentara_seed.operations.requests import (
    Options,
    check_minimums,
    needed_tables,
    remembered_request,
    warm_password,
)
from mentara_seed.planner.build import PlanResult, build_plan
from mentara_seed.settings import Settings


def plan(settings: Settings, options: Options, registry: Registry = REGISTRY,
         on_step: Callable[[str], None] | None = None) -> PlanResult:
    check_minimums(settings, registry)  # a configuration error before anything is opened
    engine = engine_for(settings)
    no_default_database_yet(settings)
    with reading(engine) as conn:
        req, applied = remembered_request(conn, settings, options, registry)
        if applied is None:
            # Nothing applied yet: the accounts will be planned. (Most plans check a seeded
            # database, where hashing at the start would be work for nothing.)
            warm_password(settings, registry)
        database.require_schema(conn, needed_tables(req, registry), settings.database_url)
        return build_plan(conn, req, registry, on_step)
