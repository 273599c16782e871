"""Verified states: an apply whose verification finds every minimum holding records its state
key, and a later apply that leaves the database in that very state again (nothing changed, or
only deleted rows made again) does not check it again. `seed verify` always checks."""

from __future__ import annotations

import pytest
from conftest import ANCHOR, heart_own_post

from mentara_seed.operations import checking

NOT_AGAIN = "so it was not checked again"
FOREIGN_ENTRY = """INSERT INTO "JournalEntry" (id, "userId", content, "createdAt", "updatedAt")
                   SELECT 'je-foreign', "userId", 'written in the app', '2026-11-10 10:00:00',
                   '2026-11-10 10:00:00' FROM "Client" ORDER BY "userId" LIMIT 1"""


def _verified(dbs, sql, url):
    table = "seed_state.seed_verified" if dbs.backend == "postgresql" else "seed_verified"
    return sql(url, f"SELECT state_key, serial FROM {table} ORDER BY serial")


def _applies(dbs, sql, url):
    table = "seed_state.seed_apply" if dbs.backend == "postgresql" else "seed_apply"
    return sql(url, f"SELECT serial, state_key FROM {table} WHERE kind = 'apply' "
                    "ORDER BY serial")


@pytest.fixture
def checks(monkeypatch):
    """How many times the minimums were checked against the database."""
    calls: list[int] = []
    real = checking.verify_minimums

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "verify_minimums", counted)
    return calls


def test_an_apply_that_verifies_records_its_state(dbs, sql):
    url = dbs.seeded()
    ((serial, key),) = _applies(dbs, sql, url)
    assert _verified(dbs, sql, url) == [(key, serial)]


def test_the_same_state_again_is_not_checked_again(dbs, cli, sql, checks):
    url = dbs.seeded()
    checks.clear()  # (building the seeded template verified it)
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0 and "Nothing to apply" in out and NOT_AGAIN in out, out + err
    # Deleted rows made again: the state the verification found holding, once more.
    sql(url, 'DELETE FROM "Post" WHERE id = (SELECT min(id) FROM "Post")')
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0 and "created)" in out and NOT_AGAIN in out, out + err
    assert checks == []
    code, out, err = cli("verify", "--database-url", url)
    assert code == 0 and "every minimum holds" in out and NOT_AGAIN not in out
    assert checks == [1]


def test_a_state_never_verified_is_checked_and_then_recorded(dbs, cli, sql, checks,
                                                            monkeypatch):
    url = dbs.initialized()
    checks.clear()
    monkeypatch.setenv("SEED_SKIP_VERIFY", "1")
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert _verified(dbs, sql, url) == [] and checks == []
    monkeypatch.delenv("SEED_SKIP_VERIFY")
    code, out, _ = cli("apply", "--database-url", url)
    assert code == 0 and "every minimum holds" in out and NOT_AGAIN not in out
    assert checks == [1] and len(_verified(dbs, sql, url)) == 1
    code, out, _ = cli("apply", "--database-url", url)
    assert code == 0 and NOT_AGAIN in out and checks == [1]


def test_a_verification_that_finds_anything_records_nothing(dbs, cli, sql, checks):
    url = dbs.seeded()
    # The app lets a person heart their own post: a rule broken by a row the seeder does not
    # own, reported (not failed on) by every apply, which keeps checking.
    heart_own_post(sql, url)
    checks.clear()  # (building the seeded template verified it)
    for _ in range(2):
        code, out, err = cli("apply", "--database-url", url)
        assert code == 0 and "app-heart" in out and NOT_AGAIN not in out, out + err
    assert checks == [1, 1] and len(_verified(dbs, sql, url)) == 1  # the seeded state's


def test_rows_changed_before_the_verification_read_are_not_taken_as_the_state(
        dbs, cli, sql, monkeypatch):
    # The app commits a row while the apply verifies (PostgreSQL reads committed rows; SQLite's
    # write lock lets nobody write until the apply commits): what the verification saw is not
    # the state the plan's key names, so it is not recorded.
    if dbs.backend == "sqlite":
        pytest.skip("SQLite: the apply holds the file's write lock until it commits")
    url = dbs.seeded()
    sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    sql(url, "DELETE FROM seed_state.seed_verified")  # as if the seeded state was never checked
    real_checked = checking.verify_minimums

    def app_writes_first(*args, **kwargs):  # (the foreign row breaks a rule: look past that)
        sql(url, FOREIGN_ENTRY)
        return [], real_checked(*args, **kwargs)[1]

    monkeypatch.setattr(checking, "verify_minimums", app_writes_first)
    code, out, err = cli("apply", "--database-url", url, "--full")
    assert code == 0 and "1 created" in out, out + err
    assert _verified(dbs, sql, url) == []
