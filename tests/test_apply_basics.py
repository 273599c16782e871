"""Fresh apply, idempotency and minimums, through the real CLI on every backend."""

from __future__ import annotations

import sqlalchemy as sa
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


def test_a_fresh_apply_loads_its_rows_frozen_and_a_later_one_as_usual(dbs, cli, sql):
    """``apply --init`` creates the tables in its own transaction, so PostgreSQL takes their
    rows frozen and all-visible (``COPY … FREEZE``): no hint-bit writes on the first reads, no
    work for autovacuum after the load. An apply into tables made before copies as usual."""
    if dbs.backend != "postgresql":
        return  # SQLite has no such thing
    visible = """SELECT relname, relpages, relallvisible FROM pg_class
                 WHERE relname IN ('Comment', 'Post', 'User') ORDER BY relname"""
    fresh = dbs.empty()
    # The strictest isolation a database may default to: COPY … FREEZE works there too.
    name = sa.make_url(fresh).database
    sql(fresh, f"""ALTER DATABASE "{name}" SET default_transaction_isolation = 'serializable'""")
    code, _, err = cli("apply", "--init", "--database-url", fresh, "-p", "light",
                       "--anchor", ANCHOR)
    assert code == 0, err
    sql(fresh, 'ANALYZE "Comment", "Post", "User"')
    rows = sql(fresh, visible)
    assert len(rows) == 3 and all(pages > 0 and seen == pages for _, pages, seen in rows), rows
    later = dbs.initialized()
    code, _, err = cli("apply", "--database-url", later, "-p", "light", "--anchor", ANCHOR)
    assert code == 0, err
    sql(later, 'ANALYZE "Comment", "Post", "User"')
    assert all(seen == 0 for _, _, seen in sql(later, visible))
