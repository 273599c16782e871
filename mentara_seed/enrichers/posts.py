"""Tier 2: posts by clients and therapists in the rooms of their communities."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose, content
from mentara_seed.enrichers.common import CLIENT, THERAPIST, between
from mentara_seed.enrichers.corpora import topics
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

ROOM_FOR_KIND = {"intro": "Introductions", "theme": "General Discussion",
                 "question": "Ask a Therapist", "checkin": "Daily Check-ins",
                 "win": "Wins & Progress", "tip": "Ask a Therapist"}
CLIENT_KINDS, CLIENT_WEIGHTS = ("theme", "question", "checkin", "win"), (45, 15, 20, 20)


class PostMinimums(Minimums):
    """Posts per client, per approved therapist and per community, and how recent each
    community's latest post is."""

    per_client: int = Field(5, ge=0, description="posts by each client")
    per_therapist: int = Field(2, ge=0, description="posts by each APPROVED therapist")
    per_community: int = Field(10, ge=0, description="posts in each community")
    recent_days: int = Field(30, ge=1, description="every community has a post this recent "
                                                   "(days before the anchor)")

    PROFILES: ClassVar = {"light": {"per_client": 2, "per_community": 5},
                          "heavy": {"per_client": 10, "per_community": 30}}

    def per_author(self, role: str) -> int:
        return self.per_client if role == CLIENT else self.per_therapist


@dataclass(slots=True)
class _Draft:
    id: str
    user: Row
    community: str
    kind: str
    created: dt.datetime


@dataclass(slots=True)
class _World:
    """What posting depends on: communities with rooms a member may post in, who joined
    which community when, and the users who write."""

    communities: dict[str, Row]
    rooms: dict[str, list[Row]]
    joined: dict[tuple[str, str], dt.datetime]
    writers: list[Row]
    latest_join: dt.datetime
    room_community: dict[str, str]

    @classmethod
    def build(cls, ctx: PlanContext) -> _World:
        rooms: dict[str, list[Row]] = {}
        room_community = content.room_communities(ctx)
        for room in ctx.rows("Room"):
            if room["postingRole"] == content.MEMBER_ROOM and room["id"] in room_community:
                rooms.setdefault(room_community[room["id"]], []).append(room)
        return cls({c["id"]: c for c in ctx.rows("Community")}, rooms, content.joined_at(ctx),
                   content.authors(ctx), ctx.anchor - content.LATEST_JOIN, room_community)

    def can_post(self, user_id: str, community_id: str) -> bool:
        joined = self.joined.get((user_id, community_id))
        return joined is not None and joined <= self.latest_join and community_id in self.rooms


def _in_communities(room_community: dict[str, str], communities: frozenset[str],
                    room: str) -> bool:
    """Whether ``room`` is a room of one of ``communities``."""
    return room_community.get(room) in communities


def _verify(live: LiveState, need: PostMinimums) -> Iterator[Violation]:
    by_user = live.group("Post", "userId")
    memberships = live.group("Membership", "userId")
    postable = content.member_room_communities(live)
    for user in content.authors(live):
        want, have = need.per_author(user["role"]), len(by_user.get(user["id"], []))
        if have < want and live.anchor is not None and not content.joined_in_time(
                memberships.get(user["id"], []), postable, live.anchor):
            continue  # warned by the planner: nowhere to post before the anchor
        if have < want:
            yield Violation("posts", f"{user['role']} {user['email']}", f"{have}/{want} posts")
    yield from _verify_communities(live, need)
    yield from _verify_placement(live)


def _verify_communities(live: LiveState, need: PostMinimums) -> Iterator[Violation]:
    # "Recent" is measured from the anchor, as the planner does; without one, from the newest
    # post in the database (which a post the app dates in 2030 moves).
    community_of = content.post_communities(live)
    newest = live.anchor or max((p["createdAt"] for p in live.rows("Post")), default=None)
    since = "the anchor" if live.anchor else "the newest post"
    count: dict[str, int] = {}
    latest: dict[str, dt.datetime] = {}
    for post in live.rows("Post"):
        cid = community_of[post["id"]]
        if cid is not None:
            count[cid] = count.get(cid, 0) + 1
            latest[cid] = max(latest.get(cid, post["createdAt"]), post["createdAt"])
    writers = _community_writers(live)
    for community in live.rows("Community"):
        cid, entity = community["id"], f"community {community['slug']}"
        if live.anchor is not None and cid not in writers:
            continue  # warned by the planner: no room or no member to post
        if count.get(cid, 0) < need.per_community:
            yield Violation("posts", entity, f"{count.get(cid, 0)}/{need.per_community} posts")
        if newest is not None and (cid not in latest or
                                   newest - latest[cid] > dt.timedelta(days=need.recent_days)):
            yield Violation("posts", entity, f"no post in the {need.recent_days} days before "
                                             f"{since}")


