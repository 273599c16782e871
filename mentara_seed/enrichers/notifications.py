"""Tier 6: in-app notifications, each about a real row: a reply on one's post, a message, a
session, a worksheet, a review, a payment, a community joined, a new care relationship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any, ClassVar

from pydantic import Field

from mentara_seed.enrichers import staff_notices
from mentara_seed.enrichers.common import ADMIN, CLIENT, MODERATOR, THERAPIST, between
from mentara_seed.enrichers.corpora import notifications as corpus
from mentara_seed.enrichers.notice import Event
from mentara_seed.enrichers.notification_rules import (
    PROFILE,
    meeting_end,
    nothing_to_notify,
    verify_notifications,
)
from mentara_seed.enrichers.registry import DesiredRow, Minimums, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.schema.enums import MeetingStatus
from mentara_seed.schema.enums import NotificationPriority as Priority
from mentara_seed.schema.enums import NotificationType as Type
from mentara_seed.schema.values import Row

MANILA = dt.timedelta(hours=8)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UPCOMING = (MeetingStatus.SCHEDULED, MeetingStatus.CONFIRMED, MeetingStatus.WAITING)
REMIND_DAYS_BEFORE = (1, 3, 7)  # the app's reminders before a session, the latest that was due


class NotificationMinimums(Minimums):
    """Notifications per client and therapist, and per admin and moderator."""

    per_user: int = Field(3, ge=0, description="notifications of each client and therapist")
    most_per_user: int = Field(5, ge=0, description="upper end of a user's usual notifications")
    per_staff: int = Field(2, ge=0, description="notifications of each admin and moderator "
                                                "(applications to process, reports to "
                                                "review), as many as there are such events")

    def wanted(self, role: str) -> tuple[int, int]:
        if role in (ADMIN, MODERATOR):
            return self.per_staff, self.per_staff + 2
        return self.per_user, max(self.per_user, self.most_per_user)

    PROFILES: ClassVar = {}


@enricher(
    "notifications",
    writes=("Notification",),
    depends_on=("posts", "comments", "meetings", "messages", "worksheets", "reviews",
                "payments", "reports"),
    tier=6,
    minimums=NotificationMinimums,
    verify=verify_notifications,
)
def notifications(ctx: PlanContext, need: NotificationMinimums) -> Iterator[DesiredRow]:
    """Every client and therapist with ``per_user`` to ``most_per_user`` notifications (their
    foreign notifications count), each about a real row of theirs, with its ids in ``data`` and
    an app path in ``actionUrl``: COMMUNITY_REPLY (a comment by someone else on their post,
    naming the post), MESSAGE_RECEIVED (a message to them, read once they answered it),
    APPOINTMENT_REMINDER (HIGH, sent 1, 3 or 7 days before an upcoming session) and
    APPOINTMENT_CONFIRMED (a CONFIRMED upcoming session), REVIEW_REQUEST (a completed
    session), WORKSHEET_ASSIGNED, REVIEW_RECEIVED, PAYMENT_SUCCESS / PAYMENT_FAILED (HIGH),
    COMMUNITY_WELCOME (a membership) and RELATIONSHIP_ESTABLISHED. Admins and moderators get
    ``per_staff`` to ``per_staff`` + 2 of their own kind, as many as happened: admins a
    THERAPIST_APPLICATION per application to process (unread while PENDING), moderators a
    report to review on content of a community they moderate (COMMUNITY_POST, the schema
    having no report type; HIGH and unread while PENDING). Types are mixed per user
    (rendezvous order, an imminent session's reminder first, the newest events of each type
    first). A notification is created minutes after its event and before the anchor; older
    ones are mostly read (readAt after createdAt), recent ones often unread."""
    foreign = ctx.group("Notification", "userId", foreign=True)
    for user in ctx.rows("User"):
        if user["role"] not in (CLIENT, THERAPIST, ADMIN, MODERATOR):
            continue
        uid = user["id"]
        usual = ctx.rng(uid, "notifications").randint(*need.wanted(user["role"]))
        gap = usual - len(foreign.get(uid, []))
        if user["role"] in (CLIENT, THERAPIST) and len(foreign.get(uid, [])) < need.per_user:
            why = nothing_to_notify(user, ctx.get(PROFILE[user["role"]], uid) is not None,
                                    ctx.anchor)
            if why is not None:
                ctx.warn("notifications", f"{user['role']} {user['email']}", why)
                continue
        slots = ctx.slots(gap, "Notification", partial(ctx.id, "Notification", uid))
        events = _events(ctx, user)
        kept = _kept(ctx, uid, events, slots)
        chosen = _refill(ctx, uid, events, slots, kept, user["role"] in (ADMIN, MODERATOR))
        made = 0
        for slot in range(slots):
            event = kept.get(slot) or chosen.get(slot)
            if event is not None:
                made += 1
                yield _notification(ctx, uid, slot, event)
        if user["role"] in (CLIENT, THERAPIST) and made + len(foreign.get(uid, [])) < (
                need.per_user):
            ctx.warn("notifications", f"{user['role']} {user['email']}",
                     f"only {len(events)} of their events happened before the anchor")


def _kept(ctx: PlanContext, uid: str, events: list[Event], slots: int) -> dict[int, Event]:
    """The events the user's applied notifications are about, by slot, while they still
    happened: a new event never moves an existing notification to another one."""
    applied = {slot: live for slot in range(slots)
               if (live := ctx.applied("Notification", ctx.id("Notification", uid, slot)))}
    if not applied:
        return {}  # a user new to the seeder: no event to look up
    by_ref: dict[tuple[Any, str], Event] = {(e.type, e.ref): e for e in events}
    kept: dict[int, Event] = {}
    for slot, live in applied.items():
        data, kind = live.get("data"), live.get("type")
        if not isinstance(data, dict):
            continue
        found = next((by_ref[(kind, v)] for v in sorted(map(str, data.values()))
                      if (kind, v) in by_ref), None)
        if found is not None and found not in kept.values():
            kept[slot] = found
    return kept


def _refill(ctx: PlanContext, uid: str, events: list[Event], slots: int,
            kept: dict[int, Event], urgent_first: bool) -> dict[int, Event]:
    """The events of the slots ``kept`` does not fill: each the one a run on an empty database
    gives that slot, unless a kept notification is about it; the rest from the events no
    notification is about yet, in ``_choose`` order. So an owned notification deleted by hand
    comes back about the same event, with the same values."""
    everything = _choose(ctx, uid, events, slots, urgent_first)
    told = {(e.type, e.ref) for e in kept.values()}
    free = [slot for slot in range(slots) if slot not in kept]
    chosen: dict[int, Event] = {}
    for slot in free:
        if slot < len(everything) and (key := (everything[slot].type,
                                               everything[slot].ref)) not in told:
            chosen[slot] = everything[slot]
            told.add(key)
    if len(chosen) == len(free):
        return chosen  # every free slot has its own event (always, on an empty database)
    rest = iter(_choose(ctx, uid, [e for e in events if (e.type, e.ref) not in told],
                        len(free) - len(chosen), urgent_first))
    for slot in free:
        if slot not in chosen and (event := next(rest, None)) is not None:
            chosen[slot] = event
    return chosen


def _choose(ctx: PlanContext, uid: str, events: list[Event], k: int,
            urgent_first: bool = False) -> list[Event]:
    """``k`` events: one of each type in the user's rendezvous order, then a second of each…
    (newest first; with ``urgent_first``, HIGH ones first: what staff must act on)."""
    by_type: dict[str, list[Event]] = {}
    for e in sorted(events, key=lambda e: (urgent_first and e.priority == Priority.HIGH,
                                           e.at, e.ref), reverse=True):
        by_type.setdefault(e.type, []).append(e)
    order = ctx.pick(sorted(by_type), len(by_type), uid, "notification-types")
    if Type.APPOINTMENT_REMINDER in order:
        order.remove(Type.APPOINTMENT_REMINDER)
        order.insert(0, Type.APPOINTMENT_REMINDER)
    out: list[Event] = []
    depth = 0
    while len(out) < k and any(depth < len(v) for v in by_type.values()):
        out += [by_type[t][depth] for t in order if depth < len(by_type[t])]
        depth += 1
    return out[:max(k, 0)]


def _notification(ctx: PlanContext, uid: str, slot: int, e: Event) -> DesiredRow:
    nid = ctx.id("Notification", uid, slot)
    rng = ctx.rng(nid)
    title, message = rng.choice(corpus.TEMPLATES[e.template or e.type])
    latest = ctx.at(minutes=-1)
    soonest, last = e.at + dt.timedelta(seconds=1), min(e.at + dt.timedelta(minutes=10), latest)
    if e.read == "by" and e.read_by is not None:  # sent before the user opened the chat
        last = min(last, e.read_by - dt.timedelta(seconds=1))
    created = between(rng, soonest, max(soonest, last))
    read_at: dt.datetime | None = None
    if e.read == "by" and e.read_by is not None and e.read_by > created:
        read_at = between(rng, created + dt.timedelta(seconds=1), e.read_by)
    elif e.read == "maybe":
        chance = 0.85 if created < ctx.at(days=-3) else 0.4
        if rng.random() < chance:
            read_at = between(rng, created + dt.timedelta(seconds=30),
                              max(created + dt.timedelta(seconds=31),
                                  min(created + dt.timedelta(days=3), latest)))
    return ctx.row(
        "Notification", id=nid, userId=uid, title=title.format(**e.fields),
        message=message.format(**e.fields), type=e.type, priority=e.priority, data=e.data,
        actionUrl=e.url, isRead=read_at is not None, readAt=read_at, createdAt=created,
        updatedAt=read_at or created,
    )


def _events(ctx: PlanContext, user: Row) -> list[Event]:
    cutoff = ctx.at(minutes=-5)
    if user["role"] in (ADMIN, MODERATOR):
        return [e for e in staff_notices.events(ctx, user)
                if user["createdAt"] < e.at < cutoff]
    collected: list[Event] = []
    for collect in (_replies, _messages, _sessions, _worksheets, _reviews, _payments,
                    _welcomes, _relationships):
        collected += collect(ctx, user)
    return [e for e in collected if e.at < cutoff]


def _first_name(ctx: PlanContext, uid: str) -> str:
    user = ctx.get("User", uid)
    return str(user["firstName"]) if user else "Someone"


def _area(user: Row) -> str:
    return "client" if user["role"] == CLIENT else "therapist"


def _replies(ctx: PlanContext, user: Row) -> list[Event]:
    comments = ctx.group("Comment", "postId")
    out = []
    for post in ctx.group("Post", "userId").get(user["id"], []):
        for c in comments.get(post["id"], []):
            if c["userId"] != user["id"]:
                out.append(Event(
                    Type.COMMUNITY_REPLY, c["id"], c["createdAt"],
                    {"name": _first_name(ctx, c["userId"]), "post": post["title"]},
                    {"postId": post["id"], "commentId": c["id"], "authorId": c["userId"]},
                    f"/{_area(user)}/community/post/{post['id']}"))
    return out


def _messages(ctx: PlanContext, user: Row) -> list[Event]:
    """Messages to the user; one they answered was read before their answer."""
    uid, out = user["id"], []
    by_conversation = ctx.group("Message", "conversationId")
    for p in ctx.group("ConversationParticipant", "userId").get(uid, []):
        cid = p["conversationId"]
        answered: dt.datetime | None = None
        for m in sorted(by_conversation.get(cid, []), key=lambda m: (m["createdAt"], m["id"]),
                        reverse=True):
            if m["senderId"] == uid:
                answered = m["createdAt"]
                continue
            preview = m["content"] if len(m["content"]) <= 90 else m["content"][:87] + "…"
            out.append(Event(
                Type.MESSAGE_RECEIVED, m["id"], m["createdAt"],
                {"name": _first_name(ctx, m["senderId"]), "preview": preview},
                {"conversationId": cid, "messageId": m["id"], "senderId": m["senderId"]},
                f"/{_area(user)}/messages?conversation={cid}",
                read="by" if answered else "unread", read_by=answered))
    return out


def _when(start: dt.datetime, told: dt.datetime | None = None) -> str:
    local, now = start + MANILA, (told + MANILA) if told else None
    clock = f"{(local.hour - 1) % 12 + 1}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    if now is not None and (local.date() - now.date()).days in (0, 1):
        return f"{('today', 'tomorrow')[(local.date() - now.date()).days]} at {clock}"
    day = f"{DAYS[local.weekday()]}, {MONTHS[local.month - 1]} {local.day}"
    return f"on {day} at {clock}" if now is not None else f"{day} at {clock}"


def _sessions(ctx: PlanContext, user: Row) -> list[Event]:
    """Reminders (the latest of the 1-, 3- and 7-day reminders already due) and
    confirmations of upcoming sessions; review requests after completed ones (clients)."""
    client = user["role"] == CLIENT
    mine, other = ("clientId", "therapistId") if client else ("therapistId", "clientId")
    out = []
    for m in ctx.group("Meeting", mine).get(user["id"], []):
        name, start = _first_name(ctx, m[other]), m["startTime"]
        url = f"/client/sessions/{m['id']}" if client else f"/therapist/meeting/{m['id']}"
        data = {"meetingId": m["id"], mine: user["id"], other: m[other]}
        if m["status"] in UPCOMING and start > ctx.anchor:
            told = [start - dt.timedelta(days=d) for d in REMIND_DAYS_BEFORE
                    if m["createdAt"] < start - dt.timedelta(days=d) < ctx.at(minutes=-5)]
            if told:
                out.append(Event(Type.APPOINTMENT_REMINDER, m["id"], told[0],
                                 {"name": name, "when": _when(start, told[0])}, data, url,
                                 Priority.HIGH))
            if m["status"] == MeetingStatus.CONFIRMED:
                out.append(Event(Type.APPOINTMENT_CONFIRMED, m["id"], m["createdAt"],
                                 {"name": name, "when": _when(start)}, data, url))
        elif client and m["status"] == MeetingStatus.COMPLETED:
            out.append(Event(Type.REVIEW_REQUEST, m["id"], meeting_end(m), {"name": name},
                             data, url, Priority.LOW))
    return out


def _worksheets(ctx: PlanContext, user: Row) -> list[Event]:
    out = []
    for w in ctx.group("Worksheet", "clientId").get(user["id"], []):
        due = w["dueDate"] + MANILA
        out.append(Event(
            Type.WORKSHEET_ASSIGNED, w["id"], w["createdAt"],
            {"name": _first_name(ctx, w["therapistId"]), "title": w["title"],
             "due": f"{DAYS[due.weekday()]}, {MONTHS[due.month - 1]} {due.day}"},
            {"worksheetId": w["id"], "therapistId": w["therapistId"]},
            f"/client/worksheets/{w['id']}"))
    return out


def _reviews(ctx: PlanContext, user: Row) -> list[Event]:
    out = []
    for r in ctx.group("Review", "therapistId").get(user["id"], []):
        name = corpus.ANONYMOUS if r["isAnonymous"] else _first_name(ctx, r["clientId"])
        data = {"reviewId": r["id"], "meetingId": r["meetingId"], "rating": r["rating"]}
        out.append(Event(Type.REVIEW_RECEIVED, r["id"], r["createdAt"],
                         {"name": name, "stars": str(r["rating"])}, data,
                         f"/therapist/profile/{user['id']}"))
    return out


def _pesos(amount: Decimal, currency: str) -> str:
    return f"₱{amount:,.2f}" if currency == "PHP" else f"{currency} {amount:,.2f}"


def _payments(ctx: PlanContext, user: Row) -> list[Event]:
    out = []
    for p in ctx.group("Payment", "clientId").get(user["id"], []):
        fields = {"name": _first_name(ctx, p["therapistId"]),
                  "amount": _pesos(p["amount"], p["currency"]),
                  "reason": p["failureReason"] or "the payment was declined."}
        data = {"paymentId": p["id"], "meetingId": p["meetingId"]}
        url = f"/client/sessions/{p['meetingId']}" if p["meetingId"] else "/client/booking"
        if p["status"] == "COMPLETED" and p["processedAt"]:
            out.append(Event(Type.PAYMENT_SUCCESS, p["id"], p["processedAt"], fields, data, url))
        elif p["status"] == "FAILED" and p["failedAt"]:
            out.append(Event(Type.PAYMENT_FAILED, p["id"], p["failedAt"], fields, data, url,
                             Priority.HIGH))
    return out


def _welcomes(ctx: PlanContext, user: Row) -> list[Event]:
    out = []
    for m in ctx.group("Membership", "userId").get(user["id"], []):
        community = ctx.get("Community", m["communityId"])
        if community is not None:
            out.append(Event(
                Type.COMMUNITY_WELCOME, m["id"], m["joinedAt"], {"community": community["name"]},
                {"membershipId": m["id"], "communityId": community["id"]},
                f"/{_area(user)}/community?community={community['slug']}", Priority.LOW))
    return out


def _relationships(ctx: PlanContext, user: Row) -> list[Event]:
    client = user["role"] == CLIENT
    mine, other = ("clientId", "therapistId") if client else ("therapistId", "clientId")
    out = []
    for r in ctx.group("ClientTherapist", mine).get(user["id"], []):
        url = "/client/therapist" if client else f"/therapist/patients/{r['clientId']}"
        out.append(Event(Type.RELATIONSHIP_ESTABLISHED, r["id"], r["assignedAt"],
                         {"name": _first_name(ctx, r[other])},
                         {"relationshipId": r["id"], mine: user["id"], other: r[other]}, url))
    return out
