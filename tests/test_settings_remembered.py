"""Settings are remembered: the journal records the settings of each apply (profile, project
seed, scale, minimums overrides); a run that is not given one uses the last applied value and
says so; a value given that differs is shown as a change of settings. Changing them breaks
nothing: a lower profile plans nothing (rows beyond a minimum count and stay), a higher one
adds rows, another project seed on a seeded database is refused with what to do instead."""

from __future__ import annotations

import datetime as dt
import json

from conftest import ANCHOR

from mentara_seed.cli.views import anchor_age


def _plan(cli, url: str, *args: str) -> dict:
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def _clients(sql, url: str) -> int:
    return sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0]


def test_a_plan_without_a_profile_uses_the_last_applied_one_and_says_so(dbs, cli):
    url = dbs.seeded("heavy")  # apply #2 (#1 created the schema)
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0, err
    assert "profile heavy (from apply #2)" in out
    assert "No changes." in out and "orphaned" not in out
    doc = _plan(cli, url)
    assert doc["request"]["profile"] == "heavy" and doc["profile"] == "heavy"
    assert doc["settings"]["from"] == 2 and "profile" in doc["settings"]["remembered"]
    assert doc["changes"] == [] and doc["held"] == []


def test_verify_without_a_profile_checks_the_last_applied_ones(dbs, cli):
    url = dbs.seeded("heavy")
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0 and "every minimum holds" in out, out


def test_an_explicit_lower_profile_is_a_change_of_settings_that_removes_nothing(dbs, cli, sql):
    url = dbs.seeded("heavy")
    clients = _clients(sql, url)
    code, out, err = cli("plan", "--database-url", url, "--profile", "medium")
    assert code == 0, err
    assert "profile: heavy -> medium (changed since apply #2)" in out
    doc = _plan(cli, url, "--profile", "medium")
    assert doc["changes"] == [] and doc["held"] == []  # rows beyond the minimums stay
    code, out, err = cli("apply", "--database-url", url, "--profile", "medium")
    assert code == 0, out + err
    assert "every minimum holds" in out and "✗" not in out
    assert _clients(sql, url) == clients
    # The journal remembers the change: the next plain plan is medium's, and empty.
    code, out, _ = cli("plan", "--database-url", url)
    assert "profile medium (from apply #3)" in out and "No changes." in out
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0, out
    # --prune applies the lower minimums: the seeder's surplus goes.
    code, out, err = cli("apply", "--database-url", url, "--prune")
    assert code == 0, out + err
    assert _clients(sql, url) == 25
    code, out, _ = cli("plan", "--database-url", url)
    assert "No changes." in out, out


def test_a_lower_profile_after_medium_leaves_no_violation(dbs, cli, sql):
    url = dbs.seeded()
    code, out, err = cli("apply", "--database-url", url, "--profile", "light")
    assert code == 0, out + err
    assert "Nothing to apply" in out and "✗" not in out
    assert _clients(sql, url) == 25
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0, out
    code, out, _ = cli("plan", "--database-url", url)
    assert "profile light (from apply #3)" in out and "No changes." in out


def test_a_higher_profile_adds_rows_and_is_remembered(dbs, cli, sql, monkeypatch):
    url = dbs.seeded("light")
    monkeypatch.setenv("SEED_SKIP_VERIFY", "1")  # what a raise writes is another part's
    code, out, err = cli("apply", "--database-url", url, "--profile", "medium")
    assert code == 0, out + err
    assert "profile: light -> medium (changed since apply #2)" in out
    assert _clients(sql, url) == 25
    doc = _plan(cli, url)
    assert doc["profile"] == "medium" and doc["settings"]["remembered"]


def test_scale_is_remembered(dbs, cli, sql):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile",
                         "light", "--scale", "2")
    assert code == 0, out + err
    assert _clients(sql, url) == 16
    code, out, _ = cli("plan", "--database-url", url)
    assert "scale 2 (from apply #2)" in out and "profile light (from apply #2)" in out
    assert "No changes." in out, out
    assert _plan(cli, url)["request"]["scale"] == 2


def test_minimums_overrides_are_remembered(dbs, cli, sql, tmp_path):
    url = dbs.initialized()
    config = tmp_path / "seed.toml"
    config.write_text("profile = 'light'\n[minimums.posts]\nper_client = 3\n")
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR)
    assert code == 0, out + err
    config.unlink()
    code, out, _ = cli("plan", "--database-url", url)
    assert "minimums posts.per_client=3 (from apply #2)" in out
    assert "No changes." in out, out
    doc = _plan(cli, url)
    assert doc["request"]["minimums"] == {"posts": {"per_client": 3}}
    stored = sql(url, _settings_query(url))[-1][0]
    assert json.loads(stored)["minimums"] == {"posts": {"per_client": 3}}
    # Given again, and different: a change of settings.
    config.write_text("[minimums.posts]\nper_client = 4\n")
    code, out, _ = cli("plan", "--database-url", url)
    assert "minimums: posts.per_client=3 -> posts.per_client=4 (changed since apply #2)" in out


