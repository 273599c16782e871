"""Every profile fills every table on both databases, verifies, and converges."""

from __future__ import annotations

import json

import pytest
from conftest import ANCHOR

from mentara_seed.enrichers import REGISTRY
from mentara_seed.planner.targets import select
from mentara_seed.schema.tables import SEEDED_TABLES, TABLES


def _counts(sql, url: str) -> dict[str, int]:
    return {t: sql(url, f'SELECT count(*) FROM "{t}"')[0][0] for t in TABLES}


@pytest.mark.parametrize("profile", ["light", "medium", "heavy"])
def test_profile_fills_every_table_verifies_and_converges(dbs, cli, sql, profile):
    url = dbs.seeded(profile)
    counts = _counts(sql, url)
    empty = sorted(t for t in SEEDED_TABLES if counts[t] == 0)
    assert empty == [], f"tables left empty by the {profile} profile: {empty}"
    assert counts["TypingIndicator"] == 0  # ephemeral: never seeded
    code, out, _ = cli("verify", "--database-url", url, "--profile", profile)
    assert code == 0, out
    code, out, _ = cli("plan", "--database-url", url, "--profile", profile)
    assert "No changes." in out
    code, out, _ = cli("plan", "--database-url", url, "--profile", profile, "--full")
    assert "No changes." in out, out  # the whole run too, not only the journal's shortcut


def test_a_scaled_seed_is_what_the_whole_run_plans_again(dbs, cli):
    """Reported: from --scale 2 on, a community's name holds " · " ("Depression Support ·
    Night Owls"); a group chat titled after it was taken for one of the base community, and
    every later whole run moved its members and messages."""
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--scale", "2")
    assert code == 0, out + err
    code, out, err = cli("plan", "--database-url", url, "--full", "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert (plan["changes"], plan["held"]) == ([], [])


def test_profiles_grow_in_order(dbs, sql):
    sizes = [sum(_counts(sql, dbs.seeded(p)).values()) for p in ("light", "medium", "heavy")]
    assert sizes[0] < sizes[1] < sizes[2]


def test_scale_multiplies_the_base_counts(dbs, cli, sql):
    url = dbs.initialized()
    code, _, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--profile", "light",
                       "--scale", "2", "--target", "users", "--target", "communities")
    assert code == 0, err
    assert sql(url, """SELECT count(*) FROM "User" WHERE role = 'client'""")[0][0] == 16
    assert sql(url, 'SELECT count(*) FROM "Community"')[0][0] == 14


def test_target_posts_creates_posts_and_what_they_need_and_nothing_else(dbs, cli, sql):
    url = dbs.initialized()
    code, out, err = cli("apply", "--database-url", url, "--anchor", ANCHOR, "--target", "posts")
    assert code == 0, err
    needed = select(REGISTRY, ["posts"]).order
    written = {t for n in needed for t in REGISTRY[n].writes}
    counts = _counts(sql, url)
    assert counts["Post"] > 0
    assert {t for t, n in counts.items() if n} <= written
    assert "with dependencies:" in out
