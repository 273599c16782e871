"""Tier 3: hearts on posts (PostHeart) and on comments (CommentHeart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import content
from mentara_seed.enrichers.common import CLIENT, MODERATOR, THERAPIST
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.values import Row

TARGETS = (("PostHeart", "Post", "postId"), ("CommentHeart", "Comment", "commentId"))
SPREAD = dt.timedelta(days=4)


class HeartMinimums(Minimums):
    """Hearts each client, therapist and moderator gives, and hearts each post receives."""

    per_user: int = Field(3, ge=0, description="hearts given by each client, therapist and "
                                               "moderator (posts and comments together)")
    per_post: int = Field(1, ge=0, description="hearts on each post")
    post_share: float = Field(0.55, ge=0, le=1, description="share of a user's hearts that "
                                                            "go to posts rather than comments")

    PROFILES: ClassVar = {}


def givers(src: content.Source) -> list[Row]:
    """Clients and therapists (any application status: hearting needs no approval), and
    moderators (in the communities they moderate). Admins run the platform from its admin
    pages and take no part in the communities."""
    return [u for u in src.rows("User") if u["role"] in (CLIENT, THERAPIST, MODERATOR)]


@dataclass(slots=True)
class _Targets:
    """Posts and comments with the community they live in, and who hearted what."""

    rows: dict[str, list[Row]]
    community_of: dict[str, str | None]
    # (table, user) -> ids of what the user hearted there: most users have none yet when
    # their options are listed, and then a lookup costs nothing.
    hearted: dict[tuple[str, str], set[str]]
    # Targets per community as (author, id, row), so a user's options cost their communities'
    # content only, and listing them reads no row (every user lists hundreds).
    by_community: dict[str, dict[str | None, list[tuple[str, str, Row]]]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        for table, rows in self.rows.items():
            per = self.by_community.setdefault(table, {})
            for t in rows:
                per.setdefault(self.community_of.get(t["id"]), []).append(
                    (t["userId"], t["id"], t))

    def heart(self, table: str, target: str, uid: str) -> None:
        self.hearted.setdefault((table, uid), set()).add(target)

    def has_hearted(self, table: str, target: str, uid: str) -> bool:
        return target in self.hearted.get((table, uid), ())

    @classmethod
    def build(cls, ctx: PlanContext) -> _Targets:
        post_community = content.post_communities(ctx)
        comment_community = {c["id"]: post_community.get(c["postId"])
                             for c in ctx.rows("Comment")}
        hearted: dict[tuple[str, str], set[str]] = {}
        for table, _, column in TARGETS:
            for h in ctx.foreign(table):
                hearted.setdefault((table, h["userId"]), set()).add(h[column])
        return cls({"PostHeart": ctx.rows("Post"), "CommentHeart": ctx.rows("Comment")},
                   post_community | comment_community, hearted)

    def options(self, table: str, uid: str, mine: set[str]) -> list[Row]:
        """What the user may still heart: not their own, not hearted yet, in their
        communities when there is anything there."""
        done = self.hearted.get((table, uid), ())
        per = self.by_community[table]
        local = [t for c in sorted(mine) for author, tid, t in per.get(c, ())
                 if author != uid and tid not in done]
        return local or [t for t in self.rows[table]
                         if t["userId"] != uid and t["id"] not in done]


def _verify(live: LiveState, need: HeartMinimums) -> Iterator[Violation]:
    given: dict[str, int] = {}
    for table, _, _ in TARGETS:
        for h in live.rows(table):
            given[h["userId"]] = given.get(h["userId"], 0) + 1
    for user in givers(live):
        if given.get(user["id"], 0) < need.per_user:
            yield Violation("hearts", f"{user['role']} {user['email']}",
                            f"gave {given.get(user['id'], 0)}/{need.per_user} hearts")
    on_post = live.group("PostHeart", "postId")
    for post in live.rows("Post"):
        if len(on_post.get(post["id"], [])) < need.per_post:
            yield Violation("hearts", f"post {post['id']}",
                            f"{len(on_post.get(post['id'], []))}/{need.per_post} hearts")
    for table, target_table, column in TARGETS:
        targets = live.by_pk(target_table)
        seen: set[tuple[str, str]] = set()
        for h in live.rows(table):
            target, entity = targets[h[column]], f"{table} {h['id']}"
            if target["userId"] == h["userId"]:
                yield Violation("hearts", entity, "on the giver's own content")
            if (h[column], h["userId"]) in seen:
                yield Violation("hearts", entity, "a second heart by the same user")
            seen.add((h[column], h["userId"]))


@enricher(
    "hearts",
    writes=("PostHeart", "CommentHeart"),
    depends_on=("posts", "comments"),
    # A post's community is its room's group's; a moderator hearts in the ones they moderate.
    reads=("Room", "RoomGroup", "ModeratorCommunity"),
    # A heart kept for being there (beyond the user's picks now) that was deleted comes back.
    restores=("PostHeart", "CommentHeart"),
    tier=3,
    minimums=HeartMinimums,
    verify=_verify,
)
def hearts(ctx: PlanContext, need: HeartMinimums) -> Iterator[DesiredRow]:
    """Every client, therapist and moderator gives at least the minimum hearts (a few more
    for most), to posts and to comments in their own communities (a moderator's: those they
    moderate; about ``post_share`` to posts), each
    target rendezvous-ranked per user; then every post without enough hearts gets them from
    members of its community. At most one heart per (user, post) and (user, comment), never
    on one's own post or comment, always after the content was written and before the
    anchor."""
    targets = _Targets.build(ctx)
    planned = list(_per_user(ctx, need, targets))
    planned += _top_up(ctx, need, targets, planned)
    yield from sorted(planned, key=lambda r: (r[0], r[1]["id"]))


def _heart(ctx: PlanContext, table: str, user: Row, target: Row) -> DesiredRow:
    # The id is the natural key (target, user): a pair never gets two ids, so a changed plan
    # never creates a row that collides with an owned one on its way out.
    hid = ctx.natural_id(table, target["id"], user["id"])
    column = "postId" if table == "PostHeart" else "commentId"
    start = ctx.earliest(table, "createdAt", userId=user["id"], **{column: target["id"]})
    assert start is not None  # the user and what they heart are live or planned
    created = content.after(ctx, ctx.rng(hid), start, SPREAD)
    return ctx.row(table, id=hid, createdAt=created, userId=user["id"], **{column: target["id"]})


def _per_user(ctx: PlanContext, need: HeartMinimums, targets: _Targets) -> Iterator[DesiredRow]:
    foreign = {table: ctx.group(table, "userId", foreign=True) for table, _, _ in TARGETS}
    applied = {table: {uid: [h for h in rows if ctx.keeping(table, h["id"]) is not None]
                       for uid, rows in ctx.live.group(table, "userId").items()}
               if ctx.live.has(table) else {} for table, _, _ in TARGETS}
    for table, _, _ in TARGETS:
        # Deleted since applied: taken as there, so a heart kept for being there comes back.
        for h in ctx.gone(table):
            applied[table].setdefault(h["userId"], []).append(h)
    by_user = ctx.group("Membership", "userId")
    moderates = ctx.group("ModeratorCommunity", "moderatorId")
    for user in givers(ctx):
        uid = user["id"]
        done = sum(len(foreign[table].get(uid, [])) for table, _, _ in TARGETS)
        gap = ctx.rng(uid, "hearts").randint(need.per_user, need.per_user + 5) - done
        mine = {m["communityId"] for m in by_user.get(uid, [])} | {
            m["communityId"] for m in moderates.get(uid, [])}
        options = {table: {t["id"]: t for t in targets.options(table, uid, mine)}
                   for table, _, _ in TARGETS}
        ranked: dict[str, list[Row]] = {}
        for table, _, _ in TARGETS:
            # Only the best ``gap`` of each kind can be used.
            ranked[table] = [options[table][i] for i in ctx.pick(list(options[table]),
                                                                  max(gap, 0), uid, table)]
        yield from _kept(ctx, targets, user, options, applied)
        used = {"PostHeart": 0, "CommentHeart": 0}
        for slot in range(gap):
            first = "PostHeart" if ctx.rng(uid, "heart", slot).random() < need.post_share \
                else "CommentHeart"
            second = "CommentHeart" if first == "PostHeart" else "PostHeart"
            table = first if used[first] < len(ranked[first]) else second
            if used[table] >= len(ranked[table]):
                break
            target = ranked[table][used[table]]
            used[table] += 1
            if not targets.has_hearted(table, target["id"], uid):
                targets.heart(table, target["id"], uid)
                yield _heart(ctx, table, user, target)


def _kept(ctx: PlanContext, targets: _Targets, user: Row, options: dict[str, dict[str, Row]],
          applied: dict[str, dict[str, list[Row]]]) -> Iterator[DesiredRow]:
    """The hearts the user gave as applied, while their target is still an option: the
    picks are made as if there were none (so a deleted heart comes back as it was), and
    these stay besides them (so a new post never takes a heart from an old one). A heart
    deleted since it was applied is among them (``PlanContext.gone``): one kept beyond the
    picks comes back too."""
    for table, _, column in TARGETS:
        for h in applied[table].get(user["id"], ()):
            if h[column] in options[table]:
                targets.heart(table, h[column], user["id"])
                yield _heart(ctx, table, user, options[table][h[column]])


def _top_up(ctx: PlanContext, need: HeartMinimums, targets: _Targets,
            planned: list[DesiredRow]) -> list[DesiredRow]:
    have = {pid: len(rows) for pid, rows in ctx.group("PostHeart", "postId", foreign=True).items()}
    for table, row in planned:
        if table == "PostHeart":
            have[row["postId"]] = have.get(row["postId"], 0) + 1
    users = {u["id"]: u for u in givers(ctx)}
    members = content.members(ctx, set(users))
    out: list[DesiredRow] = []
    for post in targets.rows["PostHeart"]:
        pid = post["id"]
        gap = need.per_post - have.get(pid, 0)
        if gap <= 0:
            continue
        free = [u for u in members.get(targets.community_of.get(pid) or "", [])
                if u != post["userId"] and not targets.has_hearted("PostHeart", pid, u)]
        free = free or [u for u in users if u != post["userId"]
                        and not targets.has_hearted("PostHeart", pid, u)]
        for uid in ctx.pick(free, gap, pid, "hearts"):
            targets.heart("PostHeart", pid, uid)
            out.append(_heart(ctx, "PostHeart", users[uid], post))
    return out
