"""Tier 5: therapist-led group therapy sessions in communities, with invitations and
participants."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import CLIENT, between, latest
from mentara_seed.enrichers.corpora import group_sessions as corpus
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.enrichers.schedule import zone
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.ids import Ring
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import AttendanceStatus as Attendance
from mentara_seed.schema.enums import GroupSessionStatus as Status
from mentara_seed.schema.enums import InvitationStatus as Invitation
from mentara_seed.schema.values import Row, to_ms

SESSIONS, INVITATIONS, PARTICIPANTS = ("GroupTherapySessions", "GroupSessionTherapistInvitations",
                                       "GroupSessionParticipants")
MEET_URL = "https://meet.mentara.dev/group"
# Attendance a participant may have in a session of each status (otherwise: upcoming).
ATTENDANCE: dict[str, tuple[str, ...]] = {
    Status.COMPLETED: (Attendance.ATTENDED, Attendance.NO_SHOW),
    Status.CANCELLED: (Attendance.CANCELLED,),
    Status.IN_PROGRESS: (Attendance.ATTENDED, Attendance.REGISTERED),
}


class GroupSessionMinimums(Minimums):
    """Group sessions per community, therapists invited and participants per session."""

    per_community: int = Field(2, ge=0, description="group sessions of each community with an "
                                                    "approved therapist member")
    invitations: int = Field(2, ge=1, description="therapists invited to a session (its creator "
                                                  "included)")
    most_invitations: int = Field(3, ge=1, description="upper end of a session's invitations")
    participants: int = Field(3, ge=0, description="participants of each session")
    most_participants: int = Field(8, ge=0, description="upper end of a session's participants")

    PROFILES: ClassVar = {"light": {"per_community": 1}, "heavy": {"per_community": 4}}


def theme(slug: str) -> tuple[tuple[str, str], ...]:
    """The session titles that fit a community, from keywords in its slug."""
    for keywords, titles in corpus.THEMES:
        if any(k in slug for k in keywords):
            return titles
    return corpus.THEMES[-1][1]


def attendance_fits(session_status: str, attendance: str) -> bool:
    allowed = ATTENDANCE.get(session_status, (Attendance.REGISTERED, Attendance.CANCELLED))
    return attendance in allowed


HOST_SINCE = dt.timedelta(days=2)  # before the anchor: a session is created after joining


def may_host(membership: Row, approved: set[str], anchor: dt.datetime | None) -> bool:
    """Whether a member can have created a group session of the community before the anchor:
    an APPROVED therapist who joined early enough (not one who joined today). A community
    without such a member gets no session, in the plan and in verify alike."""
    return membership["userId"] in approved and (
        anchor is None or membership["joinedAt"] <= anchor - HOST_SINCE)


def _verify(live: LiveState, need: GroupSessionMinimums) -> Iterator[Violation]:
    approved = set(approved_therapists(live.rows("Therapist")))
    by_community = live.group("Membership", "communityId")
    sessions = live.group(SESSIONS, "communityId")
    for c in live.rows("Community"):
        hosted = any(may_host(m, approved, live.anchor) for m in by_community.get(c["id"], []))
        have = len(sessions.get(c["id"], []))
        if hosted and have < need.per_community:
            yield Violation("group-sessions", f"community {c['slug']}",
                            f"{have}/{need.per_community} group sessions")
    invitations = live.group(INVITATIONS, "sessionId")
    participants = live.group(PARTICIPANTS, "sessionId")
    for s in live.rows(SESSIONS):
        yield from _verify_session(s, by_community.get(s["communityId"], []),
                                   invitations.get(s["id"], []), participants.get(s["id"], []),
                                   min(need.invitations, len(approved)), need.participants,
                                   live.anchor)


def _verify_session(s: Row, members: list[Row], invited: list[Row], joined: list[Row],
                    least_invited: int, least_joined: int,
                    anchor: dt.datetime | None) -> Iterator[Violation]:
    entity = f"group session {s['id']}"
    # Each problem with the rows at fault besides the session: a person who edited one of
    # them (a participant's attendance, an invitation's status) broke the rule.
    problems: list[tuple[str, tuple[str, ...]]] = []
    member_ids = {m["userId"] for m in members}
    hosts = {i["therapistId"] for i in invited} | {s["createdById"]}
    # Registration closes an hour before the session; the seeder registers no one after the
    # anchor (a member who joined since may register in the app: not a minimum of its).
    closes = (s["scheduledAt"] if anchor is None else min(s["scheduledAt"], anchor)) - (
        dt.timedelta(hours=1))
    eligible = [m for m in members if m["userId"] not in hosts and m["joinedAt"] < closes]
    if s["createdById"] not in member_ids:
        problems.append(("created by someone outside the community", ()))
    if not any(i["therapistId"] == s["createdById"] and i["status"] == Invitation.ACCEPTED
               for i in invited):
        problems.append(("its creator has no ACCEPTED invitation",
                         tuple(i["id"] for i in invited)))
    if len(invited) < least_invited:
        problems.append((f"{len(invited)}/{least_invited} therapists invited", ()))
    want = min(least_joined, len(eligible))
    if not want <= len(joined) <= s["maxParticipants"]:
        problems.append((f"{len(joined)} participants (want {want} to "
                         f"{s['maxParticipants']})", ()))
    outside = tuple(p["id"] for p in joined if p["userId"] not in member_ids)
    if outside:
        problems.append(("a participant is not a community member", outside))
    unfit = tuple(p["id"] for p in joined
                  if not attendance_fits(s["status"], p["attendanceStatus"]))
    if unfit:
        problems.append((f"attendance disagrees with status {s['status']}", unfit))
    if (s["status"] == Status.COMPLETED) != (s["completedAt"] is not None) or (
            s["completedAt"] is not None and s["completedAt"] < s["scheduledAt"]):
        problems.append(("completedAt disagrees with the status", ()))
    if (s["status"] == Status.CANCELLED) != bool(s["cancelledAt"] and s["cancellationReason"]):
        problems.append(("cancellation disagrees with the status", ()))
    for problem, rows in problems:
        yield Violation("group-sessions", entity, problem, rows=(s["id"], *rows))


@enricher(
    "group-sessions",
    writes=(SESSIONS, INVITATIONS, PARTICIPANTS),
    depends_on=("memberships", "users"),
    tier=5,
    minimums=GroupSessionMinimums,
    verify=_verify,
)
def group_sessions(ctx: PlanContext, need: GroupSessionMinimums) -> Iterator[DesiredRow]:
    """Every community with an APPROVED therapist among its members gets ``per_community``
    group sessions (foreign ones count), each created by one of those therapists (this
    enricher adds no memberships) and titled by the community's theme (anxiety, depression,
    ADHD, burnout, sleep, trauma, grief, else general wellbeing). Alternate sessions are
    upcoming (APPROVED, within the next month) and past (COMPLETED, with completedAt); one
    community, plus about one in five, has a CANCELLED session with its reason. Sessions are
    virtual (with a link) or at a Mentara wellness center, start on the hour between 10:00 and
    17:00 in the creator's time zone, Monday to Saturday, and were created after the creator
    joined the community and before the anchor. Every
    session (foreign ones too) has two or three therapist invitations, its creator's
    ACCEPTED, co-facilitators preferably from the community, and three to eight participants,
    clients of the community first, who registered after joining it; attendance agrees with
    the session (ATTENDED or NO_SHOW when COMPLETED, CANCELLED when cancelled, REGISTERED when
    upcoming). Ids are cuids, as the app's."""
    therapists = approved_therapists(ctx.rows("Therapist"))
    approved = set(therapists)
    members = ctx.group("Membership", "communityId")
    foreign = ctx.group(SESSIONS, "communityId", foreign=True)
    hosting = [c for c in ctx.rows("Community")
               if any(may_host(m, approved, ctx.anchor) for m in members.get(c["id"], []))]
    hosted = {c["id"] for c in hosting}
    for c in ctx.rows("Community"):
        if c["id"] not in hosted and len(foreign.get(c["id"], [])) < need.per_community and any(
                m["userId"] in approved for m in members.get(c["id"], [])):
            ctx.warn("group-sessions", f"community {c['slug']}", "its approved therapists all "
                     "joined after the anchor: none can have created a session before it")
    unused = [c["id"] for c in hosting if not foreign.get(c["id"])]
    cancelled = {c["id"] for c in hosting if ctx.rng(c["id"], "cancelled").random() < 0.2}
    # The community picked for a cancelled session stays while its session is as applied:
    # a new community takes nothing over.
    last = need.per_community - 1
    had = [c for c in unused if c not in cancelled and (ctx.live_choice(
        SESSIONS, ctx.cuid(SESSIONS, c, last), "status") == Status.CANCELLED)]
    cancelled |= {had[0] if had and not ctx.prune else ctx.pick_one(unused,
                                                                    "group-session-cancelled")}
    planned: list[Row] = []
    for c in hosting:
        hosts = sorted(m["userId"] for m in members[c["id"]]
                       if may_host(m, approved, ctx.anchor))
        gap = ctx.slots(need.per_community - len(foreign.get(c["id"], [])), SESSIONS,
                        partial(ctx.cuid, SESSIONS, c["id"]))
        for slot in range(gap):
            # The last usual slot is the cancelled one, so foreign sessions drop it first; an
            # applied session stays cancelled or not.
            was = ctx.live_choice(SESSIONS, ctx.cuid(SESSIONS, c["id"], slot), "status")
            kind = "cancelled" if (was == Status.CANCELLED if was is not None else (
                c["id"] in cancelled and slot == need.per_community - 1)) else (
                "next" if slot % 2 == 0 else "past")
            table, row = _session(ctx, c, slot, kind, hosts)
            planned.append(row)
            yield table, row
    ring = ctx.ring(therapists, "co-hosts")
    users = [ctx.get("User", t) for t in therapists]
    signed_up = {u["id"]: u["createdAt"] for u in users if u is not None}
    for s in sorted(ctx.foreign(SESSIONS) + planned, key=lambda s: s["id"]):
        people = members.get(s["communityId"], [])
        later = _SignedUpAfter(signed_up, s["createdAt"])
        foreign_invited, chosen = _invitees(ctx, need, s, people, ring, later)
        yield from _invitations(ctx, s, chosen)
        yield from _participants(ctx, need, s, people, foreign_invited | set(chosen))


