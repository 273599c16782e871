"""The production guard judges the target the driver really connects to, and names match by
whole words; passwords never appear in what the tool prints or saves."""

from __future__ import annotations

import json
import urllib.parse

import bcrypt
import pytest
import sqlalchemy as sa
from conftest import ANCHOR
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed.guard import DEVELOPMENT_DATABASES, DEVELOPMENT_HOSTS, name_allowed
from mentara_seed.guard import looks_like_development as dev
from mentara_seed.secrets import scrub

HOSTS, NAMES = DEVELOPMENT_HOSTS, DEVELOPMENT_DATABASES
PROD = "db.prod.example.com"


def test_host_in_the_query_is_the_host_judged():
    url = f"postgresql://app@localhost/mentara_prod?host={PROD}"
    assert not dev(url, HOSTS, NAMES, environ={})


def test_pghost_is_the_host_judged_when_the_url_has_none():
    assert not dev("postgresql:///mentara_prod", HOSTS, NAMES, environ={"PGHOST": PROD})
    assert dev("postgresql:///mentara_prod", HOSTS, NAMES, environ={})
    assert not dev("postgresql://app@/", HOSTS, NAMES,
                   environ={"PGHOST": PROD, "PGDATABASE": "mentara_prod"})


def test_service_file_is_read(tmp_path):
    services = tmp_path / "services.conf"
    services.write_text(f"[prod]\nhost={PROD}\ndbname=mentara_prod\n")
    env = {"PGSERVICEFILE": str(services)}
    assert not dev("postgresql:///?service=prod", HOSTS, NAMES, environ=env)
    assert not dev("postgresql:///", HOSTS, NAMES, environ={**env, "PGSERVICE": "prod"})


def test_every_host_of_a_multi_host_url_must_be_allowed():
    url = f"postgresql://app@/mentara?host=localhost,{PROD}"
    assert not dev(url, HOSTS, NAMES, environ={})


@pytest.mark.parametrize("name, allowed", [
    ("mentara_dev", True), ("mentara-test", True), ("test", True), ("dev2", True),
    ("mentara.local", True), ("mentara_latest", False), ("devices", False),
    ("contestant", False), ("mentara_prod", False), ("seedling", False),
])
def test_database_names_match_whole_words(name, allowed):
    assert name_allowed(name, NAMES) is allowed
    assert dev(f"postgresql://app@{PROD}/{name}", HOSTS, NAMES, environ={}) is allowed


def test_glob_patterns_still_match_the_whole_name():
    assert name_allowed("mentara_qa7", ["*_qa*"])
    assert not name_allowed("mentara_prod", ["*_qa*"])


@pytest.mark.parametrize("value", ['["db.internal"]', "db.internal", ' [ "db.internal" ] '])
def test_allowed_hosts_accepts_both_documented_forms(cli, monkeypatch, value):
    monkeypatch.setenv("SEED_ALLOWED_HOSTS", value)
    code, _, err = cli("apply", "--database-url", "postgresql://app@db.internal:1/mentara")
    assert code == 1 and "Cannot connect" in err, err


def test_allowed_hosts_that_is_not_a_list_is_a_config_error(cli, monkeypatch):
    monkeypatch.setenv("SEED_ALLOWED_HOSTS", '["a", ')
    code, _, err = cli("apply", "--database-url", "postgresql://app@db.internal:1/mentara")
    assert code == 2 and "allowed_hosts" in err


def test_guard_message_names_the_real_host(cli):
    code, _, err = cli("apply", "--database-url",
                       f"postgresql://app@localhost/mentara_prod?host={PROD}")
    assert code == 1 and "Refusing to write to" in err and PROD in err


_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


@examples(25)
@given(st.lists(_word, min_size=1, max_size=4), st.sampled_from("_-."))
def test_a_name_is_allowed_only_if_one_of_its_words_is(words, separator):
    name = separator.join(words)
    expected = any(w.rstrip("0123456789") in NAMES for w in words)
    assert name_allowed(name, NAMES) is expected


# -- secrets -------------------------------------------------------------------------------

SECRET = "s3cr3t-Pa55"
_password = st.text(st.characters(min_codepoint=33, max_codepoint=126,
                                  exclude_characters="@/?#&=%'\"[]\\:;,"),
                    min_size=6, max_size=20)


