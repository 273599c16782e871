"""Tier 6: reports on posts and comments, pending or handled by the communities' moderators.

The schema has no reviewer column, so "a moderator handled a report" means here: the report is
REVIEWED or DISMISSED and targets a post or comment in a community the moderator moderates
(ModeratorCommunity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers import content
from mentara_seed.enrichers.common import CLIENT, THERAPIST, between
from mentara_seed.enrichers.corpora import moderation
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import ReportStatus as Status
from mentara_seed.schema.values import Row

HANDLED = (Status.REVIEWED.value, Status.DISMISSED.value)
CASES = {Status.REVIEWED.value: moderation.REVIEWED, Status.DISMISSED.value: moderation.DISMISSED,
         Status.PENDING.value: moderation.PENDING}


class ReportMinimums(Minimums):
    """Reports handled in each moderator's communities, reports each moderator filed, and
    reports still waiting."""

    handled_per_moderator: int = Field(2, ge=0, description="REVIEWED or DISMISSED reports on "
                                                            "content in each moderator's "
                                                            "communities")
    filed_per_moderator: int = Field(2, ge=0, description="reports each moderator filed on "
                                                         "content in their communities")
    pending: int = Field(3, ge=0, description="PENDING reports in the queue")

    PROFILES: ClassVar = {}


@dataclass(frozen=True, slots=True)
class _Target:
    """A post or a comment that can be reported."""

    column: str
    row: Row
    community: str | None


def _targets(src: content.Source) -> dict[str, _Target]:
    post_community = content.post_communities(src)
    out = {p["id"]: _Target("postId", p, post_community[p["id"]]) for p in src.rows("Post")}
    for c in src.rows("Comment"):
        out[c["id"]] = _Target("commentId", c, post_community.get(c["postId"]))
    return out


def _target_of(report: Row, targets: dict[str, _Target]) -> _Target | None:
    key = report["postId"] or report["commentId"]
    return targets.get(key) if key else None


def _verify(live: LiveState, need: ReportMinimums) -> Iterator[Violation]:
    targets = _targets(live)
    handled: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for report in live.rows("Report"):
        statuses[report["status"]] = statuses.get(report["status"], 0) + 1
        target = _target_of(report, targets)
        if report["status"] in HANDLED and target and target.community:
            handled[target.community] = handled.get(target.community, 0) + 1
        yield from _verify_report(report, target)
    by_moderator = live.group("ModeratorCommunity", "moderatorId")
    filed = live.group("Report", "reporterId")
    users = live.by_pk("User")
    for moderator in live.rows("Moderator"):
        rows = by_moderator.get(moderator["userId"], [])
        have = sum(handled.get(r["communityId"], 0) for r in rows)
        entity = f"moderator {users[moderator['userId']]['email']}"
        if have < need.handled_per_moderator:
            yield Violation("reports", entity,
                            f"{have}/{need.handled_per_moderator} reports handled")
        mine = len(filed.get(moderator["userId"], []))
        if rows and mine < need.filed_per_moderator:
            yield Violation("reports", entity,
                            f"{mine}/{need.filed_per_moderator} reports filed")
    if statuses.get(Status.PENDING.value, 0) < need.pending:
        yield Violation("reports", "queue", f"{statuses.get(Status.PENDING.value, 0)}/"
                                            f"{need.pending} pending reports")
    if need.handled_per_moderator >= 2 and live.rows("Moderator"):
        for status in HANDLED:
            if not statuses.get(status):
                yield Violation("reports", "queue", f"no {status} report")


def _verify_report(report: Row, target: _Target | None) -> Iterator[Violation]:
    entity = f"report {report['id']}"
    if report["reporterId"] == report["reportedUserId"]:
        yield Violation("reports", entity, "reporter reports themselves")
    if target is None:
        return
    author = target.row["userId"]
    if report["reportedUserId"] != author:
        yield Violation("reports", entity, "reportedUserId is not the content's author")
    if report["reporterId"] == author:
        yield Violation("reports", entity, "reporter wrote the reported content")


@enricher(
    "reports",
    writes=("Report",),
    depends_on=("posts", "comments", "users", "moderator-assignments"),
    reads=("Room", "RoomGroup"),  # a post's community is its room's group's
    tier=6,
    minimums=ReportMinimums,
    verify=_verify,
)
def reports(ctx: PlanContext, need: ReportMinimums) -> Iterator[DesiredRow]:
    """Every moderator has at least the minimum reports handled (REVIEWED or DISMISSED) on posts
    and comments of the communities they moderate, which is how "handled by" is read since the
    schema has no reviewer column: the first REVIEWED, the second DISMISSED, later ones either;
    plus the minimum PENDING reports in the queue. The reporter is a member of the content's
    community who neither wrote it nor is the reported user; reportedUserId is the content's
    author; one report per target; reasons from a moderation corpus ("Spam", "Misinformation
    about medication", …) with the reporter's note; pending ones on content of the last 30 days.
    Besides, every moderator files ``filed_per_moderator`` reports of their own on content of
    the communities they moderate (the notes: "Moderators create reports"), in a moderator's
    words: the first REVIEWED, the second PENDING for an admin. Reported after the content was
    written, handled (updatedAt) after being reported, before the anchor."""
    targets = _targets(ctx)
    # People who signed up after the anchor report nothing: a report lies before it.
    reporters = [u["id"] for u in ctx.rows("User") if u["role"] in (CLIENT, THERAPIST)
                 and u["createdAt"] < ctx.at(days=-1)]
    members = content.members(ctx, set(reporters))
    used = {r["postId"] or r["commentId"] for r in ctx.foreign("Report")}
    slots = list(_slots(ctx, need, targets))
    # A report keeps its target while it is still a candidate; new ones pick around them.
    kept: dict[str, str] = {}
    for key, candidates, _ in slots:
        rid = ctx.id("Report", *key)
        live = ctx.applied("Report", rid)
        tid = live and (live["postId"] or live["commentId"])
        if tid and tid in candidates and tid not in used:
            kept[rid] = tid
            used.add(tid)
    for key, candidates, status_of in slots:
        rid = ctx.id("Report", *key)
        tid = kept.get(rid) or ctx.pick_one([t for t in candidates if t not in used], *key)
        if tid is None:
            if key[0] == "filed":
                ctx.warn("reports", _moderator(ctx, key[1]), "no content left to report in "
                                                             "the communities they moderate")
            continue
        target = targets[tid]
        author = target.row["userId"]
        if key[0] == "filed":  # a moderator's own report
            reporter: str | None = key[1]
        else:
            pool = [u for u in members.get(target.community or "", []) if u != author]
            pool = pool or [u for u in reporters if u != author]
            reporter = (ctx.live_choice("Report", rid, "reporterId", pool.__contains__)
                        or ctx.pick_one(pool, rid, "reporter"))
        if reporter is None:
            continue
        used.add(tid)
        yield _report(ctx, rid, target, reporter, status_of, key[0] == "filed")


def _slots(
    ctx: PlanContext, need: ReportMinimums, targets: dict[str, _Target]
) -> Iterator[tuple[tuple[str, ...], list[str], str]]:
    """(key, candidate target ids, status) per report slot: each moderator's handled slots
    (candidates: the content of the communities they moderate), then the pending queue's."""
    latest = ctx.at(days=-1)
    ready = {tid: t for tid, t in targets.items() if t.row["createdAt"] < latest}
    in_community: dict[str, list[str]] = {}
    for tid, t in ready.items():
        if t.community:
            in_community.setdefault(t.community, []).append(tid)
    handled: dict[str, int] = {}
    for report in ctx.foreign("Report"):
        target = _target_of(report, targets)
        if report["status"] in HANDLED and target and target.community:
            handled[target.community] = handled.get(target.community, 0) + 1
    for mid, rows in sorted(ctx.group("ModeratorCommunity", "moderatorId").items()):
        communities = {r["communityId"] for r in rows}
        have = sum(handled.get(cid, 0) for cid in communities)
        if have >= need.handled_per_moderator:
            continue
        candidates = sorted(tid for cid in communities for tid in in_community.get(cid, ()))
        for slot in range(need.handled_per_moderator - have):
            status = HANDLED[slot] if slot < 2 else ctx.choose(HANDLED, mid, "status", slot)
            yield (mid, "handled", str(slot)), candidates, status
    yield from _filed_slots(ctx, need, in_community, targets)
    # The queue holds recent content: moderators work through older reports.
    pending = sum(1 for r in ctx.foreign("Report") if r["status"] == Status.PENDING.value)
    if need.pending - pending <= 0:
        return
    fresh = sorted(tid for tid, t in ready.items() if t.row["createdAt"] >= ctx.at(days=-30))
    for slot in range(need.pending - pending):
        yield ("queue", "pending", str(slot)), fresh or sorted(ready), Status.PENDING.value


def _filed_slots(
    ctx: PlanContext, need: ReportMinimums, in_community: dict[str, list[str]],
    targets: dict[str, _Target],
) -> Iterator[tuple[tuple[str, ...], list[str], str]]:
    """Each moderator's own reports ("Moderators create reports"), on content of the
    communities they moderate: the first REVIEWED (acted on), the second left PENDING for an
    admin, later ones either; the moderator's foreign reports count."""
    filed = ctx.group("Report", "reporterId", foreign=True)
    for mid, rows in sorted(ctx.group("ModeratorCommunity", "moderatorId").items()):
        moderator = ctx.get("User", mid)
        if moderator is None or moderator["createdAt"] >= ctx.at(days=-1):
            if moderator is not None and need.filed_per_moderator > len(filed.get(mid, [])):
                ctx.warn("reports", _moderator(ctx, mid), "signed up after the anchor: "
                                                          "nothing to report before it")
            continue
        communities = {r["communityId"] for r in rows}
        candidates = sorted(tid for cid in communities for tid in in_community.get(cid, ())
                            if targets[tid].row["userId"] != mid)  # never their own words
        for slot in range(need.filed_per_moderator - len(filed.get(mid, []))):
            status = (Status.REVIEWED.value, Status.PENDING.value)[slot] if slot < 2 else (
                ctx.choose((Status.REVIEWED.value, Status.PENDING.value), mid, "filed", slot))
            yield ("filed", mid, str(slot)), candidates, status


def _report(ctx: PlanContext, rid: str, target: _Target, reporter: str,
            status: str, filed: bool) -> DesiredRow:
    rng = ctx.rng(rid)
    reason, note = rng.choice(moderation.FILED if filed else CASES[status])
    spread = dt.timedelta(days=3 if status == Status.PENDING.value else 10)
    # After the content and after the reporter signed up (schema.timeline), whoever is later.
    start = ctx.earliest("Report", "createdAt", reporterId=reporter,
                         **{target.column: target.row["id"]}) or target.row["createdAt"]
    created = content.after(ctx, rng, start, spread)
    updated = created
    if status != Status.PENDING.value:
        updated = between(rng, created, min(created + dt.timedelta(days=3), ctx.at(minutes=-1)))
    return ctx.row("Report", id=rid, reason=reason, content=note, status=status,
                   reportedUserId=target.row["userId"], reporterId=reporter,
                   createdAt=created, updatedAt=updated, **{target.column: target.row["id"]})


def _moderator(ctx: PlanContext, uid: str) -> str:
    """A moderator as verification names them (``_verify``)."""
    user = ctx.get("User", uid)
    return f"moderator {user['email'] if user else uid}"
