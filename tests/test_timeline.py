"""Time is a relation: what happens after what is declared once (``schema.timeline``), and
verification holds every row to it, whoever owns the rows."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema import timeline
from mentara_seed.schema.tables import TABLES


def test_every_relation_follows_a_declared_reference_between_time_columns():
    for relation in timeline.RELATIONS:
        table = TABLES[relation.table]
        via = table.columns[relation.via]
        targets = {fk.column.table.name for fk in via.foreign_keys}
        assert targets == {relation.parent}, relation.describe()
        for name, owner in ((relation.column, table),
                            (relation.parent_column, TABLES[relation.parent])):
            assert isinstance(owner.columns[name].type, sa.DateTime), relation.describe()
    assert len(set(timeline.RELATIONS)) == len(timeline.RELATIONS)


def test_a_seeded_database_keeps_every_relation(dbs, engine_for):
    for profile in ("light", "medium"):
        with engine_for(dbs.seeded(profile)).connect() as conn:
            live = LiveState.read(conn, list(TABLES))
        assert [late.describe() for late in timeline.late(live, list(TABLES))] == []


def test_earliest_is_the_latest_parent_time_of_the_relations_that_apply():
    rows = {("Post", "p1"): {"createdAt": dt.datetime(2026, 11, 2)},
            ("User", "u1"): {"createdAt": dt.datetime(2026, 11, 9)},
            ("Comment", "c0"): {"createdAt": dt.datetime(2026, 11, 5)}}

    def lookup(table, key):  # type: ignore[no-untyped-def]
        return rows.get((table, key))

    got = timeline.earliest("Comment", "createdAt",
                            {"postId": "p1", "userId": "u1", "parentId": "c0"}, lookup)
    assert got == dt.datetime(2026, 11, 9)
    assert timeline.earliest("Comment", "createdAt", {"parentId": None}, lookup) is None
    assert timeline.earliest("Comment", "updatedAt", {"postId": "p1"}, lookup) is None


def test_a_foreign_comment_dated_before_its_post_is_a_warning(dbs, cli, sql):
    url = dbs.seeded()
    post, author, created = sql(url, '''SELECT p.id, u.id, p."createdAt" FROM "Post" p
        JOIN "User" u ON u.id <> p."userId" AND u.role = 'client'
        ORDER BY p.id, u.id LIMIT 1''')[0]
    sql(url, '''INSERT INTO "Comment" (id, content, "createdAt", "updatedAt", "postId", "userId")
                VALUES ('app-comment', 'from the app', :t, :t, :p, :u)''',
        t=created, p=post, u=author)
    code, out, err = cli("verify", "--database-url", url)
    assert code == 0, out + err
    assert "! comments: Comment app-comment: createdAt" in out
    assert f"is not after Post {post}'s createdAt" in out


def test_an_owned_row_edited_to_before_its_author_is_a_warning_and_update_restores_it(
        dbs, cli, sql):
    url = dbs.seeded()
    entry, author = sql(url, '''SELECT e.id, e."userId" FROM "JournalEntry" e
                                ORDER BY e.id LIMIT 1''')[0]
    sql(url, 'UPDATE "JournalEntry" SET "createdAt" = \'2001-01-01 00:00:00\' WHERE id = :e',
        e=entry)
    code, out, _ = cli("verify", "--database-url", url)
    assert f"! journal-entries: JournalEntry {entry}: createdAt 2001-01-01 00:00:00 is before " \
           f"User {author}'s createdAt" in out
    # ... and `--update` restores the seeder's own row, which keeps the relation again.
    code, out, err = cli("apply", "--database-url", url, "--update")
    assert code == 0, out + err
    code, out, _ = cli("verify", "--database-url", url)
    assert code == 0 and "JournalEntry" not in out


_MOMENTS = st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2030, 12, 31))


@examples(10.0)
@given(written=_MOMENTS, signed_up=_MOMENTS, status=st.sampled_from(["PENDING", "REVIEWED"]))
def test_a_report_follows_its_content_and_its_reporter_signing_up(written, signed_up, status):
    """Reported at scale 282: reports dated before their reporter (a member of the content's
    community) signed up, so a fresh `seed apply` of a million rows was refused."""
    from mentara_seed.enrichers import reports
    from mentara_seed.planner.context import PlanContext
    from mentara_seed.planner.ids import Keyspace

    post = {"id": "p1", "userId": "author", "createdAt": written}
    live = LiveState({"Post": {"p1": post},
                      "User": {"r1": {"id": "r1", "createdAt": signed_up}}})
    ctx = PlanContext(Keyspace(0), dt.datetime(2026, 11, 16), live, {})
    _, row = reports._report(ctx, "rep", reports._Target("postId", post, None), "r1", status,
                             False)
    assert row["createdAt"] > max(written, signed_up)
    assert row["updatedAt"] >= row["createdAt"]
