"""A living database: people sign up through the app at any time (after the anchor, today, in 2001,
in 2030), with or without their role's profile row, and the app writes rows of every kind at any
time. Planning never crashes on any of it; the apply (with its check before commit) succeeds,
`seed verify` finds no rule broken by the seeder and the next plan is empty; a minimum that
cannot be met is a plan warning, skipped by verify alike; a row the seeder adds for a person who
signed up after the anchor is dated after they signed up; foreign rows stay byte-identical."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import example, given, note
from hypothesis_profiles import examples
from test_properties import databases, factories  # noqa: F401 - module-scoped fixtures

from mentara_seed import testing as kit
from mentara_seed.enrichers import REGISTRY
from mentara_seed.schema.tables import SEEDED_TABLES, TABLES
from mentara_seed.testing import Edit, ForeignInsert, RowRef, StartingState
from mentara_seed.testing.foreign import World
from mentara_seed.testing.living import PROFILE_TABLE, _profile

ANCHOR = "2026-11-16"
TODAY = "2026-12-06 18:00:00"  # three weeks after the anchor: a run of seed today
PEOPLE = ("User", "Client", "Therapist", "Admin", "Moderator")


def _sign_up(engine_for: Any, url: str, uid: str, role: str, at: str, *,
             profile: bool = True, status: str = "APPROVED") -> None:
    """A person signs up through the app at ``at``: their User row and, unless ``profile`` is
    False (a sign-up left unfinished), their role's profile row."""
    moment = dt.datetime.fromisoformat(at)
    world = World({}, dt.datetime.fromisoformat(ANCHOR))
    rows = [("User", world.row("User", id=uid, email=f"{uid}@example.com", firstName="New",
                               lastName="Person", role=role, createdAt=moment,
                               updatedAt=moment))]
    if profile:  # the app writes it a moment after the User row
        rows.append((PROFILE_TABLE[role], _profile(world, role, uid,
                                                   moment + dt.timedelta(milliseconds=2),
                                                   status)))
    with engine_for(url).begin() as conn:
        for table, row in rows:
            conn.execute(TABLES[table].insert(), [row])


def _dated_before(sql: Any, url: str, uid: str) -> list[str]:
    """Rows the seeder owns that name ``uid`` and are dated before ``uid`` signed up."""
    signed_up = sql(url, 'SELECT "createdAt" FROM "User" WHERE id = :u', u=uid)[0][0]
    found: list[str] = []
    for name in (t for t in SEEDED_TABLES if t not in PEOPLE):  # the rest are the seeder's
        table = TABLES[name]
        names_user = [c for c in table.columns if any(
            fk.column.table.name in PEOPLE for fk in c.foreign_keys)]
        stamps = [c.name for c in table.columns if c.name in ("createdAt", "joinedAt",
                                                               "assignedAt", "startTime")
                  and isinstance(c.type, sa.DateTime)]
        for column in names_user:
            for row in sql(url, f'SELECT * FROM "{name}" WHERE "{column.name}" = :u', u=uid):
                values = row._mapping
                early = [s for s in stamps if values[s] is not None
                         and _moment(values[s]) < _moment(signed_up)]
                if early:
                    found.append(f"{name} {next(iter(values.values()))} {column.name}: {early}")
    return found