@examples(50)
@given(_password, st.sampled_from(["userinfo", "query", "QUERY", "sslpassword", "keyvalue"]))
def test_scrub_masks_a_password_in_every_position(password, where):
    quoted = urllib.parse.quote(password, safe="")
    text = {
        "userinfo": f"postgresql://app:{quoted}@localhost/db",
        "query": f"postgresql://app@localhost/db?sslmode=require&password={quoted}",
        "QUERY": f"postgresql://app@localhost/db?PASSWORD={quoted}&x=1",
        "sslpassword": f"postgresql://app@localhost/db?sslpassword={quoted}",
        "keyvalue": f"host=localhost password={password} dbname=db",
    }[where]
    shown = scrub(f"Error: cannot reach {text}.")
    assert password not in shown and quoted not in shown and "***" in shown


@pytest.mark.parametrize("command", [["plan"], ["apply"], ["init"], ["destroy"], ["reset"]])
def test_password_in_a_query_parameter_is_never_printed(cli, command):
    url = f"postgresql://app@{PROD}:1/mentara_prod?password={SECRET}"
    code, out, err = cli(*command, "--database-url", url)
    assert code == 1
    assert SECRET not in out + err
    code, out, err = cli(*command, "--database-url", url, "--verbose")
    assert SECRET not in out + err


def test_list_typed_database_url_in_seed_toml_is_not_echoed(cli, tmp_path):
    (tmp_path / "seed.toml").write_text(
        f'database_url = ["postgresql://app:{SECRET}@localhost/mentara_dev"]\n')
    code, out, err = cli("plan")
    assert code == 2 and "database_url" in err
    assert SECRET not in out + err


def test_seeded_password_is_not_in_a_saved_plan_and_the_plan_applies(dbs, cli, tmp_path):
    url = dbs.initialized()
    (tmp_path / "seed.toml").write_text(f'[minimums.users]\npassword = "{SECRET}"\n')
    saved = tmp_path / "plan.json"
    code, out, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--profile",
                         "light", "--out", str(saved))
    assert code == 0, err
    text = saved.read_text()
    assert SECRET not in text
    assert json.loads(text)["request"]["minimums"]["users"]["password"].startswith("$2b$")
    code, out, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--format", "json")
    assert SECRET not in out
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, out + err


def test_a_saved_plan_applies_without_its_password_setting(dbs, cli, sql, tmp_path):
    """The plan records the configured password as the bcrypt hash the accounts store, so
    applying it needs no seed.toml; the hash is what the rows hold, never the password."""
    url = dbs.initialized()
    (tmp_path / "seed.toml").write_text(f'[minimums.users]\npassword = "{SECRET}"\n')
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", url, "--anchor", ANCHOR, "--profile", "light", "--out",
        str(saved))
    (tmp_path / "seed.toml").unlink()
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, out + err
    recorded = json.loads(saved.read_text())["request"]["minimums"]["users"]["password"]
    stored = sql(url, """SELECT password FROM "User" WHERE id = 'dev_client_1'""")[0][0]
    assert stored == recorded
    assert bcrypt.checkpw(SECRET.encode(), stored.encode())


def test_a_configured_password_is_never_shown_or_journaled_and_is_remembered(dbs, cli, sql,
                                                                            tmp_path):
    url = dbs.initialized()
    (tmp_path / "seed.toml").write_text(f'[minimums.users]\npassword = "{SECRET}"\n')
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile",
                         "light")
    assert code == 0, out + err
    assert SECRET not in out + err and "users.password=***" in out
    rows = sql(url, f"SELECT * FROM {_journal(url)}")
    assert SECRET not in json.dumps([list(map(str, r)) for r in rows])
    (tmp_path / "seed.toml").unlink()  # the next run remembers it, as a hash
    code, out, err = cli("plan", "--database-url", url, "--format", "json")
    assert code == 0 and SECRET not in out
    assert json.loads(out)["changes"] == []


def _journal(url: str) -> str:
    return "seed_state.seed_apply" if url.startswith("postgresql") else "seed_apply"


def test_password_never_reaches_the_journal_through_the_url(dbs, cli, sql):
    url = dbs.initialized()
    if not url.startswith("postgresql"):
        pytest.skip("a SQLite URL has no password")
    with_password = sa.make_url(url).update_query_dict({"password": SECRET})
    code, out, err = cli("apply", "--database-url", with_password.render_as_string(False),
                         "--anchor", ANCHOR, "--profile", "light")
    assert SECRET not in out + err
    rows = sql(url, "SELECT * FROM seed_state.seed_apply")
    assert SECRET not in json.dumps([list(map(str, r)) for r in rows])
