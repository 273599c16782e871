"""Minimums are minimums, valid rows stay: a new foreign row, a raised minimum or an
``--exclude`` adds rows and changes none of the rows the seeder applied."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentara_seed.enrichers.registry import REGISTRY


def _plan(cli, url, *extra):
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


# Summaries of other rows (the app's denormalised copies and metrics): they follow the rows
# they sum up, so a row added there updates them (a payment method's createdAt precedes its
# first use, which a new payment can move earlier). Table -> the columns that may change.
DERIVED = {"ClientEngagement": None, "TherapistPerformance": None,
           "PaymentMethod": {"lastUsed", "updatedAt", "createdAt"},
           "Moderator": {"assignedCommunities"}}


def _ripple(plan, derived=False):
    """Updates and deletes (applied or held) of owned rows: what must not happen (with
    ``derived``, but for updates of summaries)."""
    def allowed(c):
        columns = DERIVED.get(c["table"], set()) if derived else set()
        return c["action"] == "update" and (columns is None or set(c["values"]) <= columns)

    return [(c["action"], c["table"], c["pk"], c.get("values")) for c in plan["changes"]
            + plan["held"] if c["action"] != "create" and not allowed(c)]


def test_a_raised_minimum_adds_the_rows_it_asks_for_and_changes_none(dbs, cli, sql):
    url = dbs.seeded()
    posts = sql(url, 'SELECT count(*) FROM "Post"')[0][0]
    Path("seed.toml").write_text("[minimums.posts]\nper_client = 6\n")
    plan = _plan(cli, url)
    assert _ripple(plan) == []
    created = {c["table"] for c in plan["changes"]}
    assert "Post" in created and created <= {"Post", "Comment", "PostHeart", "CommentHeart",
                                            "Notification", "Report"}
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    clients = sql(url, """SELECT count(*) FROM "User" u JOIN "Client" c ON c."userId" = u.id""")
    assert sql(url, 'SELECT count(*) FROM "Post"')[0][0] <= posts + clients[0][0]
    assert _plan(cli, url)["changes"] == []


def test_a_foreign_user_without_a_profile_row_changes_no_owned_row(dbs, cli, sql):
    url = dbs.seeded()
    sql(url, """INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt",
                "updatedAt", "emailVerified") VALUES ('app-user', 'app-user@example.org',
                'App', 'User', 'client', '2025-01-01 00:00:00', '2025-01-01 00:00:00', true)""")
    plan = _plan(cli, url)
    assert _ripple(plan) == []
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _plan(cli, url)["changes"] == []


def test_excluding_posts_after_two_were_deleted_changes_nothing_else(dbs, cli, sql):
    url = dbs.seeded()
    for (pid,) in sql(url, 'SELECT id FROM "Post" ORDER BY id LIMIT 2'):
        sql(url, 'DELETE FROM "Post" WHERE id = :p', p=pid)
    plan = _plan(cli, url, "--exclude", "posts")
    assert _ripple(plan) == []
    assert "Post" not in {c["table"] for c in plan["changes"]}


# Minimums that are inputs of the rows themselves, not counts: the window recent posts are
# dated in, the length of every conversation's script. Raising them rewrites those rows.
OWN_INPUTS = {("posts", "recent_days"), ("messages", "per_conversation")}


def _int_minimums() -> list[tuple[str, str, int]]:
    out = []
    for e in REGISTRY:
        for name, field in e.minimums.model_fields.items():
            bounded = any(getattr(m, "le", None) is not None for m in field.metadata)
            if field.annotation is int and not bounded and (e.name, name) not in OWN_INPUTS:
                out.append((e.name, name, int(field.default)))
    return sorted(out)


MINIMUMS = _int_minimums()


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(MINIMUMS), more=st.integers(1, 2))
def test_any_raised_minimum_updates_and_deletes_nothing(dbs, cli, which, more):
    seeded = dbs.seeded()  # a copy of the seeded template per example
    enricher, field, default = which
    Path("seed.toml").write_text(f"[minimums.{enricher}]\n{field} = {default + more}\n")
    assert _ripple(_plan(cli, seeded), derived=True) == [], f"{enricher}.{field} + {more}"