def _moment(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _plan_json(cli: Any, url: str, *, full: bool = False) -> dict[str, Any]:
    code, out, err = cli("plan", "--format", "json", "--database-url", url,
                         *(["--full"] if full else []))
    assert code == 0, out + err
    return json.loads(out)


@pytest.mark.parametrize("role", ["client", "therapist"])
def test_a_person_signing_up_today_is_planned_for_and_dated_after_they_signed_up(
        dbs, cli, sql, engine_for, role):
    url = dbs.seeded()
    _sign_up(engine_for, url, "u_new1", role, TODAY)
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0 and "Unexpected" not in out + err, out + err
    code, out, err = cli("apply", "--database-url", url)
    assert "Unexpected" not in out + err, out + err
    assert code == 0, out + err
    assert _dated_before(sql, url, "u_new1") == []
    assert sql(url, 'SELECT "createdAt" FROM "User" WHERE id = \'u_new1\'')[0][0] is not None


def test_a_therapist_who_only_has_clients_since_today_is_a_warning_not_a_failure(
        dbs, cli, sql, engine_for):
    """No completed session can lie between a relationship that began today and the anchor:
    the plan says so for the session notes, and verify does not report it."""
    url = dbs.seeded()
    _sign_up(engine_for, url, "u_ther", "therapist", TODAY)
    plan = _plan_json(cli, url)
    warned = [w for w in plan["warnings"] if w["entity"] == "therapist u_ther"]
    assert warned and all(w["enricher"] == "meetings" for w in warned)
    code, out, err = cli("plan", "--database-url", url)
    assert "! meetings: minimum not met for therapist u_ther" in out
    assert "warning" in out and "minimums that cannot be met" in out
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, out + err
    assert "u_ther" not in "".join(line for line in out.splitlines() if "✗" in line)
    code, out, err = cli("verify", "--database-url", url)
    assert code == 0 and "u_ther" not in out, out + err
    # The next plan runs no enricher (nothing changed since the apply): it shows the
    # warnings the apply recorded, as the whole run would find them.
    reused = _plan_json(cli, url)
    assert reused["reused"] and reused["warnings"] == _plan_json(cli, url, full=True)["warnings"]
    assert reused["warnings"] != []
    code, out, err = cli("plan", "--database-url", url)
    assert "! meetings: minimum not met for therapist u_ther" in out, out


@pytest.mark.parametrize("role", ["client", "therapist", "admin", "moderator"])
def test_a_user_without_a_profile_row_of_any_role_is_no_crash(dbs, cli, engine_for, role):
    url = dbs.seeded()
    _sign_up(engine_for, url, f"u_bare_{role}", role, TODAY, profile=False)
    code, out, err = cli("apply", "--database-url", url)
    assert "Unexpected" not in out + err, out + err
    assert code == 0, out + err


@pytest.mark.parametrize("at", ["2030-06-01 12:00:00", "2001-03-04 05:06:07"])
@pytest.mark.parametrize("role", ["client", "therapist"])
def test_a_user_created_in_the_future_or_long_ago_is_no_crash(dbs, cli, sql, engine_for,
                                                               role, at):
    url = dbs.seeded()
    _sign_up(engine_for, url, "u_when", role, at)
    code, out, err = cli("apply", "--database-url", url)
    assert "Unexpected" not in out + err, out + err
    assert _dated_before(sql, url, "u_when") == []


@pytest.mark.parametrize("status", ["PENDING", "REJECTED"])
def test_a_therapist_application_of_any_status_signed_up_today_is_no_crash(
        dbs, cli, engine_for, status):
    url = dbs.seeded()
    _sign_up(engine_for, url, "u_applicant", "therapist", TODAY, status=status)
    code, out, err = cli("apply", "--database-url", url)
    assert "Unexpected" not in out + err, out + err
    assert code == 0, out + err


def test_warnings_are_in_the_json_plan_and_do_not_make_a_saved_plan_stale(
        dbs, cli, engine_for, tmp_path):
    url = dbs.seeded()
    _sign_up(engine_for, url, "u_ther", "therapist", TODAY)
    saved = tmp_path / "plan.json"
    code, out, err = cli("plan", "--out", str(saved), "--database-url", url)
    assert code == 0, out + err
    doc = json.loads(saved.read_text())
    assert doc["warnings"] == _plan_json(cli, url)["warnings"] != []
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, out + err
    code, out, _ = cli("plan", "--format", "markdown", "--database-url", url, "--full")
    assert "minimums that cannot be met" in out


# -- over generated foreign data -------------------------------------------------------------

LIVING = kit.starting_states(REGISTRY, profiles=("light",), seeds=(0, 1),
                             foreign_kinds=kit.LIVING_KINDS, min_foreign_inserts=1,
                             max_steps=3)


@examples(1.0)
@given(state=LIVING)
# Found by this property: a person's edit of a participant's joinedAt, and of a derived
# engagement row, taken for the seeder's; members who joined after the anchor counted as
# missing participants of a later group session.
@example(state=StartingState(
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("ConversationParticipant", 0, "joinedAt"),)))
@example(state=StartingState(
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 252),),
    edits=(Edit("PaymentMethod", 161, "groupNumber"), Edit("Membership", 34, "joinedAt"),
           Edit("ClientEngagement", 277, "averageSessionRating")),
    foreign_deletions=(RowRef("User", 228), RowRef("User", 11), RowRef("Comment", 252))))
@example(state=StartingState(
    seed=1, settled=True, foreign_inserts=(ForeignInsert("user-any-time", 171),
                                           ForeignInsert("user-any-time", 42),
                                           ForeignInsert("user-any-time", 500))))
# A person's edit that takes a row out of a minimum (an assessment no longer processed) is
# theirs; a worksheet whose relationship the app deleted goes with its submissions.
@example(state=StartingState(
    seed=1, settled=True, foreign_inserts=(ForeignInsert("comment-any-time", 424),),
    edits=(Edit("Comment", 444, "updatedAt"), Edit("WorksheetSubmission", 263, "feedback"),
           Edit("PreAssessment", 27, "isProcessed"))))
@example(state=StartingState(
    seeded_with="light", settled=True,
    foreign_inserts=(ForeignInsert("membership-any-time", 193),
                     ForeignInsert("journal-entry-any-time", 62),
                     ForeignInsert("relationship-any-time", 181)),
    edits=(Edit("Review", 18, "createdAt"),),
    foreign_deletions=(RowRef("Membership", 201), RowRef("Client", 118),
                       RowRef("ClientTherapist", 277))))
