"""Fresh apply, idempotency and minimums, through the real CLI on every backend."""

from __future__ import annotations

from conftest import ANCHOR


def test_fresh_apply_satisfies_minimums_and_second_plan_is_empty(dbs, cli, sql):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, err
    assert "Verified" in out
    code, out, _ = cli("plan", "--database-url", url)
    assert code == 0
    assert "No changes." in out
    code, out, _ = cli("plan", "--full", "--database-url", url)  # the enrichers, run again
    assert code == 0
    assert "No changes." in out and "not run again" not in out
    clients = sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0]
    assert clients == 25
