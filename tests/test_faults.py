"""Faults, concurrency, bad input, secrets and the production guard (issue: nothing lost,
nobody let in). Subprocess tests run the real `seed` entry point."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from conftest import ANCHOR

from mentara_seed.applier.lock import LOCK_KEY

SEED = [sys.executable, "-m", "mentara_seed.cli.app"]
# A write-heavy apply that still runs in about a second: the tier-0/1 enrichers at scale 30.
BIG = ["--anchor", ANCHOR, "--scale", "30", "--target", "memberships", "--target",
       "relationships", "--target", "availability"]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SEED_")}


def _plan_json(url: str) -> str:
    done = subprocess.run(SEED + ["plan", "--database-url", url, "--format", "json", *BIG],
                          capture_output=True, text=True, env=_env(), check=True)
    return done.stdout


def test_kill_9_during_apply_leaves_database_and_journal_as_before(dbs, dump):
    url = dbs.initialized()
    before, plan_before = dump(url), _plan_json(url)
    rng = random.Random(20261116)
    killed = 0
    for _ in range(4):
        proc = subprocess.Popen(SEED + ["apply", "--database-url", url, *BIG],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_env())
        assert proc.stdout is not None
        for line in proc.stdout:  # the plan is printed inside the transaction, before writing
            if line.startswith("Plan:"):
                break
        time.sleep(rng.uniform(0.0, 0.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode != -signal.SIGKILL:
            break
        if dump(url) != before:
            # Killed after the commit (while verifying): then the whole apply is there.
            assert json.loads(_plan_json(url))["changes"] == []
            break
        killed += 1
        assert _plan_json(url) == plan_before
    assert killed >= 2, "the apply committed before it could be killed; make BIG bigger"


def test_concurrent_applies_serialize_and_write_once(dbs, sql):
    url = dbs.initialized()
    procs = [subprocess.Popen(SEED + ["apply", "--database-url", url, *BIG],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=_env()) for _ in range(3)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], [r[1] for r in results]
    written = [r for r in results if "Apply complete" in r[0]]
    assert len(written) == 1
    assert sum("Nothing to apply" in r[0] for r in results) == 2
    assert sql(url, 'SELECT count(*) FROM (SELECT "userId", "communityId" FROM "Membership" '
                    'GROUP BY 1, 2 HAVING count(*) > 1) d')[0][0] == 0
    table = "seed_state.seed_apply" if url.startswith("postgresql") else "seed_apply"
    assert [r[0] for r in sql(url, f"SELECT kind FROM {table} ORDER BY serial")] == [
        "init", "apply"]


@pytest.fixture
def hold_lock(engine_for):
    """Hold the apply lock from another connection, as a running apply would."""
    holders = []

    def hold(url: str) -> None:
        conn = engine_for(url).connect()
        if conn.dialect.name == "postgresql":
            conn.begin()
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        else:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE", lock_timeout=5.0)
            conn.begin()
        holders.append(conn)

    yield hold
    for conn in holders:
        conn.rollback()
        conn.close()


def test_waiting_apply_names_the_holder_and_gives_up_after_lock_timeout(dbs, cli, hold_lock):
    url = dbs.initialized()
    hold_lock(url)
    started = time.monotonic()
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--lock-timeout",
                       "1")
    assert code == 1
    assert time.monotonic() - started < 10
    assert "Waiting for the apply lock held by" in err
    assert "Gave up after 1 s" in err and "Traceback" not in err
    if url.startswith("postgresql"):
        assert "pid" in err


def test_foreign_writer_during_apply_loses_nothing(dbs, cli, sql, engine_for):
    url = dbs.initialized()
    engine = engine_for(url)
    stop = threading.Event()
    written: list[str] = []

    def app_writes() -> None:
        n = 0
        while not stop.is_set() and n < 400:
            uid = f"app-writer-{n}"
            try:
                with engine.begin() as conn:
                    conn.execute(sa.text(
                        'INSERT INTO "User" (id, email, "firstName", "lastName", role, '
                        '"createdAt", "updatedAt", "emailVerified", "isActive", '
                        '"failedLoginCount") VALUES (:id, :email, \'App\', \'Writer\', '
                        "'admin', '2026-01-01', '2026-01-01', false, true, 0)"),
                        {"id": uid, "email": f"{uid}@example.org"})
                written.append(uid)
            except sa.exc.OperationalError:
                pass  # SQLite: the apply holds the write lock; the app retries later
            n += 1
            time.sleep(0.005)

    writer = threading.Thread(target=app_writes)
    writer.start()
    try:
        code, out, err = cli("apply", "--database-url", url, *BIG, "--lock-timeout", "30")
    finally:
        stop.set()
        writer.join()
    assert code in (0, 1), err
    if code == 1:
        assert "run `seed plan` again" in err and "Traceback" not in err
    present = {r[0] for r in sql(url, 'SELECT id FROM "User" WHERE id LIKE \'app-writer-%\'')}
    assert present == set(written)
    code, _, err = cli("apply", "--database-url", url, *BIG)
    assert code == 0, err


def test_statement_timeout_mid_apply_rolls_back_with_a_message(pg_server, cli, dump):
    if pg_server is None:
        pytest.skip("PostgreSQL only")
    url = pg_server.create(f"seedtest_timeout_{os.getpid()}_{random.Random().randrange(10**6)}")
    code, _, err = cli("init", "--database-url", url)
    assert code == 0, err
    before = dump(url)
    slow = url + "?options=-c%20statement_timeout%3D1"
    code, _, err = cli("apply", "--database-url", slow, *BIG)
    assert code == 1
    assert "Nothing was written" in err or "statement timeout" in err
    assert "Traceback" not in err
    assert dump(url) == before


def test_read_only_user_gets_a_clear_error(pg_server, cli, sql):
    if pg_server is None:
        pytest.skip("PostgreSQL only")
    name = f"seedtest_ro_{os.getpid()}_{random.Random().randrange(10**6)}"
    url = pg_server.create(name)
    cli("init", "--database-url", url)
    role = f"seed_ro_{os.getpid()}"
    with pg_server.admin.connect() as conn:
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    sql(url, f'GRANT USAGE ON SCHEMA public, seed_state TO "{role}"')
    sql(url, f'GRANT SELECT ON ALL TABLES IN SCHEMA public, seed_state TO "{role}"')
    ro_url = sa.make_url(url).set(username=role).render_as_string(hide_password=False)
    try:
        code, _, err = cli("apply", "--database-url", ro_url, *BIG)
        assert code == 1
        assert "permission denied" in err and "Nothing was written" in err
        assert "Traceback" not in err
    finally:
        pg_server.drop(name)
        with pg_server.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')


SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize("command", [["plan"], ["apply"], ["init"], ["verify"], ["history"],
                                     ["apply", "--verbose"], ["destroy"]])
def test_password_never_appears_in_output(cli, command):
    url = f"postgresql://mentara:{SECRET}@127.0.0.1:1/mentara_dev"
    code, out, err = cli(*command, "--database-url", url)
    assert code == 1
    assert SECRET not in out + err
    assert "***" in out + err or "Cannot connect" in err


def test_password_never_reaches_plans_or_the_journal(dbs, cli, sql, tmp_path):
    url = dbs.initialized()
    if not url.startswith("postgresql"):
        pytest.skip("a SQLite URL has no password")
    with_password = sa.make_url(url).set(password=SECRET).render_as_string(
        hide_password=False)
    saved = tmp_path / "plan.json"
    code, _, err = cli("plan", "--database-url", with_password, *BIG, "--out", str(saved))
    assert code == 0, err
    assert SECRET not in saved.read_text()
    code, out, err = cli("apply", "--database-url", with_password, *BIG)
    assert code == 0, err
    assert SECRET not in out + err
    journal = sql(url, "SELECT * FROM seed_state.seed_apply") + sql(
        url, "SELECT * FROM seed_state.seed_row_event")
    assert SECRET not in json.dumps([list(map(str, r)) for r in journal])


@pytest.mark.parametrize("command", ["apply", "destroy", "undo", "reset", "init"])
def test_production_guard_refuses_writes_to_a_production_looking_database(cli, command):
    url = "postgresql://deploy@db.mentara.example.com:5432/mentara"
    code, _, err = cli(command, "--database-url", url)
    assert code == 1
    assert "does not look like a development database" in err
    assert "--i-know-this-is-not-production" in err


def test_production_guard_override_and_allow_list(cli, monkeypatch, tmp_path):
    url = "postgresql://deploy@db.mentara.example.com:1/mentara"
    code, _, err = cli("apply", "--database-url", url, "--i-know-this-is-not-production")
    assert code == 1 and "Cannot connect" in err
    (tmp_path / "seed.toml").write_text('allowed_hosts = ["*.mentara.example.com"]\n')
    code, _, err = cli("apply", "--database-url", url)
    assert "Cannot connect" in err


def test_plan_is_allowed_anywhere(cli):
    code, _, err = cli("plan", "--database-url",
                       "postgresql://deploy@db.mentara.example.com:1/mentara")
    assert code == 1 and "Cannot connect" in err


@pytest.mark.parametrize("url, message", [
    ("postgresql://u@h:notaport/x", "Malformed database URL"),
    ("mysql://u@localhost/x", "Unsupported database"),
    ("not a url", "Malformed database URL"),
])
def test_bad_database_urls_are_usage_errors(cli, url, message):
    code, _, err = cli("plan", "--database-url", url)
    assert code == 2 and message in err and "Traceback" not in err


def test_unreachable_database_is_a_clear_error(cli):
    code, _, err = cli("plan", "--database-url", "postgresql://u@127.0.0.1:1/mentara_dev")
    assert code == 1 and "Cannot connect to postgresql://u@127.0.0.1:1/mentara_dev" in err


def test_config_errors_name_key_file_and_line(cli, tmp_path):
    (tmp_path / "seed.toml").write_text('profile = "huge"\nbogus = 1\n')
    code, _, err = cli("plan")
    assert code == 2
    assert "profile:" in err and "[seed.toml:1]" in err
    assert "bogus: Extra inputs are not permitted" in err and "[seed.toml:2]" in err
    (tmp_path / "seed.toml").write_text("[minimums.memberhsips]\nper_client = 2\n")
    code, _, err = cli("plan")
    assert code == 2 and "Did you mean 'memberships'" in err
    (tmp_path / "seed.toml").write_text("[minimums.memberships]\nper_client = -1\n")
    code, _, err = cli("plan")
    assert code == 2 and "minimums.memberships.per_client" in err
    (tmp_path / "seed.toml").write_text("profile = \n")
    code, _, err = cli("plan")
    assert code == 2 and "not valid TOML" in err


def test_verbose_shows_a_traceback_and_default_does_not(cli):
    url = "postgresql://u@127.0.0.1:1/mentara_dev"
    _, _, err = cli("plan", "--database-url", url)
    assert "Traceback" not in err
    _, _, err = cli("plan", "--database-url", url, "--verbose")
    assert "Traceback" in err


def test_disk_full_mid_apply_rolls_back_with_a_message(dbs, cli, sql, dump, engine_for):
    url = dbs.initialized()
    if not url.startswith("sqlite"):
        pytest.skip("SQLite can cap its file size per connection; PostgreSQL needs a full disk")
    before = dump(url)
    engine = engine_for(url)

    @sa.event.listens_for(sa.Engine, "connect")
    def _small_disk(dbapi_conn, _record):  # every connection of this test: a ~2 MB "disk"
        dbapi_conn.execute("PRAGMA max_page_count = 500")

    try:
        code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    finally:
        sa.event.remove(sa.Engine, "connect", _small_disk)
    engine.dispose()
    assert code == 1
    assert "full" in err and "Nothing was written" in err and "Traceback" not in err
    assert dump(url) == before


def test_a_plan_from_another_database_is_refused(dbs, cli, tmp_path):
    first, second = dbs.initialized(), dbs.initialized()
    cli("apply", "--database-url", first, "--anchor", ANCHOR, "--profile", "light")
    cli("apply", "--database-url", second, "--anchor", ANCHOR, "--profile", "light",
        "--seed", "7")
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", first, "--profile", "heavy", "--out", str(saved))
    code, _, err = cli("apply", str(saved), "--database-url", second)
    assert code == 1
    assert "made for another database" in err and "Nothing was written" in err
