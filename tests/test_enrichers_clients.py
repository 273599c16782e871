"""Client profile and intake enrichers: assessments, chatbot, client-preferences,
journal-entries, client-engagement and therapist-performance, checked with SQL on the seeded
database (medium profile, fixed anchor) on every backend."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from typing import Any

import pytest
from conftest import ANCHOR
from hypothesis import given
from hypothesis import strategies as st

from mentara_seed.enrichers import instruments

ANCHOR_AT = dt.datetime.fromisoformat(ANCHOR)

# The app's 201-item layout, written out here independently of the enricher's own table.
LAYOUT = (("Depression", 15), ("ADD / ADHD", 18), ("Substance or Alcohol Use Issues", 10),
          ("Binge eating / Eating disorders", 16), ("Drug Issues", 10), ("Anxiety", 7),
          ("Insomnia", 7), ("Burnout", 22), ("Bipolar disorder (BD)", 15),
          ("Obsessive compulsive disorder (OCD)", 18),
          ("Post-traumatic stress disorder (PTSD)", 20), ("Panic", 7),
          ("Depression Secondary", 9), ("Stress", 10), ("Social anxiety", 17))
# Standard bands of the best-known instruments (upper bound inclusive -> label).
STANDARD_BANDS = {
    "Depression Secondary": ((4, "Minimal"), (9, "Mild"), (14, "Moderate"),
                             (19, "Moderately Severe"), (27, "Severe")),  # PHQ-9
    "Anxiety": ((4, "Minimal"), (9, "Mild"), (14, "Moderate"), (21, "Severe")),  # GAD-7
    "Insomnia": ((7, "No Insomnia"), (14, "Subthreshold Insomnia"),
                 (21, "Moderate Insomnia"), (28, "Severe Insomnia")),  # ISI
    "Stress": ((13, "Low Stress"), (26, "Moderate Stress"), (40, "High Stress")),  # PSS-10
    "Post-traumatic stress disorder (PTSD)": ((32, "Below Threshold"),
                                              (80, "Probable PTSD")),  # PCL-5
    "Substance or Alcohol Use Issues": ((7, "Low Risk"), (15, "Hazardous"), (19, "Harmful"),
                                        (40, "Dependent")),  # AUDIT
}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _ts(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _blocks(answers: list[int]) -> dict[str, list[int]]:
    out, start = {}, 0
    for key, n in LAYOUT:
        out[key] = answers[start:start + n]
        start += n
    return out


def _assessments(sql: Any, url: str) -> list[dict[str, Any]]:
    rows = sql(url, """SELECT id, "clientId", answers, scores, "severityLevels", "aiEstimate",
                              "isProcessed", "processedAt", "createdAt", "assessmentMethod",
                              "chatbotSessionId" FROM "PreAssessment" ORDER BY id""")
    keys = ("id", "clientId", "answers", "scores", "levels", "ai", "processed", "processedAt",
            "createdAt", "method", "session")
    out = []
    for r in rows:
        row = dict(zip(keys, r, strict=True))
        for k in ("answers", "scores", "levels", "ai"):
            row[k] = _json(row[k])
        row["processedAt"], row["createdAt"] = _ts(row["processedAt"]), _ts(row["createdAt"])
        out.append(row)
    return out


def _sessions(sql: Any, url: str) -> dict[str, dict[str, Any]]:
    rows = sql(url, """SELECT id, "sessionId", "userId", "clientId", "startedAt",
                              "completedAt", "isComplete", "collectedAnswers",
                              "completionReason", "completionConfidence", "lastActivity"
                       FROM "ChatbotSession" ORDER BY id""")
    keys = ("id", "sessionId", "userId", "clientId", "startedAt", "completedAt", "isComplete",
            "collected", "reason", "confidence", "lastActivity")
    out = {}
    for r in rows:
        row = dict(zip(keys, r, strict=True))
        row["collected"] = _json(row["collected"])
        for k in ("startedAt", "completedAt", "lastActivity"):
            row[k] = _ts(row[k])
        out[row["id"]] = row
    return out


def _messages(sql: Any, url: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = sql(url, """SELECT "sessionId", role, "questionnaireContext", "extractedAnswer",
                              timestamp, id FROM "ChatbotMessage" """)
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for session, role, context, answer, stamp, mid in rows:
        out[session].append((_ts(stamp), mid, role, context, answer))
    return {k: sorted(v) for k, v in out.items()}


def _clients(sql: Any, url: str) -> list[str]:
    return [r[0] for r in sql(url, 'SELECT "userId" FROM "Client" ORDER BY "userId"')]


@pytest.fixture
def seeded(dbs: Any) -> str:
    return dbs.seeded()


# --- assessments ----------------------------------------------------------------------------


def test_every_client_has_a_processed_assessment_of_201_answers(seeded, sql):
    rows = _assessments(sql, seeded)
    done = Counter(r["clientId"] for r in rows if r["processed"])
    assert all(done[c] >= 1 for c in _clients(sql, seeded))
    for r in rows:
        assert len(r["answers"]) == 201 and all(isinstance(a, int) for a in r["answers"])
        assert r["processedAt"] is not None and r["processedAt"] >= r["createdAt"]
        assert r["createdAt"] < ANCHOR_AT


def test_scores_are_each_questionnaires_sum_of_answers(seeded, sql):
    for r in _assessments(sql, seeded):
        blocks = _blocks(r["answers"])
        assert set(r["scores"]) == set(blocks)
        for key, values in blocks.items():
            if key == "Bipolar disorder (BD)":  # MDQ: a screen, 1 when all three criteria hold
                positive = sum(values[:13]) >= 7 and values[13] == 1 and values[14] >= 2
                assert r["scores"][key] == int(positive)
            else:
                assert r["scores"][key] == sum(values), key


def test_answers_stay_in_each_instruments_range(seeded, sql):
    tops = {"Burnout": 6, "Drug Issues": 1, "Depression Secondary": 3, "Anxiety": 3,
            "Depression": 3, "Binge eating / Eating disorders": 3}
    for r in _assessments(sql, seeded):
        for key, values in _blocks(r["answers"]).items():
            top = 1 if key == "Bipolar disorder (BD)" else tops.get(key, 4)
            limit = values[:-1] if key == "Bipolar disorder (BD)" else values
            assert all(0 <= v <= top for v in limit), key


def test_severity_levels_follow_the_standard_bands(seeded, sql):
    for r in _assessments(sql, seeded):
        for key, bands in STANDARD_BANDS.items():
            label = next(lab for top, lab in bands if r["scores"][key] <= top)
            assert r["levels"][key] == label, key
        assert r["levels"] == instruments.evaluate(r["answers"])[1]


def test_ai_estimate_ranks_the_most_severe_conditions(seeded, sql):
    for r in _assessments(sql, seeded):
        weights = instruments.evaluate(r["answers"])[2]
        top = r["ai"]["top_conditions"]
        names = [t["condition"] for t in top]
        assert len(top) == 3
        assert min(weights[n] for n in names) >= max(w for k, w in weights.items()
                                                     if k not in names)
        assert [t["probability"] for t in top] == sorted((t["probability"] for t in top),
                                                         reverse=True)
        assert all(abs(t["probability"] - weights[t["condition"]]) <= 0.05 + 1e-9 for t in top)
        assert all(t["severity"] == r["levels"][t["condition"]] for t in top)
        assert 0 < r["ai"]["confidence"] < 1 and "therapy_sessions" in r["ai"]["recommendations"]


def test_clients_have_different_profiles(seeded, sql):
    rows = _assessments(sql, seeded)
    phq9 = Counter(r["levels"]["Depression Secondary"] for r in rows)
    assert len(phq9) >= 3
    assert any(r["scores"]["Depression Secondary"] >= 15 for r in rows)  # some severe depression
    assert any(r["scores"]["Anxiety"] >= 10 and r["scores"]["Anxiety"] * 9 / 7
               > r["scores"]["Depression Secondary"] for r in rows)  # some anxiety-dominant
    assert sum(r["scores"]["Depression Secondary"] < 10 and r["scores"]["Anxiety"] < 10
               for r in rows) >= len(rows) // 3  # and many mostly mild
    assert len({tuple(r["answers"]) for r in rows}) == len(rows)


def test_chat_assessments_link_a_completed_session_of_the_same_client(seeded, sql):
    rows = _assessments(sql, seeded)
    sessions = _sessions(sql, seeded)
    methods = Counter(r["method"] for r in rows)
    assert methods["CHECKLIST"] > methods["CHATBOT"] + methods["HYBRID"] > 0
    linked = [r["session"] for r in rows if r["session"]]
    assert len(linked) == len(set(linked))
    for r in rows:
        assert (r["session"] is None) == (r["method"] == "CHECKLIST")
        if r["session"]:
            s = sessions[r["session"]]
            assert s["clientId"] == r["clientId"] and s["isComplete"]
            assert s["completedAt"] <= r["createdAt"]


def test_chat_assessment_answers_contain_the_chats_collected_answers(seeded, sql):
    sessions = _sessions(sql, seeded)
    checked = 0
    for r in _assessments(sql, seeded):
        if r["session"]:
            blocks = _blocks(r["answers"])
            for key, values in sessions[r["session"]]["collected"].items():
                assert blocks[key] == values
                checked += 1
    assert checked


# --- chatbot --------------------------------------------------------------------------------


def test_about_a_third_of_clients_had_one_or_two_intake_chats(seeded, sql):
    clients = _clients(sql, seeded)
    per_client = Counter(s["clientId"] for s in _sessions(sql, seeded).values())
    assert len(per_client) == math.ceil(0.33 * len(clients))
    assert set(per_client.values()) <= {1, 2} and "dev_client_1" in per_client


def test_chat_turns_alternate_after_the_system_prompt(seeded, sql):
    sessions = _sessions(sql, seeded)
    messages = _messages(sql, seeded)
    assert set(messages) == set(sessions)
    for sid, turns in messages.items():
        roles = [t[2] for t in turns]
        assert roles[0] == "SYSTEM" and roles[-1] == "ASSISTANT"
        assert roles[1:] == ["ASSISTANT" if i % 2 == 0 else "USER" for i in range(len(roles) - 1)]
        stamps = [t[0] for t in turns]
        assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
        assert sessions[sid]["startedAt"] <= stamps[0]
        assert stamps[-1] == sessions[sid]["completedAt"] == sessions[sid]["lastActivity"]
        assert all((t[4] is not None) == (t[2] == "USER") for t in turns)


def test_collected_answers_are_the_answers_extracted_from_user_turns(seeded, sql):
    sessions = _sessions(sql, seeded)
    for sid, turns in _messages(sql, seeded).items():
        extracted: dict[str, list[int]] = defaultdict(list)
        for _, _, role, context, answer in turns:
            if role == "USER":
                extracted[context].append(answer)
        assert extracted == sessions[sid]["collected"]
        for key, values in extracted.items():
            assert len(values) == dict(LAYOUT)[key]


def test_completed_sessions_record_how_they_ended(seeded, sql):
    for s in _sessions(sql, seeded).values():
        assert s["isComplete"] and s["completedAt"] > s["startedAt"]
        assert s["reason"] in ("all_questionnaires_completed", "follow_up_completed")
        assert 0 <= s["confidence"] <= 1
        assert s["userId"] == s["clientId"]
        assert s["sessionId"].startswith(f"chatbot_{s['clientId']}_")
        assert s["completedAt"] < ANCHOR_AT


# --- preferences and journal ----------------------------------------------------------------


def test_most_clients_have_one_preferences_row_with_listed_values(seeded, sql):
    clients = _clients(sql, seeded)
    rows = sql(seeded, """SELECT "clientId", "genderPreference", "agePreference",
                                 "sessionFormat", "sessionFrequency", "budgetRange",
                                 "availabilityPreference" FROM "ClientPreferences" """)
    assert len(rows) == len({r[0] for r in rows}) == math.ceil(0.8 * len(clients))
    allowed = ({"no-preference", "male", "female", "non-binary"},
               {"no-preference", "younger", "similar", "older"},
               {"in-person", "video", "phone", "no-preference"},
               {"weekly", "bi-weekly", "monthly", "as-needed"},
               {"under-100", "100-150", "150-200", "200-plus", "insurance"})
    for row in rows:
        assert all(v in ok for v, ok in zip(row[1:6], allowed, strict=True))
        slots = _json(row[6])
        assert slots and set(slots) <= {"morning", "afternoon", "evening", "weekends",
                                        "weekdays"}


def test_journal_entries_are_few_recent_and_written_by_clients(seeded, sql):
    rows = sql(seeded, """SELECT j."userId", u.role, j.content, j."createdAt", j."updatedAt",
                                 u."createdAt" FROM "JournalEntry" j
                          JOIN "User" u ON u.id = j."userId" """)
    assert rows
    per_user = Counter(r[0] for r in rows)
    assert max(per_user.values()) <= 6
    for _, role, content, created, updated, joined in rows:
        created, updated = _ts(created), _ts(updated)
        assert role == "client" and content.strip()
        assert ANCHOR_AT - dt.timedelta(days=60) <= created < ANCHOR_AT
        assert created >= _ts(joined) and updated >= created
        assert len(content) < 400
    texts = defaultdict(list)
    for r in rows:
        texts[r[0]].append(r[2])
    assert all(len(v) == len(set(v)) for v in texts.values())


# --- engagement and performance ------------------------------------------------------------


def _engagement(sql: Any, url: str) -> dict[str, dict[str, Any]]:
    rows = sql(url, """SELECT "clientId", "journalEntryCount", "worksheetCompletionRate",
                              "meetingAttendanceRate", "averageSessionRating",
                              "engagementTrend", "loginFrequency", "platformUsageScore",
                              "lastCalculatedAt" FROM "ClientEngagement" """)
    keys = ("journal", "worksheets", "attendance", "rating", "trend", "logins", "usage", "at")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def _by_key(rows: list[Any]) -> dict[Any, tuple[Any, ...]]:
    return {r[0]: tuple(r[1:]) for r in rows}


def test_every_client_has_one_engagement_row_calculated_at_the_anchor(seeded, sql):
    rows = _engagement(sql, seeded)
    assert sorted(rows) == _clients(sql, seeded)
    for row in rows.values():
        assert _ts(row["at"]) == ANCHOR_AT
        assert 0 <= row["usage"] <= 1 and 1 <= row["logins"] <= 14
        assert row["trend"] in ("increasing", "stable", "decreasing")


def test_engagement_agrees_with_the_clients_journal_worksheets_meetings_and_reviews(seeded,
                                                                                     sql):
    journal = _by_key(sql(seeded, '''SELECT "userId", count(*) FROM "JournalEntry"
                                     GROUP BY "userId"'''))
    worksheets = _by_key(sql(seeded, '''SELECT w."clientId", count(*), count(s.id)
                                        FROM "Worksheet" w LEFT JOIN "WorksheetSubmission" s
                                        ON s."worksheetId" = w.id GROUP BY w."clientId"'''))
    meetings = _by_key(sql(seeded, '''SELECT "clientId",
                                      sum(CASE WHEN status = 'COMPLETED' THEN 1 ELSE 0 END),
                                      sum(CASE WHEN status = 'NO_SHOW' THEN 1 ELSE 0 END)
                                      FROM "Meeting" GROUP BY "clientId"'''))
    ratings = _by_key(sql(seeded, '''SELECT "clientId", avg(rating) FROM "Review"
                                     GROUP BY "clientId"'''))
    rows = _engagement(sql, seeded)
    assert any(r["rating"] is not None for r in rows.values())
    assert any(0 < r["worksheets"] < 1 for r in rows.values())
    for client, row in rows.items():
        assert row["journal"] == journal.get(client, (0,))[0]
        assigned, submitted = worksheets.get(client, (0, 0))
        assert row["worksheets"] == pytest.approx(submitted / assigned if assigned else 0,
                                                  abs=1e-3)
        done, missed = meetings.get(client, (0, 0))
        assert row["attendance"] == pytest.approx(done / (done + missed) if done + missed
                                                  else 0, abs=1e-3)
        mean = ratings.get(client, (None,))[0]
        assert (row["rating"] is None) == (mean is None)
        if mean is not None:
            assert row["rating"] == pytest.approx(float(mean), abs=0.01)


def test_engagement_trend_compares_the_last_30_days_with_the_30_before(seeded, sql):
    events: dict[str, list[dt.datetime]] = defaultdict(list)
    for client, at in sql(seeded, 'SELECT "userId", "createdAt" FROM "JournalEntry"'):
        events[client].append(_ts(at))
    for client, at in sql(seeded, '''SELECT w."clientId", s."submittedAt" FROM "Worksheet" w
                                     JOIN "WorksheetSubmission" s ON s."worksheetId" = w.id'''):
        events[client].append(_ts(at))
    for client, at in sql(seeded, """SELECT "clientId", "startTime" FROM "Meeting"
                                     WHERE status = 'COMPLETED'"""):
        events[client].append(_ts(at))
    month = dt.timedelta(days=30)
    trends = Counter()
    for client, row in _engagement(sql, seeded).items():
        recent = sum(ANCHOR_AT - month <= t < ANCHOR_AT for t in events[client])
        earlier = sum(ANCHOR_AT - 2 * month <= t < ANCHOR_AT - month for t in events[client])
        if recent >= earlier + 2 and recent >= 1.5 * earlier:
            assert row["trend"] == "increasing"
        elif earlier >= recent + 2 and earlier >= 1.5 * recent:
            assert row["trend"] == "decreasing"
        else:
            assert row["trend"] == "stable"
        trends[row["trend"]] += 1
    assert len(trends) >= 2


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def test_every_approved_therapist_has_performance_from_their_sessions(seeded, sql):
    approved = {r[0] for r in sql(seeded, """SELECT "userId" FROM "Therapist"
                                             WHERE status = 'APPROVED'""")}
    rows = _by_key(sql(seeded, '''SELECT "therapistId", "noShowRate", "cancellationRate",
                                   "averageSessionDuration", "clientRetentionRate",
                                   "availabilityUtilization", "workloadCapacity",
                                   "clientProgressRate", "lastCalculatedAt"
                                   FROM "TherapistPerformance"'''))
    assert set(rows) == approved
    meetings: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for tid, status, minutes, start in sql(seeded, '''SELECT "therapistId", status, duration,
                                                      "startTime" FROM "Meeting"'''):
        meetings[tid].append((status, minutes, _ts(start)))
    pairs = Counter()
    for tid, status in sql(seeded, 'SELECT "therapistId", status FROM "ClientTherapist"'):
        pairs[(tid, status == "active")] += 1
    weekly = Counter()
    for tid, start, end in sql(seeded, '''SELECT "therapistId", "startTime", "endTime"
                                         FROM "TherapistAvailability" WHERE "isAvailable"'''):
        weekly[tid] += _minutes(end) - _minutes(start)
    for tid, (no_show, cancel, length, retention, used, load, progress, at) in rows.items():
        statuses = Counter(m[0] for m in meetings[tid])
        decided = statuses["COMPLETED"] + statuses["NO_SHOW"] + statuses["CANCELLED"]
        assert no_show == pytest.approx(statuses["NO_SHOW"] / decided if decided else 0, abs=1e-3)
        assert cancel == pytest.approx(statuses["CANCELLED"] / decided if decided else 0,
                                       abs=1e-3)
        done = [m[1] for m in meetings[tid] if m[0] == "COMPLETED"]
        assert length == pytest.approx(sum(done) / len(done) if done else 0, abs=0.05)
        total = pairs[(tid, True)] + pairs[(tid, False)]
        assert retention == pytest.approx(pairs[(tid, True)] / total if total else 0, abs=1e-3)
        window = dt.timedelta(days=28)
        booked = sum(m[1] for m in meetings[tid] if m[0] != "CANCELLED"
                     and ANCHOR_AT - window <= m[2] < ANCHOR_AT + window)
        assert used == pytest.approx(min(1, booked / (8 * weekly[tid])) if weekly[tid] else 0,
                                     abs=1e-3)
        assert 0 <= load <= 1 and 0 <= progress <= 1 and _ts(at) == ANCHOR_AT


# --- deletion and idempotency ---------------------------------------------------------------


def _plan(cli: Any, url: str, *extra: str) -> dict[str, Any]:
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def _app_tables(dump: Any, url: str) -> dict[str, list[str]]:
    return {k: v for k, v in dump(url).items() if not k.split(".")[-1].startswith("seed_")
            and not k.startswith("seed_state.")}


LEAVES = (("PreAssessment", "id"), ("JournalEntry", "id"), ("ClientPreferences", "id"),
          ("ChatbotMessage", "id"), ("ClientEngagement", "id"), ("TherapistPerformance", "id"))


def test_deleted_rows_are_planned_alone_and_restored_identically(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    removed = set()
    for table, pk in LEAVES:
        (key,) = sql(url, f'SELECT min("{pk}") FROM "{table}"')[0]
        sql(url, f'DELETE FROM "{table}" WHERE "{pk}" = :key', key=key)
        removed.add(("create", table, key))
    plan = _plan(cli, url)
    assert {(c["action"], c["table"], c["pk"]) for c in plan["changes"]} == removed
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_deleted_chat_session_is_restored_with_its_turns_and_link(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    (sid,) = sql(url, """SELECT min("chatbotSessionId") FROM "PreAssessment"
                         WHERE "chatbotSessionId" IS NOT NULL""")[0]
    turns = sql(url, 'SELECT count(*) FROM "ChatbotMessage" WHERE "sessionId" = :s', s=sid)[0][0]
    (aid,) = sql(url, 'SELECT id FROM "PreAssessment" WHERE "chatbotSessionId" = :s', s=sid)[0]
    sql(url, 'DELETE FROM "ChatbotSession" WHERE id = :s', s=sid)  # cascades, sets null
    plan = _plan(cli, url)
    creates = Counter(c["table"] for c in plan["changes"] if c["action"] == "create")
    assert creates == {"ChatbotSession": 1, "ChatbotMessage": turns}
    drifted = [(c["table"], c["pk"]) for c in plan["changes"] + plan["held"]
               if c["action"] == "update"]
    assert drifted == [("PreAssessment", aid)]
    code, _, err = cli("apply", "--database-url", url, "--update")
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_a_journal_entry_written_in_the_app_is_counted_on_the_next_apply(dbs, cli, sql):
    url = dbs.seeded()
    (client,) = sql(url, '''SELECT min("clientId") FROM "ClientEngagement"
                             WHERE "journalEntryCount" = 0''')[0]
    assert client is not None
    sql(url, '''INSERT INTO "JournalEntry" (id, "userId", content, "createdAt", "updatedAt")
                VALUES ('app-entry-1', :c, 'Written in the app.', :t, :t)''',
        c=client, t=ANCHOR_AT - dt.timedelta(days=2))
    plan = _plan(cli, url)
    # The summary breaks its rule since the app's entry (it no longer agrees with the data):
    # a repair.
    assert [(c["table"], c["reason"], c["values"]["journalEntryCount"])
            for c in plan["changes"]] == [("ClientEngagement", "invalid", 1)]
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, err + out
    assert sql(url, '''SELECT "journalEntryCount" FROM "ClientEngagement"
                       WHERE "clientId" = :c''', c=client)[0][0] == 1
    assert _plan(cli, url)["changes"] == []


def test_verify_reports_rows_that_break_the_rules(dbs, cli, sql):
    url = dbs.seeded()
    first = 'WHERE id = (SELECT min(id) FROM "{}")'
    sql(url, 'UPDATE "PreAssessment" SET scores = \'{"Anxiety": 99}\' '
        + first.format("PreAssessment"))
    sql(url, 'DELETE FROM "ChatbotMessage" WHERE id = (SELECT min(id) FROM "ChatbotMessage" '
             "WHERE role = 'USER')")
    sql(url, 'UPDATE "JournalEntry" SET "createdAt" = :t ' + first.format("JournalEntry"),
        t=dt.datetime(2001, 1, 1))
    sql(url, 'UPDATE "ClientPreferences" SET "budgetRange" = \'lots\' '
        + first.format("ClientPreferences"))
    sql(url, 'UPDATE "ClientEngagement" SET "journalEntryCount" = 99 '
        + first.format("ClientEngagement"))
    sql(url, 'UPDATE "TherapistPerformance" SET "noShowRate" = 0.5 '
        + first.format("TherapistPerformance"))
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 1
    for message in ("assessments: assessment", "scores differ",
                    "chatbot: session", "turns do not alternate",
                    "journal-entries: JournalEntry", "is before User",
                    "client-preferences: client", "budgetRange 'lots'",
                    "client-engagement: client", "journalEntryCount 99",
                    "therapist-performance: therapist", "noShowRate 0.5"):
        assert message in out, message


def test_a_slots_content_does_not_depend_on_the_profile(dbs, cli):
    url = dbs.seeded()
    # (--prune: without it a lower profile keeps the minimums in force and plans nothing.)
    plan = _plan(cli, url, "--profile", "light", "--prune")
    slots = {"PreAssessment", "ChatbotSession", "ChatbotMessage", "ClientPreferences",
             "JournalEntry"}
    rewritten = [(c["table"], c["pk"]) for c in plan["changes"] + plan["held"]
                 if c["table"] in slots and c["action"] == "update"]
    assert rewritten == []
    assert any(c["table"] == "JournalEntry" and c["action"] == "delete"
               for c in plan["changes"] + plan["held"])


@given(st.sampled_from(sorted({c for i in instruments.LAYOUT for c in i.choices})),
       st.floats(-10, 10) | st.integers(-10, 10).map(lambda n: n + 0.5))
def test_an_answer_is_the_nearest_choice_the_lower_on_a_tie(choices, raw):
    assert instruments.nearest(choices, raw) == min(choices, key=lambda c: (abs(c - raw), c))
