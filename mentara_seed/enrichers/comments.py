"""Tier 3: comments on community posts, some of them replies to other comments."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose, content
from mentara_seed.enrichers.common import CLIENT, latest
from mentara_seed.enrichers.corpora import topics
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

SPREADS = tuple(dt.timedelta(hours=h) for h in (3, 12, 24, 72, 192))


class CommentMinimums(Minimums):
    """Comments written per client and approved therapist, comments per post, and the share
    of comments that reply to another comment."""

    per_client: int = Field(10, ge=0, description="comments by each client")
    per_therapist: int = Field(5, ge=0, description="comments by each APPROVED therapist")
    per_post: int = Field(2, ge=0, description="comments on each post")
    reply_share: float = Field(0.25, ge=0, le=1, description="share of comments that reply "
                                                             "to another comment")
    per_moderator: int = Field(3, ge=0, description="comments by each moderator in the "
                                                    "communities they moderate")

    PROFILES: ClassVar = {"light": {"per_client": 5}, "heavy": {"per_client": 20}}

    def per_author(self, role: str) -> int:
        return self.per_client if role == CLIENT else self.per_therapist


@dataclass(slots=True)
class _Draft:
    id: str
    user: Row
    post: Row
    wants_parent: bool
    start: dt.datetime
    created: dt.datetime
    parent: Row | None = None


@dataclass(slots=True)
class _Board:
    """The posts people comment on and who may comment where."""

    posts: list[Row]
    community_of: dict[str, str | None]
    joined: dict[tuple[str, str], dt.datetime]
    writers: list[Row]
    members: dict[str, list[str]]
    by_community: dict[str | None, list[Row]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for post in self.posts:
            self.by_community.setdefault(self.community_of[post["id"]], []).append(post)

    def near(self, uid: str, mine: set[str]) -> list[Row]:
        """Other people's posts in the user's communities; all other people's posts if none."""
        local = [p for c in sorted(mine) for p in self.by_community.get(c, ())
                 if p["userId"] != uid]
        return local or [p for p in self.posts if p["userId"] != uid]

    @classmethod
    def build(cls, ctx: PlanContext) -> _Board:
        writers = content.authors(ctx)
        return cls(ctx.rows("Post"), content.post_communities(ctx), content.joined_at(ctx),
                   writers, content.members(ctx, {u["id"] for u in writers}))

    def start(self, user: Row, post: Row) -> dt.datetime:
        """The earliest moment the user can comment: after the post and after joining."""
        since = self.joined.get((user["id"], self.community_of[post["id"]] or ""))
        return latest(post["createdAt"], since or user["createdAt"])


def _verify(live: LiveState, need: CommentMinimums) -> Iterator[Violation]:
    by_user = live.group("Comment", "userId")
    for user in content.authors(live):
        want, have = need.per_author(user["role"]), len(by_user.get(user["id"], []))
        if have < want:
            yield Violation("comments", f"{user['role']} {user['email']}",
                            f"{have}/{want} comments")
    by_post = live.group("Comment", "postId")
    for post in live.rows("Post"):
        have = len(by_post.get(post["id"], []))
        if have < need.per_post:
            yield Violation("comments", f"post {post['id']}", f"{have}/{need.per_post} comments")
    yield from _verify_threads(live)


def _verify_threads(live: LiveState) -> Iterator[Violation]:
    posts, comments = live.by_pk("Post"), live.by_pk("Comment")
    for comment in live.rows("Comment"):
        post, entity = posts[comment["postId"]], f"comment {comment['id']}"
        # Each rule names the comment and what it is read against (its post, the comment it
        # replies to): a person who edited that one made the comment wrong, and it is theirs.
        if comment["userId"] == post["userId"]:
            yield Violation("comments", entity, "is on its author's own post",
                            rows=(comment["id"],), inputs=(post["id"],))
        parent = comments.get(comment["parentId"]) if comment["parentId"] else None
        if parent is None:
            continue
        if parent["postId"] != comment["postId"]:
            yield Violation("comments", entity, "replies to a comment on another post",
                            rows=(comment["id"],), inputs=(parent["id"],))
        if parent["userId"] == comment["userId"]:
            yield Violation("comments", entity, "replies to its author's own comment",
                            rows=(comment["id"],), inputs=(parent["id"],))


