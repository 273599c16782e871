"""Community content: posts, comments, hearts, moderator assignments, reports and user blocks,
checked with SQL on the seeded database (medium profile, fixed anchor) on every backend."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from typing import Any

import pytest
from conftest import ANCHOR

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.corpora import topics, voices

ANCHOR_AT = dt.datetime.fromisoformat(ANCHOR)
POST_COMMUNITY = """SELECT p.id, p."userId", p."createdAt", r."postingRole", r.name,
                           g."communityId", p.title
                    FROM "Post" p JOIN "Room" r ON r.id = p."roomId"
                    JOIN "RoomGroup" g ON g.id = r."roomGroupId" """
APPROVED_THERAPISTS = """SELECT "userId" FROM "Therapist" WHERE status = 'APPROVED'"""


def _ts(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _ids(sql: Any, url: str, statement: str) -> list[str]:
    return [r[0] for r in sql(url, statement)]


def _counts(sql: Any, url: str, statement: str) -> Counter[str]:
    return Counter({r[0]: r[1] for r in sql(url, statement)})


def _joined(sql: Any, url: str) -> dict[tuple[str, str], dt.datetime]:
    rows = sql(url, 'SELECT "userId", "communityId", "joinedAt" FROM "Membership"')
    return {(u, c): _ts(j) for u, c, j in rows}


def _plan(cli: Any, url: str) -> dict[str, Any]:
    code, out, err = cli("plan", "--database-url", url, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _app_tables(dump: Any, url: str) -> dict[str, list[str]]:
    return {k: v for k, v in dump(url).items() if not k.split(".")[-1].startswith("seed_")
            and not k.startswith("seed_state.")}


@pytest.fixture
def seeded(dbs: Any) -> str:
    return dbs.seeded()


# --- posts ----------------------------------------------------------------------------------


def test_clients_and_approved_therapists_have_their_minimum_posts(seeded, sql):
    posts = _counts(sql, seeded, 'SELECT "userId", count(*) FROM "Post" GROUP BY "userId"')
    clients = _ids(sql, seeded, 'SELECT "userId" FROM "Client"')
    therapists = _ids(sql, seeded, APPROVED_THERAPISTS)
    assert len(clients) == 25 and therapists
    assert all(posts[c] >= 5 for c in clients)
    assert all(posts[t] >= 2 for t in therapists)


def test_every_community_has_ten_posts_and_one_from_the_last_30_days(seeded, sql):
    rows = sql(seeded, POST_COMMUNITY)
    per_community = Counter(r[5] for r in rows)
    newest: dict[str, dt.datetime] = {}
    for r in rows:
        newest[r[5]] = max(newest.get(r[5], _ts(r[2])), _ts(r[2]))
    communities = _ids(sql, seeded, 'SELECT id FROM "Community"')
    assert len(communities) == 15
    assert all(per_community[c] >= 10 for c in communities)
    assert all(ANCHOR_AT - dt.timedelta(days=30) <= newest[c] < ANCHOR_AT for c in communities)


def test_every_post_is_in_a_room_of_a_community_its_author_belongs_to(seeded, sql):
    assert sql(seeded, 'SELECT count(*) FROM "Post" WHERE "roomId" IS NULL')[0][0] == 0
    joined = _joined(sql, seeded)
    rows = sql(seeded, POST_COMMUNITY)
    assert len(rows) == sql(seeded, 'SELECT count(*) FROM "Post"')[0][0]
    assert all((r[1], r[5]) in joined for r in rows)


def test_members_post_only_in_rooms_open_to_members(seeded, sql):
    roles = dict(sql(seeded, 'SELECT id, role FROM "User"'))
    rows = sql(seeded, POST_COMMUNITY)
    assert {r[3] for r in rows} == {"member"}
    assert {roles[r[1]] for r in rows} == {"client", "therapist"}


def test_posts_are_written_after_joining_mostly_recent_and_before_the_anchor(seeded, sql):
    joined = _joined(sql, seeded)
    rows = sql(seeded, POST_COMMUNITY)
    assert all(joined[(r[1], r[5])] <= _ts(r[2]) < ANCHOR_AT for r in rows)
    recent = sum(_ts(r[2]) >= ANCHOR_AT - dt.timedelta(days=30) for r in rows)
    assert 0.7 <= recent / len(rows) < 1


def test_posts_fit_their_room_and_titles_never_repeat_in_one_community(seeded, sql):
    slugs = dict(sql(seeded, 'SELECT id, slug FROM "Community"'))
    rows = sql(seeded, POST_COMMUNITY)
    for r in rows:
        if r[4] == "Daily Check-ins":
            assert " check-in: " in r[6]
        if r[4] == "Wins & Progress":
            topic = topics.of_slug(slugs[r[5]])
            assert any(w.lower() in r[6].lower() for w, _ in topic.wins), r[6]
    titles = Counter((r[5], r[6]) for r in rows)
    assert max(titles.values()) == 1
    assert len({r[4] for r in rows}) >= 4


# --- comments -------------------------------------------------------------------------------


def test_clients_and_approved_therapists_have_their_minimum_comments(seeded, sql):
    comments = _counts(sql, seeded, 'SELECT "userId", count(*) FROM "Comment" GROUP BY 1')
    assert all(comments[c] >= 10 for c in _ids(sql, seeded, 'SELECT "userId" FROM "Client"'))
    assert all(comments[t] >= 5 for t in _ids(sql, seeded, APPROVED_THERAPISTS))


def test_every_post_has_at_least_two_comments(seeded, sql):
    rows = sql(seeded, 'SELECT p.id, count(c.id) FROM "Post" p LEFT JOIN "Comment" c '
                       'ON c."postId" = p.id GROUP BY p.id')
    assert rows and min(n for _, n in rows) >= 2


def test_nobody_comments_on_their_own_post(seeded, sql):
    own = sql(seeded, 'SELECT count(*) FROM "Comment" c JOIN "Post" p ON p.id = c."postId" '
                      'WHERE c."userId" = p."userId"')
    assert own[0][0] == 0


def test_a_quarter_of_comments_reply_to_someone_elses_earlier_comment_on_the_post(seeded, sql):
    rows = sql(seeded, 'SELECT c."postId", c."userId", c."createdAt", p."postId", p."userId", '
                       'p."createdAt" FROM "Comment" c JOIN "Comment" p ON p.id = c."parentId"')
    total = sql(seeded, 'SELECT count(*) FROM "Comment"')[0][0]
    assert 0.15 <= len(rows) / total <= 0.35
    for post, user, created, parent_post, parent_user, parent_created in rows:
        assert post == parent_post and user != parent_user
        assert _ts(created) > _ts(parent_created)


def test_comments_come_after_their_post_and_before_the_anchor(seeded, sql):
    rows = sql(seeded, 'SELECT c."createdAt", p."createdAt" FROM "Comment" c '
                       'JOIN "Post" p ON p.id = c."postId"')
    assert all(_ts(post) < _ts(comment) < ANCHOR_AT for comment, post in rows)


def test_commenters_are_members_of_the_posts_community(seeded, sql):
    joined = _joined(sql, seeded)
    community = {r[0]: r[5] for r in sql(seeded, POST_COMMUNITY)}
    rows = sql(seeded, 'SELECT "postId", "userId" FROM "Comment"')
    members = sum((user, community[post]) in joined for post, user in rows)
    assert members / len(rows) >= 0.95


def test_therapists_comment_in_a_therapists_voice(seeded, sql):
    rows = sql(seeded, """SELECT c.content, m.slug FROM "Comment" c
                          JOIN "User" u ON u.id = c."userId" JOIN "Post" p ON p.id = c."postId"
                          JOIN "Room" r ON r.id = p."roomId"
                          JOIN "RoomGroup" g ON g.id = r."roomGroupId"
                          JOIN "Community" m ON m.id = g."communityId"
                          WHERE u.role = 'therapist'""")
    assert rows
    for text, slug in rows:
        assert compose.made_of(text, compose.parts(topics.of_slug(slug), "therapist", "")), text


def test_wins_get_cheers_and_introductions_get_welcomes(seeded, sql):
    rows = sql(seeded, """SELECT r.name, c.content, c."parentId" FROM "Comment" c
                          JOIN "Post" p ON p.id = c."postId" JOIN "Room" r ON r.id = p."roomId"
                          JOIN "User" u ON u.id = c."userId" WHERE u.role = 'client'""")
    fitting = {"Wins & Progress": voices.CHEERS, "Introductions": voices.WELCOMES}
    for room, text, parent in rows:
        if room in fitting and parent is None:
            assert text.startswith(fitting[room]), (room, text)


# --- hearts ---------------------------------------------------------------------------------


HEARTS = """SELECT 'post', h."userId", h."postId", h."createdAt", t."userId", t."createdAt"
            FROM "PostHeart" h JOIN "Post" t ON t.id = h."postId"
            UNION ALL
            SELECT 'comment', h."userId", h."commentId", h."createdAt", t."userId",
                   t."createdAt"
            FROM "CommentHeart" h JOIN "Comment" t ON t.id = h."commentId" """


def test_every_client_and_therapist_gives_three_hearts_to_posts_and_comments(seeded, sql):
    rows = sql(seeded, HEARTS)
    given = Counter(r[1] for r in rows)
    people = _ids(sql, seeded, """SELECT id FROM "User" WHERE role IN ('client', 'therapist')""")
    assert all(given[u] >= 3 for u in people)
    assert Counter(r[0] for r in rows).keys() == {"post", "comment"}


def test_every_post_has_a_heart(seeded, sql):
    rows = sql(seeded, 'SELECT p.id, count(h.id) FROM "Post" p LEFT JOIN "PostHeart" h '
                       'ON h."postId" = p.id GROUP BY p.id')
    assert rows and min(n for _, n in rows) >= 1


def test_nobody_hearts_their_own_post_or_comment(seeded, sql):
    assert all(giver != author for _, giver, _, _, author, _ in sql(seeded, HEARTS))


def test_hearts_are_unique_per_user_and_target(seeded, sql):
    keys = Counter((kind, giver, target) for kind, giver, target, *_ in sql(seeded, HEARTS))
    assert max(keys.values()) == 1


def test_hearts_come_after_their_target_and_before_the_anchor(seeded, sql):
    for _, _, _, created, _, target_created in sql(seeded, HEARTS):
        assert _ts(target_created) < _ts(created) < ANCHOR_AT


# --- moderator assignments ------------------------------------------------------------------


def test_every_moderator_has_a_community_and_every_community_a_moderator(seeded, sql):
    rows = sql(seeded, 'SELECT "moderatorId", "communityId" FROM "ModeratorCommunity"')
    moderators = _ids(sql, seeded, 'SELECT "userId" FROM "Moderator"')
    communities = _ids(sql, seeded, 'SELECT id FROM "Community"')
    assert {m for m, _ in rows} == set(moderators)
    assert {c for _, c in rows} == set(communities)
    assert len(rows) == len(set(rows))


def test_assigned_communities_equals_the_moderators_assignment_rows(seeded, sql):
    rows = sql(seeded, 'SELECT "moderatorId", "communityId" FROM "ModeratorCommunity"')
    for uid, copy in sql(seeded, 'SELECT "userId", "assignedCommunities" FROM "Moderator"'):
        value = json.loads(copy) if isinstance(copy, str) else copy
        assert value == sorted(c for m, c in rows if m == uid)


def test_foreign_moderator_gets_communities_but_its_row_is_never_touched(seeded, cli, sql):
    sql(seeded, 'INSERT INTO "User" (id, email, "firstName", "lastName", role, "createdAt", '
        '"updatedAt", "emailVerified", "isActive", "failedLoginCount") VALUES (\'app-mod\', '
        "'mod@example.org', 'Mia', 'App', 'moderator', '2026-01-05 10:00:00', "
        "'2026-01-05 10:00:00', true, true, 0)")
    sql(seeded, 'INSERT INTO "Moderator" ("userId", "createdAt", "updatedAt") VALUES '
        "('app-mod', '2026-01-05 10:00:00', '2026-01-05 10:00:00')")
    before = sql(seeded, 'SELECT * FROM "Moderator" WHERE "userId" = \'app-mod\'')
    code, _, err = cli("apply", "--database-url", seeded)
    assert code == 0, err
    assert sql(seeded, 'SELECT * FROM "Moderator" WHERE "userId" = \'app-mod\'') == before
    assigned = sql(seeded, """SELECT count(*) FROM "ModeratorCommunity"
                              WHERE "moderatorId" = 'app-mod'""")
    assert assigned[0][0] >= 1


# --- reports --------------------------------------------------------------------------------


REPORTS = """SELECT r.id, r.status, r."reporterId", r."reportedUserId", r."createdAt",
                    r."updatedAt", coalesce(p.id, c.id), coalesce(p."userId", c."userId"),
                    coalesce(p."createdAt", c."createdAt"), coalesce(p."roomId", cp."roomId")
             FROM "Report" r LEFT JOIN "Post" p ON p.id = r."postId"
             LEFT JOIN "Comment" c ON c.id = r."commentId"
             LEFT JOIN "Post" cp ON cp.id = c."postId" """


def test_every_moderator_handled_two_reports_in_their_communities(seeded, sql):
    room_community = dict(sql(seeded, 'SELECT r.id, g."communityId" FROM "Room" r '
                                      'JOIN "RoomGroup" g ON g.id = r."roomGroupId"'))
    handled = Counter(room_community[r[9]] for r in sql(seeded, REPORTS)
                      if r[1] in ("REVIEWED", "DISMISSED"))
    assignments = sql(seeded, 'SELECT "moderatorId", "communityId" FROM "ModeratorCommunity"')
    for moderator in _ids(sql, seeded, 'SELECT "userId" FROM "Moderator"'):
        assert sum(handled[c] for m, c in assignments if m == moderator) >= 2


def test_reports_are_pending_reviewed_and_dismissed_with_realistic_reasons(seeded, sql):
    statuses = Counter(r[0] for r in sql(seeded, 'SELECT status FROM "Report"'))
    assert statuses["PENDING"] >= 3 and statuses["REVIEWED"] and statuses["DISMISSED"]
    reasons = {r[0] for r in sql(seeded, 'SELECT reason FROM "Report"')}
    assert len(reasons) >= 3 and "" not in reasons


def test_reported_user_is_the_author_and_never_the_reporter(seeded, sql):
    rows = sql(seeded, REPORTS)
    assert rows
    for _, _, reporter, reported, *_, author, _, _ in rows:
        assert reported == author and reporter != author


def test_reports_come_after_the_content_and_are_handled_after_being_made(seeded, sql):
    for _, status, _, _, created, updated, _, _, written, _ in sql(seeded, REPORTS):
        assert _ts(written) < _ts(created) <= _ts(updated) < ANCHOR_AT
        assert status != "PENDING" or created == updated


# --- user blocks ----------------------------------------------------------------------------


def test_a_few_clients_block_another_never_themselves_and_never_twice(seeded, sql):
    rows = sql(seeded, 'SELECT "blockerId", "blockedId", "createdAt" FROM "UserBlock"')
    clients = set(_ids(sql, seeded, 'SELECT "userId" FROM "Client"'))
    assert len(rows) >= max(2, math.ceil(len(clients) / 10))
    assert all(a != b and a in clients and b in clients for a, b, _ in rows)
    assert len({(a, b) for a, b, _ in rows}) == len(rows)
    assert all(_ts(created) < ANCHOR_AT for *_, created in rows)


# --- restore and verification ---------------------------------------------------------------


def test_deleted_post_is_restored_identically_with_its_thread(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    (pid,) = sql(url, 'SELECT min(id) FROM "Post"')[0]
    sql(url, 'DELETE FROM "Post" WHERE id = :id', id=pid)  # cascades to its thread
    after_delete = _app_tables(dump, url)
    removed = sum(len(before[t]) - len(after_delete[t]) for t in before)
    changes = _plan(cli, url)["changes"]
    assert {c["action"] for c in changes} == {"create"}
    assert ("Post", pid) in {(c["table"], c["pk"]) for c in changes}
    assert len(changes) == removed > 1
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_deleted_comment_is_planned_alone_and_restored_identically(dbs, cli, sql, dump):
    url = dbs.seeded()
    before = _app_tables(dump, url)
    (cid,) = sql(url, """SELECT min(c.id) FROM "Comment" c WHERE
                         NOT EXISTS (SELECT 1 FROM "Comment" r WHERE r."parentId" = c.id) AND
                         NOT EXISTS (SELECT 1 FROM "CommentHeart" h WHERE h."commentId" = c.id)
                         AND NOT EXISTS (SELECT 1 FROM "Report" x WHERE x."commentId" = c.id)
                         """)[0]
    sql(url, 'DELETE FROM "Comment" WHERE id = :id', id=cid)
    changes = _plan(cli, url)["changes"]
    assert [(c["action"], c["table"], c["pk"]) for c in changes] == [("create", "Comment", cid)]
    code, _, err = cli("apply", "--database-url", url)
    assert code == 0, err
    assert _app_tables(dump, url) == before
    assert _plan(cli, url)["changes"] == []


def test_verify_reports_a_foreign_heart_on_the_givers_own_post(seeded, cli, sql):
    pid, author = sql(seeded, 'SELECT id, "userId" FROM "Post" ORDER BY id')[0]
    sql(seeded, 'INSERT INTO "PostHeart" (id, "postId", "userId", "createdAt") VALUES '
        "('app-heart', :p, :u, '2026-11-15 12:00:00')", p=pid, u=author)
    code, out, _ = cli("verify", "--database-url", seeded)
    assert code == 0, out  # the app's row: a warning, not the seeder's violation
    assert "! hearts: PostHeart app-heart" in out and "own content" in out
