"""Write stamps: on PostgreSQL an apply records the transaction that wrote it, and a plan tells
from the row versions alone that owned rows are as applied, reading no owned row. Whatever it
cannot tell that way it reads and fingerprints, and the plan is the same either way."""

from __future__ import annotations

import json

import pytest
from conftest import delete_busiest_community, recycle_dev_client

from mentara_seed.planner import shortcut
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.state import stamps

APPLIES = "seed_state.seed_apply"


def _plan(cli, url, *extra):
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def _live_line(cli, url, *extra):
    """What the plan says of the database it read ("live: N rows in T tables · …")."""
    code, out, err = cli("plan", "--database-url", url, *extra)
    assert code == 0, err
    return next(line for line in out.splitlines() if line.startswith("live:"))


@pytest.fixture
def pg(dbs):
    if dbs.backend != "postgresql":
        pytest.skip("write stamps are PostgreSQL's (xmin)")
    return dbs


@pytest.fixture
def paths(monkeypatch):
    """Which way the plans went: the tables each read of whole rows took, and whether owned
    rows were fingerprinted."""
    seen: dict[str, list] = {"read": [], "fingerprinted": []}
    read, missing = LiveState.read.__func__, shortcut.tables_missing_rows

    def reading(cls, conn, tables, known=None):
        seen["read"].append(sorted(set(tables) - set(known.tables() if known else ())))
        return read(cls, conn, tables, known)

    def fingerprinting(*args, **kwargs):
        found = missing(*args, **kwargs)
        seen["fingerprinted"].append(found)
        return found

    monkeypatch.setattr(LiveState, "read", classmethod(reading))
    monkeypatch.setattr(shortcut, "tables_missing_rows", fingerprinting)
    return seen


def _forget(paths):
    for seen in paths.values():
        seen.clear()


def test_each_apply_records_the_transaction_that_wrote_its_rows(dbs, sql):
    url = dbs.seeded()
    if dbs.backend == "sqlite":
        assert sql(url, "SELECT DISTINCT xact FROM seed_apply") == [(None,)]
        return
    ((stamp,),) = sql(url, f"SELECT xact FROM {APPLIES} WHERE kind = 'apply'")
    cluster, _, xid = stamp.partition(":")
    assert cluster == str(sql(url, "SELECT system_identifier FROM pg_control_system()")[0][0])
    assert sql(url, 'SELECT DISTINCT xmin::text::bigint FROM "Post"') == [(int(xid) % 2**32,)]


def test_a_plan_on_rows_as_applied_reads_none_of_them(pg, cli, paths):
    url = pg.seeded()
    _forget(paths)  # (building the seeded template read and planned)
    quick = _plan(cli, url)
    assert quick["reused"] is True and quick["changes"] == []
    assert paths["read"] == [] and paths["fingerprinted"] == []  # no table has foreign rows
    assert quick["state_key"] == _plan(cli, url, "--full")["state_key"]
    assert _live_line(cli, url) == _live_line(cli, url, "--full")


@pytest.mark.parametrize("change", ["edited", "rewritten as it was", "deleted", "foreign row",
                                    "parent deleted", "key recycled"])
def test_what_the_versions_cannot_vouch_for_is_read_and_plans_the_same(pg, cli, sql, paths,
                                                                       change):
    url = pg.seeded()
    _forget(paths)  # (building the seeded template read and planned)
    first = 'WHERE id = (SELECT min(id) FROM "JournalEntry")'
    if change == "edited":
        sql(url, f"""UPDATE "JournalEntry" SET content = 'edited in the app' {first}""")
    elif change == "rewritten as it was":  # a new version with the very same values
        sql(url, f"""UPDATE "JournalEntry" SET content = content {first}""")
    elif change == "deleted":
        sql(url, f"""DELETE FROM "JournalEntry" {first}""")
    elif change == "parent deleted":  # the database nulls the references to it
        delete_busiest_community(sql, url)
    elif change == "key recycled":
        recycle_dev_client(sql, url)
    else:
        sql(url, """INSERT INTO "Community" (id, slug, name, description, "imageUrl",
                    "createdAt", "updatedAt") VALUES ('c-foreign', 'foreign-circle',
                    'Foreign Circle', 'Made in the app', 'https://example.test/c.png',
                    '2026-11-01 10:00:00', '2026-11-01 10:00:00')""")
    quick = _plan(cli, url)
    if change == "deleted":  # the versions vouch for every other row: none is fingerprinted
        assert paths["fingerprinted"] == [] and quick["restored"] is True
    elif change == "foreign row":  # another state key: the enrichers all run
        assert paths["fingerprinted"] == [] and quick["reused"] is False
    else:  # a row written since is read, and its fingerprint decides
        assert len(paths["fingerprinted"]) == 1
        assert quick["reused"] is (change == "rewritten as it was")
    full = _plan(cli, url, "--full")
    assert quick["changes"] == full["changes"] and quick["held"] == full["held"]
    assert _live_line(cli, url) == _live_line(cli, url, "--full")


def test_a_stamp_of_another_cluster_is_not_trusted(pg, cli, sql, paths):
    url = pg.seeded()
    _forget(paths)  # (building the seeded template read and planned)
    sql(url, f"UPDATE {APPLIES} SET xact = '1' || xact")  # as if restored on another server
    quick = _plan(cli, url)
    assert quick["reused"] is True and paths["fingerprinted"] == [{}]


def test_a_row_rewritten_by_another_stamped_transaction_is_read(pg, cli, sql, paths, engine_for):
    # A transaction with a stamp of its own rewrote an owned row without journaling it (as a
    # cascade of one of the seeder's own deletes would): the row's version is not the one its
    # fingerprint was journaled with, so it is read, and the edit shows.
    url = pg.seeded()
    _forget(paths)  # (building the seeded template read and planned)
    columns = ("serial, apply_id, kind, applied_at, tool_version, actor, project_seed, profile, "
               "config_hash, changes_hash, anchor, lineage, targets, counts, state_key, "
               "journal_format")
    with engine_for(url).begin() as conn:
        conn.exec_driver_sql("""UPDATE "JournalEntry" SET content = 'rewritten'
                                WHERE id = (SELECT min(id) FROM "JournalEntry")""")
        stamp = stamps.current(conn)
        conn.exec_driver_sql(
            f"INSERT INTO {APPLIES} ({columns}, xact) SELECT serial + 1, apply_id || '-next', "
            f"{columns.split(', ', 2)[2]}, %(stamp)s FROM {APPLIES} "
            f"WHERE serial = (SELECT max(serial) FROM {APPLIES})", {"stamp": stamp})
    quick = _plan(cli, url)
    assert len(paths["fingerprinted"]) == 1 and quick["reused"] is False
    assert quick["changes"] == [] and len(quick["held"]) == 1
    assert quick["held"] == _plan(cli, url, "--full")["held"]
