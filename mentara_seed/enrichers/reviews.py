"""Tier 4: clients' reviews of their therapists, each for a completed session."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import compose
from mentara_seed.enrichers.common import between
from mentara_seed.enrichers.compose import join
from mentara_seed.enrichers.corpora import sessions as corpus
from mentara_seed.enrichers.meetings import meeting_end
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.enrichers.relationships import approved_therapists
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import MeetingStatus
from mentara_seed.schema.values import Row

RATINGS = (5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 2)


class ReviewMinimums(Minimums):
    """Share of completed sessions reviewed, and reviews per therapist."""

    share: float = Field(0.3, ge=0, le=1, description="share of each therapist's completed "
                                                      "sessions that get a review")
    per_therapist: int = Field(1, ge=0, description="reviews of each approved therapist who "
                                                    "has a completed session")

    PROFILES: ClassVar = {}

    def wanted(self, completed: int) -> int:
        """Reviews a therapist with ``completed`` sessions should have."""
        if completed == 0:
            return 0
        return min(completed, max(self.per_therapist, int(self.share * completed + 0.5)))


def completed_meetings(rows: list[Row]) -> dict[str, list[Row]]:
    """COMPLETED meetings by therapist, each list in pk order."""
    out: dict[str, list[Row]] = {}
    for m in rows:
        if m["status"] == MeetingStatus.COMPLETED:
            out.setdefault(m["therapistId"], []).append(m)
    return out


def _verify(live: LiveState, need: ReviewMinimums) -> Iterator[Violation]:
    reviews = live.rows("Review")
    per_therapist = Counter(r["therapistId"] for r in reviews)
    reviewed = {r["meetingId"] for r in reviews}
    approved = set(approved_therapists(live.rows("Therapist")))
    for tid, done in sorted(completed_meetings(live.rows("Meeting")).items()):
        have = sum(1 for m in done if m["id"] in reviewed)
        want = need.wanted(len(done))
        floor = min(need.per_therapist, len(done))
        if tid in approved and per_therapist[tid] < floor:
            yield Violation("reviews", f"therapist {tid}",
                            f"{per_therapist[tid]}/{floor} reviews")
        if have < want:
            yield Violation("reviews", f"therapist {tid}",
                            f"{have}/{want} completed sessions reviewed")
    seen: set[tuple[str, str, str]] = set()
    for r in reviews:
        entity = f"review {r['id']}"
        if r["meetingId"] is None:
            continue
        key = (r["clientId"], r["therapistId"], r["meetingId"])
        if key in seen:
            yield Violation("reviews", entity, "a second review of the same session")
        seen.add(key)
        m = live.get("Meeting", r["meetingId"])
        read = (r["meetingId"],)  # a person who edited the session made the review disagree
        if m is None or m["status"] != MeetingStatus.COMPLETED:
            yield Violation("reviews", entity, "reviews a session that is not COMPLETED",
                            inputs=read)
        elif (m["clientId"], m["therapistId"]) != (r["clientId"], r["therapistId"]):
            yield Violation("reviews", entity, "reviews another pair's session", inputs=read)
        elif r["createdAt"] < meeting_end(m):
            yield Violation("reviews", entity, "written before the session ended", inputs=read)


@enricher(
    "reviews",
    writes=("Review",),
    depends_on=("meetings",),
    tier=4,
    minimums=ReviewMinimums,
    verify=_verify,
)
def reviews(ctx: PlanContext, need: ReviewMinimums) -> Iterator[DesiredRow]:
    """About ``share`` of each therapist's COMPLETED sessions get a review from the client
    (rounded, and at least ``per_therapist`` for a therapist with any completed session); the
    sessions are chosen by rendezvous hashing, so they stay put as sessions are added. A review
    belongs to the same client and therapist as its session, is written between an hour and a
    few days after the session ended (never after the anchor) and is unique per (client,
    therapist, session). Ratings are mostly 4-5 with an occasional 2-3, and the title and text
    match the rating; some are anonymous; all are verified (tied to a real session)."""
    foreign = ctx.foreign("Review")
    reviewed = {(r["clientId"], r["therapistId"], r["meetingId"]) for r in foreign}
    taken: set[Hashable] = {r["content"] for r in foreign}  # texts already shown
    picked: list[Row] = []
    for tid, done in sorted(completed_meetings(ctx.rows("Meeting")).items()):
        have = sum(1 for m in done if (m["clientId"], tid, m["id"]) in reviewed)
        open_ = [m for m in done if (m["clientId"], tid, m["id"]) not in reviewed
                 and meeting_end(m) <= ctx.anchor]
        chosen = ctx.pick([m["id"] for m in open_], need.wanted(len(done)) - have, tid,
                          "reviewed")
        # A review as applied stays besides the picks (made as if there were none).
        picked += [m for m in open_ if m["id"] in chosen
                   or ctx.keeping("Review", ctx.id("Review", m["id"])) is not None]
    texts = _texts(ctx, picked, taken)
    for m in picked:
        yield _review(ctx, m, texts[m["id"]])


def _texts(ctx: PlanContext, meetings: list[Row], taken: set[Hashable]) -> dict[str, str]:
    """Meeting id -> its review's text, none shown twice while the parts allow: an applied
    review keeps its text while it is one of its own draws (so reviews added around it
    never change it); the others draw in order."""
    makers: dict[str, Callable[[random.Random], str]] = {}
    review_of: dict[str, str] = {}
    for m in meetings:
        rid = review_of[m["id"]] = ctx.id("Review", m["id"])
        rating = ctx.rng(rid, "review").choice(RATINGS)  # the draw ``_review`` makes first
        therapist = ctx.get("User", m["therapistId"])
        name = therapist["firstName"] if therapist is not None else "my therapist"
        makers[rid] = partial(review_text, rating, name)
    texts = compose.distinct(ctx, "Review", "content", makers, taken)
    return {mid: texts[rid] for mid, rid in review_of.items()}


def review_text(rating: int, name: str, rng: random.Random) -> str:
    """A review's text for its rating, in the client's words: how the therapist is, what
    helped and what changed (4-5 stars, with a closing or, at 4, a small reservation); a
    mixed experience (3); why it did not fit (1-2)."""
    if rating >= 4:
        text = join(rng.choice(corpus.REVIEW_HOW), rng.choice(corpus.REVIEW_HELPED),
                    rng.choice(corpus.REVIEW_CHANGED) if rng.random() < 0.7 else "",
                    rng.choice(corpus.REVIEW_CLOSINGS[rating]))
    elif rating == 3:
        text = join(rng.choice(corpus.REVIEW_MIXED), rng.choice(corpus.REVIEW_MIXED_NEXT))
    else:
        text = join(rng.choice(corpus.REVIEW_LOW), rng.choice(corpus.REVIEW_LOW_NEXT))
    return text.format(name=name)


def _review(ctx: PlanContext, meeting: Row, content: str) -> DesiredRow:
    rid = ctx.id("Review", meeting["id"])
    rng = ctx.rng(rid, "review")
    rating = rng.choice(RATINGS)
    title = rng.choice(corpus.REVIEW_TITLES[rating])
    ended = meeting_end(meeting)
    written = between(rng, min(ended + dt.timedelta(hours=1), ctx.anchor),
                      min(ended + dt.timedelta(days=rng.choice((1, 2, 4, 6))), ctx.anchor))
    return ctx.row(
        "Review", id=rid, rating=rating, title=title, content=content,
        isAnonymous=rng.random() < 0.2, clientId=meeting["clientId"],
        therapistId=meeting["therapistId"], meetingId=meeting["id"], isVerified=True,
        createdAt=written, updatedAt=written,
    )
