"""The consistency rules of notifications, checked on a live snapshot: the ``verify`` of the
``notifications`` enricher. Every notification of a type listed in ``REFERENCES`` whose
``data`` names its row must point to an existing row of the right table that concerns its
user, and be created after that row's event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from mentara_seed.enrichers.common import CLIENT, THERAPIST
from mentara_seed.enrichers.registry import Violation
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

Owns = Callable[[LiveState, Row, Row], bool]  # (live, referenced row, notification)


def meeting_end(m: Row) -> dt.datetime:
    end: dt.datetime = m["endTime"] or m["startTime"] + dt.timedelta(minutes=m["duration"])
    return end


def _in_meeting(live: LiveState, m: Row, n: Row) -> bool:
    return n["userId"] in (m["clientId"], m["therapistId"]) and n["createdAt"] < m["startTime"]


def _reply_on_own_post(live: LiveState, c: Row, n: Row) -> bool:
    post = live.get("Post", c["postId"]) if live.has("Post") else None
    return (post is not None and post["userId"] == n["userId"] != c["userId"]
            and n["data"].get("postId") == post["id"])


def _message_to(live: LiveState, m: Row, n: Row) -> bool:
    members = live.group("ConversationParticipant", "conversationId").get(m["conversationId"], [])
    return (m["senderId"] != n["userId"] and any(p["userId"] == n["userId"] for p in members)
            and n["data"].get("conversationId") == m["conversationId"])


def _role(live: LiveState, n: Row) -> str | None:
    user = live.get("User", n["userId"]) if live.has("User") else None
    return None if user is None else str(user["role"])


# type -> (data key, table, does the row concern the notified user, when did it happen)
REFERENCES: dict[str, tuple[str, str, Owns, Callable[[Row], Any]]] = {
    "COMMUNITY_REPLY": ("commentId", "Comment", _reply_on_own_post, lambda r: r["createdAt"]),
    "MESSAGE_RECEIVED": ("messageId", "Message", _message_to, lambda r: r["createdAt"]),
    "APPOINTMENT_REMINDER": ("meetingId", "Meeting", _in_meeting, lambda r: r["createdAt"]),
    "APPOINTMENT_CONFIRMED": ("meetingId", "Meeting", _in_meeting, lambda r: r["createdAt"]),
    "REVIEW_REQUEST": ("meetingId", "Meeting",
                       lambda live, m, n: m["clientId"] == n["userId"]
                       and m["status"] == "COMPLETED", meeting_end),
    "WORKSHEET_ASSIGNED": ("worksheetId", "Worksheet",
                           lambda live, w, n: w["clientId"] == n["userId"],
                           lambda r: r["createdAt"]),
    "REVIEW_RECEIVED": ("reviewId", "Review", lambda live, r, n: r["therapistId"] == n["userId"],
                        lambda r: r["createdAt"]),
    "PAYMENT_SUCCESS": ("paymentId", "Payment",
                        lambda live, p, n: p["clientId"] == n["userId"]
                        and p["status"] in ("COMPLETED", "REFUNDED"),
                        lambda r: r["processedAt"]),
    "PAYMENT_FAILED": ("paymentId", "Payment",
                       lambda live, p, n: p["clientId"] == n["userId"]
                       and p["status"] == "FAILED", lambda r: r["failedAt"]),
    "COMMUNITY_WELCOME": ("membershipId", "Membership",
                          lambda live, m, n: m["userId"] == n["userId"]
                          and n["data"].get("communityId") == m["communityId"],
                          lambda r: r["joinedAt"]),
    "THERAPIST_APPLICATION": ("therapistId", "Therapist",
                              lambda live, t, n: _role(live, n) == "admin",
                              lambda r: r["submissionDate"]),
    "COMMUNITY_POST": ("reportId", "Report",
                       lambda live, r, n: _role(live, n) == "moderator"
                       and r["reporterId"] != n["userId"], lambda r: r["createdAt"]),
    "RELATIONSHIP_ESTABLISHED": ("relationshipId", "ClientTherapist",
                                 lambda live, r, n: n["userId"] in (r["clientId"],
                                                                    r["therapistId"]),
                                 lambda r: r["assignedAt"]),
}


PROFILE = {CLIENT: "Client", THERAPIST: "Therapist"}
CUTOFF = dt.timedelta(minutes=5)  # before the anchor: the newest event a notification is about


def nothing_to_notify(user: Row, has_profile: bool, anchor: dt.datetime | None) -> str | None:
    """Why nothing can have happened to ``user`` before the anchor (no profile row: the
    seeder gives them no activity; signed up after the anchor), else None. The planner warns
    with it; verify skips such users alike."""
    if not has_profile:
        return f"no {PROFILE[user['role']]} profile row: no activity to notify about"
    if anchor is not None and user["createdAt"] >= anchor - CUTOFF:
        return "signed up after the anchor: nothing happened to them before it"
    return None


def verify_notifications(live: LiveState, need: Any) -> Iterator[Violation]:
    by_user = live.group("Notification", "userId")
    for user in live.rows("User"):
        have = len(by_user.get(user["id"], []))
        if user["role"] in (CLIENT, THERAPIST) and have < need.per_user and nothing_to_notify(
                user, not live.has(PROFILE[user["role"]])
                or live.get(PROFILE[user["role"]], user["id"]) is not None, live.anchor):
            continue  # warned by the planner
        if user["role"] in (CLIENT, THERAPIST) and have < need.per_user:
            yield Violation("notifications", f"{user['role']} {user['email']}",
                            f"{have}/{need.per_user} notifications")
    for n in live.rows("Notification"):
        yield from _state_rules(n)
        yield from _reference_rules(live, n)


def _state_rules(n: Row) -> Iterator[Violation]:
    entity = f"notification {n['id']}"
    if n["isRead"] != (n["readAt"] is not None):
        yield Violation("notifications", entity, "isRead and readAt disagree")
    if n["readAt"] is not None and n["readAt"] <= n["createdAt"]:
        yield Violation("notifications", entity, "read before it was created")
    if n["type"] == "APPOINTMENT_REMINDER" and n["priority"] not in ("HIGH", "URGENT"):
        yield Violation("notifications", entity, "an appointment reminder below HIGH priority")


def _reference_rules(live: LiveState, n: Row) -> Iterator[Violation]:
    rule = REFERENCES.get(n["type"])
    data = n["data"]
    if rule is None or not isinstance(data, dict) or not data.get(rule[0]):
        return  # a type or data shape this seeder does not write (the app's own)
    key, table, owns, happened = rule
    if not live.has(table):
        return
    entity = f"notification {n['id']}"
    row = live.get(table, data[key])
    if row is None:
        yield Violation("notifications", entity, f"{n['type']} about a missing {table}")
    elif not owns(live, row, n):
        # The row it is about is read: a person may have edited it (a payment marked failed).
        yield Violation("notifications", entity, f"{n['type']} about a {table} that is not "
                                                 "its user's",
                        rows=(n["id"],), inputs=(data[key],))
    elif happened(row) is None or n["createdAt"] < happened(row):
        # Both rows are named: a person may have edited either.
        yield Violation("notifications", entity,
                        f"created before its {table} {data[key]} happened")
