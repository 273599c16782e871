"""Tier 5: every room group with a room, and a room group for each community's group sessions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.corpora.communities import ROOM_LAYOUT
from mentara_seed.enrichers.group_sessions import SESSIONS
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import GroupSessionStatus as Status
from mentara_seed.schema.values import Row

GROUP_NAME, GENERAL = "Group Sessions", "General"
# After the communities enricher's Welcome, Support and Resources; a constant, so a room group
# added later elsewhere never moves it.
GROUP_ORDER = len(ROOM_LAYOUT)
OPEN = (Status.PENDING_APPROVAL, Status.APPROVED, Status.IN_PROGRESS)


class RoomMinimums(Minimums):
    """Rooms of every room group, and rooms for open group sessions."""

    per_group: int = Field(1, ge=0, le=1, description="rooms of every room group (a 'General' "
                                                      "room where it has none)")
    session_rooms: bool = Field(True, description="a 'Group Sessions' room group with one room "
                                                  "per open group session")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: RoomMinimums) -> Iterator[Violation]:
    rooms = live.group("Room", "roomGroupId")
    groups = live.group("RoomGroup", "communityId")
    for g in live.rows("RoomGroup"):
        if len(rooms.get(g["id"], [])) < need.per_group:
            yield Violation("rooms", f"room group {g['id']}", f"'{g['name']}' has no room")
    if not need.session_rooms:
        return
    for cid, sessions in sorted(live.group(SESSIONS, "communityId").items()):
        mine = [g for g in groups.get(cid, []) if g["name"] == GROUP_NAME]
        if not mine:
            # Its room groups are named: a person may have renamed the one the seeder made.
            yield Violation("rooms", f"community {cid}", f"hosts sessions but no '{GROUP_NAME}'",
                            inputs=tuple(g["id"] for g in groups.get(cid, [])))
        names = {r["name"] for g in mine for r in rooms.get(g["id"], [])}
        for s in sessions:
            if s["status"] in OPEN and mine and s["title"] not in names:
                yield Violation("rooms", f"group session {s['id']}", "open but has no room")


@enricher(
    "rooms",
    writes=("RoomGroup", "Room"),
    depends_on=("communities", "group-sessions"),
    tier=5,
    minimums=RoomMinimums,
    verify=_verify,
)
def rooms(ctx: PlanContext, need: RoomMinimums) -> Iterator[DesiredRow]:
    """In the real schema a Room is a community discussion channel (Community > RoomGroup >
    Room > Post), not a video room: one-to-one sessions carry their own meetingUrl and group
    sessions their virtualLink. So the plan's "every video meeting has a room; group rooms"
    becomes: every community that hosts group sessions has a "Group Sessions" room group (its
    own, or a foreign one of that name; placed after Welcome, Support and Resources) with one
    room per open session (PENDING_APPROVAL, APPROVED or IN_PROGRESS), named after the
    session, ordered by start, where only therapists post; and every room group, foreign ones
    and this one included, has at least one room: a "General" room (order 0) where it has
    none. Rooms and groups that the communities enricher desires, or that exist foreign, are
    counted and never duplicated; this enricher's rows have ids of their own."""
    groups = _others(ctx, "RoomGroup")
    room_rows = _others(ctx, "Room")
    planned_rooms: list[Row] = []
    if need.session_rooms:
        groups_of: dict[str, list[Row]] = {}
        for g in groups:
            groups_of.setdefault(g["communityId"], []).append(g)
        names_of: dict[str, set[str]] = {}
        for r in room_rows:
            names_of.setdefault(r["roomGroupId"], set()).add(r["name"])
        for cid, sessions in sorted(ctx.group(SESSIONS, "communityId").items()):
            group, new = _session_group(ctx, cid, groups_of.get(cid, []))
            if new:
                groups.append(group)
                yield ctx.row("RoomGroup", **group)
            taken = names_of.get(group["id"], set())
            for room in _session_rooms(ctx, group["id"], sessions, taken):
                planned_rooms.append(room)
                yield ctx.row("Room", **room)
    if need.per_group:
        has_room = {r["roomGroupId"] for r in room_rows + planned_rooms}
        for g in sorted(groups, key=lambda g: g["id"]):
            if g["id"] not in has_room:
                yield ctx.row("Room", id=ctx.id("Room", g["id"], "rooms", GENERAL),
                              name=GENERAL, order=0, postingRole="member", roomGroupId=g["id"])


def _others(ctx: PlanContext, table: str) -> list[Row]:
    """Rows this enricher does not decide: foreign ones and those earlier enrichers desire."""
    return ctx.foreign(table) + list(ctx.desired.get(table, {}).values())


def _session_group(ctx: PlanContext, community_id: str, siblings: list[Row]) -> tuple[Row, bool]:
    """The community's "Group Sessions" room group (among ``siblings``, its room groups), and
    whether this enricher adds it."""
    for g in sorted(siblings, key=lambda g: g["id"]):
        if g["name"] == GROUP_NAME:
            return g, False
    gid = ctx.id("RoomGroup", community_id, "rooms", GROUP_NAME)
    return {"id": gid, "name": GROUP_NAME, "order": GROUP_ORDER, "communityId": community_id}, True


def _session_rooms(ctx: PlanContext, group_id: str, sessions: list[Row],
                   taken: set[str]) -> Iterator[Row]:
    """Rooms for the open sessions whose title no room of the group (``taken``) has yet."""
    taken = set(taken)
    upcoming = sorted((s for s in sessions if s["status"] in OPEN),
                      key=lambda s: (s["scheduledAt"], s["id"]))
    for n, s in enumerate(upcoming):
        if s["title"] not in taken:
            taken.add(s["title"])
            rid = ctx.id("Room", group_id, "session", s["id"])
            # An applied room keeps its place: a session added before it moves nothing.
            was = ctx.live_choice("Room", rid, "order")
            yield {"id": rid, "name": s["title"], "order": n if was is None else was,
                   "postingRole": "therapist", "roomGroupId": group_id}
