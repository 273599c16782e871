"""Tier 1: clients and therapists in communities, and every community with enough members."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import CLIENT, THERAPIST, between, latest
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row


class MembershipMinimums(Minimums):
    """Community memberships per client and therapist, and members per community."""

    per_client: int = Field(1, ge=0, description="communities each client belongs to")
    per_therapist: int = Field(1, ge=0, description="communities each therapist belongs to")
    per_community: int = Field(8, ge=0, description="members of each community")
    most_per_user: int = Field(3, ge=1, description="upper end of a user's usual communities")

    PROFILES: ClassVar = {"light": {"per_community": 4}, "heavy": {"per_community": 20}}


def members(ctx: PlanContext) -> list[Row]:
    """Clients and therapists: the users who join communities, in id order."""
    return [u for u in ctx.rows("User") if u["role"] in (CLIENT, THERAPIST)]


def _verify(live: LiveState, need: MembershipMinimums) -> Iterator[Violation]:
    by_user = live.group("Membership", "userId")
    for user in live.rows("User"):
        want = {CLIENT: need.per_client, THERAPIST: need.per_therapist}.get(user["role"])
        have = len(by_user.get(user["id"], []))
        if want is not None and have < want:
            yield Violation("memberships", f"{user['role']} {user['email']}",
                            f"member of {have}/{want} communities")
    by_community = live.group("Membership", "communityId")
    eligible = sum(1 for u in live.rows("User") if u["role"] in (CLIENT, THERAPIST))
    want = min(need.per_community, eligible)
    for community in live.rows("Community"):
        have = len(by_community.get(community["id"], []))
        if have < want:
            yield Violation("memberships", f"community {community['slug']}",
                            f"{have}/{want} members")


@enricher(
    "memberships",
    writes=("Membership",),
    depends_on=("users", "communities"),
    tier=1,
    minimums=MembershipMinimums,
    verify=_verify,
)
def memberships(ctx: PlanContext, need: MembershipMinimums) -> Iterator[DesiredRow]:
    """Every client and therapist in at least the minimum number of communities (usually one
    to three, chosen by rendezvous hashing so they stay put), then every community topped up to
    its minimum members from the users not yet in it. Unique per (user, community); joined after
    both the user and the community existed."""
    users = members(ctx)
    community_ids = [c["id"] for c in ctx.rows("Community")]
    foreign = ctx.foreign("Membership")
    joined: dict[str, set[str]] = {}
    for m in foreign:
        joined.setdefault(m["userId"], set()).add(m["communityId"])
    planned: list[tuple[str, str]] = []
    communities = ctx.ring(community_ids, "membership")
    applied = _applied(ctx, set(community_ids))
    for user in users:
        uid = user["id"]
        floor = need.per_client if user["role"] == CLIENT else need.per_therapist
        usual = ctx.rng(uid, "memberships").randint(1, max(need.most_per_user, 1))
        have = joined.setdefault(uid, set())
        for cid in communities.pick(max(floor, usual) - len(have), uid, skip=have):
            have.add(cid)
            planned.append((uid, cid))
        # Memberships as applied stay besides the picks (which are made as if there were
        # none, so a deleted one comes back as it was), until --prune.
        for cid in applied.get(uid, []):
            if cid not in have:
                have.add(cid)
                planned.append((uid, cid))
    size: dict[str, set[str]] = {}
    for uid, cids in joined.items():
        for cid in cids:
            size.setdefault(cid, set()).add(uid)
    people = ctx.ring([u["id"] for u in users], "members")
    for cid in community_ids:
        inside = size.get(cid, set())
        for uid in people.pick(need.per_community - len(inside), cid, skip=inside):
            joined[uid].add(cid)
            planned.append((uid, cid))
    for uid, cid in sorted(planned):
        yield _membership(ctx, uid, cid)


def _applied(ctx: PlanContext, communities: set[str]) -> dict[str, list[str]]:
    """User id -> the communities of their applied memberships that still exist."""
    out: dict[str, list[str]] = {}
    if ctx.live.has("Membership"):
        for m in ctx.live.rows("Membership"):
            if m["communityId"] in communities and ctx.keeping("Membership", m["id"]):
                out.setdefault(m["userId"], []).append(m["communityId"])
    return out


def _membership(ctx: PlanContext, user_id: str, community_id: str) -> DesiredRow:
    mid = ctx.natural_id("Membership", user_id, community_id)
    user = ctx.get("User", user_id)
    community = ctx.get("Community", community_id)
    assert user is not None and community is not None
    start = latest(user["createdAt"], community["createdAt"])
    joined = between(ctx.rng(mid), start, max(start, ctx.at(days=-2)))
    return ctx.row("Membership", id=mid, joinedAt=joined, communityId=community_id,
                   userId=user_id)
