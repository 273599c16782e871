"""The engine's promises, through the real CLI on every backend: restore, foreign rows,
determinism, atomic failure, targets, drift, prune, audit, verification."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ANCHOR, heart_own_post

from mentara_seed.planner.snapshot import LiveState


def plan_doc(cli, url: str, *args: str) -> dict:
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_deleted_membership_is_recreated_with_same_key_and_values(dbs, cli, sql):
    url = dbs.seeded()
    before = sql(url, 'SELECT * FROM "Membership" ORDER BY id LIMIT 1')[0]
    sql(url, 'DELETE FROM "Membership" WHERE id = :id', id=before.id)
    doc = plan_doc(cli, url)
    assert [(c["action"], c["table"], c["pk"]) for c in doc["changes"]] == [
        ("create", "Membership", before.id)
    ]
    code, out, _ = cli("apply", "--database-url", url)
    assert code == 0 and "1 row written" in out
    after = sql(url, 'SELECT * FROM "Membership" WHERE id = :id', id=before.id)
    assert after == [before]
    assert plan_doc(cli, url)["changes"] == []


def test_second_apply_writes_nothing(dbs, cli, dump):
    url = dbs.seeded()
    snapshot = dump(url)
    code, out, _ = cli("apply", "--database-url", url)
    assert code == 0 and "Nothing to apply" in out
    assert dump(url) == snapshot


def _insert_foreign_client(sql, url: str, uid: str, email: str) -> None:
    sql(url, 'INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt", '
        '"updatedAt", "emailVerified", "isActive", "failedLoginCount") VALUES (:id, :email, '
        "'Ana', 'Foreign', 'client', '2026-01-05 10:00:00', '2026-01-05 10:00:00', true, "
        "true, 0)", id=uid, email=email)
    sql(url, 'INSERT INTO "Client" ("userId", "hasSeenTherapistRecommendations", "createdAt", '
        '"updatedAt") VALUES (:id, false, \'2026-01-05 10:00:00\', \'2026-01-05 10:00:00\')',
        id=uid)


def test_foreign_rows_count_toward_minimums_and_are_never_touched(dbs, cli, sql):
    url = dbs.initialized()
    for n in range(3):
        _insert_foreign_client(sql, url, f"app-user-{n}", f"app{n}@example.org")
    before = sql(url, 'SELECT * FROM "User" WHERE id LIKE \'app-user-%\' ORDER BY id')
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] == 25
    code, _, err = cli("apply", "--database-url", url, "--prune", "--update",
                       "--profile", "light")
    assert code == 0, err
    assert sql(url, 'SELECT * FROM "User" WHERE id LIKE \'app-user-%\' ORDER BY id') == before
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] == 8


def test_foreign_row_with_a_fixed_account_id_is_satisfied_not_updated(dbs, cli, sql):
    url = dbs.initialized()
    _insert_foreign_client(sql, url, "dev_client_1", "someone@example.org")
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert sql(url, 'SELECT email FROM "User" WHERE id = \'dev_client_1\'')[0][0] == (
        "someone@example.org")


def _plan_in_subprocess(url: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}
    done = subprocess.run(
        [sys.executable, "-m", "mentara_seed.cli.app", "plan", "--database-url", url,
         "--format", "json", "--anchor", ANCHOR],
        capture_output=True, text=True, check=True, env=env,
    )
    return done.stdout


def test_plan_json_is_byte_identical_across_processes_and_databases(_database_factories):
    urls = [f.initialized() for f in _database_factories.values()]
    urls.append(_database_factories["sqlite"].initialized())
    plans = [_plan_in_subprocess(u) for u in urls]
    assert len(plans[0]) > 10_000
    assert all(p == plans[0] for p in plans[1:])


def _fail_inserts_into(sql, url: str, table: str) -> None:
    """A trigger that makes every insert into ``table`` fail, as a constraint would."""
    if url.startswith("sqlite"):
        sql(url, f'CREATE TRIGGER boom BEFORE INSERT ON "{table}" '
                 "BEGIN SELECT RAISE(ABORT, 'boom: refused by a trigger'); END")
    else:
        sql(url, "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS "
                 "$$ BEGIN RAISE EXCEPTION 'boom: refused by a trigger'; END $$")
        sql(url, f'CREATE TRIGGER boom BEFORE INSERT ON "{table}" '
                 "FOR EACH ROW EXECUTE FUNCTION boom()")


def test_failing_apply_leaves_database_and_journal_unchanged(dbs, cli, sql, dump):
    url = dbs.initialized()
    # Users, communities and more are written before the first membership fails.
    _fail_inserts_into(sql, url, "Membership")
    snapshot = dump(url)
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 1
    assert "boom: refused by a trigger" in err
    assert "Nothing was written" in err and "Traceback" not in err
    assert dump(url) == snapshot


def test_a_foreign_user_holding_a_wanted_email_is_worked_around(dbs, cli, sql):
    url = dbs.initialized()
    doc = plan_doc(cli, url, "--anchor", ANCHOR)
    wanted = next(c["values"]["email"] for c in doc["changes"]
                  if c["table"] == "User" and not c["pk"].startswith("dev_"))
    _insert_foreign_client(sql, url, "app-user-x", wanted)
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    local, domain = wanted.split("@")
    assert sql(url, 'SELECT count(*) FROM "User" WHERE email = :e', e=f"{local}+2@{domain}") == [
        (1,)]


def test_target_pulls_in_dependencies_and_nothing_else(dbs, cli, sql):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR,
                         "--target", "memberships")
    assert code == 0, err
    assert "with dependencies: communities, users" in out
    assert sql(url, 'SELECT count(*) FROM "Membership"')[0][0] > 0
    assert sql(url, 'SELECT count(*) FROM "ClientTherapist"')[0][0] == 0
    assert sql(url, 'SELECT count(*) FROM "TherapistAvailability"')[0][0] == 0


def test_unknown_target_is_a_usage_error_that_suggests_the_closest(dbs, cli):
    url = dbs.initialized()
    code, _, err = cli("plan", "--database-url", url, "--target", "membership")
    assert code == 2
    assert "Did you mean 'memberships'" in err


def test_apply_on_a_database_without_tables_points_at_init(dbs, cli):
    url = dbs.empty()
    code, _, err = cli("apply", "--database-url", url)
    assert code == 1
    assert "seed init" in err and "--init" in err
    code, _, err = cli("apply", "--database-url", url, "--init", "--anchor", ANCHOR)
    assert code == 0, err


def test_audit_mode_plans_and_writes_nothing(dbs, cli, dump, monkeypatch):
    url = dbs.initialized()
    snapshot = dump(url)
    monkeypatch.setenv("SEED_AUDIT", "true")
    code, out, _ = cli("apply", "--database-url", url)
    assert code == 0 and "Plan:" in out
    assert dump(url) == snapshot


def test_drifted_row_is_kept_and_restored_only_with_update(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, """UPDATE "User" SET "firstName" = 'Edited' WHERE id = 'dev_client_2'""")
    code, out, _ = cli("plan", "--database-url", url)
    assert "drifted" in out and "1 drifted row(s) kept" in out and "No changes." in out
    cli("apply", "--database-url", url)
    assert sql(url, """SELECT "firstName" FROM "User" WHERE id = 'dev_client_2'""")[0][0] == (
        "Edited")
    code, out, _ = cli("apply", "--database-url", url, "--update")
    assert code == 0
    assert sql(url, """SELECT "firstName" FROM "User" WHERE id = 'dev_client_2'""")[0][0] == (
        "Rico")


def test_moving_the_anchor_shows_desired_changed_updates(dbs, cli):
    url = dbs.seeded()
    doc = plan_doc(cli, url, "--anchor", "2026-11-23")
    reasons = {c["reason"] for c in doc["changes"]}
    assert reasons == {"desired-changed"}
    assert all(c["action"] == "update" for c in doc["changes"])


def test_a_lower_profile_keeps_the_rows_beyond_it_and_prune_deletes_them(dbs, cli, sql):
    url = dbs.seeded()
    code, out, _ = cli("plan", "--database-url", url, "--profile", "light")
    assert "No changes." in out and "stay in force until --prune" in out
    code, _, _ = cli("apply", "--database-url", url, "--profile", "light")
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] == 25
    code, _, err = cli("apply", "--database-url", url, "--profile", "light", "--prune")
    assert code == 0, err
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] == 8


def test_verify_names_the_entity_whose_minimum_fails(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, """DELETE FROM "Membership" WHERE "userId" = 'dev_client_1'""")
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 1
    assert "dev_client_1@mentaratest.dev" in out


def _recording_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The tables each snapshot reads from the database (not those it is given)."""
    reads: list[list[str]] = []
    real = LiveState.read.__func__  # type: ignore[attr-defined]

    def read(cls, conn, tables, known=None):  # type: ignore[no-untyped-def]
        reads.append(sorted(t for t in set(tables) if known is None or not known.has(t)))
        return real(cls, conn, tables, known)

    monkeypatch.setattr(LiveState, "read", classmethod(read))
    return reads