def _community_writers(live: LiveState) -> set[str]:
    """Communities with a member room and a member (an author) who joined in time to post
    there before the anchor: the others get no seeded post (``_top_up`` warns)."""
    postable = content.member_room_communities(live)
    authors = {u["id"] for u in content.authors(live)}
    latest = (live.anchor - content.LATEST_JOIN if live.anchor is not None
              else dt.datetime.max)
    return {m["communityId"] for m in live.rows("Membership") if m["userId"] in authors
            and m["communityId"] in postable and m["joinedAt"] <= latest}


def _verify_placement(live: LiveState) -> Iterator[Violation]:
    rooms, users = live.by_pk("Room"), live.by_pk("User")
    room_community = content.room_communities(live)
    joined = content.joined_at(live)
    membership = {(m["userId"], m["communityId"]): m["id"] for m in live.rows("Membership")}
    for post in live.rows("Post"):
        room = rooms.get(post["roomId"]) if post["roomId"] else None
        entity = f"post {post['id']}"
        if room is None or room["id"] not in room_community:
            yield Violation("posts", entity, "is in no community room")
            continue
        since = joined.get((post["userId"], room_community[room["id"]]))
        if not content.may_post(room, users[post["userId"]], since is not None):
            yield Violation("posts", entity, f"author may not post in room {room['name']!r}")
        elif room["postingRole"] == content.MEMBER_ROOM and since and post["createdAt"] < since:
            # Read against the membership: a person who re-dated the join made it so.
            yield Violation("posts", entity, "written before its author joined the community",
                            rows=(post["id"],), inputs=(
                                membership[(post["userId"], room_community[room["id"]])],))


@enricher(
    "posts",
    writes=("Post",),
    depends_on=("memberships",),
    reads=("Room", "RoomGroup"),  # a post's community is its room's group's
    tier=2,
    minimums=PostMinimums,
    verify=_verify,
)
def posts(ctx: PlanContext, need: PostMinimums) -> Iterator[DesiredRow]:
    """Every client and APPROVED therapist with at least the minimum posts (a few more for
    some), each in a community the author is a member of (rendezvous-hashed among them) and
    in a room whose postingRole allows it: introductions, general discussion, daily check-ins,
    wins, and questions in "Ask a Therapist"; therapists introduce themselves and share
    psychoeducation there. Then every community is topped up to its minimum posts, and to one
    post in the recent window, by its members. Each title and text is composed from parts
    (opening, situation, feeling, what helped, question, sign-off) of the community's own
    topic (ADHD, OCD, grief, sleep, …; general wellbeing text for a community the corpus does
    not know) in the author's voice (a client's experience, question, check-in or win; a
    therapist's introduction or tip), chosen by the post's own RNG; no title repeats while
    the corpus has a fresh one. Most
    posts are from the last ``recent_days`` days before the anchor, some older, none before
    the author joined the community."""
    world = _World.build(ctx)
    drafts = list(_per_author(ctx, need, world))
    drafts += _top_up(ctx, need, world, drafts)
    yield from _write(ctx, world, drafts)


def _per_author(ctx: PlanContext, need: PostMinimums, world: _World) -> Iterator[_Draft]:
    foreign = ctx.group("Post", "userId", foreign=True)
    by_user = ctx.group("Membership", "userId")
    for user in world.writers:
        uid = user["id"]
        floor = need.per_author(user["role"])
        gap = ctx.rng(uid, "posts").randint(floor, floor + 2) - len(foreign.get(uid, []))
        options = sorted(m["communityId"] for m in by_user.get(uid, [])
                         if world.can_post(uid, m["communityId"]))
        if not options:
            if gap > 0:
                ctx.warn("posts", f"{user['role']} {user['email']}", "a member of no "
                         "community with a member room since before the anchor")
            continue
        allowed = partial(_in_communities, world.room_community, frozenset(options))
        for slot in range(ctx.slots(gap, "Post", partial(ctx.id, "Post", uid))):
            pid = ctx.id("Post", uid, slot)
            room = ctx.live_choice("Post", pid, "roomId", allowed)
            cid = world.room_community[room] if room else ctx.pick_one(options, pid, "community")
            assert cid is not None
            rng = ctx.rng(pid)
            kind = _kind(user["role"], slot, rng)
            created = _created(ctx, need, rng, world.joined[(uid, cid)], may_be_old=True)
            yield _Draft(pid, user, cid, kind, created)