@example(state=StartingState(  # a person renamed the 'Group Sessions' room group
    seed=1, settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("RoomGroup", 487, "name"),)))
@example(state=StartingState(  # the app's message from 2017 in a seeded chat
    seeded_with="light", settled=True,
    foreign_inserts=(ForeignInsert("user-any-time", 35), ForeignInsert("message-any-time", 0),
                     ForeignInsert("user-any-time", 229)),
    deletions=(RowRef("Community", 41), RowRef("Comment", 0))))
@example(state=StartingState(  # a person edited a chatbot turn's role
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("ChatbotMessage", 0, "role"),)))
@example(state=StartingState(  # a person edited a relationship a summary counts
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("ClientTherapist", 0, "status"),)))
@example(state=StartingState(  # a person changed which payment method is the default
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("PaymentMethod", 0, "isDefault"),)))
@example(state=StartingState(  # a person re-dated the end of a chat an assessment follows
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("ChatbotSession", 0, "completedAt"),)))
@example(state=StartingState(  # a person marked a seeded payment as failed
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Payment", 0, "status"),)))
@example(state=StartingState(  # a person re-dated a message after its sender last read
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Message", 153, "createdAt"),)))
@example(state=StartingState(  # a person changed a seeded client's role
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("User", 0, "role"),)))
@example(state=StartingState(  # a person edited the duration of a paid session
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Community", 0, "description"), Edit("Meeting", 0, "duration"))))
@example(state=StartingState(  # a person edited a participant's attendance
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("GroupSessionParticipants", 0, "attendanceStatus"),)))
@example(state=StartingState(  # a person wrote a value of their own into a preference
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("ClientPreferences", 0, "genderPreference"),)))
@example(state=StartingState(  # a person re-dated a post after its seeded comments
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Post", 0, "createdAt"),)))
@example(state=StartingState(  # the app's message in a chat a moderator dropped in on
    seeded_with="light", foreign_inserts=(ForeignInsert("message-any-time", 358),)))
@example(state=StartingState(  # a person marked a paid session's payment failed (its notice)
    seeded_with="light", foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Payment", 1, "status"),)))
@example(state=StartingState(  # a person made a seeded group chat another type
    settled=True, foreign_inserts=(ForeignInsert("user-any-time", 0),),
    edits=(Edit("Conversation", 1, "type"),)))
@example(state=StartingState(  # the app's relationship dated before its client signed up
    seeded_with="light", foreign_inserts=(ForeignInsert("relationship-any-time", 72),)))
def test_any_data_the_schema_admits_applies_verifies_and_settles_foreign_rows_identical(
        databases, state):  # noqa: F811 - the fixture imported above
    with kit.materialized(state, databases, foreign_kinds=kit.LIVING_KINDS) as url:
        owned = kit.ownership(url)
        before = {t: {pk: r for pk, r in rows.items() if pk not in owned.get(t, {})}
                  for t, rows in kit.snapshot(url).items()}
        warned: list[str] = []
        kit.apply(url, state.run, on_plan=lambda p: warned.extend(map(str, p.warnings)),
                  checked=True)
        note(f"warnings: {warned}")
        after = kit.snapshot(url)
        for table, rows in before.items():
            for pk, row in rows.items():
                assert after[table].get(pk) == row, f"foreign {table} {pk} changed"
        broken = [str(v) for v in kit.verify(url, state.run) if not v.foreign]
        assert broken == [], f"seed verify: {broken[:10]}"
        again = kit.plan(url, state.run)
        assert again.is_empty(), "the next plan is not empty: " + ", ".join(
            f"{c.action.value} {c.table} {c.pk} ({c.reason.value})" for c in again.changes[:10])


def test_the_generated_foreign_rows_cover_every_role_and_time():
    world = World({}, dt.datetime(2026, 11, 16))
    made = [kit.LIVING_KINDS[0].build(world, pick, f"k{pick}") for pick in range(200)]
    roles = {rows[0][1]["role"] for rows in made}
    with_profile = {rows[0][1]["role"] for rows in made if len(rows) == 2}
    without = {rows[0][1]["role"] for rows in made if len(rows) == 1}
    statuses = {r["status"] for rows in made for t, r in rows if t == "Therapist"}
    years = {rows[0][1]["createdAt"].year for rows in made}
    assert roles == with_profile == without == {"client", "therapist", "admin", "moderator"}
    assert statuses == {"APPROVED", "PENDING", "REJECTED"}
    assert {2001, 2026, 2030} <= years
    assert any(rows[0][1]["createdAt"] > dt.datetime(2026, 12, 6) for rows in made)