@enricher(
    "comments",
    writes=("Comment",),
    depends_on=("posts", "moderator-assignments"),
    reads=("Room", "RoomGroup"),  # a post's community is its room's group's
    tier=3,
    minimums=CommentMinimums,
    verify=_verify,
)
def comments(ctx: PlanContext, need: CommentMinimums) -> Iterator[DesiredRow]:
    """Every client and APPROVED therapist with at least the minimum comments (a few more for
    most), on other people's posts in their own communities (rendezvous-ranked, so a person
    rarely comments twice on one post); then every post topped up to its minimum comments by
    members of its community who have not commented on it yet. About ``reply_share`` of the
    comments reply (parentId) to another person's comment on the same post. Never on one's own
    post; after the post, after the commenter joined the community and, for a reply, after the
    comment it answers; before the anchor. Each text is composed from parts that answer the
    post: its community's topic and its kind (a welcome under an introduction, congratulations
    under a win, experience and what helped under a question, support under a discussion or
    check-in, thanks under a therapist's tip, agreement in a reply), in the author's voice (a
    therapist validates, explains a skill and invites); no text repeats while the corpus has
    a fresh one. Moderators write ``per_moderator`` comments each in the communities they
    moderate, as moderators (welcomes, thanks and gentle reminders of the guidelines)."""
    board = _Board.build(ctx)
    drafts = list(_per_author(ctx, need, board))
    drafts += _top_up(ctx, need, board, drafts)
    drafts += _moderators(ctx, need, board)
    _thread(ctx, drafts)
    yield from _write(ctx, board, drafts)


def _draft(ctx: PlanContext, need: CommentMinimums, board: _Board, cid: str, user: Row,
           post: Row) -> _Draft:
    rng = ctx.rng(cid)
    start = board.start(user, post)
    created = content.after(ctx, rng, start, rng.choice(SPREADS))
    return _Draft(cid, user, post, rng.random() < need.reply_share, start, created)


def _per_author(ctx: PlanContext, need: CommentMinimums, board: _Board) -> Iterator[_Draft]:
    foreign = ctx.group("Comment", "userId", foreign=True)
    by_user = ctx.group("Membership", "userId")
    for user in board.writers:
        uid = user["id"]
        floor = need.per_author(user["role"])
        gap = ctx.rng(uid, "comments").randint(floor, floor + 4) - len(foreign.get(uid, []))
        mine = {m["communityId"] for m in by_user.get(uid, [])}
        near = board.near(uid, mine)
        slots = ctx.slots(gap, "Comment", partial(ctx.id, "Comment", uid))
        # Only the best ``slots`` posts are used (every one of them when there are fewer).
        ranked = ctx.pick([p["id"] for p in near], min(len(near), slots), uid, "comment-posts")
        by_id = {p["id"]: p for p in near}
        for slot in range(slots if ranked else 0):
            cid = ctx.id("Comment", uid, slot)
            post = by_id[ctx.live_choice("Comment", cid, "postId", by_id.__contains__)
                         or ranked[slot % len(ranked)]]
            yield _draft(ctx, need, board, cid, user, post)


def _top_up(ctx: PlanContext, need: CommentMinimums, board: _Board,
            drafts: list[_Draft]) -> list[_Draft]:
    commenters: dict[str, set[str]] = {}
    for c in ctx.foreign("Comment"):
        commenters.setdefault(c["postId"], set()).add(c["userId"])
    have = {pid: len(rows) for pid, rows in ctx.group("Comment", "postId", foreign=True).items()}
    for d in drafts:
        have[d.post["id"]] = have.get(d.post["id"], 0) + 1
        commenters.setdefault(d.post["id"], set()).add(d.user["id"])
    users = {u["id"]: u for u in board.writers}
    out: list[_Draft] = []
    for post in board.posts:
        pid = post["id"]
        gap = ctx.slots(need.per_post - have.get(pid, 0), "Comment",
                        partial(ctx.id, "Comment", "post", pid))
        if gap <= 0:
            continue
        pool = [u for u in board.members.get(board.community_of[pid] or "", [])
                if u != post["userId"]]
        pool = pool or [u for u in users if u != post["userId"]]
        fresh = [u for u in pool if u not in commenters.get(pid, set())] or pool
        ranked = ctx.pick(fresh, len(fresh), pid, "commenters")
        for slot in range(gap if ranked else 0):
            cid = ctx.id("Comment", "post", pid, slot)
            uid = (ctx.live_choice("Comment", cid, "userId", pool.__contains__)
                   or ranked[slot % len(ranked)])
            out.append(_draft(ctx, need, board, cid, users[uid], post))
    return out


def _moderators(ctx: PlanContext, need: CommentMinimums, board: _Board) -> list[_Draft]:
    """Moderators take part in the conversations of the communities they moderate: a welcome
    under an introduction, a thank-you and a gentle reminder of the guidelines elsewhere;
    after the post and after their assignment."""
    foreign = ctx.group("Comment", "userId", foreign=True)
    users = {u["id"]: u for u in ctx.rows("User")}
    out: list[_Draft] = []
    for mid, rows in sorted(ctx.group("ModeratorCommunity", "moderatorId").items()):
        user = users.get(mid)
        if user is None:
            continue
        since = {r["communityId"]: r["assignedAt"] for r in rows}
        posts = {p["id"]: p for c in sorted(since) for p in board.by_community.get(c, ())
                 if p["createdAt"] < ctx.at(hours=-2)}
        gap = ctx.slots(need.per_moderator - len(foreign.get(mid, [])), "Comment",
                        partial(ctx.id, "Comment", mid))
        ranked = ctx.pick(sorted(posts), min(len(posts), gap), mid, "comment-posts")
        for slot in range(gap if ranked else 0):
            cid = ctx.id("Comment", mid, slot)
            post = posts[ctx.live_choice("Comment", cid, "postId", posts.__contains__)
                         or ranked[slot % len(ranked)]]
            rng = ctx.rng(cid)
            start = latest(post["createdAt"], since[board.community_of[post["id"]] or ""],
                           user["createdAt"])
            out.append(_Draft(cid, user, post, False, start,
                              content.after(ctx, rng, start, rng.choice(SPREADS))))
    return out


