"""Every bad input reported under "Unexpected error" or with the wrong cause now ends in a
message that names the cause and the fix; saved plans are applied exactly or refused."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
import sqlalchemy as sa
from conftest import ANCHOR

SEED = [sys.executable, "-m", "mentara_seed.cli.app"]


def _clean(err: str) -> bool:
    return "Unexpected error" not in err and "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["--anchor", "0001-01-01"], "the anchor must be between"),
    (["--anchor", "9999-12-31"], "the anchor must be between"),
    (["--seed", "1e23"], "valid integer"),
    (["--seed", "3000000000"], "less than or equal to 2147483647"),
])
def test_out_of_range_settings_are_usage_errors(dbs, cli, args, message):
    url = dbs.initialized()
    code, _, err = cli("plan", "--database-url", url, *args)
    assert code == 2 and message in err and _clean(err), err


def test_a_minimum_too_large_to_plan_is_a_usage_error_not_a_run_out_of_memory(dbs, cli, tmp_path):
    """`clients = 3000000000` (a typo) would plan until the machine had no memory left."""
    url = dbs.initialized()
    (tmp_path / "seed.toml").write_text("[minimums.users]\nclients = 3000000000\n")
    code, _, err = cli("plan", "--database-url", url)
    assert code == 2 and "minimums.users.clients" in err and "at most 1,000,000" in err, err
    assert _clean(err)
    (tmp_path / "seed.toml").write_text("[minimums.users]\nclients = 1000000\n")
    code, _, err = cli("plan", "--database-url", url, "--exclude", "users")
    assert code == 0, err  # the bound itself is allowed (users left out: nothing this large runs)


def test_out_of_range_settings_from_the_environment(cli, monkeypatch, dbs):
    url = dbs.initialized()
    monkeypatch.setenv("SEED_SEED", "1e23")
    code, _, err = cli("plan", "--database-url", url)
    assert code == 2 and "seed" in err and _clean(err)


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg2", "pg8000"])
def test_other_drivers_are_named_with_the_fix(cli, driver):
    code, _, err = cli("plan", "--database-url", f"postgresql+{driver}://app@localhost/x")
    assert code == 2 and f"Unsupported driver '{driver}'" in err
    assert "postgresql://app@localhost/x" in err and _clean(err)


def _saved(cli, url, tmp_path):
    saved = tmp_path / "plan.json"
    code, _, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--profile", "light",
                       "--out", str(saved))
    assert code == 0, err
    return saved


@pytest.mark.parametrize("edit", [
    lambda d: d["request"].__setitem__("anchor", "not a date"),
    lambda d: d.__setitem__("profile", "heavy"),
    lambda d: d.__setitem__("targets", ["users"]),
    lambda d: d["counts"].__setitem__("create", 1),
    lambda d: d.__setitem__("journal_serial", 99),
])
def test_edits_to_a_saved_plan_header_are_refused(dbs, cli, tmp_path, dump, edit):
    url = dbs.initialized()
    saved = _saved(cli, url, tmp_path)
    doc = json.loads(saved.read_text())
    edit(doc)
    saved.write_text(json.dumps(doc))
    before = dump(url)
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 2 and "was edited after it was made" in err and _clean(err)
    assert dump(url) == before


def test_a_damaged_anchor_with_a_matching_digest_is_still_a_message(cli, tmp_path, dbs):
    from mentara_seed.planner.saved import digest_line

    url = dbs.initialized()
    saved = _saved(cli, url, tmp_path)
    doc = json.loads(saved.read_text())
    doc.pop("digest")
    doc["request"]["anchor"] = "not a date"
    body = json.dumps(doc)
    saved.write_text("{\n" + digest_line(body) + body[1:])
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 2 and "is not a date" in err and _clean(err)


@pytest.mark.parametrize("option", [["--target", "users"], ["--exclude", "posts"],
                                    ["--profile", "heavy"], ["--seed", "3"], ["--prune"],
                                    ["--update"], ["--anchor", "2026-11-23"], ["--init"]])
def test_plan_options_with_a_saved_plan_are_refused(dbs, cli, tmp_path, option):
    url = dbs.initialized()
    saved = _saved(cli, url, tmp_path)
    code, _, err = cli("apply", str(saved), "--database-url", url, *option)
    assert code == 2 and f"{option[0]} cannot be given with a saved plan" in err


def test_a_saved_plan_uses_its_own_settings(dbs, cli, tmp_path, sql):
    url = dbs.initialized()
    saved = _saved(cli, url, tmp_path)
    (tmp_path / "seed.toml").write_text('profile = "heavy"\nseed = 5\n')
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, out + err
    table = _journal_table(url)
    assert sql(url, f"SELECT profile, project_seed FROM {table} ORDER BY serial DESC "
                    "LIMIT 1")[0] == ("light", 0)


def test_an_app_table_named_like_the_journal_is_a_message(cli, tmp_path, sql):
    path = tmp_path / "app.db"
    url = f"sqlite:///{path}"
    code, _, err = cli("init", "--database-url", url)
    assert code == 0, err
    sql(url, "DROP TABLE seed_apply")
    sql(url, "CREATE TABLE seed_apply (id INTEGER PRIMARY KEY, note TEXT)")
    for command in (["plan", "--anchor", ANCHOR], ["apply", "--anchor", ANCHOR], ["history"]):
        code, _, err = cli(*command, "--database-url", url)
        assert code == 1 and _clean(err), err
        assert "named like the seed journal" in err


def _journal_table(url: str) -> str:
    return "seed_state.seed_apply" if url.startswith("postgresql") else "seed_apply"


@pytest.mark.parametrize("column, value", [
    ("anchor", "'yesterday'"), ("counts", "'{not json'"), ("state_key", "'x'"),
    ("targets", "'not a list'"), ("settings", "'[1'"), ("config_hash", "NULL"),
])
def test_a_hand_edited_journal_is_a_message(dbs, cli, sql, column, value):
    url = dbs.seeded("light")
    table = _journal_table(url)
    try:
        sql(url, f"UPDATE {table} SET {column} = {value} WHERE serial = "
                 f"(SELECT max(serial) FROM {table})")
    except sa.exc.DBAPIError:
        pytest.skip(f"the journal has no text column {column}")
    for command in (["plan"], ["apply"], ["history"], ["verify"]):
        code, _, err = cli(*command, "--database-url", url)
        assert code in (0, 1) and _clean(err), (command, err)


@pytest.mark.parametrize("edit", ["fingerprint = 'x'", "fingerprint = NULL",
                                  "pk = 'not-a-key'", "action = 'explode'",
                                  "table_name = 'NoSuchTable'"])
def test_row_events_edited_by_hand_are_a_message(dbs, cli, sql, edit):
    url = dbs.seeded("light")
    table = "seed_state.seed_row_event" if url.startswith("postgresql") else "seed_row_event"
    sql(url, f"UPDATE {table} SET {edit} WHERE seq < 5")
    for command in (["plan"], ["apply"], ["verify"], ["undo"], ["destroy"]):
        code, _, err = cli(*command, "--database-url", url)
        assert code in (0, 1) and _clean(err), (command, err)


def test_statement_timeouts_name_the_timeout(cli, dbs):
    if dbs.backend != "postgresql":
        pytest.skip("PostgreSQL only")
    url = dbs.seeded("light")
    refused = 0
    for ms in (1, 3, 7):
        slow = url + f"?options=-c%20statement_timeout%3D{ms}"
        for command in (["plan", "--full"], ["verify"]):
            code, _, err = cli(*command, "--database-url", slow)
            if code == 0:
                continue  # fast enough this time
            refused += 1
            assert code == 1 and "statement_timeout" in err and _clean(err), err
            assert "Check that the server is running" not in err
    assert refused >= 2


def test_an_extra_not_null_column_is_named_as_a_schema_difference(dbs, cli, sql, dump):
    url = dbs.initialized()
    sql(url, 'ALTER TABLE "Community" ADD COLUMN "mandatory" TEXT NOT NULL DEFAULT \'x\'')
    if url.startswith("postgresql"):
        sql(url, 'ALTER TABLE "Community" ALTER COLUMN "mandatory" DROP DEFAULT')
    else:
        pytest.skip("SQLite cannot drop a column default")
    before = dump(url)
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile", "light")
    assert code == 1 and _clean(err)
    assert "another writer" not in err and "NOT NULL" in err
    assert '"Community"."mandatory" is NOT NULL without a default' in err
    assert dump(url) == before


def test_an_unknown_not_null_column_without_a_default_is_a_difference_nullable_ones_are_not(
        tmp_path):
    # (SQLite adds no NOT NULL column without a default to a table: the table is made so.)
    from mentara_seed.schema import check

    known = sa.Table("Mood", sa.MetaData(), sa.Column("id", sa.Text, primary_key=True))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'moods.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE "Mood" (id TEXT PRIMARY KEY, "score" INTEGER NOT '
                             'NULL, "note" TEXT, "level" INTEGER NOT NULL DEFAULT 1)')
        conn.exec_driver_sql('CREATE TABLE "Other" (id TEXT PRIMARY KEY)')
        assert check.differences(conn, [known]) == [
            'column "Mood"."score" is NOT NULL without a default, and the seeder does not know '
            "it (it could not insert a row)"]
        assert check.unknown(conn, [known]) == (
            'table "Other"', 'column "Mood"."level"', 'column "Mood"."note"',
            'column "Mood"."score"')
    engine.dispose()


def _role_url(pg_server, url, role, grants):
    with pg_server.admin.connect() as conn:
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
    with engine.begin() as conn:
        conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for grant in grants:
            conn.exec_driver_sql(grant.format(role=role))
    engine.dispose()
    return sa.make_url(url).set(username=role).render_as_string(hide_password=False)


def _drop_role(pg_server, name, role):
    pg_server.drop(name)
    with pg_server.admin.connect() as conn:
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')


def test_init_and_reset_without_privileges_name_the_privilege(pg_server, cli):
    if pg_server is None:
        pytest.skip("PostgreSQL only")
    name = f"seedtest_priv_{os.getpid()}_{random.Random().randrange(10**6)}"
    url = pg_server.create(name)
    role = f"seed_np_{os.getpid()}"
    role_url = _role_url(pg_server, url, role, ['GRANT USAGE ON SCHEMA public TO "{role}"'])
    try:
        code, _, err = cli("init", "--database-url", role_url)
        assert code == 1 and "permission denied" in err and "CREATE" in err and _clean(err)
        assert cli("init", "--database-url", url)[0] == 0
        code, _, err = cli("reset", "--database-url", role_url, "--force")
        assert code == 1 and _clean(err), err
        assert "privilege" in err or "may not read" in err
    finally:
        _drop_role(pg_server, name, role)


def test_a_role_without_select_is_told_so(pg_server, cli):
    if pg_server is None:
        pytest.skip("PostgreSQL only")
    name = f"seedtest_nosel_{os.getpid()}_{random.Random().randrange(10**6)}"
    url = pg_server.create(name)
    assert cli("init", "--database-url", url)[0] == 0
    role = f"seed_ns_{os.getpid()}"
    role_url = _role_url(pg_server, url, role, [
        'GRANT USAGE ON SCHEMA public, seed_state TO "{role}"',
        'GRANT SELECT ON ALL TABLES IN SCHEMA seed_state TO "{role}"'])
    try:
        code, _, err = cli("plan", "--database-url", role_url)
        assert code == 1 and "no SELECT privilege" in err and _clean(err), err
        assert "none of the Mentara tables" not in err
    finally:
        _drop_role(pg_server, name, role)


def test_concurrent_inits_create_the_schema_once(dbs):
    url = dbs.empty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}
    procs = [subprocess.Popen(SEED + ["init", "--database-url", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], [r[1] for r in results]
    assert sum("Created" in r[0] for r in results) == 1
    assert sum("already present" in r[0] for r in results) == 2