def _settings_query(url: str) -> str:
    table = "seed_state.seed_apply" if url.startswith("postgresql") else "seed_apply"
    return f"SELECT settings FROM {table} WHERE settings IS NOT NULL ORDER BY serial"


def test_a_saved_plan_holds_the_remembered_settings(dbs, cli, sql, tmp_path):
    url = dbs.seeded("light")
    saved = tmp_path / "plan.json"
    sql(url, """DELETE FROM "JournalEntry" WHERE id = (SELECT min(id) FROM "JournalEntry")""")
    code, _, err = cli("plan", "--database-url", url, "--out", str(saved))
    assert code == 0, err
    assert json.loads(saved.read_text())["request"]["profile"] == "light"
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, out + err
    assert "1 row written" in out, out


def test_another_project_seed_on_a_seeded_database_is_refused_with_what_to_do(dbs, cli, dump):
    url = dbs.seeded("light")
    before = dump(url)
    for command in ("plan", "apply"):
        code, out, err = cli(command, "--database-url", url, "--seed", "1")
        assert code == 1, out + err
        assert "Traceback" not in err and "UNIQUE" not in err
        text = " ".join(err.split())
        assert "project seed 0" in text and "seed destroy" in text and "seed reset" in text
    assert dump(url) == before
    # The way it names: destroy, then apply with the new seed.
    code, out, err = cli("destroy", "--database-url", url)
    assert code == 0, out + err
    code, out, err = cli("apply", "--database-url", url, "--seed", "1")
    assert code == 0, out + err
    assert "seed: 0 -> 1 (changed since apply #3)" in out
    code, out, _ = cli("plan", "--database-url", url)
    assert "seed 1 (from apply #4)" in out and "No changes." in out, out


def test_the_same_seed_given_again_is_no_change(dbs, cli):
    url = dbs.seeded("light")
    code, out, err = cli("plan", "--database-url", url, "--seed", "0", "--profile", "light")
    assert code == 0, err
    assert "changed since apply" not in out and "(from apply" not in out.splitlines()[0]
    assert "No changes." in out


def test_a_journal_without_the_settings_column_remembers_profile_and_seed(dbs, cli, sql):
    url = dbs.seeded("light")
    table = "seed_state.seed_apply" if url.startswith("postgresql") else "seed_apply"
    sql(url, f"ALTER TABLE {table} DROP COLUMN settings")
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0, err
    assert "profile light (from apply #2)" in out and "No changes." in out, out
    code, out, err = cli("apply", "--database-url", url)  # adds the column back
    assert code == 0, out + err
    assert sql(url, _settings_query(url))


def test_reset_keeps_the_remembered_settings(dbs, cli, sql):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile",
                         "light")
    assert code == 0, out + err
    code, out, err = cli("reset", "--database-url", url)
    assert code == 0, out + err
    assert _clients(sql, url) == 8


def test_undo_puts_back_the_settings_in_force_before_the_apply_it_undid(dbs, cli, sql):
    """Undoing `seed apply --profile heavy` must not leave heavy remembered (the next plan
    would add every undone row again); undoing that undo brings heavy back."""
    url = dbs.seeded()  # medium, apply #2
    clients = _clients(sql, url)
    code, out, err = cli("apply", "--database-url", url, "--profile", "heavy")
    assert code == 0, out + err
    code, out, err = cli("undo", "--database-url", url)
    assert code == 0, out + err
    assert _clients(sql, url) == clients
    code, out, _ = cli("plan", "--database-url", url)
    assert "profile medium (from apply #2)" in out and "No changes." in out, out
    code, out, err = cli("undo", "--database-url", url)  # undo the undo: heavy again
    assert code == 0, out + err
    code, out, _ = cli("plan", "--database-url", url)
    assert "profile heavy (from apply #3)" in out and "No changes." in out, out


def test_an_anchor_kept_from_the_journal_that_grew_old_is_pointed_out(dbs, cli):
    url = dbs.seeded()  # anchored 2026-11-16, more than a week before any day this runs
    code, out, err = cli("plan", "--database-url", url)
    assert code == 0, err
    assert "The anchor 2026-11-16 is " in out and "--anchor today" in out
    code, out, err = cli("plan", "--database-url", url, "--anchor", "2026-11-16")
    assert code == 0 and "days old" not in out, out + err


def test_the_anchors_age_is_told_after_a_week():
    now = dt.datetime(2026, 12, 7, 9, 30)
    assert anchor_age("2026-11-30", now) is None
    told = anchor_age("2026-11-16", now)
    assert told is not None and told.startswith("The anchor 2026-11-16 is 21 days old")


def test_anchor_today_is_this_weeks_monday_and_anything_else_is_a_usage_error(dbs, cli):
    url = dbs.seeded()
    code, out, err = cli("plan", "--database-url", url, "--anchor", "today", "--format", "json")
    assert code == 0, err
    anchor = dt.date.fromisoformat(json.loads(out)["anchor"][:10])
    today = dt.datetime.now(dt.UTC).date()
    assert anchor.weekday() == 0 and 0 <= (today - anchor).days < 7
    code, _, err = cli("plan", "--database-url", url, "--anchor", "someday")
    assert code == 2 and "'someday' is not a date (YYYY-MM-DD) or 'today'" in err
