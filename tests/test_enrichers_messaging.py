"""Messaging enrichers: messages, message-interactions and notifications, checked with SQL on
the seeded database (medium profile, fixed anchor) on every backend."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import ANCHOR

ANCHOR_AT = dt.datetime.fromisoformat(ANCHOR)
EMOJI = ("👍", "❤️", "🙏", "😊", "👏", "🤗")


def _ts(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@pytest.fixture
def seeded(dbs: Any) -> str:
    return dbs.seeded()


def _plan(cli: Any, url: str) -> dict[str, Any]:
    code, out, err = cli("plan", "--database-url", url, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _app_tables(dump: Any, url: str) -> dict[str, list[str]]:
    return {k: v for k, v in dump(url).items() if not k.split(".")[-1].startswith("seed_")
            and not k.startswith("seed_state.")}


# --- conversations --------------------------------------------------------------------------

def test_every_client_and_therapist_is_in_two_conversations_of_five_messages(seeded, sql):
    short = sql(seeded, """
        SELECT u.id, count(full_convs.id) FROM "User" u
        LEFT JOIN "ConversationParticipant" p ON p."userId" = u.id
        LEFT JOIN (SELECT "conversationId" AS id FROM "Message" GROUP BY "conversationId"
                   HAVING count(*) >= 5) full_convs ON full_convs.id = p."conversationId"
        WHERE u.role IN ('client', 'therapist')
        GROUP BY u.id HAVING count(full_convs.id) < 2""")
    assert short == []


def test_every_conversation_has_at_least_five_messages(seeded, sql):
    counts = sql(seeded, """SELECT c.id, count(m.id) FROM "Conversation" c
                            LEFT JOIN "Message" m ON m."conversationId" = c.id GROUP BY c.id""")
    assert len(counts) >= 30
    assert min(n for _, n in counts) >= 5


def test_each_active_relationship_has_a_direct_conversation_of_exactly_the_pair(seeded, sql):
    missing = sql(seeded, """
        SELECT ct.id FROM "ClientTherapist" ct WHERE ct.status = 'active' AND NOT EXISTS (
            SELECT 1 FROM "Conversation" c
            JOIN "ConversationParticipant" a ON a."conversationId" = c.id
                 AND a."userId" = ct."clientId"
            JOIN "ConversationParticipant" b ON b."conversationId" = c.id
                 AND b."userId" = ct."therapistId"
            WHERE c.type = 'DIRECT')""")
    assert missing == []


def test_other_direct_conversations_pair_same_role_users_who_share_a_community(seeded, sql):
    rows = sql(seeded, """
        SELECT c.id, min(u.role), max(u.role), min(u.id), max(u.id) FROM "Conversation" c
        JOIN "ConversationParticipant" p ON p."conversationId" = c.id
        JOIN "User" u ON u.id = p."userId"
        WHERE c.type = 'DIRECT' AND NOT EXISTS (
            SELECT 1 FROM "ClientTherapist" ct, "ConversationParticipant" x,
                          "ConversationParticipant" y
            WHERE x."conversationId" = c.id AND y."conversationId" = c.id
              AND x."userId" = ct."clientId" AND y."userId" = ct."therapistId")
        GROUP BY c.id""")
    assert len(rows) >= 5
    for _, role_a, role_b, a, b in rows:
        assert role_a == role_b
        shared = sql(seeded, """SELECT count(*) FROM "Membership" x JOIN "Membership" y
                                ON x."communityId" = y."communityId"
                                WHERE x."userId" = :a AND y."userId" = :b""", a=a, b=b)
        assert shared[0][0] >= 1


def test_group_conversations_are_titled_chats_of_three_to_five_community_members(seeded, sql):
    groups = sql(seeded, """SELECT id, type, title FROM "Conversation"
                            WHERE type IN ('GROUP', 'SUPPORT')""")
    assert len(groups) >= 4 and {t for _, t, _ in groups} == {"GROUP", "SUPPORT"}
    for cid, kind, title in groups:
        # Its members, besides the community's moderator who drops in.
        members = [r[0] for r in sql(seeded, """SELECT "userId" FROM "ConversationParticipant"
                                                WHERE "conversationId" = :c
                                                AND role <> 'MODERATOR'""", c=cid)]
        assert title and 3 <= len(members) <= 5
        common = sql(seeded, """SELECT m."communityId", c.name FROM "Membership" m
                                JOIN "Community" c ON c.id = m."communityId"
                                JOIN "ConversationParticipant" p ON p."userId" = m."userId"
                                WHERE p."conversationId" = :c AND p.role <> 'MODERATOR'
                                GROUP BY m."communityId", c.name
                                HAVING count(*) = :n""", c=cid, n=len(members))
        assert any(title.startswith(name) for _, name in common)
        admins = sql(seeded, """SELECT u.role, t.status FROM "ConversationParticipant" p
                                JOIN "User" u ON u.id = p."userId"
                                LEFT JOIN "Therapist" t ON t."userId" = u.id
                                WHERE p."conversationId" = :c AND p.role = 'ADMIN'""", c=cid)
        expected = ("therapist", "APPROVED") if kind == "SUPPORT" else ("client", None)
        assert [tuple(a) for a in admins] == [expected]


def test_direct_conversations_have_exactly_two_distinct_participants(seeded, sql):
    bad = sql(seeded, """SELECT c.id FROM "Conversation" c
                         JOIN "ConversationParticipant" p ON p."conversationId" = c.id
                         WHERE c.type = 'DIRECT' GROUP BY c.id
                         HAVING count(*) != 2 OR count(DISTINCT p."userId") != 2""")
    assert bad == []
    dupes = sql(seeded, """SELECT "conversationId", "userId" FROM "ConversationParticipant"
                           GROUP BY "conversationId", "userId" HAVING count(*) > 1""")
    assert dupes == []


def test_messages_come_only_from_participants(seeded, sql):
    strays = sql(seeded, """SELECT m.id FROM "Message" m WHERE NOT EXISTS (
                              SELECT 1 FROM "ConversationParticipant" p
                              WHERE p."conversationId" = m."conversationId"
                                AND p."userId" = m."senderId")""")
    assert strays == []


def test_direct_conversation_senders_alternate(seeded, sql):
    repeats = sql(seeded, """
        SELECT id FROM (
            SELECT m.id, m."senderId", LAG(m."senderId") OVER (
                PARTITION BY m."conversationId" ORDER BY m."createdAt") AS previous
            FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
            WHERE c.type = 'DIRECT') t
        WHERE previous = "senderId" """)
    assert repeats == []


def test_message_times_increase_after_the_start_and_every_join_and_before_the_anchor(
    seeded, sql
):
    early = sql(seeded, """SELECT m.id FROM "Message" m
                           JOIN "Conversation" c ON c.id = m."conversationId"
                           JOIN "ConversationParticipant" p ON p."conversationId" = c.id
                           WHERE m."createdAt" <= c."createdAt"
                              OR (m."createdAt" <= p."joinedAt"
                                  AND (p.role <> 'MODERATOR' OR p."userId" = m."senderId"))""")
    assert early == []  # a moderator who drops in later reads what came before
    ties = sql(seeded, """SELECT "conversationId", "createdAt" FROM "Message"
                          GROUP BY "conversationId", "createdAt" HAVING count(*) > 1""")
    assert ties == []
    (latest,) = sql(seeded, 'SELECT max("createdAt") FROM "Message"')[0]
    assert _ts(latest) < ANCHOR_AT


def test_last_message_at_is_the_time_of_the_last_message(seeded, sql):
    rows = sql(seeded, """SELECT c."lastMessageAt", c."updatedAt", max(m."createdAt")
                          FROM "Conversation" c JOIN "Message" m ON m."conversationId" = c.id
                          GROUP BY c.id, c."lastMessageAt", c."updatedAt" """)
    assert rows and all(_ts(last) == _ts(newest) for last, _, newest in rows)
    assert all(_ts(updated) == _ts(newest) for _, updated, newest in rows)


def test_replies_point_to_an_earlier_message_of_the_same_conversation(seeded, sql):
    replies = sql(seeded, """SELECT m.id, t."conversationId" = m."conversationId",
                                    t."createdAt" < m."createdAt", t."senderId" != m."senderId"
                             FROM "Message" m LEFT JOIN "Message" t ON t.id = m."replyToId"
                             WHERE m."replyToId" IS NOT NULL""")
    assert len(replies) >= 10
    assert all(bool(same) and bool(earlier) and bool(other)
               for _, same, earlier, other in replies)


def test_last_read_at_is_the_participants_own_last_message(seeded, sql):
    rows = sql(seeded, """SELECT p."lastReadAt", (SELECT max(m."createdAt") FROM "Message" m
                                   WHERE m."conversationId" = p."conversationId"
                                     AND m."senderId" = p."userId"),
                                 (SELECT max(r."readAt") FROM "MessageReadReceipt" r
                                  JOIN "Message" m ON m.id = r."messageId"
                                  WHERE m."conversationId" = p."conversationId"
                                    AND r."userId" = p."userId")
                          FROM "ConversationParticipant" p""")
    for last_read, own_last, last_receipt in rows:
        assert _ts(last_read) == _ts(own_last)
        assert last_receipt is None or _ts(last_receipt) <= _ts(last_read)


# --- receipts and reactions -----------------------------------------------------------------

def test_read_receipts_cover_exactly_messages_older_than_the_readers_last_message(seeded, sql):
    expected = sql(seeded, """
        SELECT m.id, p."userId" FROM "Message" m
        JOIN "ConversationParticipant" p ON p."conversationId" = m."conversationId"
        WHERE p."userId" != m."senderId" AND m."createdAt" < (
            SELECT max(own."createdAt") FROM "Message" own
            WHERE own."conversationId" = m."conversationId" AND own."senderId" = p."userId")""")
    actual = sql(seeded, 'SELECT "messageId", "userId" FROM "MessageReadReceipt"')
    assert len(actual) >= 100
    assert sorted(map(tuple, actual)) == sorted(map(tuple, expected))


def test_receipts_are_never_by_the_sender_and_read_after_the_message(seeded, sql):
    bad = sql(seeded, """SELECT r.id FROM "MessageReadReceipt" r
                         JOIN "Message" m ON m.id = r."messageId"
                         WHERE r."userId" = m."senderId" OR r."readAt" <= m."createdAt" """)
    assert bad == []
    before_reply = sql(seeded, """
        SELECT r.id FROM "MessageReadReceipt" r JOIN "Message" m ON m.id = r."messageId"
        WHERE r."readAt" > (SELECT min(n."createdAt") FROM "Message" n
                            WHERE n."conversationId" = m."conversationId"
                              AND n."senderId" = r."userId" AND n."createdAt" > m."createdAt")""")
    assert before_reply == []


def test_reactions_use_fixed_emoji_by_other_participants_who_read_the_message(seeded, sql):
    rows = sql(seeded, """SELECT r.emoji, r."userId" = m."senderId", r."createdAt",
                                 m."createdAt", p."lastReadAt"
                          FROM "MessageReaction" r JOIN "Message" m ON m.id = r."messageId"
                          LEFT JOIN "ConversationParticipant" p
                            ON p."conversationId" = m."conversationId"
                           AND p."userId" = r."userId" """)
    assert len(rows) >= 20
    assert len({r[0] for r in rows}) >= 4
    for emoji, by_sender, reacted, sent, last_read in rows:
        assert emoji in EMOJI and not by_sender and last_read is not None
        assert _ts(sent) < _ts(reacted) <= _ts(last_read)


# --- restore and verification ---------------------------------------------------------------

def test_deleted_messaging_rows_are_planned_alone_and_restored_identically(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    (last,) = sql(url, """SELECT min(m.id) FROM "Message" m JOIN "Conversation" c
                          ON c.id = m."conversationId" AND m."createdAt" = c."lastMessageAt"
                          WHERE NOT EXISTS (SELECT 1 FROM "MessageReaction" x
                                            WHERE x."messageId" = m.id)""")[0]
    sql(url, 'DELETE FROM "Message" WHERE id = :k', k=last)
    removed = {("create", "Message", last)}
    for table in ("MessageReadReceipt", "MessageReaction", "ConversationParticipant"):
        (key,) = sql(url, f'SELECT min(id) FROM "{table}"')[0]
        sql(url, f'DELETE FROM "{table}" WHERE id = :k', k=key)
        removed.add(("create", table, key))
    plan = _plan(cli, url)
    assert {(c["action"], c["table"], c["pk"]) for c in plan["changes"]} == removed
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_verify_reports_broken_messaging_rules(dbs, cli, sql):
    url = dbs.seeded()
    (cid,) = sql(url, """SELECT min(id) FROM "Conversation" WHERE type = 'DIRECT'""")[0]
    sql(url, """UPDATE "Conversation" SET "lastMessageAt" = NULL WHERE id = :c""", c=cid)
    (mid,) = sql(url, 'SELECT min("messageId") FROM "MessageReadReceipt"')[0]
    sql(url, """INSERT INTO "MessageReadReceipt" (id, "messageId", "userId", "readAt")
                SELECT 'own-receipt', id, "senderId", "createdAt" FROM "Message"
                WHERE id = :m""", m=mid)
    code, out, _ = cli("verify", "--database-url", url)
    # An owned row edited by hand and a row of the app's: warnings, not the seeder's.
    assert code == 0, out
    assert f"! messages: conversation {cid}: lastMessageAt" in out
    assert "! message-interactions: receipt own-receipt: by the message's own sender" in out


def test_foreign_direct_conversation_stands_in_for_the_pair_and_is_never_written_into(
    dbs, cli, sql
):
    url = dbs.seeded()
    (care,) = sql(url, """SELECT a."conversationId" FROM "ConversationParticipant" a
                          JOIN "ConversationParticipant" b
                            ON b."conversationId" = a."conversationId"
                          JOIN "Conversation" c ON c.id = a."conversationId"
                          WHERE c.type = 'DIRECT' AND a."userId" = 'dev_client_1'
                            AND b."userId" = 'dev_therapist_1'""")[0]
    start = ANCHOR_AT - dt.timedelta(days=10)
    times = [start + dt.timedelta(hours=n + 1) for n in range(5)]
    sql(url, """INSERT INTO "Conversation" (id, type, "isActive", "lastMessageAt", "createdAt",
                                            "updatedAt")
                VALUES ('app-conv', 'DIRECT', true, :last, :start, :last)""",
        last=times[-1], start=start)
    for who in ("dev_client_1", "dev_therapist_1"):
        sql(url, """INSERT INTO "ConversationParticipant" (id, "conversationId", "userId",
                        "joinedAt", role, "isActive", "isMuted")
                    VALUES (:id, 'app-conv', :who, :start, 'MEMBER', true, false)""",
            id=f"app-{who}", who=who, start=start)
    for n, at in enumerate(times):
        sql(url, """INSERT INTO "Message" (id, "conversationId", "senderId", content,
                        "messageType", "isEdited", "isDeleted", "createdAt", "updatedAt")
                    VALUES (:id, 'app-conv', :who, 'hello', 'TEXT', false, false, :at, :at)""",
            id=f"app-m{n}", who=("dev_client_1", "dev_therapist_1")[n % 2], at=at)
    code, out, err = cli("plan", "--database-url", url, "--format", "json", "--prune")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    assert ("delete", "Conversation", care) in {(c["action"], c["table"], c["pk"])
                                                for c in changes}
    foreign_keys = {"app-conv"} | {f"app-m{n}" for n in range(5)}
    for c in changes:
        values = c.get("values") or {}
        assert c["pk"] not in foreign_keys
        assert not foreign_keys & {values.get("conversationId"), values.get("messageId")}


# --- notifications --------------------------------------------------------------------------

NOTIFICATION_COLUMNS = ("id", "userId", "role", "type", "title", "message", "priority", "data",
                        "actionUrl", "isRead", "readAt", "createdAt")


def _notifications(sql: Any, url: str) -> list[dict[str, Any]]:
    rows = sql(url, """SELECT n.id, n."userId", u.role, n.type, n.title, n.message, n.priority,
                              n.data, n."actionUrl", n."isRead", n."readAt", n."createdAt"
                       FROM "Notification" n JOIN "User" u ON u.id = n."userId" ORDER BY n.id""")
    out = []
    for r in rows:
        n = dict(zip(NOTIFICATION_COLUMNS, r, strict=True))
        n["data"], n["isRead"] = _json(n["data"]), bool(n["isRead"])
        n["readAt"], n["createdAt"] = _ts(n["readAt"]), _ts(n["createdAt"])
        out.append(n)
    return out


def _rows(sql: Any, url: str, table: str, *columns: str) -> dict[str, dict[str, Any]]:
    listed = ", ".join(f'"{c}"' for c in ("id", *columns))
    out = {}
    for r in sql(url, f'SELECT {listed} FROM "{table}"'):
        row = dict(zip(("id", *columns), r, strict=True))
        out[row["id"]] = {k: _ts(v) if k.endswith(("At", "Time")) else v for k, v in row.items()}
    return out


def _event_of(sql: Any, url: str) -> Any:
    """For each notification, the time of the real event it is about, checking on the way that
    the referenced rows exist, are of the right kind and concern the notified user."""
    post = _rows(sql, url, "Post", "userId", "title")
    comment = _rows(sql, url, "Comment", "postId", "userId", "createdAt")
    message = _rows(sql, url, "Message", "conversationId", "senderId", "createdAt")
    members = {(r[0], r[1]) for r in sql(url, """SELECT "conversationId", "userId"
                                                 FROM "ConversationParticipant" """)}
    meeting = _rows(sql, url, "Meeting", "clientId", "therapistId", "status", "startTime",
                    "endTime", "createdAt")
    worksheet = _rows(sql, url, "Worksheet", "clientId", "createdAt")
    review = _rows(sql, url, "Review", "therapistId", "createdAt")
    payment = _rows(sql, url, "Payment", "clientId", "status", "processedAt", "failedAt")
    membership = _rows(sql, url, "Membership", "userId", "communityId", "joinedAt")
    pair = _rows(sql, url, "ClientTherapist", "clientId", "therapistId", "assignedAt")
    therapist = {r[0]: _ts(r[1]) for r in sql(url, 'SELECT "userId", "submissionDate" '
                                                   'FROM "Therapist"')}
    report = _rows(sql, url, "Report", "reporterId", "createdAt")
    moderates = {(r[0], r[1]) for r in sql(url, 'SELECT "moderatorId", "communityId" '
                                                'FROM "ModeratorCommunity"')}

    def event(n: dict[str, Any]) -> dt.datetime:
        d, user, kind = n["data"], n["userId"], n["type"]
        if kind == "COMMUNITY_REPLY":
            c = comment[d["commentId"]]
            p = post[c["postId"]]
            assert d["postId"] == p["id"] and p["userId"] == user != c["userId"]
            assert p["title"] in n["message"]
            return c["createdAt"]
        if kind == "MESSAGE_RECEIVED":
            m = message[d["messageId"]]
            assert m["conversationId"] == d["conversationId"] and m["senderId"] != user
            assert (m["conversationId"], user) in members
            return m["createdAt"]
        if kind in ("APPOINTMENT_REMINDER", "APPOINTMENT_CONFIRMED", "REVIEW_REQUEST"):
            m = meeting[d["meetingId"]]
            assert user in (m["clientId"], m["therapistId"])
            if kind == "REVIEW_REQUEST":
                assert m["status"] == "COMPLETED" and m["clientId"] == user
                return m["endTime"]
            assert m["status"] in ("SCHEDULED", "CONFIRMED", "WAITING")
            assert n["createdAt"] < m["startTime"] and m["startTime"] > ANCHOR_AT
            assert kind == "APPOINTMENT_REMINDER" or m["status"] == "CONFIRMED"
            return m["createdAt"]
        if kind == "WORKSHEET_ASSIGNED":
            w = worksheet[d["worksheetId"]]
            assert w["clientId"] == user
            return w["createdAt"]
        if kind == "REVIEW_RECEIVED":
            r = review[d["reviewId"]]
            assert r["therapistId"] == user
            return r["createdAt"]
        if kind in ("PAYMENT_SUCCESS", "PAYMENT_FAILED"):
            p = payment[d["paymentId"]]
            assert p["clientId"] == user and "₱" in n["message"]
            assert p["status"] == ("COMPLETED" if kind == "PAYMENT_SUCCESS" else "FAILED")
            return p["processedAt"] if kind == "PAYMENT_SUCCESS" else p["failedAt"]
        if kind == "COMMUNITY_WELCOME":
            m = membership[d["membershipId"]]
            assert m["userId"] == user and m["communityId"] == d["communityId"]
            return m["joinedAt"]
        if kind == "THERAPIST_APPLICATION":  # an admin's
            return therapist[d["therapistId"]]
        if kind == "COMMUNITY_POST":  # a moderator's report to review
            r = report[d["reportId"]]
            assert (user, d["communityId"]) in moderates and r["reporterId"] != user
            return r["createdAt"]
        assert kind == "RELATIONSHIP_ESTABLISHED"
        r = pair[d["relationshipId"]]
        assert user in (r["clientId"], r["therapistId"])
        return r["assignedAt"]

    return event


def test_clients_and_therapists_have_three_to_five_notifications_staff_their_own(seeded, sql):
    counts = sql(seeded, """SELECT u.id, count(n.id) FROM "User" u
                            LEFT JOIN "Notification" n ON n."userId" = u.id
                            WHERE u.role IN ('client', 'therapist') GROUP BY u.id""")
    assert len(counts) == 37
    assert all(3 <= n <= 5 for _, n in counts)
    staff = sql(seeded, """SELECT u.role, n.type FROM "Notification" n JOIN "User" u
                           ON u.id = n."userId" WHERE u.role NOT IN ('client', 'therapist')""")
    assert staff and set(staff) <= {("admin", "THERAPIST_APPLICATION"),
                                    ("moderator", "COMMUNITY_POST")}


def test_notifications_are_about_real_rows_of_their_user_and_follow_them(seeded, sql):
    event_of = _event_of(sql, seeded)
    notifications = _notifications(sql, seeded)
    kinds = {n["type"] for n in notifications}
    assert {"COMMUNITY_REPLY", "MESSAGE_RECEIVED", "APPOINTMENT_REMINDER",
            "WORKSHEET_ASSIGNED", "REVIEW_RECEIVED", "PAYMENT_SUCCESS",
            "COMMUNITY_WELCOME"} <= kinds
    for n in notifications:
        happened = event_of(n)
        assert happened is not None and happened < n["createdAt"] < ANCHOR_AT, n


def test_each_notification_type_carries_its_own_template(seeded, sql):
    words = {"COMMUNITY_REPLY": ("replied", "commented"), "MESSAGE_RECEIVED": ("message",),
             "APPOINTMENT_REMINDER": ("session",), "APPOINTMENT_CONFIRMED": ("confirmed",),
             "REVIEW_REQUEST": ("session",), "WORKSHEET_ASSIGNED": ("worksheet",),
             "REVIEW_RECEIVED": ("review",), "PAYMENT_SUCCESS": ("payment",),
             "PAYMENT_FAILED": ("did not go through",), "COMMUNITY_WELCOME": ("welcome",),
             "RELATIONSHIP_ESTABLISHED": ("connected",),
             "THERAPIST_APPLICATION": ("application",), "COMMUNITY_POST": ("report", "flagged")}
    for n in _notifications(sql, seeded):
        text = f"{n['title']} {n['message']}".lower()
        assert any(w in text for w in words[n["type"]]), n
        assert "{" not in text


def test_action_urls_are_app_paths_of_the_users_area_naming_the_row(seeded, sql):
    for n in _notifications(sql, seeded):
        url, d = n["actionUrl"], n["data"]
        assert url.startswith(f"/{n['role']}/"), n
        named = {"COMMUNITY_REPLY": "postId", "MESSAGE_RECEIVED": "conversationId",
                 "APPOINTMENT_REMINDER": "meetingId", "APPOINTMENT_CONFIRMED": "meetingId",
                 "WORKSHEET_ASSIGNED": "worksheetId"}.get(n["type"])
        if named:
            assert d[named] in url


def test_read_and_unread_notifications_mix_and_read_after_creation(seeded, sql):
    notifications = _notifications(sql, seeded)
    read = [n for n in notifications if n["isRead"]]
    assert 0.3 < len(read) / len(notifications) < 0.9
    assert all(n["readAt"] is None for n in notifications if not n["isRead"])
    assert all(n["createdAt"] < n["readAt"] < ANCHOR_AT for n in read)


def test_appointment_reminders_are_high_priority_and_others_sensible(seeded, sql):
    for n in _notifications(sql, seeded):
        if n["type"] in ("APPOINTMENT_REMINDER", "PAYMENT_FAILED"):
            assert n["priority"] == "HIGH"
        elif n["type"] in ("THERAPIST_APPLICATION", "COMMUNITY_POST"):
            # staff: HIGH and unread while it waits for them (a pending application or report)
            assert n["priority"] == "NORMAL" or (n["priority"] == "HIGH" and not n["isRead"])
        else:
            assert n["priority"] in ("LOW", "NORMAL")


def test_message_notifications_are_read_only_once_the_user_answered(seeded, sql):
    answers = sql(seeded, """SELECT "conversationId", "senderId", "createdAt" FROM "Message" """)
    for n in _notifications(sql, seeded):
        if n["type"] != "MESSAGE_RECEIVED":
            continue
        (sent,) = sql(seeded, 'SELECT "createdAt" FROM "Message" WHERE id = :m',
                      m=n["data"]["messageId"])[0]
        later = [_ts(at) for cid, who, at in answers if cid == n["data"]["conversationId"]
                 and who == n["userId"] and _ts(at) > _ts(sent)]
        if n["isRead"]:
            assert later and n["readAt"] <= min(later)
        elif later:
            assert n["createdAt"] >= min(later)


def test_deleted_notification_is_planned_alone_and_restored_identically(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    (key,) = sql(url, 'SELECT max(id) FROM "Notification"')[0]
    sql(url, 'DELETE FROM "Notification" WHERE id = :k', k=key)
    plan = _plan(cli, url)
    assert [(c["action"], c["table"], c["pk"]) for c in plan["changes"]] == [
        ("create", "Notification", key)]
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_verify_reports_a_notification_about_someone_elses_row(dbs, cli, sql):
    url = dbs.seeded()
    (nid, owner) = sql(url, """SELECT id, "userId" FROM "Notification"
                               WHERE type = 'WORKSHEET_ASSIGNED' ORDER BY id""")[0]
    (other,) = sql(url, """SELECT min(id) FROM "User" WHERE role = 'client'
                           AND id != :o""", o=owner)[0]
    sql(url, 'UPDATE "Notification" SET "userId" = :u WHERE id = :n', u=other, n=nid)
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 1
    assert f"notification {nid}: WORKSHEET_ASSIGNED about a Worksheet that is not" in out
