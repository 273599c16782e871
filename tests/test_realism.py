"""Text a demo can stand on: every post and comment speaks its author's voice and its
community's topic, texts do not repeat, private text is never shared between two people, and
text that refers to an event comes after it."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from operator import itemgetter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.chat_scripts import variants
from mentara_seed.enrichers.communities import circle_name
from mentara_seed.enrichers.corpora import topics, voices
from mentara_seed.planner.ids import Keyspace

VOICES = ("client", "therapist", "moderator")
POSTS = """SELECT p.title, p.content, u.role, c.slug, c.name, r.name
           FROM "Post" p JOIN "User" u ON u.id = p."userId"
           JOIN "Room" r ON r.id = p."roomId" JOIN "RoomGroup" g ON g.id = r."roomGroupId"
           JOIN "Community" c ON c.id = g."communityId" """
COMMENTS = """SELECT m.content, u.role, c.slug, c.name
              FROM "Comment" m JOIN "User" u ON u.id = m."userId"
              JOIN "Post" p ON p.id = m."postId" JOIN "Room" r ON r.id = p."roomId"
              JOIN "RoomGroup" g ON g.id = r."roomGroupId"
              JOIN "Community" c ON c.id = g."communityId" """


def _ts(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


# --- the corpus -----------------------------------------------------------------------------


def test_client_and_therapist_voices_never_share_a_part():
    for topic in topics.ALL:
        for one, other in itertools.combinations(("client", "therapist", "moderator"), 2):
            shared = compose.parts(topic, one, "X") & compose.parts(topic, other, "X")
            assert not shared, (topic.key, one, other, shared)


def test_no_topic_shares_a_part_with_another():
    for one, other in itertools.combinations(topics.ALL, 2):
        assert not compose.topic_parts(one) & compose.topic_parts(other), (one.key, other.key)


def test_a_community_the_corpus_does_not_know_speaks_general_wellbeing():
    assert topics.of_slug("ocd-support-7") is topics.BY_SLUG["ocd-support"]
    assert topics.of_slug("night-shift-nurses") is topics.WELLBEING
    assert topics.of_slug("anxiety-teens") is topics.WELLBEING  # never a guessed topic


def test_further_circles_of_a_theme_have_names_of_their_own():
    names = [circle_name(n) for n in range(2, 400)]
    assert len(set(names)) == len(names)
    assert not any(name.startswith("Circle") or name.isdigit() for name in names)


@examples(3)
@given(st.sampled_from(topics.ALL), st.sampled_from(compose.POST_KINDS), st.booleans(),
       st.integers(0, 2**32))
def test_a_post_is_made_of_its_topics_and_its_voices_parts(topic, kind, therapist, seed):
    title, body = compose.post(kind, topic, therapist, "Our Circle", random.Random(seed))
    assert title in compose.post_titles(kind, topic, therapist, "Our Circle")
    assert title in compose.titles(topic, therapist, "Our Circle")
    voice = "therapist" if therapist else "client"
    assert compose.made_of(body, compose.parts(topic, voice, "Our Circle")), body


@examples(3)
@given(st.sampled_from(topics.ALL), st.sampled_from(compose.POST_KINDS), st.sampled_from(VOICES),
       st.booleans(), st.integers(0, 2**32))
def test_a_comment_is_made_of_its_topics_and_its_voices_parts(topic, answers, voice, reply,
                                                              seed):
    text = compose.comment(answers, topic, voice, reply, random.Random(seed))
    assert compose.made_of(text, compose.parts(topic, voice, "X")), text


@examples(3)
@given(st.sampled_from(topics.ALL), st.sampled_from(compose.POST_KINDS), st.booleans(),
       st.integers(0, 2**32))
def test_a_slot_whose_every_title_is_taken_takes_its_last_draw_as_it_did(topic, kind,
                                                                         therapist, seed):
    def make(rng: random.Random) -> tuple[str, str]:
        return compose.post(kind, topic, therapist, "Our Circle", rng)

    every = compose.post_titles(kind, topic, therapist, "Our Circle")
    keys = Keyspace(seed)
    drawn = compose.unique(keys, make, set(every), itemgetter(0), "post", "text")
    skipped = compose.unique(keys, make, set(every), itemgetter(0), "post", "text",
                             keys=every)
    assert skipped == drawn


def test_a_thread_line_is_found_in_either_form():
    topic = topics.BY_SLUG["adhd-support"]
    forms = compose.thread_forms(topic)
    line = sorted(compose.topic_parts(topic))[0]
    low = compose.continued(line)
    for text in (line, f"Same here, {low}", f"Same here. {line} Thanks"):
        assert (line, low) in compose.says(text, forms), text
    assert (line, low) not in compose.says(f"x{line}", forms)  # only after a space


def test_a_reply_fits_what_it_answers():
    topic = topics.BY_SLUG["adhd-support"]
    for seed in range(40):
        rng = random.Random(seed)
        assert compose.comment("win", topic, "client", False, rng).startswith(voices.CHEERS)
        assert compose.comment("intro", topic, "client", False, rng).startswith(
            voices.WELCOMES)
        assert compose.comment("win", topic, "therapist", False, rng).startswith(
            voices.THERAPIST_CHEERS)
        assert compose.comment("intro", topic, "moderator", False, rng).startswith(
            voices.MODERATOR_WELCOMES)


# --- the seeded database (medium) -----------------------------------------------------------


def test_every_post_speaks_its_authors_voice_and_its_communitys_topic(dbs, sql):
    url = dbs.seeded()
    rows = sql(url, POSTS)
    assert rows
    for title, body, role, slug, name, _ in rows:
        topic, therapist = topics.of_slug(slug), role == "therapist"
        assert title in compose.titles(topic, therapist, name), (slug, role, title)
        assert compose.made_of(body, compose.parts(topic, role, name)), (slug, role, body)


def test_every_comment_speaks_its_authors_voice_and_its_posts_topic(dbs, sql):
    url = dbs.seeded()
    rows = sql(url, COMMENTS)
    assert rows
    for text, role, slug, name in rows:
        allowed = compose.parts(topics.of_slug(slug), role, name)
        assert compose.made_of(text, allowed), (slug, role, text)


def test_titles_bodies_comments_journal_entries_and_notes_hardly_repeat(dbs, sql):
    url = dbs.seeded()
    for table, column in (("Post", "title"), ("Post", "content"), ("Comment", "content"),
                          ("JournalEntry", "content"), ("MeetingNotes", "notes")):
        rows, distinct = sql(url, f'SELECT count(*), count(DISTINCT "{column}") '
                                  f'FROM "{table}"')[0]
        assert rows and distinct >= 0.95 * rows, (table, column, rows, distinct)


def test_no_journal_entry_session_note_or_message_is_shared_by_two_people(dbs, sql):
    url = dbs.seeded()
    journal = Counter(r[0] for r in sql(url, 'SELECT content FROM "JournalEntry"'))
    notes = Counter(r[0] for r in sql(url, 'SELECT notes FROM "MeetingNotes"'))
    chats: dict[str, set[str]] = {}
    for text, conversation in sql(url, 'SELECT content, "conversationId" FROM "Message"'):
        chats.setdefault(text, set()).add(conversation)
    assert max(journal.values()) == 1 and max(notes.values()) == 1
    assert max(len(c) for c in chats.values()) == 1


def test_a_line_said_in_another_chat_keeps_its_meaning():
    rng = random.Random(7)
    said = variants("Okay, I can do that during my break at work.", rng, "Maya")
    assert said[0] == "Okay, I can do that during my break at work."
    assert not any(v.startswith(("Okay, okay", "Oh, okay")) for v in said)
    assert all("break at work" in v for v in said) and len(set(said)) == len(said)
    assert all("Friday" in v for v in variants("Friday at 10 works.", rng, "Maya"))


def test_care_talk_starts_after_the_pairs_first_completed_session(dbs, sql):
    url = dbs.seeded()
    first = {(c, t): _ts(e) for c, t, e in sql(url, """
        SELECT "clientId", "therapistId", min("endTime") FROM "Meeting"
        WHERE status = 'COMPLETED' GROUP BY 1, 2""")}
    chats = sql(url, """SELECT c."createdAt", a."userId", b."userId" FROM "Conversation" c
                        JOIN "ConversationParticipant" a ON a."conversationId" = c.id
                        JOIN "ConversationParticipant" b ON b."conversationId" = c.id
                        WHERE c.type = 'DIRECT' AND a."userId" <> b."userId" """)
    checked = 0
    for started, client, therapist in chats:
        if (client, therapist) in first:
            assert _ts(started) > first[(client, therapist)]
            checked += 1
    assert checked


def test_moderators_file_reports_comment_as_moderators_and_hear_of_reports(dbs, sql):
    url = dbs.seeded()
    moderators = [r[0] for r in sql(url, 'SELECT "userId" FROM "Moderator"')]
    filed = Counter(r[0] for r in sql(url, 'SELECT "reporterId" FROM "Report"'))
    said = Counter(r[0] for r in sql(url, 'SELECT "userId" FROM "Comment"'))
    told = Counter(r[0] for r in sql(url, """SELECT "userId" FROM "Notification"
                                             WHERE type = 'COMMUNITY_POST'"""))
    assert moderators and all(filed[m] >= 2 and said[m] >= 3 and told[m] >= 1
                              for m in moderators)


def test_admins_hear_of_therapist_applications_and_pending_ones_stay_unread(dbs, sql):
    url = dbs.seeded()
    rows = sql(url, """SELECT n."userId", n."isRead", t.status FROM "Notification" n
                       JOIN "User" u ON u.id = n."userId" JOIN "Therapist" t
                       ON t."userId" = n.data->>'therapistId' WHERE u.role = 'admin'"""
               if url.startswith("postgresql") else
               """SELECT n."userId", n."isRead", t.status FROM "Notification" n
                  JOIN "User" u ON u.id = n."userId" JOIN "Therapist" t
                  ON t."userId" = json_extract(n.data, '$.therapistId')
                  WHERE u.role = 'admin'""")
    admins = {r[0] for r in sql(url, 'SELECT "userId" FROM "Admin"')}
    assert {r[0] for r in rows} == admins
    assert all(not read for _, read, status in rows if status == "PENDING")


def test_comments_on_one_post_never_repeat_a_line_of_each_other_or_the_post(dbs, sql):
    url = dbs.seeded()
    by_post: dict[str, list[str]] = {p: [t] for p, t in sql(url, 'SELECT id, content '
                                                                 'FROM "Post"')}
    for post, text in sql(url, 'SELECT "postId", content FROM "Comment" ORDER BY id'):
        by_post[post].append(text)
    lines = frozenset().union(*(compose.thread_parts(t) for t in topics.ALL))
    for texts in by_post.values():
        said = Counter(line for text in texts for line in lines
                       if line in text or compose.continued(line) in text)
        assert not said or max(said.values()) == 1, said.most_common(1)


def test_a_moderator_of_its_community_drops_in_on_every_group_chat(dbs, sql):
    url = dbs.seeded()
    chats = sql(url, """SELECT v.id, v.title FROM "Conversation" v
                        WHERE v.type IN ('GROUP', 'SUPPORT')""")
    communities = dict(sql(url, 'SELECT name, id FROM "Community"'))
    moderate = {(m, c) for m, c in sql(url, 'SELECT "moderatorId", "communityId" '
                                            'FROM "ModeratorCommunity"')}
    seats = {(c, u): (r, j) for c, u, r, j in sql(
        url, 'SELECT "conversationId", "userId", role, "joinedAt" FROM "ConversationParticipant"')}
    said = sql(url, 'SELECT "conversationId", "senderId", content, "createdAt" FROM "Message"')
    assert chats
    for conv, title in chats:
        community = communities[max((n for n in communities if title.startswith(n + " · ")),
                                    key=len)]
        mods = [(u, j) for (c, u), (r, j) in seats.items() if c == conv and r == "MODERATOR"]
        assert len(mods) == 1, (title, mods)
        mod, joined = mods[0]
        assert (mod, community) in moderate
        lines = [(text, at) for c, u, text, at in said if c == conv and u == mod]
        assert len(lines) == 1 and _ts(lines[0][1]) > _ts(joined)
        name = next(n for n, i in communities.items() if i == community)
        assert name in lines[0][0]


def test_the_fixed_accounts_have_ordinary_names_none_of_the_generated_ones(dbs, sql):
    from mentara_seed.enrichers.corpora import people
    url = dbs.seeded()
    names = {uid: (first, last) for uid, first, last in sql(
        url, """SELECT id, "firstName", "lastName" FROM "User" WHERE id LIKE 'dev%'""")}
    assert names == {f"dev_{role}_{n}": people.FIXED_NAMES[role][n - 1]
                     for role in people.FIXED_NAMES for n in (1, 2, 3)}
    generated = set(people.FIRST_NAMES)
    assert not generated & {first for first, _ in names.values()}
