"""Helpers shared by the community-content enrichers (posts, comments, hearts, reports): who
writes, which community a room or post belongs to, who is a member since when, and moments
placed causally after another one.

Every helper reads through ``Source`` (``rows``/``group``), so the same code serves the planner's
projected state and the verifier's live snapshot.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any, Protocol

from mentara_seed.enrichers.common import CLIENT, THERAPIST, between
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.planner.context import PlanContext
from mentara_seed.schema.values import Row

MEMBER_ROOM, MODERATOR_ROOM = "member", "moderator"
STAFF_ROLES = ("moderator", "admin")


class Source(Protocol):
    def rows(self, table: str) -> list[Row]: ...

    def group(self, table: str, column: str) -> dict[Any, list[Row]]: ...


def authors(src: Source) -> list[Row]:
    """Users who write posts and comments: clients and APPROVED therapists, in id order (a
    therapist whose application is pending or rejected does not speak as a therapist yet)."""
    approved = set(approved_therapists(src.rows("Therapist")))
    return [u for u in src.rows("User")
            if u["role"] == CLIENT or (u["role"] == THERAPIST and u["id"] in approved)]


def room_communities(src: Source) -> dict[str, str]:
    """Room id -> community id (through its room group)."""
    group_community = {g["id"]: g["communityId"] for g in src.rows("RoomGroup")}
    return {r["id"]: group_community[r["roomGroupId"]] for r in src.rows("Room")
            if r["roomGroupId"] in group_community}


def post_communities(src: Source) -> dict[str, str | None]:
    """Post id -> community id (None for a post with no room)."""
    rooms = room_communities(src)
    return {p["id"]: rooms.get(p["roomId"]) if p["roomId"] else None for p in src.rows("Post")}


def joined_at(src: Source) -> dict[tuple[str, str], dt.datetime]:
    """(user id, community id) -> when the user joined the community."""
    return {(m["userId"], m["communityId"]): m["joinedAt"] for m in src.rows("Membership")}


LATEST_JOIN = dt.timedelta(hours=12)  # before the anchor: a seeded post comes after a join


def member_room_communities(src: Source) -> set[str]:
    """Communities with a room their members may post in."""
    rooms = room_communities(src)
    return {rooms[r["id"]] for r in src.rows("Room")
            if r["postingRole"] == MEMBER_ROOM and r["id"] in rooms}


def joined_in_time(memberships: list[Row], communities: set[str], anchor: dt.datetime) -> bool:
    """Whether one of a user's ``memberships`` is of one of ``communities`` and began early
    enough for a post before the anchor. A user without one (in no community, or only ones
    joined after the anchor: someone who signed up today) can be given no post: the planner
    warns, verify skips them alike."""
    return any(m["communityId"] in communities and m["joinedAt"] <= anchor - LATEST_JOIN
               for m in memberships)


def members(src: Source, user_ids: set[str]) -> dict[str, list[str]]:
    """Community id -> ids of its members among ``user_ids``, in id order."""
    out: dict[str, list[str]] = {}
    for cid, rows in src.group("Membership", "communityId").items():
        out[cid] = sorted(m["userId"] for m in rows if m["userId"] in user_ids)
    return out


def may_post(room: Row, user: Row, is_member: bool) -> bool:
    """A room's postingRole lets the user post: 'member' rooms take the community's members,
    'moderator' rooms only moderators and admins."""
    if room["postingRole"] == MODERATOR_ROOM:
        return user["role"] in STAFF_ROLES
    return is_member


KIND_OF_ROOM = {"Introductions": "intro", "Wins & Progress": "win",
                "Daily Check-ins": "checkin", "Ask a Therapist": "question"}


def room_kind(room: str, role: str, default: str = "theme") -> str:
    """What kind of post fits a room: intro, win, checkin, question (a therapist's tip in
    "Ask a Therapist"), a discussion (theme) in "General Discussion", else ``default``."""
    if room == "General Discussion":
        return "theme"
    kind = KIND_OF_ROOM.get(room, default)
    return "tip" if kind == "question" and role == THERAPIST else kind


def post_kinds(src: Source) -> dict[str, str]:
    """Post id -> what kind of post it is, from its room (and, in "Ask a Therapist", its
    author): intro, win, checkin, question, a therapist's tip, else a discussion (theme)."""
    rooms = {r["id"]: r["name"] for r in src.rows("Room")}
    roles = {u["id"]: u["role"] for u in src.rows("User")}
    return {p["id"]: room_kind(rooms.get(p["roomId"] or "", ""), roles.get(p["userId"], ""))
            for p in src.rows("Post")}


def after(ctx: PlanContext, rng: random.Random, start: dt.datetime,
          spread: dt.timedelta) -> dt.datetime:
    """A moment a little after ``start`` and within ``spread`` of it, before the anchor; for
    a ``start`` past the anchor (content the app made after the first apply), just after it."""
    low = start + dt.timedelta(minutes=2)
    high = min(ctx.at(minutes=-1), start + spread)
    if high <= low:
        high = low + dt.timedelta(minutes=30)
    return between(rng, low, high)


def pick_text(ctx: PlanContext, pools: Sequence[tuple[str, ...]], taken: set[str],
              *key: object) -> str:
    """The key's text in the first pool that still has one ``taken`` does not hold (so one
    post never shows the same text twice), else the first pool's own pick for the key."""
    for pool in pools:
        fresh = ctx.first_free(pool, taken, *key)
        if fresh is not None:
            taken.add(fresh)
            return str(fresh)
    return str(ctx.choose(pools[0], *key))
