"""The no-op shortcut: a plan skips the enrichers only when nothing they read has changed since
the last apply, and then finds exactly what running them would find."""

from __future__ import annotations

import json

import pytest
from conftest import ANCHOR, delete_busiest_community, recycle_dev_client

from mentara_seed.planner import shortcut

REUSED = "were not run again"


def _without_images(dbs, sql, url):
    """As if an earlier version, which kept no row images, had created every row."""
    events = "seed_state.seed_row_event" if dbs.backend == "postgresql" else "seed_row_event"
    sql(url, f"UPDATE {events} SET image = NULL")


def _plan(cli, url, *extra):
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_a_second_plan_skips_the_enrichers_and_agrees_with_a_full_one(dbs, cli, sql):
    url = dbs.seeded()
    quick = _plan(cli, url)
    full = _plan(cli, url, "--full")
    assert quick["reused"] is True and full["reused"] is False
    assert quick["changes"] == full["changes"] == [] and quick["held"] == full["held"] == []
    assert quick["state_key"] == full["state_key"] is not None
    code, out, _ = cli("plan", "--database-url", url)
    assert code == 0 and "No changes." in out and REUSED in out
    recorded = sql(url, "SELECT state_key FROM seed_state.seed_apply WHERE kind = 'apply'"
                   if dbs.backend == "postgresql" else
                   "SELECT state_key FROM seed_apply WHERE kind = 'apply'")
    assert recorded == [(quick["state_key"],)]


@pytest.mark.parametrize("change", ["foreign row", "owned row deleted", "owned row edited",
                                    "other request", "parent deleted", "key recycled"])
