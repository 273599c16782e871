"""Tier 4: clients' reviews of their therapists, each for a completed session."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between
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
        if m is None or m["status"] != MeetingStatus.COMPLETED:
            yield Violation("reviews", entity, "reviews a session that is not COMPLETED")
        elif (m["clientId"], m["therapistId"]) != (r["clientId"], r["therapistId"]):
            yield Violation("reviews", entity, "reviews another pair's session")
        elif r["createdAt"] < meeting_end(m):
            yield Violation("reviews", entity, "written before the session ended")


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
    taken = {(r["clientId"], r["therapistId"], r["meetingId"]) for r in foreign}
    for tid, done in sorted(completed_meetings(ctx.rows("Meeting")).items()):
        have = sum(1 for m in done if (m["clientId"], tid, m["id"]) in taken)
        open_ = [m for m in done if (m["clientId"], tid, m["id"]) not in taken
                 and meeting_end(m) <= ctx.anchor]
        chosen = ctx.pick([m["id"] for m in open_], need.wanted(len(done)) - have, tid,
                          "reviewed")
        for m in open_:
            # A review as applied stays besides the picks (made as if there were none).
            if m["id"] in chosen or ctx.keeping(
                    "Review", ctx.id("Review", m["id"])) is not None:
                yield _review(ctx, m)


def _review(ctx: PlanContext, meeting: Row) -> DesiredRow:
    rid = ctx.id("Review", meeting["id"])
    rng = ctx.rng(rid, "review")
    rating = rng.choice(RATINGS)
    title, content = rng.choice(corpus.REVIEWS[rating])
    ended = meeting_end(meeting)
    written = between(rng, min(ended + dt.timedelta(hours=1), ctx.anchor),
                      min(ended + dt.timedelta(days=rng.choice((1, 2, 4, 6))), ctx.anchor))
    return ctx.row(
        "Review", id=rid, rating=rating, title=title, content=content,
        isAnonymous=rng.random() < 0.2, clientId=meeting["clientId"],
        therapistId=meeting["therapistId"], meetingId=meeting["id"], isVerified=True,
        createdAt=written, updatedAt=written,
    )