def _session(ctx: PlanContext, community: Row, slot: int, kind: str,
             hosts: list[str]) -> DesiredRow:
    sid = ctx.cuid(SESSIONS, community["id"], slot)
    rng = ctx.rng(sid, "group-session")
    creator = (ctx.live_choice(SESSIONS, sid, "createdById", hosts.__contains__)
               or ctx.pick_one(hosts, sid, "creator"))
    assert creator is not None
    joined = next(m["joinedAt"] for m in ctx.group("Membership", "userId")[creator]
                  if m["communityId"] == community["id"])
    therapist = ctx.get("Therapist", creator) or {}
    past = kind == "past" or (kind == "cancelled" and rng.random() < 0.5)
    scheduled = _scheduled(ctx, rng, joined, past, zone(therapist.get("timezone")))
    created = between(rng, min(latest(joined, scheduled - dt.timedelta(days=35)),
                               ctx.at(days=-1)),
                      min(scheduled - dt.timedelta(days=2), ctx.at(hours=-2)))
    title, description = _title(ctx, community, slot)
    webinar = rng.random() < 0.15
    minutes = 60 if webinar else rng.choice((60, 90, 90, 120))
    ends = scheduled + dt.timedelta(minutes=minutes)
    status = (Status.CANCELLED if kind == "cancelled" else Status.COMPLETED
              if scheduled < ctx.anchor else Status.APPROVED)
    cancelled = (between(rng, created, min(scheduled, ctx.anchor) - dt.timedelta(hours=1))
                 if status == Status.CANCELLED else None)
    virtual = webinar or rng.random() < 0.7
    venue, address = rng.choice(corpus.VENUES)
    return ctx.row(
        SESSIONS, id=sid, title=title, description=description,
        communityId=community["id"], createdById=creator,
        sessionType="VIRTUAL" if virtual else "IN_PERSON",
        sessionFormat="webinar" if webinar else "group-therapy", scheduledAt=scheduled,
        duration=minutes, maxParticipants=50 if webinar else rng.choice((8, 10, 12)),
        virtualLink=f"{MEET_URL}/{sid}" if virtual else None,
        location=None if virtual else venue, locationAddress=None if virtual else address,
        status=status, cancelledAt=cancelled,
        cancellationReason=rng.choice(corpus.CANCELLATION_REASONS) if cancelled else None,
        completedAt=ends if status == Status.COMPLETED else None, createdAt=created,
        updatedAt=cancelled or (ends if status == Status.COMPLETED else
                                between(rng, created, min(scheduled, ctx.anchor))),
    )


