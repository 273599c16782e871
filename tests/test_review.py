"""Plans people review: saved plans, formats, exit codes, compare, destroy, undo, reset."""

from __future__ import annotations

import json

from conftest import ANCHOR

from mentara_seed.enrichers.corpora import communities as community_corpus


def test_saved_plan_applies_exactly_and_is_then_refused_as_stale(dbs, cli, sql, tmp_path):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    code, _, err = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(saved))
    assert code == 0, err
    planned = json.loads(saved.read_text())
    code, out, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, err
    assert f"{planned['counts']['create']:,} rows written" in out
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 1
    assert "journal moved from serial 1 to 2" in err


def test_saved_plan_is_refused_when_the_config_differs(dbs, cli, tmp_path):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", url, "--anchor", ANCHOR, "--profile", "light",
        "--out", str(saved))
    code, _, err = cli("apply", str(saved), "--database-url", url, "--profile", "medium")
    assert code == 2  # a saved plan is applied as it was made: the option is refused
    assert "--profile cannot be given with a saved plan" in err
    (tmp_path / "seed.toml").write_text("[minimums.memberships]\nper_community = 5\n")
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 1 and "the [minimums] overrides differ" in err
    (tmp_path / "seed.toml").unlink()
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 0, err  # the plan brings its own profile


def test_saved_plan_is_refused_when_the_database_changed(dbs, cli, sql, tmp_path):
    url = dbs.seeded()
    sql(url, 'DELETE FROM "Membership" WHERE "userId" = \'dev_client_1\'')
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", url, "--out", str(saved))
    sql(url, 'DELETE FROM "Membership" WHERE "userId" = \'dev_client_2\'')
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 1
    assert "no longer yields the same change set" in err and "new change(s) needed" in err


def test_hand_edited_or_corrupt_plan_is_refused(dbs, cli, tmp_path):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(saved))
    saved.write_text(saved.read_text().replace("Ligaya", "Eve", 1))
    code, _, err = cli("apply", str(saved), "--database-url", url)
    assert code == 2 and "was edited after it was made" in err
    saved.write_text("{not json")
    code, _, err = cli("show", str(saved))
    assert code == 2 and "is not a mentara-seed plan" in err


def test_saved_plan_lines_are_one_change_each_and_show_renders_it(dbs, cli, tmp_path):
    url = dbs.initialized()
    saved = tmp_path / "plan.json"
    cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(saved))
    lines = saved.read_text().splitlines()
    change_lines = [ln for ln in lines if ln.startswith('{"action":')]
    assert len(change_lines) == json.loads(saved.read_text())["counts"]["create"]
    code, out, _ = cli("show", str(saved))
    assert code == 0 and "Plan:" in out and "users" in out


def test_detailed_exitcode(dbs, cli):
    url = dbs.seeded()
    code, _, _ = cli("plan", "--database-url", url, "--detailed-exitcode")
    assert code == 0
    code, _, _ = cli("plan", "--database-url", url, "--detailed-exitcode", "--profile", "heavy")
    assert code == 2
    code, _, _ = cli("plan", "--database-url", "postgresql://nobody@127.0.0.1:1/x",
                     "--detailed-exitcode")
    assert code == 1


def test_markdown_of_a_heavy_plan_fits_a_pull_request_comment(dbs, cli):
    url = dbs.initialized()
    code, out, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--profile", "heavy",
                       "--format", "markdown")
    assert code == 0
    assert len(out) < 60_000
    assert "| table | add | change | delete |" in out and "<details>" in out
    assert "more" in out  # long sections are cut with a count


def test_compare_shows_a_changed_corpus_line_as_column_changes(dbs, cli, tmp_path,
                                                               monkeypatch):
    url = dbs.initialized()
    old = tmp_path / "old.json"
    cli("plan", "--database-url", url, "--anchor", ANCHOR, "--out", str(old))
    name, slug, _ = community_corpus.ILLNESS_COMMUNITIES[1]
    edited = ((name, slug, "A new description."),) + community_corpus.ILLNESS_COMMUNITIES[2:]
    monkeypatch.setattr(community_corpus, "ILLNESS_COMMUNITIES",
                        community_corpus.ILLNESS_COMMUNITIES[:1] + edited)
    code, out, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--compare", str(old))
    assert code == 0
    assert "0 row(s) added, 0 removed, 1 changed" in out
    assert "description:" in out and "A new description." in out


def test_target_plus_adds_dependents_and_exclude_leaves_out(dbs, cli):
    url = dbs.initialized()
    code, out, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--format", "json",
                       "--target", "relationships+")
    assert code == 0
    assert "relationships" in json.loads(out)["enrichers"]
    code, out, _ = cli("plan", "--database-url", url, "--anchor", ANCHOR, "--format", "json",
                       "--exclude", "availability")
    assert "availability" not in json.loads(out)["enrichers"]


def test_destroy_keeps_foreign_rows_and_owned_rows_they_reference(dbs, cli, sql):
    url = dbs.seeded()
    community = sql(url, 'SELECT id FROM "Community" ORDER BY slug LIMIT 1')[0][0]
    sql(url, 'DELETE FROM "Membership" WHERE "userId" = \'dev_client_1\' AND '
        '"communityId" = :c', c=community)
    sql(url, 'INSERT INTO "Membership" (id, "joinedAt", "communityId", "userId") VALUES '
        "('app-membership', '2026-10-01 09:00:00', :c, 'dev_client_1')", c=community)
    code, out, err = cli("destroy", "--database-url", url)
    assert code == 0, err
    assert "references it" in out
    assert sql(url, 'SELECT count(*) FROM "Membership"')[0][0] == 1
    assert sql(url, 'SELECT id FROM "User"') == [("dev_client_1",)]
    assert sql(url, 'SELECT id FROM "Community"') == [(community,)]


def _app_tables(dump_result: dict) -> dict:
    return {k: v for k, v in dump_result.items() if "seed_" not in k}


def test_undo_restores_the_database_to_before_the_undone_apply(dbs, cli, sql, dump):
    url = dbs.seeded()
    sql(url, 'DELETE FROM "Membership" WHERE "userId" = \'dev_client_1\'')
    sql(url, 'DELETE FROM "TherapistAvailability" WHERE "therapistId" = \'dev_therapist_1\'')
    sql(url, """UPDATE "User" SET "firstName" = 'Changed' WHERE id = 'dev_client_2'""")
    before = _app_tables(dump(url))
    code, _, err = cli("apply", "--database-url", url, "--update")
    assert code == 0, err
    assert _app_tables(dump(url)) != before
    code, out, err = cli("undo", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump(url)) == before
    code, out, _ = cli("history", "--database-url", url)
    assert "undo" in out


def test_undo_of_an_older_apply_is_refused_when_a_later_one_touched_its_rows(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, 'DELETE FROM "Membership" WHERE "userId" = \'dev_client_1\'')
    cli("apply", "--database-url", url)
    code, _, err = cli("undo", "2", "--database-url", url)
    assert code == 1 and "Undo those first" in err


def test_reset_recreates_an_init_database_and_refuses_others(dbs, cli, sql, engine_for):
    url = dbs.seeded()
    sql(url, 'DELETE FROM "Membership"')
    code, out, err = cli("reset", "--database-url", url)
    assert code == 0, err
    assert sql(url, 'SELECT count(*) FROM "Membership"')[0][0] > 0
    from mentara_seed.schema.tables import metadata

    other = dbs.empty()
    with engine_for(other).begin() as conn:
        metadata.create_all(conn)
    code, _, err = cli("reset", "--database-url", other)
    assert code == 2 and "--force" in err
