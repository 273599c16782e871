"""Foreign rows of a living database: what the app writes at any time, about anyone. Users of
every role with or without their role's profile row, therapists of every application status,
and rows in the tables the app writes (memberships, posts, comments, messages, …), dated
anywhere from 2001 to 2030, "today" (three weeks after the anchor) included.

Each kind reads its choices from ``pick``: the moment first (``MOMENTS``), then the parents.
Rows are valid for the schema (keys, types, uniqueness), not for the seeder's rules: a person
may write anything the app lets them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import sqlalchemy as sa

from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import Row, to_ms
from mentara_seed.testing.foreign import APP_KINDS, ForeignKind, World

# Offsets from the anchor: far past, before the first apply, just before it, just after it,
# "today" (a run three weeks after the anchor), far future.
MOMENTS: tuple[dt.timedelta, ...] = (
    dt.timedelta(days=-9400), dt.timedelta(days=-200), dt.timedelta(hours=-1),
    dt.timedelta(days=3, hours=2), dt.timedelta(days=20, hours=18), dt.timedelta(days=1300),
)
ROLES = ("client", "therapist", "admin", "moderator")
PROFILE_TABLE = {"client": "Client", "therapist": "Therapist", "admin": "Admin",
                 "moderator": "Moderator"}
STATUSES = ("APPROVED", "PENDING", "REJECTED")


def moment(world: World, pick: int) -> dt.datetime:
    """The moment ``pick`` names, relative to the anchor; ``pick // len(MOMENTS)`` is left
    for the other choices."""
    return to_ms(world.anchor + MOMENTS[pick % len(MOMENTS)])


def _rest(pick: int) -> int:
    return pick // len(MOMENTS)


def _profile(world: World, role: str, key: str, at: dt.datetime, status: str) -> Row:
    extra: dict[str, object] = {}
    if role == "therapist":
        extra = {"mobile": "+639170000001", "province": "Cebu", "timezone": "Asia/Manila",
                 "status": status, "providerType": "Counselor", "sessionLength": "45 minutes",
                 "professionalLicenseType": "RGC", "isPRCLicensed": "Yes",
                 "prcLicenseNumber": key[-7:], "expirationDateOfLicense": at,
                 "practiceStartDate": at, "providedOnlineTherapyBefore": False,
                 "comfortableUsingVideoConferencing": True,
                 "compliesWithDataPrivacyAct": True, "treatmentSuccessRates": {},
                 "willingToAbideByPlatformGuidelines": True, "hourlyRate": Decimal("900.00"),
                 "submissionDate": at, "processingDate": at}
    return world.row(PROFILE_TABLE[role], userId=key, createdAt=at, updatedAt=at, **extra)


def _user(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    """A person who signed up through the app at any moment: any role, the role's profile row
    or not (an unfinished sign-up), a therapist application in any status."""
    at, rest = moment(world, pick), _rest(pick)
    role = ROLES[rest % len(ROLES)]
    user = world.row("User", id=key, email=f"{key}@app.example.org", firstName="Living",
                     lastName=role.capitalize(), role=role, createdAt=at, updatedAt=at,
                     emailVerified=bool(rest % 3), lastLoginAt=at)
    rows = [("User", user)]
    if (rest // len(ROLES)) % 3:  # two of three have their profile row
        status = STATUSES[(rest // (3 * len(ROLES))) % len(STATUSES)]
        # The app writes the profile row a moment after the User row (two statements).
        later = at + dt.timedelta(milliseconds=1 + rest % 900)
        rows.append((PROFILE_TABLE[role], _profile(world, role, key, later, status)))
    return rows


def _clashes(world: World, table: str, row: Row) -> bool:
    """Whether ``row`` repeats a unique key of a row already there (the app would refuse it)."""
    for index in TABLES[table].indexes:
        if index.unique:
            names = [c.name for c in index.columns]
            key = [row[n] for n in names]
            if None not in key and any([r[n] for n in names] == key
                                       for r in world.rows(table)):
                return True
    return False


def _unique(build: Callable[[World, int, str], list[tuple[str, Row]]],
            ) -> Callable[[World, int, str], list[tuple[str, Row]]]:
    def checked(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
        rows = build(world, pick, key)
        return [] if any(_clashes(world, t, r) for t, r in rows) else rows

    return checked


def _anyone(world: World, pick: int) -> Row | None:
    found: Row | None = World.nth(world.rows("User"), pick)
    return found


def _membership(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    at, rest = moment(world, pick), _rest(pick)
    user, community = _anyone(world, rest), World.nth(world.rows("Community"), rest // 7)
    if user is None or community is None:
        return []
    return [("Membership", world.row("Membership", id=key, userId=user["id"],
                                      communityId=community["id"], joinedAt=at))]


def _post(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    """A post by anyone, in any room or in none (the app's ``roomId`` may be null)."""
    at, rest = moment(world, pick), _rest(pick)
    user = _anyone(world, rest)
    room: Row | None = World.nth([*world.rows("Room"), None], rest // 5)
    if user is None:
        return []
    return [("Post", world.row("Post", id=key, title=f"From the app ({key})",
                               content="Posted at any time.", userId=user["id"],
                               roomId=room["id"] if room else None, createdAt=at,
                               updatedAt=at))]


def _comment(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    """A comment by anyone on any post, now and then a reply to a comment of that post."""
    at, rest = moment(world, pick), _rest(pick)
    post, user = World.nth(world.rows("Post"), rest), _anyone(world, rest // 3)
    if post is None or user is None:
        return []
    siblings = [c for c in world.rows("Comment") if c["postId"] == post["id"]]
    parent = World.nth(siblings, rest // 11) if rest % 2 else None
    return [("Comment", world.row("Comment", id=key, postId=post["id"], userId=user["id"],
                                  content="A comment from the app.",
                                  parentId=parent["id"] if parent else None, createdAt=at,
                                  updatedAt=at))]


def _message(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    """A message in any conversation, by one of its participants when it has any."""
    at, rest = moment(world, pick), _rest(pick)
    conversation = World.nth(world.rows("Conversation"), rest)
    if conversation is None:
        return []
    members = [p for p in world.rows("ConversationParticipant")
               if p["conversationId"] == conversation["id"]]
    sender = World.nth(members, rest // 3)
    user = world.get("User", sender["userId"]) if sender else _anyone(world, rest // 3)
    if user is None:
        return []
    return [("Message", world.row("Message", id=key, conversationId=conversation["id"],
                                  senderId=user["id"], content="Sent from the app.",
                                  createdAt=at, updatedAt=at))]


def _timed(table: str, parents: dict[str, str]) -> Callable[[World, int, str],
                                                             list[tuple[str, Row]]]:
    """A row of ``table`` about a user (``parents``: column -> table it names), every
    required time column at the moment ``pick`` names."""

    def build(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
        at, rest = moment(world, pick), _rest(pick)
        values: dict[str, object] = {"id": key}
        for n, (name, table_name) in enumerate(sorted(parents.items())):
            parent = World.nth(world.rows(table_name), rest // (n + 1))
            if parent is None:
                return []
            values[name] = parent["userId" if "userId" in parent else "id"]
        for column in TABLES[table].columns:
            if column.name not in values and isinstance(column.type, sa.DateTime) \
                    and not column.nullable:
                values[column.name] = at
        return [(table, world.row(table, **values))]

    return build


LIVING_KINDS: tuple[ForeignKind, ...] = tuple(ForeignKind(name, tables, _unique(build)) for
                                              name, tables, build in (
    ("user-any-time", ("User", "Client", "Therapist", "Admin", "Moderator"), _user),
    ("membership-any-time", ("Membership",), _membership),
    ("post-any-time", ("Post",), _post),
    ("comment-any-time", ("Comment",), _comment),
    ("message-any-time", ("Message",), _message),
    ("journal-entry-any-time", ("JournalEntry",), _timed("JournalEntry", {"userId": "Client"})),
    ("notification-any-time", ("Notification",), _timed("Notification", {"userId": "User"})),
    ("relationship-any-time", ("ClientTherapist",),
     _timed("ClientTherapist", {"clientId": "Client", "therapistId": "Therapist"})),
))
"""Kinds of rows a living database gets from the app, at any time, about anyone."""

FOREIGN_KINDS: tuple[ForeignKind, ...] = APP_KINDS + LIVING_KINDS
"""Every kind of foreign row the kit makes: the app's usual rows, then the living ones."""
