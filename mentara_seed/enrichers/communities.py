"""Tier 0: support communities with their room groups and rooms (channels posts live in)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between
from mentara_seed.enrichers.corpora import communities as corpus
from mentara_seed.enrichers.corpora import people
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row


class CommunityMinimums(Minimums):
    """How many communities exist: illness-specific and general support themes."""

    illness: int = Field(10, ge=0, description="illness-specific support communities")
    general: int = Field(5, ge=0, description="general wellbeing communities")

    PROFILES: ClassVar = {"light": {"illness": 5, "general": 2},
                          "heavy": {"illness": 15, "general": 8}}
    SCALED: ClassVar = ("illness", "general")

    @property
    def total(self) -> int:
        return self.illness + self.general


def themes(need: CommunityMinimums) -> list[tuple[str, str, str]]:
    """Community themes in slot order: illness themes first, then general ones; past the end of
    a corpus, further circles of the same themes, named for who meets there or where
    ("Anxiety Support · Night Owls", "Anxiety Support · Cebu City"; slug "anxiety-support-2")."""
    out: list[tuple[str, str, str]] = []
    for pool, count in ((corpus.ILLNESS_COMMUNITIES, need.illness),
                        (corpus.GENERAL_COMMUNITIES, need.general)):
        for n in range(count):
            name, slug, description = pool[n % len(pool)]
            circle = n // len(pool) + 1
            if circle > 1:
                name, slug = f"{name} · {circle_name(circle)}", f"{slug}-{circle}"
            out.append((name, slug, description))
    return out


def circle_name(circle: int) -> str:
    """What tells circle ``circle`` (2, 3, …) of a theme apart: a group of people, then a
    city, then a group in a city, so every circle of a theme has its own name."""
    groups, cities = corpus.CIRCLE_GROUPS, [c for c, _ in people.CITIES]
    n = circle - 2
    if n < len(groups):
        return groups[n]
    n -= len(groups)
    if n < len(cities):
        return cities[n]
    n -= len(cities)
    return f"{groups[n % len(groups)]}, {cities[n // len(groups) % len(cities)]}" + (
        f" {n // (len(groups) * len(cities)) + 1}" if n >= len(groups) * len(cities) else "")


def _verify(live: LiveState, need: CommunityMinimums) -> Iterator[Violation]:
    have = len(live.rows("Community"))
    if have < need.total:
        yield Violation("communities", "communities", f"{have}/{need.total} communities")
    groups = live.group("RoomGroup", "communityId")
    rooms = live.group("Room", "roomGroupId")
    for community in live.rows("Community"):
        if not any(rooms.get(g["id"]) for g in groups.get(community["id"], [])):
            yield Violation("communities", f"community {community['slug']}", "has no room")


@enricher(
    "communities",
    writes=("Community", "RoomGroup", "Room"),
    tier=0,
    minimums=CommunityMinimums,
    verify=_verify,
)
def communities(ctx: PlanContext, need: CommunityMinimums) -> Iterator[DesiredRow]:
    """The profile's number of communities on real support themes (ADHD, anxiety, depression,
    grief, …; the first three are the app's test communities ``adhd-support``,
    ``anxiety-support``, ``depression-support``), each with room groups Welcome, Support and
    Resources and their rooms; a foreign community with no room group gets the same layout."""
    foreign = ctx.foreign("Community")
    taken = {c["slug"] for c in foreign} | {c["name"] for c in foreign}
    gap = max(0, need.total - len(foreign))
    free = [t for t in themes(need) if t[0] not in taken and t[1] not in taken]
    chosen = free[:gap]
    # Applied communities beyond the minimum count and stay (under --prune, those a staying
    # row references).
    more = len(ctx.owned.get("Community", {}))
    wider = themes(need.model_copy(update={"illness": need.illness + more,
                                           "general": need.general + more}))
    kept = [t for t in wider if t[0] not in taken and t[1] not in taken
            and ctx.keeping("Community", ctx.natural_id("Community", t[1])) is not None]
    if kept or not ctx.prune:
        chosen = kept + [t for t in free if t not in kept][:max(0, gap - len(kept))]
    planned: list[Row] = []
    for name, slug, description in chosen:
        cid = ctx.natural_id("Community", slug)
        rng = ctx.rng(cid, "community")
        created = between(rng, ctx.at(days=-720), ctx.at(days=-400))
        row = ctx.row(
            "Community", id=cid, name=name, slug=slug, description=description,
            imageUrl=f"https://images.mentara.test/communities/{rng.choice(corpus.ILLUSTRATIONS)}"
                     f"-{slug}.webp",
            createdAt=created, updatedAt=between(rng, created, ctx.at(days=-30)),
        )
        planned.append(row[1])
        yield row
    foreign_groups = ctx.group("RoomGroup", "communityId", foreign=True)
    bare = [c for c in foreign if not foreign_groups.get(c["id"])]
    for community in sorted(planned + bare, key=lambda c: c["id"]):
        yield from _rooms(ctx, community["id"])


def _rooms(ctx: PlanContext, community_id: str) -> Iterator[DesiredRow]:
    for g, (group_name, rooms) in enumerate(corpus.ROOM_LAYOUT):
        gid = ctx.id("RoomGroup", community_id, group_name)
        yield ctx.row("RoomGroup", id=gid, name=group_name, order=g, communityId=community_id)
        for r, (room_name, posting_role) in enumerate(rooms):
            yield ctx.row("Room", id=ctx.id("Room", gid, room_name), name=room_name, order=r,
                          postingRole=posting_role, roomGroupId=gid)