def test_anything_the_enrichers_read_changing_runs_them(dbs, cli, sql, change):
    url = dbs.seeded()
    extra: tuple[str, ...] = ()
    if change == "foreign row":
        sql(url, """INSERT INTO "Community" (id, slug, name, description, "imageUrl",
                    "createdAt", "updatedAt") VALUES ('c-foreign', 'foreign-circle',
                    'Foreign Circle', 'Made in the app', 'https://example.test/c.png',
                    '2026-11-01 10:00:00', '2026-11-01 10:00:00')""")
    elif change == "owned row deleted":
        sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    elif change == "owned row edited":
        sql(url, """UPDATE "JournalEntry" SET content = 'edited in the app'
                    WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    elif change == "parent deleted":  # the database nulls references to it
        delete_busiest_community(sql, url)
    elif change == "key recycled":
        recycle_dev_client(sql, url)
    else:
        extra = ("--profile", "heavy")
    quick = _plan(cli, url, *extra)
    full = _plan(cli, url, "--full", *extra)
    assert quick["reused"] is False
    assert quick["changes"] == full["changes"] and quick["held"] == full["held"]
    if change == "owned row deleted":  # created again from the journal's image of it
        assert [(c["action"], c["table"]) for c in quick["changes"]] == [
            ("create", "JournalEntry")]
        assert quick["restored"] is True and quick["partial"] == []
    if change == "owned row edited":
        assert quick["changes"] == [] and len(quick["held"]) == 1
    if change == "parent deleted":
        assert quick["held"] == [] and "cascaded" in {c["reason"] for c in quick["changes"]}
    if change == "key recycled":
        assert [h["reason"] for h in quick["held"]] == ["foreign"]


def test_an_apply_that_holds_changes_back_records_no_state_key(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    sql(url, """UPDATE "JournalEntry" SET content = 'edited in the app'
                WHERE id = (SELECT max(id) FROM "JournalEntry")""")
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    # The edited row is held back (drift is kept without --update): the next plan must look
    # again.
    assert _plan(cli, url)["reused"] is False
    code, _, err = cli("apply", "--database-url", url, "--update")
    assert code == 0, err
    assert _plan(cli, url, "--update")["reused"] is True


def test_other_code_is_another_state(dbs, cli, monkeypatch):
    url = dbs.seeded()
    assert _plan(cli, url)["reused"] is True
    monkeypatch.setattr(shortcut, "code_digest", lambda: "an edited enricher")
    assert _plan(cli, url)["reused"] is False


def test_a_journal_from_before_state_keys_is_read_and_upgraded(dbs, cli, sql):
    url = dbs.initialized()
    table = "seed_state.seed_apply" if dbs.backend == "postgresql" else "seed_apply"
    events = "seed_state.seed_row_event" if dbs.backend == "postgresql" else "seed_row_event"
    sql(url, f"ALTER TABLE {table} DROP COLUMN state_key")
    sql(url, f"ALTER TABLE {table} DROP COLUMN journal_format")
    sql(url, f"ALTER TABLE {table} DROP COLUMN xact")
    sql(url, f"ALTER TABLE {events} DROP COLUMN image")
    sql(url, f"ALTER TABLE {events} DROP COLUMN identity")
    code, out, err = cli("history", "--database-url", url)
    assert code == 0, err
    assert _plan(cli, url, "--anchor", ANCHOR)["reused"] is False
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert _plan(cli, url)["reused"] is True
    assert sql(url, f"SELECT kind, journal_format FROM {table} ORDER BY serial") == [
        ("init", None), ("apply", 2)]
    # The columns are back: the apply's runs keep their images (and, on PostgreSQL, a stamp).
    assert sql(url, f"SELECT count(*) FROM {events} WHERE image IS NULL") == [(0,)]
    assert (sql(url, f"SELECT xact IS NOT NULL FROM {table} WHERE kind = 'apply'")
            == [(dbs.backend == "postgresql",)])


def test_deleted_rows_rerun_only_their_writers_and_match_a_full_plan(dbs, cli, sql):
    # Without images in the journal the writers of the tables with deleted rows run.
    url = dbs.seeded()
    _without_images(dbs, sql, url)
    # A post goes, and the schema's cascades take its comments, hearts and reports along.
    sql(url, """DELETE FROM "Post" WHERE id = (SELECT min(id) FROM "Post")""")
    quick = _plan(cli, url)
    full = _plan(cli, url, "--full")
    assert quick["reused"] is False and full["partial"] == []
    assert "posts" in quick["partial"] and "messages" not in quick["partial"]
    # What the writers depend on is replayed from its live rows, not run.
    assert not {"communities", "users", "memberships"} & set(quick["partial"])
    assert quick["changes"] == full["changes"] and quick["held"] == full["held"] == []
    assert {c["action"] for c in quick["changes"]} == {"create"}
    assert "Post" in {c["table"] for c in quick["changes"]}
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert "only" in out.lower() and "ran" in out
    assert _plan(cli, url)["reused"] is True


def test_a_partial_run_that_plans_anything_else_gives_way_to_the_whole_run(dbs, cli, sql,
                                                                           monkeypatch):
    url = dbs.seeded()
    _without_images(dbs, sql, url)
    sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    checked: list[bool] = []
    real = shortcut.only_recreates

    def refuse(*args):
        checked.append(real(*args))
        return False

    monkeypatch.setattr(shortcut, "only_recreates", refuse)
    quick = _plan(cli, url)
    assert checked == [True]  # the partial plan was right, and still the whole run planned
    assert quick["partial"] == [] and quick["changes"] == _plan(cli, url, "--full")["changes"]


def test_an_empty_apply_after_a_code_change_records_the_new_key(dbs, cli, sql, monkeypatch):
    url = dbs.seeded()
    table = "seed_state.seed_apply" if dbs.backend == "postgresql" else "seed_apply"
    records = sql(url, f"SELECT count(*) FROM {table}")[0][0]
    monkeypatch.setattr(shortcut, "code_digest", lambda: "a new version")
    assert _plan(cli, url)["reused"] is False
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0 and "No changes." in out, err
    # One record without rows, carrying the new key; the next plan is a shortcut again.
    assert sql(url, f"SELECT count(*) FROM {table}")[0][0] == records + 1
    assert sql(url, f"SELECT counts FROM {table} ORDER BY serial DESC LIMIT 1")[0][0] in ({}, "{}")
    assert _plan(cli, url)["reused"] is True
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert sql(url, f"SELECT count(*) FROM {table}")[0][0] == records + 1


def test_a_partial_run_must_recreate_the_values_the_journal_recorded(dbs, cli, sql):
    url = dbs.seeded()
    events = "seed_state.seed_row_event" if dbs.backend == "postgresql" else "seed_row_event"
    ((pk,),) = sql(url, 'SELECT min(id) FROM "JournalEntry"')
    sql(url, f"""DELETE FROM "JournalEntry" WHERE id = '{pk}'""")
    # The journal says the row was applied with other values than the enricher makes now
    # (as if its inputs had changed in a way the state key does not see).
    # (Creates are stored as runs: keys and fingerprints one per line.)
    for serial, seq, keys, fps in sql(url, f"""SELECT serial, seq, pk, fingerprint FROM {events}
                                            WHERE table_name = 'JournalEntry'
                                            AND action = 'create'"""):
        if pk in keys.split("\n"):
            applied = fps.split("\n")[keys.split("\n").index(pk)]
            sql(url, f"""UPDATE {events}
                         SET fingerprint = replace(fingerprint, '{applied}', 'not applied')
                         WHERE serial = {serial} AND seq = {seq}""")
    quick = _plan(cli, url)
    assert quick["partial"] == []  # the partial plan did not match: the whole run planned
    assert quick["changes"] == _plan(cli, url, "--full")["changes"]
    assert [(c["action"], c["table"], c["pk"]) for c in quick["changes"]] == [
        ("create", "JournalEntry", pk)]


@pytest.mark.parametrize("images", [True, False])
def test_deleted_rows_restored_with_prune_match_a_full_plan(dbs, cli, sql, images):
    # --prune marks a table complete once its writer runs: the replayed dependencies must
    # leave the projection exactly as running them would.
    url = dbs.seeded()
    code, _, err = cli("apply", "--database-url", url, "--prune")  # the key of a --prune run
    assert code == 0, err
    if not images:
        _without_images(dbs, sql, url)
    sql(url, """DELETE FROM "Post" WHERE id = (SELECT max(id) FROM "Post")""")
    quick = _plan(cli, url, "--prune")
    full = _plan(cli, url, "--prune", "--full")
    if images:
        assert quick["restored"] is True and quick["partial"] == []
    else:
        assert "posts" in quick["partial"] and "users" not in quick["partial"]
    assert quick["changes"] == full["changes"] and quick["held"] == full["held"]
    assert quick["changes"] and {c["action"] for c in quick["changes"]} == {"create"}
