"""Rows the app makes, not the seeder: ``World`` (the rows of a database while they are
made), ``ForeignKind`` (one kind of such row) and ``APP_KINDS``, the Mentara app's usual
kinds, dated before the anchor (``living.FOREIGN_KINDS`` adds rows of any time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from mentara_seed.planner.snapshot import pk_name
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.types import REQUIRED
from mentara_seed.schema.values import Row, normalize_row, to_ms
from mentara_seed.testing.reading import Snapshot


class World:
    """The rows of a database while foreign rows are made: what a ``ForeignKind`` reads."""

    def __init__(self, rows: Snapshot, anchor: dt.datetime) -> None:
        self._rows = rows
        self.anchor = anchor

    def rows(self, table: str) -> list[Row]:
        by_pk = self._rows.get(table, {})
        return [by_pk[k] for k in sorted(by_pk)]

    def get(self, table: str, pk: str | None) -> Row | None:
        return self._rows.get(table, {}).get(pk) if pk is not None else None

    def add(self, table: str, row: Row) -> None:
        self._rows.setdefault(table, {})[row[pk_name(TABLES[table])]] = row

    @staticmethod
    def nth(rows: Sequence[Any], pick: int) -> Any:
        return rows[pick % len(rows)] if rows else None

    def row(self, table: str, **values: Any) -> Row:
        """A complete row: given values, database defaults, plain values for the rest."""
        out: dict[str, Any] = {}
        for column in TABLES[table].columns:
            default = column.info["seed_default"]
            if column.name in values:
                out[column.name] = values[column.name]
            elif default is not REQUIRED:
                out[column.name] = list(default) if isinstance(default, list) else default
            else:
                out[column.name] = _plain_value(column, self.anchor)
        return normalize_row(TABLES[table], out)


def _plain_value(column: sa.Column[Any], anchor: dt.datetime) -> Any:
    type_ = column.type
    if isinstance(type_, sa.Enum):
        return type_.enums[0]
    if isinstance(type_, sa.DateTime):
        return anchor - dt.timedelta(days=1)
    if isinstance(type_, sa.Boolean):
        return False
    if isinstance(type_, sa.JSON):
        return {}
    if isinstance(type_, sa.Numeric):
        return Decimal(0)
    if isinstance(type_, sa.Integer):
        return 0
    return f"app {column.name}"


@dataclass(frozen=True)
class ForeignKind:
    """A kind of row the app makes: ``build(world, pick, key)`` returns the rows to insert
    (table, row), with valid foreign keys chosen from ``world``, or [] when none can be made.
    Offered only when some enricher writes ``tables[0]``; ``key`` is unique per insert."""

    name: str
    tables: tuple[str, ...]
    build: Callable[[World, int, str], list[tuple[str, Row]]]


def _user(world: World, pick: int, key: str, role: str) -> Row:
    created = world.anchor - dt.timedelta(days=20 + pick % 200, hours=pick % 24)
    return world.row("User", id=key, email=f"{key}@example.org", firstName="App",
                     lastName=role.capitalize(), role=role, createdAt=created,
                     updatedAt=created, emailVerified=True, lastLoginAt=created)


def _client(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = _user(world, pick, key, "client")
    return [("User", user), ("Client", world.row(
        "Client", userId=key, city="Quezon City", country="Philippines",
        createdAt=user["createdAt"], updatedAt=user["createdAt"]))]


def _therapist(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = _user(world, pick, key, "therapist")
    approved = pick % 2 == 0
    areas = ["Anxiety", "Depression"]
    return [("User", user), ("Therapist", world.row(
        "Therapist", userId=key, mobile="+639170000000", province="Metro Manila",
        timezone="Asia/Manila", status="APPROVED" if approved else "PENDING",
        submissionDate=user["createdAt"], processingDate=user["createdAt"],
        providerType="Psychologist", professionalLicenseType="RPsy", isPRCLicensed="Yes",
        prcLicenseNumber=f"{pick % 10_000_000:07d}",
        expirationDateOfLicense=world.anchor + dt.timedelta(days=400),
        practiceStartDate=world.anchor - dt.timedelta(days=2000), licenseVerified=approved,
        licenseVerifiedAt=user["createdAt"] if approved else None, yearsOfExperience=5,
        areasOfExpertise=areas, expertise=areas, approaches=["CBT"], languages=["English"],
        languagesOffered=["English"], illnessSpecializations=areas, acceptTypes=["individual"],
        preferredSessionLength=[60], providedOnlineTherapyBefore=True,
        comfortableUsingVideoConferencing=True, compliesWithDataPrivacyAct=True,
        willingToAbideByPlatformGuidelines=True, treatmentSuccessRates={"Anxiety": 0.8},
        sessionLength="60 minutes", hourlyRate=Decimal("1500.00"),
        createdAt=user["createdAt"], updatedAt=user["createdAt"]))]


def _later(world: World, *moments: dt.datetime | None, minutes: int = 60) -> dt.datetime:
    start = max(m for m in moments if m is not None)
    return to_ms(min(start + dt.timedelta(minutes=minutes),
                     max(start + dt.timedelta(seconds=1), world.anchor - dt.timedelta(hours=1))))


def _members(world: World) -> list[Row]:
    roles = {"client": "Client", "therapist": "Therapist"}
    return [u for u in world.rows("User")
            if u["role"] in roles and world.get(roles[u["role"]], u["id"]) is not None]


def _membership(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    user = World.nth(_members(world), pick)
    if user is None:
        return []
    joined = {m["communityId"] for m in world.rows("Membership") if m["userId"] == user["id"]}
    community = World.nth([c for c in world.rows("Community") if c["id"] not in joined],
                          pick // 7)
    if community is None:
        return []
    return [("Membership", world.row(
        "Membership", id=key, userId=user["id"], communityId=community["id"],
        joinedAt=_later(world, user["createdAt"], community["createdAt"])))]


def _community_of_room(world: World, room: Row) -> str | None:
    group = world.get("RoomGroup", room["roomGroupId"])
    return None if group is None else str(group["communityId"])


def _post(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    members = {u["id"] for u in _members(world)}
    membership = World.nth([m for m in world.rows("Membership") if m["userId"] in members], pick)
    if membership is None:
        return []
    rooms = [r for r in world.rows("Room") if r["postingRole"] == "member"
             and _community_of_room(world, r) == membership["communityId"]]
    room = World.nth(rooms, pick // 5)
    if room is None:
        return []
    created = _later(world, membership["joinedAt"], minutes=90)
    return [("Post", world.row(
        "Post", id=key, title=f"A note from the app ({key})",
        content="Written in the Mentara app, not by the seeder.", userId=membership["userId"],
        roomId=room["id"], createdAt=created, updatedAt=created))]


def _comment(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    post = World.nth([p for p in world.rows("Post") if p["roomId"] is not None], pick)
    room = None if post is None else world.get("Room", post["roomId"])
    community = None if room is None else _community_of_room(world, room)
    if post is None or community is None:
        return []
    members = {u["id"] for u in _members(world)}
    mates = [m for m in world.rows("Membership") if m["communityId"] == community
             and m["userId"] != post["userId"] and m["userId"] in members]
    mate = World.nth(mates, pick // 3)
    if mate is None:
        return []
    created = _later(world, post["createdAt"], mate["joinedAt"], minutes=30)
    return [("Comment", world.row(
        "Comment", id=key, postId=post["id"], userId=mate["userId"],
        content="Thank you for sharing this.", createdAt=created, updatedAt=created))]


def _journal_entry(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    client = World.nth([u for u in _members(world) if u["role"] == "client"], pick)
    if client is None:
        return []
    created = _later(world, client["createdAt"], minutes=60 * 24)
    return [("JournalEntry", world.row(
        "JournalEntry", id=key, userId=client["id"], content="Slept better after the walk.",
        createdAt=created, updatedAt=created))]


def _meeting(world: World, pick: int, key: str) -> list[tuple[str, Row]]:
    pair = World.nth([r for r in world.rows("ClientTherapist") if r["status"] == "active"], pick)
    if pair is None:
        return []
    start = world.anchor + dt.timedelta(days=60 + pick % 30, hours=pick % 8)
    return [("Meeting", world.row(
        "Meeting", id=key, title="Session booked in the app", startTime=start,
        endTime=start + dt.timedelta(minutes=60), duration=60, status="SCHEDULED",
        meetingType="video", meetingUrl=f"https://meet.example.org/{key}",
        clientId=pair["clientId"], therapistId=pair["therapistId"],
        createdAt=world.anchor - dt.timedelta(days=1),
        updatedAt=world.anchor - dt.timedelta(days=1)))]


APP_KINDS: tuple[ForeignKind, ...] = (
    ForeignKind("client", ("User", "Client"), _client),
    ForeignKind("therapist", ("User", "Therapist"), _therapist),
    ForeignKind("membership", ("Membership",), _membership),
    ForeignKind("post", ("Post",), _post),
    ForeignKind("comment", ("Comment",), _comment),
    ForeignKind("journal-entry", ("JournalEntry",), _journal_entry),
    ForeignKind("meeting", ("Meeting",), _meeting),
)
