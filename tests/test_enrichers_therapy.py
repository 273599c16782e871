"""Therapy data: worksheets, meetings and notes, reviews, payments, group sessions and rooms,
checked with SQL on the seeded database (medium profile, fixed anchor) on every backend."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from conftest import ANCHOR

from mentara_seed.enrichers.corpora import worksheets as worksheet_corpus

ANCHOR_AT = dt.datetime.fromisoformat(ANCHOR)
MANILA = dt.timedelta(hours=8)
ACTIVE_PAIRS = """SELECT ct."clientId", ct."therapistId", ct."assignedAt" FROM "ClientTherapist" ct
                  JOIN "Therapist" t ON t."userId" = ct."therapistId"
                  WHERE ct.status = 'active' AND t.status = 'APPROVED'"""
PAST, UPCOMING = {"COMPLETED", "CANCELLED", "NO_SHOW"}, {"SCHEDULED", "CONFIRMED", "WAITING"}


def _ts(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _list(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _rows(sql: Any, url: str, statement: str) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in sql(url, statement)]


def _counts(sql: Any, url: str, statement: str) -> Counter[Any]:
    return Counter({tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1] for r in sql(url, statement)})


def _plan(cli: Any, url: str) -> dict[str, Any]:
    code, out, err = cli("plan", "--database-url", url, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _meetings(sql: Any, url: str) -> list[dict[str, Any]]:
    rows = _rows(sql, url, 'SELECT * FROM "Meeting"')
    for m in rows:
        m["startTime"], m["endTime"] = _ts(m["startTime"]), _ts(m["endTime"])
        m["createdAt"], m["updatedAt"] = _ts(m["createdAt"]), _ts(m["updatedAt"])
    return rows


@pytest.fixture
def seeded(dbs: Any) -> str:
    return dbs.seeded()


# --- worksheets -----------------------------------------------------------------------------


def test_every_approved_therapist_with_clients_created_three_worksheets(seeded, sql):
    made = _counts(sql, seeded, 'SELECT "therapistId", count(*) FROM "Worksheet" '
                                'GROUP BY "therapistId"')
    therapists = {r[1] for r in sql(seeded, ACTIVE_PAIRS)}
    assert len(therapists) >= 9
    assert all(made[t] >= 3 for t in therapists)


def test_every_client_with_a_therapist_has_a_worksheet_from_that_therapist(seeded, sql):
    per_pair = _counts(sql, seeded, 'SELECT "clientId", "therapistId", count(*) '
                                    'FROM "Worksheet" GROUP BY "clientId", "therapistId"')
    pairs = [(c, t) for c, t, _ in sql(seeded, ACTIVE_PAIRS)]
    assert pairs and all(per_pair[p] >= 1 for p in pairs)


def test_worksheets_are_spread_over_the_therapists_clients(seeded, sql):
    clients = _counts(sql, seeded, 'SELECT "therapistId", count(*) FROM "ClientTherapist" '
                                   'GROUP BY "therapistId"')
    reached = _counts(sql, seeded, 'SELECT "therapistId", count(DISTINCT "clientId") '
                                   'FROM "Worksheet" GROUP BY "therapistId"')
    assert all(reached[t] == n for t, n in clients.items())


def test_worksheets_go_only_to_the_therapists_own_clients(seeded, sql):
    strays = sql(seeded, """SELECT w.id FROM "Worksheet" w LEFT JOIN "ClientTherapist" ct
                            ON ct."clientId" = w."clientId" AND ct."therapistId" = w."therapistId"
                            WHERE ct.id IS NULL""")
    assert strays == []


def test_worksheet_titles_and_instructions_come_from_the_corpus_distinct_per_client(seeded, sql):
    corpus = {title: text for title, text, _ in worksheet_corpus.WORKSHEETS}
    rows = _rows(sql, seeded, 'SELECT "clientId", "therapistId", title, instructions, '
                              '"materialUrls", "materialNames" FROM "Worksheet"')
    assert all(corpus[w["title"]] == w["instructions"] for w in rows)
    per_pair = Counter((w["clientId"], w["therapistId"], w["title"]) for w in rows)
    assert max(per_pair.values()) == 1
    assert all(len(_list(w["materialUrls"])) == len(_list(w["materialNames"])) for w in rows)
    assert any(_list(w["materialUrls"]) for w in rows)


def test_submitted_and_reviewed_worksheets_were_submitted_after_assignment_before_anchor(
        seeded, sql):
    rows = _rows(sql, seeded, """SELECT w.status, w."createdAt", s."submittedAt", s.feedback
                                 FROM "Worksheet" w LEFT JOIN "WorksheetSubmission" s
                                 ON s."worksheetId" = w.id""")
    done = [r for r in rows if r["status"] in ("SUBMITTED", "REVIEWED")]
    assert done and all(r["submittedAt"] is not None for r in done)
    assert all(_ts(r["createdAt"]) < _ts(r["submittedAt"]) < ANCHOR_AT for r in done)
    assert all(bool(r["feedback"]) == (r["status"] == "REVIEWED") for r in done)


def test_overdue_worksheets_were_due_before_the_anchor_and_never_submitted(seeded, sql):
    rows = _rows(sql, seeded, """SELECT w."dueDate", s.id AS sub FROM "Worksheet" w
                                 LEFT JOIN "WorksheetSubmission" s ON s."worksheetId" = w.id
                                 WHERE w.status = 'OVERDUE'""")
    assert rows and all(_ts(r["dueDate"]) < ANCHOR_AT and r["sub"] is None for r in rows)


def test_assigned_worksheets_are_due_after_the_anchor_and_not_submitted(seeded, sql):
    rows = _rows(sql, seeded, """SELECT w."dueDate", w."createdAt", s.id AS sub
                                 FROM "Worksheet" w
                                 LEFT JOIN "WorksheetSubmission" s ON s."worksheetId" = w.id
                                 WHERE w.status = 'ASSIGNED'""")
    assert rows and all(_ts(r["dueDate"]) >= ANCHOR_AT and r["sub"] is None for r in rows)
    assert all(_ts(r["createdAt"]) < ANCHOR_AT for r in rows)


def test_submission_files_have_matching_urls_names_and_sizes(seeded, sql):
    rows = _rows(sql, seeded, 'SELECT "worksheetId", "fileUrls", "fileNames", "fileSizes" '
                              'FROM "WorksheetSubmission"')
    assert rows
    for r in rows:
        urls, names, sizes = (_list(r[k]) for k in ("fileUrls", "fileNames", "fileSizes"))
        assert 1 <= len(urls) == len(names) == len(sizes) <= 3
        assert all(u.startswith("https://") and u.endswith("/" + n) and r["worksheetId"] in u
                   for u, n in zip(urls, names, strict=True))
        assert all(re.fullmatch(r"[\w.-]+\.(pdf|jpg|png|docx)", n) for n in names)
        assert all(10_000 <= s <= 5_000_000 for s in sizes)


# --- meetings -------------------------------------------------------------------------------


def test_every_active_relationship_has_three_meetings(seeded, sql):
    per_pair = Counter((m["clientId"], m["therapistId"]) for m in _meetings(sql, seeded))
    pairs = [(c, t) for c, t, _ in sql(seeded, ACTIVE_PAIRS)]
    assert pairs and all(per_pair[p] >= 3 for p in pairs)


def test_every_therapist_with_clients_has_four_meetings_and_two_session_notes(seeded, sql):
    meetings = Counter(m["therapistId"] for m in _meetings(sql, seeded))
    notes = _counts(sql, seeded, """SELECT m."therapistId", count(*) FROM "MeetingNotes" n
                                    JOIN "Meeting" m ON m.id = n."meetingId"
                                    GROUP BY m."therapistId" """)
    therapists = {t for _, t, _ in sql(seeded, ACTIVE_PAIRS)}
    assert all(meetings[t] >= 4 and notes[t] >= 2 for t in therapists)


def test_meeting_status_agrees_with_its_time_and_the_anchor(seeded, sql):
    meetings = _meetings(sql, seeded)
    for m in meetings:
        if m["status"] in PAST:
            assert m["endTime"] <= ANCHOR_AT, m
        elif m["status"] == "IN_PROGRESS":
            assert m["startTime"] <= ANCHOR_AT < m["endTime"], m
        else:
            assert m["status"] in UPCOMING and m["startTime"] > ANCHOR_AT, m
    statuses = Counter(m["status"] for m in meetings)
    assert statuses["COMPLETED"] > len(meetings) / 2
    assert statuses["IN_PROGRESS"] >= 1 and statuses["CANCELLED"] + statuses["NO_SHOW"] >= 1
    assert sum(statuses[s] for s in UPCOMING) >= 5


def test_meetings_fall_on_weekdays_inside_the_therapists_available_hours(seeded, sql):
    hours: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for tid, day, start, end in sql(seeded, 'SELECT "therapistId", "dayOfWeek", "startTime", '
                                            '"endTime" FROM "TherapistAvailability"'):
        hours.setdefault((tid, int(day)), []).append((start, end))
    for m in _meetings(sql, seeded):
        local_start, local_end = m["startTime"] + MANILA, m["endTime"] + MANILA
        assert local_start.isoweekday() <= 5, m
        if m["status"] == "IN_PROGRESS":
            continue
        windows = hours[(m["therapistId"], local_start.isoweekday() % 7)]
        assert any(s <= local_start.strftime("%H:%M") and local_end.strftime("%H:%M") <= e
                   and local_start.date() == local_end.date() for s, e in windows), m


def test_meetings_last_a_standard_duration_and_end_accordingly(seeded, sql):
    for m in _meetings(sql, seeded):
        assert m["duration"] in (30, 45, 60, 90)
        assert m["endTime"] - m["startTime"] == dt.timedelta(minutes=m["duration"])


def test_no_two_meetings_of_a_therapist_or_a_client_overlap(seeded, sql):
    meetings = _meetings(sql, seeded)
    for person in ("therapistId", "clientId"):
        by_person: dict[str, list[dict[str, Any]]] = {}
        for m in meetings:
            by_person.setdefault(m[person], []).append(m)
        for mine in by_person.values():
            mine.sort(key=lambda m: m["startTime"])
            assert all(b["startTime"] >= a["endTime"]
                       for a, b in zip(mine, mine[1:], strict=False))


def test_completed_meetings_have_soap_notes_named_after_them_written_after_they_ended(
        seeded, sql):
    meetings = {m["id"]: m for m in _meetings(sql, seeded)}
    notes = _rows(sql, seeded, 'SELECT id, "meetingId", notes, "createdAt" FROM "MeetingNotes"')
    noted = {n["meetingId"] for n in notes}
    assert {i for i, m in meetings.items() if m["status"] == "COMPLETED"} == noted
    for n in notes:
        meeting = meetings[n["meetingId"]]
        assert n["id"] == f"{meeting['id']}-notes"
        assert meeting["endTime"] < _ts(n["createdAt"]) <= ANCHOR_AT
        assert [line.split(":")[0] for line in n["notes"].splitlines()] == [
            "Subjective", "Objective", "Assessment", "Plan"]


def test_video_meetings_have_a_link_and_in_person_ones_none(seeded, sql):
    meetings = _meetings(sql, seeded)
    assert {m["meetingType"] for m in meetings} == {"video", "in-person"}
    for m in meetings:
        assert (m["meetingUrl"] is not None) == (m["meetingType"] == "video")
        assert m["meetingUrl"] is None or m["meetingUrl"].endswith(m["id"])


def test_meetings_are_booked_after_the_relationship_began_and_before_they_start(seeded, sql):
    began = {(c, t): _ts(a) for c, t, a in sql(seeded, ACTIVE_PAIRS)}
    for m in _meetings(sql, seeded):
        start = began[(m["clientId"], m["therapistId"])]
        assert start <= m["createdAt"] < min(m["startTime"], ANCHOR_AT), m
        assert m["createdAt"] <= m["updatedAt"] <= max(m["endTime"] + dt.timedelta(hours=1),
                                                       ANCHOR_AT)


# --- reviews --------------------------------------------------------------------------------


def test_about_thirty_percent_of_completed_meetings_are_reviewed(seeded, sql):
    rows = sql(seeded, """SELECT m."therapistId", count(m.id), count(r.id) FROM "Meeting" m
                          LEFT JOIN "Review" r ON r."meetingId" = m.id
                          WHERE m.status = 'COMPLETED' GROUP BY m."therapistId" """)
    assert all(reviewed == max(1, int(0.3 * done + 0.5)) for _, done, reviewed in rows)
    share = sum(r[2] for r in rows) / sum(r[1] for r in rows)
    assert 0.25 <= share <= 0.45


def test_every_approved_therapist_with_a_completed_meeting_has_a_review(seeded, sql):
    therapists = {r[0] for r in sql(seeded, """SELECT DISTINCT m."therapistId" FROM "Meeting" m
                  JOIN "Therapist" t ON t."userId" = m."therapistId"
                  WHERE m.status = 'COMPLETED' AND t.status = 'APPROVED'""")}
    reviewed = {r[0] for r in sql(seeded, 'SELECT "therapistId" FROM "Review"')}
    assert therapists and therapists <= reviewed


def test_ratings_are_mostly_four_or_five(seeded, sql):
    ratings = Counter(r[0] for r in sql(seeded, 'SELECT rating FROM "Review"'))
    assert set(ratings) <= {1, 2, 3, 4, 5}
    assert ratings[4] + ratings[5] >= 0.75 * sum(ratings.values())


def test_reviews_are_for_a_completed_meeting_of_the_same_pair_written_after_it_ended(
        seeded, sql):
    rows = _rows(sql, seeded, """SELECT r."createdAt", r."clientId" = m."clientId" AS client,
                                        r."therapistId" = m."therapistId" AS therapist,
                                        m.status, m."endTime", r.content, r."isVerified"
                                 FROM "Review" r JOIN "Meeting" m ON m.id = r."meetingId" """)
    total = sql(seeded, 'SELECT count(*) FROM "Review"')[0][0]
    assert len(rows) == total > 0
    for r in rows:
        assert r["client"] and r["therapist"] and r["status"] == "COMPLETED" and r["content"]
        assert _ts(r["endTime"]) < _ts(r["createdAt"]) <= ANCHOR_AT


def test_reviews_are_unique_per_client_therapist_and_meeting(seeded, sql):
    dupes = sql(seeded, """SELECT "clientId", "therapistId", "meetingId" FROM "Review"
                           GROUP BY "clientId", "therapistId", "meetingId"
                           HAVING count(*) > 1""")
    assert dupes == []


# --- payments -------------------------------------------------------------------------------


def test_every_completed_meeting_is_paid_and_only_those(seeded, sql):
    rows = sql(seeded, """SELECT m.id, m.status, count(p.id) FROM "Meeting" m
                          LEFT JOIN "Payment" p ON p."meetingId" = m.id
                            AND p.status IN ('COMPLETED', 'REFUNDED')
                          GROUP BY m.id, m.status""")
    assert all((paid == 1) == (status == "COMPLETED") for _, status, paid in rows)


def test_payments_are_in_pesos_at_the_therapists_hourly_rate(seeded, sql):
    rows = sql(seeded, """SELECT p.amount, p.currency, t."hourlyRate", m.duration
                          FROM "Payment" p JOIN "Meeting" m ON m.id = p."meetingId"
                          JOIN "Therapist" t ON t."userId" = m."therapistId" """)
    assert rows
    for amount, currency, rate, minutes in rows:
        want = (Decimal(str(rate)) * minutes / 60).quantize(Decimal("0.01"))
        assert currency == "PHP" and Decimal(str(amount)).quantize(Decimal("0.01")) == want


def test_payments_mostly_complete_and_failed_attempts_precede_a_success(seeded, sql):
    rows = _rows(sql, seeded, 'SELECT * FROM "Payment"')
    statuses = Counter(p["status"] for p in rows)
    assert statuses["COMPLETED"] > 0.8 * len(rows) and statuses["FAILED"] >= 1
    assert statuses["REFUNDED"] >= 1 and statuses["PENDING"] == 0
    by_meeting: dict[str, list[dict[str, Any]]] = {}
    for p in rows:
        by_meeting.setdefault(p["meetingId"], []).append(p)
        if p["status"] == "FAILED":
            assert p["failedAt"] and p["failureReason"] and p["processedAt"] is None
        else:
            assert p["processedAt"] and p["failedAt"] is None
    for attempts in by_meeting.values():
        attempts.sort(key=lambda p: _ts(p["createdAt"]))
        assert [p["status"] for p in attempts][-1] in ("COMPLETED", "REFUNDED")


def test_payments_are_processed_after_the_meeting_ended_and_before_the_anchor(seeded, sql):
    rows = sql(seeded, """SELECT m."endTime", p."createdAt", p."processedAt", p."failedAt",
                                 p."updatedAt" FROM "Payment" p
                          JOIN "Meeting" m ON m.id = p."meetingId" """)
    for end, created, processed, failed, updated in rows:
        done = _ts(processed or failed)
        assert _ts(end) < _ts(created) <= done <= _ts(updated) <= ANCHOR_AT


def test_paying_clients_have_one_default_method_and_pay_with_their_own(seeded, sql):
    payers = {r[0] for r in sql(seeded, 'SELECT DISTINCT "clientId" FROM "Payment"')}
    defaults = _counts(sql, seeded, 'SELECT "userId", sum(CASE WHEN "isDefault" THEN 1 ELSE 0 '
                                    'END) FROM "PaymentMethod" GROUP BY "userId"')
    assert payers and all(defaults[c] == 1 for c in payers)
    foreign = sql(seeded, """SELECT p.id FROM "Payment" p
                             JOIN "PaymentMethod" pm ON pm.id = p."paymentMethodId"
                             WHERE pm."userId" <> p."clientId" OR p."paymentMethodId" IS NULL""")
    assert foreign == []


def test_payment_methods_have_the_details_of_their_type(seeded, sql):
    methods = _rows(sql, seeded, 'SELECT * FROM "PaymentMethod"')
    first_use = {r[0]: _ts(r[1]) for r in sql(seeded, 'SELECT "paymentMethodId", '
                                                      'min("createdAt") FROM "Payment" '
                                                      'GROUP BY "paymentMethodId"')}
    assert {"CARD", "GCASH", "MAYA"} <= {m["type"] for m in methods}
    for m in methods:
        kind = m["type"]
        if kind == "CARD":
            assert re.fullmatch(r"[\d*]{4} \*{4} \*{4} \d{4}", m["cardNumber"])
            assert m["cardNumber"].endswith(m["cardLast4"]) and m["cardBrand"]
            assert m["expiryYear"] > ANCHOR_AT.year and 1 <= m["expiryMonth"] <= 12
        elif kind in ("GCASH", "MAYA"):
            number = m["gcashNumber"] if kind == "GCASH" else m["mayaNumber"]
            assert re.fullmatch(r"09\d{9}", number)
        elif kind == "BANK_ACCOUNT":
            assert m["bankName"] and re.fullmatch(r"\d{4}", m["accountLast4"])
        else:
            assert kind == "INSURANCE" and m["insuranceProviderName"] and m["policyNumber"]
        assert _ts(m["createdAt"]) < first_use.get(m["id"], ANCHOR_AT)


# --- group sessions -------------------------------------------------------------------------

SESSION_MEMBERS = """SELECT s.id, s."communityId", s."createdById", t.status,
                            mb."userId" IS NOT NULL AS member
                     FROM "GroupTherapySessions" s
                     LEFT JOIN "Therapist" t ON t."userId" = s."createdById"
                     LEFT JOIN "Membership" mb ON mb."userId" = s."createdById"
                          AND mb."communityId" = s."communityId" """


def test_every_community_with_a_therapist_member_hosts_two_group_sessions(seeded, sql):
    hosting = {r[0] for r in sql(seeded, """SELECT DISTINCT mb."communityId" FROM "Membership" mb
               JOIN "Therapist" t ON t."userId" = mb."userId" WHERE t.status = 'APPROVED'""")}
    sessions = _counts(sql, seeded, 'SELECT "communityId", count(*) FROM "GroupTherapySessions" '
                                    'GROUP BY "communityId"')
    assert hosting and all(sessions[c] >= 2 for c in hosting)


def test_group_sessions_are_created_by_an_approved_therapist_of_the_community(seeded, sql):
    rows = sql(seeded, SESSION_MEMBERS)
    assert rows and all(status == "APPROVED" and member for _, _, _, status, member in rows)


def test_group_sessions_invite_two_or_three_therapists_with_the_creator_accepted(seeded, sql):
    rows = _rows(sql, seeded, """SELECT s.id, s."createdById", i."therapistId", i.status,
                                        i."invitedAt", i."respondedAt", s."createdAt"
                                 FROM "GroupTherapySessions" s JOIN
                                 "GroupSessionTherapistInvitations" i ON i."sessionId" = s.id""")
    per_session = Counter(r["id"] for r in rows)
    assert per_session and set(per_session.values()) <= {2, 3}
    creators = [r for r in rows if r["therapistId"] == r["createdById"]]
    assert len(creators) == len(per_session)
    assert all(r["status"] == "ACCEPTED" for r in creators)
    for r in rows:
        assert _ts(r["createdAt"]) <= _ts(r["invitedAt"]) <= ANCHOR_AT
        assert (r["respondedAt"] is None) == (r["status"] == "PENDING")


def test_group_session_participants_are_three_to_eight_community_members(seeded, sql):
    rows = _rows(sql, seeded, """SELECT p."sessionId", s."maxParticipants", p."joinedAt",
                                        mb."joinedAt" AS member_since
                                 FROM "GroupSessionParticipants" p
                                 JOIN "GroupTherapySessions" s ON s.id = p."sessionId"
                                 LEFT JOIN "Membership" mb ON mb."userId" = p."userId"
                                      AND mb."communityId" = s."communityId" """)
    per_session = Counter(r["sessionId"] for r in rows)
    limit = {r["sessionId"]: r["maxParticipants"] for r in rows}
    assert per_session and all(3 <= n <= min(8, limit[s]) for s, n in per_session.items())
    assert all(r["member_since"] is not None for r in rows)
    assert all(_ts(r["member_since"]) <= _ts(r["joinedAt"]) < ANCHOR_AT for r in rows)


def test_group_session_status_agrees_with_its_schedule(seeded, sql):
    rows = _rows(sql, seeded, 'SELECT * FROM "GroupTherapySessions"')
    statuses = Counter(r["status"] for r in rows)
    assert statuses["COMPLETED"] and statuses["APPROVED"] and statuses["CANCELLED"]
    for s in rows:
        at, created = _ts(s["scheduledAt"]), _ts(s["createdAt"])
        assert created < min(at, ANCHOR_AT)
        if s["status"] == "COMPLETED":
            assert _ts(s["completedAt"]) == at + dt.timedelta(minutes=s["duration"]) < ANCHOR_AT
        elif s["status"] == "APPROVED":
            assert at > ANCHOR_AT and s["completedAt"] is None and s["cancelledAt"] is None
        else:
            assert s["status"] == "CANCELLED" and s["cancellationReason"]
            assert created <= _ts(s["cancelledAt"]) < min(at, ANCHOR_AT)
        assert (s["virtualLink"] is None) == (s["sessionType"] == "IN_PERSON")


def test_participant_attendance_agrees_with_the_session_status(seeded, sql):
    pairs = set(sql(seeded, """SELECT DISTINCT s.status, p."attendanceStatus"
                               FROM "GroupSessionParticipants" p
                               JOIN "GroupTherapySessions" s ON s.id = p."sessionId" """))
    allowed = {("COMPLETED", "ATTENDED"), ("COMPLETED", "NO_SHOW"),
               ("APPROVED", "REGISTERED"), ("CANCELLED", "CANCELLED")}
    assert pairs <= allowed and ("COMPLETED", "ATTENDED") in pairs


def test_group_therapy_rows_have_cuid_ids(seeded, sql):
    for table in ("GroupTherapySessions", "GroupSessionTherapistInvitations",
                  "GroupSessionParticipants"):
        ids = [r[0] for r in sql(seeded, f'SELECT id FROM "{table}"')]
        assert ids and all(re.fullmatch(r"c[0-9a-z]{24}", i) for i in ids)


# --- rooms ----------------------------------------------------------------------------------


def test_every_room_group_has_a_room(seeded, sql):
    empty = sql(seeded, """SELECT g.id FROM "RoomGroup" g
                           LEFT JOIN "Room" r ON r."roomGroupId" = g.id WHERE r.id IS NULL""")
    assert empty == []


def test_communities_hosting_sessions_have_a_group_sessions_room_per_open_session(seeded, sql):
    rooms = {(r[0], r[1]): r[2] for r in sql(seeded, """SELECT g."communityId", r.name,
             r."postingRole" FROM "Room" r JOIN "RoomGroup" g ON g.id = r."roomGroupId"
             WHERE g.name = 'Group Sessions'""")}
    sessions = sql(seeded, 'SELECT "communityId", title, status FROM "GroupTherapySessions"')
    assert rooms and {c for c, _, _ in sessions} == {c for c, _ in rooms}
    for community, title, status in sessions:
        assert ((community, title) in rooms) == (status == "APPROVED")
    assert {role for (_, name), role in rooms.items() if name != "General"} == {"therapist"}


def test_rooms_do_not_duplicate_the_community_layout(seeded, sql):
    groups = Counter(sql(seeded, 'SELECT "communityId", name FROM "RoomGroup"'))
    assert max(groups.values()) == 1
    names = Counter(name for _, name in groups)
    communities = sql(seeded, 'SELECT count(*) FROM "Community"')[0][0]
    hosting = sql(seeded, 'SELECT count(DISTINCT "communityId") FROM "GroupTherapySessions"')[0][0]
    assert names["Welcome"] == names["Support"] == communities
    assert names["Group Sessions"] == hosting > 0


# --- idempotency ----------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "where"), [
    ("MeetingNotes", "1 = 1"),
    ("Worksheet", "status = 'ASSIGNED'"),
])
def test_deleted_row_is_recreated_identically(dbs, cli, sql, table, where):
    url = dbs.seeded()
    pk = sorted(r[0] for r in sql(url, f'SELECT id FROM "{table}" WHERE {where}'))[0]
    before = _rows(sql, url, f'SELECT * FROM "{table}" ORDER BY id')
    sql(url, f'DELETE FROM "{table}" WHERE id = :pk', pk=pk)
    changes = _plan(cli, url)["changes"]
    assert [(c["action"], c["table"], c["pk"]) for c in changes] == [("create", table, pk)]
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _rows(sql, url, f'SELECT * FROM "{table}" ORDER BY id') == before
    assert _plan(cli, url)["changes"] == []


FOREIGN_ROWS = (
    """INSERT INTO "Meeting" (id, "startTime", "endTime", duration, status, "meetingType",
           "meetingUrl", "clientId", "therapistId", "createdAt", "updatedAt")
       SELECT 'app-meeting', '2026-11-03 02:00:00', '2026-11-03 03:00:00', 60, 'COMPLETED',
           'video', 'https://meet.example/app', "clientId", "therapistId",
           '2026-11-01 00:00:00', '2026-11-03 03:00:00'
       FROM "ClientTherapist" WHERE "therapistId" = 'dev_therapist_1'
           AND "clientId" = 'dev_client_1'""",
    """INSERT INTO "Worksheet" (id, "clientId", "therapistId", title, instructions, "dueDate",
           status, "createdAt", "updatedAt")
       SELECT 'app-worksheet', "clientId", "therapistId", 'Journal prompts', 'Answer daily.',
           '2026-11-10 15:59:00', 'SUBMITTED', '2026-11-01 00:00:00', '2026-11-05 00:00:00'
       FROM "ClientTherapist" WHERE "therapistId" = 'dev_therapist_1'
           AND "clientId" = 'dev_client_1'""",
    """INSERT INTO "GroupTherapySessions" (id, title, "communityId", "createdById",
           "sessionType", "scheduledAt", duration, "maxParticipants", status, "virtualLink",
           "createdAt", "updatedAt")
       SELECT 'app-session', 'Open mic night', m."communityId", m."userId", 'VIRTUAL',
           '2026-11-25 10:00:00', 60, 10, 'APPROVED', 'https://meet.example/group',
           '2026-11-01 00:00:00', '2026-11-01 00:00:00'
       FROM "Membership" m WHERE m."userId" = 'dev_therapist_1'
       ORDER BY m."communityId" LIMIT 1""",
    """INSERT INTO "RoomGroup" (id, name, "order", "communityId")
       SELECT 'app-group', 'Events', 9, id FROM "Community" WHERE slug = 'adhd-support'""",
)
MINE = {"Worksheet", "WorksheetSubmission", "Meeting", "MeetingNotes", "Review", "Payment",
        "PaymentMethod", "GroupTherapySessions", "GroupSessionTherapistInvitations",
        "GroupSessionParticipants", "Room", "RoomGroup"}


def test_foreign_rows_get_the_notes_submission_people_and_room_they_lack(dbs, cli, sql):
    url = dbs.seeded()
    for statement in FOREIGN_ROWS:
        sql(url, statement)
    targets = [a for e in ("worksheets", "reviews", "payments", "rooms") for a in ("-t", e)]
    code, out, err = cli("apply", "--database-url", url, *targets)
    assert "Apply complete" in out, out + err
    assert sql(url, """SELECT id FROM "MeetingNotes" WHERE "meetingId" = 'app-meeting'""") == [
        ("app-meeting-notes",)]
    assert sql(url, """SELECT count(*) FROM "Payment" WHERE "meetingId" = 'app-meeting'
                       AND status = 'COMPLETED'""")[0][0] == 1
    assert len(sql(url, """SELECT id FROM "WorksheetSubmission"
                           WHERE "worksheetId" = 'app-worksheet'""")) == 1
    invited = sql(url, """SELECT "therapistId", status FROM "GroupSessionTherapistInvitations"
                          WHERE "sessionId" = 'app-session'""")
    assert ("dev_therapist_1", "ACCEPTED") in invited and len(invited) in (2, 3)
    assert sql(url, """SELECT count(*) FROM "GroupSessionParticipants"
                       WHERE "sessionId" = 'app-session'""")[0][0] >= 3
    assert sql(url, """SELECT name, "order" FROM "Room"
                       WHERE "roomGroupId" = 'app-group'""") == [("General", 0)]
    assert [c for c in _plan(cli, url)["changes"] if c["table"] in MINE] == []