def _thread(ctx: PlanContext, drafts: list[_Draft]) -> None:
    """Turn the drafts that want a parent into replies to another person's earlier comment on
    the same post (a foreign one or a planned top-level one); the others stay top-level."""
    latest = ctx.at(minutes=-5)
    parents: dict[str, list[Row]] = {}
    for c in ctx.foreign("Comment"):
        parents.setdefault(c["postId"], []).append(c)
    for d in drafts:
        if not d.wants_parent:
            parents.setdefault(d.post["id"], []).append(
                {"id": d.id, "userId": d.user["id"], "createdAt": d.created})
    for d in drafts:
        if not d.wants_parent:
            continue
        options = {c["id"]: c for c in parents.get(d.post["id"], [])
                   if c["userId"] != d.user["id"] and c["createdAt"] < latest}
        live = ctx.applied("Comment", d.id)
        if live is not None and live["postId"] == d.post["id"] and (
                live["parentId"] is None or live["parentId"] in options):
            choice = live["parentId"]  # the applied choice stays while it is still valid
        else:
            choice = ctx.pick_one(sorted(options), d.id, "parent")
        if choice is None:
            continue
        d.parent = options[choice]
        rng = ctx.rng(d.id, "reply")
        d.created = content.after(ctx, rng, max(d.start, d.parent["createdAt"]),
                                  dt.timedelta(days=2))


def _maker(board: _Board, draft: _Draft, kinds: dict[str, str],
           slugs: dict[str, str]) -> Callable[[random.Random], str]:
    topic = topics.of_slug(slugs.get(board.community_of[draft.post["id"]] or "", ""))
    return partial(compose.comment, kinds[draft.post["id"]], topic, draft.user["role"],
                   draft.parent is not None)


def _write(ctx: PlanContext, board: _Board, drafts: list[_Draft]) -> Iterator[DesiredRow]:
    """Texts answer their post (its topic, its kind) and never repeat while the corpus has a
    fresh one; a live comment whose text is still one of its own draws keeps it."""
    taken: set[Hashable] = {c["content"] for c in ctx.foreign("Comment")}
    slugs = {c["id"]: c["slug"] for c in ctx.rows("Community")}
    kinds = content.post_kinds(ctx)
    ordered = sorted(drafts, key=lambda d: d.id)
    texts: dict[str, str] = {}
    for d in ordered:
        live = ctx.applied("Comment", d.id)
        text = None if live is None or live["postId"] != d.post["id"] else live["content"]
        if text is not None and text not in taken and compose.kept_attempt(
                ctx, _maker(board, d, kinds, slugs), text, d.id, "text"):
            texts[d.id] = text
            taken.add(text)
    # One post's comments never repeat a line of each other or of the post ("Starting is
    # always the hardest part for me too", or a therapist's "Noticing and celebrating it helps
    # it stick", twice under one post reads as a bot).
    said: dict[str, set[compose.Said]] = {}
    for d in ordered:
        echo = said.get(d.post["id"])
        if echo is None:
            echo = said[d.post["id"]] = _lines(board, d, slugs, d.post["content"])
        if d.id in texts:
            echo.update(_lines(board, d, slugs, texts[d.id]))
    for d in ordered:
        echo = said.setdefault(d.post["id"], set())
        text = texts.get(d.id) or compose.unique(
            ctx, _maker(board, d, kinds, slugs), taken, str, d.id, "text",
            fits=partial(_fresh, echo))
        echo.update(_lines(board, d, slugs, text))
        yield ctx.row("Comment", id=d.id, postId=d.post["id"], userId=d.user["id"],
                      content=text, parentId=d.parent["id"] if d.parent else None,
                      createdAt=d.created, updatedAt=d.created)


def _lines(board: _Board, draft: _Draft, slugs: dict[str, str],
           text: str) -> set[compose.Said]:
    """The lines of substance a comment says (``compose.thread_parts``)."""
    topic = topics.of_slug(slugs.get(board.community_of[draft.post["id"]] or "", ""))
    return compose.says(text, compose.thread_forms(topic))


def _fresh(said: set[compose.Said], text: str) -> bool:
    return not any(line in text or low in text for line, low in said)