def test_verification_after_an_apply_reads_again_only_the_tables_it_wrote(dbs, cli, sql,
                                                                          monkeypatch):
    url = dbs.seeded()
    sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    reads = _recording_reads(monkeypatch)
    # (--full: without it the row comes back from the journal, and on PostgreSQL the plan
    # reads no table at all, so verification reads them all.)
    code, out, err = cli("apply", "--database-url", url, "--full")
    assert code == 0 and "every minimum holds" in out, out + err
    plan_read, verify_read = reads
    assert "JournalEntry" in plan_read and len(plan_read) > 1
    assert verify_read == ["JournalEntry"]


def test_verification_after_deletes_reads_every_table_again(dbs, cli, sql, monkeypatch):
    # A delete cascades into tables the plan does not name: nothing is taken as known.
    url = dbs.seeded()
    reads = _recording_reads(monkeypatch)
    code, out, err = cli("apply", "--database-url", url, "--profile", "light", "--prune",
                         "--target", "journal-entries")
    assert code == 0 and "every minimum holds" in out, out + err
    assert "deleted)" in out
    plan_read, verify_read = reads
    assert "JournalEntry" in verify_read and "User" in verify_read


@pytest.mark.parametrize("bad", ["--profile=huge", "--scale=0"])
def test_invalid_settings_are_usage_errors(dbs, cli, bad):
    url = dbs.initialized()
    code, _, err = cli("plan", "--database-url", url, bad)
    assert code == 2
    assert "Invalid configuration" in err and "Traceback" not in err


