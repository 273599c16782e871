"""Tier 2: moderators assigned to communities (ModeratorCommunity), and each seeded moderator's
``Moderator.assignedCommunities`` kept equal to those assignments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import users as users_enricher
from mentara_seed.enrichers.common import between, latest
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row


class ModeratorAssignmentMinimums(Minimums):
    """Communities per moderator and moderators per community."""

    per_moderator: int = Field(1, ge=0, description="communities each moderator moderates")
    per_community: int = Field(1, ge=0, description="moderators of each community")
    most_per_moderator: int = Field(3, ge=1, description="upper end of a moderator's usual "
                                                         "communities")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: ModeratorAssignmentMinimums) -> Iterator[Violation]:
    by_moderator = live.group("ModeratorCommunity", "moderatorId")
    users = live.by_pk("User")
    for moderator in live.rows("Moderator"):
        mid = moderator["userId"]
        entity = f"moderator {users[mid]['email']}"
        assigned = sorted(r["communityId"] for r in by_moderator.get(mid, []))
        if len(assigned) < need.per_moderator:
            yield Violation("moderator-assignments", entity,
                            f"moderates {len(assigned)}/{need.per_moderator} communities")
        # A null copy is one the app does not keep; a kept copy must match the table.
        copy = moderator["assignedCommunities"]
        if copy is not None and sorted(copy) != assigned:
            yield Violation("moderator-assignments", entity,
                            "assignedCommunities differs from its ModeratorCommunity rows")
    by_community = live.group("ModeratorCommunity", "communityId")
    want = min(need.per_community, len(live.rows("Moderator")))
    for community in live.rows("Community"):
        have = len(by_community.get(community["id"], []))
        if have < want:
            yield Violation("moderator-assignments", f"community {community['slug']}",
                            f"{have}/{want} moderators")


@enricher(
    "moderator-assignments",
    writes=("ModeratorCommunity", "Moderator"),
    depends_on=("users", "communities"),
    tier=1,
    minimums=ModeratorAssignmentMinimums,
    verify=_verify,
)
def moderator_assignments(
    ctx: PlanContext, need: ModeratorAssignmentMinimums
) -> Iterator[DesiredRow]:
    """Every moderator in at least the minimum number of communities (usually one to three),
    and every community with at least the minimum moderators, both chosen by rendezvous
    hashing so that a new moderator or community moves few assignments. Unique per
    (moderator, community); assigned after both the moderator and the community existed.
    Re-emits each Moderator row the users enricher seeds with ``assignedCommunities`` = the
    sorted community ids of its ModeratorCommunity rows after this apply (the app's
    denormalised copy); Moderator rows it does not own are never touched, and owned ones the
    users enricher no longer wants get no new assignments."""
    seeded = ctx.desired.get("Moderator", {})
    moderators = sorted({m["userId"] for m in ctx.foreign("Moderator")} | set(seeded))
    community_ids = [c["id"] for c in ctx.rows("Community")]
    foreign: dict[str, set[str]] = {m: set() for m in moderators}
    for r in ctx.foreign("ModeratorCommunity"):
        foreign.setdefault(r["moderatorId"], set()).add(r["communityId"])
    planned: set[tuple[str, str]] = set()
    communities = ctx.ring(community_ids, "moderator-communities")
    applied = _applied(ctx, set(community_ids))
    for mid in moderators:
        usual = ctx.rng(mid, "communities").randint(1, need.most_per_moderator)
        for cid in communities.pick(max(need.per_moderator, usual) - len(foreign[mid]),
                                    mid, "community", skip=foreign[mid]):
            planned.add((mid, cid))
        # Assignments as applied stay besides the picks (made as if there were none, so a
        # deleted one comes back as it was), until --prune.
        planned.update((mid, cid) for cid in applied.get(mid, []) if cid not in foreign[mid])
    planned |= _cover_communities(ctx, need, moderators, community_ids, foreign)
    yield from (_assignment(ctx, mid, cid) for mid, cid in sorted(planned))
    # users.moderator_row reads the projection, which does not hold this plan's rows yet: the
    # copy is the projected rows (foreign ones, and orphans when they are not pruned) plus
    # the planned ones.
    projected = ctx.group("ModeratorCommunity", "moderatorId")
    planned_of: dict[str, set[str]] = {}
    for mid, cid in planned:
        planned_of.setdefault(mid, set()).add(cid)
    for mid in sorted(seeded):
        table, row = users_enricher.moderator_row(ctx, mid, seeded[mid]["createdAt"])
        staying = {r["communityId"] for r in projected.get(mid, [])}
        row["assignedCommunities"] = sorted(staying | planned_of.get(mid, set()))
        yield table, row


def _applied(ctx: PlanContext, communities: set[str]) -> dict[str, list[str]]:
    """Moderator id -> the communities of their applied assignments that still exist."""
    out: dict[str, list[str]] = {}
    if ctx.live.has("ModeratorCommunity"):
        for r in ctx.live.rows("ModeratorCommunity"):
            if r["communityId"] in communities and ctx.keeping("ModeratorCommunity", r["id"]):
                out.setdefault(r["moderatorId"], []).append(r["communityId"])
    return out


def _cover_communities(
    ctx: PlanContext, need: ModeratorAssignmentMinimums, moderators: list[str],
    community_ids: list[str], foreign: dict[str, set[str]],
) -> set[tuple[str, str]]:
    assigned: dict[str, set[str]] = {}
    for mid, communities in foreign.items():
        for cid in communities:
            assigned.setdefault(cid, set()).add(mid)
    planned: set[tuple[str, str]] = set()
    ring = ctx.ring(moderators, "community-moderators")
    for cid in community_ids:
        have = assigned.get(cid, set())
        for mid in ring.pick(need.per_community - len(have), cid, "moderator", skip=have):
            planned.add((mid, cid))
    return planned


def _assignment(ctx: PlanContext, moderator_id: str, community_id: str) -> DesiredRow:
    aid = ctx.natural_id("ModeratorCommunity", moderator_id, community_id)
    user: Row | None = ctx.get("User", moderator_id)
    community = ctx.get("Community", community_id)
    assert user is not None and community is not None
    start = latest(user["createdAt"], community["createdAt"], ctx.earliest(
        "ModeratorCommunity", "assignedAt", moderatorId=moderator_id, communityId=community_id))
    assigned = between(ctx.rng(aid), start, max(start, ctx.at(days=-7)))
    return ctx.row("ModeratorCommunity", id=aid, moderatorId=moderator_id,
                   communityId=community_id, assignedAt=assigned)
