"""Never commit a broken state: an apply checks the rules on the state it leaves before it
commits; a rule the seeder's own rows break aborts it, a rule broken by the app's rows or by a
person's edit is a warning (exit 0), listed by `seed verify --all` and `--format json`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator

import pytest

from mentara_seed import operations
from mentara_seed.enrichers import REGISTRY
from mentara_seed.enrichers.registry import DesiredRow, Registry
from mentara_seed.errors import BrokenStateError
from mentara_seed.settings import Settings


def _emptying() -> Registry:
    """The real enrichers, but journal-entries writes one entry (the first it yields in the
    first run, the same row in every later run) empty: a row that breaks the enricher's own
    rule ("empty content")."""
    real = REGISTRY["journal-entries"]
    broken: list[str] = []

    def plan(ctx, need) -> Iterator[DesiredRow]:  # type: ignore[no-untyped-def]
        for table, row in real.plan(ctx, need):
            if not broken:
                broken.append(row["id"])
            yield table, ({**row, "content": " "} if row["id"] == broken[0] else row)

    variant = dataclasses.replace(real, plan=plan)
    return Registry(variant if e.name == "journal-entries" else e for e in REGISTRY)


def _settings(url: str, **values: object) -> Settings:
    # --full: the shortcut knows the installed code, not a registry made in a test; one core:
    # the broken variant remembers its row in this process.
    return Settings(database_url=url, full=True, jobs=1, **values)


def test_an_apply_whose_own_rows_would_break_a_rule_writes_nothing(dbs, dump):
    url = dbs.seeded()
    before = dump(url)
    with pytest.raises(BrokenStateError) as raised:
        operations.apply(_settings(url), operations.Options(), _emptying())
    message = str(raised.value)
    assert "nothing was written" in message and "empty content" in message
    assert "bug" in message and "SEED_SKIP_VERIFY" in message
    assert dump(url) == before


def test_the_broken_apply_is_a_one_paragraph_error_with_exit_code_1(dbs, cli, dump,
                                                                   monkeypatch):
    url = dbs.seeded()
    before = dump(url)
    monkeypatch.setattr(operations.apply, "__defaults__", (_emptying(),))
    code, out, err = cli("apply", "--database-url", url, "--full")
    assert code == 1 and "Traceback" not in err
    assert "✗ journal-entries: entry" in err and "nothing was written" in err
    assert dump(url) == before


def test_a_rule_broken_before_the_apply_does_not_stop_it_and_the_real_seeder_repairs_it(
        dbs, sql):
    url = dbs.seeded()
    broken = _emptying()
    # Written without the check (as an older version would have): the state is broken ...
    operations.apply(_settings(url, skip_verify=True), operations.Options(), broken)
    empty = """SELECT count(*) FROM "JournalEntry" WHERE trim(content) = ''"""
    assert sql(url, empty)[0][0] == 1
    # ... an apply that changes nothing there is not what broke it: it commits and reports.
    outcome = operations.apply(_settings(url), operations.Options(), broken)
    assert [str(v) for v in outcome.violations if not v.foreign] == [
        v for v in (str(v) for v in outcome.violations) if "empty content" in v]
    # The seeder as it is repairs its own row: an update, and the rule holds again.
    outcome = operations.apply(_settings(url), operations.Options())
    assert outcome.applied is not None and outcome.applied.counts.get("update")
    assert not outcome.violations
    assert sql(url, empty)[0][0] == 0


def _foreign_message(sql, url: str) -> str:  # type: ignore[no-untyped-def]
    """A message the app wrote into a seeded conversation, from a user who is not in it,
    dated between two of its messages. Returns its id."""
    conv, first, second = sql(url, '''
        SELECT m."conversationId", m."createdAt", n."createdAt" FROM "Message" m
        JOIN "Message" n ON n."conversationId" = m."conversationId"
         AND n."createdAt" > m."createdAt"
        WHERE NOT EXISTS (SELECT 1 FROM "Message" k WHERE k."conversationId" = m."conversationId"
                          AND k."createdAt" > m."createdAt" AND k."createdAt" < n."createdAt")
        ORDER BY m.id LIMIT 1''')[0]
    outsider = sql(url, '''SELECT u.id FROM "User" u WHERE u.role = 'client' AND NOT EXISTS (
        SELECT 1 FROM "ConversationParticipant" p WHERE p."conversationId" = :c
        AND p."userId" = u.id) ORDER BY u.id LIMIT 1''', c=conv)[0][0]
    first, second = (dt.datetime.fromisoformat(str(t)) for t in (first, second))
    at = (first + (second - first) / 2).replace(microsecond=0)
    sql(url, '''INSERT INTO "Message" (id, "conversationId", "senderId", content, "createdAt",
                "updatedAt") VALUES ('fmsg1', :c, :u, 'hello from the app', :t, :t)''',
        c=conv, u=outsider, t=at)
    return "fmsg1"


def test_a_rule_broken_by_a_foreign_row_is_a_warning_not_the_seeders(dbs, cli, sql):
    url = dbs.seeded()
    _foreign_message(sql, url)
    code, out, err = cli("verify", "--database-url", url)
    assert code == 0, out + err
    assert "every minimum holds" in out
    assert "! messages: conversation" in out and "message fmsg1 from a non-participant" in out
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, out + err
    assert "fmsg1" in out


def test_verify_lists_every_finding_as_json_with_its_severity(dbs, cli, sql):
    url = dbs.seeded()
    _foreign_message(sql, url)
    sql(url, """DELETE FROM "Membership" WHERE "userId" = 'dev_client_1'""")
    code, out, _ = cli("verify", "--database-url", url, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    kinds = {(f["severity"], f["kind"]) for f in doc["findings"]}
    assert ("warning", "rule") in kinds and ("error", "minimum") in kinds
    assert doc["errors"] == sum(f["severity"] == "error" for f in doc["findings"]) >= 1
    assert any("fmsg1" in f["message"] and f["severity"] == "warning" for f in doc["findings"])


def test_a_minimum_of_a_foreign_user_stays_the_seeders(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, '''INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt",
                "updatedAt") VALUES ('app-client', 'app-client@example.org', 'App', 'Client',
                'client', '2025-03-01 09:00:00', '2025-03-01 09:00:00')''')
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 1
    assert "✗ memberships: client app-client@example.org: member of 0/" in out


def test_a_rule_broken_by_a_hand_edit_of_an_owned_row_is_a_warning(dbs, cli, sql):
    url = dbs.seeded()
    comment, post_created = sql(url, '''SELECT c.id, p."createdAt" FROM "Comment" c
        JOIN "Post" p ON p.id = c."postId" ORDER BY c.id LIMIT 1''')[0]
    sql(url, 'UPDATE "Comment" SET "createdAt" = :t WHERE id = :c', t=post_created, c=comment)
    code, out, err = cli("verify", "--database-url", url)
    assert code == 0, out + err
    assert f"! comments: Comment {comment}: createdAt" in out and "is not after Post" in out
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, out + err
    assert "drifted" in out


def test_verify_all_lists_past_the_first_twenty(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, 'UPDATE "Comment" SET "createdAt" = (SELECT p."createdAt" FROM "Post" p '
             'WHERE p.id = "Comment"."postId")')
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0 and "more (`seed verify --all`" in out
    shown = out.count("  ! ")
    code, everything, _ = cli("verify", "--database-url", url, "--all")
    assert code == 0 and "more (`seed verify --all`" not in everything
    assert everything.count("  ! ") > shown == 20


def test_a_fresh_apply_whose_own_rows_break_a_rule_leaves_the_database_empty(dbs, dump):
    """On PostgreSQL the rules of a fresh schema are checked while the server builds its
    indexes and foreign keys: the broken rule stops that too, and nothing at all stays (not
    even the schema)."""
    url = dbs.empty()
    with pytest.raises(BrokenStateError):
        operations.apply(_settings(url), operations.Options(init=True), _emptying())
    assert dump(url) == {}
    # The same database then takes the real apply, whole.
    outcome = operations.apply(_settings(url), operations.Options(init=True))
    assert outcome.initialized and outcome.verified and not outcome.violations


def test_work_beside_the_servers_cancels_it_when_it_fails(pg_server, engine_for):
    """``checking.beside``: the server's statement runs on its own thread while this one
    works; when the work fails, the statement is cancelled (not waited out) and the connection
    rolls back; when the statement fails, its error comes once the work is done."""
    import signal
    import threading
    import time
    import uuid

    import sqlalchemy as sa

    from mentara_seed.operations.checking import beside

    if pg_server is None:
        pytest.skip("PostgreSQL only")
    engine = engine_for(pg_server.create(f"seedtest_beside_{uuid.uuid4().hex[:12]}"))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x int)")

        def fail() -> None:
            time.sleep(0.2)  # the statement is on its way
            raise KeyboardInterrupt

        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            beside(conn, lambda: conn.exec_driver_sql("SELECT pg_sleep(30)"), fail)
        assert time.monotonic() - started < 10
        conn.rollback()
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1

        # Ctrl-C while only the server still works: cancelled too, not waited out.
        def interrupt_soon() -> None:
            time.sleep(0.3)
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

        threading.Thread(target=interrupt_soon).start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            beside(conn, lambda: conn.exec_driver_sql("SELECT pg_sleep(30)"), lambda: None)
        assert time.monotonic() - started < 10
        conn.rollback()

        done: list[int] = []
        with pytest.raises(sa.exc.DBAPIError, match="division by zero"):
            beside(conn, lambda: conn.exec_driver_sql("SELECT 1 / 0"),
                   lambda: done.append(1))
        assert done == [1]
        conn.rollback()
        assert beside(conn, lambda: conn.exec_driver_sql("SELECT 1"), lambda: 7) == 7