def _top_up(ctx: PlanContext, need: PostMinimums, world: _World,
            drafts: list[_Draft]) -> list[_Draft]:
    recent_since = ctx.at(days=-need.recent_days)
    room_community = content.room_communities(ctx)
    have: dict[str, int] = {}
    recent: set[str] = set()
    dated = [(room_community.get(p["roomId"] or ""), p["createdAt"]) for p in ctx.foreign("Post")]
    for cid, created in dated + [(d.community, d.created) for d in drafts]:
        if cid is not None:
            have[cid] = have.get(cid, 0) + 1
            if created >= recent_since:
                recent.add(cid)
    members = content.members(ctx, {u["id"] for u in world.writers})
    users = {u["id"]: u for u in world.writers}
    out: list[_Draft] = []
    for cid in world.communities:
        gap = max(need.per_community - have.get(cid, 0), 0 if cid in recent else 1)
        writers = [u for u in members.get(cid, []) if world.can_post(u, cid)]
        if gap and not writers:
            ctx.warn("posts", f"community {world.communities[cid]['slug']}", "no room its "
                     "members may post in, or no member since before the anchor")
        slots = ctx.slots(gap, "Post", partial(ctx.id, "Post", "community", cid))
        for slot in range(slots if writers else 0):
            pid = ctx.id("Post", "community", cid, slot)
            uid = (ctx.live_choice("Post", pid, "userId", writers.__contains__)
                   or ctx.pick_one(writers, pid, "author"))
            assert uid is not None
            rng = ctx.rng(pid)
            kind = _kind(users[uid]["role"], -1, rng)
            created = _created(ctx, need, rng, world.joined[(uid, cid)], may_be_old=False)
            out.append(_Draft(pid, users[uid], cid, kind, created))
    return out


def _kind(role: str, slot: int, rng: random.Random) -> str:
    if slot == 0 and rng.random() < 0.4:
        return "intro"
    if role == THERAPIST:
        return "tip"
    return rng.choices(CLIENT_KINDS, weights=CLIENT_WEIGHTS)[0]


def _created(ctx: PlanContext, need: PostMinimums, rng: random.Random, joined: dt.datetime,
             may_be_old: bool) -> dt.datetime:
    start = joined + dt.timedelta(hours=1)
    recent_since = ctx.at(days=-need.recent_days)
    if may_be_old and start < recent_since - dt.timedelta(days=5) and rng.random() < 0.2:
        return between(rng, max(start, ctx.at(days=-180)), recent_since)
    return between(rng, max(start, recent_since + dt.timedelta(hours=1)), ctx.at(hours=-6))


def _maker(world: _World, draft: _Draft) -> Callable[[random.Random], tuple[str, str]]:
    community = world.communities[draft.community]
    return partial(compose.post, draft.kind, topics.of_slug(community["slug"]),
                   draft.user["role"] == THERAPIST, community["name"])


def _titles(world: _World, draft: _Draft) -> frozenset[str]:
    """Every title the draft's draws can give: a busy corpus runs out of the titles of a
    kind, and a post of that kind then takes its last draw without making the others
    (``compose.unique``)."""
    community = world.communities[draft.community]
    return compose.post_titles(draft.kind, topics.of_slug(community["slug"]),
                               draft.user["role"] == THERAPIST, community["name"])


def _write(ctx: PlanContext, world: _World, drafts: list[_Draft]) -> Iterator[DesiredRow]:
    """Titles never repeat while the corpus has fresh ones: a post takes its next own draw
    while its title is shown elsewhere. A live post whose text is still one of its own draws
    keeps it, so the posts planned around it never change it."""
    taken: set[Hashable] = {p["title"] for p in ctx.foreign("Post")}
    ordered = sorted(drafts, key=lambda d: d.id)
    names = {r["id"]: r["name"] for r in ctx.rows("Room")}
    rooms = {d.id: _room(ctx, world, d) for d in ordered}
    for draft in ordered:  # a kept room decides what kind of post fits there
        draft.kind = content.room_kind(names.get(rooms[draft.id], ""), draft.user["role"],
                                       draft.kind)
    texts: dict[str, tuple[str, str]] = {}
    for draft in ordered:
        live = ctx.applied("Post", draft.id)
        text = None if live is None else (live["title"], live["content"])
        if text is not None and text[0] not in taken and compose.kept_attempt(
                ctx, _maker(world, draft), text, draft.id, "text"):
            texts[draft.id] = text
            taken.add(text[0])
    for draft in ordered:
        title, body = texts.get(draft.id) or compose.unique(
            ctx, _maker(world, draft), taken, itemgetter(0), draft.id, "text",
            keys=_titles(world, draft))
        # The edit is drawn from the stream it always was (after a sign-off draw of the
        # 2026.11 corpus), so a change of text never moves when a post was edited.
        rng = ctx.rng(draft.id, "text")
        rng.randrange(10)
        edited = rng.random() < 0.15
        updated = between(rng, draft.created, min(draft.created + dt.timedelta(days=2),
                                                  ctx.at(hours=-1))) if edited else draft.created
        yield ctx.row("Post", id=draft.id, title=title, content=body,
                      createdAt=draft.created, updatedAt=updated, userId=draft.user["id"],
                      roomId=rooms[draft.id])


def _room(ctx: PlanContext, world: _World, draft: _Draft) -> str:
    rooms = world.rooms[draft.community]
    kept = ctx.live_choice("Post", draft.id, "roomId", lambda r: any(r == x["id"] for x in rooms))
    if kept is not None:
        return str(kept)
    wanted = ROOM_FOR_KIND[draft.kind]
    named = [r["id"] for r in rooms if r["name"] == wanted]
    room = named[0] if named else ctx.pick_one([r["id"] for r in rooms], draft.id, "room")
    assert room is not None
    return room