def test_rules_broken_by_foreign_rows_are_reported_but_do_not_fail_apply(dbs, cli, sql):
    url = dbs.seeded()
    # The app lets a person heart their own post; the seeder's rules never do that, but the
    # row is the app's, so apply reports it and carries on.
    heart_own_post(sql, url)
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0, out
    assert "rows the seeder did not write" in out and "! hearts: PostHeart app-heart" in out
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, out + err
    assert "Verified" in out and "app-heart" in out


def test_a_journal_with_the_old_event_index_and_key_is_upgraded_and_kept(dbs, cli, sql):
    url = dbs.seeded()
    postgres = dbs.backend == "postgresql"
    events = "seed_state.seed_row_event" if postgres else "seed_row_event"
    apply_table = "seed_state.seed_apply" if postgres else "seed_apply"
    # The layout earlier versions created: an index on (table_name, pk) and, on PostgreSQL, a
    # foreign key from every event to its apply record. (On a prefix of pk: the runs of keys
    # stored now are longer than a PostgreSQL index entry may be.)
    sql(url, f"CREATE INDEX seed_row_event_table_pk_idx ON {events} "
             "(table_name, substr(pk, 1, 64))")
    if postgres:
        sql(url, f"ALTER TABLE {events} ADD FOREIGN KEY (serial) REFERENCES {apply_table} (serial)")
    before = sql(url, f"SELECT count(*) FROM {events}")[0][0]
    sql(url, 'DELETE FROM "PostHeart" WHERE id = (SELECT min(id) FROM "PostHeart")')
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert sql(url, f"SELECT count(*) FROM {events}")[0][0] == before + 1
    if postgres:
        assert sql(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'seed_state' "
                        "AND tablename = 'seed_row_event'") == [("seed_row_event_pkey",)]
        assert sql(url, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND "
                        "conrelid = 'seed_state.seed_row_event'::regclass") == [(0,)]
    else:
        assert sql(url, "SELECT name FROM sqlite_master WHERE type = 'index' "
                        "AND name = 'seed_row_event_table_pk_idx'") == []
    code, out, _ = cli("plan", "--database-url", url)
    assert code == 0 and "No changes." in out
