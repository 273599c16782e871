"""Enrichers a user might add, each registered into its own copy of the registry in this
importable module (so the testing kit can load it again in a fresh process): ``welcome-notes``,
written right, and three broken variants the kit must catch — one reads the clock, one the
global random module, one ignores the welcome notifications the app already sent."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator

from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import DesiredRow, NoMinimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row
from mentara_seed.testing import World

TITLE = "Welcome to Mentara"
MESSAGES = ("Start by joining a community that fits you.", "Your first journal entry awaits.",
            "Say hello in a community's General Discussion.", "Book a first session anytime.",
            "Take the short assessment to find a therapist.")


def _members(rows: list[Row]) -> list[Row]:
    return [u for u in rows if u["role"] in ("client", "therapist")]


def _verify(name: str) -> Callable[[LiveState, NoMinimums], Iterator[Violation]]:
    def verify(live: LiveState, need: NoMinimums) -> Iterator[Violation]:
        welcomes: dict[str, int] = {}
        for n in live.rows("Notification"):
            if n["title"] == TITLE:
                welcomes[n["userId"]] = welcomes.get(n["userId"], 0) + 1
        for user in _members(live.rows("User")):
            if welcomes.get(user["id"], 0) != 1:
                yield Violation(name, f"{user['role']} {user['email']}",
                                f"{welcomes.get(user['id'], 0)} welcome notifications, want 1")
    return verify


def _welcome(ctx: PlanContext, user: Row, *, created: dt.datetime | None = None,
             message: str | None = None) -> DesiredRow:
    at = created or user["createdAt"] + dt.timedelta(minutes=5)
    return ctx.row("Notification", id=ctx.id("Notification", "welcome", user["id"]),
                   userId=user["id"], title=TITLE, type="PROFILE_COMPLETION",
                   message=message or ctx.choose(MESSAGES, user["id"], "welcome"),
                   createdAt=at, updatedAt=at)


def _already_welcomed(ctx: PlanContext) -> set[str]:
    return {n["userId"] for n in ctx.foreign("Notification") if n["title"] == TITLE}


WELCOME = REGISTRY.copy()
CLOCK = REGISTRY.copy()
GLOBAL_RANDOM = REGISTRY.copy()
IGNORES_APP = REGISTRY.copy()


@enricher("welcome-notes", writes=("Notification",), depends_on=("users",), tier=1,
          verify=_verify("welcome-notes"), registry=WELCOME)
def welcome_notes(ctx: PlanContext, need: NoMinimums) -> Iterator[DesiredRow]:
    """One welcome notification per client and therapist, unless the app already sent one."""
    welcomed = _already_welcomed(ctx)
    for user in _members(ctx.rows("User")):
        if user["id"] not in welcomed:
            yield _welcome(ctx, user)


@enricher("welcome-clock", writes=("Notification",), depends_on=("users",), tier=1,
          verify=_verify("welcome-clock"), registry=CLOCK)
def welcome_clock(ctx: PlanContext, need: NoMinimums) -> Iterator[DesiredRow]:
    """Broken: stamps each welcome with the wall clock instead of the anchor."""
    welcomed = _already_welcomed(ctx)
    for user in _members(ctx.rows("User")):
        if user["id"] not in welcomed:
            yield _welcome(ctx, user, created=dt.datetime.now())


@enricher("welcome-random", writes=("Notification",), depends_on=("users",), tier=1,
          verify=_verify("welcome-random"), registry=GLOBAL_RANDOM)
def welcome_random(ctx: PlanContext, need: NoMinimums) -> Iterator[DesiredRow]:
    """Broken: picks each message with the global random module instead of ctx.rng()."""
    welcomed = _already_welcomed(ctx)
    for user in _members(ctx.rows("User")):
        if user["id"] not in welcomed:
            yield _welcome(ctx, user, message=random.choice(MESSAGES))


@enricher("welcome-ignores-app", writes=("Notification",), depends_on=("users",), tier=1,
          verify=_verify("welcome-ignores-app"), registry=IGNORES_APP)
def welcome_ignores_app(ctx: PlanContext, need: NoMinimums) -> Iterator[DesiredRow]:
    """Broken: welcomes every user, even those the app already welcomed."""
    for user in _members(ctx.rows("User")):
        yield _welcome(ctx, user)


def app_welcome(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    """The app's own welcome notification for a client or therapist who has none yet."""
    welcomed = {n["userId"] for n in world.rows("Notification") if n["title"] == TITLE}
    user = World.nth([u for u in _members(world.rows("User")) if u["id"] not in welcomed],
                     pick)
    if user is None:
        return []
    at = user["createdAt"] + dt.timedelta(minutes=1)
    return [("Notification", world.row(
        "Notification", id=key, userId=user["id"], title=TITLE, type="PROFILE_COMPLETION",
        message="Welcome! (sent by the app)", createdAt=at, updatedAt=at))]