def _title(ctx: PlanContext, community: Row, slot: int) -> tuple[str, str]:
    """The slot's title and description: the community's themes in turn from a stable start,
    "(Part 2)" once they run out."""
    titles = theme(community["slug"])
    n = ctx.rng(community["id"], "group-session-theme").randrange(len(titles))
    title, description = titles[(n + slot) % len(titles)]
    if slot >= len(titles):
        title = f"{title} (Part {slot // len(titles) + 1})"
    return title, description


def _scheduled(ctx: PlanContext, rng: random.Random, joined: dt.datetime, past: bool,
               tz: dt.tzinfo) -> dt.datetime:
    """A start on the hour between 10:00 and 17:00 local time, Monday to Saturday: within the
    last ten weeks (after the creator joined) or the next month."""
    first = latest(joined + dt.timedelta(days=4), ctx.at(days=-70))
    if not past or first > ctx.at(days=-2):
        first, last = ctx.at(days=2), ctx.at(days=30)
    else:
        last = ctx.at(days=-2)
    day = between(rng, first, last).replace(tzinfo=dt.UTC).astimezone(tz).date()
    while day.isoweekday() == 7:
        day -= dt.timedelta(days=1)
    local = dt.datetime(day.year, day.month, day.day, rng.randint(10, 17), tzinfo=tz)
    return to_ms(local)


