"""What an operation asks of the planner: the command line's ``Options``, the settings checked
(``[minimums.NAME]`` names an enricher, its fields are valid) and turned into a ``PlanRequest``
with the journal's layer applied, and the tables that request needs."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import ValidationError

from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import Registry
from mentara_seed.errors import ConfigError
from mentara_seed.planner import context, remembered
from mentara_seed.planner.build import PlanRequest
from mentara_seed.planner.targets import select
from mentara_seed.schema.tables import TABLES
from mentara_seed.settings import Settings, remember
from mentara_seed.state import journal
from mentara_seed.state.journal import AppliedSettings


@dataclass(frozen=True)
class Options:
    """What a command line asks of one run, beyond the settings."""

    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    prune: bool = False
    update: bool = False
    destroy: bool = False
    init: bool = False


def check_minimums(settings: Settings, registry: Registry) -> None:
    for name, overrides in settings.minimums.items():
        if name not in registry:
            close = difflib.get_close_matches(name, registry.names(), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ConfigError(f"Invalid configuration: [minimums.{name}] names no enricher.{hint}")
        try:
            registry[name].minimums.resolve(settings.profile, settings.scale, overrides)
        except ValidationError as err:
            lines = [f"Invalid configuration in [minimums.{name}]:"]
            for e in err.errors():
                key = ".".join(str(p) for p in e["loc"])
                got = "" if "password" in key else f" (got {e.get('input')!r})"
                lines.append(f"  minimums.{name}.{key}: {e['msg']}{got}")
            raise ConfigError("\n".join(lines)) from err


def warm_password(settings: Settings, registry: Registry) -> None:
    """Start hashing the seeded accounts' password (``users``; bcrypt, tens of milliseconds)
    on another thread, at the start of a command that may plan users: by the time ``users``
    runs it is hashed (``planner.context.warm_password``). Only the time moves: the hash is
    the same, a plan that needs none (every account there already) ignores it, and a plan of
    other settings (the journal's) hashes what it needs. Invalid minimums start nothing (they
    are reported by ``check_minimums``)."""
    if "users" not in registry:
        return
    try:
        need = registry["users"].minimums.resolve(
            settings.profile, settings.scale, dict(settings.minimums.get("users", {})))
    except ValidationError:
        return
    password = getattr(need, "password", None)
    if isinstance(password, str):
        context.warm_password(password, settings.password_cost, settings.seed)


def request(settings: Settings, options: Options, registry: Registry = REGISTRY,
            origin: remembered.SettingsOrigin | None = None) -> PlanRequest:
    """The plan request of ``settings`` (the journal's layer applied, when ``origin`` says
    where they came from: then the minimums the last apply left in force are kept)."""
    check_minimums(settings, registry)
    anchor = (dt.datetime.combine(settings.anchor, dt.time()) if settings.anchor else None)
    origin = origin or remembered.SettingsOrigin()
    renewing = remembered.renewed(select(registry, options.targets, options.excludes),
                                  options.prune, options.destroy)
    return PlanRequest(
        profile=settings.profile,
        project_seed=settings.seed,
        scale=settings.scale,
        minimums=settings.minimums,
        targets=options.targets,
        excludes=options.excludes,
        anchor=anchor,
        update_drifted=options.update,
        prune=options.prune,
        destroy=options.destroy,
        password_cost=settings.password_cost,
        reuse=not settings.full,
        jobs=settings.jobs,
        kept=remembered.kept_minimums(registry, settings.profile, settings.scale,
                                      settings.minimums, origin.previous, renewing),
        origin=origin,
    )


def remembered_request(conn: sa.Connection, settings: Settings, options: Options,
                registry: Registry) -> tuple[PlanRequest, AppliedSettings | None]:
    """The request with the journal's layer of the settings applied (``settings.remember``),
    and the last apply's settings it was taken from."""
    applied = journal.applied_settings(conn)
    resolved, origin = remember(settings, applied, registry.names())
    return request(resolved, options, registry, origin), applied


def needed_tables(req: PlanRequest, registry: Registry) -> list[sa.Table]:
    names = select(registry, req.targets, req.excludes).order
    return [TABLES[t] for n in names for t in registry[n].writes]