class _SignedUpAfter:
    """The therapists who signed up after ``since`` (not invited to a session created before
    they existed), and those in ``also``: a ``skip`` set without listing every therapist."""

    def __init__(self, signed_up: dict[str, dt.datetime], since: dt.datetime,
                 also: set[str] | frozenset[str] = frozenset()) -> None:
        self.signed_up, self.since, self.also = signed_up, since, also

    def __contains__(self, therapist: object) -> bool:
        if therapist in self.also:
            return True
        joined = self.signed_up.get(therapist) if isinstance(therapist, str) else None
        return joined is not None and joined >= self.since


def _invitees(ctx: PlanContext, need: GroupSessionMinimums, session: Row,
              members: list[Row], therapists: Ring, later: _SignedUpAfter,
              ) -> tuple[set[str], list[str]]:
    """Therapists with a foreign invitation, and those to invite: the creator, then
    co-facilitators from the community first (rendezvous order), then any approved therapist
    (ring order), up to two or three invitations in all."""
    sid = session["id"]
    foreign = {i["therapistId"] for i in ctx.group(INVITATIONS, "sessionId", foreign=True)
               .get(sid, [])}
    want = ctx.rng(sid, "invitations").randint(need.invitations,
                                               max(need.invitations, need.most_invitations))
    creator = session["createdById"]
    chosen = [creator] if creator in therapists and creator not in foreign else []
    taken = foreign | {creator}
    # Applied participants are not invited (which would take their seat) by new picks.
    taken |= set(_applied(ctx, PARTICIPANTS, sid, "userId"))
    local = sorted({m["userId"] for m in members if m["userId"] in therapists
                    and m["userId"] not in taken and m["userId"] not in later})
    gap = max(0, want - len(foreign) - len(chosen))
    ranked = ctx.pick(local, gap, sid, "co-host")
    ranked += therapists.pick(gap - len(ranked), sid, "co-host",
                              skip=_SignedUpAfter(signed_up=later.signed_up, since=later.since,
                                                  also=taken | set(local)))
    # Invitations as applied stay besides the picks (made as if there were none).
    kept = [t for t in _applied(ctx, INVITATIONS, sid, "therapistId")
            if t in therapists and t not in foreign and t not in chosen + ranked]
    return foreign, chosen + ranked + kept


def _applied(ctx: PlanContext, table: str, key: str, column: str) -> list[str]:
    """``column`` of the applied rows of ``table`` of the session ``key``."""
    if not ctx.live.has(table):
        return []
    return sorted(r[column] for r in ctx.live.group(table, "sessionId").get(key, [])
                  if ctx.keeping(table, r["id"]) is not None)


def _invitations(ctx: PlanContext, session: Row, chosen: list[str]) -> Iterator[DesiredRow]:
    sid, creator = session["id"], session["createdById"]
    for tid in chosen:
        iid = ctx.cuid(INVITATIONS, sid, tid)
        rng = ctx.rng(iid, "invitation")
        invited = min(session["createdAt"] + dt.timedelta(
            minutes=0 if tid == creator else rng.randint(5, 240)),
            latest(session["createdAt"], ctx.at(minutes=-30)))
        roll = rng.random()
        status = (Invitation.ACCEPTED if tid == creator or roll < 0.6 else Invitation.DECLINED
                  if roll < 0.8 or session["status"] != Status.APPROVED else Invitation.PENDING)
        responded = (None if status == Invitation.PENDING else invited if tid == creator else
                     between(rng, invited, max(invited, min(session["scheduledAt"],
                                                            ctx.at(hours=-1)))))
        yield ctx.row(
            INVITATIONS, id=iid, sessionId=sid, therapistId=tid, status=status,
            invitedAt=invited, respondedAt=responded,
            message=None if tid == creator else rng.choice(corpus.INVITATION_MESSAGES),
            createdAt=invited, updatedAt=responded or invited,
        )


def _participants(ctx: PlanContext, need: GroupSessionMinimums, session: Row,
                  members: list[Row], invited: set[str]) -> Iterator[DesiredRow]:
    """Community members (clients first) who joined before registering, up to the usual
    three to eight and never past maxParticipants; attendance follows the session status."""
    sid = session["id"]
    foreign = {p["userId"] for p in ctx.group(PARTICIPANTS, "sessionId", foreign=True)
               .get(sid, [])}
    closes = min(session["scheduledAt"], ctx.anchor) - dt.timedelta(hours=1)
    excluded = foreign | invited
    eligible = [m for m in members if m["userId"] not in excluded
                and m["userId"] != session["createdById"] and m["joinedAt"] < closes]
    users = {m["userId"]: (ctx.get("User", m["userId"]) or {}).get("role") for m in eligible}
    clients = sorted(u for u, role in users.items() if role == CLIENT)
    rest = sorted(u for u, role in users.items() if role != CLIENT)
    want = min(ctx.rng(sid, "participants").randint(need.participants, max(
        need.participants, need.most_participants)), session["maxParticipants"])
    ranked = ctx.pick(clients, len(clients), sid, "participant") + ctx.pick(
        rest, len(rest), sid, "participant")
    joined_at = {m["userId"]: m["joinedAt"] for m in eligible}
    # Participants as applied stay besides the picks (made as if there were none), before
    # them within maxParticipants.
    chosen = [u for u in _applied(ctx, PARTICIPANTS, sid, "userId") if u in joined_at]
    chosen += [u for u in ranked[:max(0, want - len(foreign))] if u not in chosen]
    for uid in chosen[:max(0, session["maxParticipants"] - len(foreign))]:
        pid = ctx.cuid(PARTICIPANTS, sid, uid)
        rng = ctx.rng(pid, "participant")
        registered = between(rng, min(latest(joined_at[uid], session["createdAt"]), closes),
                             closes)
        attendance = rng.choice(ATTENDANCE.get(session["status"], (Attendance.REGISTERED,)))
        if session["status"] == Status.COMPLETED and rng.random() < 0.7:
            attendance = Attendance.ATTENDED
        ends = session["scheduledAt"] + dt.timedelta(minutes=session["duration"])
        left = ends - dt.timedelta(minutes=rng.choice((0, 0, 0, 5, 10))) if (
            attendance == Attendance.ATTENDED and ends <= ctx.anchor) else None
        changed = left or session["completedAt"] or session["cancelledAt"] or registered
        yield ctx.row(
            PARTICIPANTS, id=pid, sessionId=sid, userId=uid, joinedAt=registered,
            attendanceStatus=attendance, leftAt=left, createdAt=registered,
            updatedAt=max(changed, registered),
        )
